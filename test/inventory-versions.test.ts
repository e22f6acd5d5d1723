// The contract across versions. test/fixtures/inventory-v1 is the sample inventory as it was while
// version 1 was current (the commit before the one that introduced `version: 2`), with one line
// added: a connector participant's sed.training, which the version-1 schema asked of everyone.
// It keeps validating with warnings only; under version 2 the same fields are errors, one finding
// per field and problem; `prichal migrate` rewrites it to version 2 changing only what it must.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OPERATOR_V2_FIELDS, PARTICIPANT_V2_FIELDS } from '../src/inventory/rules/version.js';
import type { Finding } from '../src/inventory/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { migrate } from '../src/workflows/migrate.js';
import { PROJECT_ROOT } from '../src/project.js';
import { prichal } from './helpers/cli.js';

const AT = '2026-11-23';
const V1 = path.join(import.meta.dirname, 'fixtures', 'inventory-v1');
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A copy of the version-1 fixture, with replacements in its files. */
async function copyOfV1(edits: Array<{ file: string; from: string; to: string }> = []): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'prichal-v1-'));
  dirs.push(dir);
  await cp(V1, dir, { recursive: true });
  for (const { file, from, to } of edits) {
    const text = await readFile(path.join(dir, file), 'utf8');
    if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
    await writeFile(path.join(dir, file), text.replace(from, to));
  }
  return dir;
}

async function filesOf(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of [
    'operator.yaml',
    'allocations.yaml',
    ...(await readdir(path.join(dir, 'participants'))).map((f) => `participants/${f}`),
  ])
    files.set(name, await readFile(path.join(dir, name), 'utf8'));
  return files;
}

/** No field has two findings of one code, nor an error and a warning: one finding per field and problem. */
function expectOneFindingPerFieldAndProblem(findings: readonly Finding[]) {
  const seen = new Map<string, Finding>();
  for (const f of findings) {
    const field = `${f.file} ${f.path}`;
    expect(seen.get(`${field} ${f.code}`), `${field}: two ${f.code} findings`).toBeUndefined();
    seen.set(`${field} ${f.code}`, f);
    const other = seen.get(`${field} ${f.severity === 'error' ? 'warning' : 'error'}`);
    expect(other, `${field}: an error and a warning (${other?.code} / ${f.code})`).toBeUndefined();
    seen.set(`${field} ${f.severity}`, f);
  }
}

const at = (findings: readonly Finding[], file: string, field: string) =>
  findings.filter((f) => f.file === `participants/${file}.yaml` && f.path === field).map((f) => [f.severity, f.code]);

describe('a version-1 inventory', () => {
  it('validates with warnings only; each field version 2 reads differently is one warning saying what to write', async () => {
    const checked = await checkInventory(V1, AT);
    expect(checked.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expectOneFindingPerFieldAndProblem(checked.findings);
    const f = checked.findings;
    expect(at(f, 'ishim-district-admin', 'sed.training')).toEqual([['warning', 'schema-version']]);
    expect(f.find((x) => x.path === 'sed.training')!.message).toMatch(/with 'version: 2', remove sed\.training/);
    expect(at(f, 'ishim-district-admin', 'registrations.prod.switchDate')).toEqual([['warning', 'schema-version']]);
    expect(at(f, 'tmn-sosh-12', 'registrations.prod')).toEqual([['warning', 'schema-version']]);
    expect(at(f, 'tmn-sosh-12', 'sed')).toEqual([['warning', 'schema-version']]);
    // A version-2 kind is what to write for the district administration: with version 2.
    expect(at(f, 'kaskara-sp', 'coordinatedBy')).toEqual([['warning', 'coordinator-kind']]);
    expect(f.find((x) => x.code === 'coordinator-kind')!.message).toContain("with 'version: 2'");
    // Every warning is worded in Russian too.
    for (const w of f) expect(w.ru).toMatch(/[а-яё]{4}/i);
  });

  it('prichal validate exits 0 on it', async () => {
    const run = await prichal(['validate', '--inventory', V1, '--format', 'json', '--at', AT]);
    expect(run.code, run.stdout).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, errors: [] });
  });

  it("under 'version: 2' the same fields are errors, one finding each, and the other readings say nothing", async () => {
    const dir = await copyOfV1([{ file: 'operator.yaml', from: 'operator:\n', to: 'version: 2\noperator:\n' }]);
    const { findings: f } = await checkInventory(dir, AT);
    expectOneFindingPerFieldAndProblem(f);
    expect(at(f, 'ishim-district-admin', 'sed.training')).toEqual([['error', 'sed-path']]);
    expect(at(f, 'tmn-sosh-12', 'registrations.prod')).toEqual([['error', 'contour-order']]);
    // How the СЭД connection and the connector's switch date are read is version 2's own: nothing to warn.
    expect(at(f, 'tmn-sosh-12', 'sed')).toEqual([]);
    expect(at(f, 'ishim-district-admin', 'registrations.prod.switchDate')).toEqual([]);
    expect(f.filter((x) => x.code === 'schema-version')).toEqual([]);
  });

  it('using a field version 2 added, without declaring it, is the error schema-version naming the field', async () => {
    const dir = await copyOfV1([
      {
        file: 'participants/tmn-sosh-12.yaml',
        from: 'options: [appointment, rating] }',
        to: 'options: [appointment, rating], webService: { wsdlReceived: 2024-03-01 } }',
      },
    ]);
    const { findings } = await checkInventory(dir, AT);
    expect(at(findings, 'tmn-sosh-12', 'services[0].webService')).toEqual([['error', 'schema-version']]);
  });

  it('every field the schemas added to version 1 is declared a version-2 field', () => {
    const declared = [
      ...OPERATOR_V2_FIELDS.map((f) => `operator:${f}`),
      ...PARTICIPANT_V2_FIELDS.map((f) => `participant:${f}`),
    ];
    const added: string[] = [];
    for (const name of ['operator', 'participant']) {
      const schema = (dir: string) => JSON.parse(readFileSync(path.join(dir, `${name}.schema.json`), 'utf8')) as Schema;
      const before = new Set(fieldsOf(schema(path.join(import.meta.dirname, 'fixtures', 'schema-v1'))));
      for (const field of fieldsOf(schema(path.join(PROJECT_ROOT, 'src', 'inventory', 'schema')))) {
        // `version` itself, and fields under an added one, are covered by it.
        if (
          !before.has(field) &&
          field !== 'version' &&
          !declared.some((d) => `${name}:${field}`.startsWith(`${d}.`) || `${name}:${field}`.startsWith(`${d}[`))
        )
          added.push(`${name}:${field}`);
      }
    }
    expect(added.filter((f) => !declared.includes(f))).toEqual([]);
  });
});

type Schema = {
  properties?: Record<string, Schema>;
  items?: Schema;
  $ref?: string;
  definitions?: Record<string, Schema>;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  then?: Schema;
};

/** The dotted fields a schema declares (`[]`: every entry of a list). */
function fieldsOf(root: Schema): string[] {
  const fields: string[] = [];
  const walk = (node: Schema | undefined, at: string, depth: number) => {
    if (!node || depth > 12) return;
    if (node.$ref) return walk(root.definitions?.[node.$ref.split('/').at(-1)!], at, depth + 1);
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const field = at ? `${at}.${key}` : key;
      fields.push(field);
      walk(child, field, depth + 1);
    }
    if (node.items) walk(node.items, `${at}[]`, depth + 1);
    for (const sub of [
      ...(node.allOf ?? []),
      ...(node.anyOf ?? []),
      ...(node.oneOf ?? []),
      ...(node.then ? [node.then] : []),
    ])
      walk(sub, at, depth + 1);
  };
  walk(root, '', 0);
  return fields;
}

/** The lines of `after` that are not in `before` and those of `before` not in `after`, by a longest common subsequence. */
function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) i++, j++;
    else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) added.push(b[j++]!);
    else removed.push(a[i++]!);
  }
  return { removed, added };
}

describe('prichal migrate', () => {
  it('--check exits 1 while a migration is due and writes nothing; migrate rewrites the version-1 inventory to version 2, which validates with no schema-version warning; again, it changes nothing', async () => {
    const dir = await copyOfV1();
    const before = await filesOf(dir);

    const check = await prichal(['migrate', '--check', '--inventory', dir, '--format', 'json']);
    expect(check.code, check.stderr).toBe(1);
    expect(JSON.parse(check.stdout)).toMatchObject({ from: 1, to: 2, due: true, written: false });
    expect(await filesOf(dir)).toEqual(before);

    const run = await prichal(['migrate', '--inventory', dir, '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      due: boolean;
      written: boolean;
      files: Array<{ file: string; changes: Array<{ path: string; line: number; message: string; ru: string }> }>;
      decisions: Finding[];
    };
    expect(result).toMatchObject({ due: true, written: true });
    const after = await filesOf(dir);

    // Per file what changed, each change at its line.
    const changed = Object.fromEntries(result.files.map((f) => [f.file, f.changes.map((c) => c.path)]));
    expect(changed).toEqual({
      'participants/dep-obr.yaml': ['services[0].tests'],
      'participants/dep-zdrav.yaml': ['services[0].tests'],
      'participants/ishim-district-admin.yaml': ['sed.training', 'sed.switchDate'],
      'participants/tmn-city-admin.yaml': ['sed.switchDate', 'services[0].tests'],
      'participants/tmn-district-admin.yaml': ['services[0].tests'],
      'participants/tmn-sosh-12.yaml': ['services[0].tests'],
      'operator.yaml': ['version'],
    });
    const version = result.files.find((f) => f.file === 'operator.yaml')!.changes[0]!;
    expect(after.get('operator.yaml')!.split('\n')[version.line - 1]).toBe('version: 2');

    // Only the lines of the changes differ: every other line, every comment byte for byte.
    for (const [file, text] of before) {
      const { removed, added } = lineDiff(text, after.get(file)!);
      for (const line of removed)
        expect(line, `${file}: a line changed that migrate did not name`).toMatch(/^ {2}training: |^ {2}- \{ code: /);
      for (const line of added)
        expect(line, file).toMatch(
          /^version: 2$|^ {2}switchDate: \d{4}-\d\d-\d\d$|^ {2}- \{ code: .*, tests: \[\{ step: form, /,
        );
      for (const comment of text.split('\n').filter((l) => l.trimStart().startsWith('#')))
        expect(after.get(file)!.split('\n'), file).toContain(comment);
    }
    expect(before.get('participants/ishim-district-admin.yaml')).toContain('# form field 7');
    expect(after.get('participants/ishim-district-admin.yaml')).not.toMatch(/training/);

    // What only a person can decide, located in the migrated files.
    const decided = result.decisions.map((d) => [d.file, d.path, d.severity]);
    expect(decided).toContainEqual(['participants/tmn-sosh-12.yaml', 'sed', 'warning']);
    expect(decided).toContainEqual(['participants/tmn-district-admin.yaml', 'kind', 'warning']);
    for (const d of result.decisions) {
      expect(d.code).toBe('migration-decision');
      const line = after.get(d.file)!.split('\n')[d.line - 1]!;
      expect(line, `${d.file}:${d.line}`).toContain(`${d.path.split('.').at(-1)}:`);
    }

    const validated = await checkInventory(dir, AT);
    expect(validated.ok).toBe(true);
    expect(validated.findings.filter((f) => f.code === 'schema-version')).toEqual([]);
    // The kind a person decides stays a warning under version 2.
    expect(at(validated.findings, 'kaskara-sp', 'coordinatedBy')).toEqual([['warning', 'coordinator-kind']]);
    // The steps recorded from version 1's date of the test, the tester the organisation.
    const sosh = validated.validation.inventory.participants.find((p) => p.value.id === 'tmn-sosh-12')!.value;
    expect(sosh.services![0]!.tests).toEqual(
      ['form', 'statuses', 'appointment', 'rating'].map((step) => ({
        step,
        date: '2024-03-20',
        result: 'passed',
        tester: sosh.name,
      })),
    );
    expect(
      validated.validation.inventory.participants.find((p) => p.value.id === 'ishim-district-admin')!.value.sed
        .switchDate,
    ).toBe('2024-10-14');

    const again = await prichal(['migrate', '--inventory', dir, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ due: false, written: false, files: [], decisions: [] });
    expect(await filesOf(dir)).toEqual(after);
    const recheck = await prichal(['migrate', '--check', '--inventory', dir]);
    expect(recheck.code).toBe(0);
    expect(recheck.stdout).toContain('миграция не нужна');
  });

  it('a run stopped before operator.yaml was written is finished by the next', async () => {
    const dir = await copyOfV1();
    await migrate({ inventory: dir });
    // As if the run had died before its last write: participants migrated, the version still 1.
    await cp(path.join(V1, 'operator.yaml'), path.join(dir, 'operator.yaml'));
    expect((await checkInventory(dir, AT)).ok).toBe(false);
    const finished = await migrate({ inventory: dir });
    expect(finished.files.map((f) => f.file)).toEqual(['operator.yaml']);
    expect((await checkInventory(dir, AT)).ok).toBe(true);
  });

  it('says per file, in Russian by default, what it changed and what a person decides', async () => {
    const dir = await copyOfV1();
    const run = await prichal(['migrate', '--check', '--inventory', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^participants\/ishim-district-admin\.yaml\n {2}строка 17: удалено sed\.training \(2024-09-02\)/m,
    );
    expect(run.stdout).toMatch(/^ {2}participants\/tmn-sosh-12\.yaml:12:1 предупреждение migration-decision sed: /m);
    expect(run.stdout).toContain('нужна миграция с версии 1 на 2');
  });

  it('a date it cannot infer is a located decision; left an error, migrate exits 1', async () => {
    const dir = await copyOfV1([{ file: 'participants/tmn-sosh-12.yaml', from: '    tested: 2024-03-20\n', to: '' }]);
    const result = await migrate({ inventory: dir });
    const decision = result.decisions.find(
      (d) => d.file === 'participants/tmn-sosh-12.yaml' && d.path === 'registrations.prod',
    )!;
    expect(decision).toMatchObject({ code: 'migration-decision', severity: 'error' });
    expect(decision.message).toMatch(/migrate cannot infer it/);
    expect(result.files.find((f) => f.file === 'participants/tmn-sosh-12.yaml')).toBeUndefined();
    const { findings } = await checkInventory(dir, AT);
    expect(at(findings, 'tmn-sosh-12', 'registrations.prod')).toEqual([['error', 'contour-order']]);
    // The CLI's exit: 1 while such a decision is open (the inventory was migrated already: nothing is due now).
    const copy = await copyOfV1([{ file: 'participants/tmn-sosh-12.yaml', from: '    tested: 2024-03-20\n', to: '' }]);
    expect((await prichal(['migrate', '--inventory', copy])).code).toBe(1);
  });

  it('refuses an inventory with a file it cannot read as what it is, writing nothing', async () => {
    const dir = await copyOfV1([
      { file: 'participants/dep-obr.yaml', from: 'kind: executive-body', to: 'kind: ministry' },
    ]);
    const before = await filesOf(dir);
    const run = await prichal(['migrate', '--inventory', dir, '--format', 'json', '--lang', 'en']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings).toEqual([
      expect.objectContaining({ file: 'participants/dep-obr.yaml', code: 'schema' }),
    ]);
    expect(await filesOf(dir)).toEqual(before);
  });
});
