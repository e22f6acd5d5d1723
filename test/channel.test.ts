// The channel on the edge's side: circuit interfaces, the rendered batches (golden files for both
// ways circuits arrive), how a host's links and routes are compared with the plan, and the batch
// that converges a hand-edited host — with its inverse — touching nothing that is not Prichal's.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivedInterface } from '../src/inventory/index.js';
import type { Plan } from '../src/plan/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import {
  channelDifferences,
  checkedLink,
  convergeChannel,
  plannedChannel,
  removeChannel,
  renderChannel,
  unsafeCircuits,
  type EdgeChannel,
  type LiveChannel,
  type LiveInterface,
  type LiveRoute,
} from '../src/render/index.js';
import { edgeChannelChanges, effectiveChannel } from '../src/infra/pulumi/channel-resource.js';
import { edgeRoutes } from '../src/collect/edge-routes.js';
import { checkInventory } from '../src/requirements/index.js';
import { inventoryWith, removeInventory, SAMPLE_INVENTORY } from './helpers/inventory.js';

const AT = '2026-11-23';
let plan: Plan;
let vlanPlan: Plan;
let vlanDir: string;
beforeAll(async () => {
  plan = (await checkInventory(SAMPLE_INVENTORY, AT)).plan!;
  vlanDir = await inventoryWith([
    { file: 'operator.yaml', from: 'circuits: { mode: interface }', to: 'circuits: { mode: vlan, uplink: eth1 }' },
  ]);
  vlanPlan = (await checkInventory(vlanDir, AT)).plan!;
});
afterAll(() => removeInventory(vlanDir));

const golden = (name: string) => readFile(path.join(PROJECT_ROOT, 'test/golden/channel', name), 'utf8');

/** A host's interface, up with carrier unless said. */
const iface = (name: string, addresses: string[], extra: Partial<LiveInterface> = {}): LiveInterface => ({
  name,
  flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
  operstate: 'UP',
  addresses,
  ...extra,
});
const route = (dst: string, gateway: string | undefined, dev: string, protocol = '245'): LiveRoute => ({
  dst,
  ...(gateway ? { gateway } : {}),
  dev,
  protocol,
  type: 'unicast',
});

/** The sample's edge-2 exactly as planned: both links, their routes, the gateway routes, and the host's own. */
function asPlanned(channel: EdgeChannel): LiveChannel {
  const interfaces = new Map<string, LiveInterface>([['eth4', iface('eth4', ['10.200.0.3/24'])]]);
  const routes: LiveRoute[] = [route('10.200.0.0/24', undefined, 'eth4', '2')];
  for (const l of channel.links) {
    interfaces.set(l.interface, iface(l.interface, [l.address]));
    routes.push(route(l.address, undefined, l.interface, '2'));
    for (const n of l.networks) routes.push(route(n, l.peer, l.interface));
  }
  for (const g of channel.gatewayRoutes) routes.push(route(g.destination, g.via, 'eth4'));
  return { interfaces, routes };
}

describe('circuit interfaces', () => {
  it("derive from the circuit id: 'll' and its letters and digits, hashed beyond Linux's 15 characters", () => {
    expect(derivedInterface('TMN-L2-004512')).toBe('lltmnl2004512');
    expect(derivedInterface('TBL-ETH-2231')).toBe('lltbleth2231');
    const long = derivedInterface('RT-METRO-ETH-2026-000451');
    expect(long).toHaveLength(15);
    expect(long.startsWith('llrtmetr')).toBe(true);
    expect(derivedInterface('RT-METRO-ETH-2026-000452')).not.toBe(long);
  });

  it('are planned per leased line: the interface named after the circuit, or <uplink>.<vlan> on a vlan edge', () => {
    expect(plan.links.map((l) => [l.participant, l.circuit])).toEqual([
      ['obl-hospital-3', { interface: 'lltbleth2231', vlan: null }],
      ['tmn-city-admin', { interface: 'lltmnl2004512', vlan: null }],
    ]);
    expect(vlanPlan.links.map((l) => [l.participant, l.circuit])).toEqual([
      ['obl-hospital-3', { interface: 'eth1.231', vlan: { uplink: 'eth1', id: 231 } }],
      ['tmn-city-admin', { interface: 'eth1.120', vlan: { uplink: 'eth1', id: 120 } }],
    ]);
  });

  it('are refused when two circuits of an edge share one, or a vlan edge lacks the tag', async () => {
    const dir = await inventoryWith([
      { file: 'operator.yaml', from: 'circuits: { mode: interface }', to: 'circuits: { mode: vlan, uplink: eth1 }' },
      { file: 'participants/obl-hospital-3.yaml', from: 'vlan: 231', to: 'vlan: 120' },
      { file: 'participants/tmn-city-admin.yaml', from: 'vlan: 120, ', to: '' },
    ]);
    try {
      const findings = (await checkInventory(dir, AT)).validation.findings.filter(
        (f) => f.code === 'leased-line-circuit',
      );
      expect(findings.map((f) => [f.file, f.path, f.message])).toEqual([
        [
          'participants/tmn-city-admin.yaml',
          'channel.leasedLine',
          "missing required field 'vlan': edge edge-2 takes its circuits as 802.1Q sub-interfaces of eth1 (operator.yaml edges[].circuits)",
        ],
      ]);
    } finally {
      await removeInventory(dir);
    }
    const same = await inventoryWith([
      {
        file: 'participants/obl-hospital-3.yaml',
        from: 'circuit: TBL-ETH-2231,',
        to: 'circuit: TBL-ETH-2231, interface: lltmnl2004512,',
      },
    ]);
    try {
      const findings = (await checkInventory(same, AT)).validation.findings.filter(
        (f) => f.code === 'leased-line-circuit',
      );
      expect(findings.map((f) => [f.file, f.path])).toEqual([
        ['participants/tmn-city-admin.yaml', 'channel.leasedLine.circuit'],
      ]);
      expect(findings[0]!.message).toContain(
        'interface lltmnl2004512 on edge-2 is already the circuit of obl-hospital-3',
      );
    } finally {
      await removeInventory(same);
    }
  });
});

describe('rendered batches', () => {
  it('match the golden files: one interface per circuit, and 802.1Q sub-interfaces Prichal creates', async () => {
    expect(renderChannel(plannedChannel(plan, 'edge-2'))).toBe(await golden('edge-2-interface.batch'));
    expect(renderChannel(plannedChannel(vlanPlan, 'edge-2'))).toBe(await golden('edge-2-vlan.batch'));
    // edge-1 carries no leased line: only its routes to the gateway hosts.
    expect(renderChannel(plannedChannel(plan, 'edge-1'))).toBe(await golden('edge-1.batch'));
  });

  it('a host already as planned needs nothing; its own routes stay', () => {
    const channel = plannedChannel(plan, 'edge-2');
    expect(convergeChannel(channel, asPlanned(channel))).toEqual({ apply: [], rollback: [] });
  });
});

describe('interfaces that are not circuits', () => {
  it("are refused before anything is applied: the edge's transit interface, one the default route leaves by, a vlan uplink", () => {
    const channel = plannedChannel(plan, 'edge-2');
    const live = asPlanned(channel);
    expect(unsafeCircuits(channel, live)).toEqual([]);
    const [first, second] = channel.links;
    // A participant file naming the edge's transit interface as its circuit.
    const onTransit = { ...channel, links: [{ ...first!, interface: 'eth4' }, second!] };
    expect(unsafeCircuits(onTransit, live).map((u) => [u.link.participant, u.reason])).toEqual([
      [first!.participant, "it holds 10.200.0.3/24, wider than a circuit's /30"],
    ]);
    // Out of scope, another participant's link is not judged.
    expect(unsafeCircuits(onTransit, live, second!.participant)).toEqual([]);
    live.routes.push(route('0.0.0.0/0', '10.250.0.3', second!.interface, '4'));
    expect(unsafeCircuits(channel, live).map((u) => u.reason)).toEqual([
      `the default route leaves through it (0.0.0.0/0 via 10.250.0.3 dev ${second!.interface} proto 4)`,
    ]);
    const vlanChannel = plannedChannel(vlanPlan, 'edge-2');
    const [a, b] = vlanChannel.links;
    const onUplink = { ...vlanChannel, links: [a!, { ...b!, interface: a!.vlan!.uplink, vlan: null }] };
    expect(unsafeCircuits(onUplink, asPlanned(vlanChannel)).map((u) => u.reason)).toEqual([
      'it is the uplink other circuits arrive on',
    ]);
  });
});

describe('a hand-edited host', () => {
  const edited = (channel: EdgeChannel): LiveChannel => {
    const live = asPlanned(channel);
    // tmn-city-admin: one route deleted, one undeclared network routed through its link.
    live.routes = live.routes.filter((r) => r.dst !== '10.32.1.0/24');
    live.routes.push(route('10.99.0.0/24', '10.250.0.3', 'lltmnl2004512', '3'));
    // obl-hospital-3: another address on its link, and the link down.
    live.interfaces.set(
      'lltbleth2231',
      iface('lltbleth2231', ['10.250.0.4/31'], { flags: ['BROADCAST', 'MULTICAST'], operstate: 'DOWN' }),
    );
    live.routes = live.routes.filter((r) => r.dev !== 'lltbleth2231');
    // Someone else's route, on another interface: never Prichal's business.
    live.routes.push(route('10.98.0.0/24', '10.200.0.254', 'eth4', '4'));
    return live;
  };

  it('differs for the right participant, each way drift reports', () => {
    const live = edited(plannedChannel(plan, 'edge-2'));
    const found = channelDifferences(plan.links.map(checkedLink), [], live).map(
      (d) => `${d.participant} ${d.kind}: ${d.message}`,
    );
    expect(found).toEqual([
      'obl-hospital-3 link-address: link on lltbleth2231: address 10.250.0.4/31 instead of 10.250.0.0/31',
      'obl-hospital-3 link-down: link 10.250.0.0/31 on lltbleth2231 is down (administratively down)',
      'obl-hospital-3 route-missing: no route to 10.34.3.0/24 via 10.250.0.1',
      'tmn-city-admin route-missing: no route to 10.32.1.0/24 via 10.250.0.3',
      'tmn-city-admin route-leak: route to undeclared 10.99.0.0/24 through the link',
    ]);
  });

  it('converges with one batch whose inverse puts everything back, and touches no foreign route', () => {
    const channel = plannedChannel(plan, 'edge-2');
    const batch = convergeChannel(channel, edited(channel));
    expect(batch.apply).toEqual([
      'route del 10.99.0.0/24 via 10.250.0.3 dev lltmnl2004512 proto 3',
      'address del 10.250.0.4/31 dev lltbleth2231',
      'link set dev lltbleth2231 up',
      'address add 10.250.0.0/31 dev lltbleth2231',
      'route replace 10.34.3.0/24 via 10.250.0.1 dev lltbleth2231 proto 245',
      'route replace 10.32.1.0/24 via 10.250.0.3 dev lltmnl2004512 proto 245',
    ]);
    expect(batch.rollback).toEqual([
      'route del 10.32.1.0/24 via 10.250.0.3 dev lltmnl2004512 proto 245',
      'route del 10.34.3.0/24 via 10.250.0.1 dev lltbleth2231 proto 245',
      'address del 10.250.0.0/31 dev lltbleth2231',
      'link set dev lltbleth2231 down',
      'address add 10.250.0.4/31 dev lltbleth2231',
      'route replace 10.99.0.0/24 via 10.250.0.3 dev lltmnl2004512 proto 3',
    ]);
    expect(batch.apply.join('\n')).not.toContain('10.98.0.0');
  });

  it('its rollback puts back the routes the kernel drops with an address it removed', () => {
    const channel = plannedChannel(plan, 'edge-2');
    const live = asPlanned(channel);
    // obl-hospital-3's link holds a second address too (someone's), with a route of theirs through it.
    live.interfaces.get('lltbleth2231')!.addresses.push('10.250.0.6/31');
    live.routes.push(route('10.97.0.0/24', '10.250.0.7', 'lltbleth2231', '4'));
    const batch = convergeChannel(channel, live);
    expect(batch.apply).toEqual([
      'route del 10.97.0.0/24 via 10.250.0.7 dev lltbleth2231 proto 4',
      'address del 10.250.0.6/31 dev lltbleth2231',
    ]);
    // Back as it was read, and the planned route through the same device (dropped by the kernel with nothing) kept.
    expect(batch.rollback).toEqual([
      'address add 10.250.0.6/31 dev lltbleth2231',
      'route replace 10.34.3.0/24 via 10.250.0.1 dev lltbleth2231 proto 245',
      'route replace 10.97.0.0/24 via 10.250.0.7 dev lltbleth2231 proto 4',
    ]);
  });

  it("an equivalent route of the operator's is kept as it is (and so left by destroy)", () => {
    const channel = plannedChannel(plan, 'edge-1');
    const live = asPlanned(channel);
    live.routes = live.routes.map((r) => (r.gateway === '10.200.0.252' ? { ...r, protocol: '4' } : r));
    expect(convergeChannel(channel, live).apply).toEqual([]);
    expect(removeChannel(channel, live).apply.join('\n')).not.toContain('10.200.0.252');
  });

  it("in a targeted run changes the scoped participant's link only", () => {
    const channel = plannedChannel(plan, 'edge-2');
    const batch = convergeChannel(channel, edited(channel), { scope: 'tmn-city-admin' });
    expect(batch.apply).toEqual([
      'route del 10.99.0.0/24 via 10.250.0.3 dev lltmnl2004512 proto 3',
      'route replace 10.32.1.0/24 via 10.250.0.3 dev lltmnl2004512 proto 245',
    ]);
  });

  it("removal takes Prichal's routes, links' addresses and sub-interfaces, and leaves the rest", () => {
    const channel = plannedChannel(vlanPlan, 'edge-2');
    const live = asPlanned(channel);
    for (const l of channel.links)
      live.interfaces.set(
        l.interface,
        iface(l.interface, [l.address], { vlan: { link: 'eth1', id: l.vlan!.id }, alias: `prichal:${l.participant}` }),
      );
    live.routes.push(route('10.98.0.0/24', '10.200.0.254', 'eth4', '4'));
    const batch = removeChannel(channel, live);
    expect(batch.apply.filter((l) => l.startsWith('link del'))).toEqual([
      'link del dev eth1.231',
      'link del dev eth1.120',
    ]);
    expect(batch.apply.filter((l) => l.startsWith('route del')).every((l) => l.endsWith('proto 245'))).toBe(true);
    expect(batch.apply.join('\n')).not.toMatch(/10\.98\.0\.0|10\.200\.0\.0\/24/);
    expect(batch.apply.filter((l) => l.startsWith('route del'))).toHaveLength(
      channel.gatewayRoutes.length + channel.links.flatMap((l) => l.networks).length,
    );
  });
});

describe('the EdgeChannel resource', () => {
  it("names each participant whose link changes; a targeted run keeps everyone else's as applied", () => {
    const channel = plannedChannel(plan, 'edge-2');
    const ssh = plan.edges[1]!.ssh;
    const moved = {
      ...channel,
      links: channel.links.map((l) => (l.participant === 'tmn-city-admin' ? { ...l, networks: ['10.32.0.0/24'] } : l)),
    };
    const olds = { edge: 'edge-2', ssh, channel };
    expect(edgeChannelChanges(olds, { edge: 'edge-2', ssh, channel: moved })).toEqual([
      {
        participant: 'tmn-city-admin',
        message:
          'link 10.250.0.2/31 on lltmnl2004512, routes to 10.32.0.0/24, 10.32.1.0/24 via 10.250.0.3 → 10.250.0.2/31 on lltmnl2004512, routes to 10.32.0.0/24 via 10.250.0.3',
        ru: 'линк 10.250.0.2/31 на lltmnl2004512, маршруты к 10.32.0.0/24, 10.32.1.0/24 через 10.250.0.3 → 10.250.0.2/31 на lltmnl2004512, маршруты к 10.32.0.0/24 через 10.250.0.3',
      },
    ]);
    const withoutHospital = { ...moved, links: moved.links.filter((l) => l.participant !== 'obl-hospital-3') };
    const scoped = effectiveChannel(olds, { edge: 'edge-2', ssh, channel: withoutHospital, scope: 'tmn-city-admin' });
    expect(scoped.links.map((l) => [l.participant, l.networks])).toEqual([
      ['obl-hospital-3', ['10.34.3.0/24']],
      ['tmn-city-admin', ['10.32.0.0/24']],
    ]);
  });
});

describe('the edge-routes source', () => {
  it('reports CH-4 and CH-5 findings for the participants of the edge read', () => {
    const live = asPlanned(plannedChannel(plan, 'edge-2'));
    live.routes = live.routes.filter((r) => r.dst !== '10.34.3.0/24');
    const edge = plan.edges.find((e) => e.id === 'edge-2')!;
    const { findings } = edgeRoutes.check([{ subject: { name: 'edge-2', edge }, ok: true, value: live, calls: 2 }], {
      plan,
      operator: undefined as never,
      gateways: undefined,
    });
    expect(findings.map((f) => [f.requirement, f.participant, f.message])).toEqual([
      ['CH-5', 'obl-hospital-3', 'no route to 10.34.3.0/24 via 10.250.0.1'],
    ]);
  });
});
