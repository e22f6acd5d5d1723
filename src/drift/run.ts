// Runs audit and drift into one CheckResult: collects live state concurrently (bounded),
// evaluates the catalogue, applies waivers, and never reports what it could not read as compliant.
import { collectBus, collectEdges, collectGateways } from '../collect/index.js';
import { CONTOURS, type Finding, type Inventory, type OperatorFile } from '../inventory/index.js';
import type { Plan } from '../plan/index.js';
import { gatewaySpec, type GatewaySpec } from '../render/index.js';
import { auditInventory } from './audit.js';
import { inventoryFindings } from './inventory.js';
import { checkBus, checkEdge, checkGateways, ownerIndex } from './live.js';
import {
  RESULT_VERSION,
  sortRequirementFindings,
  type CheckResult,
  type RequirementFinding,
  type Unchecked,
} from './model.js';
import { INVENTORY_REQUIREMENTS, LIVE_REQUIREMENTS, type RequirementId } from '../requirements/index.js';

/** Where live state comes from: the real collectors, or (benchmarks) a recorded snapshot of their output. */
export interface Collectors {
  edges: typeof collectEdges;
  gateways: typeof collectGateways;
  bus: typeof collectBus;
}

/** Appends a list of any length (a spread of tens of thousands of findings overflows the call stack). */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

export const LIVE_COLLECTORS: Collectors = { edges: collectEdges, gateways: collectGateways, bus: collectBus };

/** Wall time of each phase of a run, in milliseconds (filled in when asked for). */
export interface CheckTimings {
  auditMs?: number;
  collectMs?: number;
  evaluateMs?: number;
}

export interface DriftOptions {
  /** Image and network of each contour's gateways (operator.yaml `gateways`); without them GW-1 is not checked. */
  gateways: { image: string; network: Record<'test' | 'prod', string> } | undefined;
  concurrency?: number;
  progress?: (done: number, total: number, what: string) => void;
  collectors?: Collectors;
  timings?: CheckTimings;
}

export function expectedGateways(plan: Plan, options: NonNullable<DriftOptions['gateways']>): GatewaySpec[] {
  return CONTOURS.flatMap((c) =>
    plan.contours[c].registrations.map((r) => gatewaySpec(r, c, { image: options.image, network: options.network[c] })),
  );
}

export async function collectAndCheck(
  plan: Plan,
  operator: OperatorFile,
  options: DriftOptions,
): Promise<{ findings: RequirementFinding[]; unchecked: Unchecked[]; reads: NonNullable<CheckResult['reads']> }> {
  const findings: RequirementFinding[] = [];
  const unchecked: Unchecked[] = [];
  const total = plan.edges.length + 1 + CONTOURS.length;
  let done = 0;
  const tick = (what: string) => options.progress?.(++done, total, what);
  const collect = options.collectors ?? LIVE_COLLECTORS;
  const collectStart = performance.now();
  const [edges, gateways, ...buses] = await Promise.all([
    collect.edges(plan.edges, { concurrency: options.concurrency ?? 8, onDone: () => tick('edge') }),
    collect.gateways().finally(() => tick('docker')),
    ...CONTOURS.map((c) => collect.bus(operator, c).finally(() => tick(`bus ${c}`))),
  ]);
  const evaluateStart = performance.now();
  const ownerOf = ownerIndex(plan);
  const reads: NonNullable<CheckResult['reads']> = { sshCommandsPerEdge: {}, dockerCalls: 0, busRequests: {} };
  for (const [i, e] of edges.entries()) {
    const edge = plan.edges[i]!;
    if (!e.ok) {
      unchecked.push({ subject: edge.id, requirements: ['FW-1', 'FW-2', 'FW-3'], reason: e.error });
      continue;
    }
    reads.sshCommandsPerEdge[edge.id] = e.value.sshCommands;
    append(findings, checkEdge(edge, e.value, ownerOf));
  }
  if (!options.gateways)
    unchecked.push({
      subject: 'docker',
      requirements: ['GW-1'],
      reason:
        'operator.yaml declares no gateways (image and network per contour), so there is nothing to compare the containers with',
    });
  else if (gateways.ok) {
    reads.dockerCalls = gateways.value.dockerCalls;
    append(findings, checkGateways(expectedGateways(plan, options.gateways), gateways.value.containers));
  } else unchecked.push({ subject: 'docker', requirements: ['GW-1'], reason: gateways.error });
  const test = buses[0];
  for (const [i, contour] of CONTOURS.entries()) {
    const state = buses[i]!;
    if (!state.ok) {
      unchecked.push({
        subject: `bus ${operator.contours[contour].bus.vhost}`,
        requirements: ['BUS-1', 'BUS-2'],
        reason: state.error,
      });
      continue;
    }
    reads.busRequests[contour] = state.value.requests;
    append(findings, checkBus(plan, contour, state.value, contour === 'prod' && test?.ok ? test.value : undefined));
  }
  if (options.timings)
    Object.assign(options.timings, {
      collectMs: evaluateStart - collectStart,
      evaluateMs: performance.now() - evaluateStart,
    });
  return { findings, unchecked, reads };
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

export interface RunOptions {
  kind: CheckResult['kind'];
  at: string;
  inventory: Inventory;
  plan: Plan;
  /** The inventory's validation findings (reported as INV-1 in every run). */
  validation: readonly Finding[];
  drift?: DriftOptions;
}

export async function runChecks(options: RunOptions): Promise<CheckResult> {
  const { inventory, plan, at, kind } = options;
  const operator = inventory.operator!.value;
  let findings: RequirementFinding[] = [];
  let unchecked: Unchecked[] = [];
  let reads: CheckResult['reads'];
  const requirements = new Set<RequirementId>(['INV-1']);
  append(findings, inventoryFindings(options.validation));
  if (kind !== 'drift') {
    const auditStart = performance.now();
    append(findings, auditInventory(inventory, at));
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
    participants: inventory.participants.map((p) => p.value.id).sort(),
    requirements: [...requirements].sort(),
    findings: sortRequirementFindings(findings),
    waived: sortRequirementFindings(split.waived),
    unchecked,
    ...(reads ? { reads } : {}),
  };
}
