// IPv4 arithmetic for the inventory: validation with ip-num (at the schema boundary), then plain
// 32-bit numbers so that the rules and sorting over 100,000 prefixes stay cheap (ip-num's BigInt
// values are kept out of hot loops).
import { Validator } from 'ip-num';

/** An inclusive range of IPv4 addresses as unsigned 32-bit numbers. */
export interface Interval {
  start: number;
  end: number;
}

export function isCidr(text: string): boolean {
  return Validator.isValidIPv4CidrRange(text)[0];
}

export function isIPv4(text: string): boolean {
  return Validator.isValidIPv4String(text)[0];
}

/**
 * The 32-bit value of a dotted address in text[0, end): a character loop, no allocation. Only
 * reached with text the schema already accepted through ip-num's validators (isIPv4, isCidr), so
 * it is arithmetic, not validation; it still refuses what is not four octets.
 */
function dottedValue(text: string, end: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (!digits || octet > 255) break;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      digits++;
    } else {
      dots = -1;
      break;
    }
  }
  if (dots !== 3 || !digits || octet > 255) throw new Error(`'${text}' is not an IPv4 address`);
  return value * 256 + octet;
}

/** A prefix's address value and the size of the block its length gives, parsed once. */
function prefix(cidr: string): { value: number; size: number } {
  const slash = cidr.indexOf('/');
  const length = Number(cidr.slice(slash + 1));
  if (slash < 0 || !Number.isInteger(length) || length < 0 || length > 32)
    throw new Error(`'${cidr}' is not an IPv4 prefix`);
  return { value: dottedValue(cidr, slash), size: 2 ** (32 - length) };
}

/** The addresses a prefix covers. Plain arithmetic: the rules call this for every network of 10,000 participants. */
export function cidrInterval(cidr: string): Interval {
  const { value, size } = prefix(cidr);
  const start = value - (value % size);
  return { start, end: start + size - 1 };
}

export function addressValue(address: string): number {
  return dottedValue(address, address.length);
}

/** A prefix written as its network address (no host bits set): the only form nft stores as written. */
export function isCanonicalCidr(cidr: string): boolean {
  const { value, size } = prefix(cidr);
  return value % size === 0;
}

export function formatAddress(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export function prefixLength(cidr: string): number {
  return Number(cidr.slice(cidr.indexOf('/') + 1));
}

export function contains(outer: Interval, inner: Interval): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/**
 * All overlaps among labelled intervals in O(n log n): sort by start (wider first on ties),
 * then sweep keeping the interval that reaches furthest. Each interval that starts before
 * that reach overlaps it, and is reported once against it. CIDR prefixes are either nested or
 * disjoint, so this finds every prefix that overlaps anything before it in the order.
 */
export function findOverlaps<T extends Interval>(intervals: readonly T[]): Array<[earlier: T, later: T]> {
  const sorted = [...intervals].sort((a, b) => a.start - b.start || b.end - a.end);
  const overlaps: Array<[T, T]> = [];
  let reach: T | undefined;
  for (const current of sorted) {
    if (reach && current.start <= reach.end) overlaps.push([reach, current]);
    if (!reach || current.end > reach.end) reach = current;
  }
  return overlaps;
}
