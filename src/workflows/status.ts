// prichal status: where each participant stands, on one screen — its СЭД stage, its portal/bus
// stage per contour, its channel, its last connectivity probe and its open findings (the
// inventory requirements now; the live ones from the last nightly report, dated). Reads files
// only: no live system is contacted, so it answers in a second from anywhere.
import { statSync } from 'node:fs';
import path from 'node:path';
import { districtResolver } from '../docs/coverage.js';
import type { CheckResult } from '../drift/model.js';
import { CONTOURS, daysBetween, type ContourName } from '../inventory/index.js';
import type { Participant } from '../inventory/types.generated.js';
import type { ProbeProtocol } from '../infra/probe.js';
import { REQUIREMENTS, SED_STAGES } from '../requirements/index.js';
import { checks } from './run-checks.js';
import { UsageError } from './errors.js';
import type { Lang } from '../report/index.js';
import { quoteFromFile, readTextOutcome } from '../files.js';
import type { Words } from '../words.js';

export interface ParticipantStatus {
  id: string;
  name: string;
  district: string;
  sed: {
    mode: Participant['sed']['mode'];
    system?: string;
    stage: string | null;
    date: string | null;
    connected: boolean;
  };
  portal: Record<ContourName, { status: string; date: string | null } | null>;
  channel: string | null;
  /** The contour's recorded probe; `unreadable` (the file named in the result's `unreadable`) when its protocol could not be read. */
  probes: Record<ContourName, { finishedAt: string; passed: boolean } | { unreadable: string } | null>;
  findings: { errors: number; warnings: number; requirements: string[] };
}

export interface StatusResult {
  at: string;
  lang: Lang;
  timeZone: string;
  /** The nightly report whose live findings are included, and when it ran. */
  liveReport: { file: string; generatedAt: string } | null;
  participants: ParticipantStatus[];
  /** Probe protocols that could not be read (not a regular file, not JSON, not a protocol's shape): named, never taken as "no probe". */
  unreadable: Array<{ file: string; reason: string; reasonRu: string }>;
  /**
   * Participants whose file does not pass its schema (or cannot be read or parsed): only their
   * findings are known — listed with them, never left out of the screen as if they had none.
   */
  invalid: Array<{ id: string; file: string; findings: ParticipantStatus['findings'] }>;
}

/** Errors, warnings and the requirements they are of. */
const counted = (findings: ReadonlyArray<Pick<CheckResult['findings'][number], 'severity' | 'requirement'>>) => ({
  errors: findings.filter((f) => f.severity === 'error').length,
  warnings: findings.filter((f) => f.severity === 'warning').length,
  requirements: [...new Set(findings.map((f) => f.requirement))].sort(),
});

/** The last stage of the participant's СЭД path done at `at`. */
function sedStage(p: Participant, at: string): { stage: string | null; date: string | null } {
  let last: { stage: string | null; date: string | null } = { stage: null, date: null };
  for (const { field } of SED_STAGES[p.sed.mode]) {
    const date = p.sed[field] as string | undefined;
    if (date !== undefined && daysBetween(at, date) <= 0) last = { stage: field, date };
  }
  return last;
}

const REGISTRATION_DATES = ['tested', 'registered', 'approved', 'requested'] as const;

/** What a JSON file given to status holds, or why it cannot be had; a missing file is none. */
type Read<T> = { value: T } | { missing: true } | { problem: Words };

/** A timestamp as Prichal writes them (toISOString), one a date can be made of. */
const isTimestamp = (v: unknown): v is string =>
  typeof v === 'string' &&
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) &&
  !Number.isNaN(Date.parse(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const kindOf = (v: unknown) =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'object'
        ? 'an object'
        : typeof v === 'string'
          ? `the text ${quoteFromFile(v)}`
          : `${typeof v} ${quoteFromFile(String(v))}`;
const kindRu = (v: unknown) =>
  v === null
    ? 'пустое значение'
    : Array.isArray(v)
      ? 'список'
      : typeof v === 'object'
        ? 'словарь'
        : typeof v === 'string'
          ? `текст ${quoteFromFile(v)}`
          : `значение ${quoteFromFile(String(v))}`;
const wrong = (field: string, expected: Words, got: unknown): Words => ({
  en: `${field} must be ${expected.en}, not ${kindOf(got)}`,
  ru: `${field}: ожидается ${expected.ru}, а не ${kindRu(got)}`,
});
const TIMESTAMP: Words = {
  en: 'a timestamp such as 2026-11-23T01:31:34.311Z',
  ru: 'отметка времени вида 2026-11-23T01:31:34.311Z',
};

/**
 * A recorded probe or report read by the file rule (a regular file, non-blocking, size-limited:
 * a FIFO or /dev/zero given as --report never hangs or fills memory), parsed and checked for the
 * shape status reads from it: a report whose `findings` is a string, or a protocol with a broken
 * timestamp, is a named problem, never a crash.
 */
function readJson<T>(file: string, shape: (value: unknown) => Words | undefined): Read<T> {
  const read = readTextOutcome(file);
  if (!('text' in read)) return read;
  let value: unknown;
  try {
    value = JSON.parse(read.text);
  } catch (error) {
    // The parser's own message quotes the file ("PATH=/usr/"… for a link to /proc/self/environ):
    // only where it stopped is said.
    const message = (error as Error).message;
    const where =
      /line \d+ column \d+/.exec(message)?.[0] ??
      /position \d+/.exec(message)?.[0] ??
      (/end of JSON input/.test(message) ? 'the end: the file is cut short' : undefined);
    return {
      problem: {
        en: `cannot be read as JSON${where ? ` (at ${where})` : ''}`,
        ru: `не читается как JSON${where ? ` (место: ${where.replace('the end: the file is cut short', 'конец, файл обрезан').replace('line', 'строка').replace('column', 'столбец').replace('position', 'позиция')})` : ''}`,
      },
    };
  }
  const problem = shape(value);
  return problem ? { problem } : { value: value as T };
}

/** What status reads of a nightly report: when it ran and its findings (requirement, severity, participant). */
export function reportShape(value: unknown): Words | undefined {
  if (!isObject(value))
    return wrong(
      'the report',
      { en: 'an object (the JSON report of drift --all)', ru: 'словарь (JSON-отчёт drift --all)' },
      value,
    );
  if (!isTimestamp(value.generatedAt)) return wrong('generatedAt', TIMESTAMP, value.generatedAt);
  if (!Array.isArray(value.findings))
    return wrong('findings', { en: 'a list of findings', ru: 'список нарушений' }, value.findings);
  for (const [i, f] of value.findings.entries()) {
    const at = `findings[${i}]`;
    if (!isObject(f)) return wrong(at, { en: 'an object', ru: 'словарь' }, f);
    if (typeof f.requirement !== 'string' || !Object.hasOwn(REQUIREMENTS, f.requirement))
      return wrong(
        `${at}.requirement`,
        {
          en: `a requirement id (${Object.keys(REQUIREMENTS).join(', ')})`,
          ru: `идентификатор требования (${Object.keys(REQUIREMENTS).join(', ')})`,
        },
        f.requirement,
      );
    if (f.severity !== 'error' && f.severity !== 'warning')
      return wrong(`${at}.severity`, { en: "'error' or 'warning'", ru: "'error' или 'warning'" }, f.severity);
    if (f.participant !== undefined && typeof f.participant !== 'string')
      return wrong(`${at}.participant`, { en: 'a participant id', ru: 'идентификатор участника' }, f.participant);
  }
  return undefined;
}

/** What status reads of a probe protocol: whose it is, when it finished, whether it passed. */
export function protocolShape(value: unknown): Words | undefined {
  if (!isObject(value))
    return wrong(
      'the protocol',
      { en: 'an object (the JSON protocol of prichal probe --out)', ru: 'словарь (JSON-протокол prichal probe --out)' },
      value,
    );
  if (typeof value.participant !== 'string')
    return wrong('participant', { en: 'a participant id', ru: 'идентификатор участника' }, value.participant);
  if (!isTimestamp(value.finishedAt)) return wrong('finishedAt', TIMESTAMP, value.finishedAt);
  if (typeof value.passed !== 'boolean')
    return wrong('passed', { en: 'true or false', ru: 'true или false' }, value.passed);
  return undefined;
}

/** The probes folder: missing means no probes; something that is not a folder is a usage error. */
function probesFolder(dir: string): void {
  const info = statSync(dir, { throwIfNoEntry: false });
  if (info && !info.isDirectory())
    throw new UsageError({
      en: `--probes ${dir}: not a folder; give the folder of the protocols <contour>-<id>.json`,
      ru: `--probes ${dir}: это не каталог; укажите каталог протоколов <контур>-<id>.json`,
    });
}

export async function status(options: {
  inventory: string;
  participant?: string;
  probes?: string;
  report?: string;
  at?: string;
  lang?: Lang;
}): Promise<StatusResult> {
  const probes = options.probes ?? path.join('out', 'probes');
  const reportFile = options.report ?? path.join('out', 'reports', 'all.json');
  // A report that cannot be read stops the screen (naming the file), before any work: showing
  // "no findings" because the nightly report was unreadable would be the worst answer.
  const reportRead = readJson<CheckResult>(reportFile, reportShape);
  if ('problem' in reportRead)
    throw new UsageError({
      en: `${reportFile}: ${reportRead.problem.en}; run the nightly check (drift --all) again, or point --report elsewhere`,
      ru: `${reportFile}: ${reportRead.problem.ru}; запустите ночную проверку (drift --all) снова или укажите другой --report`,
    });
  const report = 'value' in reportRead ? reportRead.value : undefined;
  probesFolder(probes);
  const { result, lang, inventory } = await checks({
    kind: 'audit',
    inventory: options.inventory,
    ...(options.at ? { at: options.at } : {}),
    ...(options.lang ? { lang: options.lang } : {}),
  });
  const all = inventory.participants.map((p) => p.value);
  const valid = new Set(all.map((p) => p.id));
  const invalid: StatusResult['invalid'] = result.participants
    .filter((id) => !valid.has(id) && (!options.participant || id === options.participant))
    .map((id) => {
      const own = result.findings.filter((f) => f.participant === id);
      return { id, file: own.find((f) => f.file)?.file ?? '', findings: counted(own) };
    });
  if (options.participant && !valid.has(options.participant) && !invalid.length)
    throw new UsageError({
      en: `no participant '${options.participant}' in ${options.inventory}`,
      ru: `в ${options.inventory} нет участника '${options.participant}'`,
    });
  const districtOf = districtResolver(all);
  const unreadable: StatusResult['unreadable'] = [];
  // The inventory's own requirements, its validity included, are checked now; the report adds the live ones.
  const liveFindings = (report?.findings ?? []).filter(
    (f) => REQUIREMENTS[f.requirement]?.reads !== 'inventory' && REQUIREMENTS[f.requirement]?.reads !== 'every run',
  );

  const participants: ParticipantStatus[] = [];
  for (const p of all.filter((x) => !options.participant || x.id === options.participant)) {
    const sed = sedStage(p, result.at);
    const portal = {} as ParticipantStatus['portal'];
    const probe = {} as ParticipantStatus['probes'];
    for (const contour of CONTOURS) {
      const r = p.registrations?.[contour];
      const dateField = r
        ? contour === 'prod' && r.switchDate
          ? 'switchDate'
          : REGISTRATION_DATES.find((d) => r[d] !== undefined)
        : undefined;
      portal[contour] = r
        ? {
            status:
              contour === 'prod' && r.switchDate && daysBetween(result.at, r.switchDate) <= 0 ? 'production' : r.status,
            date: dateField ? (r[dateField] as string) : null,
          }
        : null;
      // A protocol that cannot be read is named on the screen for its participant; the others still show.
      const file = path.join(probes, `${contour}-${p.id}.json`);
      const protocol = readJson<ProbeProtocol>(file, protocolShape);
      if ('problem' in protocol) {
        unreadable.push({ file, reason: protocol.problem.en, reasonRu: protocol.problem.ru });
        probe[contour] = { unreadable: file };
      } else
        probe[contour] =
          'value' in protocol && protocol.value.participant === p.id
            ? { finishedAt: protocol.value.finishedAt, passed: protocol.value.passed }
            : null;
    }
    const findings = [
      ...result.findings.filter((f) => f.participant === p.id),
      ...liveFindings.filter((f) => f.participant === p.id),
    ];
    participants.push({
      id: p.id,
      name: p.name,
      district: districtOf(p),
      sed: {
        mode: p.sed.mode,
        ...(p.sed.system ? { system: p.sed.system } : {}),
        ...sed,
        connected: sed.stage !== null && sed.stage === SED_STAGES[p.sed.mode].at(-1)!.field,
      },
      portal,
      channel: p.channel ? p.channel.type : null,
      probes: probe,
      findings: counted(findings),
    });
  }
  const operator = inventory.operator?.value;
  return {
    at: result.at,
    lang,
    timeZone: operator?.timeZone ?? 'Asia/Yekaterinburg',
    liveReport: report ? { file: reportFile, generatedAt: report.generatedAt } : null,
    participants,
    unreadable,
    invalid,
  };
}
