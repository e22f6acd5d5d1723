// Drift against the real lab: a clean onboarding has no findings; each tamper gives exactly
// its finding; an unreachable edge gives exit 3 and a partial result. The gateways run on the
// sample's two gateway hosts (the lab's docker-1 and docker-2), each read and tampered with
// through its Docker Engine API over SSH.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCode, type CheckResult } from '../../src/drift/model.js';
import { expectedGateways } from '../../src/collect/index.js';
import { runChecks } from '../../src/drift/run.js';
import { assertPromotable, type BusClient } from '../../src/infra/bus.js';
import { EXCHANGE, queueName } from '../../src/plan/index.js';
import { docker } from '../../src/infra/docker.js';
import { type DockerHost, gatewayCreateOptions } from '../../src/infra/docker-api.js';
import { NFT } from '../../src/infra/firewall.js';
import { readCredentials } from '../../src/infra/secrets.js';
import type { ContourName, OperatorFile, Inventory } from '../../src/inventory/index.js';
import type { Plan } from '../../src/plan/index.js';
import { GATEWAY_LABELS, gatewaySpec, type GatewaySpec } from '../../src/render/index.js';
import { checkInventory } from '../../src/requirements/index.js';
import { prichal } from '../helpers/cli.js';
import { inventoryWith, removeInventory, SAMPLE_INVENTORY } from '../helpers/inventory.js';
import {
  applyChannels,
  applyFirewalls,
  busClient,
  connectEdge,
  edge,
  onGatewayHost,
  startGateways,
  withEdge,
} from './lab.js';

let plan: Plan;
let operator: OperatorFile;
let inventory: Inventory;
const buses: Partial<Record<'test' | 'prod', BusClient>> = {};
/** The unmanaged container the tampers leave on docker-2 (where tmn-sosh-12's gateways run). */
const GHOST = 'prichal-gw-ghost';

/** A participant's planned gateway in a contour, as the plan's gateway host should run it. */
function plannedGateway(contour: ContourName, participant: string): GatewaySpec {
  const registration = plan.contours[contour].registrations.find((r) => r.participant === participant);
  if (!registration) throw new Error(`${participant} is not registered in ${contour}`);
  return gatewaySpec(registration, contour, {
    image: operator.gateways!.image,
    network: operator.gateways!.network[contour],
  });
}

/** Replaces a participant's gateway on its host by a container created from its specification as `change` alters it. */
async function replaceGateway(
  contour: ContourName,
  participant: string,
  change: (spec: GatewaySpec, host: DockerHost) => Promise<void>,
): Promise<void> {
  const spec = plannedGateway(contour, participant);
  await onGatewayHost(plan, participant, async (host) => {
    await host.removeContainer(spec.name);
    await change(spec, host);
  });
}

async function onboard(): Promise<void> {
  await applyFirewalls(plan.edges);
  await applyChannels(plan);
  for (const c of ['test', 'prod'] as const) {
    await startGateways(plan, operator, c);
    const state = await buses[c]!.read();
    for (const r of plan.contours[c].registrations) {
      assertPromotable(
        c,
        r.mnemonic,
        plan.contours.test.registrations.find((t) => t.participant === r.participant)?.status,
        c === 'prod' ? await buses.test!.read() : undefined,
      );
      await buses[c]!.ensure(r, state);
    }
  }
}

const drift = (): Promise<CheckResult> =>
  runChecks({
    kind: 'drift',
    at: '2026-11-23',
    inventory,
    plan,
    validation: [],
    drift: { gateways: operator.gateways },
  });

const brief = (r: CheckResult) =>
  r.findings.map((f) => `${f.requirement} ${f.participant ?? f.subject}${f.contour ? ` ${f.contour}` : ''}`).sort();

async function adminFetch(method: string, path: string, body?: unknown): Promise<void> {
  const { username, password } = await readCredentials(operator.contours.test.bus.credentials);
  const response = await fetch(new URL(`/api${path}`, operator.contours.test.bus.url), {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
}

async function edgeExec(id: string, command: string): Promise<void> {
  await withEdge(edge(plan, id), (conn) => conn.exec(command));
}

beforeAll(async () => {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  plan = checked.plan!;
  inventory = checked.validation.inventory;
  operator = inventory.operator!.value;
  buses.test = await busClient(operator, 'test');
  buses.prod = await busClient(operator, 'prod');
  await onboard();
});
afterAll(async () => {
  await execa('docker', ['unpause', 'prichal-lab-edge-2'], { reject: false });
  await onboard();
});

describe('drift on the lab', () => {
  it('finds nothing after a clean onboarding, with one SSH command per edge and constant bus reads, each source recorded', async () => {
    const result = await drift();
    expect(brief(result)).toEqual([]);
    expect(result.unchecked).toEqual([]);
    expect(exitCode(result)).toBe(0);
    expect(result.reads?.sshCommandsPerEdge).toEqual({ 'edge-1': 1, 'edge-2': 1 });
    // Each gateway host read on its own: one listing, then one inspection per gateway it runs.
    const planned = expectedGateways(plan, operator.gateways!);
    const requests = Object.fromEntries(
      ['docker-1', 'docker-2'].map((id) => [id, 1 + planned.filter((g) => g.host === id).length]),
    );
    expect(requests['docker-1']).toBeGreaterThan(1);
    expect(requests['docker-2']).toBeGreaterThan(1);
    expect(requests['docker-1']! + requests['docker-2']!).toBe(2 + planned.length);
    expect(result.reads?.dockerRequests).toEqual(requests);
    expect(result.reads?.dockerCalls).toBe(2 + planned.length);
    expect(result.reads?.busRequests).toEqual({ test: 5, prod: 5 });
    expect(result.reads?.sources).toMatchObject({
      'edge-ruleset': { subjects: ['edge-1', 'edge-2'], unreadable: [], calls: 2 },
      gateways: {
        subjects: ['gateway host docker-1', 'gateway host docker-2'],
        unreadable: [],
        calls: 2 + planned.length,
      },
      bus: { subjects: ['bus smev-test', 'bus smev-prod'], unreadable: [], calls: 10 },
    });
  });

  it("reads each edge's addresses and routes in the same SSH command as its ruleset: the edge's own address among them", async () => {
    const result = await drift();
    expect(result.reads?.sshCommandsPerEdge).toEqual({ 'edge-1': 1, 'edge-2': 1 });
    expect(result.reads?.sources?.['edge-routes']).toEqual({
      subjects: ['edge-1', 'edge-2'],
      unreadable: [],
      calls: 4,
    });
    for (const e of plan.edges) {
      const read = result.reads?.edgeRoutes?.[e.id];
      const transit = read?.addresses.find((a) => a.startsWith(`${e.transit}/`));
      expect(transit, JSON.stringify(read)).toBeDefined();
      // The kernel's route (protocol 2) to the transit network: over the interface holding the address.
      const device = transit!.split(' ')[1];
      const kernel = read!.routes.filter((r) => new RegExp(`^\\S+ dev ${device} proto 2$`).test(r));
      expect(kernel, JSON.stringify(read!.routes)).toHaveLength(1);
    }
  });

  // `host`: the gateway host every GW-1 finding's evidence names (where the tampered container runs).
  const tampers: Array<{ name: string; tamper: () => Promise<void>; expected: string[]; host?: string }> = [
    {
      name: 'an extra accepting rule',
      tamper: () => edgeExec('edge-1', `${NFT} add rule inet prichal forward ip saddr 10.31.1.0/24 accept`),
      expected: ['FW-2 dep-obr', 'FW-3 edge-1'],
    },
    {
      name: 'a deleted rule',
      tamper: async () => {
        const conn = await connectEdge(edge(plan, 'edge-1'));
        const listing = JSON.parse((await conn.exec(`${NFT} -j -a list chain inet prichal forward`)).stdout) as {
          nftables: Array<{ rule?: { handle: number; expr: Array<Record<string, unknown>> } }>;
        };
        const invalidDrop = listing.nftables.find((o) => o.rule && JSON.stringify(o.rule.expr).includes('invalid'))!
          .rule!.handle;
        await conn.exec(`${NFT} delete rule inet prichal forward handle ${invalidDrop}`);
        conn.close();
      },
      expected: ['FW-3 edge-1'],
    },
    {
      name: 'a changed chain policy',
      tamper: () => edgeExec('edge-2', `${NFT} chain inet prichal forward '{ policy accept; }'`),
      expected: ['FW-1 edge-2', 'FW-3 edge-2'],
    },
    {
      name: 'a stopped gateway',
      tamper: () =>
        onGatewayHost(plan, 'dep-obr', (host) => host.api.getContainer('prichal-gw-dep-obr-test').stop({ t: 1 })),
      expected: ['GW-1 dep-obr test'],
      host: 'docker-1',
    },
    {
      // The lab's Docker hosts refuse privileged containers (runc cannot apply every capability
      // there): the gateway is given one capability beyond its specification instead.
      name: 'a gateway with an added capability',
      tamper: () =>
        replaceGateway('prod', 'dep-zdrav', async (spec, host) => {
          const options = gatewayCreateOptions(spec);
          const container = await host.api.createContainer({
            ...options,
            HostConfig: { ...options.HostConfig, CapAdd: ['NET_ADMIN'] },
          });
          await container.start();
        }),
      expected: ['GW-1 dep-zdrav prod'],
      host: 'docker-1',
    },
    {
      name: 'a changed gateway configuration',
      tamper: () =>
        replaceGateway('test', 'kaskara-sp', async (spec, host) => {
          const config = spec.config.replace(
            'location = /health',
            'location /debug { return 200; }\n\t\tlocation = /health',
          );
          expect(config).not.toBe(spec.config);
          await host.createGateway({ ...spec, env: { GATEWAY_CONF: config } });
        }),
      expected: ['GW-1 kaskara-sp test'],
      host: 'docker-2',
    },
    {
      name: 'an extra bus user',
      tamper: () => adminFetch('PUT', '/users/ZZ_INTRUDER', { password_hash: '', tags: 'prichal' }),
      expected: ['BUS-1 bus smev-test test'],
    },
    {
      name: 'a widened permission',
      tamper: () =>
        adminFetch('PUT', '/permissions/smev-test/TMN_DEPOBR', { configure: '.*', write: '.*', read: '.*' }),
      expected: ['BUS-1 dep-obr test'],
    },
    {
      name: 'a missing binding',
      tamper: () =>
        adminFetch(
          'DELETE',
          `/bindings/smev-test/e/${EXCHANGE}/q/${queueName('TMN_ZDRAV')}/${encodeURIComponent('urn://x-artefacts-tmn/health/referral/1.1.0#Referral')}`,
        ),
      expected: ['BUS-1 dep-zdrav test'],
    },
    {
      name: 'a production registration without a tested test registration',
      tamper: async () => {
        const hospital = plan.contours.test.registrations.find((r) => r.participant === 'obl-hospital-3')!;
        await buses.prod!.ensure(hospital);
      },
      expected: ['BUS-1 bus smev-prod prod', 'BUS-1 bus smev-prod prod', 'BUS-2 obl-hospital-3 prod'],
    },
    {
      name: "an unmanaged container with Prichal's label",
      tamper: () =>
        onGatewayHost(plan, 'tmn-sosh-12', async (host) => {
          const container = await host.api.createContainer({
            name: GHOST,
            Image: operator.gateways!.image,
            Cmd: ['sleep', 'infinity'],
            Labels: { [GATEWAY_LABELS.participant]: 'ghost' },
            HostConfig: { NetworkMode: 'none' },
          });
          await container.start();
        }),
      expected: ['GW-1 ghost'],
      host: 'docker-2',
    },
  ];

  it.each(tampers)('reports exactly its finding for $name', async ({ tamper, expected, host }) => {
    try {
      await tamper();
      const result = await drift();
      expect(brief(result)).toEqual(expected);
      expect(exitCode(result)).toBe(1);
      for (const f of result.findings) {
        expect(f.evidence.length).toBeGreaterThan(0);
        expect(f.fix.length).toBeGreaterThan(0);
        if (f.requirement === 'GW-1') expect(f.evidence).toMatch(new RegExp(`^host ${host}: `));
      }
    } finally {
      await onGatewayHost(plan, 'tmn-sosh-12', (h) => h.removeContainer(GHOST));
      await adminFetch('DELETE', '/users/ZZ_INTRUDER').catch(() => {});
      await buses.prod!.remove('TO_OB3');
      await onboard();
    }
    expect(brief(await drift())).toEqual([]);
  });

  it("prichal drift expects the gateway image and networks operator.yaml declares, not the lab's", async () => {
    const dir = await inventoryWith([
      { file: 'operator.yaml', from: 'image: prichal/gateway:bookworm', to: 'image: registry.example/acme/gateway:7' },
      { file: 'operator.yaml', from: 'test: prichal-gw-test', to: 'test: acme-gw-test' },
    ]);
    try {
      const r = await prichal(['drift', '--inventory', dir, '--format', 'json']);
      expect(r.code, r.stderr).toBe(1);
      const gw = (JSON.parse(r.stdout) as CheckResult).findings.filter((f) => f.requirement === 'GW-1');
      const of = (contour: 'test' | 'prod') => gw.filter((f) => f.contour === contour).map((f) => f.message);
      for (const contour of ['test', 'prod'] as const) {
        const messages = of(contour);
        expect(
          messages.filter((m) => m === 'image prichal/gateway:bookworm, planned registry.example/acme/gateway:7'),
        ).toHaveLength(plan.contours[contour].registrations.length);
      }
      expect(of('test').filter((m) => m === 'not on network acme-gw-test (on prichal-gw-test)')).toHaveLength(
        plan.contours.test.registrations.length,
      );
      expect(of('prod').filter((m) => m.startsWith('not on network'))).toEqual([]);
      // Read on both gateway hosts.
      expect(new Set(gw.map((f) => /^host ([\w-]+):/.exec(f.evidence)?.[1]))).toEqual(
        new Set(['docker-1', 'docker-2']),
      );
    } finally {
      await removeInventory(dir);
    }
  });

  it('reports a participant file it cannot read as INV-1 with file and line (exit 1), never leaves it out silently', async () => {
    const dir = await inventoryWith([
      { file: 'participants/tmn-sosh-12.yaml', from: 'name: ', to: 'name: [unclosed ' },
    ]);
    try {
      const r = await prichal(['drift', '--inventory', dir, '--format', 'json']);
      expect(r.code, r.stderr).toBe(1);
      const result = JSON.parse(r.stdout) as CheckResult;
      const inv = result.findings.filter((f) => f.requirement === 'INV-1');
      expect(inv.map((f) => f.file)).toEqual(['participants/tmn-sosh-12.yaml']);
      expect(inv[0]!.line).toBeGreaterThanOrEqual(1);
      expect(result.requirements).toContain('INV-1');
    } finally {
      await removeInventory(dir);
    }
  });

  it("reads an edge after the apply in progress there (the host's lock held), not as not checked", async () => {
    // An apply's hold of the host's lock, for three seconds; drift starts while it is held.
    const held = edgeExec('edge-1', 'flock .prichal/lock sleep 3');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = performance.now();
    const result = await drift();
    const waited = performance.now() - started;
    await held;
    expect(result.unchecked).toEqual([]);
    expect(brief(result)).toEqual([]);
    expect(waited).toBeGreaterThan(2_000);
  });

  it('reports an unreachable edge as not checked (exit 3), never as compliant, and still checks the rest', async () => {
    await docker(['pause', 'prichal-lab-edge-2']);
    try {
      await onGatewayHost(plan, 'tmn-sosh-12', (host) =>
        host.api.getContainer('prichal-gw-tmn-sosh-12-prod').stop({ t: 1 }),
      );
      const result = await drift();
      expect(result.unchecked.map((u) => u.subject)).toEqual(['edge-2']);
      // One subject, every requirement its SSH read informs: the firewall's and the channel's.
      expect(result.unchecked[0]!.requirements).toEqual(['FW-1', 'FW-2', 'FW-3', 'CH-4', 'CH-5']);
      expect(exitCode(result)).toBe(3);
      expect(brief(result)).toEqual(['GW-1 tmn-sosh-12 prod']);
      expect(result.reads?.sshCommandsPerEdge).toEqual({ 'edge-1': 1 });
      expect(result.reads?.sources?.['edge-ruleset']?.unreadable).toEqual(['edge-2']);
      expect(result.reads?.sources?.gateways?.unreadable).toEqual([]);
    } finally {
      await docker(['unpause', 'prichal-lab-edge-2']);
      await onboard();
    }
  });
});

describe('the nightly run: drift --all', () => {
  it('writes the metrics file beside the reports; promtool accepts it; a run that cannot check an edge keeps the last success', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'prichal-nightly-'));
    const history = path.join(out, 'history.jsonl');
    try {
      const run = () =>
        prichal([
          'drift',
          '--all',
          '--inventory',
          SAMPLE_INVENTORY,
          '--out',
          out,
          '--history',
          history,
          '--at',
          '2026-11-23',
        ]);
      expect((await run()).code).toBe(0);
      const first = await readFile(path.join(out, 'prichal.prom'), 'utf8');
      const check = await execa('promtool', ['check', 'metrics'], { input: first, reject: false });
      expect(`${check.stdout}${check.stderr}`).toBe('');
      expect(check.exitCode).toBe(0);
      expect(first).toMatch(/^prichal_unchecked_subjects\{kind="all"\} 0$/m);
      const success = /^prichal_last_success_timestamp_seconds\{kind="all"\} (\d+)$/m.exec(first)![1];

      await docker(['pause', 'prichal-lab-edge-2']);
      try {
        expect((await run()).code).toBe(3);
      } finally {
        await docker(['unpause', 'prichal-lab-edge-2']);
      }
      const second = await readFile(path.join(out, 'prichal.prom'), 'utf8');
      expect((await execa('promtool', ['check', 'metrics'], { input: second, reject: false })).exitCode).toBe(0);
      expect(second).toMatch(/^prichal_unchecked_subjects\{kind="all"\} 1$/m);
      expect(second).toContain(`prichal_last_success_timestamp_seconds{kind="all"} ${success}`);
      // The HTML report of the nightly run is Russian and shows both runs in its trend.
      const html = await readFile(path.join(out, 'all.html'), 'utf8');
      expect(html).toContain('<html lang="ru">');
      expect(html).toContain('ЧАСТИЧНО: проверено не всё');
      expect(html).toMatch(/Динамика[\s\S]*2 запуска/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('gateway specification on the real engine', () => {
  it('runs hardened on its gateway host, turns healthy and serves its rendered configuration', async () => {
    const spec = expectedGateways(plan, operator.gateways!).find(
      (s) => s.participant === 'tmn-city-admin' && s.contour === 'test',
    )!;
    expect(spec.host).toBe('docker-1');
    await onGatewayHost(plan, 'tmn-city-admin', async (host) => {
      // The first health check runs one interval (30 s) after the start.
      const deadline = Date.now() + 75_000;
      let health: string | undefined;
      while (Date.now() < deadline && health !== 'healthy') {
        health = (await host.inspectContainer(spec.name))?.State.Health?.Status;
        if (health !== 'healthy') await new Promise((r) => setTimeout(r, 500));
      }
      expect(health).toBe('healthy');
      const run = (command: string) => host.exec(spec.name, ['sh', '-c', `${command} 2>&1`], 10_000);
      const test = await run('nginx -t -c /tmp/nginx.conf');
      expect(test.stdout).toContain('syntax is ok');
      expect(test.exitCode).toBe(0);
      // The configuration it serves is the rendered one.
      expect((await run('cat /tmp/nginx.conf')).stdout).toBe(spec.config);
      expect((await run('id -u')).stdout.trim()).toBe('33');
      // The root is read-only (not merely closed to uid 33); its tmpfs is writable.
      const write = await run('touch /etc/x');
      expect(write.exitCode).not.toBe(0);
      expect(write.stdout).toContain('Read-only file system');
      expect((await run('touch /tmp/x && rm /tmp/x')).exitCode).toBe(0);
    });
  });
});
