// The gate that bounds a process's requests to one shared service: never more than its limit at
// once, every caller served, a failing one frees its place.
import { describe, expect, it } from 'vitest';
import { Gate } from '../src/concurrency.js';

describe('Gate', () => {
  it('lets at most its limit through at once, serves every caller, and frees the place of one that fails', async () => {
    const gate = new Gate(3);
    let active = 0;
    let most = 0;
    const work = (i: number) =>
      gate.run(async () => {
        active++;
        most = Math.max(most, active);
        await new Promise((r) => setTimeout(r, 5 + (i % 4)));
        active--;
        if (i % 7 === 0) throw new Error(`failed ${i}`);
        return i;
      });
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => work(i)));
    expect(most).toBe(3);
    expect(
      results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<number>).value),
    ).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 7 !== 0));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(6);
    // Nothing is left held: the next caller goes through at once.
    await expect(gate.run(async () => 'free')).resolves.toBe('free');
  });
});
