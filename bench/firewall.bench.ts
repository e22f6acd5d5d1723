// Edge firewall at scale, on a real lab edge: render and load a ruleset for 10,000 participants
// (both contours, 2 networks and 3 endpoints each), compare the forward chain of 100 and 10,000
// participants, and Prichal's apply (connect, backup, checksum-verified load, read-back and
// semantic comparison) against a bare `ssh host nft -f file` of the same ruleset.
// Targets (issue 3): render ≤ 1 s, apply ratio ≤ 1.5.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { checkInventory } from '../src/requirements/index.js';
import { applyFirewalls, connectEdge, withEdge } from '../src/workflows/context.js';
import { applyEdgeFirewall, NFT, type ApplyTimings } from '../src/infra/firewall.js';
import { secretsDir } from '../src/infra/secrets.js';
import type { PlannedEdge } from '../src/plan/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import { renderEdgeRuleset, replaceTableTransaction } from '../src/render/index.js';
import { writeSyntheticInventory } from './synthetic.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function edgeFor(count: number, dir: string): Promise<PlannedEdge> {
  await writeSyntheticInventory(dir, count);
  const checked = await checkInventory(dir, '2026-11-23');
  if (!checked.ok) throw new Error('synthetic inventory does not validate');
  return checked.plan!.edges.find((e) => e.id === 'edge-1')!;
}

async function forwardRuleCount(edge: PlannedEdge): Promise<number> {
  return withEdge(edge, async (conn) => {
    await applyEdgeFirewall(conn, edge);
    const out = await conn.exec(`${NFT} -j list chain inet prichal forward`);
    return (JSON.parse(out.stdout) as { nftables: Array<Record<string, unknown>> }).nftables.filter((o) => o.rule).length;
  });
}

async function main() {
  const work = await mkdtemp(path.join(tmpdir(), 'prichal-fwbench-'));
  try {
    const small = await edgeFor(100, path.join(work, 'small'));
    const large = await edgeFor(10_000, path.join(work, 'large'));
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
    const ssh = ['-i', path.join(secretsDir(), large.ssh.credentials), '-p', String(large.ssh.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `${large.ssh.user}@${large.ssh.host}`];
    await execa('ssh', [...ssh, 'cat > /tmp/bench-ruleset.nft'], { inputFile: local });
    const bare: number[] = [];
    const apply: number[] = [];
    const parts: ApplyTimings[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      await execa('ssh', [...ssh, `${NFT} -f /tmp/bench-ruleset.nft`]);
      bare.push(performance.now() - t);
      t = performance.now();
      const conn = await connectEdge(large);
      const timings = {} as ApplyTimings;
      await applyEdgeFirewall(conn, large, timings);
      conn.close();
      apply.push(performance.now() - t);
      parts.push(timings);
    }
    const a = median(apply);
    const b = median(bare);
    const part = (k: keyof ApplyTimings) => median(parts.map((p) => p[k])).toFixed(0);
    console.log(`ruleset: ${large.ingress.length} participant→gateway and ${large.egress.length} gateway→endpoint elements, ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB`);
    console.log(`render, 10,000 participants          ${median(renders).toFixed(0).padStart(6)} ms   target ≤ 1000 ms ${median(renders) <= 1000 ? 'met' : 'MISSED'}`);
    console.log(`forward chain rules, 100 vs 10,000   ${smallRules} vs ${largeRules}   ${smallRules === largeRules ? 'equal' : 'DIFFERENT'}`);
    console.log(`bare ssh + nft -f (load only)        ${b.toFixed(0).padStart(6)} ms`);
    console.log(`prichal apply                        ${a.toFixed(0).padStart(6)} ms   (backup on host ${part('backupMs')} ms, upload+verify+load ${part('loadMs')} ms, read-back+compare ${part('readBackMs')} ms)`);
    console.log(`apply ratio                          ${(a / b).toFixed(2).padStart(6)}      target ≤ 1.50 ${a / b <= 1.5 ? 'met' : 'MISSED'}`);
  } finally {
    // Leave the lab as the sample inventory plans it.
    const sample = await checkInventory(path.join(PROJECT_ROOT, 'inventory'), '2026-11-23');
    await applyFirewalls(sample.plan!.edges);
    await rm(work, { recursive: true, force: true });
  }
}

await main();
