// prichal plan [--save]: the plan of a valid inventory (gateway and link allocations, per
// contour the registered participants) and, with --save, its new allocations recorded.
import path from 'node:path';
import { writeAtomic } from '../files.js';
import { ALLOCATIONS_FILE, type Finding } from '../inventory/index.js';
import { savedAllocations, type Plan } from '../plan/index.js';
import { checkInventory } from '../requirements/index.js';

export interface PlanCommandResult {
  ok: boolean;
  plan: Plan | undefined;
  findings: Finding[];
  /** Set when --save wrote allocations.yaml. */
  saved?: string;
}

export async function plan(options: { inventory: string; at?: string; save: boolean }): Promise<PlanCommandResult> {
  const checked = await checkInventory(options.inventory, options.at);
  const result: PlanCommandResult = { ok: checked.ok, plan: checked.plan, findings: checked.findings };
  // Allocations are recorded only from a valid inventory, so that a broken file never frees
  // (and later hands out again) an address that a participant still holds.
  if (options.save && checked.ok && checked.plan) {
    const file = path.join(options.inventory, ALLOCATIONS_FILE);
    // Edited in place (hand comments kept), by the writing rule: a full disk or a killed run leaves
    // the old record whole (a truncated one would silently free addresses), and a link out of the
    // inventory is never written through.
    await writeAtomic(file, savedAllocations(checked.plan, checked.validation.loaded.allocations?.source.text));
    result.saved = file;
  }
  return result;
}
