// Who runs the gateways, and where @pulumi/docker stops: a stack that does not say runs them
// through Prichal's own resources (engine); `pulumi` is refused above its limit of containers a
// stack, naming the count, the limit and the alternative, before the engine starts — preview, up
// and refresh alike, with no secret read, no backend touched and no engine started.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEngine, stackSettings, type EngineAction } from '../src/infra/pulumi/engine.js';
import {
  checkGatewayLimit,
  DEFAULT_GATEWAY_MODE,
  GatewayLimitError,
  PULUMI_GATEWAY_LIMIT,
} from '../src/infra/pulumi/program.js';
import type { OperatorFile } from '../src/inventory/index.js';
import type { Plan } from '../src/plan/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import { checkInventory } from '../src/requirements/index.js';
import { errorText } from '../src/words.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

let plan: Plan;
let operator: OperatorFile;
let scratch: string;

/** The sample's plan with `count` registrations in the contour (the sample's own, repeated under new ids). */
function withRegistrations(contour: 'test' | 'prod', count: number): Plan {
  const own = plan.contours[contour].registrations;
  const registrations = Array.from({ length: count }, (_, i) => ({
    ...own[i % own.length]!,
    participant: `org-${String(i).padStart(5, '0')}`,
  }));
  return { ...plan, contours: { ...plan.contours, [contour]: { ...plan.contours[contour], registrations } } };
}

beforeAll(async () => {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  plan = checked.plan!;
  operator = checked.validation.inventory.operator!.value;
  scratch = await mkdtemp(path.join(tmpdir(), 'prichal-gateway-limit-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('the stack setting prichal:gateways', () => {
  it('is engine when a stack does not say (no file, or no setting); the checkout’s stacks say engine', async () => {
    expect(DEFAULT_GATEWAY_MODE).toBe('engine');
    const dir = await mkdtemp(path.join(scratch, 'stacks-'));
    expect(await stackSettings('test', dir)).toEqual({ gateways: 'engine' });
    await writeFile(path.join(dir, 'Pulumi.prod.yaml'), 'config:\n  prichal:inventory: inventory\n');
    expect(await stackSettings('prod', dir)).toEqual({ gateways: 'engine' });
    for (const mode of ['pulumi', 'external', 'engine'] as const) {
      await writeFile(path.join(dir, 'Pulumi.prod.yaml'), `config:\n  prichal:gateways: ${mode}\n`);
      expect(await stackSettings('prod', dir)).toEqual({ gateways: mode });
    }
    await writeFile(path.join(dir, 'Pulumi.prod.yaml'), 'config:\n  prichal:gateways: docker\n');
    await expect(stackSettings('prod', dir)).rejects.toThrow(
      /prichal:gateways must be engine, pulumi or external, not 'docker'/,
    );
    for (const contour of ['test', 'prod'] as const)
      expect(await stackSettings(contour, path.join(PROJECT_ROOT, 'stacks'))).toEqual({ gateways: 'engine' });
  });
});

describe('the limit of @pulumi/docker gateways (gateways: pulumi)', () => {
  it('allows up to the limit a stack, refuses one more naming the count, the limit and gateways: engine, in both languages', () => {
    expect(PULUMI_GATEWAY_LIMIT).toBe(1500);
    expect(() => checkGatewayLimit('test', withRegistrations('test', PULUMI_GATEWAY_LIMIT), 'pulumi')).not.toThrow();
    let refused: unknown;
    try {
      checkGatewayLimit('test', withRegistrations('test', PULUMI_GATEWAY_LIMIT + 1), 'pulumi');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(GatewayLimitError);
    expect(refused).toMatchObject({ contour: 'test', count: 1501 });
    expect(errorText(refused, 'en')).toMatch(
      /^the test stack would run 1501 gateway containers through @pulumi\/docker \(prichal:gateways: pulumi\), more than its limit of 1500 per stack: .*Nothing was changed\. Set prichal:gateways: engine in stacks\/Pulumi\.test\.yaml .*or external when another party starts the gateways\.$/,
    );
    expect(errorText(refused, 'ru')).toMatch(
      /^стек test запустил бы 1501 контейнеров шлюзов через @pulumi\/docker .*предела 1500 на стек.*Ничего не изменено\. Укажите prichal:gateways: engine в stacks\/Pulumi\.test\.yaml/,
    );
    // The count is the stack's own contour; the other modes have no such limit.
    expect(() => checkGatewayLimit('prod', withRegistrations('test', 20_000), 'pulumi')).not.toThrow();
    for (const mode of ['engine', 'external'] as const)
      expect(() => checkGatewayLimit('test', withRegistrations('test', 20_000), mode)).not.toThrow();
  });

  it('refuses preview, up and refresh before the engine starts: no secret read, no backend made, the engine never started', async () => {
    const big = withRegistrations('prod', PULUMI_GATEWAY_LIMIT + 1);
    const backend = path.join(scratch, 'backend');
    const saved = { ...process.env };
    // Were anything to start, it would fail otherwise: no secrets, no engine binary, a backend folder that would appear.
    process.env.PRICHAL_SECRETS_DIR = await mkdtemp(path.join(scratch, 'secrets-'));
    process.env.PRICHAL_PULUMI_BACKEND = `file://${backend}`;
    process.env.PRICHAL_PULUMI = path.join(scratch, 'no-engine', 'bin', 'pulumi');
    for (const name of Object.keys(process.env)) if (name.startsWith('PRICHAL_SECRET_')) delete process.env[name];
    try {
      for (const action of ['preview', 'up', 'refresh'] as EngineAction[]) {
        let started = false;
        const run = runEngine({
          action,
          contour: 'prod',
          plan: big,
          operator,
          gateways: 'pulumi',
          onStarted: () => {
            started = true;
          },
        });
        await expect(run, action).rejects.toBeInstanceOf(GatewayLimitError);
        await expect(run, action).rejects.toThrow(/would run 1501 gateway containers .* limit of 1500/);
        expect(started, action).toBe(false);
        expect(existsSync(backend), action).toBe(false);
      }
      // Under engine, the same stack goes on to the engine's own checks (here: the first secret it names is missing).
      const engine = runEngine({ action: 'preview', contour: 'prod', plan: big, operator, gateways: 'engine' });
      await expect(engine).rejects.not.toBeInstanceOf(GatewayLimitError);
      await expect(engine).rejects.toThrow(/PRICHAL_SECRET_/);
      // Destroy builds no program: the way out of such a stack stays open.
      await expect(
        runEngine({ action: 'destroy', contour: 'prod', plan: big, operator, gateways: 'pulumi' }),
      ).rejects.toThrow(/PRICHAL_SECRET_/);
    } finally {
      process.env = saved;
    }
  });
});
