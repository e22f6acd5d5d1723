// Drift over two gateway hosts of the lab: this machine's Docker (`local`, its unix socket) and
// the lab's second Docker host (`docker-2`, the Engine API over SSH with its pinned host key),
// each read through the Engine API. From a copy of the sample whose participants are renamed
// (`dgh-…`) and whose gateway addresses are moved to free parts of the pools, so that its
// gateways — started here, on both hosts, and removed afterwards — are never mistaken for the
// sample's. A gateway removed on the second host is a finding for its participant; one running
// on the wrong host is reported there; the second host unreachable makes `prichal drift` exit 3
// with its participants not checked, none of them missing, while the first host is still checked.
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { expectedGateways, type PlannedGateway } from '../../src/collect/index.js';
import { mapBounded } from '../../src/concurrency.js';
import { exitCode, type CheckResult } from '../../src/drift/model.js';
import { deliverImage, DockerHost, parseDockerEndpoint } from '../../src/infra/docker-api.js';
import type { OperatorFile } from '../../src/inventory/index.js';
import type { Plan } from '../../src/plan/index.js';
import { checkInventory } from '../../src/requirements/index.js';
import { prichal } from '../helpers/cli.js';
import { inventoryWith, removeInventory } from '../helpers/inventory.js';

const AT = '2026-11-23';
/** Marks the containers this test starts, on both hosts, so that it removes exactly those. */
const MINE = { 'prichal.test': 'drift-gateway-hosts' };
const PREFIX = 'dgh-';
const DOCKER_2 = {
  id: 'docker-2',
  docker: 'ssh://prichal@127.0.0.1:2210',
  hostKey: 'SHA256:DwzziGTSAfC/E1YRa1Oac2TctfeJPfz0b+Tf80QauSw',
  credentials: 'docker2',
  transit: '10.200.0.253',
  slices: { test: '10.210.128.0/17', prod: '10.220.128.0/17' },
};

/**
 * A copy of the sample declaring the hosts `local` and `docker-2` (reached at `docker2Endpoint`):
 * every participant renamed, those the sample places on its second host on docker-2 and the
 * rest on local, every gateway address moved by a fixed offset inside its host's range.
 */
async function twoHostInventory(docker2Endpoint = DOCKER_2.docker): Promise<string> {
  const dir = await inventoryWith([]);
  const participants = path.join(dir, 'participants');
  const ids = (await readdir(participants)).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length));
  const renamed = (text: string) =>
    ids.reduce((t, id) => t.replace(new RegExp(`(?<![\\w-])${id}(?![\\w-])`, 'g'), `${PREFIX}${id}`), text);
  for (const file of [
    'operator.yaml',
    'allocations.yaml',
    'documents.yaml',
    ...ids.map((id) => `participants/${id}.yaml`),
  ]) {
    const at = path.join(dir, file);
    await writeFile(at, renamed(await readFile(at, 'utf8')));
  }
  for (const id of ids)
    await rename(path.join(participants, `${id}.yaml`), path.join(participants, `${PREFIX}${id}.yaml`));

  const operator = parseDocument(await readFile(path.join(dir, 'operator.yaml'), 'utf8'));
  const sampleSecond = (operator.getIn(['gateways', 'hosts', 1, 'id']) as string | undefined) ?? DOCKER_2.id;
  operator.setIn(
    ['gateways', 'hosts'],
    [
      { id: 'local', docker: 'unix:///var/run/docker.sock' },
      { ...DOCKER_2, docker: docker2Endpoint },
    ],
  );
  await writeFile(path.join(dir, 'operator.yaml'), operator.toString());

  const allocations = parseDocument(await readFile(path.join(dir, 'allocations.yaml'), 'utf8'));
  const hosts =
    (allocations.getIn(['gatewayHosts']) as { toJSON(): Record<string, string> } | undefined)?.toJSON() ?? {};
  allocations.setIn(
    ['gatewayHosts'],
    Object.fromEntries(Object.entries(hosts).map(([p, h]) => [p, h === sampleSecond ? DOCKER_2.id : 'local'])),
  );
  for (const contour of ['test', 'prod']) {
    const recorded = (allocations.getIn(['gateways', contour]) as { toJSON(): Record<string, string> }).toJSON();
    // The pool's low part (local) by 77, a slice's (from .128) by 72: inside each range, clear of the sample's gateways.
    const moved = Object.entries(recorded).map(([p, address]) => {
      const [a, b, c, d] = address.split('.').map(Number) as [number, number, number, number];
      return [p, `${a}.${b}.${c + (c >= 128 ? 72 : 77)}.${d}`];
    });
    allocations.setIn(['gateways', contour], Object.fromEntries(moved));
  }
  await writeFile(path.join(dir, 'allocations.yaml'), allocations.toString());
  return dir;
}

let dir: string;
let plan: Plan;
let operator: OperatorFile;
let planned: PlannedGateway[];
const hosts = new Map<string, DockerHost>();
const scratch: string[] = [];

const on = (g: PlannedGateway) => hosts.get(g.host)!;
const mine = (p: string | undefined) => p?.startsWith(PREFIX) ?? false;

async function removeMine(): Promise<void> {
  for (const host of hosts.values())
    await mapBounded(await host.listContainers(MINE), 8, (c) => host.removeContainer(c.Id));
}

async function waitHealthy(gateways: readonly PlannedGateway[]): Promise<void> {
  await mapBounded(gateways, 8, async (g) => {
    const deadline = Date.now() + 60_000;
    let health: string | undefined;
    while (Date.now() < deadline) {
      health = (await on(g).inspectContainer(g.name))?.State.Health?.Status;
      if (health === 'healthy') return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`${g.name} on ${g.host}: ${health ?? 'no health'} after 60 s`);
  });
}

/** `prichal drift` on an inventory, as JSON, and its GW-1 findings about this test's participants. */
async function drift(inventory: string) {
  const r = await prichal(['drift', '--inventory', inventory, '--format', 'json', '--lang', 'en', '--at', AT]);
  let result: CheckResult;
  try {
    result = JSON.parse(r.stdout) as CheckResult;
  } catch {
    throw new Error(`prichal drift exited ${r.code}: ${r.stderr}`);
  }
  const gw = result.findings.filter((f) => f.requirement === 'GW-1' && mine(f.participant));
  return {
    code: r.code,
    result,
    gw: gw.map((f) => `${f.participant} ${f.contour} ${f.message} | ${f.evidence}`).sort(),
  };
}

beforeAll(async () => {
  dir = await twoHostInventory();
  scratch.push(dir);
  const checked = await checkInventory(dir, AT);
  expect(
    checked.findings.filter((f) => f.severity === 'error'),
    'the two-host copy of the sample validates',
  ).toEqual([]);
  plan = checked.plan!;
  operator = checked.validation.inventory.operator!.value;
  planned = expectedGateways(plan, operator.gateways!);
  expect(new Set(planned.map((g) => g.host))).toEqual(new Set(['local', 'docker-2']));

  hosts.set('local', await DockerHost.connect(parseDockerEndpoint('unix:///var/run/docker.sock')));
  hosts.set('docker-2', await DockerHost.connect(parseDockerEndpoint(DOCKER_2.docker, DOCKER_2)));
  await removeMine();
  await deliverImage(hosts.get('local')!, hosts.get('docker-2')!, operator.gateways!.image);
  await mapBounded(planned, 4, (g) => on(g).createGateway(g, MINE));
  await waitHealthy(planned);
});

afterAll(async () => {
  await removeMine();
  for (const host of hosts.values()) host.close();
  for (const d of scratch) await removeInventory(d);
});

describe('drift over two gateway hosts, each read through its Engine API', () => {
  it('checks every gateway on the host it is planned on: none reported, each host read with its own requests', async () => {
    const { result, gw } = await drift(dir);
    expect(gw).toEqual([]);
    expect(result.unchecked.filter((u) => u.requirements.includes('GW-1'))).toEqual([]);
    expect(result.reads?.sources?.gateways).toMatchObject({
      subjects: ['gateway host local', 'gateway host docker-2'],
      unreadable: [],
    });
    // One listing and one inspection per labelled container: at least this test's on each host.
    for (const host of ['local', 'docker-2'])
      expect(result.reads?.dockerRequests?.[host]).toBeGreaterThanOrEqual(
        1 + planned.filter((g) => g.host === host).length,
      );
  });

  it('a gateway removed on the second host: a finding for its participant, naming the host', async () => {
    const victim = planned.find((g) => g.host === 'docker-2' && g.contour === 'test')!;
    await on(victim).removeContainer(victim.name);
    try {
      const { code, gw } = await drift(dir);
      expect(gw).toEqual([`${victim.participant} test missing | host docker-2: no container ${victim.name}`]);
      expect(code).toBe(1);
    } finally {
      await on(victim).createGateway(victim, MINE);
      await waitHealthy([victim]);
    }
    expect((await drift(dir)).gw).toEqual([]);
  });

  it('a gateway of the first host running on the second: reported there as on the wrong host', async () => {
    const moved = planned.find((g) => g.host === 'local' && g.contour === 'test')!;
    // An address of docker-2's test slice that no gateway here has.
    await hosts.get('docker-2')!.createGateway({ ...moved, address: '10.210.250.9' }, MINE);
    try {
      const { gw } = await drift(dir);
      expect(gw).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${moved.participant} test runs on host docker-2, planned on host local \\| host docker-2: labels `,
          ),
        ),
      ]);
    } finally {
      await hosts.get('docker-2')!.removeContainer(moved.name);
    }
  });

  it('the second host unreachable: exit 3, its participants not checked and none missing, the first host still checked', async () => {
    // A loopback port just closed: nothing listens there.
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    await new Promise((done) => server.close(done));
    const unreachable = await twoHostInventory(`ssh://prichal@127.0.0.1:${port}`);
    scratch.push(unreachable);

    const stopped = planned.find((g) => g.host === 'local')!;
    const host = on(stopped);
    await host.api.getContainer(stopped.name).stop({ t: 1 });
    try {
      const { code, result, gw } = await drift(unreachable);
      expect(code).toBe(3);
      expect(exitCode(result)).toBe(3);
      const notChecked = result.unchecked.filter((u) => u.requirements.includes('GW-1'));
      expect(notChecked).toEqual([
        {
          subject: 'gateway host docker-2',
          requirements: ['GW-1'],
          reason: expect.stringMatching(
            new RegExp(`Docker host ssh://prichal@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
          ),
        },
      ]);
      // The first host is checked: its stopped gateway is found, and nothing of the second host is.
      expect(gw).toEqual([
        `${stopped.participant} ${stopped.contour} not running (exited) | host local: State.Status: exited`,
      ]);
      const onSecond = new Set(planned.filter((g) => g.host === 'docker-2').map((g) => g.participant));
      expect(result.findings.filter((f) => f.requirement === 'GW-1' && onSecond.has(f.participant!))).toEqual([]);
      expect(result.reads?.sources?.gateways?.unreadable).toEqual(['gateway host docker-2']);
      expect(Object.keys(result.reads?.dockerRequests ?? {})).toEqual(['local']);
    } finally {
      await host.api.getContainer(stopped.name).start();
    }
  });
});
