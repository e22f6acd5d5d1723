// The provider behind Prichal's resource types (resources.ts), served to the engine by
// `pulumi-resource-prichal` (provider-main.ts). Each method is a thin adapter over the same
// infra functions the stateless commands use (`firewall apply`, `bus ensure`), and for gateway
// shards over the Docker Engine API client (gateway-provider.ts):
//   create  — applies; tolerates objects that already exist (the apply converges, it never
//             assumes a blank host), so a re-run after an interrupted update ends converged;
//   read    — reads the live object and records how it differs from the plan (refresh shows a
//             hand edit as an update, and the next up undoes it); an object that is gone
//             returns no id, so refresh drops it and up creates it again;
//   diff    — the pure change functions of resources.ts;
//   delete  — removes exactly Prichal's object and is idempotent.
// Credentials by reference: resources name the secrets they use (the edge's `ssh.credentials`,
// the bus's `credentials`); the provider reads them from Prichal's secret store when it connects
// (PRICHAL_SECRET_<NAME>, else $PRICHAL_SECRETS_DIR/<name>: the engine hands this process the
// caller's environment), exactly as the stateless commands do. No secret enters or leaves
// through the engine, so none is in the state, and a rotated key is used by the next refresh.
// State written by earlier models is upgraded as it comes in (upgrade.ts): every method sees
// today's shape only.
import type * as pulumi from '@pulumi/pulumi';
import type * as provider from '@pulumi/pulumi/provider/index.js';
import { mapBounded } from '../../concurrency.js';
import { BusClient, assertPromotable, registrationDifferences } from '../bus.js';
import { applyChannel, readChannel, removeEdgeChannel } from '../channel.js';
import { withEdge, withHost } from '../edges.js';
import { applyEdgeFirewall, readTable, removeEdgeFirewall } from '../firewall.js';
import { readCredentials } from '../secrets.js';
import { compareTables, plannedTable } from '../../render/index.js';
import type { Words } from '../../words.js';
import {
  channelRefreshDifferences,
  EDGE_CHANNEL,
  edgeChannelChanges,
  effectiveChannel,
  packChannel,
  unpackChannel,
  type EdgeChannelInputs,
  type EdgeChannelState,
  type PackedChannel,
} from './channel-resource.js';
import { applyGatewayShard, deleteGatewayShard, readGatewayShard } from './gateway-provider.js';
import { GATEWAY_SHARD, gatewayShardUpdate, type GatewayShardInputs, type GatewayShardState } from './gateway-shard.js';
import {
  BUS_REGISTRATIONS,
  EDGE_FIREWALL,
  busShardReplaces,
  change,
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
import {
  RETIRED_BUS_REGISTRATION,
  retiredMessage,
  upgradeBusShard,
  upgradeEdgeFirewall,
  type BusSecretNames,
} from './upgrade.js';

/** Registrations of one shard applied or read at once: the bus sees at most shards × this. */
const SHARD_CONCURRENCY = 4;

/** The type token is the last-but-one segment of a URN: urn:pulumi:<stack>::<project>::<type>::<name>. */
function typeOf(urn: string): string {
  const parts = urn.split('::');
  const type = parts[parts.length - 2] ?? '';
  if (type === RETIRED_BUS_REGISTRATION) throw new Error(`prichal provider: ${retiredMessage()}`);
  if (type !== EDGE_FIREWALL && type !== BUS_REGISTRATIONS && type !== GATEWAY_SHARD && type !== EDGE_CHANNEL)
    throw new Error(`prichal provider: unknown resource type '${type}'`);
  return type;
}

// ---- edge firewall -------------------------------------------------------------------------

/** The engine's properties carry the edge packed (resources.ts): unpacked on the way in, packed on the way out. */
type Wire<T extends { edge: unknown }> = Omit<T, 'edge'> & { edge: PackedEdge };
const toWire = (state: EdgeFirewallState): Wire<EdgeFirewallState> => ({ ...state, edge: packEdge(state.edge) });

/** An edge table's properties from the engine, unpacked, in today's shape whatever model wrote them (upgrade.ts). */
function edgeIn<T extends EdgeFirewallState | EdgeFirewallInputs>(props: unknown): { value: T; upgraded: Words[] } {
  const { props: upgraded, upgraded: notes } = upgradeEdgeFirewall(props as Record<string, unknown>);
  return { value: { ...upgraded, edge: unpackEdge(upgraded.edge) } as unknown as T, upgraded: notes };
}

/**
 * Creates or updates an edge's table through the same apply as `firewall apply`, with the key its
 * SSH target names read from the secret store: a delta when the host's record allows; a full
 * replace when refresh recorded hand edits (a delta would keep them). An update that changes
 * nothing on the table (the state's shape upgraded, say) does not touch the host.
 */
async function applyEdge(
  olds: EdgeFirewallState | undefined,
  inputs: EdgeFirewallInputs,
): Promise<Wire<EdgeFirewallState>> {
  const edge = effectiveEdge(olds, inputs);
  const full = (olds?.differences ?? []).length > 0;
  if (olds && !full && edgeFirewallChanges(olds, inputs).length === 0) return toWire({ edge, differences: [] });
  await withEdge(edge, (conn) => applyEdgeFirewall(conn, edge, { full }));
  return toWire({ edge, differences: [] });
}

async function readEdge(props: EdgeFirewallState): Promise<Wire<EdgeFirewallState> | undefined> {
  const live = await withEdge(props.edge, readTable);
  if (!live) return undefined;
  const owners = elementOwners(props.edge);
  const differences: ResourceChange[] = compareTables(plannedTable(props.edge), live).map((d) =>
    change({ en: d.message, ru: d.ru }, d.element ? owners.get(d.element) : undefined),
  );
  return toWire({ edge: props.edge, differences });
}

// ---- edge channel: links and routes ---------------------------------------------------------

type ChannelWire<T extends { channel: unknown }> = Omit<T, 'channel'> & { channel: PackedChannel };
const channelIn = <T extends EdgeChannelState | EdgeChannelInputs>(props: unknown): T => {
  const wire = props as ChannelWire<T>;
  return { ...wire, channel: unpackChannel(wire.edge, wire.channel) } as unknown as T;
};
const channelOut = (state: EdgeChannelState): ChannelWire<EdgeChannelState> => ({
  ...state,
  channel: packChannel(state.channel),
});

/** Sets the edge's links and routes as planned (in a targeted run, one participant's); an update that changes nothing does not touch the host. */
async function applyEdgeChannel(
  olds: EdgeChannelState | undefined,
  inputs: EdgeChannelInputs,
): Promise<ChannelWire<EdgeChannelState>> {
  const channel = effectiveChannel(olds, inputs);
  const state = { edge: inputs.edge, ssh: inputs.ssh, channel, differences: [] };
  if (olds && edgeChannelChanges(olds, inputs).length === 0) return channelOut(state);
  // Scoped only over a state that is the host's: a first apply, or one after refresh found hand
  // edits, sets the whole channel (the state records it whole either way).
  const scope = olds && !olds.differences?.length ? (inputs.scope ?? undefined) : undefined;
  await withHost(inputs.ssh, (conn) =>
    applyChannel(conn, channel, { ...(olds ? { previous: olds.channel } : {}), ...(scope ? { scope } : {}) }),
  );
  return channelOut(state);
}

async function readEdgeChannel(props: EdgeChannelState): Promise<ChannelWire<EdgeChannelState>> {
  const live = await withHost(props.ssh, (conn) => readChannel(conn));
  return channelOut({ ...props, differences: channelRefreshDifferences(props.channel, live) });
}

// ---- bus registrations, one shard ----------------------------------------------------------

/** A client of one bus, its administrator's credentials read from the secret store by the name the state records. */
async function busClient(bus: BusEndpoint): Promise<BusClient> {
  const { username, password } = await readCredentials(bus.credentials);
  return new BusClient({ url: bus.url, vhost: bus.vhost, username, password });
}

/** A shard's properties from the engine in today's shape; secret names the state lacks come from `names` (the new inputs). */
function shardIn<T extends BusShardState | BusShardInputs>(
  props: unknown,
  names?: Partial<BusSecretNames>,
): { value: T; upgraded: Words[] } {
  const { props: upgraded, upgraded: notes } = upgradeBusShard(props as Record<string, unknown>, names);
  return { value: upgraded as unknown as T, upgraded: notes };
}

const namesOf = (news: BusShardInputs): BusSecretNames => ({
  bus: news.bus.credentials,
  ...(news.testBus ? { testBus: news.testBus.credentials } : {}),
});

/** The shard as the state keeps it: the inputs without the run's scope. */
function stateOf(inputs: BusShardInputs, entries: ShardEntry[], differences: ResourceChange[]): BusShardState {
  const { scope: _scope, ...rest } = inputs;
  return { ...rest, entries, differences };
}

/**
 * Applies a shard's update: exactly the registrations busShardUpdate names (each through the
 * same ensure/remove the stateless `bus` command uses; ensure tolerates existing objects), the
 * promotion gate checked for every prod registration it touches.
 */
async function applyShard(olds: BusShardState | undefined, inputs: BusShardInputs): Promise<BusShardState> {
  const update = busShardUpdate(olds, inputs);
  if (update.ensure.length || update.remove.length) {
    const client = await busClient(inputs.bus);
    const testClient = inputs.testBus ? await busClient(inputs.testBus) : undefined;
    if (inputs.contour === 'prod' && !testClient && update.ensure.length)
      throw new Error(`prod registrations of shard ${inputs.shard} without the test bus to check them against`);
    await mapBounded(update.ensure, SHARD_CONCURRENCY, async (entry) => {
      if (testClient)
        assertPromotable(
          inputs.contour,
          entry.mnemonic,
          entry.testStatus ?? undefined,
          await testClient.readRegistration(entry.mnemonic),
        );
      await client.ensure(entry, await client.readRegistration(entry.mnemonic));
    });
    await mapBounded(update.remove, SHARD_CONCURRENCY, (entry) => client.remove(entry.mnemonic));
  }
  return stateOf(inputs, update.entries, update.differences);
}

/** Reads a shard's registrations; what differs from the plan is recorded by participant. Gone entirely: undefined. */
async function readShard(props: BusShardState): Promise<BusShardState | undefined> {
  const client = await busClient(props.bus);
  let gone = 0;
  const found = await mapBounded(props.entries, SHARD_CONCURRENCY, async (entry) => {
    const state = await client.readRegistration(entry.mnemonic);
    const differences = registrationDifferences(entry, state);
    if (
      differences.some((d) => d.kind === 'user') &&
      differences.some((d) => d.kind === 'queue') &&
      !state.permissions.some((p) => p.user === entry.mnemonic)
    )
      gone++;
    return differences.map((d) => change({ en: d.message, ru: d.ru }, entry.participant));
  });
  // Nothing of any of its registrations left: the shard is gone (refresh drops it; up creates it again).
  if (props.entries.length > 0 && gone === props.entries.length) return undefined;
  const { contour, shard, entries, bus, testBus } = props;
  return { contour, shard, entries, bus, testBus, differences: found.flat() };
}

// ---- the provider --------------------------------------------------------------------------

type Olds = Wire<EdgeFirewallState> | BusShardState | GatewayShardState | ChannelWire<EdgeChannelState>;
type News = Wire<EdgeFirewallInputs> | BusShardInputs | GatewayShardInputs | ChannelWire<EdgeChannelInputs>;

export function prichalProvider(version: string): provider.Provider {
  return {
    version,
    async diff(_id: pulumi.ID, urn: pulumi.URN, olds: Olds, news: News) {
      if (typeOf(urn) === EDGE_FIREWALL) {
        const before = edgeIn<EdgeFirewallState>(olds);
        const changes = edgeFirewallChanges(before.value, edgeIn<EdgeFirewallInputs>(news).value);
        // A state of an earlier shape is a change: the update writes today's (nothing changes on the host).
        return { changes: changes.length > 0 || before.upgraded.length > 0 };
      }
      if (typeOf(urn) === EDGE_CHANNEL)
        return {
          changes: edgeChannelChanges(channelIn<EdgeChannelState>(olds), channelIn<EdgeChannelInputs>(news)).length > 0,
        };
      if (typeOf(urn) === GATEWAY_SHARD)
        return {
          changes: gatewayShardUpdate(olds as GatewayShardState, news as GatewayShardInputs).changes.length > 0,
        };
      const after = news as BusShardInputs;
      const before = shardIn<BusShardState>(olds, namesOf(after));
      const replaces = busShardReplaces(before.value, after);
      const changes = busShardUpdate(before.value, after).changes;
      return {
        changes: changes.length > 0 || replaces.length > 0 || before.upgraded.length > 0,
        replaces,
        deleteBeforeReplace: replaces.length > 0,
      };
    },
    async create(urn: pulumi.URN, inputs: News) {
      const type = typeOf(urn);
      if (type === EDGE_FIREWALL) {
        const edge = edgeIn<EdgeFirewallInputs>(inputs).value;
        return { id: edge.edge.id, outs: await applyEdge(undefined, edge) };
      }
      if (type === EDGE_CHANNEL) {
        const channel = channelIn<EdgeChannelInputs>(inputs);
        return { id: `${channel.edge}/channel`, outs: await applyEdgeChannel(undefined, channel) };
      }
      if (type === GATEWAY_SHARD) {
        const shard = inputs as GatewayShardInputs;
        return {
          id: `${shard.host.id}/${shard.contour}/gateways-${shard.shard}`,
          outs: await applyGatewayShard(undefined, shard),
        };
      }
      const shard = inputs as BusShardInputs;
      return { id: `${shard.bus.vhost}/shard-${shard.shard}`, outs: await applyShard(undefined, shard) };
    },
    async update(_id: pulumi.ID, urn: pulumi.URN, olds: Olds, news: News) {
      if (typeOf(urn) === EDGE_FIREWALL)
        return { outs: await applyEdge(edgeIn<EdgeFirewallState>(olds).value, edgeIn<EdgeFirewallInputs>(news).value) };
      if (typeOf(urn) === EDGE_CHANNEL)
        return {
          outs: await applyEdgeChannel(channelIn<EdgeChannelState>(olds), channelIn<EdgeChannelInputs>(news)),
        };
      if (typeOf(urn) === GATEWAY_SHARD)
        return { outs: await applyGatewayShard(olds as GatewayShardState, news as GatewayShardInputs) };
      const after = news as BusShardInputs;
      return { outs: await applyShard(shardIn<BusShardState>(olds, namesOf(after)).value, after) };
    },
    async read(id: pulumi.ID, urn: pulumi.URN, props?: Olds) {
      if (!props) throw new Error(`prichal provider: import is not supported (${urn}); run 'prichal up'`);
      if (typeOf(urn) === EDGE_FIREWALL) {
        const { value, upgraded } = edgeIn<EdgeFirewallState>(props);
        const live = await readEdge(value);
        if (!live) return { id: '', props: {} };
        // An earlier shape read: its inputs are upgraded too, so no copy of a secret stays behind in them.
        return { id, props: live, ...(upgraded.length ? { inputs: { edge: live.edge, scope: null } } : {}) };
      }
      if (typeOf(urn) === EDGE_CHANNEL) return { id, props: await readEdgeChannel(channelIn<EdgeChannelState>(props)) };
      if (typeOf(urn) === GATEWAY_SHARD) {
        return { id, props: await readGatewayShard(props as GatewayShardState) };
      }
      const { value, upgraded } = shardIn<BusShardState>(props);
      const live = await readShard(value);
      if (!live) return { id: '', props: {} };
      const { differences: _differences, ...inputs } = live;
      return { id, props: live, ...(upgraded.length ? { inputs: { ...inputs, scope: null } } : {}) };
    },
    async delete(_id: pulumi.ID, urn: pulumi.URN, props: Olds) {
      if (typeOf(urn) === EDGE_FIREWALL) {
        await withEdge(edgeIn<EdgeFirewallState>(props).value.edge, removeEdgeFirewall);
      } else if (typeOf(urn) === EDGE_CHANNEL) {
        const state = channelIn<EdgeChannelState>(props);
        await withHost(state.ssh, (conn) => removeEdgeChannel(conn, state.channel));
      } else if (typeOf(urn) === GATEWAY_SHARD) {
        await deleteGatewayShard(props as GatewayShardState);
      } else {
        // A deleted shard is one whose every registration is removed.
        const shard = shardIn<BusShardState>(props).value;
        await applyShard(shard, { ...shard, entries: [] });
      }
    },
  };
}
