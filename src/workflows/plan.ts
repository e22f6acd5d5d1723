// prichal plan [--save] [--move-gateway P=HOST…]: the plan of a valid inventory (gateway hosts,
// gateway and link allocations, per contour the registered participants) and, with --save, its
// new allocations and explicit gateway moves recorded.
import path from 'node:path';
import { writeAtomic } from '../files.js';
import { ALLOCATIONS_FILE, hasErrors, sortFindings, type Finding } from '../inventory/index.js';
import { allocatePlan, materializePlan, savedAllocations, type Plan } from '../plan/index.js';
import { checkInventory, type CheckedInventory } from '../requirements/index.js';
import { UsageError } from './errors.js';

export interface PlanCommandResult {
  ok: boolean;
  plan: Plan | undefined;
  findings: Finding[];
  /** Set when --save wrote allocations.yaml. */
  saved?: string;
}

/** `participant=host` pairs as --move-gateway takes them. */
function parseMoves(pairs: readonly string[]): Map<string, string> {
  const moves = new Map<string, string>();
  for (const pair of pairs) {
    const [participant, host, ...rest] = pair.split('=');
    if (!participant || !host || rest.length)
      throw new UsageError({
        en: `--move-gateway takes <participant>=<host>, not '${pair}'`,
        ru: `--move-gateway: <участник>=<хост>, а не '${pair}'`,
      });
    moves.set(participant, host);
  }
  return moves;
}

/** The plan with the gateways moved: the same check, planned again with the moves (each checked against the plan). */
function movedPlan(checked: CheckedInventory, moves: ReadonlyMap<string, string>): PlanCommandResult {
  const plan = checked.plan;
  if (plan) {
    const hosts = plan.gatewayHosts.map((h) => h.id);
    const placed = new Set(Object.values(plan.contours).flatMap((c) => c.registrations.map((r) => r.participant)));
    for (const [participant, host] of moves) {
      if (!placed.has(participant))
        throw new UsageError({
          en: `--move-gateway: ${participant} has no gateway in the plan (no provisioned registration)`,
          ru: `--move-gateway: у ${participant} нет шлюза в плане (нет развёрнутой регистрации)`,
        });
      if (!hosts.includes(host))
        throw new UsageError({
          en: `--move-gateway: no gateway host '${host}'; the hosts are ${hosts.join(', ')}`,
          ru: `--move-gateway: нет хоста шлюзов '${host}'; хосты: ${hosts.join(', ')}`,
        });
    }
  }
  const { validation } = checked;
  const { allocated, findings } = allocatePlan(
    validation.inventory,
    validation.loaded.allocations,
    validation.loaded.listed,
    { moves },
  );
  const all = sortFindings([...validation.findings, ...findings]);
  return { ok: !hasErrors(all), plan: allocated && materializePlan(allocated), findings: all };
}

export async function plan(options: {
  inventory: string;
  at?: string;
  save: boolean;
  moveGateway?: readonly string[];
}): Promise<PlanCommandResult> {
  const moves = parseMoves(options.moveGateway ?? []);
  const checked = await checkInventory(options.inventory, options.at);
  const result: PlanCommandResult = moves.size
    ? movedPlan(checked, moves)
    : { ok: checked.ok, plan: checked.plan, findings: checked.findings };
  // Allocations are recorded only from a valid inventory, so that a broken file never frees
  // (and later hands out again) an address that a participant still holds.
  if (options.save && result.ok && result.plan) {
    const file = path.join(options.inventory, ALLOCATIONS_FILE);
    // Edited in place (hand comments kept), by the writing rule: a full disk or a killed run leaves
    // the old record whole (a truncated one would silently free addresses), and a link out of the
    // inventory is never written through.
    await writeAtomic(file, savedAllocations(result.plan, checked.validation.loaded.allocations?.source.text));
    result.saved = file;
  }
  return result;
}
