// npm run bench: validation speed and memory on a synthetic inventory of 10,000 participants.
// Prints ratios against a baseline measured in the same run (never asserted in tests), each
// phase in a fresh child process so that peak RSS belongs to that phase alone:
//   (a) read + parse every file single-threaded with Prichal's parser (parseSource),
//   (b) the full pipeline (checkInventory, what `prichal validate` runs) as before the parallel, cached parse:
//       one thread, no cache,
//   (c) the same pipeline cold: worker threads, empty cache,
//   (d) the same pipeline warm: nothing changed since (c);
// plus the overlap check of 100,000 prefixes. Targets: b/a ≤ 2.0, c/a ≤ 0.8 on 2 cores
// and d ≤ 1 s, RSS ≤ 600 MiB, overlap ≤ 1 s.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { cidrInterval, findOverlaps, formatAddress, listParticipantFiles } from '../src/inventory/index.js';
import { parseSource } from '../src/inventory/load.js';
import { checkInventory, type CheckInventoryTimings } from '../src/requirements/index.js';
import { writeSyntheticInventory } from './synthetic.js';
import { median } from './measure.js';

const SELF = fileURLToPath(import.meta.url);
const COUNT = Number(process.env.BENCH_PARTICIPANTS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface PhaseResult {
  ms: number;
  rssMiB: number;
  findings?: number;
  timings?: CheckInventoryTimings;
}

async function phase(name: string, dir: string): Promise<PhaseResult> {
  const started = performance.now();
  let findings: number | undefined;
  if (name === 'parse') {
    const files = ['operator.yaml', 'allocations.yaml', ...(await listParticipantFiles(dir))];
    const texts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
    // The same parser validation uses (positions, duplicate keys), on one thread.
    files.forEach((file, i) => parseSource(file, texts[i]!));
  } else {
    const timings: CheckInventoryTimings = {};
    const checked = await checkInventory(dir, '2026-11-23', timings);
    findings = checked.findings.length;
    if (!checked.ok) throw new Error(`synthetic inventory is invalid: ${JSON.stringify(checked.findings.slice(0, 3))}`);
    return { ms: performance.now() - started, rssMiB: process.resourceUsage().maxRSS / 1024, findings, timings };
  }
  const ms = performance.now() - started;
  return { ms, rssMiB: process.resourceUsage().maxRSS / 1024, ...(findings === undefined ? {} : { findings }) };
}

/** Each pipeline variant is the same checkInventory; the environment chooses threads and cache. */
function runChild(name: string, dir: string, env: Record<string, string> = {}): PhaseResult {
  const out = execFileSync(process.execPath, [SELF, '--phase', name, dir], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return JSON.parse(out) as PhaseResult;
}

function overlapBench(count: number) {
  // Random aligned prefixes /20–/30 in 10.0.0.0/8 (a fixed LCG, so every run checks the same set).
  let seed = 42;
  const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
  const cidrs: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = 20 + (next() % 11);
    const mask = (0xffffffff << (32 - length)) >>> 0;
    cidrs.push(`${formatAddress((((10 << 24) | (next() & 0xffffff)) & mask) >>> 0)}/${length}`);
  }
  const t0 = performance.now();
  const intervals = cidrs.map((c, index) => ({ ...cidrInterval(c), index }));
  const t1 = performance.now();
  const overlaps = findOverlaps(intervals);
  const t2 = performance.now();
  return { parseMs: t1 - t0, checkMs: t2 - t1, overlaps: overlaps.length };
}

async function main() {
  const dir = await mkdtemp(path.join(tmpdir(), 'prichal-bench-'));
  try {
    const t0 = performance.now();
    const files = await writeSyntheticInventory(dir, COUNT);
    console.log(
      `synthetic inventory: ${COUNT} participants, ${files} files, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    runChild('parse', dir); // warm the page cache so that no phase pays for cold reads
    const cacheDir = path.join(dir, '.cache');
    const parse: PhaseResult[] = [];
    const serial: PhaseResult[] = [];
    const cold: PhaseResult[] = [];
    const warm: PhaseResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      parse.push(runChild('parse', dir));
      serial.push(runChild('validate', dir, { PRICHAL_PARSE_WORKERS: '0', PRICHAL_VALIDATION_CACHE: 'off' }));
      await rm(cacheDir, { recursive: true, force: true });
      cold.push(runChild('validate', dir, { PRICHAL_WORK_CACHE: cacheDir }));
      warm.push(runChild('validate', dir, { PRICHAL_WORK_CACHE: cacheDir }));
    }
    const a = median(parse.map((r) => r.ms));
    const b = median(serial.map((r) => r.ms));
    const c = median(cold.map((r) => r.ms));
    const d = median(warm.map((r) => r.ms));
    const rss = Math.max(...[...serial, ...cold, ...warm].map((r) => r.rssMiB));
    const split = (rs: PhaseResult[]) => {
      const m = (k: keyof CheckInventoryTimings) => median(rs.map((r) => r.timings?.[k] ?? 0)).toFixed(0);
      return `read+parse ${m('loadMs')} ms, schema+rules ${(Number(m('validateMs')) - Number(m('loadMs'))).toFixed(0)} ms, plan's allocations ${m('planMs')} ms`;
    };
    const overlap = overlapBench(100_000);
    const rows = [
      [
        '(a) read + parse, one thread',
        `${a.toFixed(0)} ms`,
        `peak RSS ${Math.max(...parse.map((r) => r.rssMiB)).toFixed(0)} MiB`,
      ],
      ['(b) validate, one thread, no cache', `${b.toFixed(0)} ms`, split(serial)],
      [`(c) validate cold, ${availableParallelism()} threads`, `${c.toFixed(0)} ms`, split(cold)],
      ['(d) validate warm (nothing changed)', `${d.toFixed(0)} ms`, split(warm)],
      ['ratio (b)/(a)', (b / a).toFixed(2), `target ≤ 2.00 ${b / a <= 2 ? 'met' : 'MISSED'}`],
      ['ratio (c)/(a)', (c / a).toFixed(2), `target ≤ 0.80 ${c / a <= 0.8 ? 'met' : 'MISSED'}`],
      ['warm (d)', `${d.toFixed(0)} ms`, `target ≤ 1000 ms ${d <= 1000 ? 'met' : 'MISSED'}`],
      ['peak RSS of validate', `${rss.toFixed(0)} MiB`, `target ≤ 600 MiB ${rss <= 600 ? 'met' : 'MISSED'}`],
      [
        'overlap check, 100,000 prefixes',
        `${overlap.checkMs.toFixed(0)} ms`,
        `target ≤ 1000 ms ${overlap.checkMs <= 1000 ? 'met' : 'MISSED'} (parsing them: ${overlap.parseMs.toFixed(0)} ms; ${overlap.overlaps} overlaps)`,
      ],
    ];
    for (const [name, value, note] of rows) console.log(`${name!.padEnd(38)} ${value!.padStart(9)}  ${note}`);
    console.log(
      `runs: ${RUNS} each, median; (a) ${parse.map((r) => r.ms.toFixed(0)).join('/')} ms, (b) ${serial.map((r) => r.ms.toFixed(0)).join('/')} ms, (c) ${cold.map((r) => r.ms.toFixed(0)).join('/')} ms, (d) ${warm.map((r) => r.ms.toFixed(0)).join('/')} ms`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const phaseIndex = process.argv.indexOf('--phase');
if (phaseIndex > 0) {
  const result = await phase(process.argv[phaseIndex + 1]!, process.argv[phaseIndex + 2]!);
  process.stdout.write(JSON.stringify(result));
} else {
  await main();
}
