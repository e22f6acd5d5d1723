// Cross-file references: every name must resolve to something declared.
import { hasChannel, type Rule } from '../model.js';

function list(names: Iterable<string>): { en: string; ru: string } {
  const all = [...names];
  return all.length ? { en: all.join(', '), ru: all.join(', ') } : { en: '(none declared)', ru: '(не объявлено ни одного)' };
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
        {
          en: `coordinatedBy '${p.coordinatedBy}' must be the id of another participant in the inventory`,
          ru: `coordinatedBy '${p.coordinatedBy}' должен быть идентификатором другого участника реестра`,
        },
      );
    }
    if (!hasChannel(p)) continue;
    // Edges and products live in operator.yaml; without a valid operator file there is nothing to check against.
    if (operator && !edges.has(p.channel.edge)) {
      const known = list(edges);
      findings.at(source, ['channel', 'edge'], 'unknown-reference', { en: `edge '${p.channel.edge}' is not in operator.yaml edges: ${known.en}`, ru: `пограничного узла '${p.channel.edge}' нет среди edges в operator.yaml: ${known.ru}` });
    }
    if (operator && p.channel.vipnet && !products.has(p.channel.vipnet.product)) {
      findings.at(
        source,
        ['channel', 'vipnet', 'product'],
        'unknown-reference',
        {
          en: `product '${p.channel.vipnet.product}' is not in operator.yaml cryptoProducts: ${list(products).en}`,
          ru: `продукта '${p.channel.vipnet.product}' нет среди cryptoProducts в operator.yaml: ${list(products).ru}`,
        },
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
            {
              en: `endpoint '${id}' is not one of this participant's endpoints: ${list(endpointIds).en}`,
              ru: `точки '${id}' нет среди endpoints этого участника: ${list(endpointIds).ru}`,
            },
          );
        }
      });
    }
  }
};
