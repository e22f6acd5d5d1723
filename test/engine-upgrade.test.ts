// Upgrades of state written by earlier resource models (src/infra/pulumi/upgrade.ts), on the
// committed checkpoints of model 1 (test/fixtures/state-before-97d848f: written on the lab by the
// code before 97d848f, its secrets scrubbed): registrations merged into shards, bus secrets
// named, edge flows packed and the copies of secrets dropped by the provider's read and diff, the
// retired type and the retired stack config refused with what to do. The lab test of the same
// fixture is test/integration/engine-upgrade.test.ts. Model 4's checkpoints (gateways started by
// another party: test/fixtures/state-gateways-external) need no rewrite to run their gateways
// through the engine (test/integration/engine-upgrade-gateways.test.ts adopts them on the lab);
// @pulumi/docker's gateway resources are released from a state whose stack no longer runs them.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stackSettings } from '../src/infra/pulumi/engine.js';
import { durationText, parseDuration, StackLockedError } from '../src/infra/pulumi/errors.js';
import { backendRace, lockContention, lockDecision } from '../src/infra/pulumi/engine.js';
import { prichalProvider } from '../src/infra/pulumi/provider.js';
import {
  BUS_REGISTRATIONS,
  EDGE_FIREWALL,
  packEdge,
  shardOf,
  unpackEdge,
  type ShardEntry,
} from '../src/infra/pulumi/resources.js';
import {
  RETIRED_BUS_REGISTRATION,
  StateUpgradeError,
  retiredSecretSettings,
  secretsInDeployment,
  upgradeBusShard,
  upgradeDeployment,
  upgradeEdgeFirewall,
  upgradeProps,
  type Deployment,
  type DeploymentResource,
} from '../src/infra/pulumi/upgrade.js';
import { containerArgs } from '../src/infra/pulumi/gateway.js';
import { GATEWAY_SHARD } from '../src/infra/pulumi/gateway-shard.js';
import type { OperatorFile } from '../src/inventory/index.js';
import type { Flow, Plan } from '../src/plan/index.js';
import { gatewaySpec } from '../src/render/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import { checkInventory } from '../src/requirements/index.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

const FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'state-before-97d848f');
const fixture = async (contour: 'test' | 'prod') =>
  (JSON.parse(await readFile(path.join(FIXTURE, `${contour}.json`), 'utf8')) as { deployment: Deployment }).deployment;
const GATEWAYS_FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'state-gateways-external');
const gatewaysFixture = async (contour: 'test' | 'prod') =>
  (JSON.parse(await readFile(path.join(GATEWAYS_FIXTURE, `${contour}.json`), 'utf8')) as { deployment: Deployment })
    .deployment;
let operator: OperatorFile;
let plan: Plan;

beforeAll(async () => {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  operator = checked.validation.inventory.operator!.value;
  plan = checked.plan!;
});

const ofType = (d: Deployment, type: string) => (d.resources ?? []).filter((r) => r.type === type);
const nameOf = (r: DeploymentResource) => r.urn.slice(r.urn.lastIndexOf('::') + 2);

describe('the model-1 fixture', () => {
  it('is what the code before 97d848f wrote: a resource per registration, flows as objects, secrets copied in (scrubbed: no real key)', async () => {
    const d = await fixture('test');
    expect(ofType(d, RETIRED_BUS_REGISTRATION).length).toBeGreaterThan(5);
    expect(ofType(d, BUS_REGISTRATIONS)).toEqual([]);
    const edge = ofType(d, EDGE_FIREWALL)[0]!;
    expect(typeof (edge.outputs!.edge as { ingress: unknown[] }).ingress[0]).toBe('object');
    expect(secretsInDeployment(d).length).toBeGreaterThan(10);
    // Scrubbed: the values behind the ciphertexts are placeholders (README of the fixture), and nothing readable of a key.
    expect(JSON.stringify(d)).not.toMatch(/BEGIN OPENSSH|PRIVATE KEY/);
  });
});

describe('upgradeDeployment', () => {
  for (const contour of ['test', 'prod'] as const) {
    it(`${contour}: merges every registration into the shard of its mnemonic, once, naming the bus secrets and copying none`, async () => {
      const before = await fixture(contour);
      const retired = ofType(before, RETIRED_BUS_REGISTRATION);
      const upgrade = upgradeDeployment(before, contour, operator)!;
      const after = upgrade.deployment;
      expect(ofType(after, RETIRED_BUS_REGISTRATION)).toEqual([]);
      const shards = ofType(after, BUS_REGISTRATIONS);
      const held = shards.flatMap((s) =>
        (s.outputs!.entries as ShardEntry[]).map((e) => ({ shard: s.outputs!.shard as string, ...e })),
      );
      // Every registration exactly once (none duplicated, none lost), in the shard of its mnemonic, as recorded.
      expect(held.map((e) => e.mnemonic).sort()).toEqual(
        retired.map((r) => (r.outputs!.registration as { mnemonic: string }).mnemonic).sort(),
      );
      for (const e of held) expect(e.shard).toBe(shardOf(e.mnemonic));
      for (const r of retired) {
        const registration = r.outputs!.registration as {
          participant: string;
          mnemonic: string;
          messageTypes: string[];
        };
        expect(held.find((e) => e.mnemonic === registration.mnemonic)).toEqual({
          shard: shardOf(registration.mnemonic),
          ...registration,
          testStatus: r.outputs!.testStatus,
        });
      }
      for (const s of shards) {
        expect(nameOf(s)).toBe(`bus-${contour}-${s.outputs!.shard}`);
        expect(s.id).toBe(`${(s.outputs!.bus as { vhost: string }).vhost}/shard-${s.outputs!.shard}`);
        expect(s.inputs!.entries).toEqual(s.outputs!.entries);
        expect(s.outputs!.bus).toMatchObject({ credentials: operator.contours[contour].bus.credentials });
        expect(s.outputs!.testBus === null ? null : (s.outputs!.testBus as { credentials: string }).credentials).toBe(
          contour === 'prod' ? operator.contours.test.bus.credentials : null,
        );
        expect(s.provider).toBe(retired[0]!.provider);
        expect(s.parent).toBe(retired[0]!.parent);
      }
      // The shards hold no secret; what is left (the edge tables' copies) the provider drops as it reads them.
      expect(secretsInDeployment({ resources: shards })).toEqual([]);
      expect(secretsInDeployment(after).every((where) => where.includes(EDGE_FIREWALL))).toBe(true);
      // A note per registration, for the run's report; and an upgraded state needs no second upgrade.
      expect(upgrade.changes).toHaveLength(retired.length);
      expect(upgradeDeployment(after, contour, operator)).toBeUndefined();
    });
  }

  it('names the bus secrets of a shard written before credentials by reference (models 2 and 3) and leaves the copies for the provider', async () => {
    const shard = {
      contour: 'prod',
      shard: '03',
      entries: [],
      bus: { url: 'http://bus', vhost: 'smev-prod' },
      credentials: { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', ciphertext: 'v1:x' },
      testBus: {
        url: 'http://bus',
        vhost: 'smev-test',
        credentials: { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', ciphertext: 'v1:y' },
      },
    };
    const d: Deployment = {
      resources: [
        {
          urn: 'urn:pulumi:prod::prichal::prichal:index:BusRegistrations::bus-prod-03',
          type: BUS_REGISTRATIONS,
          inputs: { ...shard, scope: null },
          outputs: { ...shard, differences: [] },
        },
      ],
    };
    const upgraded = upgradeDeployment(d, 'prod', operator)!;
    const out = upgraded.deployment.resources![0]!.outputs!;
    expect(out.bus).toEqual({
      url: 'http://bus',
      vhost: 'smev-prod',
      credentials: operator.contours.prod.bus.credentials,
    });
    expect(out.testBus).toEqual({
      url: 'http://bus',
      vhost: 'smev-test',
      credentials: operator.contours.test.bus.credentials,
    });
    expect(upgradeBusShard(out).props).not.toHaveProperty('credentials');
    expect(
      secretsInDeployment({
        resources: [
          {
            ...upgraded.deployment.resources![0]!,
            inputs: upgradeBusShard(upgraded.deployment.resources![0]!.inputs!).props,
            outputs: upgradeBusShard(out).props,
          },
        ],
      }),
    ).toEqual([]);
    expect(upgradeDeployment(upgraded.deployment, 'prod', operator)).toBeUndefined();
  });

  it('refuses to merge registrations of one shard recorded on two different buses', async () => {
    const d = await fixture('test');
    const [a, b] = ofType(d, RETIRED_BUS_REGISTRATION);
    const mnemonic = (a!.outputs!.registration as { mnemonic: string }).mnemonic;
    // b recorded on another vhost, under a mnemonic of a's shard.
    let other = 0;
    while (shardOf(`OTHER_${other}`) !== shardOf(mnemonic)) other++;
    const moved = {
      ...b!,
      outputs: {
        ...b!.outputs!,
        bus: { url: 'http://elsewhere', vhost: 'x' },
        registration: { ...(b!.outputs!.registration as object), mnemonic: `OTHER_${other}` },
      },
    };
    expect(() => upgradeDeployment({ ...d, resources: [a!, moved] }, 'test', operator)).toThrow(StateUpgradeError);
  });
});

describe('the model-4 fixture: gateways started by another party (gateways: external)', () => {
  for (const contour of ['test', 'prod'] as const) {
    it(`${contour}: holds the edge tables (test) and the registration shards, no gateway resource and no secret; nothing to rewrite before the engine runs its gateways`, async () => {
      const d = await gatewaysFixture(contour);
      expect(ofType(d, EDGE_FIREWALL).length).toBe(contour === 'test' ? 2 : 0);
      expect(ofType(d, BUS_REGISTRATIONS).length).toBeGreaterThan(3);
      expect((d.resources ?? []).filter((r) => /GatewayShard|docker|Gateway/.test(r.type))).toEqual([]);
      expect(ofType(d, GATEWAY_SHARD)).toEqual([]);
      expect(secretsInDeployment(d)).toEqual([]);
      // The engine's first up creates the gateway shards, which adopt the running containers: no state rewrite.
      for (const mode of ['engine', 'external', 'pulumi'] as const)
        expect(upgradeDeployment(d, contour, operator, mode)).toBeUndefined();
    });
  }
});

describe('upgradeDeployment: @pulumi/docker gateways released when the stack no longer runs them', () => {
  /** A test stack as `gateways: pulumi` left it: per gateway a component and its Container, the Network, the Docker provider. */
  function pulumiState(): Deployment {
    const stack = 'urn:pulumi:test::prichal::pulumi:pulumi:Stack::prichal-test';
    const docker = 'urn:pulumi:test::prichal::pulumi:providers:docker::default_4_5_0';
    const prichal = 'urn:pulumi:test::prichal::pulumi:providers:prichal::default';
    const network = 'prichal-gw-test';
    const gateways = plan.contours.test.registrations.slice(0, 3).flatMap((r) => {
      const spec = gatewaySpec(r, 'test', { image: operator.gateways!.image, network });
      const component = `urn:pulumi:test::prichal::prichal:gateway:Gateway::${spec.name}`;
      const args = containerArgs(spec, network) as unknown as Record<string, unknown>;
      return [
        { urn: component, type: 'prichal:gateway:Gateway', custom: false, parent: stack },
        {
          urn: `urn:pulumi:test::prichal::prichal:gateway:Gateway$docker:index/container:Container::${spec.name}-container`,
          type: 'docker:index/container:Container',
          custom: true,
          id: `id-${spec.name}`,
          parent: component,
          provider: `${docker}::docker-provider-id`,
          inputs: args,
          outputs: { ...args, id: `id-${spec.name}` },
        },
      ];
    });
    return {
      manifest: { time: '2026-11-23T00:00:00Z' },
      resources: [
        { urn: stack, type: 'pulumi:pulumi:Stack', custom: false },
        { urn: docker, type: 'pulumi:providers:docker', custom: true, id: 'docker-provider-id' },
        { urn: prichal, type: 'pulumi:providers:prichal', custom: true, id: 'prichal-provider-id' },
        {
          urn: `urn:pulumi:test::prichal::docker:index/network:Network::${network}`,
          type: 'docker:index/network:Network',
          custom: true,
          id: 'network-id',
          parent: stack,
          provider: `${docker}::docker-provider-id`,
          inputs: { name: network },
          outputs: { name: network },
        },
        ...gateways,
        {
          urn: 'urn:pulumi:test::prichal::prichal:index:BusRegistrations::bus-test-07',
          type: BUS_REGISTRATIONS,
          custom: true,
          id: 'smev-test/shard-07',
          parent: stack,
          provider: `${prichal}::prichal-provider-id`,
          inputs: { bus: { url: 'u', vhost: 'v', credentials: 'busTest' }, entries: [] },
          outputs: { bus: { url: 'u', vhost: 'v', credentials: 'busTest' }, entries: [] },
        },
      ],
    };
  }

  it('engine (also when the stack does not say): the containers, their components, the network and the Docker provider leave the state, nothing else; each container is named, for its participant', () => {
    const before = pulumiState();
    const kept = (before.resources ?? []).filter((r) =>
      ['pulumi:pulumi:Stack', 'pulumi:providers:prichal', BUS_REGISTRATIONS].includes(r.type),
    );
    for (const mode of ['engine', undefined] as const) {
      const upgrade = upgradeDeployment(before, 'test', operator, mode)!;
      expect(upgrade.deployment.resources).toEqual(kept);
      expect(upgrade.deployment.manifest).toEqual(before.manifest);
      const participants = plan.contours.test.registrations.slice(0, 3).map((r) => r.participant);
      expect(upgrade.changes).toEqual([
        {
          message:
            'state: gateway network prichal-gw-test (@pulumi/docker) released from the state; it stays on the host',
          ru: 'состояние: сеть шлюзов prichal-gw-test (@pulumi/docker) исключена из состояния; на хосте она остаётся',
        },
        ...participants.map((p) => ({
          participant: p,
          message: `state: gateway container prichal-gw-${p}-test (@pulumi/docker) released from the state, still running: its gateway shard adopts it as it runs`,
          ru: `состояние: контейнер шлюза prichal-gw-${p}-test (@pulumi/docker) исключён из состояния и продолжает работать: его принимает сегмент шлюзов как есть`,
        })),
      ]);
      // Once released, nothing more to do.
      expect(upgradeDeployment(upgrade.deployment, 'test', operator, mode)).toBeUndefined();
    }
    // Pure: the state given is unchanged.
    expect(before).toEqual(pulumiState());
  });

  it('external: released too (another party keeps them running); pulumi: kept as they are; a Docker provider another resource uses stays', () => {
    const external = upgradeDeployment(pulumiState(), 'test', operator, 'external')!;
    expect(external.changes.filter((c) => c.participant).map((c) => c.message)).toEqual(
      plan.contours.test.registrations
        .slice(0, 3)
        .map(
          (r) =>
            `state: gateway container prichal-gw-${r.participant}-test (@pulumi/docker) released from the state, still running: another party runs it from here (gateways: external)`,
        ),
    );
    expect(upgradeDeployment(pulumiState(), 'test', operator, 'pulumi')).toBeUndefined();
    const shared = pulumiState();
    shared.resources!.push({
      urn: 'urn:pulumi:test::prichal::docker:index/volume:Volume::kept',
      type: 'docker:index/volume:Volume',
      custom: true,
      id: 'volume-id',
      provider: 'urn:pulumi:test::prichal::pulumi:providers:docker::default_4_5_0::docker-provider-id',
    });
    const types = upgradeDeployment(shared, 'test', operator, 'engine')!.deployment.resources!.map((r) => r.type);
    expect(types).toContain('pulumi:providers:docker');
    expect(types).toContain('docker:index/volume:Volume');
    expect(types).not.toContain('docker:index/container:Container');
  });
});

describe("the provider's upgrade of a resource's properties", () => {
  it("packs flows recorded as objects and drops the copied SSH key; today's shape passes through unchanged", async () => {
    const edge = ofType(await fixture('test'), EDGE_FIREWALL)[0]!;
    const { props, upgraded } = upgradeEdgeFirewall(edge.outputs!);
    expect(props).not.toHaveProperty('privateKey');
    expect(upgraded).toHaveLength(2);
    const flows = edge.outputs!.edge as { ingress: Flow[]; egress: Flow[] };
    expect(unpackEdge(props.edge).ingress).toEqual(flows.ingress);
    expect(unpackEdge(props.edge).egress).toEqual(flows.egress);
    expect(upgradeEdgeFirewall(props)).toEqual({ props, upgraded: [] });
  });

  it('drops the copied bus credentials; a shard that names no secret needs a name from somewhere, and says how to get it', () => {
    const copy = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: 'u:p' };
    const old = {
      contour: 'test',
      shard: '07',
      entries: [],
      bus: { url: 'u', vhost: 'v' },
      credentials: copy,
      testBus: null,
    };
    expect(() => upgradeBusShard(old)).toThrow(
      /predates credentials by reference.*prichal refresh --contour <contour>/,
    );
    const { props, upgraded } = upgradeBusShard(old, { bus: 'busTest' });
    expect(props).toEqual({
      contour: 'test',
      shard: '07',
      entries: [],
      bus: { url: 'u', vhost: 'v', credentials: 'busTest' },
      testBus: null,
    });
    expect(upgraded.length).toBeGreaterThan(0);
    expect(upgradeBusShard(props)).toEqual({ props, upgraded: [] });
    expect(() => upgradeProps(RETIRED_BUS_REGISTRATION, {})).toThrow(/prichal refresh --contour <contour>/);
  });

  it("diff reports an earlier shape as a change (the next up writes today's), and today's same edge as none", async () => {
    const edge = ofType(await fixture('test'), EDGE_FIREWALL)[0]!;
    const provider = prichalProvider('test');
    const urn = edge.urn;
    const news = { ...upgradeEdgeFirewall(edge.inputs!).props, scope: null };
    expect((await provider.diff!(edge.id!, urn, edge.outputs, news)).changes).toBe(true);
    const today = { edge: news.edge, differences: [] };
    expect((await provider.diff!(edge.id!, urn, today, news)).changes).toBe(false);
    // A renamed key secret is a change (the state must name the new one), though the table is the same.
    const renamed = {
      ...news,
      edge: packEdge({ ...unpackEdge(news.edge), ssh: { ...unpackEdge(news.edge).ssh, credentials: 'edge1-rotated' } }),
    };
    expect((await provider.diff!(edge.id!, urn, today, renamed)).changes).toBe(true);
  });

  it("update writes today's shape without touching the live object when nothing else changes (the hosts here are unreachable)", async () => {
    const d = await fixture('prod');
    const edge = ofType(await fixture('test'), EDGE_FIREWALL)[0]!;
    const provider = prichalProvider('test');
    // Nothing listens on port 1: had update connected to the edge, it would fail.
    const unreachable = (props: Record<string, unknown>) => ({
      ...props,
      edge: { ...(props.edge as object), ssh: { ...(props.edge as { ssh: object }).ssh, port: 1 } },
    });
    const news = { ...upgradeEdgeFirewall(unreachable(edge.inputs!)).props, scope: null };
    const { outs } = await provider.update!(edge.id!, edge.urn, unreachable(edge.outputs!), news);
    expect(outs).toEqual({ edge: news.edge, differences: [] });
    // A model-3 shard (names added by the checkpoint's upgrade, the copy still in it) on a bus nobody serves.
    const shard = upgradeDeployment(d, 'prod', operator)!.deployment.resources!.find(
      (r) => r.type === BUS_REGISTRATIONS,
    )!;
    const copy = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: 'scrubbed:scrubbed' };
    const bus = { ...(shard.outputs!.bus as object), url: 'http://127.0.0.1:1' };
    const olds = { ...shard.outputs!, bus, credentials: copy };
    const shardNews = { ...shard.inputs!, bus };
    expect((await provider.diff!(shard.id!, shard.urn, olds, shardNews)).changes).toBe(true);
    const updated = (await provider.update!(shard.id!, shard.urn, olds, shardNews)).outs;
    expect(updated).not.toHaveProperty('credentials');
    expect(updated.entries).toEqual(shard.outputs!.entries);
    expect(secretsInDeployment({ resources: [{ urn: shard.urn, type: BUS_REGISTRATIONS, outputs: updated }] })).toEqual(
      [],
    );
  });

  it('names the retired type in every method, with what to run', async () => {
    const retired = ofType(await fixture('test'), RETIRED_BUS_REGISTRATION)[0]!;
    await expect(prichalProvider('test').read!(retired.id!, retired.urn, retired.outputs)).rejects.toThrow(
      /BusRegistration resources .* run 'prichal refresh --contour <contour>'/,
    );
    await expect(prichalProvider('test').delete!(retired.id!, retired.urn, retired.outputs)).rejects.toThrow(
      /upgrades the state with nothing changed on the bus/,
    );
  });
});

describe('the retired stack config prichal-secrets:<name>', () => {
  it("is refused by prichal's stack settings, naming the settings and where the secrets go instead", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'prichal-stacks-'));
    try {
      await writeFile(
        path.join(dir, 'Pulumi.test.yaml'),
        'config:\n  prichal:gateways: external\n  prichal-secrets:bus-test:\n    secure: v1:abc\n  prichal-secrets:edge1:\n    secure: v1:def\n',
      );
      await expect(stackSettings('test', dir)).rejects.toThrow(
        /Pulumi\.test\.yaml: stack test sets prichal-secrets:bus-test, prichal-secrets:edge1: this path is retired/,
      );
      await writeFile(path.join(dir, 'Pulumi.test.yaml'), 'config:\n  prichal:gateways: external\n');
      expect(await stackSettings('test', dir)).toEqual({ gateways: 'external' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(retiredSecretSettings(['prichal:gateways'], 'test')).toBeUndefined();
    expect(retiredSecretSettings(['prichal-secrets:bus-test'], 'prod')).toMatch(
      /PRICHAL_SECRET_BUS_TEST or \$PRICHAL_SECRETS_DIR\/bus-test.*pulumi config rm prichal-secrets:bus-test --stack prod/,
    );
  });
});

describe('the lock: contention and --wait-lock', () => {
  it('recognises the lock held and a lock that vanished while the engine read it, nothing else', () => {
    expect(lockContention('error: the stack is currently locked by 1 lock(s).')).toBe(true);
    expect(
      lockContention('blob (key ".pulumi/locks/organization/prichal/test/x.json") (code=NotFound): no such file'),
    ).toBe(true);
    expect(
      lockContention(
        'error: could not create stack: could not list bucket: blob (code=NotFound): sql: no rows in result set',
      ),
    ).toBe(true);
    expect(lockContention("error: stack 'organization/prichal/test' already exists")).toBe(false);
    expect(lockContention('bus GET /users/X: HTTP 401')).toBe(false);
  });

  it("recognises two runs creating a new PostgreSQL database's state table at once (tried again), nothing else", () => {
    expect(
      backendRace(
        'error: unable to open state database "postgres://***": failed to create table pulumi_state: pq: duplicate key value violates unique constraint "pg_type_typname_nsp_index" (23505)',
      ),
    ).toBe(true);
    expect(
      backendRace(
        'error: unable to open state database "postgres://***": pq: password authentication failed for user "prichal"',
      ),
    ).toBe(false);
  });

  it('reads durations as people write them and says how long a run waited', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('45')).toBe(45_000);
    expect(parseDuration('1.5m')).toBe(90_000);
    for (const bad of ['', 'soon', '-5s', '5d', '1e3s']) expect(parseDuration(bad)).toBeUndefined();
    expect(durationText(90_000, false)).toBe('1 min 30 s');
    expect(durationText(3_600_000, true)).toBe('1 ч');
    const holder = { user: 'root', host: 'other-host', pid: 1, since: '2026-11-23T02:30:00Z' };
    expect(new StackLockedError('test', [holder], 600_000).message).toContain(
      'another prichal or pulumi run is changing it (waited 10 min with --wait-lock). Nothing was changed.',
    );
    expect(new StackLockedError('test', [holder]).message).toContain('(or pass --wait-lock 10m to wait for it)');
    // Staleness as judged when the lock refused the run: a holder that has finished since is no stale lock.
    const finished = { ...holder, host: hostname(), pid: spawnSync('true').pid! };
    expect(new StackLockedError('test', [finished]).message).toContain('the lock is stale');
    expect(new StackLockedError('test', [finished], undefined, [false]).message).not.toContain('the lock is stale');
  });
});

describe('lockDecision: what a run refused by the lock does next', () => {
  const now = Date.parse('2026-11-23T02:30:10Z');
  const holder = (since: string) => ({ user: 'root', host: 'vm', pid: 42, since });
  const gone = () => true;
  const running = () => false;
  const unchanged = async () => false;
  const changed = async () => true;
  it('looks once more when the holder took the lock a moment ago and has already let go with the state as it was (two runs at the same instant), or none could be read', async () => {
    expect(
      await lockDecision([holder('2026-11-23T02:30:09Z')], {
        refusedAt: now,
        looked: false,
        remainingMs: 0,
        gone,
        stateChanged: unchanged,
      }),
    ).toBe('look-again');
    expect(await lockDecision([], { refusedAt: now, looked: false, remainingMs: 0, gone })).toBe('look-again');
    // Only once.
    expect(
      await lockDecision([holder('2026-11-23T02:30:09Z')], {
        refusedAt: now,
        looked: true,
        remainingMs: 0,
        gone,
        stateChanged: unchanged,
      }),
    ).toBe('refuse');
  });
  it('never second-guesses a holder that is running, that has held the lock for a while, or that ran and changed the state', async () => {
    expect(
      await lockDecision([holder('2026-11-23T02:30:09Z')], {
        refusedAt: now,
        looked: false,
        remainingMs: 0,
        gone: running,
        stateChanged: unchanged,
      }),
    ).toBe('refuse');
    expect(
      await lockDecision([holder('2026-11-23T02:30:08Z')], {
        refusedAt: now,
        looked: false,
        remainingMs: 0,
        gone,
        stateChanged: unchanged,
      }),
    ).toBe('refuse');
    expect(
      await lockDecision([holder('2026-11-23T02:30:09Z')], {
        refusedAt: now,
        looked: false,
        remainingMs: 0,
        gone,
        stateChanged: changed,
      }),
    ).toBe('refuse');
  });
  it('waits while --wait-lock leaves time, then refuses', async () => {
    expect(
      await lockDecision([holder('2026-11-23T02:29:00Z')], {
        refusedAt: now,
        looked: true,
        remainingMs: 5000,
        gone: running,
      }),
    ).toBe('wait');
    expect(
      await lockDecision([holder('2026-11-23T02:30:09Z')], {
        refusedAt: now,
        looked: false,
        remainingMs: 5000,
        gone,
        stateChanged: changed,
      }),
    ).toBe('wait');
    expect(
      await lockDecision([holder('2026-11-23T02:29:00Z')], {
        refusedAt: now,
        looked: true,
        remainingMs: 0,
        gone: running,
      }),
    ).toBe('refuse');
  });
});
