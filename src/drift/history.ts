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
  result.trend = {
    ...(previous ? { previous: previous.generatedAt } : {}),
    new: keys.filter((k) => !before.has(k)).length,
    fixed: [...before].filter((k) => !now.has(k)).length,
    persisting: keys.filter((k) => before.has(k)).length,
    history: [...history, entry].slice(-30).map(({ generatedAt, errors, warnings, unchecked }) => ({ generatedAt, errors, warnings, unchecked })),
  };
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(entry)}\n`);
  return result;
}
