// Organisation rules from the СЭД regulation (seed 000): who coordinates whom and who signs
// the agreements.
import type { Rule } from '../model.js';
import type { Participant } from '../types.generated.js';

const NEEDS_COORDINATOR: ReadonlySet<Participant['kind']> = new Set(['state-institution', 'municipal-institution', 'rural-settlement']);

export const coordinatorPresent: Rule = (inventory, findings) => {
  for (const { value: p, source } of inventory.participants) {
    if (NEEDS_COORDINATOR.has(p.kind) && !p.coordinatedBy) {
      // Anchored at `kind`: the field that makes coordinatedBy required (the missing field has no line).
      findings.at(
        source,
        ['kind'],
        'coordinator-required',
        `a ${p.kind} needs coordinatedBy: the id of the body that coordinates and controls it (form field 4)`,
      );
    }
  }
};

/**
 * Executive bodies and the institutions they coordinate sign no joining agreement (seed 000,
 * footnote *); everyone else signs both the joining and the personal-data agreement.
 */
export function agreementsRequired(p: Participant, kindOf: (id: string) => Participant['kind'] | undefined): boolean {
  if (p.kind === 'executive-body') return false;
  if (p.kind === 'state-institution' && p.coordinatedBy && kindOf(p.coordinatedBy) === 'executive-body') return false;
  return true;
}

export const agreementsPresent: Rule = (inventory, findings) => {
  const kinds = new Map(inventory.participants.map((p) => [p.value.id, p.value.kind]));
  for (const { value: p, source } of inventory.participants) {
    if (!agreementsRequired(p, (id) => kinds.get(id))) continue;
    const missing = (['joining', 'personalData'] as const).filter((field) => !p.agreements?.[field]);
    if (missing.length) {
      findings.at(
        source,
        p.agreements ? ['agreements'] : ['kind'],
        'agreement-missing',
        `a ${p.kind} signs the joining and personal-data agreements (seed 000 §1.1, §2.2); missing: ${missing.map((m) => `agreements.${m}`).join(', ')}`,
      );
    }
  }
};
