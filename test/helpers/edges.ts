// Hand-made edges for firewall tests: large synthetic ones and deliberately broken ones.
import { formatAddress } from '../../src/inventory/addresses.js';
import type { Flow, PlannedEdge } from '../../src/plan/index.js';

export function syntheticEdge(base: PlannedEdge, participants: number): PlannedEdge {
  const ingress: Flow[] = [];
  const egress: Flow[] = [];
  for (let i = 0; i < participants; i++) {
    const net = (10 << 24) + (100 << 16) + i * 256;
    const gw = formatAddress(((10 << 24) | (210 << 16)) + 2 + i);
    ingress.push({
      source: `${formatAddress(net)}/24`,
      destination: gw,
      port: 443,
      participant: `p${i}`,
      contour: 'test',
    });
    for (let k = 0; k < 3; k++)
      egress.push({
        source: gw,
        destination: formatAddress(net + 10 + k),
        port: k === 1 ? 8443 : 443,
        participant: `p${i}`,
        contour: 'test',
        endpoint: `e${k}`,
      });
  }
  return { ...base, participants: ingress.map((f) => f.participant), ingress, egress };
}
