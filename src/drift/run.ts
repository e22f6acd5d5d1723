// Runs audit and drift into one CheckResult: reads every live source of the table
// concurrently (bounded), runs each source's check, evaluates the catalogue, applies waivers,
// and never reports what it could not read as compliant.
import {
  LIVE_COLLECTORS,
  readSources,
  readsOf,
  SOURCES,
  type Collectors,
  type GatewayOptions,
  type LiveSource,
} from '../collect/index.js';
import { participantOfFile, type Finding, type Inventory, type OperatorFile } from '../inventory/index.js';
import type { Plan } from '../plan/index.js';
import type { Progress } from '../progress.js';
import { auditInventory } from './audit.js';
import { inventoryFindings } from './inventory.js';
import {
  RESULT_VERSION,
  sortRequirementFindings,
  type CheckResult,
  type RequirementFinding,
  type Unchecked,
} from './model.js';
import {
  INVENTORY_REQUIREMENTS,
  INVENTORY_VALIDITY,
  LIVE_REQUIREMENTS,
  type RequirementId,
} from '../requirements/index.js';

export { LIVE_COLLECTORS, type Collectors };

/** Appends a list of any length (a spread of tens of thousands of findings overflows the call stack). */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** Wall time of each phase of a run, in milliseconds (filled in when asked for). */
export interface CheckTimings {
  auditMs?: number;
  collectMs?: number;
  evaluateMs?: number;
}

export interface DriftOptions {
  /** Image and network of each contour's gateways (operator.yaml `gateways`); without them GW-1 is not checked. */
  gateways: GatewayOptions | undefined;
  concurrency?: number;
  progress?: (done: number, total: number, what: string) => void;
  /** Reads replaced by recorded or offline ones (benchmarks, tests). */
  collectors?: Collectors;
  /** The live sources to read and check; all of them unless given. */
  sources?: readonly LiveSource[];
  timings?: CheckTimings;
}

export async function collectAndCheck(
  plan: Plan,
  operator: OperatorFile,
  options: DriftOptions,
): Promise<{ findings: RequirementFinding[]; unchecked: Unchecked[]; reads: NonNullable<CheckResult['reads']> }> {
  const findings: RequirementFinding[] = [];
  const unchecked: Unchecked[] = [];
  const context = { plan, operator, gateways: options.gateways };
  const collectStart = performance.now();
  const read = await readSources(options.sources ?? SOURCES, context, {
    ...(options.collectors ? { collectors: options.collectors } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  });
  const evaluateStart = performance.now();
  const recorded: Record<string, unknown> = {};
  const sources: NonNullable<CheckResult['reads']>['sources'] = {};
  for (const { source, readings } of read.sources) {
    // A source that informs no requirement leaves nothing unchecked: its reads say what it could not read.
    if (source.informs.length)
      for (const r of readings)
        if (!r.ok) unchecked.push({ subject: r.subject.name, requirements: [...source.informs], reason: r.error });
    const checked = source.check(readings, context);
    append(findings, checked.findings);
    append(unchecked, checked.unchecked ?? []);
    Object.assign(recorded, source.record?.(readings));
    sources[source.name] = readsOf(readings);
  }
  if (options.timings)
    Object.assign(options.timings, {
      collectMs: evaluateStart - collectStart,
      evaluateMs: performance.now() - evaluateStart,
    });
  // The counts every result has, whichever sources ran; each source records its own over them.
  const reads = { sshCommandsPerEdge: read.sshCommandsPerEdge, dockerCalls: 0, busRequests: {}, ...recorded, sources };
  return { findings, unchecked: bySubject(unchecked), reads: reads as NonNullable<CheckResult['reads']> };
}

/**
 * One entry per subject: sources sharing a read (an edge's ruleset and routes come in one SSH
 * command) fail together, and an edge is one subject not checked, with every requirement it informs.
 */
function bySubject(unchecked: readonly Unchecked[]): Unchecked[] {
  const out = new Map<string, Unchecked>();
  for (const u of unchecked) {
    const seen = out.get(u.subject);
    if (!seen) {
      out.set(u.subject, { ...u, requirements: [...u.requirements] });
      continue;
    }
    for (const r of u.requirements) if (!seen.requirements.includes(r)) seen.requirements.push(r);
    if (!seen.reason.includes(u.reason)) seen.reason = `${seen.reason}; ${u.reason}`;
  }
  return [...out.values()];
}

/** Moves findings covered by a current waiver into `waived`; an expired waiver waives nothing. */
export function applyWaivers(
  inventory: Inventory,
  at: string,
  findings: RequirementFinding[],
): { findings: RequirementFinding[]; waived: RequirementFinding[] } {
  const waivers = new Map(inventory.participants.map((p) => [p.value.id, p.value.waivers ?? []]));
  const kept: RequirementFinding[] = [];
  const waived: RequirementFinding[] = [];
  for (const f of findings) {
    const waiver = f.participant
      ? waivers.get(f.participant)?.find((w) => w.requirement === f.requirement && w.expires >= at)
      : undefined;
    if (waiver) waived.push({ ...f, waiver: { reason: waiver.reason, owner: waiver.owner, expires: waiver.expires } });
    else kept.push(f);
  }
  return { findings: kept, waived };
}

/**
 * The participants a run covers: every valid one, and every one whose file failed to read, parse
 * or pass its schema — reported failing (its validity findings), never missing from the list.
 */
function covered(inventory: Inventory, findings: readonly RequirementFinding[]): string[] {
  const ids = new Set(inventory.participants.map((p) => p.value.id));
  for (const f of findings) if (f.requirement === INVENTORY_VALIDITY && f.participant) ids.add(f.participant);
  return [...ids].sort();
}

export interface RunOptions {
  kind: CheckResult['kind'];
  at: string;
  inventory: Inventory;
  plan: Plan;
  /** The inventory's validation findings (reported as INV-1 in every run). */
  validation: readonly Finding[];
  drift?: DriftOptions;
  /** Told the participants audited so far. */
  progress?: Progress;
}

export async function runChecks(options: RunOptions): Promise<CheckResult> {
  const { inventory, plan, at, kind } = options;
  const operator = inventory.operator!.value;
  let findings: RequirementFinding[] = [];
  let unchecked: Unchecked[] = [];
  let reads: CheckResult['reads'];
  const requirements = new Set<RequirementId>([INVENTORY_VALIDITY]);
  append(findings, inventoryFindings(options.validation, participantOfFile(inventory)));
  if (kind !== 'drift') {
    const auditStart = performance.now();
    append(findings, auditInventory(inventory, at, undefined, options.progress));
    if (options.drift?.timings) options.drift.timings.auditMs = performance.now() - auditStart;
    INVENTORY_REQUIREMENTS.forEach((r) => requirements.add(r));
  }
  if (kind !== 'audit') {
    if (!options.drift) throw new Error('drift needs the gateway image and networks');
    const live = await collectAndCheck(plan, operator, options.drift);
    append(findings, live.findings);
    unchecked = live.unchecked;
    reads = live.reads;
    LIVE_REQUIREMENTS.forEach((r) => requirements.add(r));
  }
  const split = applyWaivers(inventory, at, findings);
  findings = split.findings;
  return {
    version: RESULT_VERSION,
    kind,
    generatedAt: new Date().toISOString(),
    at,
    participants: covered(inventory, findings),
    requirements: [...requirements].sort(),
    findings: sortRequirementFindings(findings),
    waived: sortRequirementFindings(split.waived),
    unchecked,
    ...(reads ? { reads } : {}),
  };
}
