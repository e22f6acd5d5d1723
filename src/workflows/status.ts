// prichal status: where each participant stands, on one screen — its СЭД stage, its portal/bus
// stage per contour, its channel, its last connectivity probe and its open findings (the
// inventory requirements now; the live ones from the last nightly report, dated). Reads files
// only: no live system is contacted, so it answers in a second from anywhere.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { districtResolver } from '../docs/coverage.js';
import type { CheckResult } from '../drift/model.js';
import { CONTOURS, daysBetween, type ContourName } from '../inventory/index.js';
import type { Participant } from '../inventory/types.generated.js';
import type { ProbeProtocol } from '../infra/probe.js';
import { REQUIREMENTS, SED_STAGES } from '../requirements/index.js';
import { checks } from './checks.js';
import { UsageError } from './errors.js';
import type { Lang } from '../report/index.js';

export interface ParticipantStatus {
  id: string;
  name: string;
  district: string;
  sed: { mode: Participant['sed']['mode']; system?: string; stage: string | null; date: string | null; connected: boolean };
  portal: Record<ContourName, { status: string; date: string | null } | null>;
  channel: string | null;
  probes: Record<ContourName, { finishedAt: string; passed: boolean } | null>;
  findings: { errors: number; warnings: number; requirements: string[] };
}

export interface StatusResult {
  at: string;
  lang: Lang;
  timeZone: string;
  /** The nightly report whose live findings are included, and when it ran. */
  liveReport: { file: string; generatedAt: string } | null;
  participants: ParticipantStatus[];
}

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

/**
 * A recorded probe or report, or undefined when there is none. One that cannot be read is an
 * error naming the file: a screen showing "no findings" because the nightly report was
 * unreadable would be the worst answer.
 */
async function readJson<T>(file: string): Promise<T | undefined> {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    throw new UsageError({ en: `${file}: cannot be read as JSON (${(error as Error).message}); run it again, or point --probes/--report elsewhere`, ru: `${file}: не читается как JSON (${(error as Error).message}); запустите проверку снова или укажите другой --probes/--report` });
  }
}

export async function status(options: { inventory: string; participant?: string; probes?: string; report?: string; at?: string; lang?: Lang }): Promise<StatusResult> {
  const { result, lang, inventory } = await checks({ kind: 'audit', inventory: options.inventory, ...(options.at ? { at: options.at } : {}), ...(options.lang ? { lang: options.lang } : {}) });
  const all = inventory.participants.map((p) => p.value);
  if (options.participant && !all.some((p) => p.id === options.participant)) throw new UsageError({ en: `no participant '${options.participant}' in ${options.inventory}`, ru: `в ${options.inventory} нет участника '${options.participant}'` });
  const districtOf = districtResolver(all);
  const probes = options.probes ?? path.join('out', 'probes');
  const reportFile = options.report ?? path.join('out', 'reports', 'all.json');
  const report = await readJson<CheckResult>(reportFile);
  const liveFindings = (report?.findings ?? []).filter((f) => REQUIREMENTS[f.requirement]?.reads !== 'inventory');

  const participants: ParticipantStatus[] = [];
  for (const p of all.filter((x) => !options.participant || x.id === options.participant)) {
    const sed = sedStage(p, result.at);
    const portal = {} as ParticipantStatus['portal'];
    const probe = {} as ParticipantStatus['probes'];
    for (const contour of CONTOURS) {
      const r = p.registrations?.[contour];
      const dateField = r ? (contour === 'prod' && r.switchDate ? 'switchDate' : REGISTRATION_DATES.find((d) => r[d] !== undefined)) : undefined;
      portal[contour] = r ? { status: contour === 'prod' && r.switchDate && daysBetween(result.at, r.switchDate) <= 0 ? 'production' : r.status, date: dateField ? (r[dateField] as string) : null } : null;
      const protocol = await readJson<ProbeProtocol>(path.join(probes, `${contour}-${p.id}.json`));
      probe[contour] = protocol && protocol.participant === p.id ? { finishedAt: protocol.finishedAt, passed: protocol.passed } : null;
    }
    const findings = [...result.findings.filter((f) => f.participant === p.id), ...liveFindings.filter((f) => f.participant === p.id)];
    participants.push({
      id: p.id,
      name: p.name,
      district: districtOf(p),
      sed: { mode: p.sed.mode, ...(p.sed.system ? { system: p.sed.system } : {}), ...sed, connected: sed.stage !== null && sed.stage === SED_STAGES[p.sed.mode].at(-1)!.field },
      portal,
      channel: p.channel ? p.channel.type : null,
      probes: probe,
      findings: { errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length, requirements: [...new Set(findings.map((f) => f.requirement))].sort() },
    });
  }
  const operator = inventory.operator?.value;
  return { at: result.at, lang, timeZone: operator?.timeZone ?? 'Asia/Yekaterinburg', liveReport: report ? { file: reportFile, generatedAt: report.generatedAt } : null, participants };
}
