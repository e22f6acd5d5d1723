// Flows are a set: random sequences of plan changes — endpoints added, duplicated at
// one address and port, removed, moved between participants — applied to the lab's edge-1 as
// deltas leave the live sets equal to the plan's after every step. Before flows were a set, an
// endpoint duplicated and then removed deleted the element its twin still needed, and the verify
// step passed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdgeFirewall, readTable } from '../../src/infra/firewall.js';
import type { SshConnection } from '../../src/infra/ssh.js';
import type { Inventory } from '../../src/inventory/index.js';
import { CONTOURS } from '../../src/inventory/index.js';
import { planEdges, type PlannedContour, type PlannedEdge, type PlannedEndpoint } from '../../src/plan/index.js';
import { compareTables, plannedTable } from '../../src/render/index.js';
import { checkInventory } from '../../src/requirements/index.js';
import { SAMPLE_INVENTORY } from '../helpers/inventory.js';
import { connectEdge, edge } from './lab.js';

/** Recorded so that a failure replays: fast-check prints the seed and path of the failing run. */
const SEED = 20261206;

let inventory: Inventory;
let base: Record<(typeof CONTOURS)[number], PlannedContour>;
let conn: SshConnection;
let sampleEdge: PlannedEdge;

beforeAll(async () => {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  if (!checked.ok || !checked.plan) throw new Error('the sample inventory does not validate');
  inventory = checked.validation.inventory;
  base = checked.plan.contours;
  sampleEdge = edge(checked.plan, 'edge-1');
  conn = await connectEdge(sampleEdge);
});
afterAll(async () => {
  // Leave the sample's table as the other integration tests expect it.
  await applyEdgeFirewall(conn, sampleEdge, { full: true }).catch(() => {});
  conn.close();
});

type Change =
  | { kind: 'add'; who: number; host: number; port: number }
  | { kind: 'duplicate'; who: number; which: number }
  | { kind: 'remove'; who: number; which: number }
  | { kind: 'move'; who: number; which: number; to: number };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    who: fc.nat(),
    host: fc.integer({ min: 20, max: 30 }),
    port: fc.constantFrom(443, 8443, 9443),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), who: fc.nat(), which: fc.nat() }),
  fc.record({ kind: fc.constant('remove' as const), who: fc.nat(), which: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), who: fc.nat(), which: fc.nat(), to: fc.nat() }),
);

/** The test contour's registrations on edge-1 with their endpoints, as editable copies. */
function startingPoint(): Map<string, PlannedEndpoint[]> {
  return new Map(
    base.test.registrations
      .filter((r) => r.edge === 'edge-1')
      .map((r) => [r.participant, r.endpoints.map((e) => ({ ...e }))]),
  );
}

let serial = 0;
function applyChange(endpoints: Map<string, PlannedEndpoint[]>, c: Change): void {
  const ids = [...endpoints.keys()];
  const mine = endpoints.get(ids[c.who % ids.length]!)!;
  const network = base.test.registrations.find((r) => r.participant === ids[c.who % ids.length])!.networks[0]!;
  const hostIn = (n: number) => network.replace(/\.\d+\/\d+$/, `.${n}`);
  switch (c.kind) {
    case 'add':
      mine.push({
        id: `added-${++serial}`,
        purpose: 'portal-intake',
        address: hostIn(c.host),
        port: c.port,
        protocol: 'https',
        path: '/',
      });
      return;
    case 'duplicate':
      // Another service of the same host on the same port: one set element, two endpoints.
      if (mine.length) mine.push({ ...mine[c.which % mine.length]!, id: `twin-${++serial}`, path: `/twin-${serial}` });
      return;
    case 'remove':
      if (mine.length) mine.splice(c.which % mine.length, 1);
      return;
    case 'move': {
      const other = endpoints.get(ids[c.to % ids.length]!)!;
      if (mine.length && other !== mine) other.push(...mine.splice(c.which % mine.length, 1));
      return;
    }
  }
}

function edgeOf(endpoints: Map<string, PlannedEndpoint[]>): PlannedEdge {
  const contours = {
    ...base,
    test: {
      ...base.test,
      registrations: base.test.registrations.map((r) =>
        endpoints.has(r.participant) ? { ...r, endpoints: endpoints.get(r.participant)! } : r,
      ),
    },
  };
  return planEdges(inventory, contours).find((e) => e.id === 'edge-1')!;
}

describe('flows are a set on a live edge', () => {
  it('random sequences of endpoint changes, applied as deltas, leave the live sets equal to the plan after every step', async () => {
    let deltas = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 4, maxLength: 10 }), async (changes) => {
        const endpoints = startingPoint();
        // Each sequence starts from the sample's table, applied in full (the record a delta starts from).
        await applyEdgeFirewall(conn, edgeOf(endpoints), { full: true });
        for (const c of changes) {
          applyChange(endpoints, c);
          const planned = edgeOf(endpoints);
          const applied = await applyEdgeFirewall(conn, planned);
          if (applied.mode === 'delta') deltas++;
          expect(applied.mode).not.toBe('full');
          expect(compareTables(plannedTable(planned), await readTable(conn)), JSON.stringify(c)).toEqual([]);
        }
      }),
      { seed: SEED, numRuns: 6, endOnFailure: true },
    );
    // The property is about deltas: most steps must have been applied as one.
    expect(deltas).toBeGreaterThan(10);
  }, 300_000);

  it('two endpoints at one address and port are one planned element naming both; it goes only with the last of them', () => {
    const endpoints = startingPoint();
    const [participant, list] = [...endpoints.entries()].find(([, l]) => l.length > 0)!;
    const first = list[0]!;
    list.push({ ...first, id: 'twin', path: '/twin' });
    const both = edgeOf(endpoints).egress.filter(
      (f) =>
        f.contour === 'test' &&
        f.participant === participant &&
        f.destination === first.address &&
        f.port === first.port,
    );
    expect(both).toHaveLength(1);
    expect(both[0]!.endpoint).toBe(`${first.id}/twin`);
    list.shift();
    const left = edgeOf(endpoints).egress.filter(
      (f) =>
        f.contour === 'test' &&
        f.participant === participant &&
        f.destination === first.address &&
        f.port === first.port,
    );
    expect(left.map((f) => f.endpoint)).toEqual(['twin']);
    list.pop();
    expect(
      edgeOf(endpoints).egress.filter(
        (f) =>
          f.contour === 'test' &&
          f.participant === participant &&
          f.destination === first.address &&
          f.port === first.port,
      ),
    ).toEqual([]);
  });
});
