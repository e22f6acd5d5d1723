// What the CLI says on the terminal besides a command's result: progress on stderr (stdout stays
// clean for --format json), a progress line when stderr is a terminal, a yes/no question.
import { createInterface } from 'node:readline/promises';
import type { Progress } from '../progress.js';
import type { Lang } from '../report/index.js';
import type { Format } from './command-spec.js';

/** One line of progress, on stderr. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** What the progress line writes to and asks of the streams (injected by tests). */
export interface ProgressStreams {
  stderr: { isTTY?: boolean; write(text: string): unknown };
  stdout: { isTTY?: boolean };
}

/** Least time between two redraws: 10,000 items a second would otherwise be 10,000 writes. */
const REDRAW_MS = 100;
/** From the cursor to the end of the line (what a shorter line leaves of a longer one). */
const CLEAR = '\x1b[K';

/**
 * A long run's progress as one line on a terminal — «документы: 12/40», rewritten in place (\r)
 * as it goes and cleared when the run ends — and nothing anywhere else: not in a log or a pipe
 * (stderr no terminal), nor when JSON goes to a program (--format json, stdout no terminal).
 * Undefined when quiet; `end` clears the line.
 */
export function progressLine(
  lang: Lang,
  format: Format,
  streams: ProgressStreams = process,
  now: () => number = () => performance.now(),
): { report: Progress; end(): void } | undefined {
  if (!streams.stderr.isTTY || (format === 'json' && !streams.stdout.isTTY)) return undefined;
  let shown: string | undefined;
  let drawnAt = -Infinity;
  return {
    report(step, done, total) {
      const line = `${step[lang]}: ${done}/${total}`;
      const time = now();
      // A new step, and the end of one, are always drawn; in between at most every REDRAW_MS.
      const sameStep = shown?.startsWith(`${step[lang]}: `);
      if (line === shown || (sameStep && done < total && time - drawnAt < REDRAW_MS)) return;
      streams.stderr.write(`\r${line}${CLEAR}`);
      shown = line;
      drawnAt = time;
    },
    end() {
      if (shown !== undefined) streams.stderr.write(`\r${CLEAR}`);
      shown = undefined;
    },
  };
}

/** Runs a workflow with a progress line on a terminal (cleared however it ends). */
export async function withProgress<T>(
  lang: Lang,
  format: Format,
  run: (progress: Progress | undefined) => Promise<T>,
): Promise<T> {
  const line = progressLine(lang, format);
  try {
    return await run(line?.report);
  } finally {
    line?.end();
  }
}

/** Asks on the terminal (the question on stderr); true for y or yes. */
export async function askYes(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}
