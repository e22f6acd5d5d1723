// allocations.yaml is the operator's memory of what is deployed: a file that is not
// the expected shape is an error with file and line (and nothing is renumbered, because the
// inventory does not validate); an unknown contour or key is an error; one address recorded for
// two participants is an error naming both; an entry for a participant not in the inventory is
// a warning.
import { mkdtemp, readdir, readFile, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { plan } from '../src/workflows/plan.js';
import { prichal, PRICHAL } from './helpers/cli.js';
import type { Finding } from '../src/inventory/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { inventoryWith, lineOf, removeInventory, SAMPLE_INVENTORY, type Edit } from './helpers/inventory.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map(removeInventory)));
const FILE = 'allocations.yaml';

async function allocationFindings(edit: Omit<Edit, 'file'>): Promise<{ ok: boolean; findings: Finding[] }> {
  const dir = await inventoryWith([{ file: FILE, ...edit }]);
  dirs.push(dir);
  const checked = await checkInventory(dir, '2026-11-23');
  return { ok: checked.ok, findings: checked.findings.filter((f) => f.file === FILE) };
}

describe('allocations.yaml', () => {
  it.each([
    ['plain text', 'just some text\n', /must be a mapping, not string/, 1],
    ['a number', '42\n', /must be a mapping, not number/, 1],
    ['a list', '- 10.210.0.2\n- 10.210.0.3\n', /must be a mapping, not a list/, 1],
    ['gateways: 5', 'gateways: 5\n', /must map contours \(test, prod\) to allocations, not number/, 1],
    ['an unknown contour', 'gateways:\n  staging:\n    dep-obr: 10.210.0.2\n', /unknown contour 'staging'/, 2],
    ['an unknown key', 'gateway:\n  test: {}\n', /unknown key 'gateway'/, 1],
    ['a non-text address', 'gateways:\n  test:\n    dep-obr: 17\n', /must be gateway addresses as text, not number/, 3],
  ])('%s is an error with its line, and the inventory does not validate', async (_, text, message, line) => {
    const { ok, findings } = await allocationFindings({ to: text });
    expect(ok).toBe(false);
    const errors = findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.message).join('\n')).toMatch(message);
    expect(errors.find((f) => message.test(f.message))!.line).toBe(line);
  });

  it('one address recorded for two participants is an error naming both; no one takes it silently', async () => {
    const { ok, findings } = await allocationFindings({ from: 'dep-zdrav: 10.210.0.3', to: 'dep-zdrav: 10.210.0.2' });
    expect(ok).toBe(false);
    const duplicate = findings.filter((f) => f.code === 'allocation-duplicate');
    expect(duplicate).toHaveLength(1);
    expect(duplicate[0]!.message).toMatch(/10\.210\.0\.2 is recorded for both dep-obr and dep-zdrav/);
  });

  it('an entry for a participant the inventory does not have is a warning, not silence', async () => {
    const { ok, findings } = await allocationFindings({
      from: '  test:\n',
      to: '  test:\n    left-long-ago: 10.210.0.200\n',
    });
    expect(ok).toBe(true);
    const line = await lineOf(dirs.at(-1)!, FILE, 'left-long-ago');
    expect(findings.map((f) => `${f.severity} ${f.code} ${f.line}`)).toEqual([`warning allocation-unknown ${line}`]);
  });
});

describe('plan --save keeps what allocations.yaml promises', () => {
  // dep-obr's production registration goes back to 'requested' (not approved): it is still in the
  // inventory, so its recorded 10.220.0.2 stays its own; dep-zdrav's record is lost and it needs a
  // fresh address — lowest free first, which must not be dep-obr's.
  const edits: Edit[] = [
    {
      file: 'participants/dep-obr.yaml',
      from: '    status: registered\n    switchDate: 2024-03-20',
      to: '    status: requested',
    },
    { file: FILE, from: '    dep-zdrav: 10.220.0.3\n', to: '' },
  ];

  it('an address recorded for a participant not yet approved is never given to another', async () => {
    const dir = await inventoryWith(edits);
    dirs.push(dir);
    const checked = await checkInventory(dir, '2026-11-23');
    expect(checked.ok).toBe(true);
    const prod = checked.plan!.contours.prod;
    expect(prod.registrations.find((r) => r.participant === 'dep-zdrav')!.gateway).toBe('10.220.0.3');
    expect(prod.registrations.map((r) => r.gateway)).not.toContain('10.220.0.2');
    expect(prod.kept).toContainEqual({ participant: 'dep-obr', gateway: '10.220.0.2' });
  });

  it('plan --save keeps the records of participants still in the inventory', async () => {
    const dir = await inventoryWith(edits);
    dirs.push(dir);
    const result = await plan({ inventory: dir, at: '2026-11-23', save: true });
    expect(result.saved).toBeDefined();
    const saved = await readFile(path.join(dir, FILE), 'utf8');
    expect(saved).toContain('dep-obr: 10.220.0.2');
    expect(saved).toContain('dep-zdrav: 10.220.0.3');
  });

  it('on the unchanged sample, plan --save rewrites allocations.yaml byte for byte', async () => {
    const dir = await inventoryWith([]);
    dirs.push(dir);
    const before = await readFile(path.join(dir, FILE), 'utf8');
    await plan({ inventory: dir, at: '2026-11-23', save: true });
    expect(await readFile(path.join(dir, FILE), 'utf8')).toBe(before);
  });

  it('plan --save edits allocations.yaml in place: a hand comment and every other line stay, a new record goes in its sorted place', async () => {
    const comment = '    # dep-obr: the department keeps this address (agreed with the network team)\n';
    const dir = await inventoryWith([
      { file: FILE, from: '    dep-zdrav: 10.220.0.3\n', to: '' },
      { file: FILE, from: '    dep-obr: 10.220.0.2\n', to: `${comment}    dep-obr: 10.220.0.2\n` },
    ]);
    dirs.push(dir);
    const original = await readFile(path.join(SAMPLE_INVENTORY, FILE), 'utf8');
    await plan({ inventory: dir, at: '2026-11-23', save: true });
    expect(await readFile(path.join(dir, FILE), 'utf8')).toBe(
      original.replace('    dep-obr: 10.220.0.2\n', `${comment}    dep-obr: 10.220.0.2\n`),
    );
  });

  it('a write that fails midway (file-size limit) leaves the old allocations.yaml whole and no temporary file', async () => {
    const dir = await inventoryWith([{ file: FILE, from: '    dep-zdrav: 10.220.0.3\n', to: '' }]);
    dirs.push(dir);
    const before = await readFile(path.join(dir, FILE), 'utf8');
    // ulimit -f 0: every write beyond 0 bytes fails with EFBIG (Node ignores SIGXFSZ).
    const run = await execa(
      'bash',
      ['-c', `ulimit -f 0; exec "$0" plan --save --inventory "$1" --at 2026-11-23 --lang en`, PRICHAL, dir],
      { reject: false, env: { PRICHAL_VALIDATION_CACHE: 'off' } },
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/allocations\.yaml: larger than the file-size limit/);
    expect(await readFile(path.join(dir, FILE), 'utf8')).toBe(before);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a dangling allocations.yaml link never makes plan --save write outside the inventory', async () => {
    const dir = await inventoryWith([{ file: FILE, to: null }]);
    dirs.push(dir);
    const outside = path.join(await mkdtemp(path.join(tmpdir(), 'prichal-outside-')), 'allocations.yaml');
    dirs.push(path.dirname(outside));
    await symlink(outside, path.join(dir, FILE));
    const run = await prichal(['plan', '--save', '--inventory', dir, '--at', '2026-11-23', '--lang', 'en']);
    // The loader refuses the link before anything is planned (the write rule would refuse it too: files.test.ts).
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/allocations\.yaml.*symbolic link/);
    await expect(stat(outside)).rejects.toThrow(/ENOENT/);
  });
});
