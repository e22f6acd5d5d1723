// The gateways source over several Docker hosts, without the lab: a host read through a stand-in
// Engine API serving a recorded listing and inspection (one listing, then each container
// inspected, a bounded number at once), an unreachable host as a reading that says why, the check
// of one host's containers against the gateways planned there (each difference in both
// languages, the same rule the engine's refresh applies), a gateway on the wrong host, and the
// source in a drift run where one host cannot be read.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkGatewayHosts,
  expectedGateways,
  gatewayHostSubject,
  gateways as gatewaysSource,
  readGatewayHost,
  type Collected,
  type GatewayHostRead,
  type GatewayOptions,
  type GatewayHostSubject,
  type PlannedGateway,
} from '../src/collect/index.js';
import { exitCode } from '../src/drift/model.js';
import { runChecks } from '../src/drift/run.js';
import { shortHash } from '../src/hash.js';
import type { ContainerDetails } from '../src/infra/docker-api.js';
import { gatewayDifferences, liveGateway, type LiveGateway } from '../src/infra/gateway-differences.js';
import type { Inventory } from '../src/inventory/index.js';
import type { Plan, PlannedGatewayHost, PlannedRegistration } from '../src/plan/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import { gatewaySpec } from '../src/render/index.js';
import { renderJson } from '../src/report/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

const FIXTURES = path.join(PROJECT_ROOT, 'test/fixtures/gateway-hosts');
/** Recorded from the lab's Docker (Engine API 1.41): a gateway the CLI provisioner started, as listed and as inspected. */
const recordedListing = JSON.parse(readFileSync(path.join(FIXTURES, 'listing.json'), 'utf8')) as Array<
  Record<string, unknown>
>;
const recordedInspection = JSON.parse(readFileSync(path.join(FIXTURES, 'inspection.json'), 'utf8')) as ContainerDetails;

const CONF = 'GATEWAY_CONF=';
const recordedConf = recordedInspection.Config.Env.find((e) => e.startsWith(CONF))!.slice(CONF.length);

/**
 * The specification the recorded gateway was started from. Its configuration is the recording's,
 * so that a change of the template does not date the recording (a changed configuration is one
 * of the differences tried below).
 */
function recordedSpec(host = 'local'): PlannedGateway {
  const registration = { participant: 'dep-obr', gateway: '10.210.0.2', endpoints: [] };
  const spec = gatewaySpec(registration as unknown as PlannedRegistration, 'test', {
    image: 'prichal/gateway:bookworm',
    network: 'prichal-gw-test',
  });
  return {
    ...spec,
    config: recordedConf,
    configHash: shortHash(recordedConf),
    env: { GATEWAY_CONF: recordedConf },
    host,
  };
}

/** The recorded inspection, with `edit` applied to a copy. */
function inspection(edit: (c: ContainerDetails) => void = () => {}): ContainerDetails {
  const copy = structuredClone(recordedInspection);
  edit(copy);
  return copy;
}

/** The recorded inspection as a container running `spec` exactly (its name, configuration, labels and address). */
function runningAsPlanned(spec: PlannedGateway): LiveGateway {
  return liveGateway(
    inspection((c) => {
      c.Name = `/${spec.name}`;
      c.Config.Image = spec.image;
      c.Config.Labels = { ...spec.labels };
      c.Config.Env = [`${CONF}${spec.config}`];
      const recorded = Object.values(c.NetworkSettings.Networks)[0]!;
      c.NetworkSettings.Networks = {
        [spec.network]: { ...recorded, IPAMConfig: { IPv4Address: spec.address }, IPAddress: spec.address },
      };
    }),
  );
}

describe('reading one gateway host through its Engine API', () => {
  const scratch: string[] = [];
  afterAll(async () => {
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  });

  /** A stand-in Docker socket: the recorded listing of `count` containers, each inspected as recorded; `gone` answer 404. */
  async function engine(count: number, gone: ReadonlySet<string>) {
    const dir = await mkdtemp(path.join(tmpdir(), 'prichal-engine-'));
    scratch.push(dir);
    const socketPath = path.join(dir, 'docker.sock');
    const ids = Array.from({ length: count }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const seen = { listings: [] as URLSearchParams[], inspections: 0, inFlight: 0, most: 0 };
    const server = http.createServer((request, response) => {
      const url = new URL(request.url!, 'http://docker');
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (url.pathname === '/containers/json') {
        seen.listings.push(url.searchParams);
        return reply(
          200,
          ids.map((id) => ({ ...recordedListing[0], Id: id, Names: [`/prichal-gw-p${id}-test`] })),
        );
      }
      const id = /^\/containers\/([^/]+)\/json$/.exec(url.pathname)?.[1];
      if (!id) return reply(404, { message: 'page not found' });
      seen.inspections++;
      seen.most = Math.max(seen.most, ++seen.inFlight);
      setTimeout(() => {
        seen.inFlight--;
        if (gone.has(id)) return reply(404, { message: `No such container: ${id}` });
        reply(
          200,
          inspection((c) => void (c.Name = `/prichal-gw-p${id}-test`)),
        );
      }, 5);
    });
    await new Promise<void>((done) => server.listen(socketPath, done));
    const host: PlannedGatewayHost = { id: 'local', docker: `unix://${socketPath}` };
    return { host, seen, close: () => new Promise((done) => server.close(done)) };
  }

  it('lists the labelled containers once, then inspects each, at most 16 at once; one removed meanwhile is left out', async () => {
    const { host, seen, close } = await engine(40, new Set(['c07']));
    try {
      const read = await readGatewayHost(host);
      expect(read.ok).toBe(true);
      if (!read.ok) return;
      expect(seen.listings).toHaveLength(1);
      expect(seen.listings[0]!.get('all')).toBe('true');
      expect(JSON.parse(seen.listings[0]!.get('filters')!)).toEqual({ label: ['prichal.participant'] });
      expect(seen.inspections).toBe(40);
      expect(seen.most).toBeGreaterThan(1);
      expect(seen.most).toBeLessThanOrEqual(16);
      expect(read.value.requests).toBe(41);
      expect(read.value.containers.map((c) => c.name)).toHaveLength(39);
      expect(read.value.containers.map((c) => c.name)).not.toContain('prichal-gw-pc07-test');
      // What the check reads of a recorded inspection, and nothing of its environment but the configuration's hash.
      expect(read.value.containers[0]).toEqual({
        name: 'prichal-gw-pc00-test',
        labels: recordedInspection.Config.Labels,
        running: true,
        status: 'running',
        health: 'healthy',
        image: 'prichal/gateway:bookworm',
        configHash: shortHash(recordedConf),
        user: '33:33',
        privileged: false,
        readOnlyRootfs: true,
        capAdd: [],
        capDrop: ['ALL'],
        restart: 'unless-stopped',
        publishedPorts: [],
        networks: { 'prichal-gw-test': '10.210.0.2' },
      });
    } finally {
      await close();
    }
  });

  it('cannot check a container from the listing alone: the recorded summary lacks the read-only root, the capabilities and the environment', () => {
    const summary = recordedListing[0] as { HostConfig: Record<string, unknown>; Config?: unknown };
    expect(Object.keys(summary.HostConfig)).toEqual(['NetworkMode']);
    expect(summary.Config).toBeUndefined();
    expect(recordedInspection.HostConfig.ReadonlyRootfs).toBe(true);
    expect(recordedInspection.HostConfig.CapDrop).toEqual(['ALL']);
  });

  it('an unreachable host is a reading that says why, the cause under the error; never a throw', async () => {
    const missing: PlannedGatewayHost = { id: 'gone', docker: `unix://${path.join(tmpdir(), 'prichal-no-such.sock')}` };
    const read = await readGatewayHost(missing);
    expect(read).toEqual({ ok: false, error: expect.stringMatching(/list containers labelled prichal\.participant/) });
    expect(!read.ok && read.error).toMatch(/ENOENT/);

    // ssh:// to a loopback port just closed: the connection is refused at once.
    const server = http.createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    await new Promise((done) => server.close(done));
    const closed: PlannedGatewayHost = {
      id: 'docker-2',
      docker: `ssh://prichal@127.0.0.1:${port}`,
      hostKey: 'SHA256:DwzziGTSAfC/E1YRa1Oac2TctfeJPfz0b+Tf80QauSw',
      credentials: 'docker2',
    };
    const refused = await readGatewayHost(closed, { privateKey: utils.generateKeyPairSync('ed25519').private });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatch(
      new RegExp(`Docker host ssh://prichal@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
  });
});

describe('checking the gateways planned on a host', () => {
  const spec = recordedSpec();
  const check = (live: LiveGateway | undefined) => checkGatewayHosts([spec], new Map([['local', live ? [live] : []]]));

  it('a recorded gateway running its specification: nothing to report', () => {
    expect(gatewayDifferences(spec, liveGateway(recordedInspection))).toEqual([]);
    expect(check(liveGateway(recordedInspection))).toEqual([]);
  });

  const differences: Array<{ name: string; edit: (c: ContainerDetails) => void; en: string | RegExp }> = [
    {
      name: 'another image',
      edit: (c) => void (c.Config.Image = 'prichal/gateway:old'),
      en: 'image prichal/gateway:old, planned prichal/gateway:bookworm',
    },
    {
      name: 'another configuration',
      edit: (c) => void (c.Config.Env = [`${CONF}${recordedConf}\n# edited`]),
      en: /^configuration [0-9a-f]{16}, planned [0-9a-f]{16}$/,
    },
    {
      name: 'no configuration',
      edit: (c) => void (c.Config.Env = []),
      en: `configuration none, planned ${shortHash(recordedConf)}`,
    },
    {
      name: 'another network',
      edit: (c) => void (c.NetworkSettings.Networks = { bridge: { IPAddress: '172.17.0.5' } as never }),
      en: 'not on network prichal-gw-test (on bridge)',
    },
    {
      name: 'another address',
      edit: (c) => {
        const n = c.NetworkSettings.Networks['prichal-gw-test']!;
        n.IPAMConfig = { IPv4Address: '10.210.0.99' };
        n.IPAddress = '10.210.0.99';
      },
      en: 'address 10.210.0.99, planned 10.210.0.2',
    },
    { name: 'the image’s user', edit: (c) => void (c.Config.User = ''), en: 'user root, planned 33:33' },
    {
      name: 'a writable root',
      edit: (c) => void (c.HostConfig.ReadonlyRootfs = false),
      en: 'root filesystem writable',
    },
    { name: 'privileged', edit: (c) => void (c.HostConfig.Privileged = true), en: 'privileged' },
    {
      name: 'an added capability',
      edit: (c) => void (c.HostConfig.CapAdd = ['NET_ADMIN']),
      en: 'capabilities add [NET_ADMIN] drop [ALL], planned drop [ALL]',
    },
    {
      name: 'a published port',
      edit: (c) => void (c.HostConfig.PortBindings = { '443/tcp': [{ HostIp: '', HostPort: '8443' }] }),
      en: 'publishes ports 443/tcp',
    },
    {
      name: 'another restart policy',
      edit: (c) => void (c.HostConfig.RestartPolicy = { Name: 'no', MaximumRetryCount: 0 }),
      en: 'restart policy no, planned unless-stopped',
    },
    { name: 'unhealthy while running', edit: (c) => void (c.State.Health!.Status = 'unhealthy'), en: 'unhealthy' },
  ];

  it.each(differences)('$name: exactly that difference, in both languages, naming the host', ({ edit, en }) => {
    const findings = check(liveGateway(inspection(edit)));
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({
      requirement: 'GW-1',
      participant: 'dep-obr',
      contour: 'test',
      subject: 'prichal-gw-dep-obr-test',
      severity: 'error',
      message: en instanceof RegExp ? expect.stringMatching(en) : en,
      evidence: expect.stringMatching(/^host local: \S/),
      fix: 're-provision the gateway of dep-obr in test on host local from its specification',
    });
    expect(f!.ru!.message).not.toBe(f!.message);
    expect(f!.ru!.message).toMatch(/[а-я]/);
    expect(f!.ru!.fix).toBe('пересоздайте шлюз dep-obr в тестовом контуре на хосте local по его спецификации');
  });

  it('a stopped gateway: not running, with the command that starts it, and not also unhealthy (Docker marks a stopped container so)', () => {
    // As the lab's Docker (20.10) shows a stopped container with a health check.
    const stopped = inspection((c) => {
      c.State = { ...c.State, Status: 'exited', Running: false, Health: { ...c.State.Health!, Status: 'unhealthy' } };
    });
    expect(check(liveGateway(stopped))).toEqual([
      expect.objectContaining({
        message: 'not running (exited)',
        evidence: 'host local: State.Status: exited',
        fix: 'start it on host local: docker start prichal-gw-dep-obr-test',
        ru: {
          message: 'не работает (exited)',
          fix: 'запустите его на хосте local: docker start prichal-gw-dep-obr-test',
        },
      }),
    ]);
  });

  it('missing from its host: one finding, naming the host it was looked for on', () => {
    expect(check(undefined)).toEqual([
      {
        requirement: 'GW-1',
        participant: 'dep-obr',
        contour: 'test',
        subject: 'prichal-gw-dep-obr-test',
        severity: 'error',
        message: 'missing',
        evidence: 'host local: no container prichal-gw-dep-obr-test',
        fix: 're-provision the gateway of dep-obr in test on host local from its specification',
        ru: {
          message: 'контейнера нет',
          fix: 'пересоздайте шлюз dep-obr в тестовом контуре на хосте local по его спецификации',
        },
      },
    ]);
  });

  it('a gateway planned on one host but running on another is reported where it runs, and not as missing from its own', () => {
    const planned = recordedSpec('docker-2');
    const live = liveGateway(recordedInspection);
    const moved = checkGatewayHosts(
      [planned],
      new Map([
        ['local', [live]],
        ['docker-2', []],
      ]),
    );
    expect(moved).toEqual([
      expect.objectContaining({
        participant: 'dep-obr',
        contour: 'test',
        subject: 'prichal-gw-dep-obr-test',
        message: 'runs on host local, planned on host docker-2',
        evidence: expect.stringMatching(/^host local: labels \{.*"prichal\.participant":"dep-obr"/),
        fix: 'provision the gateway on host docker-2 from its specification, then remove it from host local (docker rm -f prichal-gw-dep-obr-test)',
        ru: expect.objectContaining({ message: 'работает на хосте local, по плану — на хосте docker-2' }),
      }),
    ]);
    // Running on both: the copy on the wrong host is the only finding.
    const twice = checkGatewayHosts(
      [planned],
      new Map([
        ['local', [live]],
        ['docker-2', [live]],
      ]),
    );
    expect(twice.map((f) => f.fix)).toEqual([
      'remove it from host local (docker rm -f prichal-gw-dep-obr-test): the gateway runs on host docker-2 as planned',
    ]);
    // Its own host not read: what the host read shows is still wrong there.
    expect(checkGatewayHosts([planned], new Map([['local', [live]]])).map((f) => f.message)).toEqual([
      'runs on host local, planned on host docker-2',
    ]);
  });

  it("reports a container with Prichal's label that no plan has, on the host it runs on", () => {
    const ghost = liveGateway(
      inspection((c) => {
        c.Name = '/prichal-gw-ghost';
        c.Config.Labels = { 'prichal.participant': 'ghost' };
      }),
    );
    expect(checkGatewayHosts([spec], new Map([['local', [liveGateway(recordedInspection), ghost]]]))).toEqual([
      {
        requirement: 'GW-1',
        participant: 'ghost',
        subject: 'prichal-gw-ghost',
        severity: 'error',
        message: "unmanaged container carrying Prichal's label",
        evidence: 'host local: labels {"prichal.participant":"ghost"}',
        fix: 'remove it from host local (docker rm -f prichal-gw-ghost) or add the participant to the inventory',
        ru: {
          message: 'неуправляемый контейнер с меткой Prichal',
          fix: 'удалите его с хоста local (docker rm -f prichal-gw-ghost) или добавьте участника в реестр',
        },
      },
    ]);
  });

  it('a host not read gives nothing for the gateways planned on it', () => {
    expect(checkGatewayHosts([recordedSpec('docker-2')], new Map([['local', []]]))).toEqual([]);
  });
});

describe('the source in a drift run over two hosts', () => {
  let plan: Plan;
  let inventory: Inventory;
  const second: PlannedGatewayHost = {
    id: 'docker-2',
    docker: 'ssh://prichal@127.0.0.1:2210',
    hostKey: 'SHA256:DwzziGTSAfC/E1YRa1Oac2TctfeJPfz0b+Tf80QauSw',
    credentials: 'docker2',
    transit: '10.200.0.253',
    slices: { test: '10.210.128.0/17', prod: '10.220.128.0/17' },
  };

  beforeAll(async () => {
    const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
    inventory = checked.validation.inventory;
    // The sample's plan on two hosts of our own: every other participant on docker-2.
    const sample = checked.plan!;
    const participants = [...new Set(sample.contours.test.registrations.map((r) => r.participant))].sort();
    const hostOf = (p: string) => (participants.indexOf(p) % 2 === 1 ? 'docker-2' : 'local');
    const place = (registrations: PlannedRegistration[]) =>
      registrations.map((r) => ({ ...r, host: hostOf(r.participant) }));
    plan = {
      ...sample,
      gatewayHosts: [{ id: 'local', docker: 'unix:///var/run/docker.sock' }, second],
      contours: {
        test: { ...sample.contours.test, registrations: place(sample.contours.test.registrations) },
        prod: { ...sample.contours.prod, registrations: place(sample.contours.prod.registrations) },
      },
    };
  });

  const operator = () => inventory.operator!.value;
  const drift = (
    gateways: (subject: GatewayHostSubject) => Promise<Collected<GatewayHostRead>>,
    declared: GatewayOptions | undefined,
  ) =>
    runChecks({
      kind: 'drift',
      at: '2026-11-23',
      inventory,
      plan,
      validation: [],
      drift: { gateways: declared, sources: [gatewaysSource], collectors: { gateways } },
    });

  it('one host unreadable: exit 3, its participants not checked and none missing; the other host still checked; requests per host recorded', async () => {
    const planned = expectedGateways(plan, operator().gateways!);
    const local = planned.filter((g) => g.host === 'local');
    const remote = planned.filter((g) => g.host === 'docker-2');
    expect(local.length).toBeGreaterThan(0);
    expect(remote.length).toBeGreaterThan(0);
    const victim = local[0]!;
    const reason = 'Docker host ssh://prichal@127.0.0.1:2210: connect ECONNREFUSED 127.0.0.1:2210';
    const result = await drift(
      async (subject) =>
        subject.host.id === 'docker-2'
          ? { ok: false, error: reason }
          : {
              ok: true,
              value: {
                containers: local.map((g) =>
                  g === victim ? { ...runningAsPlanned(g), privileged: true } : runningAsPlanned(g),
                ),
                requests: 1 + local.length,
              },
            },
      operator().gateways,
    );
    expect(exitCode(result)).toBe(3);
    expect(result.unchecked).toEqual([{ subject: gatewayHostSubject('docker-2'), requirements: ['GW-1'], reason }]);
    // The other host is checked: its tampered gateway is found, and nothing else.
    expect(result.findings.map((f) => `${f.participant} ${f.contour} ${f.message}`)).toEqual([
      `${victim.participant} ${victim.contour} privileged`,
    ]);
    const unread = new Set(remote.map((g) => g.participant));
    expect(result.findings.filter((f) => unread.has(f.participant!))).toEqual([]);
    expect(result.reads?.dockerRequests).toEqual({ local: 1 + local.length });
    expect(result.reads?.dockerCalls).toBe(1 + local.length);
    expect(result.reads?.sources?.gateways).toEqual({
      subjects: ['gateway host local', 'gateway host docker-2'],
      unreadable: ['gateway host docker-2'],
      calls: 1 + local.length,
    });
    const ajv = new Ajv({ allErrors: true, strict: true });
    (ajvFormats as unknown as { default: (a: Ajv) => void }).default(ajv);
    const validate = ajv.compile(
      JSON.parse(await readFile(path.join(PROJECT_ROOT, 'src/drift/result.schema.json'), 'utf8')),
    );
    expect(validate(JSON.parse(renderJson(result))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('both hosts read, a gateway removed from the second: a finding for its participant only', async () => {
    const planned = expectedGateways(plan, operator().gateways!);
    const victim = planned.find((g) => g.host === 'docker-2')!;
    const result = await drift(async (subject) => {
      const here = planned.filter((g) => g.host === subject.host.id && g !== victim);
      return { ok: true, value: { containers: here.map(runningAsPlanned), requests: 1 + here.length } };
    }, operator().gateways);
    expect(exitCode(result)).toBe(1);
    expect(result.unchecked).toEqual([]);
    expect(result.findings.map((f) => [f.participant, f.contour, f.message, f.evidence])).toEqual([
      [victim.participant, victim.contour, 'missing', `host docker-2: no container ${victim.name}`],
    ]);
  });

  it('without the gateways operator.yaml declares, no host is read and each is not checked, saying why', async () => {
    let reads = 0;
    const result = await drift(async () => {
      reads++;
      return { ok: false, error: 'read' };
    }, undefined);
    expect(reads).toBe(0);
    expect(result.unchecked.map((u) => [u.subject, u.requirements])).toEqual([
      ['gateway host local', ['GW-1']],
      ['gateway host docker-2', ['GW-1']],
    ]);
    expect(result.unchecked[0]!.reason).toMatch(/^operator\.yaml declares no gateways/);
  });
});
