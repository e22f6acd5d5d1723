// Run history for nightly reports: one JSON line per run in the state folder; the trend says
// which findings are new, fixed or persisting since the previous run.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { findingKey, type CheckResult } from './model.js';

interface HistoryEntry {
  generatedAt: string;
  kind: CheckResult['kind'];
  errors: number;
  warnings: number;
  unchecked: number;
  keys: string[];
}

/** Runs the trend covers: a year of nightly runs. */
export const HISTORY_RUNS = 365;

export async function readHistory(file: string): Promise<HistoryEntry[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as HistoryEntry);
}

/** Adds the trend to `result` from the history, then appends this run to it. */
export async function recordRun(file: string, result: CheckResult): Promise<CheckResult> {
  const history = (await readHistory(file)).filter((h) => h.kind === result.kind);
  const keys = result.findings.map(findingKey);
  const previous = history.at(-1);
  const before = new Set(previous?.keys ?? []);
  const now = new Set(keys);
  const entry: HistoryEntry = {
    generatedAt: result.generatedAt,
    kind: result.kind,
    errors: result.findings.filter((f) => f.severity === 'error').length,
    warnings: result.findings.filter((f) => f.severity === 'warning').length,
    unchecked: result.unchecked.length,
    keys,
  };
  // Per run: what changed since the run before it (the chart shows new and fixed for each).
  const runs = [...history, entry].slice(-(HISTORY_RUNS + 1));
  const changes = runs.map((run, i) => {
    const was = new Set(i ? runs[i - 1]!.keys : []);
    const is = new Set(run.keys);
    return { new: run.keys.filter((k) => !was.has(k)).length, fixed: i ? [...was].filter((k) => !is.has(k)).length : 0, persisting: run.keys.filter((k) => was.has(k)).length };
  });
  result.trend = {
    ...(previous ? { previous: previous.generatedAt } : {}),
    new: keys.filter((k) => !before.has(k)).length,
    fixed: [...before].filter((k) => !now.has(k)).length,
    persisting: keys.filter((k) => before.has(k)).length,
    history: runs.map(({ generatedAt, errors, warnings, unchecked }, i) => ({ generatedAt, errors, warnings, unchecked, ...changes[i]! })).slice(-HISTORY_RUNS),
  };
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(entry)}\n`);
  return result;
}
