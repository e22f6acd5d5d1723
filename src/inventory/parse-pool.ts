// Parsing many inventory files at once: YAML parsing is what validating 10,000 participants
// costs, and it is independent per file, so it runs on one thread per core (the main thread and
// a worker thread per further core). Results come
// back in input order and are exactly what checkFile gives on the main thread (a test compares
// both). Few files are parsed inline: starting workers costs more than it saves below a few
// hundred files.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { envSetting } from '../files.js';
import { PROJECT_ROOT } from '../project.js';
import { checkFile, type FileCheck } from './file-check.js';
import type { ParseJob } from './parse-worker.js';

export type Parsed = FileCheck;

/** Below this many files, parsing inline is faster than starting workers. */
export const PARALLEL_FROM = 200;
/** Files per message: large enough that messaging is cheap, small enough to keep every worker busy to the end. */
const BATCH = 100;

/** The compiled worker (the CLI runs from dist; under the test runner the sources are TypeScript, so the build's worker is used). */
const WORKER = path.join(PROJECT_ROOT, 'dist', 'src', 'inventory', 'parse-worker.js');

/** Whether the compiled worker is there (the build made it); without it, parsing stays on the main thread. */
export const workerBuilt = () => existsSync(WORKER);

export function parseWorkers(): number {
  // Set but empty is unset (Number('') would be 0: no workers at all).
  const configured = Number(envSetting('PRICHAL_PARSE_WORKERS') ?? NaN);
  return Number.isInteger(configured) && configured >= 0 ? configured : availableParallelism();
}

/**
 * The main thread takes batches too, beside `workers - 1` worker threads: one core's worth of
 * parsing without a second V8 heap (a worker costs ~70 MB before it parses anything).
 */
/** `onParsed`: told how many files are parsed so far, after each batch (progress on a terminal). */
export async function parseAll(
  jobs: readonly ParseJob[],
  workers = parseWorkers(),
  onParsed?: (done: number) => void,
): Promise<Parsed[]> {
  if (jobs.length < PARALLEL_FROM || workers < 1 || !workerBuilt()) {
    const results = jobs.map(inline);
    onParsed?.(jobs.length);
    return results;
  }
  let done = 0;
  const batchDone = (size: number) => onParsed?.((done += size));
  const results = new Array<Parsed>(jobs.length);
  let next = 0;
  const take = () => {
    const from = next;
    next = Math.min(jobs.length, next + BATCH);
    return from;
  };
  const pool = Array.from({ length: Math.min(workers - 1, Math.ceil(jobs.length / BATCH)) }, () => new Worker(WORKER));
  try {
    const helpers = pool.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          // Two batches in flight: the worker starts the next while the main thread, busy with
          // its own batch, has not yet taken in the answer to the last.
          const inflight: number[] = [];
          const send = () => {
            if (next >= jobs.length) return;
            const from = take();
            inflight.push(from);
            worker.postMessage(jobs.slice(from, next));
          };
          worker.on('message', (parsed: Parsed[]) => {
            const from = inflight.shift()!;
            parsed.forEach((p, i) => (results[from + i] = p));
            batchDone(parsed.length);
            send();
            if (!inflight.length) resolve();
          });
          worker.once('error', reject);
          send();
          send();
          if (!inflight.length) resolve();
        }),
    );
    // The main thread's share, a batch at a time, yielding so the workers' answers are taken in.
    while (next < jobs.length) {
      const from = take();
      const to = next;
      for (let i = from; i < to; i++) results[i] = inline(jobs[i]!);
      batchDone(to - from);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(helpers);
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}

const inline = ({ file, text }: ParseJob): Parsed => checkFile(file, text);
