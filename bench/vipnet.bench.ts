// The hub's ViPNet coordinator at scale, on the lab's coordinator edge (edge-1): a configuration
// with 10,000 participant nodes (written by the lab's own writer, KOI8-R, CRLF, about 2 MB) in
// place of the sample's, read, parsed and checked through the functions drift calls — the edge
// session's one command with the edge-vipnet source's part, then its parse and check — against
// a plan of 10,000 approved ViPNet participants. Target ≤ 5 s. The baseline of the same run is a
// bare `ssh cat` of the file on a fresh connection. The sample's file is written back at the end.
//   node dist/bench/vipnet.bench.js [nodes]      (default 10,000; needs the lab up)
import path from 'node:path';
import { labCoordinatorConfig, writeLabCoordinatorConfig } from '../lab/coordinator.js';
import { edgeVipnet } from '../src/collect/edge-vipnet.js';
import { readEdges } from '../src/collect/edge-session.js';
import { commandsOn } from '../src/collect/source.js';
import { withEdge } from '../src/infra/edges.js';
import { formatAddress } from '../src/inventory/index.js';
import type { Plan, PlannedCoordinator } from '../src/plan/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import { checkInventory } from '../src/requirements/index.js';
import { median, met, timed } from './measure.js';

const NODES = Number(process.argv[2] ?? 10_000);
const EDGE_CONTAINER = 'prichal-lab-edge-1';
const RUNS = 5;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const { plan } = await checkInventory(path.join(PROJECT_ROOT, 'inventory'));
const sample = plan!.coordinators.find((c) => c.edge === 'edge-1')!;
const edge = plan!.edges.find((e) => e.id === 'edge-1')!;
// Node i: network 6670, ids from 0x1a0e1000 on; one /24 each from 10.128.0.0 on.
const coordinator: PlannedCoordinator = {
  ...sample,
  tunnels: Array.from({ length: NODES }, (_, i) => ({
    participant: `org-${String(i).padStart(5, '0')}`,
    name: `Организация № ${i}`,
    network: 6670,
    node: `0x${(0x1a0e1000 + i).toString(16).padStart(8, '0')}`,
    networks: [`${formatAddress(((10 << 24) | (128 << 16)) + 256 * i)}/24`],
    approved: true,
  })),
};
const bigPlan = { ...plan!, coordinators: [coordinator] } as Plan;
const context = { plan: bigPlan, operator: undefined as never, gateways: undefined };

console.log(`== the hub's coordinator: ${NODES} participant nodes on ${edge.id}`);
const text = labCoordinatorConfig(coordinator, edge.transit);
await writeLabCoordinatorConfig(EDGE_CONTAINER, coordinator.config!, text);
console.log(`configuration written: ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB (UTF-8; KOI8-R on the edge)`);
try {
  const reads: number[] = [];
  const checks: number[] = [];
  const bare: number[] = [];
  let findings = -1;
  for (let run = 0; run < RUNS; run++) {
    const parts = [{ source: edgeVipnet.name, commands: commandsOn(edgeVipnet.edge.commands, edge, context) }];
    const [readMs, [read]] = await timed(() => readEdges([edge], { parts }));
    const [checkMs] = await timed(async () => {
      if (!read?.ok) throw new Error(`edge-1 unreadable: ${read && !read.ok ? read.error : ''}`);
      const part = read.value.parts[edgeVipnet.name]!;
      if (!part.ok) throw new Error(part.error);
      const value = edgeVipnet.edge.parse(part.value);
      findings = edgeVipnet.check([{ subject: { name: 'edge-1', edge }, ok: true, value, calls: 1 }], context).findings
        .length;
    });
    reads.push(readMs);
    checks.push(checkMs);
    const [bareMs] = await timed(() => withEdge(edge, (conn) => conn.exec(`cat ${coordinator.config}`)));
    bare.push(bareMs);
  }
  const total = median(reads) + median(checks);
  console.log(
    `read, parse and check (median of ${RUNS}): ${s(total)} — read ${s(median(reads))}, parse and check ${s(median(checks))}; ${findings} findings (0 expected) — target ≤ 5 s ${met(total <= 5000)}`,
  );
  console.log(`baseline: bare ssh cat of the file ${s(median(bare))} — ratio ${(total / median(bare)).toFixed(2)}`);
} finally {
  await writeLabCoordinatorConfig(EDGE_CONTAINER, sample.config!, labCoordinatorConfig(sample, edge.transit));
}
