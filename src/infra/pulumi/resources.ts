// Prichal's own resource types, served by the provider plugin `pulumi-resource-prichal`
// (provider.ts). Why a provider plugin and not dynamic resources: a dynamic resource stores its
// serialized provider in the state (11–18 KB each, with the checkout's absolute path in it), so
// a state written from one clone breaks in another; a plugin's resources store only their
// properties (about 1.5 KB) and load their code through ordinary imports.
//
// Resource model (one stack per contour), chosen from measurements (bench/engine-scale.bench.ts):
//   - EdgeFirewall: one per edge, owned by the test stack. An edge holds ONE nftables table that
//     carries both contours' flows and is replaced atomically as a whole; splitting it into
//     per-participant resources would turn one kernel transaction into many, and a failure
//     halfway would leave a mix. So a participant's flow change updates its edge's table as a
//     whole, and the diff (edgeFirewallChanges) names the participants whose elements change.
//   - BusRegistrations: the contour's registrations in BUS_SHARDS shards, each shard one resource
//     holding the registrations whose mnemonic hashes to it. Measured with one resource per
//     registration at 1,000 participants: first up 132 s against 27 s for the direct path
//     (4.9×; the engine's per-resource cost and a state checkpoint after every step), 24 MB of
//     state, 730 MiB; at 10,000 it would be 10,000+ resources — a preview of minutes. Shards
//     keep the resource count constant (33 in the test stack) while the diff still lists every
//     participant whose objects change, and an update touches only those participants' objects.
//     Why shards by a hash of the mnemonic, not by district or coordinating body: the mnemonic
//     is the bus objects' identity, so an object never moves between shards — a participant
//     moving to another district (or a district renamed) would otherwise be removed by one
//     shard's update while another shard creates it, in no defined order.
//   - `--participant ID` targets the shard holding it (and its edge when its flows change) with
//     `scope: ID`: the update applies that participant's changes only and records everyone
//     else's entries as they were, so their pending changes still show in the next preview.
// The pure change functions below are the one computation of "what changes": the provider's
// diff and update call them, and so does the CLI's preview report (from the engine's events).
//
// Credentials by reference: a resource records WHICH secret it uses (its name: the edge's
// `ssh.credentials`, the bus's `credentials`), never the secret. The provider reads the value
// from Prichal's secret store when it connects, exactly as the stateless commands do, so a copy
// of the state opens nothing and a rotated key is used at once (by refresh too). States written
// by earlier models (which copied the secrets in, among other shapes) are upgraded: upgrade.ts.
import * as pulumi from '@pulumi/pulumi';
import { shortHash } from '../../hash.js';
import { sortFlows, type Flow, type PlannedEdge, type PlannedRegistration } from '../../plan/index.js';
import { flowElement, plannedTable } from '../../render/index.js';
import type { Words } from '../../words.js';

export const EDGE_FIREWALL = 'prichal:index:EdgeFirewall';
export const BUS_REGISTRATIONS = 'prichal:index:BusRegistrations';

/** Shards per contour: constant, because a participant's shard must never change (see above). */
export const BUS_SHARDS = 32;

/** The shard of a registration: a hash of its mnemonic, as two digits ("00"…"31"). */
export function shardOf(mnemonic: string): string {
  return String(Number.parseInt(shortHash(mnemonic).slice(0, 8), 16) % BUS_SHARDS).padStart(2, '0');
}

/** One change a resource update makes, for a reviewer: who it concerns and what it does. */
export interface ResourceChange {
  participant?: string;
  /** In English: the JSON result, and the state's record of what refresh found. */
  message: string;
  /** In Russian, what the CLI prints in that language; a state written before it has none (the English is shown). */
  ru?: string;
}

/** A change worded in both languages, for a participant when it concerns one. */
export const change = (words: Words, participant?: string): ResourceChange => ({
  ...(participant ? { participant } : {}),
  message: words.en,
  ru: words.ru,
});

/**
 * What refresh found on a live system, as the change that corrects it: `en` and `ru` wrap the
 * difference's words (its Russian when it has one) — "on the host: …; the table is reloaded".
 */
export const correction = (d: ResourceChange, en: (found: string) => string, ru: (found: string) => string) =>
  change({ en: en(d.message), ru: ru(d.ru ?? d.message) }, d.participant);

/** What `read` found on the host, relative to the plan the state holds (empty: as planned). */
export interface LiveDifferences {
  differences: ResourceChange[];
}

export interface EdgeFirewallInputs {
  /** The edge, its SSH target with it: `edge.ssh.credentials` names the secret (the key is never in the state). */
  edge: PlannedEdge;
  /** A targeted run: only this participant's flows change; everyone else's stay as last applied. */
  scope?: string | null;
}
export type EdgeFirewallState = Omit<EdgeFirewallInputs, 'scope'> & Partial<LiveDifferences>;

/** One registration in a shard: the bus objects of one participant in the contour's vhost. */
export interface ShardEntry extends Pick<PlannedRegistration, 'participant' | 'mnemonic' | 'messageTypes'> {
  /** The test registration's status in the inventory: the promotion gate for prod. */
  testStatus: string | null;
}

export interface BusShardInputs {
  contour: 'test' | 'prod';
  shard: string;
  /** Sorted by mnemonic. */
  entries: ShardEntry[];
  /** The contour's bus, with the name of its administrator's secret ("user:password" in the store). */
  bus: BusEndpoint;
  /** Prod only: the test contour's bus, read by the promotion gate (it may be another host). */
  testBus: BusEndpoint | null;
  /** A targeted run: the only participant whose objects this update may change. */
  scope?: string | null;
}
export type BusShardState = Omit<BusShardInputs, 'scope'> & Partial<LiveDifferences>;

export interface BusEndpoint {
  url: string;
  vhost: string;
  /** The name of the secret holding the administrator's "user:password" (never the value). */
  credentials: string;
}

/**
 * The edge as the engine carries it (the EdgeFirewall's `edge` property): each flow one string,
 * "participant contour source destination port [endpoint]". Measured at 1,000 participants
 * (10,000 flows): as objects, the engine spent 7 s of a 17 s no-change preview on this one
 * resource; the cost grows with the number of property values, not their bytes.
 */
export type PackedEdge = Omit<PlannedEdge, 'ingress' | 'egress'> & { ingress: string[]; egress: string[] };

// No field holds whitespace: ids and endpoints are schema patterns, the rest addresses and numbers.
const packFlow = (f: Flow) =>
  [f.participant, f.contour, f.source, f.destination, f.port, ...(f.endpoint ? [f.endpoint] : [])].join(' ');

function unpackFlow(text: string): Flow {
  const [participant, contour, source, destination, port, endpoint] = text.split(' ');
  return {
    source: source!,
    destination: destination!,
    port: Number(port),
    participant: participant!,
    contour: contour as Flow['contour'],
    ...(endpoint ? { endpoint } : {}),
  };
}

export const packEdge = (edge: PlannedEdge): PackedEdge => ({
  ...edge,
  ingress: edge.ingress.map(packFlow),
  egress: edge.egress.map(packFlow),
});
export const unpackEdge = (edge: PackedEdge): PlannedEdge => ({
  ...edge,
  ingress: edge.ingress.map(unpackFlow),
  egress: edge.egress.map(unpackFlow),
});

/** Element → participant, from the plan's flows (both sets). */
export function elementOwners(edge: PlannedEdge): Map<string, string> {
  return new Map([...edge.ingress, ...edge.egress].map((f) => [flowElement(f), f.participant]));
}

function sshChanged(a: PlannedEdge['ssh'], b: PlannedEdge['ssh']): boolean {
  return a.host !== b.host || a.port !== b.port || a.user !== b.user || a.hostKey !== b.hostKey;
}

/** "edge e1: SSH target or pinned host key changes", of an edge or a gateway host. */
export const sshTargetChanges = (en: string, ru: string): Words => ({
  en: `${en}: SSH target or pinned host key changes`,
  ru: `${ru}: меняется адрес SSH или закреплённый ключ узла`,
});

/** "edge e1: SSH key now read from the secret 'b' (was 'a')", of an edge or a gateway host. */
export const sshKeyMoved = (en: string, ru: string, now: string, was: string): Words => ({
  en: `${en}: SSH key now read from the secret '${now}' (was '${was}')`,
  ru: `${ru}: ключ SSH теперь читается из секрета '${now}' (был '${was}')`,
});

/**
 * What an update of an edge's table changes: set elements added and removed by the plan (named
 * by participant; in a targeted run, the scoped participant's only), and whatever refresh found
 * edited by hand on the host.
 */
export function edgeFirewallChanges(olds: EdgeFirewallState, news: EdgeFirewallInputs): ResourceChange[] {
  const out: ResourceChange[] = [];
  if (sshChanged(olds.edge.ssh, news.edge.ssh))
    out.push(change(sshTargetChanges(`edge ${news.edge.id}`, `узел ${news.edge.id}`)));
  if (olds.edge.ssh.credentials !== news.edge.ssh.credentials)
    out.push(
      change(
        sshKeyMoved(
          `edge ${news.edge.id}`,
          `узел ${news.edge.id}`,
          news.edge.ssh.credentials,
          olds.edge.ssh.credentials,
        ),
      ),
    );
  const target = effectiveEdge(olds, news);
  const before = plannedTable(olds.edge);
  const after = plannedTable(target);
  const ownersBefore = elementOwners(olds.edge);
  const ownersAfter = elementOwners(target);
  for (const [name, set] of Object.entries(after.sets)) {
    const had = new Set(before.sets[name]?.elements ?? []);
    const has = new Set(set.elements);
    for (const e of set.elements)
      if (!had.has(e))
        out.push(change({ en: `set ${name}: add ${e}`, ru: `множество ${name}: добавить ${e}` }, ownersAfter.get(e)));
    for (const e of had)
      if (!has.has(e))
        out.push(
          change({ en: `set ${name}: remove ${e}`, ru: `множество ${name}: удалить ${e}` }, ownersBefore.get(e)),
        );
  }
  for (const d of olds.differences ?? [])
    out.push(
      correction(
        d,
        (found) => `on the host: ${found}; the table is reloaded from the plan`,
        (found) => `на узле: ${found}; таблица загружается заново по плану`,
      ),
    );
  return out;
}

/**
 * The edge an update applies: the plan's, or in a targeted run the state's last applied edge with
 * only the scoped participant's flows taken from the plan (the table is still replaced as a whole,
 * atomically, but no one else's flows change).
 */
export function effectiveEdge(olds: EdgeFirewallState | undefined, news: EdgeFirewallInputs): PlannedEdge {
  const scope = news.scope;
  if (!scope || !olds) return news.edge;
  const merge = (before: Flow[], after: Flow[]) =>
    sortFlows([...before.filter((f) => f.participant !== scope), ...after.filter((f) => f.participant === scope)]);
  const participants = new Set(olds.edge.participants.filter((p) => p !== scope));
  if (news.edge.participants.includes(scope)) participants.add(scope);
  return {
    ...news.edge,
    participants: [...participants].sort(),
    ingress: merge(olds.edge.ingress, news.edge.ingress),
    egress: merge(olds.edge.egress, news.edge.egress),
  };
}

/** A shard's entries are kept sorted by mnemonic. */
export const byMnemonic = (a: ShardEntry, b: ShardEntry) =>
  a.mnemonic < b.mnemonic ? -1 : a.mnemonic > b.mnemonic ? 1 : 0;

/** What a shard's update does: the registrations to ensure and to remove, and why, by participant. */
export interface ShardUpdate {
  ensure: ShardEntry[];
  remove: ShardEntry[];
  changes: ResourceChange[];
  /** The entries the shard holds afterwards (in a targeted run, everyone else's as they were). */
  entries: ShardEntry[];
  /** Live differences still pending afterwards (those of participants outside the scope). */
  differences: ResourceChange[];
}

/**
 * What a shard's update changes, registration by registration (keyed by mnemonic, the objects'
 * identity): new ones are created, gone ones removed, changed message types rebound, a changed
 * test status re-checked by the promotion gate, and whatever refresh found differing on the bus
 * corrected. `olds` undefined: the shard is being created.
 */
export function busShardUpdate(olds: BusShardState | undefined, news: BusShardInputs): ShardUpdate {
  const scope = news.scope ?? undefined;
  const inScope = (participant: string) => !scope || participant === scope;
  const before = new Map((olds?.entries ?? []).map((e) => [e.mnemonic, e]));
  const after = new Map(news.entries.map((e) => [e.mnemonic, e]));
  const busMoved = !!olds && olds.bus.url !== news.bus.url;
  let credentialsRenamed: ResourceChange | undefined;
  // The administrator's secret renamed: nothing changes on the bus, but the state must name the new secret.
  if (
    olds &&
    (olds.bus.credentials !== news.bus.credentials ||
      (olds.testBus?.credentials ?? null) !== (news.testBus?.credentials ?? null))
  ) {
    const was = [olds.bus.credentials, olds.testBus?.credentials].filter(Boolean).join(', ');
    const now = [news.bus.credentials, news.testBus?.credentials].filter(Boolean).join(', ');
    credentialsRenamed = change({
      en: `bus credentials now read from the secret${now.includes(',') ? 's' : ''} ${now} (was ${was})`,
      ru: `учётные данные шины теперь читаются из ${now.includes(',') ? 'секретов' : 'секрета'} ${now} (были ${was})`,
    });
  }
  const liveDiffs = new Map<string, ResourceChange[]>();
  for (const d of olds?.differences ?? [])
    if (d.participant) liveDiffs.set(d.participant, [...(liveDiffs.get(d.participant) ?? []), d]);
  const out: ShardUpdate = { ensure: [], remove: [], changes: [], entries: [], differences: [] };
  const kept = new Map(before);

  for (const entry of news.entries) {
    if (!inScope(entry.participant)) continue;
    const old = before.get(entry.mnemonic);
    const messages: Words[] = [];
    if (!old) messages.push({ en: `register ${entry.mnemonic}`, ru: `зарегистрировать ${entry.mnemonic}` });
    else {
      const had = new Set(old.messageTypes);
      const has = new Set(entry.messageTypes);
      for (const t of entry.messageTypes)
        if (!had.has(t)) messages.push({ en: `bind message type ${t}`, ru: `привязать вид сведений ${t}` });
      for (const t of old.messageTypes)
        if (!has.has(t)) messages.push({ en: `unbind message type ${t}`, ru: `отвязать вид сведений ${t}` });
      if ((old.testStatus ?? null) !== (entry.testStatus ?? null))
        messages.push({
          en: `test status ${old.testStatus ?? 'none'} → ${entry.testStatus ?? 'none'}`,
          ru: `статус тестовой регистрации ${old.testStatus ?? 'нет'} → ${entry.testStatus ?? 'нет'}`,
        });
      if (old.participant !== entry.participant)
        messages.push({
          en: `now held by ${entry.participant} (was ${old.participant})`,
          ru: `теперь принадлежит ${entry.participant} (был ${old.participant})`,
        });
      if (busMoved)
        messages.push({ en: `bus URL changes to ${news.bus.url}`, ru: `адрес шины меняется на ${news.bus.url}` });
      for (const d of liveDiffs.get(old.participant) ?? [])
        messages.push({
          en: `on the bus: ${d.message}; corrected to the plan`,
          ru: `в шине: ${d.ru ?? d.message}; исправляется по плану`,
        });
    }
    if (messages.length) out.ensure.push(entry);
    for (const words of messages) out.changes.push(change(words, entry.participant));
    kept.set(entry.mnemonic, entry);
  }
  for (const old of olds?.entries ?? []) {
    if (after.has(old.mnemonic) || !inScope(old.participant)) continue;
    out.remove.push(old);
    out.changes.push(
      change({ en: `remove registration ${old.mnemonic}`, ru: `удалить регистрацию ${old.mnemonic}` }, old.participant),
    );
    kept.delete(old.mnemonic);
  }
  if (credentialsRenamed) out.changes.push(credentialsRenamed);
  out.entries = [...kept.values()].sort(byMnemonic);
  out.differences = (olds?.differences ?? []).filter((d) => d.participant && !inScope(d.participant));
  return out;
}

/** A shard in another vhost is other objects: replaced (old ones removed first), not updated. */
export function busShardReplaces(olds: BusShardInputs, news: BusShardInputs): string[] {
  return olds.bus.vhost !== news.bus.vhost ? ['bus'] : [];
}

export class EdgeFirewall extends pulumi.CustomResource {
  declare readonly differences: pulumi.Output<ResourceChange[]>;

  constructor(name: string, args: { edge: PlannedEdge; scope?: string }, opts?: pulumi.CustomResourceOptions) {
    super(EDGE_FIREWALL, name, { edge: packEdge(args.edge), scope: args.scope ?? null, differences: undefined }, opts);
  }
}

export class BusRegistrations extends pulumi.CustomResource {
  declare readonly differences: pulumi.Output<ResourceChange[]>;

  constructor(name: string, args: BusShardInputs, opts?: pulumi.CustomResourceOptions) {
    super(BUS_REGISTRATIONS, name, { ...args, differences: undefined }, opts);
  }
}
