// The CLI as users run it: golden plan output, exit codes, help, init and usage errors.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../src/cli/main.js';
import { INVENTORY_REQUIREMENTS, LIVE_REQUIREMENTS } from '../src/requirements/index.js';
import { prichal } from './helpers/cli.js';
import { inventoryWith, removeInventory, SAMPLE_INVENTORY } from './helpers/inventory.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeInventory)));
const scratch = async (edits: Parameters<typeof inventoryWith>[0] = []) => {
  const dir = await inventoryWith(edits);
  dirs.push(dir);
  return dir;
};

describe('prichal plan', () => {
  it('prints the sample plan as JSON, byte for byte as the golden file', async () => {
    const { code, stdout } = await prichal(['plan', '--format', 'json', '--at', '2026-11-23']);
    expect(code).toBe(0);
    await expect(stdout + '\n').toMatchFileSnapshot('golden/plan.json');
    const again = await prichal(['plan', '--format', 'json', '--at', '2026-11-23']);
    expect(again.stdout).toBe(stdout);
  });

  it('uses only recorded allocations for the sample inventory', async () => {
    const { stdout } = await prichal(['plan', '--format', 'json']);
    const plan = JSON.parse(stdout).plan;
    const fresh = [...plan.contours.test.registrations, ...plan.contours.prod.registrations, ...plan.links].filter(
      (x) => x.newAllocation,
    );
    expect(fresh).toEqual([]);
  });

  it('keeps every other participant on its address when one is added and one removed, and --save records it', async () => {
    const newcomer = (await readFile(path.join(SAMPLE_INVENTORY, 'participants/onokhino-sp.yaml'), 'utf8'))
      .replaceAll('onokhino-sp', 'new-sp')
      .replace('TMR_ONOKHINO', 'TMR_NEW')
      .replace('0x1A0E0022', '0x1A0E0023')
      .replace('10.35.11.0/26', '10.35.12.0/26')
      .replace('10.35.11.10', '10.35.12.10')
      // Approved, so that it is provisioned and gets an address (a requested one is not).
      .replace(
        'status: requested\n    requested: 2026-11-16',
        'status: approved\n    requested: 2026-11-16\n    approved: 2026-11-20',
      );
    const dir = await scratch([
      { file: 'participants/new-sp.yaml', to: newcomer },
      { file: 'participants/ishim-district-admin.yaml', to: null },
      // The school it coordinates goes with it (it has no channel, so no allocation).
      { file: 'participants/ishim-sosh-2.yaml', to: null },
    ]);
    const before = parse(await readFile(path.join(SAMPLE_INVENTORY, 'allocations.yaml'), 'utf8'));
    const run = await prichal(['plan', '--inventory', dir, '--format', 'json', '--save']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    const test = result.plan.contours.test.registrations as Array<{
      participant: string;
      gateway: string;
      newAllocation: boolean;
    }>;
    for (const r of test) {
      if (r.participant === 'new-sp') {
        expect(r.newAllocation).toBe(true);
        // The lowest free address is the one the removed participant gave back.
        expect(r.gateway).toBe(before.gateways.test['ishim-district-admin']);
      } else expect(r.gateway).toBe(before.gateways.test[r.participant]);
    }
    const saved = parse(await readFile(path.join(dir, 'allocations.yaml'), 'utf8'));
    expect(saved.gateways.test['new-sp']).toBe(before.gateways.test['ishim-district-admin']);
    expect(saved.gateways.test['ishim-district-admin']).toBeUndefined();
    expect(test.map((r) => r.participant)).not.toContain('ishim-district-admin');
  });

  it('refuses --save on an invalid inventory and leaves allocations.yaml untouched', async () => {
    const dir = await scratch([{ file: 'participants/dep-obr.yaml', from: 'port: 443', to: 'port: 80' }]);
    const before = await readFile(path.join(dir, 'allocations.yaml'), 'utf8');
    const run = await prichal(['plan', '--inventory', dir, '--save']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('port-not-allowed');
    expect(await readFile(path.join(dir, 'allocations.yaml'), 'utf8')).toBe(before);
  });
});

describe('usage', () => {
  it('exits 2 on an unknown option, a bad date and a missing inventory folder', async () => {
    expect((await prichal(['validate', '--bogus'])).code).toBe(2);
    const date = await prichal(['validate', '--at', '2026-02-30']);
    expect(date.code).toBe(2);
    expect(date.stderr).toContain("prichal: --at: дата ГГГГ-ММ-ДД, а не '2026-02-30'");
    const english = await prichal(['validate', '--at', '2026-02-30', '--lang', 'en']);
    expect(english.stderr).toContain("prichal: --at must be a date YYYY-MM-DD, got '2026-02-30'");
    const missing = await prichal(['plan', '--inventory', '/nonexistent/inventory']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('каталог реестра не найден: /nonexistent/inventory');
    expect((await prichal(['validate', '--format', 'xml'])).code).toBe(2);
  });

  it('prints help for every command with exit 0', async () => {
    for (const command of ['validate', 'plan', 'init']) {
      const help = await prichal([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('--inventory');
      expect(help.stdout).toContain('--format');
    }
  });

  it("lists in audit's and drift's help the requirements the catalogue has, in both languages", () => {
    // CH-1..3 back to CH-1, CH-2, CH-3.
    const expand = (list: string) =>
      list.split(', ').flatMap((item) => {
        const range = /^(.*)-(\d+)\.\.(\d+)$/.exec(item);
        if (!range) return [item];
        const [, family, from, to] = range;
        return Array.from({ length: Number(to) - Number(from) + 1 }, (_, i) => `${family}-${Number(from) + i}`);
      });
    for (const lang of ['en', 'ru'] as const) {
      const program = buildProgram(lang);
      const listed = (name: string) => {
        const description = program.commands.find((c) => c.name() === name)!.description();
        return expand(/\(([A-Z]+-[^)]*)\)/.exec(description)![1]!);
      };
      expect(listed('audit')).toEqual(INVENTORY_REQUIREMENTS);
      expect(listed('drift')).toEqual(LIVE_REQUIREMENTS);
    }
  });

  it('prints text findings as file:line:column', async () => {
    const dir = await scratch([{ file: 'participants/dep-obr.yaml', from: 'port: 443', to: 'port: 80' }]);
    const run = await prichal(['validate', '--inventory', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^participants\/dep-obr\.yaml:\d+:\d+ ошибка port-not-allowed endpoints\[0\]\.port: порт 80 не разрешён; policy\.allowedPorts допускает 443/m,
    );
    expect(run.stdout).toMatch(/^реестр некорректен: ошибок 1, предупреждений \d+$/m);
    const english = await prichal(['validate', '--inventory', dir, '--lang', 'en']);
    expect(english.stdout).toMatch(
      /^participants\/dep-obr\.yaml:\d+:\d+ error port-not-allowed endpoints\[0\]\.port: port 80 is not allowed/m,
    );
    expect(english.stdout).toMatch(/^inventory is invalid: 1 error, \d+ warnings?$/m);
  });
});

describe('prichal init', () => {
  it('scaffolds a file with every schema field whose gaps validate names by line', async () => {
    const dir = await scratch();
    const run = await prichal(['init', 'new-school', '--inventory', dir, '--format', 'json']);
    expect(run.code).toBe(0);
    const file = JSON.parse(run.stdout).file as string;
    const text = await readFile(file, 'utf8');
    const schema = JSON.parse(
      await readFile(path.join(import.meta.dirname, '../src/inventory/schema/participant.schema.json'), 'utf8'),
    );
    for (const field of Object.keys(schema.properties)) expect(text).toMatch(new RegExp(`^${field}:`, 'm'));
    expect(text).toContain('id: new-school');
    const check = await prichal(['validate', '--inventory', dir, '--format', 'json']);
    expect(check.code).toBe(1);
    const errors = JSON.parse(check.stdout).errors as Array<{ file: string; line: number }>;
    // Only the new file is incomplete, and each gap points at a line of it.
    expect(errors.length).toBeGreaterThan(5);
    for (const e of errors) expect(e.file).toBe('participants/new-school.yaml');
    const again = await prichal(['init', 'new-school', '--inventory', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('уже существует; чтобы перезаписать, добавьте --force');
    expect((await prichal(['init', 'Bad Id', '--inventory', dir])).code).toBe(2);
  });
});
