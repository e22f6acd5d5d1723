// The plan's shape: what every later stage consumes. Types only, so the modules that build the
// plan (plan.ts, firewall.ts, probe.ts) import them without importing each other.
import type { ContourName } from '../inventory/model.js';
import type { CircuitEnd } from '../inventory/circuits.js';
import type { Edge, GatewayHost, Participant, Registration } from '../inventory/types.generated.js';

export const PLAN_VERSION = 1;

export interface PlannedEndpoint {
  id: string;
  purpose: string;
  address: string;
  port: number;
  protocol: 'http' | 'https';
  path: string;
}

export interface PlannedRegistration {
  participant: string;
  name: string;
  mnemonic: string;
  status: Registration['status'];
  channel: NonNullable<Participant['channel']>['type'];
  edge: string;
  /** The participant's gateway address in this contour's pool. */
  gateway: string;
  networks: string[];
  endpoints: PlannedEndpoint[];
  messageTypes: string[];
  /** True when the gateway address was allocated by this run (not yet recorded). */
  newAllocation: boolean;
  /** Id of the Docker host the participant's gateways run on (gateways.hosts; 'local' when none is declared). */
  host: string;
  /** The host the gateway was recorded on, when `plan --move-gateway` moves it. */
  hostMovedFrom?: string;
}

/** A Docker host gateways run on: as operator.yaml declares it, or the implicit local one. */
export type PlannedGatewayHost = GatewayHost & {
  /** Set on the one host assumed when operator.yaml declares none (nothing about it is recorded). */
  implicit?: true;
};

/** How the edges and the hub reach a gateway host's range of a contour's pool. */
export interface PlannedGatewayRoute {
  contour: ContourName;
  /** The host's slice; for the primary (when it declares `transit`), the whole pool. */
  slice: string;
  /** The host's transit address. */
  via: string;
  host: string;
}

export interface PlannedContour {
  gatewayPool: string;
  vhost: string;
  registrations: PlannedRegistration[];
  /** Registrations in the inventory that are not provisioned, each with the reason (the lifecycle: plan/lifecycle.ts). */
  /** Registrations not provisioned yet, with why (`reason` in English, `reasonRu` in Russian). */
  pending: Array<{ participant: string; mnemonic: string; status: string; reason: string; reasonRu: string }>;
  /** Gateway addresses recorded for participants still in the inventory and not provisioned here now: reserved for them, kept by `plan --save`. */
  kept: Array<{ participant: string; gateway: string }>;
}

export interface PlannedLink {
  participant: string;
  edge: string;
  link: string;
  /** Lower address of the /31: the operator's edge side. */
  edgeAddress: string;
  /** Upper address of the /31: the participant's router. */
  participantAddress: string;
  newAllocation: boolean;
  /** The participant's declared networks: routed on the edge via participantAddress, and nothing else through the link. */
  networks: string[];
  /**
   * Where the circuit ends on the edge (operator.yaml `edges[].circuits`), Prichal configuring the
   * link there; null when the edge declares no circuits (drift still checks address and routes).
   */
  circuit: CircuitEnd | null;
}

export interface Plan {
  version: typeof PLAN_VERSION;
  contours: Record<ContourName, PlannedContour>;
  links: PlannedLink[];
  /** Links recorded for participants still in the inventory that plan none now: reserved, kept by `plan --save`. */
  keptLinks: Array<{ participant: string; link: string }>;
  /** Per edge host, the flows its firewall lets through. */
  edges: PlannedEdge[];
  /** The gateway hosts, the first being the primary (on the contours' Docker networks). */
  gatewayHosts: PlannedGatewayHost[];
  /** Routes to the hosts' ranges (slices, and the pool via the primary when it has a transit address), for the edges and the hub. */
  gatewayRoutes: PlannedGatewayRoute[];
  /** Hosts recorded for participants still in the inventory that plan no gateway now: kept by `plan --save`. */
  keptGatewayHosts: Array<{ participant: string; host: string }>;
  /** The hub's ViPNet coordinators (edges of kind vipnet-coordinator) and the tunnels each must have. */
  coordinators: PlannedCoordinator[];
}

/** A ViPNet participant of a coordinator: its node, and the networks its tunnel must cover exactly. */
export interface PlannedTunnel {
  participant: string;
  name: string;
  /** The ViPNet network number the participant declares. */
  network: number;
  /** Its node id, normalised: "0x" and 8 lowercase hex digits. */
  node: string;
  networks: string[];
  /** Provisioned in a contour (approved or later): its tunnel must be there; otherwise there must be none. */
  approved: boolean;
}

/** A coordinator edge: where its configuration is read (null: operator.yaml does not say), its own node, the version policy. */
export interface PlannedCoordinator {
  edge: string;
  config: string | null;
  node: string | null;
  minVersion: string | null;
  tunnels: PlannedTunnel[];
}

export interface Flow {
  /** Address or CIDR. */
  source: string;
  destination: string;
  port: number;
  participant: string;
  contour: ContourName;
  /** Endpoint id for egress flows. */
  endpoint?: string;
}

export interface PlannedEdge {
  id: string;
  kind: Edge['kind'];
  transit: string;
  ssh: Edge['ssh'];
  /** Participants whose channel ends on this edge, sorted. */
  participants: string[];
  ingress: Flow[];
  egress: Flow[];
}
