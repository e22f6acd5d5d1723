// A seeded fuzz of the participant, operator and allocations files: 300 mutants of the
// sample — lines dropped, doubled, swapped, hostile tokens inserted, values retyped — through the
// functions the CLI runs (validate, audit, coverage, firewall and gateway rendering, the text renderers). Every case ends in a
// result or a named refusal, within its time, and its JSON output parses; a sample of them runs
// through the real CLI with --format json.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../src/workflows/validate.js';
import { validateText } from '../src/workflows/validate.render.js';
import { checksText } from '../src/workflows/run-checks.render.js';
import { checks } from '../src/workflows/run-checks.js';
import { coverageCommand } from '../src/workflows/coverage.js';
import { InvalidInventoryError, UsageError } from '../src/workflows/errors.js';
import { renderEdgeRuleset, renderGatewayConfig } from '../src/render/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { prichal } from './helpers/cli.js';
import { mutate, random } from './helpers/fuzz.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

const SEED = 20261123;
const PER_FILE = 100;
const CLI_SAMPLE = 6;
const TARGETS = ['participants/tmn-sosh-12.yaml', 'operator.yaml', 'allocations.yaml'];
const NAMED = [InvalidInventoryError, UsageError];
let work: string;
const cases: Array<{ name: string; dir: string }> = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'prichal-fuzz-'));
  const rnd = random(SEED);
  for (const target of TARGETS) {
    const original = await readFile(path.join(SAMPLE_INVENTORY, target), 'utf8');
    for (let n = 0; n < PER_FILE; n++) {
      const dir = path.join(work, `${path.basename(target, '.yaml')}-${n}`);
      await cp(SAMPLE_INVENTORY, dir, { recursive: true });
      await writeFile(path.join(dir, target), mutate(original, rnd));
      cases.push({ name: `${target} #${n}`, dir });
    }
  }
}, 120_000);

afterAll(() => rm(work, { recursive: true, force: true }));

describe(`fuzz: ${TARGETS.length * PER_FILE} seeded mutants`, () => {
  it('each ends in a result or a named refusal, with JSON that parses — no crash, no hang', async () => {
    const crashes: string[] = [];
    let invalid = 0;
    for (const c of cases) {
      const started = performance.now();
      try {
        const result = await validate({ inventory: c.dir, at: '2026-11-23' });
        JSON.parse(JSON.stringify(result));
        validateText(result, 'ru');
        validateText(result, 'en');
        if (!result.ok) invalid++;
        const audit = await checks({ kind: 'audit', inventory: c.dir, at: '2026-11-23' });
        JSON.parse(JSON.stringify(audit.result));
        checksText(audit);
        // What `firewall render` and the gateways render from a plan that passed.
        const checked = await checkInventory(c.dir, '2026-11-23');
        if (checked.ok && checked.plan) {
          for (const edge of checked.plan.edges) renderEdgeRuleset(edge);
          for (const contour of ['test', 'prod'] as const)
            for (const r of checked.plan.contours[contour].registrations) renderGatewayConfig(r, contour);
        }
        await coverageCommand({ inventory: c.dir }).catch((error: unknown) => {
          if (!NAMED.some((type) => error instanceof type)) throw error;
        });
      } catch (error) {
        if (!NAMED.some((type) => error instanceof type))
          crashes.push(`${c.name}: ${(error as Error).stack?.split('\n').slice(0, 3).join(' / ')}`);
      }
      const ms = performance.now() - started;
      if (ms > 5_000) crashes.push(`${c.name}: took ${Math.round(ms)} ms`);
    }
    expect(crashes).toEqual([]);
    // The mutants really are hostile: most of them do not validate.
    expect(invalid).toBeGreaterThan(cases.length / 2);
  }, 300_000);

  it(`${CLI_SAMPLE} of them through the CLI: --format json prints one JSON document (a refusal too), exit 0, 1 or 2`, async () => {
    const step = Math.floor(cases.length / CLI_SAMPLE);
    for (let k = 0; k < CLI_SAMPLE; k++) {
      const c = cases[k * step]!;
      for (const command of [['validate'], ['audit', '--at', '2026-11-23']]) {
        const r = await prichal([...command, '--inventory', c.dir, '--format', 'json']);
        expect([0, 1, 2], `${c.name} ${command[0]}: ${r.stderr}`).toContain(r.code);
        expect(() => JSON.parse(r.stdout), `${c.name} ${command[0]}`).not.toThrow();
      }
    }
  }, 120_000);
});
