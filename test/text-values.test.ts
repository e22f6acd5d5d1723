// Text people read on forms: a required field of spaces is not a value, and no text
// runs to megabytes — both are errors at the field's line; the sample stays valid.
import { afterAll, describe, expect, it } from 'vitest';
import { checkInventory } from '../src/requirements/index.js';
import { MAX_TEXT } from '../src/inventory/rules/text.js';
import { inventoryWith, lineOf, removeInventory, SAMPLE_INVENTORY } from './helpers/inventory.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map(removeInventory)));
const FILE = 'participants/tmn-sosh-12.yaml';

async function findingsWith(from: string, to: string) {
  const dir = await inventoryWith([{ file: FILE, from, to }]);
  dirs.push(dir);
  const checked = await checkInventory(dir, '2026-11-23');
  return { dir, findings: checked.findings.filter((f) => f.file === FILE && f.severity === 'error') };
}

describe('text values', () => {
  it('the sample has none blank or overlong', async () => {
    expect((await checkInventory(SAMPLE_INVENTORY, '2026-11-23')).ok).toBe(true);
  });

  it('a name of spaces is an error at its line, not a blank form cell', async () => {
    const { dir, findings } = await findingsWith('name: МАОУ СОШ № 12 г. Тюмени', 'name: "   "');
    const blank = findings.filter((f) => f.path === 'name');
    expect(blank.map((f) => f.message)).toEqual([
      'must not be blank: write the value, or leave the field out where it is optional',
    ]);
    expect(blank[0]!.line).toBe(await lineOf(dir, FILE, 'name: "   "'));
  });

  it(`a text longer than ${MAX_TEXT} characters is an error naming its length`, async () => {
    const { findings } = await findingsWith('head: Петрова Анна Сергеевна', `head: "${'Ю'.repeat(MAX_TEXT + 1)}"`);
    expect(findings.filter((f) => f.path === 'head').map((f) => f.message)).toEqual([
      `is ${MAX_TEXT + 1} characters long; at most ${MAX_TEXT}`,
    ]);
  });
});
