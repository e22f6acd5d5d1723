// The gateway containers on the Docker host (one listing, one batched inspect), checked against
// their specifications: GW-1 present, running, as planned and hardened; no unmanaged container
// carries Prichal's label.
import { judgedBy } from '../requirements/index.js';
import { shortHash } from '../hash.js';
import { inspectMany, listContainers } from '../infra/docker.js';
import { CONTOURS } from '../inventory/index.js';
import type { Plan } from '../plan/index.js';
import { GATEWAY_LABELS, gatewaySpec, type GatewaySpec } from '../render/index.js';
import { inContourRu } from '../words.js';
import {
  unreadable,
  type Collected,
  type GatewayOptions,
  type HostSource,
  type LiveFinding,
  type Subject,
} from './source.js';

export interface GatewayRead {
  containers: GatewayContainer[];
  dockerCalls: number;
}

export const gateways: HostSource<Subject, GatewayRead> = {
  name: 'gateways',
  informs: judgedBy('gateways'),
  // Without the planned image and networks there is nothing to compare the containers with.
  subjects: (context) => (context.gateways ? [{ name: 'docker' }] : []),
  read: () => collectGateways(),
  calls: (read) => read.dockerCalls,
  check(readings, { plan, gateways: options }) {
    if (!options)
      return {
        findings: [],
        unchecked: [
          {
            subject: 'docker',
            requirements: [...gateways.informs],
            reason:
              'operator.yaml declares no gateways (image and network per contour), so there is nothing to compare the containers with',
          },
        ],
      };
    const docker = readings.find((r) => r.ok);
    return { findings: docker?.ok ? checkGateways(expectedGateways(plan, options), docker.value.containers) : [] };
  },
  record: (readings) => ({ dockerCalls: readings.reduce((sum, r) => sum + (r.ok ? r.calls : 0), 0) }),
};

/** The gateway every registration of the plan should have, in both contours. */
export function expectedGateways(plan: Plan, options: GatewayOptions): GatewaySpec[] {
  return CONTOURS.flatMap((c) =>
    plan.contours[c].registrations.map((r) => gatewaySpec(r, c, { image: options.image, network: options.network[c] })),
  );
}

export interface GatewayContainer {
  name: string;
  labels: Record<string, string>;
  running: boolean;
  status: string;
  health: string | undefined;
  image: string;
  privileged: boolean;
  readOnlyRootfs: boolean;
  capAdd: string[];
  capDrop: string[];
  publishedPorts: string[];
  address: string | undefined;
  /** Docker networks the container is attached to. */
  networks: string[];
  /** SHA-256 (16 hex) of the configuration the container really runs with (its GATEWAY_CONF). */
  configHash: string | undefined;
}

interface Inspect {
  Name: string;
  Config: { Labels: Record<string, string>; Image: string; Env: string[] | null };
  State: { Running: boolean; Status: string; Health?: { Status: string } };
  HostConfig: {
    Privileged: boolean;
    ReadonlyRootfs: boolean;
    CapAdd: string[] | null;
    CapDrop: string[] | null;
    PortBindings: Record<string, unknown> | null;
  };
  NetworkSettings: { Networks: Record<string, { IPAMConfig?: { IPv4Address?: string } | null; IPAddress?: string }> };
}

/** Every container carrying a Prichal participant label: one listing, one batched inspect. */
export async function collectGateways(): Promise<Collected<GatewayRead>> {
  try {
    const names = await listContainers(`label=${GATEWAY_LABELS.participant}`);
    const inspected = await inspectMany<Inspect>('container', names);
    const containers = inspected.map((c) => {
      const net = Object.values(c.NetworkSettings.Networks)[0];
      return {
        name: c.Name.replace(/^\//, ''),
        labels: c.Config.Labels ?? {},
        running: c.State.Running,
        status: c.State.Status,
        health: c.State.Health?.Status,
        image: c.Config.Image,
        privileged: c.HostConfig.Privileged,
        readOnlyRootfs: c.HostConfig.ReadonlyRootfs,
        capAdd: c.HostConfig.CapAdd ?? [],
        capDrop: c.HostConfig.CapDrop ?? [],
        publishedPorts: Object.keys(c.HostConfig.PortBindings ?? {}),
        address: net?.IPAMConfig?.IPv4Address ?? net?.IPAddress,
        networks: Object.keys(c.NetworkSettings.Networks).sort(),
        // Only the gateway configuration is read from the environment, and only as a hash.
        configHash: hashOf(
          (c.Config.Env ?? []).find((e) => e.startsWith('GATEWAY_CONF='))?.slice('GATEWAY_CONF='.length),
        ),
      };
    });
    return { ok: true, value: { containers, dockerCalls: names.length ? 2 : 1 } };
  } catch (error) {
    return { ok: false, error: unreadable(error) };
  }
}

function hashOf(text: string | undefined): string | undefined {
  return text === undefined ? undefined : shortHash(text);
}

function checkGateways(specs: readonly GatewaySpec[], containers: readonly GatewayContainer[]): LiveFinding[] {
  const out: LiveFinding[] = [];
  const byName = new Map(containers.map((c) => [c.name, c]));
  for (const spec of specs) {
    const c = byName.get(spec.name);
    const base = {
      requirement: 'GW-1',
      participant: spec.participant,
      contour: spec.contour,
      subject: spec.name,
      severity: 'error',
    } as const;
    const fix = `re-provision the gateway of ${spec.participant} in ${spec.contour} from its specification`;
    const fixRu = `пересоздайте шлюз ${spec.participant} ${inContourRu(spec.contour)} по его спецификации`;
    const ru = (message: string, fixText = fixRu) => ({ ru: { message, fix: fixText } });
    if (!c) {
      out.push({
        ...base,
        message: 'gateway container is missing',
        evidence: `no container ${spec.name}`,
        fix,
        ...ru('контейнера шлюза нет'),
      });
      continue;
    }
    if (!c.running)
      out.push({
        ...base,
        message: `gateway is not running (${c.status})`,
        evidence: `State.Status: ${c.status}`,
        fix: `start it: docker start ${spec.name}`,
        ...ru(`шлюз не работает (${c.status})`, `запустите его: docker start ${spec.name}`),
      });
    if (c.image !== spec.image)
      out.push({
        ...base,
        message: `runs image ${c.image}, planned ${spec.image}`,
        evidence: `Config.Image: ${c.image}`,
        fix,
        ...ru(`работает на образе ${c.image}, по плану ${spec.image}`),
      });
    if (c.configHash !== spec.configHash)
      out.push({
        ...base,
        message: `runs configuration ${c.configHash ?? 'none'}, planned ${spec.configHash}`,
        evidence: 'sha256 of the GATEWAY_CONF the container runs with',
        fix,
        ...ru(`работает с конфигурацией ${c.configHash ?? 'без конфигурации'}, по плану ${spec.configHash}`),
      });
    if (c.privileged)
      out.push({
        ...base,
        message: 'gateway is privileged',
        evidence: 'HostConfig.Privileged: true',
        fix,
        ...ru('шлюз запущен в привилегированном режиме'),
      });
    if (!c.readOnlyRootfs)
      out.push({
        ...base,
        message: 'root filesystem is writable',
        evidence: 'HostConfig.ReadonlyRootfs: false',
        fix,
        ...ru('корневая файловая система доступна на запись'),
      });
    const extraCaps = c.capAdd.filter((cap) => !spec.security.capAdd.includes(cap));
    if (extraCaps.length || !c.capDrop.includes('ALL'))
      out.push({
        ...base,
        message: `capabilities beyond the planned: ${extraCaps.length ? `adds ${extraCaps.join(', ')}` : 'does not drop ALL'}`,
        evidence: `HostConfig.CapAdd: ${JSON.stringify(c.capAdd)}, CapDrop: ${JSON.stringify(c.capDrop)}`,
        fix,
      });
    if (c.publishedPorts.length)
      out.push({
        ...base,
        message: `publishes ports ${c.publishedPorts.join(', ')}`,
        evidence: 'HostConfig.PortBindings',
        fix,
        ...ru(`публикует порты ${c.publishedPorts.join(', ')}`),
      });
    if (!c.networks.includes(spec.network))
      out.push({
        ...base,
        message: `attached to ${c.networks.join(', ') || 'no network'}, planned ${spec.network}`,
        evidence: 'NetworkSettings.Networks',
        fix,
        ...ru(`подключён к ${c.networks.join(', ') || 'никакой сети'}, по плану ${spec.network}`),
      });
    if (c.address !== spec.address)
      out.push({
        ...base,
        message: `address ${c.address ?? 'none'}, planned ${spec.address}`,
        evidence: 'NetworkSettings',
        fix,
        ...ru(`адрес ${c.address ?? 'отсутствует'}, по плану ${spec.address}`),
      });
  }
  const planned = new Set(specs.map((s) => s.name));
  for (const c of containers) {
    if (planned.has(c.name)) continue;
    out.push({
      requirement: 'GW-1',
      participant: c.labels['prichal.participant'] ?? '',
      subject: c.name,
      severity: 'error',
      message: "unmanaged container carrying Prichal's label",
      evidence: `labels: ${JSON.stringify(c.labels)}`,
      fix: `remove it (docker rm -f ${c.name}) or add the participant to the inventory`,
    });
  }
  return out;
}
