// Address rules: networks never overlap each other or the operator's pools, endpoints live
// inside their participant's networks and use allowed ports.
import { addressValue, cidrInterval, contains, findOverlaps, type Interval } from '../addresses.js';
import type { FieldPath } from '../findings.js';
import type { Rule } from '../model.js';
import type { SourceFile } from '../source.js';

interface Owned extends Interval {
  source: SourceFile;
  path: FieldPath;
  /** How the range is named in messages. */
  label: string;
  participant: boolean;
}

export const subnetsDoNotOverlap: Rule = (inventory, findings) => {
  const ranges: Owned[] = [];
  const operator = inventory.operator;
  if (operator) {
    const op = operator.value;
    const add = (cidr: string, path: FieldPath, label: string) =>
      ranges.push({ ...cidrInterval(cidr), source: operator.source, path, label, participant: false });
    add(op.contours.test.gatewayPool, ['contours', 'test', 'gatewayPool'], `the test gatewayPool ${op.contours.test.gatewayPool}`);
    add(op.contours.prod.gatewayPool, ['contours', 'prod', 'gatewayPool'], `the prod gatewayPool ${op.contours.prod.gatewayPool}`);
    add(op.linkPool, ['linkPool'], `the linkPool ${op.linkPool}`);
    op.edges.forEach((edge, i) => add(`${edge.transit}/32`, ['edges', i, 'transit'], `the transit address ${edge.transit} of edge ${edge.id}`));
  }
  for (const { value, source } of inventory.participants) {
    value.networks.forEach((cidr, i) =>
      ranges.push({ ...cidrInterval(cidr), source, path: ['networks', i], label: `${cidr} of ${value.id} (${source.file})`, participant: true }),
    );
  }
  for (const [earlier, later] of findOverlaps(ranges)) {
    // Blame the participant side: the operator's pools are the fixed frame.
    const [blamed, other] = later.participant || !earlier.participant ? [later, earlier] : [earlier, later];
    findings.at(
      blamed.source,
      blamed.path,
      'subnet-overlap',
      `${blamed.label} overlaps ${other.label}; networks must be disjoint from each other, the gateway and link pools and edge transit addresses`,
    );
  }
};

export const endpointsInsideNetworks: Rule = (inventory, findings) => {
  for (const { value: p, source } of inventory.participants) {
    const networks = p.networks.map(cidrInterval);
    p.endpoints.forEach((endpoint, i) => {
      const value = addressValue(endpoint.address);
      if (!networks.some((n) => contains(n, { start: value, end: value }))) {
        findings.at(
          source,
          ['endpoints', i, 'address'],
          'endpoint-outside-networks',
          `${endpoint.address} is outside the participant's networks (${p.networks.join(', ')}); an endpoint must be inside one of them`,
        );
      }
    });
  }
};

export const endpointPortsAllowed: Rule = (inventory, findings) => {
  const allowed = inventory.operator?.value.policy.allowedPorts;
  if (!allowed) return;
  const set = new Set(allowed);
  for (const { value: p, source } of inventory.participants) {
    p.endpoints.forEach((endpoint, i) => {
      if (!set.has(endpoint.port)) {
        findings.at(
          source,
          ['endpoints', i, 'port'],
          'port-not-allowed',
          `port ${endpoint.port} is not allowed; policy.allowedPorts accepts ${allowed.join(', ')}`,
        );
      }
    });
  }
};
