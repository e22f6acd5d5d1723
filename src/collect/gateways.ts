// The gateway containers on every gateway host of the plan, each host read through its Docker
// Engine API, checked against the specifications planned there: GW-1 present, running, as
// planned and hardened (the rule infra/gateway-differences.ts holds, shared with the engine's
// refresh); no unmanaged container carries Prichal's label; a gateway planned on one host that
// runs on another is reported where it runs. A host that cannot be read leaves GW-1 of the
// participants placed on it not checked: none of its gateways is reported missing, and every
// other host is still checked.
import { mapBounded } from '../concurrency.js';
import { parseDockerEndpoint, withDockerHost, type DockerConnectOptions } from '../infra/docker-api.js';
import { gatewayDifferences, liveGateway, type LiveGateway } from '../infra/gateway-differences.js';
import { CONTOURS } from '../inventory/index.js';
import type { Plan, PlannedGatewayHost } from '../plan/index.js';
import { GATEWAY_LABELS, gatewaySpec, type GatewaySpec } from '../render/index.js';
import { judgedBy } from '../requirements/index.js';
import { inContourRu } from '../words.js';
import {
  unreadable,
  type Collected,
  type GatewayOptions,
  type HostSource,
  type LiveFinding,
  type Subject,
} from './source.js';

export interface GatewayHostSubject extends Subject {
  host: PlannedGatewayHost;
}

/** What one gateway host gave: its containers labelled as Prichal's gateways, and the Engine API requests that took. */
export interface GatewayHostRead {
  containers: LiveGateway[];
  requests: number;
}

/** How the result names a gateway host (its subject, in unchecked and in reads). */
export const gatewayHostSubject = (id: string): string => `gateway host ${id}`;

export const gateways: HostSource<GatewayHostSubject, GatewayHostRead> = {
  name: 'gateways',
  informs: judgedBy('gateways'),
  // Without the planned image and networks there is nothing to compare the containers with.
  subjects: ({ plan, gateways: options }) =>
    options ? plan.gatewayHosts.map((host) => ({ name: gatewayHostSubject(host.id), host })) : [],
  read: (subject) => readGatewayHost(subject.host),
  calls: (read) => read.requests,
  check(readings, { plan, gateways: options }) {
    if (!options)
      return {
        findings: [],
        unchecked: plan.gatewayHosts.map((host) => ({
          subject: gatewayHostSubject(host.id),
          requirements: [...gateways.informs],
          reason:
            'operator.yaml declares no gateways (image and network per contour), so there is nothing to compare the containers with',
        })),
      };
    const read = new Map(readings.flatMap((r) => (r.ok ? [[r.subject.host.id, r.value.containers] as const] : [])));
    return { findings: checkGatewayHosts(expectedGateways(plan, options), read) };
  },
  record: (readings) => {
    const read = readings.flatMap((r) => (r.ok ? [[r.subject.host.id, r.calls] as const] : []));
    return { dockerCalls: read.reduce((sum, [, calls]) => sum + calls, 0), dockerRequests: Object.fromEntries(read) };
  },
};

/** A gateway the plan expects, and the host it is placed on. */
export type PlannedGateway = GatewaySpec & { host: string };

/** The gateway every registration of the plan should have, in both contours, each with its host. */
export function expectedGateways(plan: Plan, options: GatewayOptions): PlannedGateway[] {
  return CONTOURS.flatMap((c) =>
    plan.contours[c].registrations.map((r) => ({
      ...gatewaySpec(r, c, { image: options.image, network: options.network[c] }),
      host: r.host,
    })),
  );
}

/** Inspections at once on one host: each is a request of its own (over SSH, a channel of the one connection). */
const INSPECTIONS_AT_ONCE = 16;

/**
 * One gateway host's containers labelled with a Prichal participant: one listing, then each
 * container inspected, INSPECTIONS_AT_ONCE at a time. The listing alone cannot be checked: its
 * summaries leave out the read-only root, the capabilities, the user, the restart policy and the
 * environment the configuration's hash is taken from; and the Engine API has no inspection of
 * several containers in one request (`docker inspect a b` makes one request each too). Listing
 * first rather than inspecting each planned name finds the containers no plan has there, and a
 * planned one that is missing costs no request.
 */
export async function readGatewayHost(
  host: PlannedGatewayHost,
  options: DockerConnectOptions = {},
): Promise<Collected<GatewayHostRead>> {
  try {
    const pin = host.hostKey && host.credentials ? { hostKey: host.hostKey, credentials: host.credentials } : undefined;
    const value = await withDockerHost(
      parseDockerEndpoint(host.docker, pin),
      async (docker) => {
        const listed = await docker.listContainers({ [GATEWAY_LABELS.participant]: true });
        const inspected = await mapBounded(listed, INSPECTIONS_AT_ONCE, (c) => docker.inspectContainer(c.Id));
        // A container removed between the listing and its inspection is gone: left out.
        return { containers: inspected.flatMap((d) => (d ? [liveGateway(d)] : [])), requests: 1 + listed.length };
      },
      { connectTimeoutMs: 5_000, maxConnections: INSPECTIONS_AT_ONCE, ...options },
    );
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: unreadable(error) };
  }
}

/**
 * GW-1 over the hosts read (host id → its labelled containers; a host left out could not be
 * read): each gateway planned on a host read is checked there; a container on a host other than
 * its own is reported on the host it runs on (and not as missing from its own); any other
 * labelled container is unmanaged. The gateways planned on a host not read give nothing here.
 */
export function checkGatewayHosts(
  planned: readonly PlannedGateway[],
  read: ReadonlyMap<string, readonly LiveGateway[]>,
): LiveFinding[] {
  const out: LiveFinding[] = [];
  const plannedByName = new Map(planned.map((g) => [g.name, g]));
  const onHost = new Map([...read].map(([host, containers]) => [host, new Map(containers.map((c) => [c.name, c]))]));
  const elsewhere = new Set<string>();
  for (const [host, containers] of read)
    for (const c of containers) {
      const g = plannedByName.get(c.name);
      if (g && g.host !== host) elsewhere.add(c.name);
    }

  for (const g of planned) {
    const containers = onHost.get(g.host);
    if (!containers) continue;
    const live = containers.get(g.name);
    if (!live && elsewhere.has(g.name)) continue;
    const fix = `re-provision the gateway of ${g.participant} in ${g.contour} on host ${g.host} from its specification`;
    const fixRu = `пересоздайте шлюз ${g.participant} ${inContourRu(g.contour)} на хосте ${g.host} по его спецификации`;
    for (const d of gatewayDifferences(g, live)) {
      const started = d.kind === 'stopped';
      out.push({
        requirement: 'GW-1',
        participant: g.participant,
        contour: g.contour,
        subject: g.name,
        severity: 'error',
        message: d.en,
        evidence: `host ${g.host}: ${d.evidence}`,
        fix: started ? `start it on host ${g.host}: docker start ${g.name}` : fix,
        ru: { message: d.ru, fix: started ? `запустите его на хосте ${g.host}: docker start ${g.name}` : fixRu },
      });
    }
  }

  for (const [host, containers] of read)
    for (const c of containers) {
      const g = plannedByName.get(c.name);
      if (g?.host === host) continue;
      const evidence = `host ${host}: labels ${JSON.stringify(c.labels)}`;
      const remove = `docker rm -f ${c.name}`;
      if (g) {
        // Found where it was planned too: only the copy here is wrong.
        const there = onHost.get(g.host)?.has(g.name) ?? false;
        out.push({
          requirement: 'GW-1',
          participant: g.participant,
          contour: g.contour,
          subject: g.name,
          severity: 'error',
          message: `runs on host ${host}, planned on host ${g.host}`,
          evidence,
          fix: there
            ? `remove it from host ${host} (${remove}): the gateway runs on host ${g.host} as planned`
            : `provision the gateway on host ${g.host} from its specification, then remove it from host ${host} (${remove})`,
          ru: {
            message: `работает на хосте ${host}, по плану — на хосте ${g.host}`,
            fix: there
              ? `удалите его с хоста ${host} (${remove}): шлюз работает на хосте ${g.host}, как в плане`
              : `разверните шлюз на хосте ${g.host} по его спецификации, затем удалите его с хоста ${host} (${remove})`,
          },
        });
        continue;
      }
      const participant = c.labels[GATEWAY_LABELS.participant];
      out.push({
        requirement: 'GW-1',
        ...(participant ? { participant } : {}),
        subject: c.name,
        severity: 'error',
        message: "unmanaged container carrying Prichal's label",
        evidence,
        fix: `remove it from host ${host} (${remove}) or add the participant to the inventory`,
        ru: {
          message: 'неуправляемый контейнер с меткой Prichal',
          fix: `удалите его с хоста ${host} (${remove}) или добавьте участника в реестр`,
        },
      });
    }
  return out;
}
