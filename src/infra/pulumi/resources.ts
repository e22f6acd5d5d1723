// Prichal's own resource types, served by the provider plugin `pulumi-resource-prichal`
// (provider.ts). Why a provider plugin and not dynamic resources: a dynamic resource stores its
// serialized provider in the state (11–18 KB each, with the checkout's absolute path in it), so
// a state written from one clone breaks in another; a plugin's resources store only their
// properties (about 1.5 KB) and load their code through ordinary imports.
//
// Resource model (one stack per contour):
//   - EdgeFirewall: one per edge, owned by the test stack. An edge holds ONE nftables table that
//     carries both contours' flows and is replaced atomically as a whole; splitting it into
//     per-participant resources would turn one kernel transaction into many, and a failure
//     halfway would leave a mix. So a participant's flow change updates its edge's table as a
//     whole, and the diff (edgeFirewallChanges) names the participants whose elements change.
//   - BusRegistration: one per registered participant per contour (user, queue, bindings,
//     permission in the contour's vhost) — independent objects, so `--participant` targets them
//     alone.
// The pure change functions below are the one computation of "what changes": the provider's
// diff calls them, and so does the CLI's preview report (from the engine's events).
import * as pulumi from '@pulumi/pulumi';
import type { PlannedEdge, PlannedRegistration } from '../../plan/index.js';
import { flowElement, plannedTable } from '../../render/index.js';

export const EDGE_FIREWALL = 'prichal:index:EdgeFirewall';
export const BUS_REGISTRATION = 'prichal:index:BusRegistration';

/** One change a resource update makes, for a reviewer: who it concerns and what it does. */
export interface ResourceChange {
  participant?: string;
  message: string;
}

/** What `read` found on the host, relative to the plan the state holds (empty: as planned). */
export interface LiveDifferences {
  differences: ResourceChange[];
}

export interface EdgeFirewallInputs {
  edge: PlannedEdge;
  /** SSH private key of the edge's credentials: a Pulumi secret, never in the state in plaintext. */
  privateKey: string;
}
export type EdgeFirewallState = EdgeFirewallInputs & Partial<LiveDifferences>;

export interface BusRegistrationInputs {
  contour: 'test' | 'prod';
  registration: Pick<PlannedRegistration, 'participant' | 'mnemonic' | 'messageTypes'>;
  /** The test registration's status in the inventory: the promotion gate for prod. */
  testStatus: string | null;
  bus: BusEndpoint;
  /** "user:password" of the contour's bus administrator: a Pulumi secret. */
  credentials: string;
  /** Prod only: the test contour's bus, read by the promotion gate (it may be another host). */
  testBus: (BusEndpoint & { credentials: string }) | null;
}

export interface BusEndpoint {
  url: string;
  vhost: string;
}
export type BusRegistrationState = BusRegistrationInputs & Partial<LiveDifferences>;

/** Element → participant, from the plan's flows (both sets). */
export function elementOwners(edge: PlannedEdge): Map<string, string> {
  return new Map([...edge.ingress, ...edge.egress].map((f) => [flowElement(f), f.participant]));
}

function sshChanged(a: PlannedEdge['ssh'], b: PlannedEdge['ssh']): boolean {
  return a.host !== b.host || a.port !== b.port || a.user !== b.user || a.hostKey !== b.hostKey;
}

/**
 * What an update of an edge's table changes: set elements added and removed by the plan (named
 * by participant), and whatever refresh found edited by hand on the host.
 */
export function edgeFirewallChanges(olds: EdgeFirewallState, news: EdgeFirewallInputs): ResourceChange[] {
  const out: ResourceChange[] = [];
  if (sshChanged(olds.edge.ssh, news.edge.ssh)) out.push({ message: `edge ${news.edge.id}: SSH target or pinned host key changes` });
  const before = plannedTable(olds.edge);
  const after = plannedTable(news.edge);
  const ownersBefore = elementOwners(olds.edge);
  const ownersAfter = elementOwners(news.edge);
  for (const [name, set] of Object.entries(after.sets)) {
    const had = new Set(before.sets[name]?.elements ?? []);
    const has = new Set(set.elements);
    for (const e of set.elements) if (!had.has(e)) out.push({ participant: ownersAfter.get(e)!, message: `set ${name}: add ${e}` });
    for (const e of had) if (!has.has(e)) out.push({ participant: ownersBefore.get(e)!, message: `set ${name}: remove ${e}` });
  }
  for (const d of olds.differences ?? []) out.push({ ...d, message: `on the host: ${d.message}; the table is reloaded from the plan` });
  return out;
}

/** What an update of a bus registration changes: message types, and what refresh found on the bus. */
export function busRegistrationChanges(olds: BusRegistrationState, news: BusRegistrationInputs): ResourceChange[] {
  const participant = news.registration.participant;
  const out: ResourceChange[] = [];
  const had = new Set(olds.registration.messageTypes);
  const has = new Set(news.registration.messageTypes);
  for (const t of has) if (!had.has(t)) out.push({ participant, message: `bind message type ${t}` });
  for (const t of had) if (!has.has(t)) out.push({ participant, message: `unbind message type ${t}` });
  if (olds.bus.url !== news.bus.url) out.push({ participant, message: `bus URL changes to ${news.bus.url}` });
  if ((olds.testStatus ?? null) !== (news.testStatus ?? null)) out.push({ participant, message: `test status ${olds.testStatus ?? 'none'} → ${news.testStatus ?? 'none'}` });
  for (const d of olds.differences ?? []) out.push({ participant, message: `on the bus: ${d.message}; corrected to the plan` });
  return out;
}

/** A registration that names another user or vhost is another object: replaced, not updated. */
export function busRegistrationReplaces(olds: BusRegistrationInputs, news: BusRegistrationInputs): string[] {
  return olds.registration.mnemonic !== news.registration.mnemonic || olds.bus.vhost !== news.bus.vhost ? ['registration'] : [];
}

export class EdgeFirewall extends pulumi.CustomResource {
  declare readonly differences: pulumi.Output<ResourceChange[]>;

  constructor(name: string, args: { edge: PlannedEdge; privateKey: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
    super(EDGE_FIREWALL, name, { edge: args.edge, privateKey: pulumi.secret(args.privateKey), differences: undefined }, { ...opts, additionalSecretOutputs: ['privateKey'] });
  }
}

export class BusRegistration extends pulumi.CustomResource {
  declare readonly differences: pulumi.Output<ResourceChange[]>;

  constructor(
    name: string,
    args: Omit<BusRegistrationInputs, 'credentials' | 'testBus'> & { credentials: pulumi.Input<string>; testBus: (BusEndpoint & { credentials: pulumi.Input<string> }) | null },
    opts?: pulumi.CustomResourceOptions,
  ) {
    const testBus = args.testBus ? { ...args.testBus, credentials: pulumi.secret(args.testBus.credentials) } : null;
    super(BUS_REGISTRATION, name, { ...args, credentials: pulumi.secret(args.credentials), testBus, differences: undefined }, { ...opts, additionalSecretOutputs: ['credentials'] });
  }
}
