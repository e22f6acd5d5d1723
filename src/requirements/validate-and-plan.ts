// The shared front of every command and of the Pulumi program: read and validate the inventory
// folder at a date (structural rules, then the requirement rules), then build the plan. Whatever
// changes anything refuses to go on when this reports errors. The one module of the requirements
// stage that touches the file system (through the inventory stage's reader); the checks are pure.
import { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { hasErrors, sortFindings, validateInventory, type Finding, type ValidationResult } from '../inventory/index.js';
import { allocatePlan, materializePlan, type Plan } from '../plan/index.js';
import { REQUIREMENT_RULES } from './validation.js';
import { WordedError } from '../words.js';
import type { Progress } from '../progress.js';

/** The inventory folder does not exist: a usage error (exit 2), not an invalid inventory. */
export class InventoryNotFoundError extends WordedError {
  override readonly name = 'InventoryNotFoundError';
}

export interface CheckedInventory {
  validation: ValidationResult;
  /**
   * The plan; undefined without a valid operator.yaml. Built when first read: its allocations and
   * their findings are part of the check, the rest of it (registrations, flows: 100,000 objects for
   * 10,000 participants) only the commands that use it need; `prichal validate` does not.
   */
  readonly plan: Plan | undefined;
  findings: Finding[];
  ok: boolean;
  /** The date the checks evaluated at. */
  at: string;
}

/** Wall time of validation (read, parse, schema, rules) and of planning, in milliseconds. */
export interface CheckInventoryTimings {
  /** Reading and parsing the files (parallel, cached): part of validateMs. */
  loadMs?: number;
  validateMs?: number;
  /** Planning: allocating the addresses and checking the recorded ones (the plan's findings), and building the rest of the plan once read. */
  planMs?: number;
}

/**
 * `at`: the date for date-dependent rules, YYYY-MM-DD; omitted, today in the operator's time zone
 * (returned as `at`). `progress`: told the files read and parsed and the rules run so far.
 */
export async function checkInventory(
  root: string,
  at?: string,
  timings?: CheckInventoryTimings,
  progress?: Progress,
): Promise<CheckedInventory> {
  // A folder that cannot be examined (no permission, a loop of links) keeps why as the cause.
  const info = await stat(root).catch((error: unknown) => error);
  if (!(info instanceof Stats) || !info.isDirectory())
    throw new InventoryNotFoundError(
      {
        en: `inventory folder not found: ${path.resolve(root)} (set it with --inventory DIR)`,
        ru: `каталог реестра не найден: ${path.resolve(root)} (укажите его через --inventory DIR)`,
      },
      info instanceof Stats ? {} : { cause: info },
    );
  const started = performance.now();
  const validation = await validateInventory(root, {
    ...(at ? { at } : {}),
    rules: REQUIREMENT_RULES,
    ...(progress ? { progress } : {}),
  });
  const planStart = performance.now();
  const { allocated, findings: planFindings } = allocatePlan(
    validation.inventory,
    validation.loaded.allocations,
    validation.loaded.listed,
  );
  if (timings)
    Object.assign(timings, {
      loadMs: validation.loadMs,
      validateMs: planStart - started,
      planMs: performance.now() - planStart,
    });
  const findings = sortFindings([...validation.findings, ...planFindings]);
  let plan: Plan | undefined;
  return {
    validation,
    get plan() {
      if (plan === undefined && allocated) {
        const materializing = performance.now();
        plan = materializePlan(allocated);
        // Counted with the allocations as planning (the drift benchmark reports it).
        if (timings) timings.planMs = (timings.planMs ?? 0) + performance.now() - materializing;
      }
      return plan;
    },
    findings,
    ok: !hasErrors(findings),
    at: validation.at,
  };
}
