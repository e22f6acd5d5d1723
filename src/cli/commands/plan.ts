import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ALLOCATIONS_FILE, CONTOURS, formatFinding, type Finding } from '../../inventory/index.js';
import { renderAllocations, type Plan } from '../../plan/index.js';
import { checkInventory } from '../../requirements/index.js';

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
    await writeFile(file, renderAllocations(checked.plan));
    result.saved = file;
  }
  return result;
}

export function planText(result: PlanCommandResult): string {
  const lines: string[] = result.findings.map(formatFinding);
  const plan = result.plan;
  if (plan) {
    for (const contour of CONTOURS) {
      const c = plan.contours[contour];
      lines.push(`contour ${contour} (vhost ${c.vhost}, gateways from ${c.gatewayPool}): ${c.registrations.length} registered`);
      for (const r of c.registrations) {
        const endpoints = r.endpoints.map((e) => `${e.address}:${e.port}`).join(', ');
        lines.push(
          `  ${r.participant.padEnd(24)} ${r.mnemonic.padEnd(14)} ${r.status.padEnd(10)} gw ${r.gateway.padEnd(13)}${r.newAllocation ? ' (new)' : '      '} ${r.edge}  ${r.networks.join(',')} -> ${endpoints}`,
        );
      }
      if (c.pending.length) lines.push(`  not provisioned in ${contour}: ${c.pending.length}`);
      for (const p of c.pending) lines.push(`  ${p.participant.padEnd(24)} ${p.mnemonic.padEnd(14)} ${p.status.padEnd(10)} ${p.reason}`);
    }
    lines.push(`leased-line links: ${plan.links.length}`);
    for (const l of plan.links) lines.push(`  ${l.participant.padEnd(24)} ${l.link.padEnd(16)} ${l.edge} ${l.edgeAddress} <-> ${l.participantAddress}${l.newAllocation ? ' (new)' : ''}`);
    const fresh = CONTOURS.flatMap((c) => plan.contours[c].registrations).filter((r) => r.newAllocation).length + plan.links.filter((l) => l.newAllocation).length;
    if (fresh && !result.saved) lines.push(`${fresh} new allocation(s) not yet recorded; run 'prichal plan --save' and commit ${ALLOCATIONS_FILE}`);
  }
  if (result.saved) lines.push(`wrote ${result.saved}`);
  if (!result.ok) lines.push('inventory is invalid: fix the errors above before applying');
  return lines.join('\n');
}
