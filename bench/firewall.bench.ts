// Edge firewall at scale, on a real lab edge: a 10,000-participant table
// (both contours, 2 networks and 3 endpoints each: 100,000 set elements). Every figure is the
// apply workflow that `prichal firewall apply` and the engine's provider call
// (applyEdgeFirewall), timed phase by phase, against a bare `ssh host nft -f file` of the same
// ruleset measured in the same run. Loading the inventory is not counted.
// Targets: full apply ÷ bare ≤ 1.5 (goal 1.2); one participant added ÷ bare ≤ 0.2; render ≤ 1 s.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { checkInventory } from '../src/requirements/index.js';
import { applyFirewalls, connectEdge, withEdge } from '../src/workflows/context.js';
import {
  applyEdgeFirewall,
  NFT,
  type ApplyOptions,
  type ApplyResult,
  type ApplyTimings,
} from '../src/infra/firewall.js';
import type { SshConnection } from '../src/infra/ssh.js';
import { secretsDir } from '../src/infra/secrets.js';
import type { PlannedEdge } from '../src/plan/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import { renderEdgeRuleset, replaceTableTransaction } from '../src/render/index.js';
import { writeSyntheticInventory } from './synthetic.js';
import { median } from './measure.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function edgeFor(count: number, dir: string): Promise<PlannedEdge> {
  await writeSyntheticInventory(dir, count);
  const checked = await checkInventory(dir, '2026-11-23');
  if (!checked.ok) throw new Error('synthetic inventory does not validate');
  return checked.plan!.edges.find((e) => e.id === 'edge-1')!;
}

/** The edge without one participant's flows: applying the full edge after it adds exactly one participant. */
function withoutFirst(edge: PlannedEdge): PlannedEdge {
  const gone = edge.participants[0]!;
  return {
    ...edge,
    participants: edge.participants.slice(1),
    ingress: edge.ingress.filter((f) => f.participant !== gone),
    egress: edge.egress.filter((f) => f.participant !== gone),
  };
}

async function forwardRuleCount(edge: PlannedEdge): Promise<number> {
  return withEdge(edge, async (conn) => {
    await applyEdgeFirewall(conn, edge);
    const out = await conn.exec(`${NFT} -j list chain inet prichal forward`);
    return (JSON.parse(out.stdout) as { nftables: Array<Record<string, unknown>> }).nftables.filter((o) => o.rule)
      .length;
  });
}

interface Measured {
  ms: number[];
  connectMs: number[];
  timings: ApplyTimings[];
  results: ApplyResult[];
}

/** Runs `prepare` (untimed), then the apply workflow (timed, on its own connection as the CLI opens one), RUNS times. */
async function measure(
  edge: PlannedEdge,
  prepare: (conn: SshConnection) => Promise<unknown>,
  options: ApplyOptions = {},
): Promise<Measured> {
  const m: Measured = { ms: [], connectMs: [], timings: [], results: [] };
  for (let i = 0; i < RUNS; i++) {
    await withEdge(edge, prepare);
    // The CLI applies in a fresh process: the garbage of the untimed preparation (an apply of its
    // own) is collected first, so that the timed apply does not pay for it (node --expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    const t = performance.now();
    const conn = await connectEdge(edge);
    m.connectMs.push(performance.now() - t);
    const timings = {} as ApplyTimings;
    m.results.push(await applyEdgeFirewall(conn, edge, { ...options, timings }));
    conn.close();
    m.ms.push(performance.now() - t);
    m.timings.push(timings);
  }
  return m;
}

const phases = (m: Measured) =>
  `connect ${median(m.connectMs).toFixed(0)}, ` +
  (['renderMs', 'recordMs', 'diffMs', 'loadMs', 'verifyMs', 'commitMs'] as const)
    .map((k) => `${k.replace('Ms', '')} ${median(m.timings.map((t) => t[k])).toFixed(0)}`)
    .join(', ');

async function main() {
  const work = await mkdtemp(path.join(tmpdir(), 'prichal-fwbench-'));
  try {
    const small = await edgeFor(100, path.join(work, 'small'));
    const large = await edgeFor(10_000, path.join(work, 'large'));
    const lessOne = withoutFirst(large);
    const renders: number[] = [];
    let text = '';
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      text = replaceTableTransaction(renderEdgeRuleset(large).text);
      renders.push(performance.now() - t);
    }
    const smallRules = await forwardRuleCount(small);
    const largeRules = await forwardRuleCount(large);

    // Bare baseline: the same file already on the host, one OpenSSH session running nft -f.
    const local = path.join(work, 'ruleset.nft');
    await writeFile(local, text);
    const ssh = [
      '-i',
      path.join(secretsDir(), large.ssh.credentials),
      '-p',
      String(large.ssh.port),
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'LogLevel=ERROR',
      `${large.ssh.user}@${large.ssh.host}`,
    ];
    await execa('ssh', [...ssh, 'cat > /tmp/bench-ruleset.nft'], { inputFile: local });
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await execa('ssh', [...ssh, `${NFT} -f /tmp/bench-ruleset.nft`]);
      bare.push(performance.now() - t);
    }
    const b = median(bare);

    // Full replace with the record on the host (what a changed layout takes): the record's layout digest is made stale.
    const staleLayout = (conn: SshConnection) =>
      applyEdgeFirewall(conn, large).then(() =>
        conn.exec(`sed -i 's/ [0-9a-f]* / stale-layout /' .prichal/applied.meta`),
      );
    const full = await measure(large, staleLayout);
    // First apply: no table, no record.
    const first = await measure(large, (conn) =>
      conn.exec(`rm -f .prichal/applied.* && ${NFT} delete table inet prichal`),
    );
    // Forced full (--full: repairs hand edits, so the rollback copy is a listing of the live table).
    const forced = await measure(large, async () => undefined, { full: true });
    // One participant added to the 10,000-participant table, and one removed.
    const added = await measure(large, (conn) => applyEdgeFirewall(conn, lessOne));
    const removed = await measure(lessOne, (conn) => applyEdgeFirewall(conn, large));
    // Nothing changed.
    const unchanged = await measure(large, async () => undefined);

    const modes = (m: Measured) => [...new Set(m.results.map((r) => r.mode))].join('/');
    const line = (label: string, m: Measured, target?: number) => {
      const ms = median(m.ms);
      const ratio = ms / b;
      const verdict =
        target === undefined ? '' : `   target ≤ ${target.toFixed(2)} ${ratio <= target ? 'met' : 'MISSED'}`;
      console.log(
        `${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ratio ${ratio.toFixed(2).padStart(5)}${verdict}  [${modes(m)}: ${phases(m)}]`,
      );
    };
    console.log(
      `ruleset: ${large.ingress.length} participant→gateway and ${large.egress.length} gateway→endpoint elements, ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB; ${RUNS} runs, medians`,
    );
    console.log(
      `render, 10,000 participants                  ${median(renders).toFixed(0).padStart(6)} ms   target ≤ 1000 ms ${median(renders) <= 1000 ? 'met' : 'MISSED'}`,
    );
    console.log(
      `forward chain rules, 100 vs 10,000           ${smallRules} vs ${largeRules}   ${smallRules === largeRules ? 'equal' : 'DIFFERENT'}`,
    );
    console.log(`bare ssh + nft -f (baseline)                 ${b.toFixed(0).padStart(6)} ms`);
    line('full apply, record on host (layout change)', full, 1.5);
    line('full apply, first (no table)', first, 1.5);
    line('full apply, --full (backup listing)', forced);
    line('one participant added (delta)', added, 0.2);
    line('one participant removed (delta)', removed, 0.2);
    line('nothing changed', unchanged);
    const one = added.results[0]!;
    console.log(
      `delta of one participant: ${one.added} elements added, ${one.removed} removed, ${one.bytes} bytes to nft`,
    );
  } finally {
    // Leave the lab as the sample inventory plans it.
    const sample = await checkInventory(path.join(PROJECT_ROOT, 'inventory'), '2026-11-23');
    await applyFirewalls(sample.plan!.edges);
    await rm(work, { recursive: true, force: true });
  }
}

await main();
