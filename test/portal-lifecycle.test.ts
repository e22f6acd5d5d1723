// The registration lifecycle of Регламент ПУ ТО (п. 3.1.3–4.6): approval before provisioning,
// dates that agree, the 10-working-day reply deadline on the operator's production calendar.
import { describe, expect, it } from 'vitest';
import { addWorkingDays, checkInventory, replyDeadline } from '../src/requirements/index.js';
import { checks } from '../src/workflows/checks.js';
import { check, codes, participant } from './helpers/build.js';
import { editedInventories, SAMPLE_INVENTORY } from './helpers/inventory.js';

const AT = '2026-11-23';
const edited = editedInventories();

describe('approval before provisioning', () => {
  it('a requested registration gets no flows, gateway or bus user, and the plan says why; approved, it does', async () => {
    const checked = await checkInventory(SAMPLE_INVENTORY, AT);
    const test = checked.plan!.contours.test;
    expect(test.registrations.map((r) => r.participant)).not.toContain('onokhino-sp');
    expect(test.pending).toEqual([{ participant: 'onokhino-sp', mnemonic: 'TMR_ONOKHINO', status: 'requested', reason: expect.stringContaining('not approved') }]);
    const flows = checked.plan!.edges.flatMap((e) => [...e.ingress, ...e.egress]);
    expect(flows.some((f) => f.participant === 'onokhino-sp')).toBe(false);

    const dir = await edited([{ file: 'participants/onokhino-sp.yaml', from: '    status: requested\n', to: '    status: approved\n    approved: 2026-11-20\n' }]);
    const approved = await checkInventory(dir, AT);
    expect(approved.ok).toBe(true);
    expect(approved.plan!.contours.test.registrations.map((r) => r.participant)).toContain('onokhino-sp');
    expect(approved.plan!.contours.test.pending).toEqual([]);
  });
});

describe('dates that contradict each other', () => {
  it('a production switch before the test, a stage dated beyond the status, or stages out of order are errors at the field', () => {
    const switched = participant('org-a');
    (switched.registrations.prod as Record<string, unknown>).switchDate = '2026-01-05';
    const findings = check({ participants: [switched] });
    expect(codes(findings)).toEqual(['registration-dates']);
    expect(findings[0]).toMatchObject({ path: 'registrations.prod.switchDate' });
    expect(findings[0]!.message).toContain('before the test of 2026-01-10');

    const beyond = participant('org-b');
    Object.assign(beyond.registrations.test, { status: 'approved', approved: '2026-01-02' });
    delete (beyond.registrations as Record<string, unknown>).prod;
    expect(check({ participants: [beyond] }).map((f) => [f.code, f.path])).toEqual([['registration-dates', 'registrations.test.tested']]);

    const reversed = participant('org-c');
    Object.assign(reversed.registrations.test, { requested: '2026-01-09', approved: '2026-01-03' });
    expect(check({ participants: [reversed] }).map((f) => [f.code, f.path])).toEqual([['registration-dates', 'registrations.test.approved']]);
  });
});

describe('the reply deadline (п. 3.3) on the production calendar', () => {
  it('counts 10 working days, skipping weekends and holidays and counting transferred working days', () => {
    // Friday 2026-10-30; Wednesday 2026-11-04 is a holiday.
    expect(addWorkingDays('2026-10-30', 10, undefined)).toBe('2026-11-13');
    expect(replyDeadline('2026-10-30', { holidays: ['2026-11-04'] })).toBe('2026-11-16');
    expect(replyDeadline('2026-10-30', { holidays: ['2026-11-04'], workdays: ['2026-11-07'] })).toBe('2026-11-13');
  });

  it('an unanswered request past its deadline is an audit warning (REG-1), not before', async () => {
    // onokhino-sp's request of 2026-11-16 (Monday): deadline 2026-11-30.
    const before = await checks({ kind: 'audit', inventory: SAMPLE_INVENTORY, at: '2026-11-30' });
    expect(before.result.findings.filter((f) => f.requirement === 'REG-1')).toEqual([]);
    const after = await checks({ kind: 'audit', inventory: SAMPLE_INVENTORY, at: '2026-12-01' });
    const reg = after.result.findings.filter((f) => f.requirement === 'REG-1');
    expect(reg.map((f) => [f.participant, f.severity])).toEqual([['onokhino-sp', 'warning']]);
    expect(reg[0]!.message).toContain('deadline 2026-11-30');
  });
});
