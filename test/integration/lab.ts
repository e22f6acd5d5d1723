// Shared access to the lab for integration tests: the sample plan, edge connections, bus clients.
import { checkInventory } from '../../src/requirements/index.js';
import {
  applyFirewalls as applyPlannedFirewalls,
  busClient,
  connectEdge,
  withEdge,
} from '../../src/workflows/context.js';
import { CONTOURS, type OperatorFile } from '../../src/inventory/index.js';
import { type DockerHost, parseDockerEndpoint, withDockerHost } from '../../src/infra/docker-api.js';
import { applyGatewayShard } from '../../src/infra/pulumi/gateway-provider.js';
import { byParticipant, gatewayEntry } from '../../src/infra/pulumi/gateway-shard.js';
import { gatewaySpec, plannedChannel } from '../../src/render/index.js';
import { applyChannel } from '../../src/infra/channel.js';
import { readCredentials } from '../../src/infra/secrets.js';
import type { Plan, PlannedEdge } from '../../src/plan/index.js';
import { labCoordinatorConfig, writeLabCoordinatorConfig } from '../../lab/coordinator.js';
import { LAB_PREFIX } from '../../lab/topology.js';
import { SAMPLE_INVENTORY } from '../helpers/inventory.js';

export async function loadSample(): Promise<{ plan: Plan; operator: OperatorFile }> {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  if (!checked.ok || !checked.plan || !checked.validation.inventory.operator)
    throw new Error('the sample inventory does not validate');
  return { plan: checked.plan, operator: checked.validation.inventory.operator.value };
}

/**
 * What the ViPNet administrator does when the approved participants change (Prichal never writes
 * the coordinator's configuration): the lab's writer puts each coordinator's file as `plan` wants it.
 */
export async function writeLabCoordinators(plan: Plan): Promise<void> {
  for (const c of plan.coordinators)
    if (c.config && c.node)
      await writeLabCoordinatorConfig(
        `${LAB_PREFIX}-${c.edge}`,
        c.config,
        labCoordinatorConfig(c, edge(plan, c.edge).transit),
      );
}

export function edge(plan: Plan, id: string): PlannedEdge {
  const found = plan.edges.find((e) => e.id === id);
  if (!found) throw new Error(`no edge ${id}`);
  return found;
}

/**
 * Removes from the sample's vhosts every registration Prichal made that the sample's plan does not
 * have (users with permissions there, and queues named prichal.*): leftovers of earlier runs or an
 * older sample would otherwise be "extra" findings in every drift test. Returns what it removed.
 */
export async function removeUnplannedRegistrations(plan: Plan, operator: OperatorFile): Promise<string[]> {
  const removed: string[] = [];
  for (const contour of ['test', 'prod'] as const) {
    const client = await busClient(operator, contour);
    const state = await client.read();
    const planned = new Set(plan.contours[contour].registrations.map((r) => r.mnemonic));
    const present = new Set([
      ...state.permissions.map((p) => p.user).filter((u) => state.users.includes(u)),
      ...state.queues.map((q) => q.replace(/^prichal\./, '').replace(/\.in$/, '')),
    ]);
    for (const mnemonic of present) {
      if (planned.has(mnemonic)) continue;
      await client.remove(mnemonic);
      removed.push(`${contour}:${mnemonic}`);
    }
  }
  return removed;
}

/** Tests put the lab back after tampering with it: a full replace, which repairs any hand edit (a delta would keep those it does not touch). */
export const applyFirewalls = (edges: readonly PlannedEdge[]) => applyPlannedFirewalls(edges, { full: true });

export { busClient, connectEdge, withEdge };

/** Each edge's channel as planned (links, routes to the participants' networks and to the gateway hosts), as `up` sets it. */
export async function applyChannels(plan: Plan): Promise<void> {
  for (const e of plan.edges) {
    const channel = plannedChannel(plan, e.id);
    if (channel.links.length || channel.gatewayRoutes.length) await withEdge(e, (conn) => applyChannel(conn, channel));
  }
}

/** A call to a contour's bus management API as its administrator (404 is an answer, not an error): for tests that change the bus behind Prichal's back. */
export async function busAdminFetch(
  operator: OperatorFile,
  contour: 'test' | 'prod',
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<Response> {
  const { username, password } = await readCredentials(operator.contours[contour].bus.credentials);
  const response = await fetch(new URL(`/api${apiPath}`, operator.contours[contour].bus.url), {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok && response.status !== 404) throw new Error(`${method} ${apiPath}: HTTP ${response.status}`);
  return response;
}

/**
 * Starts (or adopts, when already running as specified) a contour's planned gateways on the hosts
 * the plan places them on, through the provider's own apply and outside any stack: for tests that
 * need the sample's gateways without an engine run. One shard per host.
 */
export async function startGateways(plan: Plan, operator: OperatorFile, contour: 'test' | 'prod'): Promise<void> {
  const options = { image: operator.gateways!.image, network: operator.gateways!.network[contour] };
  for (const host of plan.gatewayHosts) {
    const gateways = plan.contours[contour].registrations
      .filter((r) => r.host === host.id)
      .map((r) => gatewayEntry(r, gatewaySpec(r, contour, options)))
      .sort(byParticipant);
    if (!gateways.length) continue;
    const ref = {
      id: host.id,
      docker: host.docker,
      hostKey: host.hostKey ?? null,
      credentials: host.credentials ?? null,
    };
    await applyGatewayShard(undefined, { contour, host: ref, shard: 'tests', ...options, gateways });
  }
}

/** The Docker host a participant's gateways are placed on, open for `work` (closed after). */
export function onGatewayHost<T>(plan: Plan, participant: string, work: (host: DockerHost) => Promise<T>): Promise<T> {
  const id = CONTOURS.flatMap((c) => plan.contours[c].registrations).find((r) => r.participant === participant)?.host;
  const host = plan.gatewayHosts.find((h) => h.id === id);
  if (!host) throw new Error(`${participant} has no gateway host in the plan`);
  const pin = host.hostKey && host.credentials ? { hostKey: host.hostKey, credentials: host.credentials } : undefined;
  return withDockerHost(parseDockerEndpoint(host.docker, pin), work);
}

/** `work` on each gateway host of the plan in turn (each opened and closed), in the plan's order. */
export async function onEveryGatewayHost<T>(plan: Plan, work: (host: DockerHost) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const host of plan.gatewayHosts) {
    const pin = host.hostKey && host.credentials ? { hostKey: host.hostKey, credentials: host.credentials } : undefined;
    results.push(await withDockerHost(parseDockerEndpoint(host.docker, pin), work));
  }
  return results;
}
