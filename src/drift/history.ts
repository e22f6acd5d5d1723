// Run history for nightly reports: one JSON line per run in the state folder; the trend says
// which findings are new, fixed or persisting since the previous run.
import path from 'node:path';
import { findingKey, type CheckResult, type RequirementFinding } from './model.js';
import { LIVE_CHANNEL_REQUIREMENTS } from '../requirements/index.js';
import { FileError, makeFolder, maxFileBytes, readTextOutcome, writeAtomic } from '../files.js';

export interface HistoryEntry {
  generatedAt: string;
  kind: CheckResult['kind'];
  errors: number;
  warnings: number;
  unchecked: number;
  keys: string[];
  /**
   * The subjects left unchecked (edges, hosts), and the participants with an error in a live
   * channel requirement: what a connection act states the channel from. Absent in runs recorded
   * before they were (such a run is no evidence of the channel either way).
   */
  uncheckedSubjects?: string[];
  channelErrors?: string[];
}

/** Runs the trend covers: a year of nightly runs. */
export const HISTORY_RUNS = 365;

/**
 * Largest history file read: the file rule's limit, at least 64 MiB. The file keeps only the runs
 * the trend covers (recordRun rewrites it), so it stays far below that unless every run has
 * tens of thousands of findings.
 */
export const historyLimit = () => Math.max(maxFileBytes(), 64 * 1024 * 1024);

const KINDS: ReadonlySet<unknown> = new Set(['audit', 'drift', 'all']);
const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const isTimestamp = (v: unknown) =>
  typeof v === 'string' &&
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) &&
  !Number.isNaN(Date.parse(v));

/** A line of the history as recordRun writes it, or undefined (a hand edit, a cut line, another tool's JSON). */
function entryOf(line: string): HistoryEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const e = value as Record<string, unknown>;
  if (
    !isTimestamp(e.generatedAt) ||
    !KINDS.has(e.kind) ||
    !count(e.errors) ||
    !count(e.warnings) ||
    !count(e.unchecked)
  )
    return undefined;
  if (!Array.isArray(e.keys) || !e.keys.every((k) => typeof k === 'string')) return undefined;
  const strings = (v: unknown) =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  const uncheckedSubjects = strings(e.uncheckedSubjects);
  const channelErrors = strings(e.channelErrors);
  return {
    generatedAt: e.generatedAt as string,
    kind: e.kind as HistoryEntry['kind'],
    errors: e.errors as number,
    warnings: e.warnings as number,
    unchecked: e.unchecked as number,
    keys: e.keys as string[],
    // Both or neither: half of the evidence is none.
    ...(uncheckedSubjects && channelErrors ? { uncheckedSubjects, channelErrors } : {}),
  };
}

/**
 * The runs recorded in the history, oldest first. Read by the file rule (a regular file, opened
 * without blocking, size-limited: a FIFO or /dev/zero given as --history is a FileError naming
 * it, never a hang); a line that is not a run (a cut last line, a hand edit) is skipped. A
 * missing file is an empty history.
 */
export async function readHistory(file: string): Promise<HistoryEntry[]> {
  const read = readTextOutcome(file, { limit: historyLimit() });
  if ('missing' in read) return [];
  if ('problem' in read) throw new FileError(file, read.problem);
  return read.text.split('\n').flatMap((line) => {
    const entry = line.trim() ? entryOf(line) : undefined;
    return entry ? [entry] : [];
  });
}

/**
 * The findings of `result` the history has not seen: absent from the previous run of its kind
 * and, when that run could not check everything, also from the last run that could (an edge
 * unreachable last night is no evidence that its findings went away, so they are not news when
 * it answers again). Identified by findingKey, as the trend counts them. Without an earlier run
 * nothing is new: there is nothing to compare with.
 */
export function newFindings(result: CheckResult, history: readonly HistoryEntry[]): RequirementFinding[] {
  const runs = history.filter((h) => h.kind === result.kind);
  const previous = runs.at(-1);
  if (!previous) return [];
  const known = new Set(previous.keys);
  if (previous.unchecked > 0) for (const key of runs.findLast((h) => h.unchecked === 0)?.keys ?? []) known.add(key);
  return result.findings.filter((f) => !known.has(findingKey(f)));
}

/** When the last run of `kind` that checked everything was made (seconds since the epoch), as the history recorded it. */
export function lastSuccess(history: readonly HistoryEntry[], kind: CheckResult['kind']): number | undefined {
  const run = history.findLast((h) => h.kind === kind && h.unchecked === 0);
  return run ? Date.parse(run.generatedAt) / 1000 : undefined;
}

/** Adds the trend to `result` from the history, then appends this run to it. */
export async function recordRun(file: string, result: CheckResult, read?: HistoryEntry[]): Promise<CheckResult> {
  // `read`: the history as readHistory gave it before the run (a caller that checks it first).
  const all = read ?? (await readHistory(file));
  const history = all.filter((h) => h.kind === result.kind);
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
    uncheckedSubjects: [...new Set(result.unchecked.map((u) => u.subject))].sort(),
    channelErrors: [
      ...new Set(
        // A waived channel error is an accepted risk, not a checked channel: the act does not state it.
        [...result.findings, ...result.waived]
          .filter((f) => f.severity === 'error' && f.participant && LIVE_CHANNEL_REQUIREMENTS.includes(f.requirement))
          .map((f) => f.participant!),
      ),
    ].sort(),
  };
  // Per run: what changed since the run before it (the chart shows new and fixed for each).
  const runs = [...history, entry].slice(-(HISTORY_RUNS + 1));
  const changes = runs.map((run, i) => {
    const was = new Set(i ? runs[i - 1]!.keys : []);
    const is = new Set(run.keys);
    return {
      new: run.keys.filter((k) => !was.has(k)).length,
      fixed: i ? [...was].filter((k) => !is.has(k)).length : 0,
      persisting: run.keys.filter((k) => was.has(k)).length,
    };
  });
  result.trend = {
    ...(previous ? { previous: previous.generatedAt } : {}),
    new: keys.filter((k) => !before.has(k)).length,
    fixed: [...before].filter((k) => !now.has(k)).length,
    persisting: keys.filter((k) => before.has(k)).length,
    history: runs
      .map(({ generatedAt, errors, warnings, unchecked }, i) => ({
        generatedAt,
        errors,
        warnings,
        unchecked,
        ...changes[i]!,
      }))
      .slice(-HISTORY_RUNS),
  };
  await makeFolder(path.dirname(file));
  // Rewritten by the file rule (a temporary file renamed into place) with the runs the trend can
  // still use — the last HISTORY_RUNS + 1 of each kind — so the file stays bounded and a failed
  // write leaves the old history whole; skipped lines are not carried over.
  const kept = [...all, entry];
  const perKind = new Map<string, number>();
  for (const h of kept) perKind.set(h.kind, (perKind.get(h.kind) ?? 0) + 1);
  const seen = new Map<string, number>();
  const lines = kept.filter((h) => {
    const n = (seen.get(h.kind) ?? 0) + 1;
    seen.set(h.kind, n);
    return perKind.get(h.kind)! - n < HISTORY_RUNS + 1;
  });
  await writeAtomic(file, lines.map((h) => `${JSON.stringify(h)}\n`).join(''));
  return result;
}
