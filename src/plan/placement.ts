// Which Docker host runs each participant's gateways (both contours on one host). Recorded in
// allocations.yaml like the addresses: a recorded participant keeps its host whatever hosts or
// participants are added, a move happens only when asked for, and a newcomer goes to the host
// with the most free capacity, ties broken by a stable hash of its id, then host order.
import { shortHash } from '../hash.js';

/** The implicit single host when operator.yaml declares none: the local Docker socket. */
export const LOCAL_GATEWAY_HOST = 'local';

export interface PlacementHost {
  id: string;
  /** Participants it takes; undefined: unlimited. */
  capacity?: number | undefined;
}

export interface PlacementRequest {
  /** Participant id. */
  owner: string;
  /** The host recorded (or, for a participant placed before hosts were declared, implied) for it. */
  recorded?: string | undefined;
}

export interface HostPlacement {
  owner: string;
  host: string;
  /** True when this run placed it (not yet recorded). */
  fresh: boolean;
  /** The host it was recorded on, when an explicit move changed it. */
  movedFrom?: string;
}

export interface PlacementResult {
  /** In owner order. */
  placements: HostPlacement[];
  /** Recorded hosts of participants still in the inventory that ask for no gateway now: kept, and counted. */
  kept: HostPlacement[];
  /** Participants recorded on a host operator.yaml no longer declares (placed afresh, but an error). */
  unknownHost: Array<{ owner: string; host: string }>;
  /** Newcomers placed beyond every host's capacity (all were full). */
  overCapacity: string[];
}

const byOwner = (a: { owner: string }, b: { owner: string }) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0);

/** A participant's stable tie-breaker: the first 32 bits of its id's digest. */
const tieBreaker = (owner: string): number => Number.parseInt(shortHash(owner).slice(0, 8), 16);

/**
 * Places `requests` on `hosts` (in declaration order; non-empty). `reserved`: recorded hosts of
 * participants asking for nothing now. `moves`: participant → host, applied to requesters only.
 */
export function placeGateways(
  hosts: readonly PlacementHost[],
  requests: readonly PlacementRequest[],
  reserved: readonly PlacementRequest[] = [],
  moves: ReadonlyMap<string, string> = new Map(),
): PlacementResult {
  const known = new Set(hosts.map((h) => h.id));
  const used = new Map(hosts.map((h) => [h.id, 0]));
  const placed = new Map<string, HostPlacement>();
  const unknownHost: PlacementResult['unknownHost'] = [];
  const pending: string[] = [];
  const ordered = [...requests].sort(byOwner);
  const place = (placement: HostPlacement) => {
    placed.set(placement.owner, placement);
    used.set(placement.host, used.get(placement.host)! + 1);
  };

  for (const { owner, recorded } of ordered) {
    const target = moves.get(owner);
    if (target !== undefined && known.has(target) && target !== recorded)
      place({ owner, host: target, fresh: true, ...(recorded !== undefined ? { movedFrom: recorded } : {}) });
    else if (recorded !== undefined && known.has(recorded)) place({ owner, host: recorded, fresh: false });
    else {
      if (recorded !== undefined) unknownHost.push({ owner, host: recorded });
      pending.push(owner);
    }
  }

  const kept: HostPlacement[] = [];
  for (const { owner, recorded } of [...reserved].sort(byOwner)) {
    if (recorded === undefined || placed.has(owner) || !known.has(recorded)) continue;
    kept.push({ owner, host: recorded, fresh: false });
    used.set(recorded, used.get(recorded)! + 1);
  }

  const overCapacity: string[] = [];
  for (const owner of pending) {
    const free = hosts.map((h) => (h.capacity === undefined ? Number.POSITIVE_INFINITY : h.capacity - used.get(h.id)!));
    const most = Math.max(...free);
    const tied = hosts.filter((_, i) => free[i] === most);
    if (most <= 0) overCapacity.push(owner);
    place({ owner, host: tied[tieBreaker(owner) % tied.length]!.id, fresh: true });
  }
  return { placements: ordered.map((r) => placed.get(r.owner)!), kept, unknownHost, overCapacity };
}
