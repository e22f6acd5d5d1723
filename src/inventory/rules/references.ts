// Cross-file references: every name must resolve to something declared.
import { hasChannel, type Rule } from '../model.js';

function list(names: Iterable<string>): string {
  const all = [...names];
  return all.length ? all.join(', ') : '(none declared)';
}

export const referencesResolve: Rule = (inventory, findings) => {
  const participantIds = new Set(inventory.participants.map((p) => p.value.id));
  const operator = inventory.operator?.value;
  const edges = new Set(operator?.edges.map((e) => e.id));
  const products = new Set(operator?.cryptoProducts.map((c) => c.id));

  for (const { value: p, source } of inventory.participants) {
    if (p.coordinatedBy !== undefined && (!participantIds.has(p.coordinatedBy) || p.coordinatedBy === p.id)) {
      findings.at(
        source,
        ['coordinatedBy'],
        'unknown-reference',
        `coordinatedBy '${p.coordinatedBy}' must be the id of another participant in the inventory`,
      );
    }
    if (!hasChannel(p)) continue;
    // Edges and products live in operator.yaml; without a valid operator file there is nothing to check against.
    if (operator && !edges.has(p.channel.edge)) {
      findings.at(source, ['channel', 'edge'], 'unknown-reference', `edge '${p.channel.edge}' is not in operator.yaml edges: ${list(edges)}`);
    }
    if (operator && p.channel.vipnet && !products.has(p.channel.vipnet.product)) {
      findings.at(
        source,
        ['channel', 'vipnet', 'product'],
        'unknown-reference',
        `product '${p.channel.vipnet.product}' is not in operator.yaml cryptoProducts: ${list(products)}`,
      );
    }
    const endpointIds = new Set(p.endpoints.map((e) => e.id));
    for (const contour of ['test', 'prod'] as const) {
      p.registrations[contour]?.endpoints.forEach((id, index) => {
        if (!endpointIds.has(id)) {
          findings.at(
            source,
            ['registrations', contour, 'endpoints', index],
            'unknown-reference',
            `endpoint '${id}' is not one of this participant's endpoints: ${list(endpointIds)}`,
          );
        }
      });
    }
  }
};
