// Shared access to the lab for integration tests: the sample plan, edge connections, bus clients.
import { checkInventory } from '../../src/requirements/index.js';
import { applyFirewalls, busClient, connectEdge, withEdge } from '../../src/workflows/context.js';
import type { OperatorFile } from '../../src/inventory/index.js';
import type { Plan, PlannedEdge } from '../../src/plan/index.js';
import { SAMPLE_INVENTORY } from '../helpers/inventory.js';

export async function loadSample(): Promise<{ plan: Plan; operator: OperatorFile }> {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  if (!checked.ok || !checked.plan || !checked.validation.inventory.operator) throw new Error('the sample inventory does not validate');
  return { plan: checked.plan, operator: checked.validation.inventory.operator.value };
}

export function edge(plan: Plan, id: string): PlannedEdge {
  const found = plan.edges.find((e) => e.id === id);
  if (!found) throw new Error(`no edge ${id}`);
  return found;
}

export { applyFirewalls, busClient, connectEdge, withEdge };
