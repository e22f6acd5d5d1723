// Gateways provisioned by the engine (stack setting gateways: engine) on the lab's local Docker,
// driven through `prichal up|refresh|destroy` from a copy of the project whose prod stack says
// so (the checkout's own stacks and state are never touched): up adopts the gateways the lab
// started (container ids unchanged) and writes them to the state; a gateway removed by hand
// shows in refresh as missing and up restores it; destroy removes exactly Prichal's gateways of
// the contour. The prod contour: its stack holds no edge firewalls, so nothing else is at stake.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../src/infra/docker.js';
import type { EngineResult } from '../../src/infra/pulumi/engine.js';
import { GATEWAY_SHARD } from '../../src/infra/pulumi/gateway-shard.js';
import { shardOf } from '../../src/infra/pulumi/resources.js';
import { secretsDir } from '../../src/infra/secrets.js';
import type { OperatorFile } from '../../src/inventory/index.js';
import type { Plan } from '../../src/plan/index.js';
import { gatewayName } from '../../src/render/index.js';
import { prichal, prichalLab } from '../helpers/cli.js';
import { SAMPLE_INVENTORY } from '../helpers/inventory.js';
import { copyProject } from './engine-state.js';
import { busClient, loadSample } from './lab.js';

const CONTOUR = 'prod';
let plan: Plan;
let operator: OperatorFile;
const scratch: string[] = [];
let run: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string; json: EngineResult | undefined }>;

/** A copy of the installed project whose prod stack runs the gateways through the engine. */
async function projectWithEngineGateways(dir: string): Promise<string> {
  await copyProject(dir, { stacks: false });
  await writeFile(
    path.join(dir, 'stacks', `Pulumi.${CONTOUR}.yaml`),
    'config:\n  prichal:inventory: inventory\n  prichal:gateways: engine\n',
  );
  return dir;
}

/** Name → id of Prichal's gateway containers of the contour on the local Docker. */
async function gatewayIds(): Promise<Map<string, string>> {
  const out = await docker([
    'ps',
    '-a',
    '--filter',
    'label=prichal.managed=gateway',
    '--filter',
    `label=prichal.contour=${CONTOUR}`,
    '--format',
    '{{.Names}} {{.ID}}',
  ]);
  return new Map(
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]),
  );
}

const planned = () => plan.contours[CONTOUR].registrations.map((r) => gatewayName(r.participant, CONTOUR)).sort();

beforeAll(async () => {
  ({ plan, operator } = await loadSample());
  const root = await mkdtemp(path.join(tmpdir(), 'prichal-engine-gateways-'));
  scratch.push(root);
  const project = await projectWithEngineGateways(path.join(root, 'prichal'));
  const backend = path.join(root, 'state');
  await mkdir(backend);
  const env = { PRICHAL_PULUMI_BACKEND: `file://${backend}`, PRICHAL_SECRETS_DIR: secretsDir() };
  run = async (args) => {
    const r = await prichal([...args, '--inventory', path.join(project, 'inventory'), '--format', 'json'], {
      env,
      bin: path.join(project, 'bin', 'prichal'),
      cwd: project,
    });
    let json: EngineResult | undefined;
    try {
      json = JSON.parse(r.stdout) as EngineResult;
    } catch {
      json = undefined;
    }
    return { ...r, json };
  };
  // The lab's gateways of the contour, as the external provisioner starts them.
  const started = await prichalLab(['gateways', '--contour', CONTOUR, '--inventory', SAMPLE_INVENTORY]);
  expect(started.code, started.stderr).toBe(0);
});

afterAll(async () => {
  // Leave the lab as the tests that follow expect it: its gateways and prod registrations.
  await prichalLab(['gateways', '--contour', CONTOUR, '--inventory', SAMPLE_INVENTORY]);
  const bus = await busClient(operator, CONTOUR);
  for (const r of plan.contours[CONTOUR].registrations) await bus.ensure(r);
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe('gateways provisioned by the engine (gateways: engine)', () => {
  it('up adopts the running gateways (ids unchanged); a removed one shows in refresh and up restores it; destroy removes exactly them', async () => {
    const before = await gatewayIds();
    expect([...before.keys()].sort()).toEqual(planned());

    const up = await run(['up', '--contour', CONTOUR, '--yes']);
    expect(up.code, up.stderr).toBe(0);
    const shards = new Set(plan.contours[CONTOUR].registrations.map((r) => shardOf(r.participant)));
    expect(up.json!.byType[GATEWAY_SHARD]).toEqual({ create: shards.size });
    // Every participant's gateway is listed in the changes it makes…
    for (const r of plan.contours[CONTOUR].registrations)
      expect(up.json!.byParticipant[r.participant]?.map((c) => c.message)).toContainEqual(
        expect.stringMatching(new RegExp(`^gateway ${gatewayName(r.participant, CONTOUR)}: add on host local at `)),
      );
    // …and adopted as it ran: the same containers.
    expect(await gatewayIds()).toEqual(before);

    const clean = await run(['preview', '--contour', CONTOUR, '--expect-no-changes']);
    expect(clean.code, clean.stderr).toBe(0);

    const victim = plan.contours[CONTOUR].registrations[0]!.participant;
    const name = gatewayName(victim, CONTOUR);
    await docker(['rm', '-f', name]);
    const refresh = await run(['refresh', '--contour', CONTOUR, '--yes']);
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(refresh.json!.byParticipant[victim]).toEqual([{ participant: victim, message: 'missing' }]);

    const restore = await run(['up', '--contour', CONTOUR, '--yes']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.json!.byType[GATEWAY_SHARD]).toEqual({ update: 1 });
    expect(restore.json!.byParticipant[victim]?.map((c) => c.message)).toEqual([
      `gateway ${name}: on host local: missing; recreated from its specification`,
    ]);
    const after = await gatewayIds();
    expect([...after.keys()].sort()).toEqual(planned());
    // Only the removed one is new.
    for (const [n, id] of before) if (n !== name) expect(after.get(n)).toBe(id);
    const state = JSON.parse(await docker(['inspect', name])) as Array<{ State: { Running: boolean } }>;
    expect(state[0]!.State.Running).toBe(true);
    const again = await run(['refresh', '--contour', CONTOUR, '--yes']);
    expect(again.json!.steps).toEqual([]);

    // Destroy removes the contour's gateways, and nothing of the other contour.
    const otherContour = () =>
      docker(['ps', '-a', '--filter', 'label=prichal.contour=test', '--format', '{{.Names}} {{.ID}}']);
    const others = await otherContour();
    const destroy = await run(['destroy', '--contour', CONTOUR, '--yes']);
    expect(destroy.code, destroy.stderr).toBe(0);
    expect(destroy.json!.byType[GATEWAY_SHARD]).toEqual({ delete: shards.size });
    expect(await gatewayIds()).toEqual(new Map());
    expect(await otherContour()).toBe(others);
  });
});
