// allocations.yaml is the operator's memory of what is deployed (issue 12): a file that is not
// the expected shape is an error with file and line (and nothing is renumbered, because the
// inventory does not validate); an unknown contour or key is an error; one address recorded for
// two participants is an error naming both; an entry for a participant not in the inventory is
// a warning.
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/inventory/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { inventoryWith, removeInventory, type Edit } from './helpers/inventory.js';

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
    const { ok, findings } = await allocationFindings({ from: '  test:\n', to: '  test:\n    left-long-ago: 10.210.0.200\n' });
    expect(ok).toBe(true);
    expect(findings.map((f) => `${f.severity} ${f.code} ${f.line}`)).toEqual(['warning allocation-unknown 13']);
  });
});
