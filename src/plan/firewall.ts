// Firewall flows per edge host, derived from the registrations: the only traffic an edge lets
// through between participants and the hub (requirements FW-1, FW-2).
//   ingress: participant network → its gateway, tcp/443 (the participant calls the hub)
//   egress:  gateway → endpoint address:port (the hub calls the participant's web service)
import { addressValue, cidrInterval } from '../inventory/addresses.js';
import { CONTOURS, type ContourName, type Inventory } from '../inventory/model.js';
import type { Flow, PlannedContour, PlannedEdge } from './model.js';

/** The port gateways listen on for participants' calls. */
export const GATEWAY_PORT = 443;

function sortKey(value: string): number {
  return value.includes('/') ? cidrInterval(value).start : addressValue(value);
}

/** Flows by source, destination (numerically), port; each address parsed once (parsing is what sorting 100,000 flows costs). */
export function sortFlows(flows: Flow[]): Flow[] {
  const keyed = flows.map((f) => ({ f, s: sortKey(f.source), d: sortKey(f.destination) }));
  keyed.sort(
    (a, b) =>
      a.s - b.s || a.d - b.d || a.f.port - b.f.port || (a.f.source < b.f.source ? -1 : a.f.source > b.f.source ? 1 : 0),
  );
  return keyed.map((k) => k.f);
}

export function planEdges(inventory: Inventory, contours: Record<ContourName, PlannedContour>): PlannedEdge[] {
  const edges = inventory.operator?.value.edges ?? [];
  const byEdge = new Map(
    edges.map((e) => [
      e.id,
      {
        id: e.id,
        kind: e.kind,
        transit: e.transit,
        ssh: e.ssh,
        participants: new Set<string>(),
        ingress: [] as Flow[],
        egress: [] as Flow[],
      },
    ]),
  );
  for (const contour of CONTOURS) {
    for (const r of contours[contour].registrations) {
      const edge = byEdge.get(r.edge);
      if (!edge) continue;
      edge.participants.add(r.participant);
      // Flows are a set: an nftables set holds one element per key, so two endpoints at one address
      // and port (one host serving two services on one port, told apart by path) are one flow that
      // names both, and it goes only when no endpoint needs it any more. Two such elements in the
      // plan would load as one, and removing either endpoint later would delete the element the
      // other still needs. The gateway is the registration's own, so equal keys can only come from
      // the same registration (networks never overlap between participants).
      const networks = r.networks; // sorted by the plan: a repeat is next to its first
      networks.forEach((network, i) => {
        if (i > 0 && networks[i - 1] === network) return;
        edge.ingress.push({
          source: network,
          destination: r.gateway,
          port: GATEWAY_PORT,
          participant: r.participant,
          contour,
        });
      });
      // A registration has a few endpoints: a scan; a map only for one that lists many.
      const first = edge.egress.length;
      const byKey = r.endpoints.length > 8 ? new Map<string, Flow>() : undefined;
      for (const e of r.endpoints) {
        let same = byKey?.get(`${e.address}:${e.port}`);
        for (let i = first; !byKey && i < edge.egress.length && !same; i++)
          if (edge.egress[i]!.destination === e.address && edge.egress[i]!.port === e.port) same = edge.egress[i];
        if (same) {
          same.endpoint = `${same.endpoint}/${e.id}`;
          continue;
        }
        const flow: Flow = {
          source: r.gateway,
          destination: e.address,
          port: e.port,
          participant: r.participant,
          contour,
          endpoint: e.id,
        };
        edge.egress.push(flow);
        byKey?.set(`${e.address}:${e.port}`, flow);
      }
    }
  }
  return [...byEdge.values()]
    .map((e) => ({
      ...e,
      participants: [...e.participants].sort(),
      ingress: sortFlows(e.ingress),
      egress: sortFlows(e.egress),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
