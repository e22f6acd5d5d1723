// The edge firewall against real sshd + nftables in the lab: full replace and delta, read-back,
// idempotence, other tables untouched, rollback on a failed load and on a failed verification
// (tampered between load and verification), hand edits between two applies, a connection killed
// mid-apply on both paths, and refused host keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { applyEdgeFirewall, FirewallApplyError, localRecordFile, NFT, readTable } from '../../src/infra/firewall.js';
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
  await applyEdgeFirewall(conn, edge1, { full: true }).catch(() => {});
  conn.close();
});

const liveDifferences = async (c: SshConnection, e: PlannedEdge) => compareTables(plannedTable(e), await readTable(c));

/** The edge without one participant's flows. */
function without(e: PlannedEdge, participant: string): PlannedEdge {
  return {
    ...e,
    participants: e.participants.filter((p) => p !== participant),
    ingress: e.ingress.filter((f) => f.participant !== participant),
    egress: e.egress.filter((f) => f.participant !== participant),
  };
}
const flowsOf = (e: PlannedEdge, participant: string) =>
  [...e.ingress, ...e.egress].filter((f) => f.participant === participant).length;

describe('applyEdgeFirewall', () => {
  it('applies the planned table, reads it back equal, and converges on a repeat', async () => {
    await conn.exec(`${NFT} delete table inet prichal`, { allowFailure: true });
    const first = await applyEdgeFirewall(conn, edge1);
    expect(first).toMatchObject({ edge: 'edge-1', previous: 'absent', mode: 'full' });
    expect(await liveDifferences(conn, edge1)).toEqual([]);
    const second = await applyEdgeFirewall(conn, edge1);
    expect(second).toMatchObject({ previous: 'present', mode: 'unchanged', bytes: 0 });
    expect(await liveDifferences(conn, edge1)).toEqual([]);
    const forced = await applyEdgeFirewall(conn, edge1, { full: true });
    expect(forced).toMatchObject({ previous: 'present', mode: 'full' });
  });

  it('never touches other tables on the host', async () => {
    await conn.exec(`${NFT} -f -`, {
      stdin:
        'table ip operator_own {\n chain input {\n  type filter hook input priority 10; policy accept;\n  tcp dport 2222 counter accept\n }\n}\n',
    });
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

  it('refuses, before connecting to nft, a prefix nft would store as another one', async () => {
    await applyEdgeFirewall(conn, edge1);
    const odd = syntheticEdge(edge1, 2);
    // nft silently clears host bits: 10.100.0.5/24 would load "successfully" as 10.100.0.0/24.
    odd.ingress[0] = { ...odd.ingress[0]!, source: odd.ingress[0]!.source.replace('.0/24', '.5/24') };
    const error = (await applyEdgeFirewall(conn, odd).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/10\.100\.0\.5\/24 has host bits set/);
    expect(await liveDifferences(conn, edge1)).toEqual([]);
  });

  it('a full replace tampered between load and verification is rolled back: the layout check catches a chain edit', async () => {
    await applyEdgeFirewall(conn, edge1);
    const bigger = syntheticEdge(edge1, 3);
    const error = (await applyEdgeFirewall(conn, bigger, {
      full: true,
      beforeVerify: (c) => c.exec(`${NFT} chain inet prichal forward '{ policy accept; }'`).then(() => {}),
    }).catch((e: unknown) => e)) as FirewallApplyError;
    expect(error).toBeInstanceOf(FirewallApplyError);
    expect(error.message).toMatch(/policy is accept, planned drop/);
    expect(error.rolledBack).toBe(true);
    expect(await liveDifferences(conn, edge1)).toEqual([]);
  });

  it("a full replace with verify 'full' catches an element removed between load and verification", async () => {
    await applyEdgeFirewall(conn, edge1);
    const bigger = syntheticEdge(edge1, 3);
    const victim = bigger.egress[0]!;
    const error = (await applyEdgeFirewall(conn, bigger, {
      full: true,
      verify: 'full',
      beforeVerify: (c) =>
        c
          .exec(
            `${NFT} delete element inet prichal gateway_to_endpoint '{ ${victim.source} . ${victim.destination} . ${victim.port} }'`,
          )
          .then(() => {}),
    }).catch((e: unknown) => e)) as FirewallApplyError;
    expect(error).toBeInstanceOf(FirewallApplyError);
    expect(error.differences.map((d) => d.kind)).toEqual(['missing-element']);
    expect(error.rolledBack).toBe(true);
    expect(await liveDifferences(conn, edge1)).toEqual([]);
  });

  it.each([
    { path: 'full replace', full: true },
    { path: 'delta', full: false },
  ])(
    'leaves the complete old or the complete new table when the connection dies mid-apply ($path), and the next apply converges',
    async ({ full }) => {
      const big = syntheticEdge(edge1, 4000);
      const outcomes: string[] = [];
      for (const delayMs of [0, 3, 10, 25, 60, 120, 250, 500, 1000]) {
        await applyEdgeFirewall(conn, edge1, { full: true });
        const victim = await connectEdge(edge1);
        const attempt = applyEdgeFirewall(victim, big, { full }).then(
          (r) => r.mode,
          (e: Error) => `failed: ${e.name}`,
        );
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        victim.destroy();
        const mode = await attempt;
        if (!full && mode !== 'delta' && !mode.startsWith('failed'))
          throw new Error(`the delta case took the ${mode} path`);
        // A command the kill orphaned runs to its end under the host's lock (sshd lets it finish):
        // wait for it, then judge what it left. A listing taken while its transaction commits
        // fails, and would read as no table at all.
        await conn.exec('flock .prichal/lock true');
        const live = await readTable(conn);
        const isOld = compareTables(plannedTable(edge1), live).length === 0;
        const isNew = compareTables(plannedTable(big), live).length === 0;
        expect(isOld !== isNew, `after ${delayMs} ms the host holds ${isOld ? 'old' : isNew ? 'new' : 'a mix'}`).toBe(
          true,
        );
        outcomes.push(isOld ? 'old' : 'new');
        // Whatever the kill left (no record, or a record of the old table), the next apply ends as planned.
        await applyEdgeFirewall(conn, edge1);
        expect(await liveDifferences(conn, edge1)).toEqual([]);
      }
      // The early kills land before nft runs: those must leave the old table.
      expect(outcomes[0]).toBe('old');
    },
  );
});

describe('applyEdgeFirewall, delta path', () => {
  const someone = () => edge1.participants[0]!;

  it('sends only the changed elements, verifies them, and reads back as planned', async () => {
    await applyEdgeFirewall(conn, edge1, { full: true });
    const fewer = without(edge1, someone());
    const removed = await applyEdgeFirewall(conn, fewer);
    expect(removed).toMatchObject({ mode: 'delta', added: 0, removed: flowsOf(edge1, someone()) });
    expect(await liveDifferences(conn, fewer)).toEqual([]);
    const added = await applyEdgeFirewall(conn, edge1);
    expect(added).toMatchObject({ mode: 'delta', added: flowsOf(edge1, someone()), removed: 0 });
    expect(added.bytes).toBeLessThan(1000);
    expect(await liveDifferences(conn, edge1)).toEqual([]);
  });

  it('after several deltas, a rollback restores the last verified table (base and journal), not the base', async () => {
    await applyEdgeFirewall(conn, edge1, { full: true });
    const [a, b] = edge1.participants;
    await applyEdgeFirewall(conn, without(edge1, a!));
    const lastGood = without(without(edge1, a!), b!);
    expect((await applyEdgeFirewall(conn, lastGood)).mode).toBe('delta');
    // The next delta adds a back; one of its elements is removed by hand before the check.
    const victim = edge1.ingress.find((f) => f.participant === a)!;
    const error = (await applyEdgeFirewall(conn, without(edge1, b!), {
      beforeVerify: (c) =>
        c
          .exec(
            `${NFT} delete element inet prichal participant_to_gateway '{ ${victim.source} . ${victim.destination} . ${victim.port} }'`,
          )
          .then(() => {}),
    }).catch((e: unknown) => e)) as FirewallApplyError;
    expect(error).toBeInstanceOf(FirewallApplyError);
    expect(error.message).toMatch(/changed elements are not as planned/);
    expect(error.rolledBack).toBe(true);
    expect(await liveDifferences(conn, lastGood)).toEqual([]);
    // The rollback left no trusted record: the next apply replaces the table whole.
    expect(await applyEdgeFirewall(conn, edge1)).toMatchObject({
      mode: 'full',
      reason: 'no record of a verified apply on the host',
    });
  });

  it('a hand edit between two applies that the delta touches: the kernel refuses the delta and the table is replaced whole', async () => {
    await applyEdgeFirewall(conn, edge1, { full: true });
    const fewer = without(edge1, someone());
    await applyEdgeFirewall(conn, fewer);
    // By hand, one of the elements the next delta will create.
    const flow = edge1.egress.find((f) => f.participant === someone())!;
    await conn.exec(
      `${NFT} add element inet prichal gateway_to_endpoint '{ ${flow.source} . ${flow.destination} . ${flow.port} }'`,
    );
    const result = await applyEdgeFirewall(conn, edge1);
    expect(result.mode).toBe('full');
    expect(result.reason).toMatch(/the kernel refused the delta/);
    expect(await liveDifferences(conn, edge1)).toEqual([]);
  });

  it('a hand edit between two applies elsewhere: the delta keeps it, drift sees it, a full apply repairs it', async () => {
    await applyEdgeFirewall(conn, edge1, { full: true });
    await conn.exec(`${NFT} add element inet prichal participant_to_gateway '{ 10.97.0.0/24 . 10.210.0.249 . 22 }'`);
    const fewer = without(edge1, someone());
    expect((await applyEdgeFirewall(conn, fewer)).mode).toBe('delta');
    expect((await liveDifferences(conn, fewer)).map((d) => `${d.kind} ${d.element}`)).toEqual([
      'extra-element 10.97.0.0/24 . 10.210.0.249 . 22',
    ]);
    expect((await applyEdgeFirewall(conn, fewer, { full: true })).mode).toBe('full');
    expect(await liveDifferences(conn, fewer)).toEqual([]);
  });

  it('a chain edited by hand under an unchanged plan: the layout check sends the apply down the full path', async () => {
    await applyEdgeFirewall(conn, edge1, { full: true });
    await conn.exec(`${NFT} chain inet prichal forward '{ policy accept; }'`);
    const result = await applyEdgeFirewall(conn, edge1);
    expect(result).toMatchObject({ mode: 'full' });
    expect(result.reason).toMatch(/policy is accept/);
    expect(await liveDifferences(conn, edge1)).toEqual([]);
  });

  it('a record that does not match its digests is not trusted', async () => {
    await applyEdgeFirewall(conn, edge1, { full: true });
    await conn.exec(
      `echo 'create element inet prichal gateway_to_endpoint { 10.1.1.1 . 10.2.2.2 . 22 }' >> .prichal/applied.journal`,
    );
    const result = await applyEdgeFirewall(conn, without(edge1, someone()));
    expect(result).toMatchObject({ mode: 'full', reason: 'the record on the host does not match its digests' });
    expect(await liveDifferences(conn, without(edge1, someone()))).toEqual([]);
  });

  it("the client's copy of the record is used only while it is what the host's record names", async () => {
    await applyEdgeFirewall(conn, edge1, { full: true });
    const copy = localRecordFile(edge1.id);
    const saved = await readFile(copy, 'utf8');
    expect(saved.startsWith(`${(await conn.exec('cut -d" " -f1 .prichal/applied.meta')).stdout.trim()}\n`)).toBe(true);
    // A copy edited on the client (an element dropped, the header kept) fails its own digest:
    // the delta is computed from the host's record and still lands exactly.
    const victim = edge1.egress[0]!;
    const line = `\t\t\t${victim.source} . ${victim.destination} . ${victim.port} `;
    const edited = saved.split('\n').filter((l) => !l.startsWith(line));
    expect(edited.length).toBe(saved.split('\n').length - 1);
    await writeFile(copy, edited.join('\n'));
    expect(await applyEdgeFirewall(conn, without(edge1, someone()))).toMatchObject({ mode: 'delta' });
    expect(await liveDifferences(conn, without(edge1, someone()))).toEqual([]);
    // Another client's apply (here: the copy gone stale by an apply this client did not see) is
    // not the plan the host names: the host's record is read, and the delta is still exact.
    const stale = await readFile(copy, 'utf8');
    await applyEdgeFirewall(conn, edge1);
    await writeFile(copy, stale);
    const back = without(edge1, edge1.participants[1]!);
    expect(await applyEdgeFirewall(conn, back)).toMatchObject({ mode: 'delta' });
    expect(await liveDifferences(conn, back)).toEqual([]);
    await rm(copy, { force: true });
    expect(await applyEdgeFirewall(conn, edge1)).toMatchObject({ mode: 'delta' });
    expect(await liveDifferences(conn, edge1)).toEqual([]);
  });
});

describe('SshConnection', () => {
  it('refuses a host whose key differs from the pinned fingerprint, naming both', async () => {
    const edge2 = edge(plan, 'edge-2');
    const key = await readSecret(edge1.ssh.credentials);
    const error = (await SshConnection.connect(
      { host: edge2.ssh.host, port: edge2.ssh.port, user: 'netops', hostKey: edge1.ssh.hostKey },
      key,
    ).catch((e: unknown) => e)) as SshError;
    expect(error).toBeInstanceOf(SshError);
    expect(error.kind).toBe('host-key-mismatch');
    expect(error.message).toContain(edge2.ssh.hostKey);
    expect(error.message).toContain(edge1.ssh.hostKey);
    expect(error.message).not.toContain('PRIVATE KEY');
  });

  it('reports a refused key as an auth error without the key', async () => {
    const edge2 = edge(plan, 'edge-2');
    const wrongKey = await readSecret(edge2.ssh.credentials);
    const error = (await SshConnection.connect(
      { host: edge1.ssh.host, port: edge1.ssh.port, user: 'netops', hostKey: edge1.ssh.hostKey },
      wrongKey,
    ).catch((e: unknown) => e)) as SshError;
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
