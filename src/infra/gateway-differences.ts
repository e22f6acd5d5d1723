// How a live gateway container differs from its specification: one rule, for drift's GW-1 check
// (collect/gateways.ts) and for the engine's refresh of a gateway shard, which records the same
// phrases (`missing`, `image …, planned …`). A container's Engine API inspection is first reduced
// to what the rule reads (liveGateway): a few hundred bytes where the inspection with its health
// log is about 11 KB, and drift holds one per gateway of a region, tens of thousands of them.
// Kept apart from the engine's modules, which load the Pulumi SDK (over a second) on import.
import { shortHash } from '../hash.js';
import type { GatewaySpec } from '../render/index.js';
import type { Words } from '../words.js';
import type { ContainerDetails } from './docker-api.js';

/** A gateway container as the rule reads it, from its inspection. */
export interface LiveGateway {
  name: string;
  labels: Record<string, string>;
  running: boolean;
  /** State.Status: running, exited, … */
  status: string;
  /** State.Health.Status, for a container with a health check. */
  health: string | undefined;
  image: string;
  /** SHA-256 (16 hex) of the GATEWAY_CONF the container runs with; undefined without one. Only the hash is kept of its environment. */
  configHash: string | undefined;
  /** Config.User ('' when the image's own, root). */
  user: string;
  privileged: boolean;
  readOnlyRootfs: boolean;
  capAdd: string[];
  capDrop: string[];
  /** HostConfig.RestartPolicy.Name ('' when none). */
  restart: string;
  /** Container ports published on the host ("443/tcp"). */
  publishedPorts: string[];
  /** Each Docker network it is attached to, with its address there ('' when it has none). */
  networks: Record<string, string>;
}

const CONF = 'GATEWAY_CONF=';

export function liveGateway(details: ContainerDetails): LiveGateway {
  const conf = (details.Config.Env ?? []).find((e) => e.startsWith(CONF))?.slice(CONF.length);
  const networks = details.NetworkSettings?.Networks ?? {};
  return {
    name: details.Name.replace(/^\//, ''),
    labels: details.Config.Labels ?? {},
    running: details.State.Running,
    status: details.State.Status,
    health: details.State.Health?.Status,
    image: details.Config.Image,
    configHash: conf === undefined ? undefined : shortHash(conf),
    user: details.Config.User ?? '',
    privileged: details.HostConfig.Privileged ?? false,
    readOnlyRootfs: details.HostConfig.ReadonlyRootfs ?? false,
    capAdd: details.HostConfig.CapAdd ?? [],
    capDrop: details.HostConfig.CapDrop ?? [],
    restart: details.HostConfig.RestartPolicy?.Name ?? '',
    publishedPorts: Object.entries((details.HostConfig.PortBindings ?? {}) as Record<string, unknown[] | null>)
      .flatMap(([port, bindings]) => (bindings?.length ? [port] : []))
      .sort(),
    networks: Object.fromEntries(
      Object.entries(networks).map(([name, n]) => [name, n.IPAMConfig?.IPv4Address || n.IPAddress || '']),
    ),
  };
}

export type GatewayDifferenceKind =
  | 'missing'
  | 'stopped'
  | 'image'
  | 'configuration'
  | 'network'
  | 'address'
  | 'user'
  | 'writable-root'
  | 'privileged'
  | 'capabilities'
  | 'ports'
  | 'restart'
  | 'unhealthy';

/** One way a container differs from its specification: `en` as the engine records it, with its Russian and what was read. */
export interface GatewayDifference extends Words {
  kind: GatewayDifferenceKind;
  /** The field of the inspection it was read from, and its value. */
  evidence: string;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

const list = (items: readonly string[]) => `[${items.join(', ')}]`;

/**
 * How a live container differs from its specification (empty: as planned): missing, stopped,
 * image, configuration, network, address, user, read-only root, privileged, capabilities,
 * published ports, restart policy, health. Health counts only while it runs: Docker marks a
 * stopped container unhealthy, which says nothing more than that it stopped.
 */
export function gatewayDifferences(spec: GatewaySpec, live: LiveGateway | undefined): GatewayDifference[] {
  if (!live) return [{ kind: 'missing', en: 'missing', ru: 'контейнера нет', evidence: `no container ${spec.name}` }];
  const out: GatewayDifference[] = [];
  const add = (kind: GatewayDifferenceKind, en: string, ru: string, evidence: string) =>
    out.push({ kind, en, ru, evidence });
  if (!live.running)
    add('stopped', `not running (${live.status})`, `не работает (${live.status})`, `State.Status: ${live.status}`);
  if (live.image !== spec.image)
    add(
      'image',
      `image ${live.image}, planned ${spec.image}`,
      `образ ${live.image}, по плану ${spec.image}`,
      `Config.Image: ${live.image}`,
    );
  if (live.configHash !== spec.configHash)
    add(
      'configuration',
      `configuration ${live.configHash ?? 'none'}, planned ${spec.configHash}`,
      `конфигурация ${live.configHash ?? 'отсутствует'}, по плану ${spec.configHash}`,
      'sha256 of the GATEWAY_CONF the container runs with',
    );
  const attached = Object.keys(live.networks).sort();
  const address = live.networks[spec.network];
  if (address === undefined)
    add(
      'network',
      `not on network ${spec.network} (on ${attached.join(', ') || 'none'})`,
      `не подключён к сети ${spec.network} (${attached.length ? `подключён к ${attached.join(', ')}` : 'ни к одной сети'})`,
      `NetworkSettings.Networks: ${list(attached)}`,
    );
  else if (address !== spec.address)
    add(
      'address',
      `address ${address || 'none'}, planned ${spec.address}`,
      `адрес ${address || 'отсутствует'}, по плану ${spec.address}`,
      `NetworkSettings.Networks.${spec.network}: ${address || 'no address'}`,
    );
  const s = spec.security;
  if (live.user !== s.user)
    add(
      'user',
      `user ${live.user || 'root'}, planned ${s.user}`,
      `пользователь ${live.user || 'root'}, по плану ${s.user}`,
      `Config.User: ${JSON.stringify(live.user)}`,
    );
  if (!live.readOnlyRootfs)
    add(
      'writable-root',
      'root filesystem writable',
      'корневая файловая система доступна на запись',
      'HostConfig.ReadonlyRootfs: false',
    );
  if (live.privileged)
    add('privileged', 'privileged', 'запущен в привилегированном режиме', 'HostConfig.Privileged: true');
  if (!sameSet(live.capAdd, s.capAdd) || !sameSet(live.capDrop, s.capDrop))
    add(
      'capabilities',
      `capabilities add ${list(live.capAdd)} drop ${list(live.capDrop)}, planned drop ${list(s.capDrop)}`,
      `привилегии (capabilities): добавлены ${list(live.capAdd)}, сброшены ${list(live.capDrop)}, по плану сброшены ${list(s.capDrop)}`,
      `HostConfig.CapAdd: ${list(live.capAdd)}, CapDrop: ${list(live.capDrop)}`,
    );
  // A specification publishes no port: a gateway is reached on its own address.
  if (live.publishedPorts.length)
    add(
      'ports',
      `publishes ports ${live.publishedPorts.join(', ')}`,
      `публикует порты ${live.publishedPorts.join(', ')}`,
      `HostConfig.PortBindings: ${list(live.publishedPorts)}`,
    );
  if (live.restart !== spec.restart)
    add(
      'restart',
      `restart policy ${live.restart || 'none'}, planned ${spec.restart}`,
      `политика перезапуска ${live.restart || 'отсутствует'}, по плану ${spec.restart}`,
      `HostConfig.RestartPolicy.Name: ${JSON.stringify(live.restart)}`,
    );
  if (live.running && live.health === 'unhealthy')
    add('unhealthy', 'unhealthy', 'проверка работоспособности не проходит', 'State.Health.Status: unhealthy');
  return out;
}
