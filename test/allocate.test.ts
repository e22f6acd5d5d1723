// Property tests for address allocation and the overlap sweep (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrInterval, findOverlaps, formatAddress, addressValue, type Interval } from '../src/inventory/addresses.js';
import { allocateGateways, allocateLinks } from '../src/plan/allocate.js';

const ids = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{1,12}$/), { minLength: 0, maxLength: 60 });
const poolPrefix = fc.integer({ min: 22, max: 29 });

describe('allocateGateways', () => {
  it('never overlaps, stays in the pool, skips network, bridge and broadcast addresses', () => {
    fc.assert(
      fc.property(ids, poolPrefix, (owners, prefix) => {
        const pool = `10.210.0.0/${prefix}`;
        const { start, end } = cidrInterval(pool);
        const result = allocateGateways(
          pool,
          owners.map((owner) => ({ owner })),
        );
        const values = result.allocations.map((a) => addressValue(a.value));
        expect(new Set(values).size).toBe(values.length);
        for (const v of values) {
          expect(v).toBeGreaterThanOrEqual(start + 2);
          expect(v).toBeLessThanOrEqual(end - 1);
        }
        expect(result.allocations.length + result.exhausted.length).toBe(owners.length);
        expect(result.exhausted.length).toBe(Math.max(0, owners.length - (end - start - 2)));
      }),
    );
  });

  it('is stable: adding or removing participants never moves a recorded address', () => {
    fc.assert(
      fc.property(ids, ids, fc.integer({ min: 0, max: 100 }), (first, later, removePercent) => {
        const pool = '10.210.0.0/24';
        const before = allocateGateways(
          pool,
          first.map((owner) => ({ owner })),
        );
        const recorded = new Map(before.allocations.map((a) => [a.owner, a.value]));
        // Drop some participants, add new ones, then allocate again from the record.
        const kept = first.filter((_, i) => (i * 37) % 100 >= removePercent);
        const owners = [...new Set([...kept, ...later])];
        const after = allocateGateways(
          pool,
          owners.map((owner) => ({ owner, recorded: recorded.get(owner) })),
        );
        for (const a of after.allocations) {
          if (recorded.has(a.owner)) {
            expect(a.value).toBe(recorded.get(a.owner));
            expect(a.fresh).toBe(false);
          }
        }
        const values = after.allocations.map((a) => a.value);
        expect(new Set(values).size).toBe(values.length);
      }),
    );
  });

  it('replaces a recorded address that left the pool, and says so', () => {
    const result = allocateGateways('10.210.0.0/24', [{ owner: 'a', recorded: '10.99.0.5' }]);
    expect(result.allocations[0]).toMatchObject({
      value: '10.210.0.2',
      fresh: true,
      // In both languages: the Russian warning carries no English reason.
      moved: { en: '10.99.0.5 is outside the pool', ru: '10.99.0.5 вне пула' },
    });
  });

  it('keeps a recorded address only in the form the plan writes (no empty octet, leading zero or space)', () => {
    const loose = ['10.210..5', '10.210.0.07', ' 10.210.0.5', '10.210.0.5 ', '10.210.0.256', '10.210.0'];
    const result = allocateGateways('10.210.0.0/24', [
      ...loose.map((recorded, i) => ({ owner: `p${i}`, recorded })),
      { owner: 'q', recorded: '10.210.0.9' },
    ]);
    for (const [i, recorded] of loose.entries())
      expect(result.allocations.find((a) => a.owner === `p${i}`)).toMatchObject({
        fresh: true,
        moved: { en: `${recorded} is outside the pool`, ru: `${recorded} вне пула` },
      });
    expect(result.allocations.find((a) => a.owner === 'q')).toMatchObject({ value: '10.210.0.9', fresh: false });
  });
});

describe('allocateLinks', () => {
  it('hands out aligned, disjoint /31s inside the pool', () => {
    fc.assert(
      fc.property(ids, fc.integer({ min: 20, max: 28 }), (owners, prefix) => {
        const pool = `10.250.0.0/${prefix}`;
        const { start, end } = cidrInterval(pool);
        const result = allocateLinks(
          pool,
          owners.map((owner) => ({ owner })),
        );
        const links = result.allocations.map((a) => cidrInterval(a.value));
        expect(findOverlaps(links)).toEqual([]);
        for (const link of links) {
          expect(link.start % 2).toBe(0);
          expect(link.end - link.start).toBe(1);
          expect(link.start).toBeGreaterThanOrEqual(start);
          expect(link.end).toBeLessThanOrEqual(end);
        }
        expect(result.exhausted.length).toBe(Math.max(0, owners.length - (end - start + 1) / 2));
      }),
    );
  });
});

describe('findOverlaps', () => {
  const prefix = fc
    .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 8, max: 32 }))
    .map(([address, length]) => {
      const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
      return `${formatAddress((address & mask) >>> 0)}/${length}`;
    });

  it('finds an overlap exactly when a brute-force pairwise check does', () => {
    fc.assert(
      fc.property(fc.array(prefix, { maxLength: 40 }), (cidrs) => {
        const intervals: Interval[] = cidrs.map(cidrInterval);
        const pairwise = new Set<number>();
        intervals.forEach((a, i) =>
          intervals.forEach((b, j) => {
            if (i < j && a.start <= b.end && b.start <= a.end) pairwise.add(i).add(j);
          }),
        );
        const found = findOverlaps(intervals.map((iv, index) => ({ ...iv, index })));
        const involved = new Set(found.flatMap(([a, b]) => [a.index, b.index]));
        // Every reported pair really overlaps, and every interval that overlaps anything is reported.
        for (const [a, b] of found) expect(a.start <= b.end && b.start <= a.end).toBe(true);
        expect([...involved].sort()).toEqual([...pairwise].sort());
      }),
    );
  });
});
