// Audit: the catalogue's inventory checks run over each participant at a date. Each finding gets
// the id of the catalogue entry whose check produced it and points at the participant file and
// the line of the field it is about, as validation's findings do.
import { locate, type Inventory } from '../inventory/index.js';
import { INVENTORY_CHECKS, REQUIREMENTS, type CheckContext } from '../requirements/index.js';
import type { Progress } from '../progress.js';
import type { Words } from '../words.js';
import type { RequirementFinding } from './model.js';

const AUDITING: Words = { en: 'audit', ru: 'аудит' };

/** `only`: audit that participant alone (the documents check the one they certify); `progress`: told the participants done. */
export function auditInventory(
  inventory: Inventory,
  at: string,
  only?: string,
  progress?: Progress,
): RequirementFinding[] {
  const out: RequirementFinding[] = [];
  const kinds = new Map(inventory.participants.map((p) => [p.value.id, p.value.kind]));
  const context: CheckContext = { operator: inventory.operator?.value, at, kindOf: (id) => kinds.get(id) };
  for (const [i, { value: p, source }] of inventory.participants.entries()) {
    progress?.(AUDITING, i + 1, inventory.participants.length);
    if (only !== undefined && p.id !== only) continue;
    for (const { requirement, check } of INVENTORY_CHECKS)
      for (const { path, severity, ...words } of check(p, context))
        out.push({
          participant: p.id,
          subject: source.file,
          file: source.file,
          line: locate(source, path).line,
          requirement,
          severity: severity ?? REQUIREMENTS[requirement].severity,
          ...words,
        });
  }
  return out;
}
