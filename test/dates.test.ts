// "Today" is the operator's calendar day: a nightly run at 02:30 in Tyumen (21:30 UTC the day
// before) checks the Tyumen date, not yesterday in UTC.
import { describe, expect, it } from 'vitest';
import { daysBetween, DEFAULT_TIME_ZONE, todayIn } from '../src/inventory/index.js';
import { validateInventory } from '../src/inventory/index.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

describe('todayIn', () => {
  it("gives the calendar day in the operator's time zone, not in UTC", () => {
    const nightly = new Date('2026-11-22T21:30:00Z'); // 02:30 on the 23rd in Tyumen (UTC+5)
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Yekaterinburg');
    expect(todayIn(DEFAULT_TIME_ZONE, nightly)).toBe('2026-11-23');
    expect(todayIn('UTC', nightly)).toBe('2026-11-22');
    expect(todayIn('Europe/Moscow', nightly)).toBe('2026-11-23');
  });

  it('counts whole days between two dates', () => {
    expect(daysBetween('2026-11-23', '2026-12-23')).toBe(30);
    expect(daysBetween('2026-11-23', '2026-11-22')).toBe(-1);
  });
});

describe('validation without --at', () => {
  it("evaluates at today in the operator file's time zone, and says which date it used", async () => {
    const result = await validateInventory(SAMPLE_INVENTORY);
    expect(result.at).toBe(todayIn('Asia/Yekaterinburg'));
    expect((await validateInventory(SAMPLE_INVENTORY, { at: '2026-01-01' })).at).toBe('2026-01-01');
  });
});
