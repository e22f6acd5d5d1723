// Stable address allocation. Allocations are recorded in inventory/allocations.yaml (committed,
// reviewed): a recorded address is kept as long as its owner exists and it still fits its pool,
// and only newcomers get fresh addresses, lowest free first in id order. Deriving addresses
// from ids alone (hashing) cannot give that guarantee once two ids collide, so the record is
// the source of stability and the reviewable history of who got what.
import { addressValue, cidrInterval, formatAddress, type Interval } from '../inventory/addresses.js';
import type { Words } from '../inventory/findings.js';

/** What allocations.yaml records, per participant id. */
export interface RecordedAllocations {
  gateways: Record<'test' | 'prod', Record<string, string>>;
  links: Record<string, string>;
  /** The Docker host of the participant's gateways. */
  gatewayHosts: Record<string, string>;
}

export interface AllocationRequest {
  /** Participant id: the stable key. */
  owner: string;
  /** Previously recorded value, if any. */
  recorded?: string | undefined;
}

export interface Allocation {
  owner: string;
  value: string;
  /** True when this run assigned it (not yet in allocations.yaml). */
  fresh: boolean;
  /** Set when a recorded value had to be replaced, with the reason in both languages. */
  moved?: Words;
}

export interface AllocationResult {
  allocations: Allocation[];
  exhausted: string[];
  /**
   * Recorded values of participants still in the inventory that ask for none now (a registration
   * not yet approved, a file with an error, a channel being changed): kept, and never handed to
   * anyone else, as the header of allocations.yaml promises.
   */
  kept: Allocation[];
}

/**
 * Hands out slots of `size` addresses (1 for gateways, 2 for /31 links) from `usable`, keeping
 * valid recorded values. Slots are aligned to `size`. Work is O(n + scanned slots).
 */
function allocateSlots(
  usable: Interval,
  size: 1 | 2,
  requests: readonly AllocationRequest[],
  parse: (recorded: string) => number | undefined,
  format: (slotStart: number) => string,
  reserved: readonly AllocationRequest[],
  blocked: readonly Interval[] = [],
): AllocationResult {
  const taken = new Set<number>();
  /** The blocked range a slot overlaps, if any (a few: the other gateway hosts' slices). */
  const blockerOf = (start: number) => blocked.find((b) => start <= b.end && start + size - 1 >= b.start);
  const usableSlot = (start: number | undefined): start is number =>
    start !== undefined &&
    start >= usable.start &&
    start + size - 1 <= usable.end &&
    (start - usable.start) % size === 0 &&
    blockerOf(start) === undefined;
  const result = new Map<string, Allocation>();
  const ordered = [...requests].sort((a, b) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0));
  const pending: AllocationRequest[] = [];
  const moved = new Map<string, Words>();

  for (const request of ordered) {
    if (request.recorded === undefined) {
      pending.push(request);
      continue;
    }
    const start = parse(request.recorded);
    const fits = usableSlot(start);
    if (fits && !taken.has(start)) {
      taken.add(start);
      result.set(request.owner, { owner: request.owner, value: request.recorded, fresh: false });
    } else {
      moved.set(
        request.owner,
        fits
          ? {
              en: `${request.recorded} is recorded for another participant too`,
              ru: `${request.recorded} записан и за другим участником`,
            }
          : { en: `${request.recorded} is outside the pool`, ru: `${request.recorded} вне пула` },
      );
      pending.push(request);
    }
  }

  // After the requesters' own records (a live allocation is never displaced), before newcomers.
  const kept: Allocation[] = [];
  for (const request of [...reserved].sort((a, b) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0))) {
    if (request.recorded === undefined || result.has(request.owner)) continue;
    const start = parse(request.recorded);
    if (!usableSlot(start) || taken.has(start)) continue;
    taken.add(start);
    kept.push({ owner: request.owner, value: request.recorded, fresh: false });
  }

  const exhausted: string[] = [];
  let cursor = usable.start;
  for (const request of pending) {
    for (;;) {
      const blocker = cursor + size - 1 <= usable.end ? blockerOf(cursor) : undefined;
      if (blocker) cursor = blocker.end + 1 + ((size - ((blocker.end + 1 - usable.start) % size)) % size);
      else if (cursor + size - 1 <= usable.end && taken.has(cursor)) cursor += size;
      else break;
    }
    if (cursor + size - 1 > usable.end) {
      exhausted.push(request.owner);
      continue;
    }
    taken.add(cursor);
    const allocation: Allocation = { owner: request.owner, value: format(cursor), fresh: true };
    const reason = moved.get(request.owner);
    if (reason) allocation.moved = reason;
    result.set(request.owner, allocation);
  }
  return { allocations: ordered.flatMap((r) => result.get(r.owner) ?? []), exhausted, kept };
}

/** A recorded address (allocations.yaml is read strictly): only its canonical dotted form, as the plan writes it; else undefined. */
function parseAddress(text: string): number | undefined {
  try {
    const value = addressValue(text);
    return formatAddress(value) === text ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Gateway addresses in a contour's pool, or in a gateway host's slice of it. The network address,
 * the first host (the Docker bridge's own address on the network) and the broadcast address are
 * never handed out, nor anything in `excluded` (the other hosts' slices, when allocating the pool).
 */
export function allocateGateways(
  pool: string,
  requests: readonly AllocationRequest[],
  reserved: readonly AllocationRequest[] = [],
  excluded: readonly string[] = [],
): AllocationResult {
  const { start, end } = cidrInterval(pool);
  return allocateSlots(
    { start: start + 2, end: end - 1 },
    1,
    requests,
    parseAddress,
    formatAddress,
    reserved,
    excluded.map(cidrInterval),
  );
}

/** /31 point-to-point links in the link pool (RFC 3021: both addresses usable). */
export function allocateLinks(
  pool: string,
  requests: readonly AllocationRequest[],
  reserved: readonly AllocationRequest[] = [],
): AllocationResult {
  return allocateSlots(
    cidrInterval(pool),
    2,
    requests,
    (text) => (text.endsWith('/31') ? parseAddress(text.slice(0, -3)) : undefined),
    (start) => `${formatAddress(start)}/31`,
    reserved,
  );
}
