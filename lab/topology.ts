// The lab's layout, a pure function of the plan: which Docker networks and containers stand
// for the transit network, the edges, the participants' networks and endpoint hosts.
//
//   hub (10.200.0.254 + every gateway address as /32)  ── transit ──  edge-N  ── participant nets ── endpoints, decoys
//                                                                        └── mgmt (SSH on 127.0.0.1) ── bus (API on 127.0.0.1)
//
// The second Docker host (a container running its own dockerd) stands on the transit network too;
// its gateway networks live inside it, routed via its transit address.
//
// The hub holds the gateway addresses so that probes leave with a gateway's source address and
// cross the edge exactly as a gateway's traffic would. Participant hosts route everything via
// their edge. The networks are not Docker `--internal`: with br_netfilter, Docker's isolation
// rules for internal networks drop bridged frames whose source is outside the subnet, which is
// exactly the routed traffic the lab must carry.
import path from 'node:path';
import {
  addressValue,
  type ContourName,
  cidrInterval,
  CONTOURS,
  formatAddress,
  type OperatorFile,
} from '../src/inventory/index.js';
import { PROBE_EXTRA_PORTS, undeclaredAddress, type Plan, type PlannedEdge } from '../src/plan/index.js';
import { PROJECT_ROOT } from '../src/project.js';

export const LAB_PREFIX = 'prichal-lab';
/** Management network for SSH and the bus API; chosen outside 10/8 (inventory space) and 192.0.2.0/24 (uplink). */
export const MGMT_SUBNET = '172.30.99.0/24';
/** The SSH host keys of the lab's hosts, fixed per lab so that an inventory can pin them: `<id>` and `<id>.pub`. */
export const HOSTKEYS_DIR = path.join(PROJECT_ROOT, 'scripts', 'lab', 'hostkeys');

/**
 * The second Docker host, the lab's own until operator files declare gateway hosts. Its gateway
 * networks are chosen beside the management network: outside 10/8 (inventory space), the lab's
 * other networks and 192.0.2.0/24 (uplink); a /22 each holds a thousand gateways.
 */
const DOCKER_HOST = {
  id: 'docker-2',
  sshPort: 2210,
  user: 'prichal',
  credentials: 'docker2',
  subnets: { test: '172.30.104.0/22', prod: '172.30.108.0/22' },
} as const;

export interface LabNetwork {
  name: string;
  subnet: string;
  internal: boolean;
  /**
   * Docker masquerades a non-internal network's subnet when it leaves by another bridge; with
   * br_netfilter that rewrites the gateways' source addresses as they cross the transit
   * network. Only the management network (published ports) keeps it.
   */
  masquerade: boolean;
}

export interface LabEdge {
  id: string;
  container: string;
  sshPort: number;
  transit: string;
  /** Participant networks attached to this edge, with the edge's (router) address in each. */
  attachments: Array<{ network: string; address: string }>;
  /** Routes to the gateway pools via the hub. */
  routes: Array<{ destination: string; via: string }>;
}

export interface LabHost {
  container: string;
  participant: string;
  network: string;
  address: string;
  router: string;
  ports: number[];
  /** Decoys stand at undeclared addresses: any answer from them means the firewall leaks. */
  role: 'endpoint' | 'decoy';
}

/** A Docker host of the lab besides the machine's own Docker, reached like an operator's gateway host. */
export interface LabDockerHost {
  id: string;
  container: string;
  /** SSH on 127.0.0.1:sshPort as `user`, with the host key HOSTKEYS_DIR/<id> and the client key in the secret `credentials`. */
  sshPort: number;
  user: string;
  credentials: string;
  /** Its address on the transit network: where the edges route its gateway networks. */
  transit: string;
  /** The gateway networks of its own dockerd, one per contour, named as operator.yaml's gateways.network says. */
  networks: Array<{ contour: ContourName; name: string; subnet: string }>;
  /** Participant networks via their edges: the way back for its gateways' traffic. */
  routes: Array<{ destination: string; via: string }>;
}

export interface LabTopology {
  networks: LabNetwork[];
  /** Contour networks holding the gateways (subnet = the contour's gatewayPool). */
  gatewayNetworks: Record<'test' | 'prod', LabNetwork>;
  mgmt: LabNetwork;
  transit: LabNetwork;
  hub: {
    container: string;
    address: string;
    sshPort: number;
    gatewayAddresses: string[];
    routes: Array<{ destination: string; via: string }>;
  };
  edges: LabEdge[];
  hosts: LabHost[];
  bus: { container: string; apiPort: number };
  dockerHost: LabDockerHost;
}

export interface TopologyOptions {
  /** Without participant hosts: only edges, hub and bus (benchmarks at 10,000 participants). */
  withHosts?: boolean;
}

/** What the lab builds from operator.yaml: the estate it declares (version 2: gateways and hub). */
export class LabDeclarationError extends Error {
  override readonly name = 'LabDeclarationError';
}

const slug = (text: string) => text.replace(/[^a-z0-9-]/g, '-');

function transitSubnet(edges: readonly PlannedEdge[]): string {
  // The /24 holding the edges' transit addresses (they must share it to reach the hub).
  const first = addressValue(edges[0]!.transit);
  const base = first - (first % 256);
  for (const e of edges) {
    if (addressValue(e.transit) - (addressValue(e.transit) % 256) !== base)
      throw new Error(`the lab needs all edge transit addresses in one /24; ${e.id} has ${e.transit}`);
  }
  return `${formatAddress(base)}/24`;
}

export function labTopology(plan: Plan, operator: OperatorFile, options: TopologyOptions = {}): LabTopology {
  if (plan.edges.length === 0) throw new LabDeclarationError('the inventory declares no edges');
  if (!operator.gateways || !operator.hub)
    throw new LabDeclarationError(
      "the lab builds the estate operator.yaml declares: it needs 'gateways' (image and network per contour) and 'hub' (its SSH target), version-2 fields",
    );
  const allowedPorts = operator.policy.allowedPorts;
  const gatewayPools = [operator.contours.test.gatewayPool, operator.contours.prod.gatewayPool];
  const transitCidr = transitSubnet(plan.edges);
  const transitBase = cidrInterval(transitCidr).start;
  const hubAddress = formatAddress(transitBase + 254);
  const mgmt: LabNetwork = { name: `${LAB_PREFIX}-mgmt`, subnet: MGMT_SUBNET, internal: false, masquerade: true };
  const transit: LabNetwork = {
    name: `${LAB_PREFIX}-transit`,
    subnet: transitCidr,
    internal: false,
    masquerade: false,
  };
  const gatewayNetworks = {
    test: {
      name: operator.gateways.network.test,
      subnet: operator.contours.test.gatewayPool,
      internal: false,
      masquerade: false,
    },
    prod: {
      name: operator.gateways.network.prod,
      subnet: operator.contours.prod.gatewayPool,
      internal: false,
      masquerade: false,
    },
  };
  const networks: LabNetwork[] = [mgmt, transit, gatewayNetworks.test, gatewayNetworks.prod];
  const hosts: LabHost[] = [];
  const registrations = CONTOURS.flatMap((c) => plan.contours[c].registrations);
  const edgeOf = new Map(registrations.map((r) => [r.participant, r.edge]));
  const attachments = new Map<string, LabEdge['attachments']>();
  const hubRoutes: Array<{ destination: string; via: string }> = [];
  const transitOf = new Map(plan.edges.map((e) => [e.id, e.transit]));

  // One entry per participant (its networks and endpoints are the same in both contours).
  const seen = new Set<string>();
  for (const r of registrations) {
    if (seen.has(r.participant)) continue;
    seen.add(r.participant);
    const edge = edgeOf.get(r.participant)!;
    const endpointsByAddress = new Map<string, number[]>();
    for (const c of CONTOURS) {
      for (const e of plan.contours[c].registrations.find((x) => x.participant === r.participant)?.endpoints ?? []) {
        endpointsByAddress.set(e.address, [...(endpointsByAddress.get(e.address) ?? []), e.port]);
      }
    }
    r.networks.forEach((cidr, i) => {
      hubRoutes.push({ destination: cidr, via: transitOf.get(edge)! });
      if (options.withHosts === false) return;
      const name = `${LAB_PREFIX}-net-${slug(r.participant)}-${i}`;
      networks.push({ name, subnet: cidr, internal: false, masquerade: false });
      const { start, end } = cidrInterval(cidr);
      const used = new Set([...endpointsByAddress.keys()].map(addressValue));
      const free = (from: number) => {
        for (let v = from; v > start; v--) if (!used.has(v)) return (used.add(v), v);
        throw new Error(`no free address left in ${cidr} for the lab`);
      };
      // The decoy stands where the probe looks for an undeclared address (plan/probe.ts). Docker's
      // bridge takes the first host address; the edge routes from the highest one left.
      const decoy = undeclaredAddress(cidr, used);
      if (!decoy) throw new LabDeclarationError(`no free address left in ${cidr} for the lab's decoy`);
      used.add(start + 1);
      used.add(addressValue(decoy));
      const router = formatAddress(free(end - 1));
      attachments.set(edge, [...(attachments.get(edge) ?? []), { network: name, address: router }]);
      for (const [address, ports] of endpointsByAddress) {
        const value = addressValue(address);
        if (value < start || value > end) continue;
        const listen = [...new Set([...allowedPorts, ...PROBE_EXTRA_PORTS, ...ports])].sort((a, b) => a - b);
        hosts.push({
          container: `${LAB_PREFIX}-ep-${slug(r.participant)}-${address.replace(/\./g, '-')}`,
          participant: r.participant,
          network: name,
          address,
          router,
          ports: listen,
          role: 'endpoint',
        });
      }
      const ports = [...new Set([...allowedPorts, ...PROBE_EXTRA_PORTS])].sort((a, b) => a - b);
      hosts.push({
        container: `${LAB_PREFIX}-decoy-${slug(r.participant)}-${i}`,
        participant: r.participant,
        network: name,
        address: decoy,
        router,
        ports,
        role: 'decoy',
      });
    });
  }

  const gatewayAddresses = CONTOURS.flatMap((c) => plan.contours[c].registrations.map((r) => r.gateway));
  return {
    networks,
    gatewayNetworks,
    mgmt,
    transit,
    hub: {
      container: `${LAB_PREFIX}-hub`,
      address: hubAddress,
      sshPort: operator.hub.ssh.port,
      gatewayAddresses,
      routes: hubRoutes,
    },
    edges: plan.edges.map((e) => ({
      id: e.id,
      container: `${LAB_PREFIX}-${slug(e.id)}`,
      sshPort: e.ssh.port,
      transit: e.transit,
      attachments: attachments.get(e.id) ?? [],
      routes: gatewayPools.map((pool) => ({ destination: pool, via: hubAddress })),
    })),
    hosts,
    bus: { container: `${LAB_PREFIX}-bus`, apiPort: 15672 },
    dockerHost: {
      id: DOCKER_HOST.id,
      container: `${LAB_PREFIX}-${DOCKER_HOST.id}`,
      sshPort: DOCKER_HOST.sshPort,
      user: DOCKER_HOST.user,
      credentials: DOCKER_HOST.credentials,
      transit: formatAddress(transitBase + 253),
      networks: CONTOURS.map((contour) => ({
        contour,
        name: gatewayNetworks[contour].name,
        subnet: DOCKER_HOST.subnets[contour],
      })),
      routes: hubRoutes,
    },
  };
}
