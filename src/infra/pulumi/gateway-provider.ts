// The provider's work on a gateway shard (gateway-shard.ts), through the Docker Engine API of
// the shard's host (docker-api.ts): create and update apply exactly what gatewayShardUpdate
// names; read records how each container differs from its specification; delete removes the
// containers of the shard's participants that carry Prichal's labels on that host, nothing else.
// The host's SSH key is read from the secret store by the name the shard records.
import { Gate } from '../../concurrency.js';
import { GATEWAY_LABELS } from '../../render/index.js';
import { SPEC_LABEL } from '../docker.js';
import {
  DEFAULT_DOCKER_SOCKET,
  deliverImage,
  DockerHost,
  endpointLabel,
  parseDockerEndpoint,
  withDockerHost,
  type DockerEndpoint,
} from '../docker-api.js';
import {
  containerDifferences,
  entrySpec,
  gatewayShardUpdate,
  type GatewayEntry,
  type GatewayHostRef,
  type GatewayShardInputs,
  type GatewayShardState,
} from './gateway-shard.js';
import { change, shardOf, type ResourceChange } from './resources.js';

/**
 * Containers created, inspected or removed at once on one host, across all the shards this
 * provider process applies there: the engine applies a host's shards in parallel, and on a small
 * host more containers at once than this only queue inside dockerd (measured: 16 at once took
 * longer in all than 8).
 */
const GATEWAY_CONCURRENCY = 8;

/** Where the gateway image is taken from for a host that lacks it: this machine's Docker engine. */
const LOCAL_ENGINE: DockerEndpoint = { kind: 'socket', socketPath: DEFAULT_DOCKER_SOCKET };

function endpointOf(host: GatewayHostRef): DockerEndpoint {
  return parseDockerEndpoint(
    host.docker,
    host.hostKey && host.credentials ? { hostKey: host.hostKey, credentials: host.credentials } : undefined,
  );
}

/** The shard as the state keeps it: the inputs without the run's scope. */
function stateOf(inputs: GatewayShardInputs, gateways: GatewayEntry[], differences: ResourceChange[]) {
  const { scope: _scope, ...rest } = inputs;
  return { ...rest, gateways, differences } satisfies GatewayShardState;
}

/**
 * One connection per Docker host for all the shards this provider process works on at once: the
 * engine applies a host's shards in parallel, and an SSH handshake per shard would exceed what
 * sshd lets through unauthenticated at a time (MaxStartups, 10 by default) — the others time out.
 * Counted by use; closed when the last shard using it is done.
 */
const shared = new Map<string, { host: Promise<DockerHost>; gate: Gate; users: number }>();

/** A host's connection and the gate its container operations pass through, for the duration of `work`. */
async function onHost<T>(endpoint: DockerEndpoint, work: (host: DockerHost, gate: Gate) => Promise<T>): Promise<T> {
  const key = endpointLabel(endpoint);
  let entry = shared.get(key);
  if (!entry) {
    entry = {
      host: DockerHost.connect(endpoint, { maxConnections: GATEWAY_CONCURRENCY }),
      gate: new Gate(GATEWAY_CONCURRENCY),
      users: 0,
    };
    shared.set(key, entry);
    // A failed connection is not kept: the next shard tries again.
    entry.host.catch(() => shared.get(key) === entry && shared.delete(key));
  }
  entry.users++;
  try {
    return await work(await entry.host, entry.gate);
  } finally {
    if (--entry.users === 0 && shared.get(key) === entry) {
      shared.delete(key);
      void entry.host.then((h) => h.close()).catch(() => {});
    }
  }
}

/** Each item's work through the host's gate: at most GATEWAY_CONCURRENCY at once on the host, whichever shard asks. */
function eachOnHost<T, R>(gate: Gate, items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  return Promise.all(items.map((item) => gate.run(() => work(item))));
}

/**
 * Deliveries under way in this provider process, by host and image: the shards of one host are
 * applied at once, and each would otherwise stream the same image (hundreds of MB) in parallel.
 */
const deliveries = new Map<string, Promise<void>>();

/** The image on the host: delivered from the local engine when the host lacks it (its id checked by deliverImage), once per host. */
async function ensureImage(host: DockerHost, endpoint: DockerEndpoint, image: string): Promise<void> {
  if (endpoint.kind === 'socket') return;
  const key = `${host.label}\t${image}`;
  let delivery = deliveries.get(key);
  if (!delivery) {
    delivery = (async () => {
      if (await host.imageId(image)) return;
      await withDockerHost(LOCAL_ENGINE, (local) => deliverImage(local, host, image));
    })();
    deliveries.set(key, delivery);
    // A failed delivery is tried again by the next shard that needs it; a finished one is checked again cheaply.
    delivery.then(
      () => deliveries.delete(key),
      () => deliveries.delete(key),
    );
  }
  await delivery;
}

/**
 * Creates one gateway. A container of that name already running exactly the specification (one
 * started by an earlier run that was interrupted before its state was written, or by the external
 * provisioner) is adopted as it is, its id unchanged; any other is removed first. The creation is
 * tried first and the name's container inspected only when the engine refuses it as taken: on a
 * first `up` no container exists, and an inspection each would add a third of the API calls.
 */
async function createGateway(host: DockerHost, inputs: GatewayShardInputs, entry: GatewayEntry): Promise<void> {
  const spec = entrySpec(inputs, entry);
  const labels = { [SPEC_LABEL]: entry.specHash };
  if ((await host.createGatewayUnlessNamed(spec, labels)) !== undefined) return;
  const live = await host.inspectContainer(spec.name);
  if (live && containerDifferences(spec, live).length === 0) return;
  if (live) await host.removeContainer(spec.name);
  await host.createGateway(spec, labels);
}

/** Applies a shard's update: exactly the gateways gatewayShardUpdate names. */
export async function applyGatewayShard(
  olds: GatewayShardState | undefined,
  inputs: GatewayShardInputs,
): Promise<GatewayShardState> {
  const update = gatewayShardUpdate(olds, inputs);
  if (update.create.length || update.replace.length || update.remove.length) {
    const endpoint = endpointOf(inputs.host);
    await onHost(endpoint, async (host, gate) => {
      if (update.create.length || update.replace.length) await ensureImage(host, endpoint, inputs.image);
      await eachOnHost(gate, update.remove, (entry) => host.removeContainer(entrySpec(inputs, entry).name));
      await eachOnHost(gate, update.replace, async (entry) => {
        await host.removeContainer(entrySpec(inputs, entry).name);
        await host.createGateway(entrySpec(inputs, entry), { [SPEC_LABEL]: entry.specHash });
      });
      await eachOnHost(gate, update.create, (entry) => createGateway(host, inputs, entry));
    });
  }
  return stateOf(inputs, update.gateways, update.differences);
}

/**
 * Reads a shard's containers; what differs from the plan is recorded by participant. A shard
 * whose containers are all gone stays, each of them recorded missing: refresh names the
 * participants, and up recreates them.
 */
export async function readGatewayShard(props: GatewayShardState): Promise<GatewayShardState> {
  const found = await onHost(endpointOf(props.host), (host, gate) =>
    eachOnHost(gate, props.gateways, async (entry) => {
      const spec = entrySpec(props, entry);
      return { entry, differences: containerDifferences(spec, await host.inspectContainer(spec.name)) };
    }),
  );
  const differences = found.flatMap((f) => f.differences.map((words) => change(words, f.entry.participant)));
  const { contour, host, shard, image, network, gateways } = props;
  return { contour, host, shard, image, network, gateways, differences };
}

/**
 * Removes the shard's containers: on its host, those labelled as Prichal's gateways of its
 * contour whose participant belongs to this shard (whatever the state lists, so a container
 * an interrupted run left behind goes too).
 */
export async function deleteGatewayShard(props: GatewayShardState): Promise<void> {
  await onHost(endpointOf(props.host), async (host, gate) => {
    const containers = await host.listContainers({
      [GATEWAY_LABELS.managed]: 'gateway',
      [GATEWAY_LABELS.contour]: props.contour,
      [GATEWAY_LABELS.participant]: true,
    });
    const ours = containers.filter((c) => shardOf(c.Labels[GATEWAY_LABELS.participant]!) === props.shard);
    await eachOnHost(gate, ours, (c) => host.removeContainer(c.Id));
  });
}
