// File rules (validate.ts): a participant's findings from its own file, operator.yaml and the date
// alone, so that they are cached per file. Each file rule is held to that contract here, and the
// cached findings are reused only in the context they were found in (operator.yaml, date).
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Findings,
  loadInventory,
  RULES,
  sortFindings,
  validateInventory,
  validateLoaded,
  type Finding,
  type Inventory,
  type Rule,
} from '../src/inventory/index.js';
import { REQUIREMENT_RULES } from '../src/requirements/index.js';
import { inventoryWith, useTemporaryWorkCache } from './helpers/inventory.js';

const P = (id: string) => `participants/${id}.yaml`;
const AT = '2027-12-01'; // every sample certificate has expired by then: certificate-expiry everywhere

/** One finding or more of each file rule, each in another participant's file. */
const EDITS = [
  { file: P('dep-obr'), from: 'address: 10.31.1.10', to: 'address: 10.31.9.10' },
  { file: P('dep-obr'), from: 'node: "0x1A0E0010"', to: 'node: "0x1B0E0010"' },
  { file: P('dep-zdrav'), from: 'port: 443', to: 'port: 8080' },
  { file: P('dep-zdrav'), from: 'status: tested', to: 'status: registered' },
  { file: P('tmn-sosh-12'), from: 'coordinatedBy: tmn-city-admin\n', to: '' },
  { file: P('tmn-city-admin'), from: 'circuit: TMN-L2-004512, ', to: '' },
  { file: P('kaskara-sp'), from: 'id: kaskara-sp', to: 'id: kaskara-sp-2' },
  // And an overlap, which only a rule comparing files can see.
  { file: P('kaskara-sp'), from: 'networks: [10.35.10.0/26]', to: 'networks: [10.35.0.0/26]' },
];

const FILE_RULES: readonly Rule[] = [...RULES.file, ...REQUIREMENT_RULES.file];
const key = (f: Finding) => `${f.file}:${f.line}:${f.column}:${f.code}:${f.message}`;
const run = (rule: Rule, inventory: Inventory) => {
  const findings = new Findings();
  rule(inventory, findings, { at: AT });
  return findings.items.map(key).sort();
};
/** A file rule's findings on the whole inventory are the union of its findings on each participant alone. */
const perFileHolds = (rule: Rule, inventory: Inventory) =>
  JSON.stringify(run(rule, inventory)) ===
  JSON.stringify(inventory.participants.flatMap((p) => run(rule, { ...inventory, participants: [p] })).sort());

let dir: string;
let inventory: Inventory;
beforeAll(async () => {
  dir = await inventoryWith(EDITS);
  const { inventory: loaded, findings } = await loadInventory(dir, { cache: false });
  inventory = validateLoaded(loaded, findings, { at: AT, rules: REQUIREMENT_RULES }).inventory;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('file rules', () => {
  it.each(FILE_RULES.map((rule) => [rule.name, rule] as const))(
    '%s finds, over all participants, exactly what it finds over each alone',
    (_name, rule) => {
      expect(perFileHolds(rule, inventory)).toBe(true);
    },
  );

  it('the inventory above gives most file rules findings to compare (the contract is not checked on nothing)', () => {
    const finding = FILE_RULES.filter((rule) => run(rule, inventory).length > 0).map((rule) => rule.name);
    expect(finding).toEqual(
      expect.arrayContaining([
        'idMatchesFileName',
        'endpointsInsideNetworks',
        'endpointPortsAllowed',
        'vipnetNodeInNetwork',
        'leasedLineDocumented',
        'productionAfterTest',
        'coordinatorPresent',
        'certificatesCurrent',
      ]),
    );
  });

  it('a rule that compares files fails the contract: the check can tell them apart', () => {
    const overlap = RULES.inventory.find((rule) => rule.name === 'subnetsDoNotOverlap')!;
    expect(run(overlap, inventory).length).toBeGreaterThan(0);
    expect(perFileHolds(overlap, inventory)).toBe(false);
  });
});

describe('cached file-rule findings', () => {
  useTemporaryWorkCache();
  const uncached = async (at: string) => {
    process.env.PRICHAL_VALIDATION_CACHE = 'off';
    try {
      return await validateInventory(dir, { at, rules: REQUIREMENT_RULES });
    } finally {
      delete process.env.PRICHAL_VALIDATION_CACHE;
    }
  };

  it('are reused in the same context only: another date, another operator.yaml rule every file again', async () => {
    const first = await validateInventory(dir, { at: AT, rules: REQUIREMENT_RULES });
    const participants = first.inventory.participants.length;
    expect(first.fileRules).toEqual({ run: participants, cached: 0 });
    const again = await validateInventory(dir, { at: AT, rules: REQUIREMENT_RULES });
    expect(again.fileRules).toEqual({ run: 0, cached: participants });
    expect(again.findings).toEqual(first.findings);
    // At another date the certificates tell another story: ruled again, as an uncached run finds.
    const earlier = await validateInventory(dir, { at: '2026-11-23', rules: REQUIREMENT_RULES });
    expect(earlier.fileRules).toEqual({ run: participants, cached: 0 });
    expect(earlier.findings).toEqual((await uncached('2026-11-23')).findings);
    expect(earlier.findings.filter((f) => f.code === 'certificate-expiry').length).toBeLessThan(
      first.findings.filter((f) => f.code === 'certificate-expiry').length,
    );
    // operator.yaml allows port 8080 now: dep-zdrav's port-not-allowed goes, with every file ruled again.
    const operatorFile = path.join(dir, 'operator.yaml');
    const text = await readFile(operatorFile, 'utf8');
    const allowed = text.match(/allowedPorts: \[([^\]]*)\]/);
    expect(allowed).not.toBeNull();
    await writeFile(operatorFile, text.replace(allowed![0], `allowedPorts: [${allowed![1]}, 8080]`));
    const widened = await validateInventory(dir, { at: '2026-11-23', rules: REQUIREMENT_RULES });
    expect(widened.fileRules).toEqual({ run: participants, cached: 0 });
    expect(widened.findings.filter((f) => f.code === 'port-not-allowed')).toEqual([]);
    expect(sortFindings(widened.findings)).toEqual((await uncached('2026-11-23')).findings);
  });
});
