// nftables rendering: golden files for the sample edges, every ruleset accepted by `nft -c`,
// participant strings escaped, and a forward chain that does not grow with participants.
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInventory } from '../src/requirements/index.js';
import type { Plan, PlannedEdge } from '../src/plan/index.js';
import fc from 'fast-check';
import {
  FORWARD_CHAIN,
  isPlainComment,
  nftComment,
  renderEdgeRuleset,
  replaceTableTransaction,
} from '../src/render/index.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';
import { syntheticEdge } from './helpers/edges.js';

let plan: Plan;
let dir: string;
beforeAll(async () => {
  plan = (await checkInventory(SAMPLE_INVENTORY, '2026-11-23')).plan!;
  dir = await mkdtemp(path.join(tmpdir(), 'prichal-nft-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** `nft -c -f`: parses and checks against the kernel without applying anything. */
async function nftCheck(text: string): Promise<{ ok: boolean; stderr: string }> {
  const file = path.join(dir, `check-${Math.random().toString(36).slice(2)}.nft`);
  await writeFile(file, text);
  const result = await execa('nft', ['-c', '-f', file], { reject: false });
  return { ok: result.exitCode === 0, stderr: String(result.stderr) };
}

/** A hand-made edge of no lab's: the synthetic flows of the firewall tests on it. */
const syntheticEdgeLocal = (participants: number): PlannedEdge =>
  syntheticEdge(
    {
      id: 'edge-x',
      kind: 'vipnet-coordinator',
      transit: '10.200.0.2',
      ssh: { host: '127.0.0.1', port: 2201, user: 'netops', hostKey: 'SHA256:x', credentials: 'x' },
      participants: [],
      ingress: [],
      egress: [],
    },
    participants,
  );

const forwardChainRules = (text: string) => {
  const chain = text.slice(text.indexOf('chain forward {'));
  return chain.split('\n').filter((line) => /^\t\t\S/.test(line) && !line.includes('type filter hook'));
};

describe('renderEdgeRuleset', () => {
  it('matches the golden file and passes nft -c for every sample edge', async () => {
    expect(plan.edges.map((e) => e.id)).toEqual(['edge-1', 'edge-2']);
    for (const edge of plan.edges) {
      const { text } = renderEdgeRuleset(edge);
      await expect(text).toMatchFileSnapshot(`golden/nftables/${edge.id}.nft`);
      const check = await nftCheck(replaceTableTransaction(text));
      expect(check.stderr).toBe('');
      expect(check.ok).toBe(true);
    }
  });

  it('renders every planned flow of the edge exactly once, sorted', () => {
    const edge = plan.edges[0]!;
    const { text } = renderEdgeRuleset(edge);
    for (const f of [...edge.ingress, ...edge.egress])
      expect(text.split(`${f.source} . ${f.destination} . ${f.port} `).length - 1).toBe(1);
    expect(renderEdgeRuleset(edge).text).toBe(text);
  });

  it('keeps the forward chain the same size for 100 and 10,000 participants', async () => {
    const small = renderEdgeRuleset(syntheticEdgeLocal(100)).text;
    const started = performance.now();
    const large = renderEdgeRuleset(syntheticEdgeLocal(10_000)).text;
    const ms = performance.now() - started;
    expect(forwardChainRules(small)).toEqual(forwardChainRules(large));
    expect(forwardChainRules(large)).toHaveLength(FORWARD_CHAIN.rules.length);
    expect(large.split('\n').length).toBeGreaterThan(40_000);
    expect(ms).toBeGreaterThan(0);
    expect((await nftCheck(replaceTableTransaction(large))).ok).toBe(true);
  });

  it('takes a comment as written exactly when it is plain: the characters A-Z a-z 0-9 space . _ : / -, no space leading, trailing or doubled, at most 120', () => {
    const byRegex = (text: string) =>
      text.length <= 120 && /^[A-Za-z0-9 ._:/-]*$/.test(text) && !/\s{2}|^\s|\s$/.test(text);
    const alphabet = fc.constantFrom(...'aZ09 ._:/-"\t\n;#{}Шё@+'.split(''), '  ');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 130 }).map((parts) => parts.join('')),
        (text) => {
          expect(isPlainComment(text)).toBe(byRegex(text));
          if (byRegex(text)) expect(nftComment(text)).toBe(`"${text}"`);
        },
      ),
      { numRuns: 5000 },
    );
    for (const text of [
      '',
      'a',
      ' a',
      'a ',
      'a  b',
      'a b',
      'x'.repeat(120),
      'x'.repeat(121),
      'dep-obr test intake',
      'p1 prod :/_.',
    ])
      expect(isPlainComment(text)).toBe(byRegex(text));
  });

  it('never lets participant strings break out of a comment', async () => {
    const nasty = 'Школа "№1"; }\n table ip evil { chain x { type filter hook input priority 0; policy drop; } } # «x»';
    const comment = nftComment(nasty);
    expect(comment.slice(1, -1)).not.toMatch(/["\n;{}#]/);
    expect(comment.startsWith('"') && comment.endsWith('"')).toBe(true);
    expect(Buffer.byteLength(comment)).toBeLessThanOrEqual(128);
    const edge = syntheticEdgeLocal(2);
    edge.id = 'edge"; flush ruleset; #';
    for (const f of [...edge.ingress, ...edge.egress]) f.participant = nasty;
    const { text } = renderEdgeRuleset(edge);
    // The words survive inside quoted comments, but no statement of theirs does.
    expect(text.match(/^\s*table /gm)).toHaveLength(1);
    expect(text).not.toMatch(/^\s*(flush|table ip|chain x)/m);
    expect(text).not.toContain('"; flush');
    const check = await nftCheck(replaceTableTransaction(text));
    expect(check.stderr).toBe('');
    expect(check.ok).toBe(true);
  });
});
