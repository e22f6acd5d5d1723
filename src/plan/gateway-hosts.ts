// Gateways across Docker hosts: each participant's host (placement.ts), then per contour its
// gateway addresses from that host's range — the primary's from the pool outside every slice, any
// other host's from its routed slice — and the routes the edges and the hub need to the slices.
import { addressValue, cidrInterval, contains } from '../inventory/addresses.js';
import {
  CONTOURS,
  type ContourName,
  type Findings,
  type Located,
  type NetworkedParticipant,
} from '../inventory/model.js';
import type { SourceFile } from '../inventory/source.js';
import type { OperatorFile } from '../inventory/types.generated.js';
import {
  allocateGateways,
  type AllocationRequest,
  type AllocationResult,
  type RecordedAllocations,
} from './allocate.js';
import { provisioned } from './lifecycle.js';
import type { PlannedGatewayHost, PlannedGatewayRoute } from './model.js';
import { LOCAL_GATEWAY_HOST, placeGateways, type PlacementRequest } from './placement.js';

/** The gateway hosts operator.yaml declares, or the one implicit local host. */
export function plannedGatewayHosts(operator: OperatorFile): PlannedGatewayHost[] {
  return (
    operator.gateways?.hosts?.map((host) => ({ ...host })) ?? [
      { id: LOCAL_GATEWAY_HOST, docker: 'unix:///var/run/docker.sock', implicit: true },
    ]
  );
}

export interface GatewayHostsPlaced {
  hosts: PlannedGatewayHost[];
  /** Per contour, the gateway addresses on every host together, in participant order. */
  gateways: Record<ContourName, AllocationResult>;
  /** Participant → host, for every participant placed or kept. */
  hostOf: ReadonlyMap<string, string>;
  /** Participant → the host it was recorded on, for each explicit move. */
  movedFrom: ReadonlyMap<string, string>;
  keptHosts: Array<{ participant: string; host: string }>;
  routes: PlannedGatewayRoute[];
}

export interface GatewayHostsInput {
  operator: Located<OperatorFile>;
  /** Networked participants, in id order. */
  participants: readonly Located<NetworkedParticipant>[];
  recorded: RecordedAllocations;
  /** Every participant id in the inventory (a record of any other is dropped on save). */
  known: ReadonlySet<string>;
  allocationsSource: SourceFile | undefined;
  /** Explicit moves, participant → host (`plan --move-gateway`). */
  moves: ReadonlyMap<string, string>;
  findings: Findings;
  /** Records of known participants that ask for nothing now: kept reserved. */
  reservedFor: (records: Record<string, string>, requests: readonly AllocationRequest[]) => AllocationRequest[];
  /** Reports exhausted pools and replaced records of one host's allocation. */
  report: (result: AllocationResult, range: string, rangePath: string, contour: ContourName) => void;
}

const byOwner = (a: { owner: string }, b: { owner: string }) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0);

export function placeGatewayHosts(input: GatewayHostsInput): GatewayHostsPlaced {
  const { operator, recorded, findings, moves } = input;
  const hosts = plannedGatewayHosts(operator.value);
  const primary = hosts[0]!.id;
  const requesting = Object.fromEntries(
    CONTOURS.map((contour) => [
      contour,
      input.participants.filter(
        (p) => p.value.registrations[contour] && provisioned(p.value.registrations[contour].status),
      ),
    ]),
  ) as Record<ContourName, Located<NetworkedParticipant>[]>;

  // A participant with recorded addresses but no recorded host was placed before hosts were declared: on the primary.
  const withAddress = new Set(CONTOURS.flatMap((c) => Object.keys(recorded.gateways[c])));
  const recordedHost = (id: string): string | undefined =>
    recorded.gatewayHosts[id] ?? (withAddress.has(id) ? primary : undefined);
  const asking = new Set(CONTOURS.flatMap((c) => requesting[c].map((p) => p.value.id)));
  const requests: PlacementRequest[] = [...asking].map((owner) => ({ owner, recorded: recordedHost(owner) }));
  const reserved: PlacementRequest[] = [...new Set([...Object.keys(recorded.gatewayHosts), ...withAddress])]
    .filter((owner) => input.known.has(owner) && !asking.has(owner))
    .map((owner) => ({ owner, recorded: recordedHost(owner) }));
  const placement = placeGateways(hosts, requests, reserved, moves);

  for (const { owner, host } of placement.unknownHost)
    findings.at(input.allocationsSource!, ['gatewayHosts', owner], 'unknown-reference', {
      en: `${owner}'s gateways are recorded on host '${host}', which operator.yaml gateways.hosts no longer declares; declare it again, or move them: prichal plan --move-gateway ${owner}=<host> --save`,
      ru: `шлюзы ${owner} записаны на хосте '${host}', которого больше нет в gateways.hosts файла operator.yaml; объявите его снова или перенесите шлюзы: prichal plan --move-gateway ${owner}=<хост> --save`,
    });
  const byId = new Map(input.participants.map((p) => [p.value.id, p]));
  for (const owner of placement.overCapacity)
    findings.at(
      byId.get(owner)!.source,
      ['registrations'],
      'pool-exhausted',
      {
        en: `every gateway host is at its capacity; ${owner}'s gateways go beyond it — raise a capacity in gateways.hosts or add a host`,
        ru: `все хосты шлюзов заполнены до capacity; шлюзы ${owner} размещены сверх неё — увеличьте capacity в gateways.hosts или добавьте хост`,
      },
      { severity: 'warning' },
    );

  const hostOf = new Map([...placement.placements, ...placement.kept].map((p) => [p.owner, p.host]));
  const movedFrom = new Map(placement.placements.flatMap((p) => (p.movedFrom ? [[p.owner, p.movedFrom]] : [])));
  const gateways = {} as Record<ContourName, AllocationResult>;
  for (const contour of CONTOURS) {
    const pool = operator.value.contours[contour].gatewayPool;
    // A moved participant takes a fresh address in its new host's range.
    const contourRequests: AllocationRequest[] = requesting[contour].map((p) => ({
      owner: p.value.id,
      recorded: movedFrom.has(p.value.id) ? undefined : recorded.gateways[contour][p.value.id],
    }));
    const contourReserved = input.reservedFor(recorded.gateways[contour], contourRequests);
    const slices = hosts.slice(1).flatMap((h) => h.slices?.[contour] ?? []);
    const results = hosts.flatMap((host, i) => {
      // A host without its slice in this contour is the rules' error; its participants get no address here.
      const range = i === 0 ? pool : host.slices?.[contour];
      if (!range) return [];
      const onHost = (r: AllocationRequest) => (hostOf.get(r.owner) ?? primary) === host.id;
      const result = allocateGateways(
        range,
        contourRequests.filter(onHost),
        contourReserved.filter(onHost),
        i === 0 ? slices : [],
      );
      const rangePath = i === 0 ? `contours.${contour}.gatewayPool` : `gateways.hosts[${i}].slices.${contour}`;
      input.report(result, range, rangePath, contour);
      if (i > 0) reportSliceHoldingOthers(input, contour, i, range, hostOf, movedFrom, primary);
      return [result];
    });
    gateways[contour] = {
      allocations: results.flatMap((r) => r.allocations).sort(byOwner),
      exhausted: results.flatMap((r) => r.exhausted),
      kept: results.flatMap((r) => r.kept).sort(byOwner),
    };
  }

  // The primary's range is the whole pool: routed only when it declares a transit address (else its
  // networks are reached some other way, e.g. it is the hub's own Docker). The slices, more specific,
  // win over it on every router.
  const routes = hosts.flatMap((host, i) =>
    CONTOURS.flatMap((contour) => {
      const range = i === 0 ? operator.value.contours[contour].gatewayPool : host.slices?.[contour];
      return range && host.transit ? [{ contour, slice: range, via: host.transit, host: host.id }] : [];
    }),
  );
  return {
    hosts,
    gateways,
    hostOf,
    movedFrom,
    keptHosts: placement.kept.map((k) => ({ participant: k.owner, host: k.host })),
    routes,
  };
}

/**
 * A slice that holds a recorded gateway address of a participant on another host would move that
 * gateway (adding a host moves none): an error on the slice, naming the participant.
 */
function reportSliceHoldingOthers(
  input: GatewayHostsInput,
  contour: ContourName,
  index: number,
  slice: string,
  hostOf: ReadonlyMap<string, string>,
  movedFrom: ReadonlyMap<string, string>,
  primary: string,
): void {
  const interval = cidrInterval(slice);
  const host = input.operator.value.gateways!.hosts![index]!.id;
  for (const [owner, address] of Object.entries(input.recorded.gateways[contour])) {
    if (movedFrom.has(owner) || (hostOf.get(owner) ?? primary) === host) continue;
    let value: number;
    try {
      value = addressValue(address);
    } catch {
      continue;
    }
    if (contains(interval, { start: value, end: value }))
      input.findings.at(input.operator.source, ['gateways', 'hosts', index, 'slices', contour], 'subnet-overlap', {
        en: `slice ${slice} of host ${host} holds ${address}, the recorded ${contour} gateway address of ${owner} on host ${hostOf.get(owner) ?? primary}; choose a slice free of other hosts' gateways (adding a host moves none)`,
        ru: `срез ${slice} хоста ${host} содержит ${address} — записанный адрес шлюза ${owner} (контур ${contour}) на хосте ${hostOf.get(owner) ?? primary}; выберите срез без шлюзов других хостов (добавление хоста не переносит шлюзы)`,
      });
  }
}
