// Drift at scale, through the workflow function `prichal drift` calls (`checks`), phase by phase:
//  1. 1,000 synthetic participants (both contours) applied to edge-1 and to two bench vhosts of
//     the lab bus; every read is real. Baseline in the same run: the unavoidable reads alone
//     (one SSH command per edge for every edge source, per gateway host one Engine API listing
//     and an inspection per container, the bus reads per contour). Gateways are not started
//     (2,000 containers); Docker is still read and GW-1 is computed for all of them.
//  2. 10,000 participants: the edge table applied for real and read for real; the Docker and
//     bus reads served from a snapshot of those sources' output for that estate (as it would be
//     when everything matches the plan), so planning and checking are timed at scale.
// Targets: 1 SSH command per edge; ratio ≤ 1.5 at 1,000; at 10,000, planning + checking
// (reads excluded) ≤ 10 s.
import { mkdtemp, rm, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyFirewalls } from '../src/workflows/context.js';
import { checkInventory } from '../src/requirements/index.js';
import {
  collectBus,
  edgeParts,
  expectedGateways,
  readEdges,
  readGatewayHost,
  SOURCES,
  type BusSubject,
  type GatewayHostSubject,
} from '../src/collect/index.js';
import type { LiveGateway } from '../src/infra/gateway-differences.js';
import { checks, type ChecksTimings } from '../src/workflows/run-checks.js';
import type { BusState } from '../src/infra/bus.js';
import { LIVE_COLLECTORS, type Collectors } from '../src/drift/run.js';
import { plannedPermission, queueName } from '../src/plan/index.js';
import type { OperatorFile } from '../src/inventory/index.js';
import type { Plan } from '../src/plan/index.js';
import { BusClient } from '../src/infra/bus.js';
import { readCredentials } from '../src/infra/secrets.js';
import { PROJECT_ROOT } from '../src/project.js';
import { busAdmin, deleteUsers } from './bus-admin.js';
import { writeSyntheticInventory } from './synthetic.js';

const COUNT = Number(process.env.BENCH_DRIFT_PARTICIPANTS ?? 1000);
const LARGE = Number(process.env.BENCH_DRIFT_LARGE ?? 10_000);
const ms = (x: number | undefined) => `${(x ?? 0).toFixed(0)} ms`;

function phases(t: ChecksTimings): string {
  return `validate ${ms(t.validateMs)}, plan ${ms(t.planMs)}, reads ${ms(t.collectMs)}, evaluate ${ms(t.evaluateMs)}, reports ${ms(t.reportMs)}`;
}

/** What the Docker and bus sources would read for an estate that matches the plan: the snapshot of stage 2. */
function snapshotOf(
  plan: Plan,
  operator: OperatorFile,
): { gateways: Record<string, LiveGateway[]>; bus: Record<'test' | 'prod', BusState> } {
  const gateways: Record<string, LiveGateway[]> = {};
  for (const spec of expectedGateways(plan, operator.gateways!))
    (gateways[spec.host] ??= []).push({
      name: spec.name,
      labels: spec.labels,
      running: true,
      status: 'running',
      health: 'healthy',
      image: spec.image,
      configHash: spec.configHash,
      user: spec.security.user,
      privileged: false,
      readOnlyRootfs: true,
      capAdd: [],
      capDrop: ['ALL'],
      restart: spec.restart,
      publishedPorts: [],
      networks: { [spec.network]: spec.address },
    });
  const bus = (contour: 'test' | 'prod'): BusState => {
    const rs = plan.contours[contour].registrations;
    return {
      vhost: operator.contours[contour].bus.vhost,
      users: rs.map((r) => r.mnemonic).sort(),
      permissions: rs.map((r) => plannedPermission(r.mnemonic)),
      queues: rs.map((r) => queueName(r.mnemonic)).sort(),
      bindings: rs.flatMap((r) => r.messageTypes.map((routingKey) => ({ queue: queueName(r.mnemonic), routingKey }))),
      exchange: true,
      requests: 5,
    };
  };
  return { gateways, bus: { test: bus('test'), prod: bus('prod') } };
}

async function large(work: string): Promise<void> {
  const dir = path.join(work, 'large');
  await writeSyntheticInventory(dir, LARGE);
  const checked = await checkInventory(dir, '2026-11-23');
  if (!checked.ok) throw new Error('synthetic inventory invalid');
  const plan = checked.plan!;
  const operator = checked.validation.inventory.operator!.value;
  // Every edge gets its planned table (edge-2's is empty here), so the estate matches the plan.
  const edges = plan.edges;
  let t = performance.now();
  await applyFirewalls(edges);
  console.log(
    `${LARGE} participants: edge table applied (${edges.map((e) => `${e.id} ${e.ingress.length + e.egress.length} elements`).join(', ')}) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  // The snapshot goes through a file, as a recorded one would.
  const file = path.join(work, 'snapshot.json');
  await writeFile(file, JSON.stringify(snapshotOf(plan, operator)));
  const snapshot = JSON.parse(await readFile(file, 'utf8')) as ReturnType<typeof snapshotOf>;
  const collectors: Collectors = {
    edges: LIVE_COLLECTORS.edges,
    gateways: async (subject: GatewayHostSubject) => {
      const containers = snapshot.gateways[subject.host.id] ?? [];
      return { ok: true as const, value: { containers, requests: 1 + containers.length } };
    },
    bus: async (subject: BusSubject) => ({ ok: true as const, value: snapshot.bus[subject.contour] }),
  };
  const timings: ChecksTimings = {};
  t = performance.now();
  const { result } = await checks({ kind: 'drift', inventory: dir, at: '2026-11-23', collectors, timings });
  const wall = performance.now() - t;
  const planAndCheck = (timings.planMs ?? 0) + (timings.evaluateMs ?? 0);
  console.log(`${LARGE} participants, drift through checks(): ${ms(wall)} (${phases(timings)})`);
  console.log(
    `planning + checking, reads excluded  ${ms(planAndCheck)}   target ≤ 10000 ms ${planAndCheck <= 10_000 ? 'met' : 'MISSED'}`,
  );
  console.log(
    `findings: ${result.findings.length} (expected 0: the estate matches the plan), not checked: ${result.unchecked.length}`,
  );
}
const VHOSTS = { test: 'bench-smev-test', prod: 'bench-smev-prod' };

async function main() {
  const dir = await mkdtemp(path.join(tmpdir(), 'prichal-driftbench-'));
  const operatorFile = path.join(dir, 'operator.yaml');
  try {
    await writeSyntheticInventory(dir, COUNT);
    // The bench runs in its own vhosts so that the sample's registrations stay untouched.
    await writeFile(
      operatorFile,
      (await readFile(operatorFile, 'utf8'))
        .replace('vhost: smev-test', `vhost: ${VHOSTS.test}`)
        .replace('vhost: smev-prod', `vhost: ${VHOSTS.prod}`),
    );
    const checked = await checkInventory(dir, '2026-11-23');
    if (!checked.ok) throw new Error('synthetic inventory invalid');
    const plan = checked.plan!;
    const operator = checked.validation.inventory.operator!.value;
    const url = operator.contours.test.bus.url;

    let t = performance.now();
    const edges = plan.edges;
    await applyFirewalls(edges);
    for (const c of ['test', 'prod'] as const) {
      const cred = operator.contours[c].bus.credentials;
      const { username } = await readCredentials(cred);
      await busAdmin('PUT', url, `/vhosts/${VHOSTS[c]}`, cred, {});
      await busAdmin('PUT', url, `/permissions/${VHOSTS[c]}/${username}`, cred, {
        configure: '.*',
        write: '.*',
        read: '.*',
      });
      const { password } = await readCredentials(cred);
      const client = new BusClient({ url, vhost: VHOSTS[c], username, password });
      const state = await client.read();
      if (state.permissions.length < plan.contours[c].registrations.length) {
        for (let i = 0; i < plan.contours[c].registrations.length; i += 16) {
          await Promise.all(plan.contours[c].registrations.slice(i, i + 16).map((r) => client.ensure(r, state)));
        }
      }
    }
    console.log(
      `applied ${COUNT} participants (firewall on ${edges.map((e) => e.id).join(', ')}, bus in ${Object.values(VHOSTS).join(', ')}) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    // Unavoidable reads alone.
    const reads = { edges: 0, docker: 0, bus: 0 };
    t = performance.now();
    const context = { plan, operator, gateways: operator.gateways };
    await readEdges(plan.edges, { parts: (edge) => edgeParts(SOURCES, edge, context) });
    reads.edges = performance.now() - t;
    t = performance.now();
    await Promise.all(plan.gatewayHosts.map((host) => readGatewayHost(host)));
    reads.docker = performance.now() - t;
    t = performance.now();
    await Promise.all((['test', 'prod'] as const).map((c) => collectBus(operator, c)));
    reads.bus = performance.now() - t;
    const floor = reads.edges + reads.docker + reads.bus;

    const timings: ChecksTimings = {};
    t = performance.now();
    const { result } = await checks({ kind: 'drift', inventory: dir, at: '2026-11-23', timings });
    const wall = performance.now() - t;
    console.log(`${COUNT} participants, drift through checks(): ${ms(wall)} (${phases(timings)})`);
    const byReq = new Map<string, number>();
    for (const f of result.findings) byReq.set(f.requirement, (byReq.get(f.requirement) ?? 0) + 1);
    console.log(
      `drift wall time (validation included) ${wall.toFixed(0).padStart(6)} ms   target ≤ 10000 ms ${wall <= 10_000 ? 'met' : 'MISSED'}`,
    );
    console.log(
      `unavoidable reads alone             ${floor.toFixed(0).padStart(6)} ms   (edges ${reads.edges.toFixed(0)}, docker ${reads.docker.toFixed(0)}, bus ${reads.bus.toFixed(0)})`,
    );
    const driftOnly = (timings.collectMs ?? 0) + (timings.evaluateMs ?? 0);
    console.log(
      `ratio (reads + evaluate) / reads alone ${(driftOnly / floor).toFixed(2).padStart(6)}      target ≤ 1.50 ${driftOnly / floor <= 1.5 ? 'met' : 'MISSED'} (planning ${ms(timings.planMs)} on top)`,
    );
    console.log(`SSH commands per edge               ${JSON.stringify(result.reads?.sshCommandsPerEdge)}`);
    console.log(`Docker API requests (list + inspect) ${JSON.stringify(result.reads?.dockerRequests)}`);
    console.log(`bus API requests per contour        ${JSON.stringify(result.reads?.busRequests)}`);
    console.log(
      `findings: ${[...byReq].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'} (GW-1: gateways deliberately not started)`,
    );
    await large(dir);
  } finally {
    // Leave the lab as the sample plans it: its firewall, no bench vhosts, no bench users.
    const sample = await checkInventory(path.join(PROJECT_ROOT, 'inventory'), '2026-11-23');
    await applyFirewalls(sample.plan!.edges);
    const op = sample.validation.inventory.operator!.value;
    const users = Array.from({ length: COUNT }, (_, i) => `ORG_${String(i).padStart(5, '0')}`);
    for (const c of ['test', 'prod'] as const)
      await busAdmin('DELETE', op.contours[c].bus.url, `/vhosts/${VHOSTS[c]}`, op.contours[c].bus.credentials);
    await deleteUsers(op.contours.test.bus.url, users, op.contours.test.bus.credentials);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
