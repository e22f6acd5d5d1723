// The Pulumi program: thin wiring from the plan to resources, one stack per contour. The same
// definePrichal runs inline under `prichal up` (src/infra/pulumi/engine.ts) and from the
// Pulumi.yaml entry point (index.ts) for operators with a standard Pulumi install.
//   - the gateways (stack setting `prichal:gateways`, `engine` unless the stack says otherwise):
//     GatewayShards, per Docker host the participant is placed on, its gateways in shards by a
//     stable hash of the participant (gateway-shard.ts says why); or (gateways: pulumi) a Gateway
//     per registered participant through @pulumi/docker, refused above PULUMI_GATEWAY_LIMIT
//     containers per stack; or none (gateways: external: another party runs them);
//   - an EdgeFirewall per edge, owned by the test stack: the edge's one table carries both
//     contours' flows, so only one stack may own it (test exists first: Регламент ПУ ТО, п. 4.6);
//   - BusRegistrations: the contour's registrations in shards (resources.ts says why), each
//     shard holding the registrations whose mnemonic hashes to it.
// No secret passes through the program: resources name the secrets they use (credentials by
// reference), and the provider reads them from the secret store when it connects.
// `scope` (a targeted run, `prichal up --participant ID`) tells the targeted resources to change
// that participant's objects only.
// All logic lives in the pure stages; this file only maps plan objects to resources.
import * as docker from '@pulumi/docker';
import { groupBy, type ContourName, type OperatorFile } from '../../inventory/index.js';
import type { Plan } from '../../plan/index.js';
import { gatewaySpec, isEmptyChannel, plannedChannel } from '../../render/index.js';
import { EdgeChannelResource } from './channel-resource.js';
import { Gateway } from './gateway.js';
import { byParticipant, GatewayShard, gatewayEntry, type GatewayHostRef } from './gateway-shard.js';
import { BusRegistrations, EdgeFirewall, byMnemonic, shardOf, type ShardEntry } from './resources.js';
import { WordedError } from '../../words.js';

/** Who runs the gateways: Prichal's own provider (the default), @pulumi/docker, or another party. */
export type GatewayMode = 'pulumi' | 'external' | 'engine';
export const GATEWAY_MODES: readonly GatewayMode[] = ['pulumi', 'external', 'engine'];
/** A stack that does not set `prichal:gateways`: its gateways are Prichal's own resources. */
export const DEFAULT_GATEWAY_MODE: GatewayMode = 'engine';

/**
 * The most gateway containers one stack runs through @pulumi/docker (gateways: pulumi). Each is a
 * component and a Container in the Node SDK, every output property an Output: measured under
 * mocks for one stack (bench/pulumi.bench.ts), the program's process peaks at 1.3 GiB with 1,500
 * containers and 1.6 GiB with 2,000, and 10,000 participants of both contours run out of V8 heap.
 * Above it a stack is refused before the engine starts: `gateways: engine` has no such limit.
 */
export const PULUMI_GATEWAY_LIMIT = 1500;

/** A stack whose gateways @pulumi/docker cannot run: more containers than PULUMI_GATEWAY_LIMIT. */
export class GatewayLimitError extends WordedError {
  override readonly name = 'GatewayLimitError';
  constructor(
    readonly contour: ContourName,
    readonly count: number,
  ) {
    const [n, limit] = [count, PULUMI_GATEWAY_LIMIT];
    super({
      en:
        `the ${contour} stack would run ${n} gateway containers through @pulumi/docker (prichal:gateways: pulumi), more than its limit of ${limit} per stack: ` +
        `beyond it the Node SDK's memory (about 0.6 MiB per container) outgrows one process. Nothing was changed. ` +
        `Set prichal:gateways: engine in stacks/Pulumi.${contour}.yaml (Prichal's own gateway resources, no such limit; they adopt the running containers), ` +
        'or external when another party starts the gateways.',
      ru:
        `стек ${contour} запустил бы ${n} контейнеров шлюзов через @pulumi/docker (prichal:gateways: pulumi) — больше предела ${limit} на стек: ` +
        'сверх него память Node SDK (около 0,6 МиБ на контейнер) не помещается в один процесс. Ничего не изменено. ' +
        `Укажите prichal:gateways: engine в stacks/Pulumi.${contour}.yaml (собственные ресурсы шлюзов Prichal, без такого предела; работающие контейнеры они принимают как есть) ` +
        'или external, если шлюзы запускает другая сторона.',
    });
  }
}

/**
 * Refuses a stack whose gateways @pulumi/docker cannot run (more than PULUMI_GATEWAY_LIMIT
 * containers): both entry points call it before the engine starts.
 */
export function checkGatewayLimit(contour: ContourName, plan: Plan, gateways: GatewayMode): void {
  const count = plan.contours[contour].registrations.length;
  if (gateways === 'pulumi' && count > PULUMI_GATEWAY_LIMIT) throw new GatewayLimitError(contour, count);
}

export interface ProgramArgs {
  contour: ContourName;
  plan: Plan;
  operator: OperatorFile;
  gateways: GatewayMode;
  /** A targeted run: the one participant whose objects may change. */
  scope?: string;
}

export interface ProgramResources {
  network?: docker.Network;
  gateways: Gateway[];
  firewalls: EdgeFirewall[];
  /** Per edge with links or gateway routes to set: its channel (test stack). */
  channels: EdgeChannelResource[];
  shards: BusRegistrations[];
  gatewayShards: GatewayShard[];
}

/** Resource names: stable, so URNs (and `--participant` targets) can be computed from the plan. */
export const firewallName = (edge: string) => `firewall-${edge}`;
export const channelName = (edge: string) => `channel-${edge}`;
export const shardName = (contour: ContourName, shard: string) => `bus-${contour}-${shard}`;
export const gatewayShardName = (contour: ContourName, host: string, shard: string) =>
  `gateways-${contour}-${host}-${shard}`;

/** operator.yaml's gateway image and networks, without which no provisioner can start a gateway. */
function declaredGateways(operator: OperatorFile, mode: GatewayMode) {
  if (!operator.gateways)
    throw new Error(`gateways: ${mode} needs operator.yaml's gateways (image and network per contour)`);
  return operator.gateways;
}

/**
 * The contour's gateways as shards: per host the plan places participants on, then by a stable
 * hash of the participant (the bus's shardOf). Only shards that hold gateways exist.
 */
function gatewayShards(args: ProgramArgs): GatewayShard[] {
  const { contour, plan } = args;
  const declared = declaredGateways(args.operator, 'engine');
  const options = { image: declared.image, network: declared.network[contour] };
  const byKey = groupBy(plan.contours[contour].registrations, (r) => `${r.host}\t${shardOf(r.participant)}`);
  const hosts = new Map(plan.gatewayHosts.map((h) => [h.id, h]));
  return [...byKey.keys()].sort().map((key) => {
    const [hostId, shard] = key.split('\t') as [string, string];
    const h = hosts.get(hostId)!;
    // The host's SSH key by the name of its secret: the provider reads it when it connects.
    const host: GatewayHostRef = {
      id: h.id,
      docker: h.docker,
      hostKey: h.hostKey ?? null,
      credentials: h.credentials ?? null,
    };
    const gateways = byKey
      .get(key)!
      .map((r) => gatewayEntry(r, gatewaySpec(r, contour, options)))
      .sort(byParticipant);
    return new GatewayShard(gatewayShardName(contour, hostId, shard), {
      contour,
      host,
      shard,
      ...options,
      gateways,
      scope: args.scope ?? null,
    });
  });
}

export function definePrichal(args: ProgramArgs): ProgramResources {
  const { contour, plan, operator } = args;
  const registrations = plan.contours[contour].registrations;
  const out: ProgramResources = { gateways: [], firewalls: [], channels: [], shards: [], gatewayShards: [] };

  if (args.gateways === 'engine') out.gatewayShards = gatewayShards(args);
  if (args.gateways === 'pulumi') {
    // The same image and network drift expects: operator.yaml's `gateways`. At most
    // PULUMI_GATEWAY_LIMIT containers: the entry points refuse a larger stack (checkGatewayLimit).
    const declared = declaredGateways(operator, 'pulumi');
    const image = declared.image;
    const networkName = declared.network[contour];
    out.network = new docker.Network(networkName, {
      name: networkName,
      ipamConfigs: [{ subnet: plan.contours[contour].gatewayPool }],
      labels: [{ label: 'prichal.contour', value: contour }],
    });
    for (const r of registrations) {
      const spec = gatewaySpec(r, contour, { image, network: networkName });
      out.gateways.push(new Gateway(spec.name, { spec, network: out.network.name }));
    }
  }

  if (contour === 'test') {
    // The edge's SSH target names its key's secret (ssh.credentials); the provider reads the key.
    for (const edge of plan.edges)
      out.firewalls.push(
        new EdgeFirewall(firewallName(edge.id), { edge, ...(args.scope ? { scope: args.scope } : {}) }),
      );
    // The channel: each edge's leased-line links and routes, and its routes to the gateway hosts.
    for (const edge of plan.edges) {
      const channel = plannedChannel(plan, edge.id);
      if (isEmptyChannel(channel)) continue;
      out.channels.push(
        new EdgeChannelResource(channelName(edge.id), {
          edge: edge.id,
          ssh: edge.ssh,
          channel,
          scope: args.scope ?? null,
        }),
      );
    }
  }

  const bus = operator.contours[contour].bus;
  const testBus = operator.contours.test.bus;
  const testStatus = new Map(plan.contours.test.registrations.map((r) => [r.participant, r.status]));
  const shards = groupBy(registrations, (r) => shardOf(r.mnemonic));
  // Only shards that hold registrations exist (at most BUS_SHARDS); an emptied shard is deleted.
  for (const shard of [...shards.keys()].sort()) {
    const entries: ShardEntry[] = shards
      .get(shard)!
      .map((r) => ({
        participant: r.participant,
        mnemonic: r.mnemonic,
        messageTypes: r.messageTypes,
        testStatus: testStatus.get(r.participant) ?? null,
      }))
      .sort(byMnemonic);
    out.shards.push(
      new BusRegistrations(shardName(contour, shard), {
        contour,
        shard,
        entries,
        // Credentials by name: the provider reads them from the secret store when it connects.
        bus: { url: bus.url, vhost: bus.vhost, credentials: bus.credentials },
        testBus:
          contour === 'prod' ? { url: testBus.url, vhost: testBus.vhost, credentials: testBus.credentials } : null,
        scope: args.scope ?? null,
      }),
    );
  }
  return out;
}
