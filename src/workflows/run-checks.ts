// What prichal audit and prichal drift share: one run of the requirement catalogue over the
// inventory (and, for drift, the live estate), its history, reports and metrics written.
import path from 'node:path';
import { lastSuccess, newFindings, readHistory, recordRun, type HistoryEntry } from '../drift/history.js';
import { makeFolder, readTextOutcome, writeAtomic } from '../files.js';
import { districtResolver } from '../docs/coverage.js';
import type { CheckResult, RequirementFinding } from '../drift/model.js';
import { DEFAULT_TIME_ZONE, locate, type Inventory } from '../inventory/index.js';
import { runChecks, type CheckTimings, type Collectors } from '../drift/run.js';
import {
  DEFAULT_LANG,
  isLang,
  previousSuccess,
  renderPrometheus,
  writeReports,
  type Lang,
  type ParticipantInfo,
  type ReportContext,
} from '../report/index.js';
import { checkInventory, REQUIREMENTS, type CheckInventoryTimings } from '../requirements/index.js';
import { InvalidInventoryError } from './errors.js';

/** Phases of one audit/drift run, for the benchmark: validation, planning, audit, reads, evaluation, reports. */
export type ChecksTimings = CheckInventoryTimings & CheckTimings & { reportMs?: number };

/** One run: its result, the report files written, the language they speak, the inventory it read. */
export interface ChecksRun {
  result: CheckResult;
  files: string[];
  lang: Lang;
  inventory: Inventory;
}

export async function checks(options: {
  kind: CheckResult['kind'];
  inventory: string;
  at?: string;
  out?: string;
  history?: string;
  /** The metrics file (drift --all --metrics); a nightly run with --out writes <out>/prichal.prom without it. */
  metrics?: string;
  lang?: Lang;
  collectors?: Collectors;
  timings?: ChecksTimings;
  progress?: (done: number, total: number, what: string) => void;
}): Promise<ChecksRun> {
  const started = performance.now();
  const checked = await checkInventory(options.inventory, options.at, options.timings);
  const operator = checked.validation.inventory.operator;
  const plan = checked.plan;
  if (!operator || !plan)
    throw new InvalidInventoryError(checked.findings, {
      en: 'without a valid operator.yaml nothing can be checked',
      ru: 'без корректного operator.yaml проверять нечего',
    });
  // The history is read before the run: one that cannot be read (a FIFO, a folder, too large)
  // stops the command at once, not after every host has been read.
  const history = options.history ? await readHistory(options.history) : undefined;
  const progress = options.progress;
  const result = await runChecks({
    kind: options.kind,
    at: checked.at,
    inventory: checked.validation.inventory,
    plan,
    validation: checked.findings,
    ...(options.kind === 'audit'
      ? {}
      : {
          drift: {
            gateways: operator.value.gateways,
            ...(options.collectors ? { collectors: options.collectors } : {}),
            ...(options.timings ? { timings: options.timings } : {}),
            ...(progress ? { progress } : {}),
          },
        }),
  });
  const reportStart = performance.now();
  if (options.history) await recordRun(options.history, result, history);
  const context = reportContext(checked.validation.inventory, options.lang);
  const files = options.out ? await writeReports(options.out, result, context) : [];
  const metrics =
    options.metrics ?? (options.out && options.kind === 'all' ? path.join(options.out, METRICS_FILE) : undefined);
  if (metrics) files.push(await writeMetrics(metrics, result, (performance.now() - started) / 1000, history ?? []));
  if (options.timings) options.timings.reportMs = performance.now() - reportStart;
  return { result, files, lang: context.lang, inventory: checked.validation.inventory };
}

/**
 * The metrics file of a nightly run: the new findings and the last success come from the history
 * read before the run, so a run writing into a folder of its own (a dated one) still carries the
 * last success of the runs before it; the earlier file's value counts too (a history started
 * afresh).
 */
async function writeMetrics(
  file: string,
  result: CheckResult,
  durationSeconds: number,
  history: readonly HistoryEntry[],
): Promise<string> {
  // The earlier file by the file rule; one that cannot be read (not a regular file, too large) only loses its value.
  const before = readTextOutcome(file);
  const previous = [
    'text' in before ? previousSuccess(before.text, result.kind) : undefined,
    lastSuccess(history, result.kind),
  ].filter((t) => t !== undefined);
  await makeFolder(path.dirname(file));
  // Written by the file rule (a temporary file renamed into place): the textfile collector never reads half a file.
  await writeAtomic(
    file,
    renderPrometheus(result, {
      durationSeconds,
      finishedAt: Date.now() / 1000,
      ...(previous.length ? { previousSuccess: Math.max(...previous) } : {}),
      newFindings: newFindings(result, history),
    }),
  );
  return file;
}

export const METRICS_FILE = 'prichal.prom';

/** The language (option, else operator.yaml, else Russian) and what the HTML report needs of each participant. */
export function reportContext(inventory: Inventory, lang?: Lang): ReportContext {
  const operator = inventory.operator?.value;
  const participants = inventory.participants.map((p) => p.value);
  const districtOf = districtResolver(participants);
  const byId = new Map(participants.map((p) => [p.id, p]));
  const info: Record<string, ParticipantInfo> = {};
  for (const { value: p, source } of inventory.participants) {
    // Locating a field parses the file again: done for the findings a report shows, never for every participant.
    const lineOf = (requirement: RequirementFinding['requirement']) => {
      const field = REQUIREMENTS[requirement].field;
      return field && field in p ? locate(source, [field]).line : undefined;
    };
    info[p.id] = {
      name: p.name,
      district: districtOf(p),
      coordinator: byId.get(p.coordinatedBy ?? '')?.name ?? p.name,
      file: path.resolve(inventory.root, source.file),
      lineOf,
    };
  }
  return {
    lang: lang ?? (isLang(operator?.language) ? operator.language : DEFAULT_LANG),
    timeZone: operator?.timeZone ?? DEFAULT_TIME_ZONE,
    participants: info,
  };
}
