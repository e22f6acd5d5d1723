// Firewall flows per edge host, derived from the registrations: the only traffic an edge lets
// through between participants and the hub (requirements FW-1, FW-2).
//   ingress: participant network → its gateway, tcp/443 (the participant calls the hub)
//   egress:  gateway → endpoint address:port (the hub calls the participant's web service)
import { addressValue, cidrInterval } from '../inventory/addresses.js';
import { CONTOURS, type ContourName, type Inventory } from '../inventory/model.js';
import type { Edge } from '../inventory/types.generated.js';
import type { Flow, PlannedContour, PlannedEdge } from './model.js';

/** The port gateways listen on for participants' calls. */
export const GATEWAY_PORT = 443;

function sortKey(value: string): number {
  return value.includes('/') ? cidrInterval(value).start : addressValue(value);
}

/** Flows by source, destination (numerically), port; each address parsed once (parsing is what sorting 100,000 flows costs). */
export function sortFlows(flows: Flow[]): Flow[] {
  const keyed = flows.map((f) => ({ f, s: sortKey(f.source), d: sortKey(f.destination) }));
  keyed.sort((a, b) => a.s - b.s || a.d - b.d || a.f.port - b.f.port || (a.f.source < b.f.source ? -1 : a.f.source > b.f.source ? 1 : 0));
  return keyed.map((k) => k.f);
}

export function planEdges(inventory: Inventory, contours: Record<ContourName, PlannedContour>): PlannedEdge[] {
  const edges = inventory.operator?.value.edges ?? [];
  const byEdge = new Map(edges.map((e) => [e.id, { id: e.id, kind: e.kind, transit: e.transit, ssh: e.ssh, participants: new Set<string>(), ingress: [] as Flow[], egress: [] as Flow[] }]));
  for (const contour of CONTOURS) {
    for (const r of contours[contour].registrations) {
      const edge = byEdge.get(r.edge);
      if (!edge) continue;
      edge.participants.add(r.participant);
      for (const network of r.networks) edge.ingress.push({ source: network, destination: r.gateway, port: GATEWAY_PORT, participant: r.participant, contour });
      for (const e of r.endpoints) edge.egress.push({ source: r.gateway, destination: e.address, port: e.port, participant: r.participant, contour, endpoint: e.id });
    }
  }
  return [...byEdge.values()]
    .map((e) => ({ ...e, participants: [...e.participants].sort(), ingress: sortFlows(e.ingress), egress: sortFlows(e.egress) }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
