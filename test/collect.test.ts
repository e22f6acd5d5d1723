// The live sources as a table, without the lab: the edge command's framing run by a real shell,
// reads replaced by offline or recorded ones, what the engine makes of them, and the table's
// rows themselves.
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { Ajv } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  commandsOn,
  edgeCommand,
  isEdgeSource,
  partsOn,
  readSources,
  SOURCES,
  splitEdgeOutput,
  type Collectors,
  type EdgePart,
  type EdgeSession,
  type EdgeSource,
  type EdgeSubject,
  type HostSource,
  type LiveContext,
} from '../src/collect/index.js';
import { compact, edgeRoutes } from '../src/collect/edge-routes.js';
import { unreadable } from '../src/collect/source.js';
import { BusClient, BusError } from '../src/infra/bus.js';
import { runChecks, type DriftOptions } from '../src/drift/run.js';
import type { Inventory } from '../src/inventory/index.js';
import type { Plan } from '../src/plan/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import { renderHtmlReport, renderJson, renderMarkdown } from '../src/report/index.js';
import { checkInventory, LIVE_REQUIREMENTS } from '../src/requirements/index.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

let plan: Plan;
let inventory: Inventory;
let context: LiveContext;

beforeAll(async () => {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  plan = checked.plan!;
  inventory = checked.validation.inventory;
  const operator = inventory.operator!.value;
  context = { plan, operator, gateways: operator.gateways };
});

/** Runs the edge command here, as the edge's shell would. */
async function runHere(parts: readonly EdgePart[]) {
  const r = await execa('sh', ['-c', edgeCommand(parts)]);
  return splitEdgeOutput(r.stdout, r.stderr, parts);
}

const drift = (options: DriftOptions) =>
  runChecks({ kind: 'drift', at: '2026-11-23', inventory, plan, validation: [], drift: options });

const offline: Collectors = {
  edges: async (edges) => edges.map((e) => ({ edge: e.id, ok: false as const, error: 'offline' })),
  gateways: async () => ({ ok: false as const, error: 'docker offline' }),
  bus: async () => ({ ok: false as const, error: 'bus offline' }),
};

describe("an edge's one command", () => {
  it("gives each part its outputs in order, a failed command only its own part's error, output with or without a final newline", async () => {
    const parts = [
      { source: 'first', commands: ['echo \'{"a":1}\'', "printf '[1,\\n2]'"] },
      { source: 'failing', commands: ['echo fine', "echo 'no such tool' >&2; exit 127", 'echo never'] },
      { source: 'last', commands: ['true'] },
    ];
    expect(await runHere(parts)).toEqual({
      first: { ok: true, value: ['{"a":1}', '[1,\n2]'] },
      failing: { ok: false, error: "'echo 'no such tool' >&2; exit 127' exited 127: no such tool" },
      last: { ok: true, value: [''] },
    });
  });

  it('reads a part that never ran (the command cut short) as not finished, not as empty', () => {
    const parts = [{ source: 'cut', commands: ['cat big'] }];
    expect(splitEdgeOutput('#prichal cut 0\n{"half', '', parts)).toEqual({
      cut: { ok: false, error: "'cat big' did not finish" },
    });
    expect(splitEdgeOutput('', '', parts).cut).toMatchObject({ ok: false });
  });
});

describe('reading the table', () => {
  it('an edge source whose command fails is unread on that edge; the edge sources sharing the session are not', async () => {
    const good: EdgeSource<string> = {
      name: 'good',
      informs: [],
      edge: { commands: ['a'], parse: ([out]) => out! },
      check: () => ({ findings: [] }),
    };
    const bad: EdgeSource<string> = {
      name: 'bad',
      informs: ['FW-3'],
      edge: {
        commands: ['b'],
        parse: () => {
          throw new Error('not JSON');
        },
      },
      check: () => ({ findings: [] }),
    };
    const sessions: string[][] = [];
    const session: EdgeSession = async (edges, { parts, onDone }) =>
      edges.map((e) => {
        sessions.push(partsOn(parts, e).map((p) => p.source));
        onDone?.();
        return {
          edge: e.id,
          ok: true as const,
          value: { parts: { good: { ok: true, value: ['out'] }, bad: { ok: true, value: ['x'] } }, sshCommands: 1 },
        };
      });
    const ticks: string[] = [];
    const read = await readSources([good, bad], context, {
      collectors: { edges: session },
      progress: (done, total) => ticks.push(`${done}/${total}`),
    });
    expect(sessions).toEqual(plan.edges.map(() => ['good', 'bad']));
    expect(ticks).toEqual(plan.edges.map((_, i) => `${i + 1}/${plan.edges.length}`));
    expect(read.sshCommandsPerEdge).toEqual(Object.fromEntries(plan.edges.map((e) => [e.id, 1])));
    const [goodReads, badReads] = read.sources.map((s) => s.readings);
    expect(goodReads!.every((r) => r.ok && r.value === 'out' && r.calls === 1)).toBe(true);
    expect(badReads!.map((r) => !r.ok && r.error)).toEqual(plan.edges.map(() => 'b: output not understood (not JSON)'));
  });

  it('offline: every subject of every source unread, drift says not checked in the order of the table, exit 3', async () => {
    const result = await drift({ gateways: context.gateways, collectors: offline });
    // One entry per subject, in the order of the table: an edge's session informs every edge
    // source's requirements (its ruleset and its channel), unread together.
    const informing = SOURCES.filter((s) => s.informs.length);
    // A source with nothing to read on an edge (the coordinator's audit on an edge that is none) informs nothing there.
    const edgeRequirements = (edge: (typeof plan.edges)[number]) =>
      informing
        .filter(isEdgeSource)
        .filter((s) => commandsOn(s.edge.commands, edge, context).length)
        .flatMap((s) => s.informs);
    expect(result.unchecked).toEqual([
      ...plan.edges.map((e) => ({ subject: e.id, requirements: edgeRequirements(e), reason: 'offline' })),
      ...informing
        .filter((s) => !isEdgeSource(s))
        .flatMap((s) =>
          (s as HostSource).subjects(context).map((x) => ({
            subject: x.name,
            requirements: [...s.informs],
            reason: s.name === 'gateways' ? 'docker offline' : 'bus offline',
          })),
        ),
    ]);
    expect(edgeRequirements(plan.edges[0]!)).toEqual([
      'FW-1',
      'FW-2',
      'FW-3',
      'CH-4',
      'CH-5',
      'CH-6',
      'CH-7',
      'CH-8',
      'CH-9',
    ]);
    expect(edgeRequirements(plan.edges[1]!)).toEqual(['FW-1', 'FW-2', 'FW-3', 'CH-4', 'CH-5']);
    expect(result.unchecked.map((u) => u.subject)).toEqual([
      'edge-1',
      'edge-2',
      ...plan.gatewayHosts.map((h) => `gateway host ${h.id}`),
      'bus smev-test',
      'bus smev-prod',
    ]);
    expect(result.findings).toEqual([]);
    expect(result.reads).toMatchObject({ sshCommandsPerEdge: {}, dockerCalls: 0, dockerRequests: {}, busRequests: {} });
    expect(result.reads?.sources?.['edge-ruleset']).toEqual({
      subjects: ['edge-1', 'edge-2'],
      unreadable: ['edge-1', 'edge-2'],
      calls: 0,
    });
    expect(Object.keys(result.reads?.sources ?? {})).toEqual(SOURCES.map((s) => s.name));
  });

  it('a recorded snapshot of a source replaces its read by name; the result records each source and follows the schema', async () => {
    const operator = inventory.operator!.value;
    const recorded: Collectors = {
      ...offline,
      gateways: async () => ({ ok: true as const, value: { containers: [], requests: 1 } }),
    };
    const result = await drift({ gateways: operator.gateways, collectors: recorded });
    const hosts = plan.gatewayHosts.map((h) => h.id);
    expect(result.reads?.dockerCalls).toBe(hosts.length);
    expect(result.reads?.dockerRequests).toEqual(Object.fromEntries(hosts.map((h) => [h, 1])));
    expect(result.reads?.sources?.gateways).toEqual({
      subjects: hosts.map((h) => `gateway host ${h}`),
      unreadable: [],
      calls: hosts.length,
    });
    // Every planned gateway is missing from its recorded (empty) Docker host.
    const planned = plan.contours.test.registrations.length + plan.contours.prod.registrations.length;
    expect(result.findings.filter((f) => f.message === 'missing')).toHaveLength(planned);
    const ajv = new Ajv({ allErrors: true, strict: true });
    (ajvFormats as unknown as { default: (a: Ajv) => void }).default(ajv);
    const validate = ajv.compile(
      JSON.parse(await readFile(path.join(PROJECT_ROOT, 'src/drift/result.schema.json'), 'utf8')),
    );
    expect(validate(JSON.parse(renderJson(result))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('without the gateways operator.yaml declares, Docker is not read and GW-1 is not checked, once per host', async () => {
    const result = await drift({ gateways: undefined, collectors: offline });
    expect(result.unchecked.filter((u) => u.subject.startsWith('gateway host '))).toEqual(
      plan.gatewayHosts.map((h) => ({
        subject: `gateway host ${h.id}`,
        requirements: ['GW-1'],
        reason:
          'operator.yaml declares no gateways (image and network per contour), so there is nothing to compare the containers with',
      })),
    );
    expect(result.reads?.sources?.gateways).toEqual({ subjects: [], unreadable: [], calls: 0 });
  });
});

describe('the table', () => {
  it('names each source once, in words a marker line and a JSON key can carry', () => {
    const names = SOURCES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("informs exactly the catalogue's live requirements between its rows (INV-1 is every run's, from validation)", () => {
    expect(new Set([...SOURCES.flatMap((s) => s.informs), 'INV-1'])).toEqual(new Set(LIVE_REQUIREMENTS));
  });
});

describe('the edge-routes source', () => {
  const recorded = (name: string) => readFile(path.join(PROJECT_ROOT, 'test/fixtures/edge-routes', name), 'utf8');

  it("reads a lab edge's recorded `ip -j addr` and `ip -j route` and reports them in compact lines", async () => {
    const read = edgeRoutes.edge.parse([await recorded('ip-j-addr.json'), await recorded('ip-j-route.json')]);
    expect(compact(read).addresses).toEqual([
      '127.0.0.1/8 lo',
      '10.200.0.3/24 eth4',
      '10.34.3.254/24 eth1',
      '10.32.0.254/24 eth2',
      '10.32.1.254/24 eth3',
      '172.30.99.3/24 eth0',
    ]);
    // Recorded without -N: the protocol by name where ip knows one; a route added without one is boot (3).
    expect(compact(read).routes).toEqual([
      '0.0.0.0/0 via 172.30.99.1 dev eth0 proto 3',
      '10.32.0.0/24 dev eth2 proto kernel',
      '10.32.1.0/24 dev eth3 proto kernel',
      '10.34.3.0/24 dev eth1 proto kernel',
      '10.200.0.0/24 dev eth4 proto kernel',
      '10.210.0.0/16 via 10.200.0.254 dev eth4 proto 3',
      '10.220.0.0/16 via 10.200.0.254 dev eth4 proto 3',
      '172.30.99.0/24 dev eth0 proto kernel',
    ]);
  });

  it('keeps IPv4 addresses, route types other than unicast and metrics; refuses output that is not a listing', () => {
    const addresses = JSON.stringify([
      { ifname: 'eth0', addr_info: [{ family: 'inet6', local: 'fd00::1', prefixlen: 64 }] },
      { ifname: 'eth1', addr_info: [{ family: 'inet', local: '10.250.0.0', prefixlen: 31 }] },
    ]);
    const routes = JSON.stringify([
      { type: 'blackhole', dst: '10.99.0.0/16', flags: [] },
      { dst: '10.98.0.0/16', gateway: '10.200.0.254', dev: 'eth4', protocol: '245', metric: 100, flags: [] },
    ]);
    expect(compact(edgeRoutes.edge.parse([addresses, routes]))).toEqual({
      addresses: ['10.250.0.0/31 eth1'],
      routes: ['blackhole 10.99.0.0/16 proto 3', '10.98.0.0/16 via 10.200.0.254 dev eth4 proto 245 metric 100'],
    });
    expect(() => edgeRoutes.edge.parse(['{"error": 1}', '[]'])).toThrow('ip -j addr did not list an array');
    expect(() => edgeRoutes.edge.parse(['Object "addr" is unknown', '[]'])).toThrow();
  });

  it('informs CH-4 and CH-5: an edge it cannot read leaves them unchecked; what it read is in the reports', async () => {
    const edge = plan.edges[0]!.id;
    const live = edgeRoutes.edge.parse([
      JSON.stringify([{ ifname: 'eth7', addr_info: [{ family: 'inet', local: '10.200.0.2', prefixlen: 24 }] }]),
      JSON.stringify([{ dst: '10.210.0.0/16', gateway: '10.200.0.254', dev: 'eth7', flags: [] }]),
    ]);
    const result = await drift({
      gateways: context.gateways,
      collectors: {
        ...offline,
        'edge-routes': async (subject: EdgeSubject) =>
          subject.name === edge ? { ok: true as const, value: live } : { ok: false as const, error: 'no ip' },
      },
    });
    expect(result.reads?.edgeRoutes).toEqual({
      [edge]: { addresses: ['10.200.0.2/24 eth7'], routes: ['10.210.0.0/16 via 10.200.0.254 dev eth7 proto 3'] },
    });
    expect(result.reads?.sources?.['edge-routes']).toEqual({
      subjects: plan.edges.map((e) => e.id),
      unreadable: plan.edges.slice(1).map((e) => e.id),
      calls: 2,
    });
    // The edge's ruleset is offline too: one subject, both reasons, every requirement.
    expect(result.unchecked.filter((u) => u.reason.includes('no ip')).map((u) => [u.subject, u.reason])).toEqual(
      plan.edges.slice(1).map((e) => [e.id, 'offline; no ip']),
    );
    expect(result.unchecked.find((u) => u.subject === plan.edges[1]!.id)!.requirements).toEqual(
      expect.arrayContaining(['CH-4', 'CH-5']),
    );
    expect(renderMarkdown(result, { lang: 'en', timeZone: 'UTC' })).toContain(
      `## Edge addresses and routes\n\n| Edge | Addresses | Routes |\n|---|---|---|\n| ${edge} | 1 | 1 |`,
    );
    expect(renderHtmlReport(result, { lang: 'ru', timeZone: 'UTC', participants: {} })).toContain(
      `<h2>Адреса и маршруты пограничных узлов</h2><table><thead><tr><th>Узел</th><th>Адреса</th><th>Маршруты</th></tr></thead><tbody><tr><td>${edge}</td><td>1</td><td>1</td></tr>`,
    );
  });
});

describe('why a subject could not be read keeps the whole chain', () => {
  it('an unreachable bus is "not checked" with the socket error under the fetch error, and no password', async () => {
    // A loopback port just closed: nothing listens, the connection is refused at once.
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    await new Promise((done) => server.close(done));
    const client = new BusClient({
      url: `http://127.0.0.1:${port}`,
      vhost: 'smev-test',
      username: 'u',
      password: 'pw-canary-41',
    });
    const error = await client.read().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BusError);
    expect((error as Error).cause).toBeDefined();
    const reason = unreadable(error);
    expect(reason).toMatch(/unreachable \(fetch failed\)/);
    expect(reason).toMatch(/ECONNREFUSED/);
    expect(reason).not.toContain('pw-canary-41');
  });
});

describe('the bus client', () => {
  it('tries a request again when its connection fails before an answer (a reset kept-alive connection)', async () => {
    let connections = 0;
    const server = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    // The first two connections are cut before any answer; the requests they carried are tried again.
    server.on('connection', (socket) => {
      if (++connections <= 2) socket.destroy();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const client = new BusClient({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        vhost: 'smev-test',
        username: 'u',
        password: 'pw',
      });
      await expect(client.read()).resolves.toBeDefined();
      expect(connections).toBeGreaterThan(2);
      expect(client.requests).toBeGreaterThanOrEqual(7);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
