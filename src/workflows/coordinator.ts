// prichal coordinator: what the ViPNet administrator must configure on the hub's coordinator (per
// approved ViPNet participant its network, node and tunnel ranges, and the `[id]` sections to
// compare with iplir.conf), printed and, with --out, written as Markdown, HTML and the sections.
import path from 'node:path';
import { coordinatorMarkdown, documentHtml } from '../docs/index.js';
import { makeFolder, writeAtomic } from '../files.js';
import type { PlannedCoordinator } from '../plan/index.js';
import { tunnelSections } from '../render/index.js';
import { checkInventory } from '../requirements/index.js';
import { InvalidInventoryError, UsageError } from './errors.js';

export interface CoordinatorResult {
  coordinators: Array<PlannedCoordinator & { markdown: string; files: string[] }>;
}

export async function coordinatorCommand(options: {
  inventory: string;
  edge?: string;
  out?: string;
}): Promise<CoordinatorResult> {
  const checked = await checkInventory(options.inventory);
  // A participant whose file cannot be read would be missing from the list the administrator follows.
  if (!checked.ok || !checked.plan)
    throw new InvalidInventoryError(checked.findings, {
      en: 'nothing is written: a participant that cannot be read would be missing from it',
      ru: 'ничего не сформировано: участник, который не читается, выпал бы из перечня',
    });
  const all = checked.plan.coordinators;
  const chosen = options.edge ? all.filter((c) => c.edge === options.edge) : all;
  if (options.edge && chosen.length === 0)
    throw new UsageError({
      en: `--edge: no ViPNet coordinator edge '${options.edge}' (edges of kind vipnet-coordinator: ${all.map((c) => c.edge).join(', ') || 'none'})`,
      ru: `--edge: нет координатора ViPNet '${options.edge}' (узлы вида vipnet-coordinator: ${all.map((c) => c.edge).join(', ') || 'нет'})`,
    });
  const operatorName = checked.validation.inventory.operator!.value.operator.name;
  const coordinators = [];
  for (const c of chosen) {
    const markdown = coordinatorMarkdown(c, operatorName);
    const files: string[] = [];
    if (options.out) {
      await makeFolder(options.out);
      const base = path.join(options.out, `coordinator-${c.edge}`);
      await writeAtomic(`${base}.md`, markdown);
      await writeAtomic(`${base}.html`, documentHtml(`Туннели координатора ViPNet ${c.edge}`, markdown));
      await writeAtomic(`${base}.iplir-sections.conf`, tunnelSections(c));
      files.push(`${base}.md`, `${base}.html`, `${base}.iplir-sections.conf`);
    }
    coordinators.push({ ...c, markdown, files });
  }
  return { coordinators };
}

export const coordinatorText = (r: CoordinatorResult): string =>
  r.coordinators.map((c) => [c.markdown.trimEnd(), ...c.files.map((f) => `записано: ${f}`)].join('\n')).join('\n\n');
