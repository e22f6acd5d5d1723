// The connectivity probe through the real edges, run on the hub host over SSH as on an
// operator's estate: with the planned firewall every declared endpoint answers and every
// undeclared sample is dropped; without it, the leaks show (the lab listens where the probe looks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeParticipant } from '../../src/workflows/probe.js';
import type { LiveContext } from '../../src/workflows/context.js';
import { NFT } from '../../src/infra/firewall.js';
import type { ContourName } from '../../src/inventory/index.js';
import type { Plan } from '../../src/plan/index.js';
import { applyFirewalls, edge, loadSample, withEdge } from './lab.js';

let plan: Plan;
let context: LiveContext;
const probe = (_plan: Plan, contour: ContourName, participant: string) =>
  probeParticipant(context, contour, participant);

beforeAll(async () => {
  context = await loadSample();
  plan = context.plan;
  await applyFirewalls(plan.edges);
});
afterAll(async () => {
  await applyFirewalls([edge(plan, 'edge-2')]);
});

describe('probe', () => {
  it('passes for a ViPNet and a leased-line participant: declared answer, undeclared dropped', async () => {
    for (const [contour, participant] of [
      ['test', 'dep-obr'],
      ['prod', 'tmn-city-admin'],
    ] as const) {
      const protocol = await probe(plan, contour, participant);
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

  it('refuses participants that are not registered in the contour', async () => {
    await expect(probe(plan, 'prod', 'onokhino-sp')).rejects.toThrow(/not registered in the prod contour/);
  });
});
