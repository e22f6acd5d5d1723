// A finding about a participant's own file (INV-1: the file does not read, parse or pass its
// schema, or breaks a rule across files) is that participant's, in both languages like every
// other finding: its row in the HTML report fails and its district's filter shows it, `prichal
// status` counts it, and JUnit fails the participant's own case — never a case named by the path
// beside the participant passing.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/drift/model.js';
import { renderJunit } from '../src/report/index.js';
import { checks } from '../src/workflows/run-checks.js';
import { checksText } from '../src/workflows/run-checks.render.js';
import { status } from '../src/workflows/status.js';
import { statusText } from '../src/workflows/status.render.js';
import { editedInventories } from './helpers/inventory.js';

const AT = '2026-11-23';
const edited = editedInventories();
/** A rule across files (an unknown coordinator), a schema error, and a file that is not YAML at all. */
const BROKEN = [
  { file: 'participants/gup-farmaciya.yaml', from: 'coordinatedBy: dep-zdrav', to: 'coordinatedBy: dep-zdrav-old' },
  { file: 'participants/tmn-sosh-12.yaml', from: 'kind: ', to: 'kind_: ' },
  { file: 'participants/onokhino-sp.yaml', from: 'name: ', to: 'name: [unclosed ' },
];

let dir: string;
let out: string;
let result: CheckResult;
beforeAll(async () => {
  dir = await edited(BROKEN);
  out = await mkdtemp(path.join(tmpdir(), 'prichal-validity-'));
  ({ result } = await checks({ kind: 'audit', inventory: dir, at: AT, out }));
});
afterAll(() => rm(out, { recursive: true, force: true }));

const validity = () => result.findings.filter((f) => f.requirement === 'INV-1');

describe('a validity finding is its participant’s', () => {
  it('each names the participant whose file it is in — the file name’s id where the file could not be read as one — in both languages', () => {
    const byParticipant = new Map(validity().map((f) => [f.participant, f]));
    expect([...byParticipant.keys()].sort()).toEqual(['gup-farmaciya', 'onokhino-sp', 'tmn-sosh-12']);
    for (const f of validity()) {
      expect(f.ru, f.message).toBeDefined();
      expect(f.ru!.message).toMatch(/[а-яё]/i);
      expect(f.ru!.fix).toMatch(/^исправьте participants\//);
      // The evidence is the same in every language: the code and the place.
      expect(f.evidence.startsWith(`${f.evidence.split(',')[0]}, ${f.file}:${f.line}:`), f.evidence).toBe(true);
      expect(f.evidence).toMatch(/^[a-z-]+, participants\/[a-z0-9-]+\.yaml:\d+:\d+$/);
    }
    expect(byParticipant.get('onokhino-sp')!.ru!.message).toMatch(/не читается как YAML/);
    expect(byParticipant.get('gup-farmaciya')!.ru!.message).toMatch(/^coordinatedBy: /);
    // The broken ones are covered by the run (failing), not missing from it.
    expect(result.participants).toEqual(expect.arrayContaining(['onokhino-sp', 'tmn-sosh-12', 'gup-farmaciya']));
    expect(result.participants).toHaveLength(15);
  });

  it('the HTML report: the participant’s row fails with INV-1 and its finding carries the participant’s district', async () => {
    const html = await readFile(path.join(out, 'audit.html'), 'utf8');
    const row = (id: string) => {
      const found = [...html.matchAll(/<tr class="(\w+)"[^>]*data-district="([^"]*)"[^>]*>(.*?)<\/tr>/g)].find((m) =>
        m[3]!.includes(`<span class="muted">${id}</span>`),
      );
      expect(found, id).toBeDefined();
      return { tone: found![1], district: found![2], cells: found![3]! };
    };
    expect(row('gup-farmaciya')).toMatchObject({ tone: 'bad', district: 'г. Тюмень' });
    expect(row('gup-farmaciya').cells).toContain('INV-1');
    expect(row('gup-farmaciya').cells).not.toContain('все выполнены');
    // A file that failed its schema still says its name and district; one that is not YAML, only its id.
    expect(row('tmn-sosh-12')).toMatchObject({ tone: 'bad', district: 'г. Тюмень' });
    expect(row('tmn-sosh-12').cells).toContain('МАОУ СОШ № 12');
    expect(row('onokhino-sp')).toMatchObject({ tone: 'bad', district: 'район не указан' });
    const details = [...html.matchAll(/<details class="finding error" ([^>]*)><summary>(.*?)<\/summary>/g)].filter(
      (m) => m[2]!.includes('<b>INV-1</b>'),
    );
    expect(details).toHaveLength(validity().length);
    const gup = details.find((m) => m[2]!.includes('coordinatedBy'))!;
    expect(gup[1]).toContain('data-district="г. Тюмень"');
    // In Russian, as every other finding.
    expect(html).toMatch(/<b>INV-1<\/b> [^<]*onokhino-sp — не читается как YAML/);
  });

  it('prichal status counts it for the participant, and lists a participant whose file failed its schema', async () => {
    const r = await status({ inventory: dir, report: path.join(out, 'none.json'), probes: out, at: AT });
    const gup = r.participants.find((p) => p.id === 'gup-farmaciya')!;
    expect(gup.findings.errors).toBeGreaterThan(0);
    expect(gup.findings.requirements).toContain('INV-1');
    expect(r.invalid.map((p) => [p.id, p.file])).toEqual([
      ['onokhino-sp', 'participants/onokhino-sp.yaml'],
      ['tmn-sosh-12', 'participants/tmn-sosh-12.yaml'],
    ]);
    expect(r.invalid.every((p) => p.findings.errors > 0 && p.findings.requirements.includes('INV-1'))).toBe(true);
    const table = statusText(r, false);
    expect(table).toMatch(/^tmn-sosh-12\s+файл не проходит проверку\s.*\s\d+\/\d+ INV-1$/m);
    expect(table).toMatch(/^gup-farmaciya\s.*\s[1-9]\d*\/\d+ .*INV-1/m);
    const one = await status({
      inventory: dir,
      report: path.join(out, 'none.json'),
      probes: out,
      at: AT,
      participant: 'tmn-sosh-12',
    });
    expect(statusText(one, true)).toMatch(/participants\/tmn-sosh-12\.yaml: файл не проходит проверку/);
  });

  it('JUnit fails the participant’s own INV-1 case; no case is named by a file path', () => {
    const xml = renderJunit(result);
    for (const id of ['gup-farmaciya', 'tmn-sosh-12', 'onokhino-sp'])
      expect(xml).toMatch(new RegExp(`<testcase classname="prichal.INV-1" name="${id}"><failure `));
    expect(xml).not.toMatch(/name="participants\//);
  });

  it('the text output names the participant and the file and line', () => {
    const text = checksText({ result, files: [], lang: 'en' });
    expect(text).toMatch(/ERROR INV-1 tmn-sosh-12 .*\(participants\/tmn-sosh-12\.yaml:\d+\)$/m);
  });
});
