// The pure half of the delta apply: which elements change, what the journal of past deltas
// means, and the nft text of a delta and of its check. The lab half is in
// integration/firewall.test.ts.
import { describe, expect, it } from 'vitest';
import { isCanonicalCidr } from '../src/inventory/addresses.js';
import type { PlannedEdge } from '../src/plan/index.js';
import {
  blockDelta,
  blockElements,
  deltaCheck,
  deltaTransaction,
  elementBlock,
  elementsDelta,
  elementsOfRuleset,
  recordDelta,
  recordElements,
  renderedElements,
  renderEdgeRuleset,
  rulesetLayout,
  type SetName,
} from '../src/render/index.js';
import { syntheticEdge } from './helpers/edges.js';

const base: PlannedEdge = {
  id: 'edge-1',
  kind: 'vipnet-coordinator',
  transit: '10.200.0.2',
  ssh: { host: '127.0.0.1', port: 22, user: 'netops', hostKey: 'SHA256:x', credentials: 'edge1' },
  participants: [],
  ingress: [],
  egress: [],
};
const drop = (e: PlannedEdge, p: string): PlannedEdge => ({
  ...e,
  participants: e.participants.filter((x) => x !== p),
  ingress: e.ingress.filter((f) => f.participant !== p),
  egress: e.egress.filter((f) => f.participant !== p),
});
const none = (): Record<SetName, string[]> => ({ participant_to_gateway: [], gateway_to_endpoint: [] });

describe('elements of a ruleset and deltas', () => {
  const edge = syntheticEdge(base, 50);

  it('reads back from the rendered text exactly the elements it was rendered from', () => {
    expect(elementsOfRuleset(renderEdgeRuleset(edge).text)).toEqual(renderedElements(edge));
  });

  it('finds in the element blocks, by text, exactly the delta the element lists give: 2,000 seeded edits, halving down to stretches of 1 to 2,000 characters', () => {
    let seed = 11;
    const next = (n: number) => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n;
    const element = (i: number, comment = `p${i} test`) =>
      `10.${(i >> 8) & 255}.${i & 255}.0/24 . 10.210.${(i >> 8) & 255}.${i & 255} . 443 comment "${comment}"`;
    const sorted = (d: { add: string[]; remove: string[] }) => ({
      add: [...d.add].sort(),
      remove: [...d.remove].sort(),
    });
    for (let round = 0; round < 2000; round++) {
      const size = next(300);
      const before = Array.from({ length: size }, (_, i) => element(i * 2));
      const after = [...before];
      for (let edits = next(6); edits > 0; edits--) {
        const at = next(after.length + 1);
        const kind = next(3);
        if (kind === 0 && after.length) after.splice(Math.min(at, after.length - 1), 1);
        // An insertion keeps plan order (the odd numbers sit between the even ones).
        else if (kind === 1) after.splice(at, 0, element(2 * Math.max(0, at - 1) + 1));
        else if (after.length)
          after[Math.min(at, after.length - 1)] = element(Math.min(at, after.length - 1) * 2, `renamed ${round}`);
      }
      const unique = [...new Set(after)];
      expect(sorted(blockDelta(elementBlock(before), elementBlock(unique), 1 + next(2000))), `round ${round}`).toEqual(
        sorted(
          elementsDelta(
            { participant_to_gateway: before, gateway_to_endpoint: [] },
            { participant_to_gateway: unique, gateway_to_endpoint: [] },
          ).participant_to_gateway,
        ),
      );
    }
  });

  it('splits an element block back into exactly its elements (the record copy reads them so), an empty block into none', () => {
    const elements = renderedElements(edge);
    for (const set of ['participant_to_gateway', 'gateway_to_endpoint'] as const)
      expect(blockElements(elementBlock(elements[set]))).toEqual(elements[set]);
    expect(blockElements(elementBlock([]))).toEqual([]);
    expect(blockElements(elementBlock(['one']))).toEqual(['one']);
  });

  it('a participant removed in the middle is exactly its elements, by key', () => {
    const delta = elementsDelta(renderedElements(edge), renderedElements(drop(edge, 'p20')));
    expect(delta.participant_to_gateway).toEqual({ add: [], remove: ['10.100.20.0/24 . 10.210.0.22 . 443'] });
    expect(delta.gateway_to_endpoint.remove).toHaveLength(3);
    expect(delta.gateway_to_endpoint.add).toEqual([]);
  });

  it('a changed comment is a delete and a create of one key, and the check does not expect the key gone', () => {
    const renamed = {
      ...edge,
      ingress: edge.ingress.map((f) => (f.participant === 'p3' ? { ...f, participant: 'p3-renamed' } : f)),
    };
    const delta = elementsDelta(renderedElements(edge), renderedElements(renamed));
    expect(delta.participant_to_gateway.remove).toEqual(['10.100.3.0/24 . 10.210.0.5 . 443']);
    expect(delta.participant_to_gateway.add).toEqual(['10.100.3.0/24 . 10.210.0.5 . 443 comment "p3-renamed test"']);
    expect(deltaTransaction(delta)).toBe(
      'delete element inet prichal participant_to_gateway { 10.100.3.0/24 . 10.210.0.5 . 443 }\ncreate element inet prichal participant_to_gateway { 10.100.3.0/24 . 10.210.0.5 . 443 comment "p3-renamed test" }\n',
    );
    expect(deltaCheck(delta)).toBe(
      'delete element inet prichal participant_to_gateway { 10.100.3.0/24 . 10.210.0.5 . 443 }\n',
    );
  });

  it('no change is an empty transaction', () => {
    expect(deltaTransaction(elementsDelta(renderedElements(edge), renderedElements(edge)))).toBe('');
  });

  it('the layout ignores elements and sees the chain', () => {
    expect(rulesetLayout(edge)).toBe(rulesetLayout(drop(edge, 'p1')));
    expect(rulesetLayout(edge)).not.toBe(rulesetLayout({ ...edge, id: 'edge-2' }));
  });
});

describe('the record: base and journal', () => {
  const edge = syntheticEdge(base, 10);
  const text = renderEdgeRuleset(edge).text;

  it('replays the journal over the base: removed keys leave, created lines are live', () => {
    const step1 = elementsDelta(renderedElements(edge), renderedElements(drop(edge, 'p4')));
    const step2 = elementsDelta(renderedElements(drop(edge, 'p4')), renderedElements(drop(drop(edge, 'p4'), 'p7')));
    const record = recordElements(text, deltaTransaction(step1) + deltaTransaction(step2));
    const live = [...record.base.gateway_to_endpoint, ...record.created.gateway_to_endpoint].sort();
    expect(live).toEqual([...renderedElements(drop(drop(edge, 'p4'), 'p7')).gateway_to_endpoint].sort());
    // From there, back to the full edge: exactly p4's and p7's elements are created.
    const back = recordDelta(record, renderedElements(edge));
    expect(back.gateway_to_endpoint.add).toHaveLength(6);
    expect(back.gateway_to_endpoint.remove).toEqual([]);
  });

  it('an element the journal created and the plan drops is removed; one it keeps is not created again', () => {
    const fewer = drop(edge, 'p2');
    const record = recordElements(
      renderEdgeRuleset(fewer).text,
      deltaTransaction(elementsDelta(renderedElements(fewer), renderedElements(edge))),
    );
    expect(record.created.participant_to_gateway).toHaveLength(1);
    expect(deltaTransaction(recordDelta(record, renderedElements(edge)))).toBe('');
    const delta = recordDelta(record, renderedElements(fewer));
    expect(delta.participant_to_gateway).toEqual({ add: [], remove: ['10.100.2.0/24 . 10.210.0.4 . 443'] });
  });

  it('a key the journal created and deleted again was never the base’s', () => {
    const fewer = drop(edge, 'p2');
    const there = deltaTransaction(elementsDelta(renderedElements(fewer), renderedElements(edge)));
    const back = deltaTransaction(elementsDelta(renderedElements(edge), renderedElements(fewer)));
    const record = recordElements(renderEdgeRuleset(fewer).text, there + back);
    expect(record.created).toEqual(none());
    expect(record.base).toEqual(renderedElements(fewer));
  });
});

describe('isCanonicalCidr', () => {
  it.each([
    ['10.0.0.0/24', true],
    ['10.0.0.5/24', false],
    ['10.0.0.64/26', true],
    ['10.0.0.96/26', false],
    ['0.0.0.0/0', true],
    ['1.2.3.4/32', true],
    ['255.255.255.128/24', false],
  ])('%s → %s', (cidr, canonical) => expect(isCanonicalCidr(cidr)).toBe(canonical));
});
