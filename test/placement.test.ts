// Property tests for gateway placement across hosts (fast-check): through the whole plan (hosts,
// addresses, allocations.yaml written and read back) and, for capacities, the placement alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseSource, validateLoaded, type LoadedInventory } from '../src/inventory/index.js';
import { allocatePlan, materializePlan, placeGateways, renderAllocations, type Plan } from '../src/plan/index.js';
import { REQUIREMENT_RULES } from '../src/requirements/index.js';
import { operator, participant } from './helpers/build.js';

const RUNS = { numRuns: 25 };

/** Host k (k ≥ 1) holds the /20s at 10.210.16k.0 and 10.220.16k.0; the first host the rest of the pools. */
function host(k: number, capacity?: number) {
  const base = { id: `host-${k}`, ...(capacity !== undefined ? { capacity } : {}) };
  if (k === 0) return { ...base, docker: 'unix:///var/run/docker.sock' };
  return {
    ...base,
    docker: `ssh://prichal@10.0.0.${k}:22`,
    hostKey: `SHA256:${'C'.repeat(43)}`,
    credentials: `docker${k}`,
    transit: `10.200.1.${k}`,
    slices: { test: `10.210.${16 * k}.0/20`, prod: `10.220.${16 * k}.0/20` },
  };
}

// One participant object per id for the whole file: its networks and ViPNet node stay the same across plans.
const participants = new Map<string, ReturnType<typeof participant>>();
const participantFor = (id: string) => {
  if (!participants.has(id)) participants.set(id, participant(id));
  return participants.get(id)!;
};

/** The plan of in-memory files; throws on any error finding (the inputs are all valid). */
function planOf(
  hosts: ReturnType<typeof host>[],
  ids: readonly string[],
  allocations?: object,
  moves?: Map<string, string>,
): Plan {
  const op = {
    ...operator(),
    gateways: { image: 'prichal/gateway:1', network: { test: 'gw-test', prod: 'gw-prod' }, hosts },
  };
  const load = (file: string, data: object) => parseSource(file, stringify(data)).loaded;
  const loaded: LoadedInventory = {
    root: '/in-memory',
    operator: load('operator.yaml', op),
    participants: ids.map((id) => load(`participants/${id}.yaml`, participantFor(id))),
    allocations: allocations ? load('allocations.yaml', allocations) : undefined,
    listed: [],
  };
  const validation = validateLoaded(loaded, [], { at: '2026-11-23', rules: REQUIREMENT_RULES });
  const { allocated, findings } = allocatePlan(validation.inventory, loaded.allocations, [], moves ? { moves } : {});
  const errors = [...validation.findings, ...findings].filter((f) => f.severity === 'error');
  if (errors.length) throw new Error(errors.map((f) => `${f.code} ${f.path}: ${f.message}`).join('\n'));
  return materializePlan(allocated!);
}

/** Per participant, its host and its gateway address per contour. */
const placed = (plan: Plan) =>
  new Map(
    plan.contours.test.registrations.map((r) => [
      r.participant,
      `${r.host} ${r.gateway} ${plan.contours.prod.registrations.find((p) => p.participant === r.participant)?.gateway}`,
    ]),
  );
const recorded = (plan: Plan) => parse(renderAllocations(plan)) as object;

const participantId = fc.stringMatching(/^[a-z][a-z0-9]{2,10}$/);
const ids = fc.uniqueArray(participantId, { minLength: 1, maxLength: 12 });
const hostCount = fc.integer({ min: 1, max: 4 });

describe('gateway placement', () => {
  it('adding a host never changes an existing participant’s host or address', () => {
    fc.assert(
      fc.property(ids, hostCount, (owners, n) => {
        const hosts = Array.from({ length: n }, (_, k) => host(k));
        const before = planOf(hosts, owners);
        const after = planOf([...hosts, host(n)], owners, recorded(before));
        expect(placed(after)).toEqual(placed(before));
      }),
      RUNS,
    );
  });

  it('adding a participant never moves another', () => {
    fc.assert(
      fc.property(ids, hostCount, participantId, (owners, n, newcomer) => {
        fc.pre(!owners.includes(newcomer));
        const hosts = Array.from({ length: n }, (_, k) => host(k));
        const before = placed(planOf(hosts, owners));
        const after = placed(planOf(hosts, [...owners, newcomer], recorded(planOf(hosts, owners))));
        for (const [owner, where] of before) expect(after.get(owner)).toBe(where);
      }),
      RUNS,
    );
  });

  it('the same input gives the same placement, whatever the order of the files', () => {
    fc.assert(
      fc.property(ids, hostCount, (owners, n) => {
        const hosts = Array.from({ length: n }, (_, k) => host(k));
        expect(placed(planOf(hosts, [...owners].reverse()))).toEqual(placed(planOf(hosts, owners)));
      }),
      RUNS,
    );
  });

  it('a move changes only the moved participant, which takes an address of its new host', () => {
    fc.assert(
      fc.property(ids, fc.integer({ min: 2, max: 4 }), fc.nat(), fc.nat(), (owners, n, which, to) => {
        const hosts = Array.from({ length: n }, (_, k) => host(k));
        const base = planOf(hosts, owners);
        const moved = owners[which % owners.length]!;
        const target = hosts[to % n]!.id;
        const after = placed(planOf(hosts, owners, recorded(base), new Map([[moved, target]])));
        for (const [owner, where] of placed(base)) {
          if (owner !== moved) expect(after.get(owner)).toBe(where);
          else if (where.startsWith(`${target} `)) expect(after.get(owner)).toBe(where);
          else expect(after.get(owner)).toMatch(new RegExp(`^${target} `));
        }
      }),
      RUNS,
    );
  });
});

describe('placeGateways', () => {
  const capacities = fc.array(fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }), {
    minLength: 1,
    maxLength: 5,
  });
  const owners = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{1,8}$/), { maxLength: 40 });

  it('respects capacities when they hold everyone, placed in one go or in batches', () => {
    fc.assert(
      fc.property(capacities, owners, fc.integer({ min: 1, max: 5 }), (caps, all, batches) => {
        const hosts = caps.map((capacity, i) => ({ id: `h${i}`, capacity }));
        const room = caps.some((c) => c === undefined)
          ? Number.POSITIVE_INFINITY
          : caps.reduce<number>((a, c) => a + c!, 0);
        fc.pre(all.length <= room);
        let record = new Map<string, string>();
        const size = Math.ceil(all.length / batches) || 1;
        for (let i = 0; i < all.length; i += size) {
          const requests = all.slice(0, i + size).map((owner) => ({ owner, recorded: record.get(owner) }));
          const result = placeGateways(hosts, requests);
          expect(result.overCapacity).toEqual([]);
          record = new Map(result.placements.map((p) => [p.owner, p.host]));
        }
        for (const h of hosts)
          if (h.capacity !== undefined)
            expect([...record.values()].filter((id) => id === h.id).length).toBeLessThanOrEqual(h.capacity);
      }),
    );
  });

  it('is deterministic and spreads newcomers over unlimited hosts by a stable hash', () => {
    fc.assert(
      fc.property(owners, (all) => {
        const hosts = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
        const once = placeGateways(
          hosts,
          all.map((owner) => ({ owner })),
        );
        const again = placeGateways(
          hosts,
          [...all].reverse().map((owner) => ({ owner })),
        );
        expect(again).toEqual(once);
      }),
    );
    const spread = placeGateways(
      [{ id: 'a' }, { id: 'b' }],
      Array.from({ length: 200 }, (_, i) => ({ owner: `p${i}` })),
    );
    const onA = spread.placements.filter((p) => p.host === 'a').length;
    expect(onA).toBeGreaterThan(60);
    expect(onA).toBeLessThan(140);
  });

  it('a recorded host no longer declared is reported, not kept', () => {
    const result = placeGateways([{ id: 'a' }], [{ owner: 'x', recorded: 'gone' }]);
    expect(result.unknownHost).toEqual([{ owner: 'x', host: 'gone' }]);
    expect(result.placements).toEqual([{ owner: 'x', host: 'a', fresh: true }]);
  });
});
