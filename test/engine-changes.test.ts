// The pure half of the engine path: what a preview says changes (the provider's diff and the
// CLI's report share these functions), which URNs `--participant` targets, and backend URLs
// printed without their password.
import { describe, expect, it } from 'vitest';
import { lockHolders, participantTargets, redactUrl, StackLockedError } from '../src/infra/pulumi/engine.js';
import { busRegistrationChanges, busRegistrationReplaces, edgeFirewallChanges, type BusRegistrationInputs } from '../src/infra/pulumi/resources.js';
import { type Plan } from '../src/plan/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

async function samplePlan(): Promise<Plan> {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  return checked.plan!;
}

describe('edgeFirewallChanges', () => {
  it('is empty for the same plan and no live differences', async () => {
    const edge = (await samplePlan()).edges[0]!;
    expect(edgeFirewallChanges({ edge, privateKey: 'k', differences: [] }, { edge, privateKey: 'k' })).toEqual([]);
  });

  it("names the participant whose flows are added or removed, and only that participant", async () => {
    const edge = (await samplePlan()).edges[0]!;
    const leaving = edge.ingress[0]!.participant;
    const without = { ...edge, ingress: edge.ingress.filter((f) => f.participant !== leaving), egress: edge.egress.filter((f) => f.participant !== leaving) };
    const removed = edgeFirewallChanges({ edge, privateKey: 'k' }, { edge: without, privateKey: 'k' });
    expect(removed.length).toBe(edge.ingress.filter((f) => f.participant === leaving).length + edge.egress.filter((f) => f.participant === leaving).length);
    expect(new Set(removed.map((c) => c.participant))).toEqual(new Set([leaving]));
    expect(removed.every((c) => / remove /.test(c.message))).toBe(true);
    const added = edgeFirewallChanges({ edge: without, privateKey: 'k' }, { edge, privateKey: 'k' });
    expect(added.map((c) => c.message.replace(' add ', ' remove ')).sort()).toEqual(removed.map((c) => c.message).sort());
  });

  it('reports what refresh found on the host, and a changed SSH target', async () => {
    const edge = (await samplePlan()).edges[0]!;
    const changes = edgeFirewallChanges({ edge, privateKey: 'k', differences: [{ message: 'chain forward: extra rule: tcp dport 22 accept' }] }, { edge: { ...edge, ssh: { ...edge.ssh, port: edge.ssh.port + 1 } }, privateKey: 'k' });
    expect(changes.map((c) => c.message)).toEqual([`edge ${edge.id}: SSH target or pinned host key changes`, 'on the host: chain forward: extra rule: tcp dport 22 accept; the table is reloaded from the plan']);
  });
});

describe('busRegistrationChanges', () => {
  const base: BusRegistrationInputs = {
    contour: 'test',
    registration: { participant: 'p', mnemonic: 'P', messageTypes: ['a', 'b'] },
    testStatus: 'registered',
    bus: { url: 'http://127.0.0.1:15672', vhost: 'smev-test' },
    credentials: 'u:p',
    testBus: null,
  };

  it('lists message types bound and unbound, status changes and live differences, all under the participant', () => {
    const changes = busRegistrationChanges({ ...base, differences: [{ message: 'permission of P is not confined to its own queue' }] }, { ...base, testStatus: 'tested', registration: { ...base.registration, messageTypes: ['b', 'c'] } });
    expect(changes.map((c) => c.message)).toEqual(['bind message type c', 'unbind message type a', 'test status registered → tested', 'on the bus: permission of P is not confined to its own queue; corrected to the plan']);
    expect(new Set(changes.map((c) => c.participant))).toEqual(new Set(['p']));
    expect(busRegistrationChanges(base, { ...base })).toEqual([]);
  });

  it('replaces a registration whose mnemonic or vhost changes', () => {
    expect(busRegistrationReplaces(base, { ...base, registration: { ...base.registration, mnemonic: 'Q' } })).toEqual(['registration']);
    expect(busRegistrationReplaces(base, { ...base, bus: { ...base.bus, vhost: 'other' } })).toEqual(['registration']);
    expect(busRegistrationReplaces(base, { ...base, registration: { ...base.registration, messageTypes: [] } })).toEqual([]);
  });
});

describe('participantTargets', () => {
  it("targets the registration and, in test, the table of the participant's edge only when its flows there change", async () => {
    const plan = await samplePlan();
    const r = plan.contours.test.registrations[0]!;
    const registration = `urn:pulumi:test::prichal::prichal:index:BusRegistration::bus-test-${r.participant}`;
    const table = `urn:pulumi:test::prichal::prichal:index:EdgeFirewall::firewall-${r.edge}`;
    // Nothing applied yet: its edge's table is created with its flows.
    expect(participantTargets('test', plan, r.participant)).toEqual([registration, table]);
    // Applied as planned: only the registration.
    const applied = new Map(plan.edges.map((e) => [e.id, e]));
    expect(participantTargets('test', plan, r.participant, applied)).toEqual([registration]);
    // Another participant's flows changed on the same edge: still only the registration.
    const edge = plan.edges.find((e) => e.id === r.edge)!;
    const other = edge.ingress.find((f) => f.participant !== r.participant)!.participant;
    const withoutOther = { ...edge, ingress: edge.ingress.filter((f) => f.participant !== other), egress: edge.egress.filter((f) => f.participant !== other) };
    expect(participantTargets('test', plan, r.participant, new Map([...applied, [edge.id, withoutOther]]))).toEqual([registration]);
    expect(participantTargets('test', plan, other, new Map([...applied, [edge.id, withoutOther]]))).toEqual([`urn:pulumi:test::prichal::prichal:index:BusRegistration::bus-test-${other}`, table]);
    const p = plan.contours.prod.registrations[0]!;
    expect(participantTargets('prod', plan, p.participant)).toEqual([`urn:pulumi:prod::prichal::prichal:index:BusRegistration::bus-prod-${p.participant}`]);
  });

  it('refuses a participant with nothing in the contour', async () => {
    const plan = await samplePlan();
    const testOnly = plan.contours.test.registrations.find((r) => !plan.contours.prod.registrations.some((p) => p.participant === r.participant))!;
    expect(() => participantTargets('prod', plan, testOnly.participant)).toThrow(/no resources in the prod contour/);
  });
});

describe('redactUrl', () => {
  it('hides a password in a backend URL and leaves other URLs alone', () => {
    expect(redactUrl('postgres://prichal:s3cret@127.0.0.1:5432/state')).toBe('postgres://prichal:***@127.0.0.1:5432/state');
    expect(redactUrl('file:///var/lib/prichal/state')).toBe('file:///var/lib/prichal/state');
  });
});

describe('lockHolders', () => {
  it("reads who holds a stack from the engine's lock error, once per lock", () => {
    const line = 'postgres://****:****@127.0.0.1:55432/db/.pulumi/locks/organization/prichal/test/x.json: created by root@vm (pid 4242) at 2026-11-23T02:30:00Z';
    const text = `error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.\n  ${line}\nstderr: ${line}`;
    expect(lockHolders(text)).toEqual([{ user: 'root', host: 'vm', pid: 4242, since: '2026-11-23T02:30:00Z' }]);
    expect(new StackLockedError('test', lockHolders(text)).message).toMatch(/^the test stack is locked by root@vm \(pid 4242\) since 2026-11-23T02:30:00Z: /);
  });
});
