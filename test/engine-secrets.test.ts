// Secrets by name, before anything starts: names that would read one environment variable are
// refused by every command that touches live systems, and a secret a run needs but the store
// lacks is named before the engine starts — nothing changes, no state is written. No lab needed:
// both refusals come before any connection.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collidingSecretNames, secretVariable } from '../src/infra/secrets.js';
import { prichal } from './helpers/cli.js';
import { inventoryWith, removeInventory, SAMPLE_INVENTORY } from './helpers/inventory.js';

let work: string;
let clashing: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'prichal-secret-names-'));
  // The test bus's administrator under `bus-test`, the production one's under `bus_test`: both read PRICHAL_SECRET_BUS_TEST.
  clashing = await inventoryWith([
    { file: 'operator.yaml', from: 'credentials: busTest }', to: 'credentials: bus-test }' },
    { file: 'operator.yaml', from: 'credentials: busProd }', to: 'credentials: bus_test }' },
  ]);
});

afterAll(async () => {
  await removeInventory(clashing);
  await rm(work, { recursive: true, force: true });
});

describe('secret names', () => {
  it('that read one variable are found, with the variable', () => {
    expect(secretVariable('bus-test')).toBe('PRICHAL_SECRET_BUS_TEST');
    expect(collidingSecretNames(['bus-test', 'edge1', 'bus_test', 'Bus-Test', 'edge2'])).toEqual([
      { variable: 'PRICHAL_SECRET_BUS_TEST', names: ['Bus-Test', 'bus-test', 'bus_test'] },
    ]);
    expect(collidingSecretNames(['busTest', 'busProd', 'edge1', 'pulumi-passphrase'])).toEqual([]);
  });

  it.each([
    ['up', ['up', '--contour', 'test', '--yes']],
    ['preview', ['preview', '--contour', 'prod']],
    ['firewall apply', ['firewall', 'apply']],
    ['bus ensure', ['bus', 'ensure', '--contour', 'test']],
  ])('are refused by %s before anything starts (exit 2), naming both names and the variable', async (_name, args) => {
    const state = path.join(work, `state-${args[0]}`);
    const r = await prichal([...args, '--inventory', clashing, '--lang', 'en'], {
      env: { PRICHAL_PULUMI_BACKEND: `file://${state}` },
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      "operator.yaml names secrets that read one environment variable ('bus-test', 'bus_test' → PRICHAL_SECRET_BUS_TEST)",
    );
    await expect(readdir(state)).rejects.toThrow(/ENOENT/);
  });
});

describe('a secret the run needs', () => {
  it('missing from the store is named before the engine starts (exit 2): nothing changes, no state is written', async () => {
    const state = path.join(work, 'state-missing');
    const store = path.join(work, 'empty-store');
    const r = await prichal(['up', '--contour', 'test', '--yes', '--inventory', SAMPLE_INVENTORY, '--lang', 'en'], {
      env: { PRICHAL_PULUMI_BACKEND: `file://${state}`, PRICHAL_SECRETS_DIR: store },
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/secret '\w+' is not set: export PRICHAL_SECRET_\w+ or write it to /);
    expect(r.stderr).toContain(store);
    await expect(readdir(state)).rejects.toThrow(/ENOENT/);
  });
});
