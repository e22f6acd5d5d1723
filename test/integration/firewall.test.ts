// The edge firewall against real sshd + nftables in the lab: apply, read-back, idempotence,
// other tables untouched, rollback on a failed load and on a read-back mismatch, a connection
// killed mid-apply, and refused host keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdgeFirewall, FirewallApplyError, NFT, readTable } from '../../src/infra/firewall.js';
import { readSecret } from '../../src/infra/secrets.js';
import { SshConnection, SshError } from '../../src/infra/ssh.js';
import type { Plan, PlannedEdge } from '../../src/plan/index.js';
import { compareTables, plannedTable } from '../../src/render/index.js';
import { syntheticEdge } from '../helpers/edges.js';
import { connectEdge, edge, loadSample } from './lab.js';

let plan: Plan;
let edge1: PlannedEdge;
let conn: SshConnection;

beforeAll(async () => {
  plan = (await loadSample()).plan;
  edge1 = edge(plan, 'edge-1');
  conn = await connectEdge(edge1);
});
afterAll(async () => {
  await applyEdgeFirewall(conn, edge1).catch(() => {});
  conn.close();
});

const liveDifferences = async (c: SshConnection, e: PlannedEdge) => compareTables(plannedTable(e), await readTable(c));

describe('applyEdgeFirewall', () => {
  it('applies the planned table, reads it back equal, and converges on a repeat', async () => {
    await conn.exec(`${NFT} delete table inet prichal`, { allowFailure: true });
    const first = await applyEdgeFirewall(conn, edge1);
    expect(first).toMatchObject({ edge: 'edge-1', previous: 'absent' });
    expect(await liveDifferences(conn, edge1)).toEqual([]);
    const second = await applyEdgeFirewall(conn, edge1);
    expect(second).toMatchObject({ previous: 'present' });
    expect(await liveDifferences(conn, edge1)).toEqual([]);
  });

  it('never touches other tables on the host', async () => {
    await conn.exec(`${NFT} -f -`, { stdin: 'table ip operator_own {\n chain input {\n  type filter hook input priority 10; policy accept;\n  tcp dport 2222 counter accept\n }\n}\n' });
    const before = (await conn.exec(`${NFT} list table ip operator_own`)).stdout;
    await applyEdgeFirewall(conn, syntheticEdge(edge1, 3));
    await applyEdgeFirewall(conn, edge1);
    expect((await conn.exec(`${NFT} list table ip operator_own`)).stdout).toBe(before);
    await conn.exec(`${NFT} delete table ip operator_own`);
  });

  it('restores the previous table when the kernel rejects the new one', async () => {
    await applyEdgeFirewall(conn, edge1);
    const broken = syntheticEdge(edge1, 2);
    // Two overlapping intervals in one set: nft parses it, the kernel refuses the transaction.
    broken.ingress.push({ ...broken.ingress[0]!, source: broken.ingress[0]!.source.replace('/24', '/25') });
    const error = await applyEdgeFirewall(conn, broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FirewallApplyError);
    expect((error as FirewallApplyError).rolledBack).toBe(true);
    expect((error as Error).message).toContain('File exists');
    expect(await liveDifferences(conn, edge1)).toEqual([]);
  });

  it('restores the previous table when the read-back differs from the plan', async () => {
    await applyEdgeFirewall(conn, edge1);
    const odd = syntheticEdge(edge1, 2);
    // nft silently clears host bits, so the live element is not the planned one.
    odd.ingress[0] = { ...odd.ingress[0]!, source: odd.ingress[0]!.source.replace('.0/24', '.5/24') };
    const error = (await applyEdgeFirewall(conn, odd).catch((e: unknown) => e)) as FirewallApplyError;
    expect(error).toBeInstanceOf(FirewallApplyError);
    expect(error.differences.map((d) => d.kind).sort()).toEqual(['extra-element', 'missing-element']);
    expect(error.rolledBack).toBe(true);
    expect(await liveDifferences(conn, edge1)).toEqual([]);
  });

  it('leaves the complete old or the complete new table when the connection dies mid-apply', async () => {
    const big = syntheticEdge(edge1, 4000);
    const outcomes: string[] = [];
    for (const delayMs of [0, 3, 10, 25, 60, 120, 250, 500, 1000]) {
      await applyEdgeFirewall(conn, edge1);
      const victim = await connectEdge(edge1);
      const attempt = applyEdgeFirewall(victim, big).then(() => 'completed', (e: Error) => `failed: ${e.name}`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      victim.destroy();
      await attempt;
      const live = await readTable(conn);
      const isOld = compareTables(plannedTable(edge1), live).length === 0;
      const isNew = compareTables(plannedTable(big), live).length === 0;
      expect(isOld !== isNew, `after ${delayMs} ms the host holds ${isOld ? 'old' : isNew ? 'new' : 'a mix'}`).toBe(true);
      outcomes.push(isOld ? 'old' : 'new');
    }
    // The early kills land before nft runs: those must leave the old table.
    expect(outcomes[0]).toBe('old');
    expect(await readTable(conn)).toBeDefined();
  });
});

describe('SshConnection', () => {
  it('refuses a host whose key differs from the pinned fingerprint, naming both', async () => {
    const edge2 = edge(plan, 'edge-2');
    const key = await readSecret(edge1.ssh.credentials);
    const error = (await SshConnection.connect({ host: edge2.ssh.host, port: edge2.ssh.port, user: 'netops', hostKey: edge1.ssh.hostKey }, key).catch((e: unknown) => e)) as SshError;
    expect(error).toBeInstanceOf(SshError);
    expect(error.kind).toBe('host-key-mismatch');
    expect(error.message).toContain(edge2.ssh.hostKey);
    expect(error.message).toContain(edge1.ssh.hostKey);
    expect(error.message).not.toContain('PRIVATE KEY');
  });

  it('reports a refused key as an auth error without the key', async () => {
    const edge2 = edge(plan, 'edge-2');
    const wrongKey = await readSecret(edge2.ssh.credentials);
    const error = (await SshConnection.connect({ host: edge1.ssh.host, port: edge1.ssh.port, user: 'netops', hostKey: edge1.ssh.hostKey }, wrongKey).catch((e: unknown) => e)) as SshError;
    expect(error.kind).toBe('auth');
    expect(error.message).not.toContain(wrongKey.slice(40, 80));
  });

  it('reuses one connection for many commands and types command failures', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => conn.exec(`echo ${i}`)));
    expect(results.map((r) => r.stdout.trim())).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const error = (await conn.exec(`${NFT} list table inet no_such_table`).catch((e: unknown) => e)) as SshError;
    expect(error).toMatchObject({ kind: 'command', exitCode: 1, command: `${NFT} list table inet no_such_table` });
    expect(error.stderr).toContain('No such file or directory');
  });
});
