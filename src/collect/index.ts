// collect: reads the live state — edge rulesets over SSH, gateway containers from Docker, bus
// registrations from the management API. Reads only, never writes; a host that cannot be read
// is returned as a value ("not checked"), so one dead host never stops a fleet-wide run.
import { shortHash } from '../hash.js';
import { mapBounded } from '../concurrency.js';
import type { ContourName, OperatorFile } from '../inventory/index.js';
import { BusClient, type BusState } from '../infra/bus.js';
import { inspectMany, listContainers } from '../infra/docker.js';
import { withEdge } from '../infra/edges.js';
import { listRuleset } from '../infra/firewall.js';
import { readCredentials } from '../infra/secrets.js';
import type { PlannedEdge } from '../plan/index.js';
import { GATEWAY_LABELS, parseNftJson, type TableModel } from '../render/index.js';

export type Collected<T> = { ok: true; value: T } | { ok: false; error: string };

export interface EdgeState {
  edge: string;
  tables: Map<string, TableModel>;
  sshCommands: number;
}

/** One SSH session and one `nft -j list ruleset` per edge (after any apply in progress there: listRuleset), edges concurrently (bounded). */
export async function collectEdges(
  edges: readonly PlannedEdge[],
  options: { concurrency?: number; onDone?: () => void } = {},
): Promise<Array<Collected<EdgeState> & { edge: string }>> {
  return mapBounded(edges, options.concurrency ?? 8, async (edge) => {
    try {
      const out = await withEdge(edge, listRuleset, { connectTimeoutMs: 5_000 });
      return {
        edge: edge.id,
        ok: true as const,
        value: { edge: edge.id, tables: parseNftJson(out.stdout), sshCommands: 1 },
      };
    } catch (error) {
      return { edge: edge.id, ok: false as const, error: (error as Error).message };
    } finally {
      options.onDone?.();
    }
  });
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
export async function collectGateways(): Promise<Collected<{ containers: GatewayContainer[]; dockerCalls: number }>> {
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
    return { ok: false, error: (error as Error).message };
  }
}

function hashOf(text: string | undefined): string | undefined {
  return text === undefined ? undefined : shortHash(text);
}

export async function collectBus(operator: OperatorFile, contour: ContourName): Promise<Collected<BusState>> {
  try {
    const bus = operator.contours[contour].bus;
    const { username, password } = await readCredentials(bus.credentials);
    return { ok: true, value: await new BusClient({ url: bus.url, vhost: bus.vhost, username, password }).read() };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
