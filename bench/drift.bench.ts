// Drift at scale on the lab: 1,000 synthetic participants (both contours) applied once to
// edge-1 and to two bench vhosts of the lab bus; then the full drift collection and checks,
// against the unavoidable reads measured alone in the same run (one `nft -j list ruleset` over
// SSH per edge, `docker ps` + one batched inspect, the bus reads per contour).
// Targets (issue 5): 1 ruleset read per edge, ratio ≤ 1.5, wall time ≤ 10 s.
// Gateways are not started for 1,000 participants (2,000 containers); Docker is still read and
// GW-1 findings are computed for all of them.
import { mkdtemp, rm, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyFirewalls } from '../src/cli/context.js';
import { checkInventory } from '../src/plan/index.js';
import { collectBus, collectEdges, collectGateways } from '../src/collect/index.js';
import { runChecks } from '../src/drift/run.js';
import { BusClient } from '../src/infra/bus.js';
import { readCredentials } from '../src/infra/secrets.js';
import { PROJECT_ROOT } from '../src/project.js';
import { writeSyntheticInventory } from './synthetic.js';

const COUNT = Number(process.env.BENCH_DRIFT_PARTICIPANTS ?? 1000);
const VHOSTS = { test: 'bench-smev-test', prod: 'bench-smev-prod' };

async function admin(method: string, url: string, apiPath: string, credentials: string, body?: unknown) {
  const { username, password } = await readCredentials(credentials);
  const response = await fetch(new URL(`/api${apiPath}`, url), { method, headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!response.ok && response.status !== 404) throw new Error(`${method} ${apiPath}: ${response.status}`);
  return response;
}

async function main() {
  const dir = await mkdtemp(path.join(tmpdir(), 'prichal-driftbench-'));
  const operatorFile = path.join(dir, 'operator.yaml');
  try {
    await writeSyntheticInventory(dir, COUNT);
    // The bench runs in its own vhosts so that the sample's registrations stay untouched.
    await writeFile(operatorFile, (await readFile(operatorFile, 'utf8')).replace('vhost: smev-test', `vhost: ${VHOSTS.test}`).replace('vhost: smev-prod', `vhost: ${VHOSTS.prod}`));
    const checked = await checkInventory(dir, '2026-11-23');
    if (!checked.ok) throw new Error('synthetic inventory invalid');
    const plan = checked.plan!;
    const operator = checked.validation.inventory.operator!.value;
    const url = operator.contours.test.bus.url;

    let t = performance.now();
    const edges = plan.edges.filter((e) => e.participants.length);
    await applyFirewalls(edges);
    for (const c of ['test', 'prod'] as const) {
      const cred = operator.contours[c].bus.credentials;
      const { username } = await readCredentials(cred);
      await admin('PUT', url, `/vhosts/${VHOSTS[c]}`, cred, {});
      await admin('PUT', url, `/permissions/${VHOSTS[c]}/${username}`, cred, { configure: '.*', write: '.*', read: '.*' });
      const { password } = await readCredentials(cred);
      const client = new BusClient({ url, vhost: VHOSTS[c], username, password });
      const state = await client.read();
      if (state.permissions.length < plan.contours[c].registrations.length) {
        for (let i = 0; i < plan.contours[c].registrations.length; i += 16) {
          await Promise.all(plan.contours[c].registrations.slice(i, i + 16).map((r) => client.ensure(r, state)));
        }
      }
    }
    console.log(`applied ${COUNT} participants (firewall on ${edges.map((e) => e.id).join(', ')}, bus in ${Object.values(VHOSTS).join(', ')}) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // Unavoidable reads alone.
    const reads = { edges: 0, docker: 0, bus: 0 };
    t = performance.now();
    await collectEdges(edges);
    reads.edges = performance.now() - t;
    t = performance.now();
    await collectGateways();
    reads.docker = performance.now() - t;
    t = performance.now();
    await Promise.all((['test', 'prod'] as const).map((c) => collectBus(operator, c)));
    reads.bus = performance.now() - t;
    const floor = reads.edges + reads.docker + reads.bus;

    t = performance.now();
    const result = await runChecks({ kind: 'drift', at: '2026-11-23', inventory: checked.validation.inventory, plan: { ...plan, edges }, drift: { gateways: operator.gateways } });
    const wall = performance.now() - t;
    const byReq = new Map<string, number>();
    for (const f of result.findings) byReq.set(f.requirement, (byReq.get(f.requirement) ?? 0) + 1);
    console.log(`drift wall time                     ${wall.toFixed(0).padStart(6)} ms   target ≤ 10000 ms ${wall <= 10_000 ? 'met' : 'MISSED'}`);
    console.log(`unavoidable reads alone             ${floor.toFixed(0).padStart(6)} ms   (edges ${reads.edges.toFixed(0)}, docker ${reads.docker.toFixed(0)}, bus ${reads.bus.toFixed(0)})`);
    console.log(`ratio wall / reads                  ${(wall / floor).toFixed(2).padStart(6)}      target ≤ 1.50 ${wall / floor <= 1.5 ? 'met' : 'MISSED'}`);
    console.log(`SSH commands per edge               ${JSON.stringify(result.reads?.sshCommandsPerEdge)}`);
    console.log(`Docker CLI calls (list + inspect)   ${result.reads?.dockerCalls}`);
    console.log(`bus API requests per contour        ${JSON.stringify(result.reads?.busRequests)}`);
    console.log(`findings: ${[...byReq].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'} (GW-1: gateways deliberately not started)`);
  } finally {
    // Leave the lab as the sample plans it: its firewall, no bench vhosts, no bench users.
    const sample = await checkInventory(path.join(PROJECT_ROOT, 'inventory'), '2026-11-23');
    await applyFirewalls(sample.plan!.edges);
    const op = sample.validation.inventory.operator!.value;
    const users = Array.from({ length: COUNT }, (_, i) => `ORG_${String(i).padStart(5, '0')}`);
    for (const c of ['test', 'prod'] as const) await admin('DELETE', op.contours[c].bus.url, `/vhosts/${VHOSTS[c]}`, op.contours[c].bus.credentials);
    await admin('POST', op.contours.test.bus.url, '/users/bulk-delete', op.contours.test.bus.credentials, { users });
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
