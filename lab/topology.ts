// The lab's layout, a pure function of the plan: which Docker networks and containers stand
// for the transit network, the edges, the participants' networks and endpoint hosts.
//
//   hub (10.200.0.254)  ── transit ──  edge-N  ── participant nets ── endpoints, decoys
//                                        │  └── veth /31 ── router-P ── P's nets ── endpoints, decoys   (leased lines)
//                                        └── mgmt (SSH on 127.0.0.1) ── bus (API on 127.0.0.1)
//
// The gateway hosts operator.yaml declares on loopback (ssh://…@127.x) are the lab's Docker hosts:
// containers running their own dockerd, standing on the transit network at their declared transit
// address. Their gateway networks live inside them — the primary's spans each contour's pool, the
// others' their slices — and the hub reaches them by the plan's gateway routes, the edges by the
// same routes as Prichal sets them (the edge's channel), so a probe through a gateway crosses its
// host and its edge exactly as the gateway's traffic does.
// A leased-line participant whose edge declares its circuits stands behind a router of its own:
// a veth pair joins the router to the edge (a point-to-point /31, both addresses usable, RFC 3021
// — a Docker network cannot hold a /31, its bridge takes one of the two addresses). The edge's
// end is left bare: Prichal's `up` gives it the address and the routes, and without them the
// participant's probe fails.
// Participant hosts route everything via their edge. The networks are not Docker `--internal`: with br_netfilter, Docker's isolation
// rules for internal networks drop bridged frames whose source is outside the subnet, which is
// exactly the routed traffic the lab must carry.
import path from 'node:path';
import {
  addressValue,
  type ContourName,
  cidrInterval,
  contains,
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
}

/**
 * A leased-line participant's router: joined to its edge by a veth pair carrying the /31 (the
 * edge's end named as the plan's circuit interface, left for Prichal to configure; the router's
 * end `link0` holding the participant's address), with the participant's networks behind it.
 */
export interface LabRouter {
  container: string;
  participant: string;
  edge: string;
  edgeContainer: string;
  /** The circuit's interface on the edge. */
  interface: string;
  /** The edge's end of the /31 (the router's default route). */
  edgeAddress: string;
  /** The router's end, with its prefix. */
  address: string;
  /** The participant networks it stands on, with its address in each (the hosts' default route). */
  attachments: Array<{ network: string; address: string }>;
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
  /** Its id in operator.yaml's gateways.hosts (and the name of its fixed host key). */
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
    /** Participant networks via their edges, gateway ranges via their hosts. */
    routes: Array<{ destination: string; via: string }>;
  };
  edges: LabEdge[];
  routers: LabRouter[];
  hosts: LabHost[];
  bus: { container: string; apiPort: number };
  /** The gateway hosts operator.yaml declares on loopback, in its order. */
  dockerHosts: LabDockerHost[];
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
  // Leased lines whose edge declares its circuits: the participant's networks hang off a router
  // of its own, behind its link, so that only the edge's route (Prichal's) reaches them.
  const routers = new Map<string, LabRouter>();
  for (const link of plan.links) {
    if (!link.circuit) continue;
    if (link.circuit.vlan)
      throw new LabDeclarationError(
        `edge ${link.edge} takes its circuits as 802.1Q sub-interfaces, which the lab's kernel cannot make: declare circuits: { mode: interface } for the lab`,
      );
    routers.set(link.participant, {
      container: `${LAB_PREFIX}-router-${slug(link.participant)}`,
      participant: link.participant,
      edge: link.edge,
      edgeContainer: `${LAB_PREFIX}-${slug(link.edge)}`,
      interface: link.circuit.interface,
      edgeAddress: link.edgeAddress,
      address: `${link.participantAddress}/31`,
      attachments: [],
    });
  }

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
      const own = routers.get(r.participant);
      if (own) own.attachments.push({ network: name, address: router });
      else attachments.set(edge, [...(attachments.get(edge) ?? []), { network: name, address: router }]);
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

  const gatewayRoutes = plan.gatewayRoutes.map((r) => ({ destination: r.slice, via: r.via }));
  return {
    networks,
    gatewayNetworks,
    mgmt,
    transit,
    hub: {
      container: `${LAB_PREFIX}-hub`,
      address: hubAddress,
      sshPort: operator.hub.ssh.port,
      routes: [...hubRoutes, ...gatewayRoutes],
    },
    edges: plan.edges.map((e) => ({
      id: e.id,
      container: `${LAB_PREFIX}-${slug(e.id)}`,
      sshPort: e.ssh.port,
      transit: e.transit,
      attachments: attachments.get(e.id) ?? [],
    })),
    // A router stands on its networks: without participant hosts (benchmarks) there is none.
    routers: [...routers.values()].filter((r) => r.attachments.length > 0),
    hosts,
    bus: { container: `${LAB_PREFIX}-bus`, apiPort: 15672 },
    dockerHosts: labDockerHosts(operator, transitCidr, hubRoutes),
  };
}

/**
 * The gateway hosts the lab builds: those operator.yaml declares as `ssh://user@127.x:port`. Each
 * needs its transit address inside the transit /24 and a host key in HOSTKEYS_DIR named by its id.
 */
function labDockerHosts(
  operator: OperatorFile,
  transitCidr: string,
  participantRoutes: LabDockerHost['routes'],
): LabDockerHost[] {
  const declared = operator.gateways?.hosts ?? [];
  const transit = cidrInterval(transitCidr);
  return declared.flatMap((host, index) => {
    const url = URL.canParse(host.docker) ? new URL(host.docker) : undefined;
    if (url?.protocol !== 'ssh:' || !url.hostname.startsWith('127.')) return [];
    const at = `gateways.hosts[${index}] (${host.id})`;
    if (!host.transit || !contains(transit, { start: addressValue(host.transit), end: addressValue(host.transit) }))
      throw new LabDeclarationError(
        `${at}: the lab stands its Docker hosts on the transit network ${transitCidr}; give it a transit address there`,
      );
    if (!host.credentials) throw new LabDeclarationError(`${at}: an ssh:// host needs its credentials`);
    return [
      {
        id: host.id,
        container: `${LAB_PREFIX}-${slug(host.id)}`,
        sshPort: Number(url.port || 22),
        user: decodeURIComponent(url.username) || 'root',
        credentials: host.credentials,
        transit: host.transit,
        networks: CONTOURS.flatMap((contour) => {
          const range = index === 0 ? operator.contours[contour].gatewayPool : host.slices?.[contour];
          return range ? [{ contour, name: operator.gateways!.network[contour], subnet: range }] : [];
        }),
        routes: participantRoutes,
      },
    ];
  });
}
