// Shared access to the lab for integration tests: the sample plan, edge connections, bus clients.
import { checkInventory } from '../../src/requirements/index.js';
import {
  applyFirewalls as applyPlannedFirewalls,
  busClient,
  connectEdge,
  withEdge,
} from '../../src/workflows/context.js';
import type { OperatorFile } from '../../src/inventory/index.js';
import { readCredentials } from '../../src/infra/secrets.js';
import type { Plan, PlannedEdge } from '../../src/plan/index.js';
import { SAMPLE_INVENTORY } from '../helpers/inventory.js';

export async function loadSample(): Promise<{ plan: Plan; operator: OperatorFile }> {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  if (!checked.ok || !checked.plan || !checked.validation.inventory.operator)
    throw new Error('the sample inventory does not validate');
  return { plan: checked.plan, operator: checked.validation.inventory.operator.value };
}

export function edge(plan: Plan, id: string): PlannedEdge {
  const found = plan.edges.find((e) => e.id === id);
  if (!found) throw new Error(`no edge ${id}`);
  return found;
}

/**
 * Removes from the sample's vhosts every registration Prichal made that the sample's plan does not
 * have (users with permissions there, and queues named prichal.*): leftovers of earlier runs or an
 * older sample would otherwise be "extra" findings in every drift test. Returns what it removed.
 */
export async function removeUnplannedRegistrations(plan: Plan, operator: OperatorFile): Promise<string[]> {
  const removed: string[] = [];
  for (const contour of ['test', 'prod'] as const) {
    const client = await busClient(operator, contour);
    const state = await client.read();
    const planned = new Set(plan.contours[contour].registrations.map((r) => r.mnemonic));
    const present = new Set([
      ...state.permissions.map((p) => p.user).filter((u) => state.users.includes(u)),
      ...state.queues.map((q) => q.replace(/^prichal\./, '').replace(/\.in$/, '')),
    ]);
    for (const mnemonic of present) {
      if (planned.has(mnemonic)) continue;
      await client.remove(mnemonic);
      removed.push(`${contour}:${mnemonic}`);
    }
  }
  return removed;
}

/** Tests put the lab back after tampering with it: a full replace, which repairs any hand edit (a delta would keep those it does not touch). */
export const applyFirewalls = (edges: readonly PlannedEdge[]) => applyPlannedFirewalls(edges, { full: true });

export { busClient, connectEdge, withEdge };

/** A call to a contour's bus management API as its administrator (404 is an answer, not an error): for tests that change the bus behind Prichal's back. */
export async function busAdminFetch(
  operator: OperatorFile,
  contour: 'test' | 'prod',
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<Response> {
  const { username, password } = await readCredentials(operator.contours[contour].bus.credentials);
  const response = await fetch(new URL(`/api${apiPath}`, operator.contours[contour].bus.url), {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok && response.status !== 404) throw new Error(`${method} ${apiPath}: HTTP ${response.status}`);
  return response;
}
