// The channel at scale, on a real lab edge (edge-2): 5,000 leased lines, each a veth pair inside
// the edge's namespace standing for a circuit's interface (the lab's kernel has neither dummy
// interfaces nor 802.1Q), with a /31 and one declared network each. Through the functions the
// CLI and the engine call:
//   1. the first apply of the whole channel (applyChannel: read, batch, read back) — reported;
//   2. reading and checking the edge's links and routes as drift does (the edge session's one
//      command, then the edge-routes source's parse and check) — target ≤ 5 s;
//   3. one participant's route change (a targeted applyChannel) against a bare `ssh ip -batch`
//      of the same lines on a fresh connection, both measured in this run — target ≤ 2×.
// Then the channel is removed (removeEdgeChannel) and the veth pairs deleted. Nothing asserted.
//   node dist/bench/channel.bench.js [lines]      (default 5,000; needs the lab up)
import { execa } from 'execa';
import { edgeRoutes } from '../src/collect/edge-routes.js';
import { readEdges } from '../src/collect/edge-session.js';
import { applyChannel, channelReadCommands, removeEdgeChannel } from '../src/infra/channel.js';
import { withEdge } from '../src/infra/edges.js';
import { formatAddress } from '../src/inventory/index.js';
import type { Plan, PlannedLink } from '../src/plan/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import { IP, type ChannelLink, type EdgeChannel } from '../src/render/index.js';
import { checkInventory } from '../src/requirements/index.js';
import path from 'node:path';
import { median, met, timed } from './measure.js';

const LINES = Number(process.argv[2] ?? 5_000);
const EDGE_CONTAINER = 'prichal-lab-edge-2';
const RUNS = 5;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Link i: interface lbNNNNN, 10.251.0.0/16 onwards by /31, network 10.64.0.0/24 onwards by /24. */
function link(i: number): ChannelLink {
  const base = (10 << 24) | (251 << 16);
  return {
    participant: `org-${String(i).padStart(5, '0')}`,
    interface: `lb${String(i).padStart(5, '0')}`,
    vlan: null,
    address: `${formatAddress(base + 2 * i)}/31`,
    peer: formatAddress(base + 2 * i + 1),
    networks: [`${formatAddress(((10 << 24) | (64 << 16)) + 256 * i)}/24`],
  };
}

/** The circuits' interfaces as the provider would hand them over: veth pairs, both ends on the edge, up on the far side. */
async function circuits(action: 'add' | 'del'): Promise<void> {
  const lines = Array.from({ length: LINES }, (_, i) => {
    const n = String(i).padStart(5, '0');
    return action === 'add' ? `link add lb${n} type veth peer name lp${n}\nlink set lp${n} up` : `link del lb${n}`;
  });
  await execa('docker', ['exec', '-i', EDGE_CONTAINER, 'ip', '-force', '-batch', '-'], {
    input: `${lines.join('\n')}\n`,
    reject: action === 'add',
  });
}

const { plan } = await checkInventory(path.join(PROJECT_ROOT, 'inventory'));
const edge = plan!.edges.find((e) => e.id === 'edge-2')!;
const channel: EdgeChannel = {
  edge: 'edge-2',
  links: Array.from({ length: LINES }, (_, i) => link(i)),
  gatewayRoutes: [],
};
console.log(`== the channel: ${LINES} leased lines on ${edge.id}`);
await circuits('del');
const [setupMs] = await timed(() => circuits('add'));
console.log(`circuits' interfaces made: ${s(setupMs)} (not measured against anything)`);
try {
  const [firstMs, first] = await timed(() => withEdge(edge, (conn) => applyChannel(conn, channel)));
  console.log(
    `first apply: ${s(firstMs)} (${first.applied.length} ip lines; read ${s(first.timings.readMs)}, batch and read back ${s(first.timings.applyMs)})`,
  );

  // 2. Read and check as drift does: the edge session's command, then the source's parse and check.
  const linksPlan = {
    ...plan!,
    links: channel.links.map(
      (l): PlannedLink => ({
        participant: l.participant,
        edge: 'edge-2',
        link: l.address,
        edgeAddress: l.address.split('/')[0]!,
        participantAddress: l.peer,
        newAllocation: false,
        networks: l.networks,
        circuit: { interface: l.interface, vlan: null },
      }),
    ),
  } as Plan;
  const reads: number[] = [];
  const checks: number[] = [];
  let findings = 0;
  for (let run = 0; run < RUNS; run++) {
    const [readMs, [read]] = await timed(() =>
      readEdges([edge], { parts: [{ source: edgeRoutes.name, commands: channelReadCommands() }] }),
    );
    const [checkMs] = await timed(async () => {
      if (!read?.ok) throw new Error(`edge-2 unreadable: ${read && !read.ok ? read.error : ''}`);
      const part = read.value.parts[edgeRoutes.name]!;
      if (!part.ok) throw new Error(part.error);
      const value = edgeRoutes.edge.parse(part.value);
      findings = edgeRoutes.check([{ subject: { name: 'edge-2', edge }, ok: true, value, calls: 1 }], {
        plan: linksPlan,
        operator: undefined as never,
        gateways: undefined,
      }).findings.length;
    });
    reads.push(readMs);
    checks.push(checkMs);
  }
  const total = median(reads) + median(checks);
  console.log(
    `read and check (median of ${RUNS}): ${s(total)} — read ${s(median(reads))}, parse and check ${s(median(checks))}; ${findings} findings (0 expected) — target ≤ 5 s ${met(total <= 5000)}`,
  );

  // 3. One participant's route change: targeted apply against a bare ssh ip -batch of the same lines.
  const target = channel.links[LINES >> 1]!;
  const prichalRuns: number[] = [];
  const bareRuns: number[] = [];
  let current = channel;
  for (let run = 0; run < RUNS; run++) {
    const moved = {
      ...target,
      networks: [`${formatAddress(((10 << 24) | (96 << 16)) + 256 * run)}/24`],
    };
    const next = { ...current, links: current.links.map((l) => (l.participant === target.participant ? moved : l)) };
    const [ms, applied] = await timed(() =>
      withEdge(edge, (conn) => applyChannel(conn, next, { previous: current, scope: target.participant })),
    );
    prichalRuns.push(ms);
    // Back (untimed), then the very lines the targeted apply sent, bare, on a fresh connection.
    await withEdge(edge, (conn) => applyChannel(conn, current, { previous: next, scope: target.participant }));
    const [bareMs] = await timed(() =>
      withEdge(edge, (conn) => conn.exec(`${IP} -batch -`, { stdin: `${applied.applied.join('\n')}\n` })),
    );
    bareRuns.push(bareMs);
    current = next;
  }
  const ratio = median(prichalRuns) / median(bareRuns);
  console.log(
    `one participant's route change (median of ${RUNS}): targeted apply ${s(median(prichalRuns))}, bare ssh ip -batch ${s(median(bareRuns))} — ratio ${ratio.toFixed(2)} (target ≤ 2 ${met(ratio <= 2)})`,
  );

  const [removeMs, removed] = await timed(() => withEdge(edge, (conn) => removeEdgeChannel(conn, current)));
  console.log(`removal (destroy's): ${s(removeMs)}, ${removed.length} ip lines`);
} finally {
  await circuits('del');
}
