// The requirement catalogue: each id defined once, each evaluated by its check or by drift, every
// source cited by a regulation's title; and audit findings located by file and line.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/drift/model.js';
import { PROJECT_ROOT } from '../src/project.js';
import {
  cite,
  INVENTORY_VALIDITY,
  productionAllowed,
  REGULATIONS,
  REQUIREMENT_IDS,
  REQUIREMENTS,
} from '../src/requirements/index.js';
import { prichal } from './helpers/cli.js';
import { inventoryWith, lineOf, removeInventory } from './helpers/inventory.js';

const SRC = path.join(PROJECT_ROOT, 'src');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
const texts = sources(SRC).map((file) => ({ file: path.relative(SRC, file), text: readFileSync(file, 'utf8') }));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

describe('the requirement catalogue', () => {
  it('lists the requirements of the regulations (and INV-1, the inventory every run stands on, SED-1, the СЭД path of Регламент подключения к СЭД, and REG-1, the reply deadline of Регламент ПУ ТО, п. 3.3), each defined in exactly one place', () => {
    expect(REQUIREMENT_IDS).toEqual([
      'INV-1',
      'CH-1',
      'CH-2',
      'CH-3',
      'CH-4',
      'CH-5',
      'CH-6',
      'CH-7',
      'CH-8',
      'CH-9',
      'FW-1',
      'FW-2',
      'FW-3',
      'GW-1',
      'BUS-1',
      'REG-1',
      'BUS-2',
      'SIG-1',
      'SED-1',
      'ORG-1',
      'ORG-2',
      'WS-1',
    ]);
    for (const id of REQUIREMENT_IDS) {
      const definitions = texts
        .filter((t) => new RegExp(`^\\s*'${escape(id)}': \\{\\s*title:`, 'm').test(t.text))
        .map((t) => t.file);
      expect(definitions, id).toEqual(['requirements/catalogue.ts']);
    }
  });

  it('has every requirement evaluated: an inventory one by its check in the catalogue, a live one by drift', () => {
    const live = texts.filter((t) => t.file.startsWith('drift/') || t.file.startsWith('collect/'));
    for (const id of REQUIREMENT_IDS) {
      const { reads, check } = REQUIREMENTS[id];
      if (reads === 'inventory' || reads === 'inventory + live')
        expect(check, `${id} has no check`).toBeTypeOf('function');
      if (reads === 'live' || reads === 'inventory + live')
        expect(
          live.some((t) => t.text.includes(`'${id}'`)),
          `${id} is evaluated nowhere`,
        ).toBe(true);
    }
    expect(REQUIREMENTS[INVENTORY_VALIDITY].reads).toBe('every run');
  });

  it("writes an inventory requirement's id by hand nowhere but the catalogue: its check never names it", () => {
    for (const id of REQUIREMENT_IDS.filter((r) => REQUIREMENTS[r].reads === 'inventory')) {
      const users = texts
        .filter((t) => !t.file.endsWith('.generated.ts') && t.text.includes(`'${id}'`))
        .map((t) => t.file);
      expect(users, id).toEqual(['requirements/catalogue.ts']);
    }
  });

  it('cites every source by a regulation title (or as a drift check), never by a file name', () => {
    const titles = Object.values(REGULATIONS).map((r) => r.cite);
    for (const id of REQUIREMENT_IDS) {
      const source = REQUIREMENTS[id].source;
      expect(
        titles.some((t) => source.includes(t)) || source === 'drift' || (id === 'INV-1' && source === 'validation'),
        `${id}: ${source}`,
      ).toBe(true);
      expect(source).not.toMatch(/seed|00\d/);
    }
    expect(cite('portal', '4.6')).toBe('Регламент ПУ ТО, п. 4.6');
    expect(cite('portal', 'Приложение 9')).toBe('Регламент ПУ ТО, Приложение 9');
  });

  it('decides "production only after a tested test registration" in one function', () => {
    expect([
      productionAllowed('tested'),
      productionAllowed('registered'),
      productionAllowed('requested'),
      productionAllowed(undefined),
    ]).toEqual([true, false, false, false]);
    // Nobody else compares a test status with 'tested'.
    const others = texts
      .filter(
        (t) =>
          !t.file.startsWith('requirements/') &&
          !t.file.endsWith('types.generated.ts') &&
          /(===|!==) 'tested'/.test(t.text),
      )
      .map((t) => t.file);
    expect(others).toEqual([]);
  });
});

describe('audit findings', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await removeInventory(d);
  });

  it('carry the participant file and the line of the field', async () => {
    const dir = await inventoryWith([
      { file: 'participants/tmn-sosh-12.yaml', from: 'cryptoPro: 4.0.9975', to: 'cryptoPro: 4.0.1' },
    ]);
    dirs.push(dir);
    const r = await prichal(['audit', '--inventory', dir, '--at', '2026-11-23', '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const ws = (JSON.parse(r.stdout) as CheckResult).findings.filter(
      (f) => f.requirement === 'WS-1' && f.participant === 'tmn-sosh-12',
    );
    expect(ws).toHaveLength(1);
    expect(ws[0]).toMatchObject({
      file: 'participants/tmn-sosh-12.yaml',
      line: await lineOf(dir, 'participants/tmn-sosh-12.yaml', 'cryptoPro: 4.0.1'),
      severity: 'error',
    });
  });
});
