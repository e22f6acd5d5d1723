// The channel on the operator's side, on the lab's leased-line edge (edge-2, one interface per
// circuit): each leased-line participant stands behind a router of its own, joined to the edge by
// a veth /31, so only the edge's link and route reach its networks. Hand edits on the edge — a
// deleted route, an undeclared network routed through a link, a wrong link address — are each
// found by drift for the right participant, and `up` puts them back; the removal destroy runs
// (the provider's delete) leaves no Prichal route behind and no foreign one touched.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyChannel, readChannel, removeEdgeChannel } from '../../src/infra/channel.js';
import type { Plan } from '../../src/plan/index.js';
import { plannedChannel, PRICHAL_ROUTE_PROTO } from '../../src/render/index.js';
import type { LiveContext } from '../../src/workflows/context.js';
import { probeParticipant } from '../../src/workflows/probe.js';
import { prichal } from '../helpers/cli.js';
import { applyChannels, applyFirewalls, edge, loadSample, startGateways, withEdge } from './lab.js';

const EDGE = 'prichal-lab-edge-2';
let context: LiveContext;
let plan: Plan;

/** A command on the lab's edge as its root, beside Prichal: what an engineer's hand edit is. */
const onEdge = (command: string) => execa('docker', ['exec', EDGE, 'bash', '-c', command]);

interface Finding {
  requirement: string;
  participant?: string;
  subject: string;
  message: string;
}
async function channelFindings(): Promise<string[]> {
  const drift = await prichal(['drift', '--format', 'json', '--lang', 'en']);
  const findings = (JSON.parse(drift.stdout) as { findings: Finding[] }).findings;
  return findings
    .filter((f) => f.requirement === 'CH-4' || f.requirement === 'CH-5')
    .map((f) => `${f.requirement} ${f.participant} ${f.message}`)
    .sort();
}

beforeAll(async () => {
  context = await loadSample();
  plan = context.plan;
  // The estate as provisioned: the edges' tables, the test contour's gateways, the channels.
  await applyFirewalls(plan.edges);
  await startGateways(plan, context.operator, 'test');
  await applyChannels(plan);
});
afterAll(async () => {
  await onEdge('ip route del 10.98.0.0/24 2>/dev/null; ip route del 10.99.0.0/24 2>/dev/null; true');
  await applyChannels(plan);
});

describe('the channel on the leased-line edge', () => {
  it("reaches the participant's networks only through its link: the probe passes, and fails without the edge's route", async () => {
    const passed = await probeParticipant(context, 'test', 'tmn-city-admin');
    expect(passed.allowed.map((a) => a.result)).toEqual(passed.allowed.map(() => 'answered'));
    expect(passed.passed).toBe(true);
    await onEdge('ip route del 10.32.1.0/24');
    try {
      const failed = await probeParticipant(context, 'test', 'tmn-city-admin');
      expect(failed.passed).toBe(false);
      // The intake endpoint (10.32.1.10) is past the missing route; the connector (10.32.0.20) is not.
      const results = new Map(failed.allowed.map((a) => [a.address, a.result]));
      expect(results.get('10.32.1.10')).not.toBe('answered');
      expect(results.get('10.32.0.20')).toBe('answered');
    } finally {
      await applyChannels(plan);
    }
  });

  it('drift finds a deleted route, a leak and a wrong link address, each for its participant; up restores them', async () => {
    expect(await channelFindings()).toEqual([]);
    await onEdge(
      [
        'ip route del 10.32.1.0/24',
        'ip route add 10.99.0.0/24 via 10.250.0.3 dev lltmnl2004512',
        'ip address del 10.250.0.0/31 dev lltbleth2231',
        'ip address add 10.250.0.4/31 dev lltbleth2231',
      ].join(' && '),
    );
    expect(await channelFindings()).toEqual([
      'CH-4 obl-hospital-3 link on lltbleth2231: address 10.250.0.4/31 instead of 10.250.0.0/31',
      'CH-5 obl-hospital-3 no route to 10.34.3.0/24 via 10.250.0.1',
      'CH-5 tmn-city-admin no route to 10.32.1.0/24 via 10.250.0.3',
      'CH-5 tmn-city-admin route to undeclared 10.99.0.0/24 through the link',
    ]);
    const up = await prichal(['up', '--contour', 'test', '--refresh', '--yes', '--format', 'json', '--lang', 'en']);
    expect(up.code, up.stderr).toBe(0);
    const result = JSON.parse(up.stdout) as { byParticipant: Record<string, Array<{ message: string }>> };
    expect(Object.keys(result.byParticipant)).toEqual(expect.arrayContaining(['obl-hospital-3', 'tmn-city-admin']));
    expect(await channelFindings()).toEqual([]);
    const clean = await prichal(['preview', '--contour', 'test', '--expect-no-changes']);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
  });

  it("a targeted apply reads and changes one participant's link and routes only", async () => {
    const planned = plannedChannel(plan, 'edge-2');
    // Hand edits: tmn-city-admin's route deleted, obl-hospital-3's too.
    await onEdge('ip route del 10.32.1.0/24; ip route del 10.34.3.0/24');
    const result = await withEdge(edge(plan, 'edge-2'), (conn) =>
      applyChannel(conn, planned, { previous: planned, scope: 'tmn-city-admin' }),
    );
    expect(result.applied).toEqual(['route replace 10.32.1.0/24 via 10.250.0.3 dev lltmnl2004512 proto 245']);
    const live = await withEdge(edge(plan, 'edge-2'), (conn) => readChannel(conn));
    const routed = (dst: string) => live.routes.filter((r) => r.dst === dst).map((r) => r.gateway);
    expect(routed('10.32.1.0/24')).toEqual(['10.250.0.3']);
    // The other participant's missing route is not this run's business.
    expect(routed('10.34.3.0/24')).toEqual([]);
    await applyChannels(plan);
  });

  it("refuses a circuit named after the edge's transit interface, changing nothing", async () => {
    const planned = plannedChannel(plan, 'edge-2');
    const before = await withEdge(edge(plan, 'edge-2'), (conn) => readChannel(conn));
    const transit = [...before.interfaces.values()].find((i) =>
      i.addresses.some((a) => a.startsWith(`${edge(plan, 'edge-2').transit}/`)),
    )!;
    const [first, ...rest] = planned.links;
    const wrong = { ...planned, links: [{ ...first!, interface: transit.name }, ...rest] };
    await expect(withEdge(edge(plan, 'edge-2'), (conn) => applyChannel(conn, wrong))).rejects.toThrow(
      new RegExp(
        `refusing to take over interfaces on edge-2 that are not circuits: ${transit.name} \\(${first!.participant}\\): it holds`,
      ),
    );
    const after = await withEdge(edge(plan, 'edge-2'), (conn) => readChannel(conn));
    expect(after.routes).toEqual(before.routes);
    expect([...after.interfaces.values()]).toEqual([...before.interfaces.values()]);
  });

  it("destroy's removal leaves no Prichal route or link address behind and touches no foreign route", async () => {
    await onEdge('ip route add 10.98.0.0/24 via 10.200.0.254');
    const planned = plannedChannel(plan, 'edge-2');
    const removed = await withEdge(edge(plan, 'edge-2'), (conn) => removeEdgeChannel(conn, planned));
    expect(removed.length).toBeGreaterThan(0);
    const live = await withEdge(edge(plan, 'edge-2'), (conn) => readChannel(conn));
    expect(live.routes.filter((r) => r.protocol === PRICHAL_ROUTE_PROTO)).toEqual([]);
    expect(live.routes.filter((r) => r.dst === '10.98.0.0/24').map((r) => r.gateway)).toEqual(['10.200.0.254']);
    const linkAddresses = [...live.interfaces.values()]
      .flatMap((i) => i.addresses)
      .filter((a) => a.startsWith('10.250.'));
    expect(linkAddresses).toEqual([]);
    // The circuits' interfaces are the provider's: still there.
    expect(live.interfaces.has('lltbleth2231') && live.interfaces.has('lltmnl2004512')).toBe(true);
  });
});
