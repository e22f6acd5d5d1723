// The pure half of the engine path: what a preview says changes (the provider's diff and the
// CLI's report share these functions), which URNs `--participant` targets, and backend URLs
// printed without their password.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { packLink } from '../src/infra/pulumi/channel-resource.js';
import {
  lockHolders,
  participantTargets,
  redactUrl,
  StackLockedError,
  type RecordedChannels,
} from '../src/infra/pulumi/engine.js';
import {
  BUS_SHARDS,
  busShardReplaces,
  busShardUpdate,
  edgeFirewallChanges,
  effectiveEdge,
  shardOf,
  type BusShardInputs,
  type ShardEntry,
} from '../src/infra/pulumi/resources.js';
import { type Plan } from '../src/plan/index.js';
import { isEmptyChannel, plannedChannel } from '../src/render/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

async function samplePlan(): Promise<Plan> {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  return checked.plan!;
}

/** Every edge's channel as if the state had applied the plan. */
function appliedChannels(plan: Plan): RecordedChannels {
  const channels = plan.edges.map((e) => plannedChannel(plan, e.id)).filter((c) => !isEmptyChannel(c));
  return {
    edges: new Set(channels.map((c) => c.edge)),
    links: new Map(channels.flatMap((c) => c.links.map((l) => [l.participant, { edge: c.edge, link: packLink(l) }]))),
  };
}

describe('edgeFirewallChanges', () => {
  it('is empty for the same plan and no live differences', async () => {
    const edge = (await samplePlan()).edges[0]!;
    expect(edgeFirewallChanges({ edge, differences: [] }, { edge })).toEqual([]);
  });

  it('names the participant whose flows are added or removed, and only that participant', async () => {
    const edge = (await samplePlan()).edges[0]!;
    const leaving = edge.ingress[0]!.participant;
    const without = {
      ...edge,
      ingress: edge.ingress.filter((f) => f.participant !== leaving),
      egress: edge.egress.filter((f) => f.participant !== leaving),
    };
    const removed = edgeFirewallChanges({ edge }, { edge: without });
    expect(removed.length).toBe(
      edge.ingress.filter((f) => f.participant === leaving).length +
        edge.egress.filter((f) => f.participant === leaving).length,
    );
    expect(new Set(removed.map((c) => c.participant))).toEqual(new Set([leaving]));
    expect(removed.every((c) => / remove /.test(c.message))).toBe(true);
    const added = edgeFirewallChanges({ edge: without }, { edge });
    expect(added.map((c) => c.message.replace(' add ', ' remove ')).sort()).toEqual(
      removed.map((c) => c.message).sort(),
    );
  });

  it('reports what refresh found on the host, and a changed SSH target', async () => {
    const edge = (await samplePlan()).edges[0]!;
    const changes = edgeFirewallChanges(
      { edge, differences: [{ message: 'chain forward: extra rule: tcp dport 22 accept' }] },
      { edge: { ...edge, ssh: { ...edge.ssh, port: edge.ssh.port + 1 } } },
    );
    expect(changes.map((c) => c.message)).toEqual([
      `edge ${edge.id}: SSH target or pinned host key changes`,
      'on the host: chain forward: extra rule: tcp dport 22 accept; the table is reloaded from the plan',
    ]);
  });
});

describe('effectiveEdge (a targeted run on an edge table)', () => {
  it("takes only the scoped participant's flows from the plan and keeps everyone else's as last applied", async () => {
    const edge = (await samplePlan()).edges[0]!;
    const [p, q] = edge.participants;
    const drop = (e: typeof edge, who: string) => ({
      ...e,
      participants: e.participants.filter((x) => x !== who),
      ingress: e.ingress.filter((f) => f.participant !== who),
      egress: e.egress.filter((f) => f.participant !== who),
    });
    // Recorded: neither p nor q; planned: both. Scoped to p: p's flows arrive, q's do not.
    const recorded = drop(drop(edge, p!), q!);
    const scoped = effectiveEdge({ edge: recorded }, { edge, scope: p! });
    expect(scoped).toEqual(drop(edge, q!));
    const changes = edgeFirewallChanges({ edge: recorded }, { edge, scope: p! });
    expect(changes.length).toBeGreaterThan(0);
    expect(new Set(changes.map((c) => c.participant))).toEqual(new Set([p]));
    // Unscoped, or nothing recorded yet: the plan's edge.
    expect(effectiveEdge({ edge: recorded }, { edge })).toBe(edge);
    expect(effectiveEdge(undefined, { edge, scope: p! })).toBe(edge);
  });
});

describe('busShardUpdate', () => {
  const entry = (
    participant: string,
    mnemonic: string,
    messageTypes = ['a', 'b'],
    testStatus: string | null = 'registered',
  ): ShardEntry => ({ participant, mnemonic, messageTypes, testStatus });
  const base: BusShardInputs = {
    contour: 'test',
    shard: '07',
    entries: [entry('p', 'P'), entry('q', 'Q')],
    bus: { url: 'http://127.0.0.1:15672', vhost: 'smev-test', credentials: 'busTest' },
    testBus: null,
  };

  it('creates every registration of a new shard', () => {
    const u = busShardUpdate(undefined, base);
    expect(u.ensure.map((e) => e.mnemonic)).toEqual(['P', 'Q']);
    expect(u.changes).toEqual([
      { participant: 'p', message: 'register P', ru: 'зарегистрировать P' },
      { participant: 'q', message: 'register Q', ru: 'зарегистрировать Q' },
    ]);
    expect(u.entries).toEqual(base.entries);
  });

  it('touches only the registrations that change, naming each participant: types, status, live differences, removal', () => {
    const olds = {
      ...base,
      entries: [...base.entries, entry('r', 'R')],
      differences: [{ participant: 'q', message: 'permission of Q is not confined to its own queue' }],
    };
    const news = { ...base, entries: [entry('p', 'P', ['b', 'c'], 'tested'), entry('q', 'Q')] };
    const u = busShardUpdate(olds, news);
    expect(u.changes).toEqual([
      { participant: 'p', message: 'bind message type c', ru: 'привязать вид сведений c' },
      { participant: 'p', message: 'unbind message type a', ru: 'отвязать вид сведений a' },
      {
        participant: 'p',
        message: 'test status registered → tested',
        ru: 'статус тестовой регистрации registered → tested',
      },
      {
        participant: 'q',
        message: 'on the bus: permission of Q is not confined to its own queue; corrected to the plan',
        // A difference recorded without its Russian (an earlier state) is quoted as it is.
        ru: 'в шине: permission of Q is not confined to its own queue; исправляется по плану',
      },
      { participant: 'r', message: 'remove registration R', ru: 'удалить регистрацию R' },
    ]);
    expect(u.ensure.map((e) => e.mnemonic)).toEqual(['P', 'Q']);
    expect(u.remove.map((e) => e.mnemonic)).toEqual(['R']);
    expect(u.entries).toEqual(news.entries);
    expect(u.differences).toEqual([]);
    expect(busShardUpdate({ ...base, differences: [] }, { ...base })).toEqual({
      ensure: [],
      remove: [],
      changes: [],
      entries: base.entries,
      differences: [],
    });
  });

  it("scoped to one participant: applies its changes only and records everyone else's entries and live differences as they were", () => {
    const olds = {
      ...base,
      entries: [entry('p', 'P'), entry('r', 'R')],
      differences: [
        { participant: 'r', message: 'queue of R is missing' },
        { participant: 'p', message: 'queue of P is missing' },
      ],
    };
    const news = { ...base, entries: [entry('p', 'P', ['c']), entry('q', 'Q')], scope: 'p' };
    const u = busShardUpdate(olds, news);
    expect(new Set(u.changes.map((c) => c.participant))).toEqual(new Set(['p']));
    expect(u.ensure.map((e) => e.mnemonic)).toEqual(['P']);
    expect(u.remove).toEqual([]);
    // q is not added and r is not removed: the next unscoped preview still shows both.
    expect(u.entries).toEqual([entry('p', 'P', ['c']), entry('r', 'R')]);
    expect(u.differences).toEqual([{ participant: 'r', message: 'queue of R is missing' }]);
    const next = busShardUpdate({ ...base, entries: u.entries, differences: u.differences }, { ...news, scope: null });
    expect(next.changes.map((c) => `${c.participant}: ${c.message}`)).toEqual([
      'q: register Q',
      'r: remove registration R',
    ]);
  });

  it('a renamed bus secret is a change of the state only: nothing to ensure or remove, the new name recorded', () => {
    const u = busShardUpdate(
      { ...base, differences: [] },
      { ...base, bus: { ...base.bus, credentials: 'busTestRotated' } },
    );
    expect(u.changes).toEqual([
      {
        message: 'bus credentials now read from the secret busTestRotated (was busTest)',
        ru: 'учётные данные шины теперь читаются из секрета busTestRotated (были busTest)',
      },
    ]);
    expect(u.ensure).toEqual([]);
    expect(u.remove).toEqual([]);
  });

  it('replaces a shard whose vhost changes, and spreads mnemonics over a fixed set of shards', () => {
    expect(busShardReplaces(base, { ...base, bus: { ...base.bus, vhost: 'other' } })).toEqual(['bus']);
    expect(busShardReplaces(base, { ...base, entries: [] })).toEqual([]);
    const shards = new Set(Array.from({ length: 2000 }, (_, i) => shardOf(`ORG_${i}`)));
    expect(shards.size).toBe(BUS_SHARDS);
    expect(shardOf('ORG_1')).toBe(shardOf('ORG_1'));
    expect([...shards].every((s) => /^\d{2}$/.test(s) && Number(s) < BUS_SHARDS)).toBe(true);
  });
});

describe('participantTargets', () => {
  it("targets the shard of the participant's registration and, in test, its edge's table only when its flows there change", async () => {
    const plan = await samplePlan();
    const r = plan.contours.test.registrations[0]!;
    const shard = (contour: string, mnemonic: string) =>
      `urn:pulumi:${contour}::prichal::prichal:index:BusRegistrations::bus-${contour}-${shardOf(mnemonic)}`;
    const registration = shard('test', r.mnemonic);
    const table = `urn:pulumi:test::prichal::prichal:index:EdgeFirewall::firewall-${r.edge}`;
    const channel = `urn:pulumi:test::prichal::prichal:index:EdgeChannel::channel-${r.edge}`;
    // Nothing applied yet: its edge's table is created with its flows, and its edge's channel with
    // the routes to the gateway hosts its traffic takes.
    expect(participantTargets('test', plan, r.participant, new Map(), 'external')).toEqual([
      registration,
      table,
      channel,
    ]);
    // Applied as planned: only the shard.
    const applied = new Map(plan.edges.map((e) => [e.id, e]));
    const channels = appliedChannels(plan);
    expect(participantTargets('test', plan, r.participant, applied, 'external', channels)).toEqual([registration]);
    // Another participant's flows changed on the same edge: still only the shard.
    const edge = plan.edges.find((e) => e.id === r.edge)!;
    const other = edge.ingress.find((f) => f.participant !== r.participant)!.participant;
    const withoutOther = {
      ...edge,
      ingress: edge.ingress.filter((f) => f.participant !== other),
      egress: edge.egress.filter((f) => f.participant !== other),
    };
    const otherRemoved = new Map([...applied, [edge.id, withoutOther]]);
    expect(participantTargets('test', plan, r.participant, otherRemoved, 'external', channels)).toEqual([registration]);
    const otherMnemonic = plan.contours.test.registrations.find((x) => x.participant === other)!.mnemonic;
    expect(participantTargets('test', plan, other, otherRemoved, 'external', channels)).toEqual([
      shard('test', otherMnemonic),
      table,
    ]);
    const p = plan.contours.prod.registrations[0]!;
    expect(participantTargets('prod', plan, p.participant, new Map(), 'external')).toEqual([shard('prod', p.mnemonic)]);
    // By default the gateways are the engine's: the participant's gateway shard is targeted too, after its registration's.
    const gateways = `urn:pulumi:prod::prichal::prichal:index:GatewayShard::gateways-prod-${p.host}-${shardOf(p.participant)}`;
    expect(participantTargets('prod', plan, p.participant)).toEqual([shard('prod', p.mnemonic), gateways]);
  });

  it("targets its edge's channel when its link there changes, and only then", async () => {
    const plan = await samplePlan();
    const link = plan.links.find((l) => l.circuit)!;
    const r = plan.contours.test.registrations.find((x) => x.participant === link.participant)!;
    const applied = new Map(plan.edges.map((e) => [e.id, e]));
    const channels = appliedChannels(plan);
    const channel = `urn:pulumi:test::prichal::prichal:index:EdgeChannel::channel-${link.edge}`;
    expect(participantTargets('test', plan, r.participant, applied, 'external', channels)).not.toContain(channel);
    const changed = new Map(channels.links);
    changed.set(link.participant, { edge: link.edge, link: `${channels.links.get(link.participant)!.link}x` });
    expect(
      participantTargets('test', plan, r.participant, applied, 'external', { ...channels, links: changed }),
    ).toContain(channel);
    // Another participant's link changed: not this one's business.
    const other = plan.contours.test.registrations.find((x) => x.participant !== link.participant)!;
    expect(
      participantTargets('test', plan, other.participant, applied, 'external', { ...channels, links: changed }),
    ).not.toContain(channel);
  });

  it('refuses a participant with nothing in the contour', async () => {
    const plan = await samplePlan();
    const testOnly = plan.contours.test.registrations.find(
      (r) => !plan.contours.prod.registrations.some((p) => p.participant === r.participant),
    )!;
    expect(() => participantTargets('prod', plan, testOnly.participant)).toThrow(/no resources in the prod contour/);
  });
});

describe('redactUrl', () => {
  it('hides a password in a backend URL and leaves other URLs alone', () => {
    expect(redactUrl('postgres://prichal:s3cret@127.0.0.1:5432/state')).toBe(
      'postgres://prichal:***@127.0.0.1:5432/state',
    );
    expect(redactUrl('file:///var/lib/prichal/state')).toBe('file:///var/lib/prichal/state');
  });
});

describe('lockHolders', () => {
  it("reads who holds a stack from the engine's lock error, once per lock", () => {
    const line =
      'postgres://****:****@127.0.0.1:55432/db/.pulumi/locks/organization/prichal/test/x.json: created by root@vm (pid 4242) at 2026-11-23T02:30:00Z';
    const text = `error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.\n  ${line}\nstderr: ${line}`;
    expect(lockHolders(text)).toEqual([{ user: 'root', host: 'vm', pid: 4242, since: '2026-11-23T02:30:00Z' }]);
    const elsewhere = lockHolders(text.replaceAll('root@vm', 'root@other-host'));
    expect(new StackLockedError('test', elsewhere).message).toMatch(
      /^the test stack is locked by root@other-host \(pid 4242\) since 2026-11-23T02:30:00Z: /,
    );
  });

  it('says a lock is stale when its holder was on this host and its process is gone, never while it runs', () => {
    const gone = spawnSync('true').pid!;
    const holder = (pid: number) => ({ user: 'root', host: hostname(), pid, since: '2026-11-23T02:30:00Z' });
    expect(new StackLockedError('test', [holder(gone)]).message).toContain(
      `(pid ${gone}) since 2026-11-23T02:30:00Z — that process is no longer running on this host: the lock is stale`,
    );
    expect(new StackLockedError('test', [holder(process.pid)]).message).not.toContain('the lock is stale');
  });
});
