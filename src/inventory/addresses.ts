// IPv4 arithmetic for the inventory: parsing with ip-num, then plain 32-bit numbers so that
// sorting 100,000 prefixes stays cheap (ip-num's BigInt values are kept out of hot loops).
import { IPv4, IPv4CidrRange, Validator } from 'ip-num';

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

export function cidrInterval(cidr: string): Interval {
  const range = IPv4CidrRange.fromCidr(cidr);
  return { start: Number(range.getFirst().getValue()), end: Number(range.getLast().getValue()) };
}

export function addressValue(address: string): number {
  return Number(IPv4.fromDecimalDottedString(address).getValue());
}

/** A prefix written as its network address (no host bits set): the only form nft stores as written. */
export function isCanonicalCidr(cidr: string): boolean {
  // A character loop, no allocation: it runs for every element of a 100,000-element ruleset.
  let value = 0;
  let octet = 0;
  let i = 0;
  for (; i < cidr.length; i++) {
    const c = cidr.charCodeAt(i);
    if (c === 46 /* . */) {
      value = value * 256 + octet;
      octet = 0;
    } else if (c === 47 /* / */) break;
    else octet = octet * 10 + (c - 48);
  }
  value = value * 256 + octet;
  const length = Number(cidr.slice(i + 1));
  const hostBits = 2 ** (32 - length);
  return value % hostBits === 0;
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
