// The connectivity probe through the real edges: with the planned firewall every declared
// endpoint answers and every undeclared sample is dropped; without it, the leaks show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NFT } from '../../src/infra/firewall.js';
import { probe } from '../../src/infra/lab/probe.js';
import type { LabTopology } from '../../src/infra/lab/topology.js';
import type { Plan } from '../../src/plan/index.js';
import { applyFirewalls, edge, loadSample, topologyOf, withEdge } from './lab.js';

let plan: Plan;
let topology: LabTopology;

beforeAll(async () => {
  const sample = await loadSample();
  plan = sample.plan;
  topology = topologyOf(sample);
  await applyFirewalls(plan.edges);
});
afterAll(async () => {
  await applyFirewalls([edge(plan, 'edge-2')]);
});

describe('probe', () => {
  it('passes for a ViPNet and a leased-line participant: declared answer, undeclared dropped', async () => {
    for (const [contour, participant] of [['test', 'dep-obr'], ['prod', 'tmn-city-admin']] as const) {
      const protocol = await probe(plan, topology, contour, participant);
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
    const protocol = await probe(plan, topology, 'test', 'obl-hospital-3');
    expect(protocol.passed).toBe(false);
    const leaks = protocol.denied.filter((d) => d.result !== 'dropped');
    expect(leaks.length).toBe(protocol.denied.length);
    expect(leaks.some((d) => d.description.includes('undeclared address'))).toBe(true);
    expect(protocol.allowed.every((a) => a.result === 'answered')).toBe(true);
  });

  it('refuses participants that are not registered in the contour', async () => {
    await expect(probe(plan, topology, 'prod', 'onokhino-sp')).rejects.toThrow(/not registered in the prod contour/);
  });
});
