// The provider behind Prichal's resource types (resources.ts), served to the engine by
// `pulumi-resource-prichal` (provider-main.ts). Each method is a thin adapter over the same
// infra functions the stateless commands use (`firewall apply`, `bus ensure`):
//   create  — applies; tolerates objects that already exist (the apply converges, it never
//             assumes a blank host), so a re-run after an interrupted update ends converged;
//   read    — reads the live object and records how it differs from the plan (refresh shows a
//             hand edit as an update, and the next up undoes it); an object that is gone
//             returns no id, so refresh drops it and up creates it again;
//   diff    — the pure change functions of resources.ts;
//   delete  — removes exactly Prichal's object and is idempotent.
// Secrets arrive wrapped (the engine marks them); they are unwrapped only to open a connection
// and returned wrapped, so the state keeps them encrypted.
import type * as pulumi from '@pulumi/pulumi';
import type * as provider from '@pulumi/pulumi/provider/index.js';
import { mapBounded } from '../../concurrency.js';
import { BusClient, assertPromotable, registrationDifferences } from '../bus.js';
import { withEdge } from '../edges.js';
import { applyEdgeFirewall, readTable, removeEdgeFirewall } from '../firewall.js';
import { compareTables, plannedTable } from '../../render/index.js';
import {
  BUS_REGISTRATIONS,
  EDGE_FIREWALL,
  busShardReplaces,
  busShardUpdate,
  edgeFirewallChanges,
  effectiveEdge,
  elementOwners,
  packEdge,
  unpackEdge,
  type PackedEdge,
  type BusEndpoint,
  type BusShardInputs,
  type BusShardState,
  type EdgeFirewallInputs,
  type EdgeFirewallState,
  type ResourceChange,
  type ShardEntry,
} from './resources.js';

/** Registrations of one shard applied or read at once: the bus sees at most shards × this. */
const SHARD_CONCURRENCY = 4;

/** The engine's marker of a secret value (`specialSigKey` / `secretSig` of the SDK's rpc module). */
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

type Wrapped<T> = T | { [SIG_KEY]: string; value: T };

function reveal<T>(value: Wrapped<T>): T {
  return value !== null && typeof value === 'object' && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG ? (value as { value: T }).value : (value as T);
}

function secret<T>(value: Wrapped<T>): Wrapped<T> {
  return { [SIG_KEY]: SECRET_SIG, value: reveal(value) };
}

/** The type token is the last-but-one segment of a URN: urn:pulumi:<stack>::<project>::<type>::<name>. */
function typeOf(urn: string): string {
  const parts = urn.split('::');
  const type = parts[parts.length - 2] ?? '';
  if (type !== EDGE_FIREWALL && type !== BUS_REGISTRATIONS) throw new Error(`prichal provider: unknown resource type '${type}'`);
  return type;
}

// ---- edge firewall -------------------------------------------------------------------------

/** The engine's properties carry the edge packed (resources.ts): unpacked on the way in, packed on the way out. */
type Wire<T extends { edge: unknown }> = Omit<T, 'edge'> & { edge: PackedEdge };
const fromWire = <T extends { edge: unknown }>(props: Wire<T>) => ({ ...props, edge: unpackEdge(props.edge) }) as unknown as T;
const toWire = (state: EdgeFirewallState): Wire<EdgeFirewallState> => ({ ...state, edge: packEdge(state.edge) });

/**
 * Creates or updates an edge's table through the same apply as `firewall apply`: a delta when the
 * host's record allows; a full replace when refresh recorded hand edits (a delta would keep them).
 */
async function applyEdge(olds: EdgeFirewallState | undefined, inputs: EdgeFirewallInputs): Promise<Wire<EdgeFirewallState>> {
  const edge = effectiveEdge(olds, inputs);
  const full = (olds?.differences ?? []).length > 0;
  await withEdge(edge, (conn) => applyEdgeFirewall(conn, edge, { full }), {}, reveal(inputs.privateKey));
  return toWire({ edge, privateKey: secret(inputs.privateKey) as string, differences: [] });
}

async function readEdge(props: EdgeFirewallState): Promise<Wire<EdgeFirewallState> | undefined> {
  const live = await withEdge(props.edge, readTable, {}, reveal(props.privateKey));
  if (!live) return undefined;
  const owners = elementOwners(props.edge);
  const differences: ResourceChange[] = compareTables(plannedTable(props.edge), live).map((d) => {
    const participant = d.element ? owners.get(d.element) : undefined;
    return { ...(participant ? { participant } : {}), message: d.message };
  });
  return toWire({ ...props, privateKey: secret(props.privateKey) as string, differences });
}

// ---- bus registrations, one shard ----------------------------------------------------------

function busClient(bus: BusEndpoint, wrappedCredentials: Wrapped<string>): BusClient {
  const credentials = reveal(wrappedCredentials);
  const colon = credentials.indexOf(':');
  if (colon <= 0) throw new Error(`bus credentials for ${bus.vhost} must have the form user:password`);
  return new BusClient({ url: bus.url, vhost: bus.vhost, username: credentials.slice(0, colon), password: credentials.slice(colon + 1) });
}

function withSecrets<T extends Omit<BusShardInputs, 'scope'>>(inputs: T): T {
  return { ...inputs, credentials: secret(inputs.credentials) as string, testBus: inputs.testBus ? { ...inputs.testBus, credentials: secret(inputs.testBus.credentials) as string } : null };
}

/** The shard as the state keeps it: the inputs without the run's scope. */
function stateOf(inputs: BusShardInputs, entries: ShardEntry[], differences: ResourceChange[]): BusShardState {
  const { scope: _scope, ...rest } = inputs;
  return { ...withSecrets(rest), entries, differences };
}

/**
 * Applies a shard's update: exactly the registrations busShardUpdate names (each through the
 * same ensure/remove the stateless `bus` command uses; ensure tolerates existing objects), the
 * promotion gate checked for every prod registration it touches.
 */
async function applyShard(olds: BusShardState | undefined, inputs: BusShardInputs): Promise<BusShardState> {
  const update = busShardUpdate(olds, inputs);
  const client = busClient(inputs.bus, inputs.credentials);
  const testClient = inputs.testBus ? busClient(inputs.testBus, inputs.testBus.credentials) : undefined;
  if (inputs.contour === 'prod' && !testClient && update.ensure.length) throw new Error(`prod registrations of shard ${inputs.shard} without the test bus to check them against`);
  await mapBounded(update.ensure, SHARD_CONCURRENCY, async (entry) => {
    if (testClient) assertPromotable(inputs.contour, entry.mnemonic, entry.testStatus ?? undefined, await testClient.readRegistration(entry.mnemonic));
    await client.ensure(entry, await client.readRegistration(entry.mnemonic));
  });
  await mapBounded(update.remove, SHARD_CONCURRENCY, (entry) => client.remove(entry.mnemonic));
  return stateOf(inputs, update.entries, update.differences);
}

/** Reads a shard's registrations; what differs from the plan is recorded by participant. Gone entirely: undefined. */
async function readShard(props: BusShardState): Promise<BusShardState | undefined> {
  const client = busClient(props.bus, props.credentials);
  let gone = 0;
  const found = await mapBounded(props.entries, SHARD_CONCURRENCY, async (entry) => {
    const state = await client.readRegistration(entry.mnemonic);
    const differences = registrationDifferences(entry, state);
    if (differences.some((d) => d.kind === 'user') && differences.some((d) => d.kind === 'queue') && !state.permissions.some((p) => p.user === entry.mnemonic)) gone++;
    return differences.map((d) => ({ participant: entry.participant, message: d.message }));
  });
  // Nothing of any of its registrations left: the shard is gone (refresh drops it; up creates it again).
  if (props.entries.length > 0 && gone === props.entries.length) return undefined;
  return { ...withSecrets(props), differences: found.flat() };
}

// ---- the provider --------------------------------------------------------------------------

export function prichalProvider(version: string): provider.Provider {
  return {
    version,
    async diff(_id: pulumi.ID, urn: pulumi.URN, olds: Wire<EdgeFirewallState> | BusShardState, news: Wire<EdgeFirewallInputs> | BusShardInputs) {
      if (typeOf(urn) === EDGE_FIREWALL) {
        const changes = edgeFirewallChanges(fromWire(olds as Wire<EdgeFirewallState>), fromWire(news as Wire<EdgeFirewallInputs>));
        const keyChanged = reveal((olds as Wire<EdgeFirewallState>).privateKey) !== reveal((news as Wire<EdgeFirewallInputs>).privateKey);
        return { changes: changes.length > 0 || keyChanged };
      }
      const replaces = busShardReplaces(olds as BusShardState, news as BusShardInputs);
      const changes = busShardUpdate(olds as BusShardState, news as BusShardInputs).changes;
      const credentialsChanged = reveal((olds as BusShardState).credentials) !== reveal((news as BusShardInputs).credentials);
      return { changes: changes.length > 0 || replaces.length > 0 || credentialsChanged, replaces, deleteBeforeReplace: replaces.length > 0 };
    },
    async create(urn: pulumi.URN, inputs: Wire<EdgeFirewallInputs> | BusShardInputs) {
      const type = typeOf(urn);
      if (type === EDGE_FIREWALL) return { id: (inputs as Wire<EdgeFirewallInputs>).edge.id, outs: await applyEdge(undefined, fromWire(inputs as Wire<EdgeFirewallInputs>)) };
      const shard = inputs as BusShardInputs;
      return { id: `${shard.bus.vhost}/shard-${shard.shard}`, outs: await applyShard(undefined, shard) };
    },
    async update(_id: pulumi.ID, urn: pulumi.URN, olds: Wire<EdgeFirewallState> | BusShardState, news: Wire<EdgeFirewallInputs> | BusShardInputs) {
      if (typeOf(urn) === EDGE_FIREWALL) return { outs: await applyEdge(fromWire(olds as Wire<EdgeFirewallState>), fromWire(news as Wire<EdgeFirewallInputs>)) };
      return { outs: await applyShard(olds as BusShardState, news as BusShardInputs) };
    },
    async read(id: pulumi.ID, urn: pulumi.URN, props?: Wire<EdgeFirewallState> | BusShardState) {
      if (!props) throw new Error(`prichal provider: import is not supported (${urn}); run 'prichal up'`);
      const live = typeOf(urn) === EDGE_FIREWALL ? await readEdge(fromWire(props as Wire<EdgeFirewallState>)) : await readShard(props as BusShardState);
      return live ? { id, props: live } : { id: '', props: {} };
    },
    async delete(_id: pulumi.ID, urn: pulumi.URN, props: Wire<EdgeFirewallState> | BusShardState) {
      if (typeOf(urn) === EDGE_FIREWALL) {
        const e = fromWire(props as Wire<EdgeFirewallState>);
        await withEdge(e.edge, removeEdgeFirewall, {}, reveal(e.privateKey));
      } else {
        // A deleted shard is one whose every registration is removed.
        const shard = props as BusShardState;
        await applyShard(shard, { ...shard, entries: [] });
      }
    },
  };
}
