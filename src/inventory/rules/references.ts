// Cross-file references: every name must resolve to something declared.
import { quoted } from '../findings.js';
import { hasChannel, type Located, type Rule } from '../model.js';
import type { Participant } from '../types.generated.js';

function list(names: Iterable<string>): { en: string; ru: string } {
  const all = [...names];
  return all.length
    ? { en: all.join(', '), ru: all.join(', ') }
    : { en: '(none declared)', ru: '(не объявлено ни одного)' };
}

export const referencesResolve: Rule = (inventory, findings) => {
  const participantIds = new Set(inventory.participants.map((p) => p.value.id));
  const operator = inventory.operator?.value;
  const edges = new Set(operator?.edges.map((e) => e.id));
  const products = new Set(operator?.cryptoProducts.map((c) => c.id));

  for (const { value: p, source } of inventory.participants) {
    if (p.coordinatedBy !== undefined && (!participantIds.has(p.coordinatedBy) || p.coordinatedBy === p.id)) {
      findings.at(source, ['coordinatedBy'], 'unknown-reference', {
        en: `coordinatedBy ${quoted(p.coordinatedBy)} must be the id of another participant in the inventory`,
        ru: `coordinatedBy ${quoted(p.coordinatedBy)} должен быть идентификатором другого участника реестра`,
      });
    }
    if (!hasChannel(p)) continue;
    // Edges and products live in operator.yaml; without a valid operator file there is nothing to check against.
    if (operator && !edges.has(p.channel.edge)) {
      const known = list(edges);
      findings.at(source, ['channel', 'edge'], 'unknown-reference', {
        en: `edge ${quoted(p.channel.edge)} is not in operator.yaml edges: ${known.en}`,
        ru: `пограничного узла ${quoted(p.channel.edge)} нет среди edges в operator.yaml: ${known.ru}`,
      });
    }
    if (operator && p.channel.vipnet && !products.has(p.channel.vipnet.product)) {
      findings.at(source, ['channel', 'vipnet', 'product'], 'unknown-reference', {
        en: `product ${quoted(p.channel.vipnet.product)} is not in operator.yaml cryptoProducts: ${list(products).en}`,
        ru: `продукта ${quoted(p.channel.vipnet.product)} нет среди cryptoProducts в operator.yaml: ${list(products).ru}`,
      });
    }
    const endpointIds = new Set(p.endpoints.map((e) => e.id));
    for (const contour of ['test', 'prod'] as const) {
      p.registrations[contour]?.endpoints.forEach((id, index) => {
        if (!endpointIds.has(id)) {
          findings.at(source, ['registrations', contour, 'endpoints', index], 'unknown-reference', {
            en: `endpoint ${quoted(id)} is not one of this participant's endpoints: ${list(endpointIds).en}`,
            ru: `точки ${quoted(id)} нет среди endpoints этого участника: ${list(endpointIds).ru}`,
          });
        }
      });
    }
  }
};

/**
 * Coordination ends somewhere: following coordinatedBy from any participant never comes back to
 * it. A cycle (A coordinated by B, B by A, or longer) names no body that actually coordinates;
 * each participant in it gets a finding at its coordinatedBy naming the whole cycle. (A
 * participant naming itself is unknown-reference above; one that merely leads into a cycle is
 * not in it and gets none.) One pass over the graph: each participant has at most one
 * coordinator, so every walk ends at a participant already seen.
 */
export const coordinationIsAcyclic: Rule = (inventory, findings) => {
  const byId = new Map<string, Located<Participant>>();
  for (const p of inventory.participants) if (!byId.has(p.value.id)) byId.set(p.value.id, p);
  /** 0: on the walk now, 1: done. */
  const state = new Map<Located<Participant>, number>();
  for (const start of inventory.participants) {
    if (state.has(start)) continue;
    const trail: Located<Participant>[] = [];
    let at: Located<Participant> | undefined = start;
    while (at && !state.has(at)) {
      state.set(at, 0);
      trail.push(at);
      const next: string | undefined = at.value.coordinatedBy;
      at = next === undefined || next === at.value.id ? undefined : byId.get(next);
    }
    if (at && state.get(at) === 0) {
      const cycle = trail.slice(trail.indexOf(at));
      const names = [...cycle, cycle[0]!].map((p) => p.value.id).join(' → ');
      for (const { source } of cycle) {
        findings.at(source, ['coordinatedBy'], 'coordinator-cycle', {
          en: `coordinatedBy forms a cycle: ${names}; the chain of coordinating bodies must end at one that is coordinated by no one (an executive body, a municipal district)`,
          ru: `coordinatedBy замыкается в цикл: ${names}; цепочка координирующих органов должна заканчиваться органом, которого никто не координирует (исполнительный орган, муниципальный район)`,
        });
      }
    }
    for (const p of trail) state.set(p, 1);
  }
};
