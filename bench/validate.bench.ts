// npm run bench: validation speed and memory on a synthetic inventory of 10,000 participants.
// Prints ratios against a baseline measured in the same run (never asserted in tests):
//   (a) read + YAML-parse every file (the floor any validator pays),
//   (b) the full `prichal validate` pipeline (positions, schema, rules, allocation),
// each in a fresh child process so that peak RSS belongs to that phase alone; plus the
// overlap check of 100,000 prefixes. Targets (issue 2): b/a ≤ 2.0, RSS ≤ 600 MiB, overlap ≤ 1 s.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { cidrInterval, findOverlaps, formatAddress, listParticipantFiles } from '../src/inventory/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { writeSyntheticInventory } from './synthetic.js';

const SELF = fileURLToPath(import.meta.url);
const COUNT = Number(process.env.BENCH_PARTICIPANTS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface PhaseResult {
  ms: number;
  rssMiB: number;
  findings?: number;
}

async function phase(name: string, dir: string): Promise<PhaseResult> {
  const started = performance.now();
  let findings: number | undefined;
  if (name === 'parse') {
    const files = ['operator.yaml', 'allocations.yaml', ...(await listParticipantFiles(dir))];
    const texts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
    // The cheapest parse that still sees duplicate keys: what any YAML-based validator must pay.
    for (const text of texts) parseDocument(text).toJS();
  } else {
    const checked = await checkInventory(dir, '2026-11-23');
    findings = checked.findings.length;
    if (!checked.ok) throw new Error(`synthetic inventory is invalid: ${JSON.stringify(checked.findings.slice(0, 3))}`);
  }
  const ms = performance.now() - started;
  return { ms, rssMiB: process.resourceUsage().maxRSS / 1024, ...(findings === undefined ? {} : { findings }) };
}

function runChild(name: string, dir: string): PhaseResult {
  const out = execFileSync(process.execPath, [SELF, '--phase', name, dir], { encoding: 'utf8' });
  return JSON.parse(out) as PhaseResult;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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
    console.log(`synthetic inventory: ${COUNT} participants, ${files} files, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    runChild('parse', dir); // warm the page cache so that neither phase pays for cold reads
    const parse: PhaseResult[] = [];
    const validate: PhaseResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      parse.push(runChild('parse', dir));
      validate.push(runChild('validate', dir));
    }
    const a = median(parse.map((r) => r.ms));
    const b = median(validate.map((r) => r.ms));
    const rss = Math.max(...validate.map((r) => r.rssMiB));
    const overlap = overlapBench(100_000);
    const rows = [
      ['(a) read + YAML parse', `${a.toFixed(0)} ms`, `peak RSS ${Math.max(...parse.map((r) => r.rssMiB)).toFixed(0)} MiB`],
      ['(b) full validate', `${b.toFixed(0)} ms`, `peak RSS ${rss.toFixed(0)} MiB`],
      ['ratio (b)/(a)', (b / a).toFixed(2), `target ≤ 2.00 ${b / a <= 2 ? 'met' : 'MISSED'}`],
      ['peak RSS of validate', `${rss.toFixed(0)} MiB`, `target ≤ 600 MiB ${rss <= 600 ? 'met' : 'MISSED'}`],
      ['overlap check, 100,000 prefixes', `${overlap.checkMs.toFixed(0)} ms`, `target ≤ 1000 ms ${overlap.checkMs <= 1000 ? 'met' : 'MISSED'} (parsing them: ${overlap.parseMs.toFixed(0)} ms; ${overlap.overlaps} overlaps)`],
    ];
    for (const [name, value, note] of rows) console.log(`${name!.padEnd(34)} ${value!.padStart(9)}  ${note}`);
    console.log(`runs: ${RUNS} each, median; (a) ${parse.map((r) => r.ms.toFixed(0)).join('/')} ms, (b) ${validate.map((r) => r.ms.toFixed(0)).join('/')} ms`);
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
