// The connectivity probe through the real gateways and edges, as on an operator's estate: each
// declared endpoint requested from the hub at its gateway's location (the gateway, on its Docker
// host, proxies it across the edge), the undeclared samples tried from inside the gateways. With
// the planned firewall every declared endpoint answers and every undeclared sample is dropped;
// without it, the leaks show (the lab listens where the probe looks); with the gateway stopped on
// the second Docker host, its participant's probe fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeParticipant } from '../../src/workflows/probe.js';
import type { LiveContext } from '../../src/workflows/context.js';
import { NFT } from '../../src/infra/firewall.js';
import type { ContourName } from '../../src/inventory/index.js';
import type { Plan } from '../../src/plan/index.js';
import { applyChannels, applyFirewalls, edge, loadSample, onGatewayHost, startGateways, withEdge } from './lab.js';

let plan: Plan;
let context: LiveContext;
const probe = (_plan: Plan, contour: ContourName, participant: string) =>
  probeParticipant(context, contour, participant);

beforeAll(async () => {
  context = await loadSample();
  plan = context.plan;
  await applyFirewalls(plan.edges);
  await applyChannels(plan);
  for (const contour of ['test', 'prod'] as const) await startGateways(plan, context.operator, contour);
});
afterAll(async () => {
  await applyFirewalls([edge(plan, 'edge-2')]);
});

describe('probe', () => {
  it('passes for a ViPNet and a leased-line participant: declared answer, undeclared dropped', async () => {
    for (const [contour, participant] of [
      ['test', 'dep-obr'],
      ['prod', 'tmn-city-admin'],
      ['prod', 'tmn-sosh-12'],
    ] as const) {
      const protocol = await probe(plan, contour, participant);
      const registration = plan.contours[contour].registrations.find((r) => r.participant === participant)!;
      // Through the gateway: its location on its own address, on the host the plan places it on.
      expect(protocol.allowed.every((a) => a.via.startsWith(`https://${registration.gateway}:443/`))).toBe(true);
      expect(protocol.allowed.length).toBeGreaterThan(0);
      expect(protocol.allowed.map((a) => a.result)).toEqual(protocol.allowed.map(() => 'answered'));
      expect(protocol.denied.length).toBeGreaterThan(5);
      expect(protocol.denied.filter((d) => d.result !== 'dropped')).toEqual([]);
      expect(protocol.denied.some((d) => d.description.startsWith('another participant'))).toBe(true);
      expect(protocol.passed).toBe(true);
    }
  });

  it('fails, naming each leak, when the edge lets everything through', async () => {
    const e = edge(plan, 'edge-2');
    await withEdge(e, (conn) => conn.exec(`${NFT} delete table inet prichal`));
    const protocol = await probe(plan, 'test', 'obl-hospital-3');
    expect(protocol.passed).toBe(false);
    const leaks = protocol.denied.filter((d) => d.result !== 'dropped');
    expect(leaks.length).toBe(protocol.denied.length);
    expect(leaks.some((d) => d.description.includes('undeclared address'))).toBe(true);
    expect(protocol.allowed.every((a) => a.result === 'answered')).toBe(true);
  });

  it('fails when the gateway on the second Docker host is stopped, and passes again once it runs', async () => {
    const participant = 'tmn-sosh-12';
    expect(plan.contours.test.registrations.find((r) => r.participant === participant)?.host).toBe('docker-2');
    const name = 'prichal-gw-tmn-sosh-12-test';
    await onGatewayHost(plan, participant, (host) => host.api.getContainer(name).stop({ t: 1 }));
    try {
      const protocol = await probe(plan, 'test', participant);
      expect(protocol.passed).toBe(false);
      expect(protocol.allowed.map((a) => a.result)).toEqual(protocol.allowed.map(() => 'no-answer'));
      // Its own refusals cannot be tried without it, and say why.
      const own = protocol.denied.filter((d) => d.kind !== 'foreign-gateway');
      expect(own.map((d) => d.result)).toEqual(own.map(() => 'not-run'));
      expect(own[0]!.reason).toContain(name);
    } finally {
      await onGatewayHost(plan, participant, (host) => host.api.getContainer(name).start());
    }
    const deadline = Date.now() + 30_000;
    let again = await probe(plan, 'test', participant);
    while (!again.passed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      again = await probe(plan, 'test', participant);
    }
    expect(again.passed).toBe(true);
  });

  it('refuses participants that are not registered in the contour', async () => {
    await expect(probe(plan, 'prod', 'onokhino-sp')).rejects.toThrow(/not registered in the prod contour/);
  });
});
