// A stack whose gateways another party started, brought under today's default: the engine runs
// them. The fixture is the two stacks' checkpoints the code before that default wrote on the lab
// with `gateways: external` (edge tables and registration shards, no gateway resource:
// test/fixtures/state-gateways-external). The gateways run as the other party started them —
// here through the Docker Engine API, each from its specification in the plan — and a copy of
// the project whose stacks do not set `prichal:gateways` (so: engine) previews and ups both
// contours: the preview plans the gateway shards, every participant's gateway added, with no
// state rewrite; up adopts every running container as it is (the same container ids, still
// running); and a refreshing preview afterwards changes nothing.
// Gateway hosts: the inventory is a copy of the sample without operator.yaml's `gateways.hosts`
// (and allocations.yaml's `gatewayHosts`), so every gateway is placed on the implicit host
// `local`, the machine's Docker, whatever hosts the sample declares and the lab builds.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../src/infra/docker.js';
import { DEFAULT_DOCKER_SOCKET, withDockerHost } from '../../src/infra/docker-api.js';
import type { EngineResult } from '../../src/infra/pulumi/engine.js';
import { GATEWAY_SHARD, type GatewayEntry } from '../../src/infra/pulumi/gateway-shard.js';
import { shardOf } from '../../src/infra/pulumi/resources.js';
import { secretsInDeployment } from '../../src/infra/pulumi/upgrade.js';
import { secretsDir } from '../../src/infra/secrets.js';
import type { OperatorFile } from '../../src/inventory/index.js';
import type { Plan } from '../../src/plan/index.js';
import { PROJECT_ROOT } from '../../src/project.js';
import { gatewaySpec } from '../../src/render/index.js';
import { checkInventory } from '../../src/requirements/index.js';
import { inventoryWith, removeInventory } from '../helpers/inventory.js';
import { copyProject, engineCli, engineRun } from './engine-state.js';
import { applyChannels, applyFirewalls, busClient, loadSample, removeUnplannedRegistrations } from './lab.js';

const FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'state-gateways-external');
/** The throwaway passphrase the fixture's stacks were written with (they hold no secret). */
const PASSPHRASE = 'prichal-fixture-passphrase';
const CONTOURS = ['test', 'prod'] as const;
type Contour = (typeof CONTOURS)[number];
const LOCAL = { kind: 'socket', socketPath: DEFAULT_DOCKER_SOCKET } as const;

let plan: Plan;
let operator: OperatorFile;
let inventory: string;
let cli: Awaited<ReturnType<typeof engineCli>>;
let run: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string; json: EngineResult | undefined }>;
const scratch: string[] = [];
/** Gateway networks this test had to create on the machine's Docker (the lab's are kept). */
const networksMade: string[] = [];
/** Gateway containers of the plan that existed before the test (left running afterwards); the others it removes. */
let existedBefore = new Set<string>();
/** Name → id of each planned gateway as the other party started it. */
const started = new Map<string, string>();

const specs = (contour: Contour) =>
  plan.contours[contour].registrations.map((r) =>
    gatewaySpec(r, contour, { image: operator.gateways!.image, network: operator.gateways!.network[contour] }),
  );

/** Name → id (and whether it runs) of the planned gateways on the machine's Docker. */
async function live(): Promise<Map<string, { id: string; running: boolean }>> {
  return withDockerHost(LOCAL, async (host) => {
    const out = new Map<string, { id: string; running: boolean }>();
    for (const contour of CONTOURS)
      for (const spec of specs(contour)) {
        const c = await host.inspectContainer(spec.name);
        if (c) out.set(spec.name, { id: c.Id, running: c.State.Running });
      }
    return out;
  });
}

/** A copy of the sample whose gateways are all placed on the machine's Docker (no declared gateway hosts). */
async function inventoryOnLocalDocker(): Promise<string> {
  const dir = await inventoryWith([]);
  for (const [file, key] of [
    ['operator.yaml', ['gateways', 'hosts']],
    ['allocations.yaml', ['gatewayHosts']],
  ] as const) {
    const doc = parseDocument(await readFile(path.join(dir, file), 'utf8'));
    doc.deleteIn(key);
    await writeFile(path.join(dir, file), doc.toString());
  }
  return dir;
}

beforeAll(async () => {
  inventory = await inventoryOnLocalDocker();
  const checked = await checkInventory(inventory, '2026-11-23');
  if (!checked.ok || !checked.plan) throw new Error('the sample without gateway hosts does not validate');
  plan = checked.plan;
  operator = checked.validation.inventory.operator!.value;
  expect(plan.gatewayHosts.map((h) => h.id)).toEqual(['local']);

  // The gateway networks on the machine's Docker: the lab's, or made here for this test.
  for (const contour of CONTOURS) {
    const name = operator.gateways!.network[contour];
    const found = await docker(['network', 'ls', '--filter', `name=^${name}$`, '--format', '{{.Name}}']);
    if (found.trim() === name) continue;
    await docker(['network', 'create', '--subnet', operator.contours[contour].gatewayPool, name]);
    networksMade.push(name);
  }

  // The other party's gateways: each started from its specification in the plan, as it is
  // before the engine runs them (a container of that name from earlier is replaced).
  existedBefore = new Set((await live()).keys());
  await withDockerHost(LOCAL, async (host) => {
    for (const contour of CONTOURS)
      for (const spec of specs(contour)) {
        await host.removeContainer(spec.name);
        started.set(spec.name, await host.createGateway(spec));
      }
  });

  // A backend holding the fixture's two stacks, and a copy of the project whose stacks do not set prichal:gateways.
  const root = await mkdtemp(path.join(tmpdir(), 'prichal-upgrade-gateways-'));
  scratch.push(root);
  await mkdir(path.join(root, 'state'));
  const backend = `file://${path.join(root, 'state')}`;
  cli = await engineCli(backend, PASSPHRASE);
  for (const contour of CONTOURS) await cli.importStack(contour, path.join(FIXTURE, `${contour}.json`));
  const project = await copyProject(path.join(root, 'prichal'), { stacks: false });
  for (const contour of CONTOURS)
    await writeFile(
      path.join(project, 'stacks', `Pulumi.${contour}.yaml`),
      'config:\n  prichal:inventory: inventory\n',
    );
  const env = {
    PRICHAL_PULUMI_BACKEND: backend,
    PRICHAL_SECRET_PULUMI_PASSPHRASE: PASSPHRASE,
    PRICHAL_SECRETS_DIR: secretsDir(),
  };
  const engine = engineRun(env, project);
  run = (args) => engine(args, inventory);
});

afterAll(async () => {
  await cli?.close();
  // The gateways this test started where none ran before go; the networks it made too.
  await withDockerHost(LOCAL, async (host) => {
    for (const name of started.keys()) if (!existedBefore.has(name)) await host.removeContainer(name);
  });
  for (const name of networksMade) await docker(['network', 'rm', name]);
  // Back to the sample's estate for the tests that follow (its edge tables and registrations).
  try {
    const sample = await loadSample();
    await applyFirewalls(sample.plan.edges);
    await applyChannels(sample.plan);
    for (const contour of CONTOURS) {
      const bus = await busClient(sample.operator, contour);
      for (const r of sample.plan.contours[contour].registrations) await bus.ensure(r);
    }
    await removeUnplannedRegistrations(sample.plan, sample.operator);
  } finally {
    await removeInventory(inventory);
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  }
});

describe('gateways started by another party (gateways: external), under today’s default (engine)', () => {
  it('preview plans every gateway into a shard on its host, with no state rewrite, and touches no container', async () => {
    for (const contour of CONTOURS) {
      const r = await run(['preview', '--contour', contour]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json!.steps.find((s) => s.op === 'upgrade')).toBeUndefined();
      const shards = r.json!.steps.filter((s) => s.type === GATEWAY_SHARD);
      expect(shards.every((s) => s.op === 'create')).toBe(true);
      expect(shards.map((s) => s.name).sort()).toEqual(
        [
          ...new Set(
            plan.contours[contour].registrations.map((x) => `gateways-${contour}-local-${shardOf(x.participant)}`),
          ),
        ].sort(),
      );
      for (const reg of plan.contours[contour].registrations)
        expect(r.json!.byParticipant[reg.participant]?.map((c) => c.message)).toContain(
          `gateway prichal-gw-${reg.participant}-${contour}: add on host local at ${reg.gateway}`,
        );
    }
    const now = await live();
    for (const [name, id] of started) expect(now.get(name), name).toEqual({ id, running: true });
  });

  it('up adopts every running gateway as it is: the same container ids, still running', async () => {
    for (const contour of CONTOURS) {
      const r = await run(['up', '--contour', contour, '--yes']);
      expect(r.code, r.stderr).toBe(0);
      const shards = new Set(plan.contours[contour].registrations.map((x) => shardOf(x.participant)));
      expect(r.json!.byType[GATEWAY_SHARD]).toEqual({ create: shards.size });
    }
    const now = await live();
    expect([...now.keys()].sort()).toEqual([...started.keys()].sort());
    for (const [name, id] of started) expect(now.get(name), name).toEqual({ id, running: true });
  });

  it('a refreshing preview afterwards changes nothing; the state holds every gateway once, and no secret', async () => {
    for (const contour of CONTOURS) {
      const r = await run(['preview', '--contour', contour, '--refresh', '--expect-no-changes']);
      expect(r.code, `${contour}: ${r.stderr}`).toBe(0);
      expect(r.json!.changed).toBe(false);
      const d = await cli.exportStack(contour);
      const held = (d.resources ?? [])
        .filter((x) => x.type === GATEWAY_SHARD)
        .flatMap((x) => (x.outputs!.gateways as GatewayEntry[]).map((g) => g.participant));
      expect(held.sort()).toEqual(plan.contours[contour].registrations.map((x) => x.participant).sort());
      expect(secretsInDeployment(d)).toEqual([]);
      expect((d.resources ?? []).filter((x) => x.type.startsWith('docker:'))).toEqual([]);
    }
    const now = await live();
    for (const [name, id] of started) expect(now.get(name), name).toEqual({ id, running: true });
  });
});
