// A report must never look greener because input was unreadable: audit on an
// inventory where one participant file is broken reports that file (INV-1, with file and line)
// and exits 1 in every output format; coverage and documents refuse, exit 1, naming the file,
// with JSON on stdout under --format json, and write nothing.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prichal } from './helpers/cli.js';
import { inventoryWith, removeInventory, type Edit } from './helpers/inventory.js';

const BROKEN: Record<string, Edit> = {
  'a YAML syntax error': { file: 'participants/tmn-sosh-12.yaml', from: 'name: ', to: 'name: [unclosed ' },
  'a schema error': { file: 'participants/tmn-sosh-12.yaml', from: 'kind: ', to: 'kind_: ' },
};
const dirs: string[] = [];
let out: string;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'prichal-invalid-'));
});
afterAll(async () => {
  await Promise.all(dirs.map(removeInventory));
  await rm(out, { recursive: true, force: true });
});

async function broken(edit: Edit): Promise<string> {
  const dir = await inventoryWith([edit]);
  dirs.push(dir);
  return dir;
}

describe.each(Object.entries(BROKEN))('an inventory with %s in one participant file', (_, edit) => {
  it('audit reports the file as INV-1 with its line, exits 1, and no format says compliant', async () => {
    const dir = await broken(edit);
    const text = await prichal(['audit', '--inventory', dir, '--at', '2026-11-23', '--lang', 'en']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^Inventory audit: FINDINGS/);
    // The participant's, with its file and line.
    expect(text.stdout).toMatch(/ERROR INV-1 tmn-sosh-12 .*\(participants\/tmn-sosh-12\.yaml:\d+\)$/m);

    const reports = path.join(out, path.basename(dir));
    const json = await prichal([
      'audit',
      '--inventory',
      dir,
      '--at',
      '2026-11-23',
      '--format',
      'json',
      '--out',
      reports,
    ]);
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout) as {
      findings: Array<{ requirement: string; file?: string; line?: number; severity: string }>;
    };
    const inv = result.findings.filter((f) => f.requirement === 'INV-1');
    expect(inv.length).toBeGreaterThan(0);
    expect(inv.every((f) => f.file === 'participants/tmn-sosh-12.yaml' && f.line! >= 1 && f.severity === 'error')).toBe(
      true,
    );
    // Every written format carries the finding and none says compliant.
    const files = (await readdir(reports)).filter((f) => /\.(json|xml|md|html)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const content = await readFile(path.join(reports, file), 'utf8');
      expect(content, file).toContain('INV-1');
      expect(content, file).toContain('participants/tmn-sosh-12.yaml');
      expect(content, file).not.toMatch(/COMPLIANT(?!_)/);
      expect(content, file).not.toContain('СООТВЕТСТВУЕТ');
    }
  });

  it('coverage and documents refuse with exit 1, naming the file, JSON on stdout, nothing written', async () => {
    const dir = await broken(edit);
    const coverage = await prichal([
      'coverage',
      '--inventory',
      dir,
      '--format',
      'json',
      '--out',
      path.join(out, 'coverage'),
    ]);
    expect(coverage.code).toBe(1);
    expect(coverage.stderr).toMatch(/реестр не проходит проверку; статистика не считается/);
    // JSON is language-neutral: its error is the English wording.
    expect(JSON.parse(coverage.stdout).error).toBe('the inventory does not validate');
    const body = JSON.parse(coverage.stdout) as { findings: Array<{ file: string; line: number }> };
    expect(body.findings.some((f) => f.file === 'participants/tmn-sosh-12.yaml' && f.line >= 1)).toBe(true);
    const docsOut = path.join(out, 'documents');
    const docs = await prichal(['docs', '--all', '--inventory', dir, '--out', docsOut]);
    expect(docs.code).toBe(1);
    expect(docs.stderr).toMatch(/participants\/tmn-sosh-12\.yaml:\d+:\d+/);
    expect(await readdir(docsOut).catch(() => [])).toEqual([]);
    await expect(readdir(path.join(out, 'coverage'))).rejects.toThrow();
  });
});

describe('docs --probes with a file that is not a probe protocol', () => {
  it.each([
    ['malformed JSON', '{bad', /test-tmn-sosh-12\.json: не читается как JSON \(/],
    [
      'an empty object',
      '{}',
      /test-tmn-sosh-12\.json: это не протокол пробы, пригодный для Prichal: version is missing, expected 1/,
    ],
    [
      'another participant',
      JSON.stringify({ version: 1, contour: 'test', participant: 'dep-obr', allowed: [], denied: [], passed: true }),
      /it records "dep-obr" in "test", not tmn-sosh-12 in test/,
    ],
  ])('%s: a usage error naming the file, nothing written', async (_, content, message) => {
    const probes = await mkdtemp(path.join(out, 'probes-'));
    await writeFile(path.join(probes, 'test-tmn-sosh-12.json'), content);
    const docsOut = path.join(probes, 'documents');
    const r = await prichal(['docs', '--participant', 'tmn-sosh-12', '--probes', probes, '--out', docsOut]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/TypeError|at \S+:\d+/);
    expect(await readdir(docsOut).catch(() => [])).toEqual([]);
  });
});

describe('--format json when a command is refused', () => {
  it('an operator.yaml that does not parse: audit exits 1 with the located findings as JSON', async () => {
    const dir = await broken({ file: 'operator.yaml', to: 'contours: [\n' });
    const r = await prichal(['audit', '--inventory', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const body = JSON.parse(r.stdout) as {
      error: string;
      exitCode: number;
      findings: Array<{ file: string; code: string }>;
    };
    expect(body.exitCode).toBe(1);
    expect(body.findings.map((f) => `${f.file} ${f.code}`)).toContain('operator.yaml yaml-syntax');
  });

  it('any other refusal is still one JSON document naming the error and the exit code', async () => {
    const r = await prichal(['plan', '--inventory', path.join(out, 'no-such-inventory'), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'InventoryNotFoundError',
      exitCode: 2,
      error: expect.stringMatching(/inventory folder not found/),
    });
  });
});
