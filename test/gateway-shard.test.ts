// Gateway containers as Prichal's own resource (gateways: engine), without a Docker host: which
// shard each gateway lands in (stable, per host), what an update does (a changed specification
// replaces that gateway only), how a live container is compared with its specification, the
// preview's wording, and that no secret reaches a shard's inputs.
import path from 'node:path';
import type { ContainerDetails } from '../src/infra/docker-api.js';
import { gatewayCreateOptions } from '../src/infra/docker-api.js';
import { credentialNames, gatewayShardChanges, participantTargets } from '../src/infra/pulumi/engine.js';
import {
  containerDifferences,
  entrySpec,
  GATEWAY_SHARD,
  gatewayShardUpdate,
  type GatewayShardInputs,
} from '../src/infra/pulumi/gateway-shard.js';
import { prichalProvider } from '../src/infra/pulumi/provider.js';
import { shardOf } from '../src/infra/pulumi/resources.js';
import type { OperatorFile } from '../src/inventory/index.js';
import { LOCAL_GATEWAY_HOST, type Plan, type PlannedGatewayHost, plannedGatewayHosts } from '../src/plan/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import { checkInventory } from '../src/requirements/index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';
import { captureResources, type Captured } from './helpers/pulumi-mocks.js';

// The compiled program (see vitest.config.ts): what the engine runs.
const PROGRAM = path.join(PROJECT_ROOT, 'dist/src/infra/pulumi/program.js');

let captured: Captured[] = [];

let plan: Plan;
let operator: OperatorFile;

beforeAll(async () => {
  captured = await captureResources();
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  operator = checked.validation.inventory.operator!.value as OperatorFile;
  plan = oneLocalHost(checked.plan!, operator);
});

/** The sample's plan as if operator.yaml declared no gateway hosts: every gateway on the implicit local host. */
function oneLocalHost(p: Plan, declared: OperatorFile): Plan {
  const hosts = plannedGatewayHosts({ ...declared, gateways: { ...declared.gateways!, hosts: undefined } });
  const local = (c: Plan['contours']['test']) => ({
    ...c,
    registrations: c.registrations.map((r) => ({ ...r, host: LOCAL_GATEWAY_HOST })),
  });
  return {
    ...p,
    gatewayHosts: hosts,
    gatewayRoutes: [],
    contours: { test: local(p.contours.test), prod: local(p.contours.prod) },
  };
}

async function shardsOf(p: Plan, contour: 'test' | 'prod' = 'test') {
  const { definePrichal } = (await import(PROGRAM)) as typeof import('../src/infra/pulumi/program.js');
  const before = captured.length;
  definePrichal({ contour, plan: p, operator, gateways: 'engine' });
  await new Promise((r) => setTimeout(r, 50));
  return captured.slice(before).filter((c) => c.type === GATEWAY_SHARD);
}

/** Participant → the shard resource name holding its gateway. */
function placement(shards: Captured[]): Map<string, string> {
  return new Map(
    shards.flatMap((s) => (s.inputs.gateways as Array<{ participant: string }>).map((g) => [g.participant, s.name])),
  );
}

/** The sample's plan with a second, ssh:// host declared and every other participant placed on it. */
function twoHosts(p: Plan): Plan {
  const second: PlannedGatewayHost = {
    id: 'docker-2',
    docker: 'ssh://prichal@127.0.0.1:2210',
    hostKey: 'SHA256:AAAAC3NzaC1lZDI1NTE5AAAAIGateway0HostKey000000000',
    credentials: 'docker2',
  };
  const onSecond = (i: number) => i % 2 === 1;
  return {
    ...p,
    gatewayHosts: [...p.gatewayHosts, second],
    contours: {
      ...p.contours,
      test: {
        ...p.contours.test,
        registrations: p.contours.test.registrations.map((r, i) => (onSecond(i) ? { ...r, host: 'docker-2' } : r)),
      },
    },
  };
}

describe('the program in gateways: engine mode', () => {
  it('puts each gateway in exactly one shard: its host, then the stable hash of its participant', async () => {
    const shards = await shardsOf(plan);
    const registrations = plan.contours.test.registrations;
    const where = placement(shards);
    expect([...where.keys()].sort()).toEqual(registrations.map((r) => r.participant).sort());
    for (const r of registrations)
      expect(where.get(r.participant)).toBe(`gateways-test-local-${shardOf(r.participant)}`);
    // No other gateway resources: neither @pulumi/docker containers nor empty shards.
    expect(shards.every((s) => (s.inputs.gateways as unknown[]).length > 0)).toBe(true);
  });

  it('moves no other gateway when a participant leaves, or when a second host takes some', async () => {
    const where = placement(await shardsOf(plan));
    const leaving = plan.contours.test.registrations[0]!.participant;
    const fewer: Plan = {
      ...plan,
      contours: {
        ...plan.contours,
        test: {
          ...plan.contours.test,
          registrations: plan.contours.test.registrations.filter((r) => r.participant !== leaving),
        },
      },
    };
    const after = placement(await shardsOf(fewer));
    for (const [participant, shard] of after) expect(shard).toBe(where.get(participant));
    expect(after.has(leaving)).toBe(false);
    const split = await shardsOf(twoHosts(plan));
    const hosts = new Set(split.map((s) => (s.inputs.host as { id: string }).id));
    expect(hosts).toEqual(new Set(['local', 'docker-2']));
    for (const s of split)
      expect(s.name).toBe(`gateways-test-${(s.inputs.host as { id: string }).id}-${s.inputs.shard as string}`);
  });

  it('names the SSH key of a host by its secret, never a secret value', async () => {
    process.env.PRICHAL_SECRET_DOCKER2 = 'SECRET-KEY-MATERIAL-not-for-the-state';
    try {
      const split = await shardsOf(twoHosts(plan));
      const remote = split.find((s) => (s.inputs.host as { id: string }).id === 'docker-2')!;
      expect(remote.inputs.host).toEqual({
        id: 'docker-2',
        docker: 'ssh://prichal@127.0.0.1:2210',
        hostKey: 'SHA256:AAAAC3NzaC1lZDI1NTE5AAAAIGateway0HostKey000000000',
        credentials: 'docker2',
      });
      const text = JSON.stringify(split.map((s) => s.inputs));
      expect(text).not.toContain('SECRET-KEY-MATERIAL');
      expect(text).not.toMatch(/PRIVATE KEY|password/i);
    } finally {
      delete process.env.PRICHAL_SECRET_DOCKER2;
    }
  });

  it('carries per gateway a compact entry its full specification is rebuilt from, hash for hash', async () => {
    const [shard] = await shardsOf(plan, 'prod');
    const inputs = shard!.inputs as unknown as GatewayShardInputs;
    expect(inputs.image).toBe(operator.gateways!.image);
    expect(inputs.network).toBe(operator.gateways!.network.prod);
    for (const entry of inputs.gateways) {
      expect(Object.keys(entry).sort()).toEqual(['address', 'configHash', 'endpoints', 'participant', 'specHash']);
      expect(entrySpec(inputs, entry).configHash).toBe(entry.configHash);
    }
  });
});

/** One shard of the sample, as the program emits it. */
async function sampleShard(): Promise<GatewayShardInputs> {
  const shards = await shardsOf(plan);
  const biggest = shards.sort(
    (a, b) => (b.inputs.gateways as unknown[]).length - (a.inputs.gateways as unknown[]).length,
  )[0]!;
  return biggest.inputs as unknown as GatewayShardInputs;
}

describe('gatewayShardUpdate', () => {
  it('changes nothing for the same specifications', async () => {
    const shard = await sampleShard();
    const update = gatewayShardUpdate({ ...shard, differences: [] }, shard);
    expect(update.changes).toEqual([]);
    expect(update.gateways).toEqual(shard.gateways);
  });

  it('replaces only the gateway whose specification hash changed, naming the changed fields', async () => {
    const shard = await sampleShard();
    const [first, ...rest] = shard.gateways;
    const changed = { ...first!, configHash: 'c0ffee0000000000', specHash: 'feed000000000000' };
    const update = gatewayShardUpdate(shard, { ...shard, gateways: [changed, ...rest] });
    expect(update.replace).toEqual([changed]);
    expect(update.create).toEqual([]);
    expect(update.remove).toEqual([]);
    expect(update.changes).toEqual([
      {
        participant: first!.participant,
        message: `gateway prichal-gw-${first!.participant}-test: replace (configuration ${first!.configHash} → c0ffee0000000000)`,
        ru: `шлюз prichal-gw-${first!.participant}-test: заменить (конфигурация ${first!.configHash} → c0ffee0000000000)`,
      },
    ]);
  });

  it('adds new gateways, removes gone ones, recreates one refresh found differing, and keeps out-of-scope ones', async () => {
    const shard = await sampleShard();
    const [a, b] = shard.gateways;
    const olds = { ...shard, gateways: [b!], differences: [{ participant: b!.participant, message: 'missing' }] };
    const update = gatewayShardUpdate(olds, { ...shard, gateways: [a!, b!] });
    expect(update.create).toEqual([a]);
    expect(update.replace).toEqual([b]);
    expect(update.changes.map((c) => c.message)).toEqual([
      `gateway prichal-gw-${a!.participant}-test: add on host local at ${a!.address}`,
      `gateway prichal-gw-${b!.participant}-test: on host local: missing; recreated from its specification`,
    ]);
    const gone = gatewayShardUpdate({ ...shard, gateways: [a!, b!] }, { ...shard, gateways: [a!] });
    expect(gone.remove).toEqual([b]);
    expect(gone.changes.map((c) => c.message)).toEqual([
      `gateway prichal-gw-${b!.participant}-test: remove from host local`,
    ]);
    // A targeted run touches its participant only; the other's live difference stays pending.
    const scoped = gatewayShardUpdate(olds, { ...shard, gateways: [a!, b!], scope: a!.participant });
    expect(scoped.create).toEqual([a]);
    expect(scoped.replace).toEqual([]);
    expect(scoped.differences).toEqual(olds.differences);
  });

  it("is the provider's diff: a changed hash is a change, the same inputs none", async () => {
    const shard = await sampleShard();
    const provider = prichalProvider('0.0.0');
    const urn = `urn:pulumi:test::prichal::${GATEWAY_SHARD}::gateways-test-local-00`;
    expect((await provider.diff!('id', urn, { ...shard, differences: [] }, shard)).changes).toBe(false);
    const [first, ...rest] = shard.gateways;
    const news = { ...shard, gateways: [{ ...first!, specHash: '0000000000000000' }, ...rest] };
    expect((await provider.diff!('id', urn, shard, news)).changes).toBe(true);
  });
});

describe('the preview of gateway shards (engine.ts describeOperation)', () => {
  it('lists per participant the gateways added, replaced with the changed fields, and removed', async () => {
    const shard = await sampleShard();
    const [a] = shard.gateways;
    const name = `gateway prichal-gw-${a!.participant}-test`;
    const created = gatewayShardChanges('create', undefined, shard);
    expect(created.map((c) => c.participant)).toEqual(shard.gateways.map((g) => g.participant));
    expect(created[0]!.message).toBe(`${name}: add on host local at ${a!.address}`);
    const moved = { ...a!, address: '10.210.255.254', specHash: '1111111111111111' };
    expect(gatewayShardChanges('update', shard, { ...shard, gateways: [moved] })).toContainEqual({
      participant: a!.participant,
      message: `${name}: replace (address ${a!.address} → 10.210.255.254)`,
      ru: `шлюз prichal-gw-${a!.participant}-test: заменить (адрес ${a!.address} → 10.210.255.254)`,
    });
    const deleted = gatewayShardChanges('delete', shard, undefined);
    expect(deleted[0]).toEqual({
      participant: a!.participant,
      message: `${name}: remove from host local`,
      ru: `шлюз prichal-gw-${a!.participant}-test: удалить с хоста local`,
    });
    expect(deleted).toHaveLength(shard.gateways.length);
  });
});

/** A container as the Engine API inspects one created from `options` exactly (the fields compared). */
function inspected(shard: GatewayShardInputs): ContainerDetails {
  const spec = entrySpec(shard, shard.gateways[0]!);
  const options = gatewayCreateOptions(spec);
  return {
    Name: `/${spec.name}`,
    State: { Running: true, Status: 'running', Health: { Status: 'healthy' } },
    Config: { Image: options.Image, Env: options.Env, User: options.User, Labels: options.Labels },
    HostConfig: options.HostConfig,
    NetworkSettings: {
      Networks: { [spec.network]: { IPAMConfig: { IPv4Address: spec.address }, IPAddress: spec.address } },
    },
  } as unknown as ContainerDetails;
}

describe('containerDifferences', () => {
  it('finds nothing in a container created from the specification, and each kind of difference', async () => {
    const shard = await sampleShard();
    const spec = entrySpec(shard, shard.gateways[0]!);
    const live = inspected(shard);
    expect(containerDifferences(spec, live)).toEqual([]);
    expect(containerDifferences(spec, undefined)).toEqual([{ en: 'missing', ru: 'контейнера нет' }]);
    const edited = structuredClone(live) as unknown as Record<string, Record<string, unknown>>;
    edited.State = { Running: false, Status: 'exited', Health: { Status: 'unhealthy' } };
    edited.Config = { ...edited.Config, Image: 'nginx:latest', User: '', Env: ['GATEWAY_CONF=other'] };
    edited.HostConfig = {
      ...edited.HostConfig,
      ReadonlyRootfs: false,
      CapAdd: ['NET_ADMIN'],
      RestartPolicy: { Name: 'no' },
    };
    edited.NetworkSettings = { Networks: { bridge: { IPAddress: '172.17.0.5' } } };
    const found = containerDifferences(spec, edited as unknown as ContainerDetails).map((d) => d.en);
    expect(found).toEqual([
      'not running (exited)',
      `image nginx:latest, planned ${spec.image}`,
      expect.stringMatching(/^configuration [0-9a-f]+, planned /),
      `not on network ${spec.network} (on bridge)`,
      `user root, planned ${spec.security.user}`,
      'root filesystem writable',
      'capabilities add [NET_ADMIN] drop [ALL], planned drop [ALL]',
      `restart policy no, planned ${spec.restart}`,
    ]);
    // Running but failing its health check is a difference of its own (a stopped one is not also unhealthy).
    edited.State = { Running: true, Status: 'running', Health: { Status: 'unhealthy' } };
    expect(containerDifferences(spec, edited as unknown as ContainerDetails).map((d) => d.en)).toContain('unhealthy');
  });
});

describe('the engine run in gateways: engine mode', () => {
  it("targets a participant's gateway shard with --participant, and checks its host's SSH key exists first", () => {
    const r = plan.contours.test.registrations[0]!;
    const targets = participantTargets('test', plan, r.participant, new Map(), 'engine');
    expect(targets).toContain(
      `urn:pulumi:test::prichal::${GATEWAY_SHARD}::gateways-test-local-${shardOf(r.participant)}`,
    );
    // The default mode is engine; external names no gateway shard and no gateway host's key.
    expect(participantTargets('test', plan, r.participant)).toEqual(targets);
    expect(
      participantTargets('test', plan, r.participant, new Map(), 'external').some((u) => u.includes(GATEWAY_SHARD)),
    ).toBe(false);
    expect(credentialNames('test', twoHosts(plan), operator, 'engine')).toContain('docker2');
    expect(credentialNames('test', twoHosts(plan), operator)).toContain('docker2');
    expect(credentialNames('test', twoHosts(plan), operator, 'external')).not.toContain('docker2');
  });
});
