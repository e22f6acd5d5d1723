// Gateways provisioned by the engine (stack setting gateways: engine, the default) on the lab's
// two Docker hosts, driven through `prichal up|refresh|destroy` from a copy of the project on a
// state of its own (the checkout's state is never touched): up adopts the gateways already
// running (container ids unchanged) and writes them to the state, per host and shard; a gateway
// removed by hand on the second host shows in drift and in refresh as missing, and up restores
// only it; declaring a third host moves no gateway; destroy removes exactly Prichal's gateways of
// the contour. The prod contour: its stack holds no edge firewalls, so nothing else is at stake.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineResult } from '../../src/infra/pulumi/engine.js';
import { GATEWAY_SHARD } from '../../src/infra/pulumi/gateway-shard.js';
import { shardOf } from '../../src/infra/pulumi/resources.js';
import { secretsDir } from '../../src/infra/secrets.js';
import type { OperatorFile } from '../../src/inventory/index.js';
import type { Plan } from '../../src/plan/index.js';
import { gatewayName } from '../../src/render/index.js';
import { prichal } from '../helpers/cli.js';
import { copyProject, engineRun } from './engine-state.js';
import { busClient, loadSample, onEveryGatewayHost, onGatewayHost, startGateways } from './lab.js';

const CONTOUR = 'prod';
let plan: Plan;
let operator: OperatorFile;
let inventory: string;
const scratch: string[] = [];
let run: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string; json: EngineResult | undefined }>;

/** Name → id of Prichal's gateway containers of the contour, on every host of the plan. */
async function gatewayIds(contour: 'test' | 'prod' = CONTOUR): Promise<Map<string, string>> {
  const listed = await onEveryGatewayHost(plan, (h) =>
    h.listContainers({ 'prichal.managed': 'gateway', 'prichal.contour': contour }),
  );
  return new Map(listed.flat().map((c) => [c.Names[0]!.replace(/^\//, ''), c.Id]));
}

const planned = () => plan.contours[CONTOUR].registrations.map((r) => gatewayName(r.participant, CONTOUR)).sort();

beforeAll(async () => {
  ({ plan, operator } = await loadSample());
  const root = await mkdtemp(path.join(tmpdir(), 'prichal-engine-gateways-'));
  scratch.push(root);
  const project = await copyProject(path.join(root, 'prichal'));
  inventory = path.join(project, 'inventory');
  const backend = path.join(root, 'state');
  await mkdir(backend);
  const env = { PRICHAL_PULUMI_BACKEND: `file://${backend}`, PRICHAL_SECRETS_DIR: secretsDir() };
  const engine = engineRun(env, project);
  run = (args) => engine(args, inventory);
  // The gateways of the contour already running, as another provisioner (or an earlier release) started them.
  await startGateways(plan, operator, CONTOUR);
});

afterAll(async () => {
  // Leave the lab as the tests that follow expect it: its gateways and prod registrations.
  await startGateways(plan, operator, CONTOUR);
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
    const registrations = plan.contours[CONTOUR].registrations;
    const shards = new Set(registrations.map((r) => `${r.host} ${shardOf(r.participant)}`));
    expect(new Set(registrations.map((r) => r.host))).toEqual(new Set(['docker-1', 'docker-2']));
    expect(up.json!.byType[GATEWAY_SHARD]).toEqual({ create: shards.size });
    // Every participant's gateway is listed in the changes it makes…
    for (const r of plan.contours[CONTOUR].registrations)
      expect(up.json!.byParticipant[r.participant]?.map((c) => c.message)).toContainEqual(
        expect.stringMatching(new RegExp(`^gateway ${gatewayName(r.participant, CONTOUR)}: add on host ${r.host} at `)),
      );
    // …and adopted as it ran: the same containers.
    expect(await gatewayIds()).toEqual(before);

    const clean = await run(['preview', '--contour', CONTOUR, '--expect-no-changes']);
    expect(clean.code, clean.stderr).toBe(0);

    // On the second host: removed by hand, seen by drift and by refresh.
    const victim = registrations.find((r) => r.host === 'docker-2')!.participant;
    const name = gatewayName(victim, CONTOUR);
    await onGatewayHost(plan, victim, (host) => host.removeContainer(name));
    const drift = await prichal(['drift', '--inventory', inventory, '--format', 'json', '--lang', 'en']);
    const findings = (
      JSON.parse(drift.stdout) as {
        findings: Array<{ requirement: string; contour?: string; subject: string; message: string }>;
      }
    ).findings;
    expect(findings.filter((f) => f.requirement === 'GW-1' && f.contour === CONTOUR)).toEqual([
      expect.objectContaining({ subject: name, message: 'missing' }),
    ]);
    const refresh = await run(['refresh', '--contour', CONTOUR]);
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(refresh.json!.byParticipant[victim]).toEqual([
      { participant: victim, message: 'missing', ru: 'контейнера нет' },
    ]);

    const restore = await run(['up', '--contour', CONTOUR, '--yes']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.json!.byType[GATEWAY_SHARD]).toEqual({ update: 1 });
    expect(restore.json!.byParticipant[victim]?.map((c) => c.message)).toEqual([
      `gateway ${name}: on host docker-2: missing; recreated from its specification`,
    ]);
    const after = await gatewayIds();
    expect([...after.keys()].sort()).toEqual(planned());
    // Only the removed one is new.
    for (const [n, id] of before) if (n !== name) expect(after.get(n)).toBe(id);
    expect((await onGatewayHost(plan, victim, (host) => host.inspectContainer(name)))?.State.Running).toBe(true);
    const again = await run(['refresh', '--contour', CONTOUR]);
    expect(again.json!.steps).toEqual([]);

    // A third host declared (even one that cannot be reached: nothing connects to it) moves no gateway.
    const operatorFile = path.join(inventory, 'operator.yaml');
    const declared = await readFile(operatorFile, 'utf8');
    await writeFile(
      operatorFile,
      declared.replace(
        '      slices: { test: 10.210.128.0/17, prod: 10.220.128.0/17 }\n',
        '      slices: { test: 10.210.128.0/17, prod: 10.220.128.0/17 }\n    - { id: docker-3, docker: "unix:///run/prichal-no-such.sock", transit: 10.200.0.251, slices: { test: 10.210.64.0/18, prod: 10.220.64.0/18 } }\n',
      ),
    );
    try {
      const unmoved = await run(['preview', '--contour', CONTOUR, '--expect-no-changes']);
      expect(unmoved.code, unmoved.stderr).toBe(0);
    } finally {
      await writeFile(operatorFile, declared);
    }

    // Destroy removes the contour's gateways, and nothing of the other contour.
    const otherContour = () => gatewayIds('test');
    const others = await otherContour();
    const destroy = await run(['destroy', '--contour', CONTOUR, '--yes']);
    expect(destroy.code, destroy.stderr).toBe(0);
    expect(destroy.json!.byType[GATEWAY_SHARD]).toEqual({ delete: shards.size });
    expect(await gatewayIds()).toEqual(new Map());
    expect(await otherContour()).toEqual(others);
  });
});
