// prichal firewall render|apply: the edges' rulesets printed, or applied outside the engine
// (only the changed set elements when the host holds the last verified apply, else an atomic
// replace; verified, rolled back on failure).
import type { ApplyResult } from '../infra/firewall.js';
import type { Lang } from '../report/index.js';
import type { Words } from '../words.js';
import { renderEdgeRuleset } from '../render/index.js';
import { applyFirewalls, liveContext, selectEdges } from './context.js';
import { UsageError } from './errors.js';

export interface FirewallResult {
  applied?: ApplyResult[];
  rendered?: Array<{ edge: string; text: string }>;
}

export async function firewall(options: {
  action: string;
  inventory: string;
  edge?: string;
  full?: boolean;
  verify?: 'layout' | 'full';
  log: (line: string) => void;
  lang?: Lang;
}): Promise<FirewallResult> {
  const context = await liveContext(options.inventory);
  const edges = selectEdges(context.plan, options.edge);
  if (options.action === 'render') return { rendered: edges.map((e) => renderEdgeRuleset(e)) };
  if (options.action !== 'apply')
    throw new UsageError({
      en: `firewall takes apply or render, not '${options.action}'`,
      ru: `firewall: apply или render, а не '${options.action}'`,
    });
  const applied = await applyFirewalls(edges, {
    ...(options.full ? { full: true } : {}),
    ...(options.verify ? { verify: options.verify } : {}),
  });
  for (const r of applied) {
    const what = describeApply(r);
    options.log(
      options.lang === 'en'
        ? `${r.edge}: ${what.en} in ${r.durationMs.toFixed(0)} ms`
        : `${r.edge}: ${what.ru} за ${r.durationMs.toFixed(0)} мс`,
    );
  }
  return { applied };
}

/** What an apply did, in both languages (its reason and previous table are the apply's own codes). */
export function describeApply(r: ApplyResult): Words {
  if (r.mode === 'unchanged')
    return {
      en: 'unchanged (the table is the last verified apply)',
      ru: 'без изменений (таблица — последняя проверенная применённая)',
    };
  if (r.mode === 'delta')
    return {
      en: `delta applied and verified: ${r.added} elements added, ${r.removed} removed`,
      ru: `изменения применены и проверены: добавлено элементов ${r.added}, удалено ${r.removed}`,
    };
  return {
    en: `table replaced and verified (${r.bytes} bytes; ${r.reason}; previous table ${r.previous})`,
    ru: `таблица заменена и проверена (${r.bytes} байт; причина: ${r.reason}; прежняя таблица: ${r.previous})`,
  };
}
