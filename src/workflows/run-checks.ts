// What prichal audit and prichal drift share: one run of the requirement catalogue over the
// inventory (and, for drift, the live estate), its history, reports and metrics written.
import path from 'node:path';
import { lastSuccess, newFindings, readHistory, recordRun, type HistoryEntry } from '../drift/history.js';
import { makeFolder, readTextOutcome, writeAtomic } from '../files.js';
import { districtResolver, UNKNOWN_DISTRICT } from '../docs/coverage.js';
import type { CheckResult } from '../drift/model.js';
import { DEFAULT_TIME_ZONE, idOfFile, type Inventory, type LoadedFile } from '../inventory/index.js';
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
import { checkInventory, type CheckInventoryTimings } from '../requirements/index.js';
import { InvalidInventoryError } from './errors.js';
import type { Progress } from '../progress.js';
import type { Words } from '../words.js';

/** The step of the live reads (edges, gateway hosts, the bus), one item a host or system. */
const READING: Words = { en: 'live reads', ru: 'чтение систем' };

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
  /** Told how far the run is: the files, the rules, the audit, the live reads. */
  progress?: Progress;
}): Promise<ChecksRun> {
  const started = performance.now();
  const checked = await checkInventory(options.inventory, options.at, options.timings, options.progress);
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
    ...(progress ? { progress } : {}),
    ...(options.kind === 'audit'
      ? {}
      : {
          drift: {
            gateways: operator.value.gateways,
            ...(options.collectors ? { collectors: options.collectors } : {}),
            ...(options.timings ? { timings: options.timings } : {}),
            ...(progress ? { progress: (done: number, total: number) => progress(READING, done, total) } : {}),
          },
        }),
  });
  const reportStart = performance.now();
  if (options.history) await recordRun(options.history, result, history);
  const context = reportContext(checked.validation.inventory, options.lang, {
    covered: result.participants,
    files: checked.validation.loaded.participants,
  });
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

/**
 * The language (option, else operator.yaml, else Russian), what the HTML report needs of each
 * participant, and where its links to inventory files lead (operator.yaml `reports.repository`,
 * else the inventory folder as seen from the report's). `broken`: the participants the result
 * covers whose file did not pass its schema, with the files read — what can still be read of one
 * (its name, its district) places its findings in the report's filters.
 */
export function reportContext(
  inventory: Inventory,
  lang?: Lang,
  broken?: { covered: readonly string[]; files: readonly LoadedFile[] },
): ReportContext {
  const operator = inventory.operator?.value;
  const participants = inventory.participants.map((p) => p.value);
  const districtOf = districtResolver(participants);
  const byId = new Map(participants.map((p) => [p.id, p]));
  const info: Record<string, ParticipantInfo> = {};
  for (const { value: p, source } of inventory.participants)
    info[p.id] = {
      name: p.name,
      district: districtOf(p),
      coordinator: byId.get(p.coordinatedBy ?? '')?.name ?? p.name,
      file: source.file,
    };
  const fileOf = new Map(broken?.files.map((f) => [idOfFile(f.source.file), f]));
  for (const id of broken?.covered ?? []) {
    if (info[id]) continue;
    const file = fileOf.get(id);
    // A file that failed its schema is read for plain text fields only; nothing else of it is trusted.
    const data = typeof file?.data === 'object' && file.data !== null ? (file.data as Record<string, unknown>) : {};
    const text = (key: string) => (typeof data[key] === 'string' && data[key] ? (data[key] as string) : undefined);
    const coordinator = byId.get(text('coordinatedBy') ?? '');
    info[id] = {
      name: text('name') ?? id,
      district: text('district') ?? (coordinator ? districtOf(coordinator) : UNKNOWN_DISTRICT),
      coordinator: coordinator?.name ?? text('name') ?? id,
      ...(file ? { file: file.source.file } : {}),
    };
  }
  const repository = operator?.reports?.repository;
  return {
    lang: lang ?? (isLang(operator?.language) ? operator.language : DEFAULT_LANG),
    timeZone: operator?.timeZone ?? DEFAULT_TIME_ZONE,
    participants: info,
    inventory: path.resolve(inventory.root),
    ...(repository ? { repository } : {}),
  };
}
