// The connection act's п. 9 statement rests on the live channel: the latest recent drift run in
// the history. Recorded by recordRun (which participants failed a channel requirement, which
// subjects went unchecked), read by channelEvidence, stated or refused by the act.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissingDataError, renderDocument, type DocumentContext } from '../src/docs/index.js';
import { channelEvidence, readHistory, recordRun, type CheckResult, type HistoryEntry } from '../src/drift/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

let dir: string;
let context: DocumentContext;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'prichal-evidence-'));
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  context = { inventory: checked.validation.inventory, plan: checked.plan!, at: checked.at };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const entry = (generatedAt: string, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  generatedAt,
  kind: 'all',
  errors: 0,
  warnings: 0,
  unchecked: 0,
  keys: [],
  uncheckedSubjects: [],
  channelErrors: [],
  ...extra,
});

/** A drift result with the given findings and unchecked subjects, as runChecks makes it. */
function result(
  findings: Array<{ requirement: string; participant: string; severity: 'error' | 'warning' }>,
  unchecked: string[] = [],
): CheckResult {
  return {
    kind: 'all',
    generatedAt: '2026-11-22T21:00:00Z',
    findings: findings.map((f) => ({ ...f, subject: 'edge-1', message: 'm', evidence: 'e', fix: 'f' })),
    waived: [],
    unchecked: unchecked.map((subject) => ({ subject, requirements: ['CH-7'], reason: 'r' })),
  } as unknown as CheckResult;
}

describe('the history records the channel evidence of each run', () => {
  it('lists the participants with a live channel error (not a warning, not another requirement) and the unchecked subjects', async () => {
    const file = path.join(dir, 'h1.jsonl');
    await recordRun(
      file,
      result(
        [
          { requirement: 'CH-7', participant: 'dep-obr', severity: 'error' },
          { requirement: 'CH-7', participant: 'dep-zdrav', severity: 'warning' },
          { requirement: 'CH-5', participant: 'tmn-city-admin', severity: 'error' },
          { requirement: 'FW-2', participant: 'kaskara-sp', severity: 'error' },
        ],
        ['edge-2'],
      ),
    );
    const [recorded] = await readHistory(file);
    expect(recorded).toMatchObject({ channelErrors: ['dep-obr', 'tmn-city-admin'], uncheckedSubjects: ['edge-2'] });
  });
});

describe('channelEvidence', () => {
  const at = '2026-11-23';
  it('passes or fails from the latest run of the last 7 days', () => {
    expect(channelEvidence([entry('2026-11-20T21:00:00Z')], 'dep-obr', 'edge-1', at)).toEqual({
      state: 'passed',
      checkedAt: '2026-11-20T21:00:00Z',
    });
    const failed = [entry('2026-11-10T21:00:00Z'), entry('2026-11-22T21:00:00Z', { channelErrors: ['dep-obr'] })];
    expect(channelEvidence(failed, 'dep-obr', 'edge-1', at).state).toBe('failed');
    // An audit-only run says nothing of the channel; a run after the act's date is not used.
    const later = [...failed, entry('2026-11-23T01:00:00Z', { kind: 'audit' }), entry('2026-11-24T01:00:00Z')];
    expect(channelEvidence(later, 'dep-obr', 'edge-1', at).state).toBe('failed');
  });

  it('is "not checked", with the reason, without a run, with a stale one, an old-format one, or its edge unread', () => {
    const reason = (history: HistoryEntry[], maxDays?: number) => {
      const e = channelEvidence(history, 'dep-obr', 'edge-1', at, maxDays);
      return e.state === 'unchecked' ? e.reason.ru : e.state;
    };
    expect(reason([])).toBe('нет записанного результата проверки (prichal drift --all)');
    expect(reason([entry('2026-11-15T21:00:00Z')])).toBe(
      'последний результат проверки — от 15.11.2026, ему 8 дн. (больше 7)',
    );
    expect(reason([entry('2026-11-15T21:00:00Z')], 10)).toBe('passed');
    const { uncheckedSubjects: _u, channelErrors: _c, ...old } = entry('2026-11-22T21:00:00Z');
    expect(reason([old])).toBe(
      'результат проверки от 22.11.2026 записан без сведений о канале (прежней версией Prichal)',
    );
    expect(reason([entry('2026-11-22T21:00:00Z', { uncheckedSubjects: ['edge-1'] })])).toBe(
      'при проверке 22.11.2026 узел edge-1 не был проверен',
    );
  });
});

describe("the act's п. 9 statement", () => {
  const act = (history: HistoryEntry[]) => renderDocument('act', 'tmn-sosh-12', { ...context, history }).markdown;

  it('states the channel checked, with when, from a recent passing run', () => {
    expect(act([entry('2026-11-22T21:00:00Z')])).toContain(
      'канал связи защищён (VPN/выделенная сеть) — проверено 23.11.2026 02:00',
    );
  });

  it('says «канал не проверен» with the reason when there is no recent result', () => {
    const text = act([]);
    expect(text).toContain('канал не проверен — нет записанного результата проверки (prichal drift --all)');
    expect(text).not.toContain('канал связи защищён');
    expect(act([entry('2026-11-01T21:00:00Z')])).toContain(
      'канал не проверен — последний результат проверки — от 01.11.2026',
    );
  });

  it('is refused when the latest channel check failed', () => {
    expect(() => act([entry('2026-11-22T21:00:00Z', { channelErrors: ['tmn-sosh-12'] })])).toThrow(MissingDataError);
    try {
      act([entry('2026-11-22T21:00:00Z', { channelErrors: ['tmn-sosh-12'] })]);
    } catch (error) {
      expect((error as MissingDataError).ru).toMatch(/проверка канала 22\.11\.2026 не пройдена/);
    }
  });
});
