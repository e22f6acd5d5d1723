// prichal audit / prichal drift: the requirement catalogue over the inventory and the live estate.
import path from 'node:path';
import { recordRun } from '../drift/history.js';
import { exitCode, type CheckResult } from '../drift/model.js';
import { runChecks, type CheckTimings, type Collectors } from '../drift/run.js';
import { PROJECT_ROOT } from '../project.js';
import { summary, writeReports } from '../report/index.js';
import { checkInventory, type CheckInventoryTimings } from '../requirements/index.js';
import { InvalidInventoryError } from './errors.js';

export const HISTORY_FILE = path.join(PROJECT_ROOT, '.state', 'history.jsonl');

/** Phases of one audit/drift run, for the benchmark: validation, planning, audit, reads, evaluation, reports. */
export type ChecksTimings = CheckInventoryTimings & CheckTimings & { reportMs?: number };

export async function checks(options: { kind: CheckResult['kind']; inventory: string; at?: string; out?: string; history?: string; collectors?: Collectors; timings?: ChecksTimings; progress?: (done: number, total: number, what: string) => void }): Promise<{ result: CheckResult; files: string[] }> {
  const checked = await checkInventory(options.inventory, options.at, options.timings);
  const operator = checked.validation.inventory.operator;
  const plan = checked.plan;
  if (!operator || !plan) throw new InvalidInventoryError(checked.findings, 'without a valid operator.yaml nothing can be checked');
  const progress = options.progress;
  const result = await runChecks({
    kind: options.kind,
    at: checked.at,
    inventory: checked.validation.inventory,
    plan,
    validation: checked.findings,
    ...(options.kind === 'audit'
      ? {}
      : {
          drift: {
            gateways: operator.value.gateways,
            ...(options.collectors ? { collectors: options.collectors } : {}),
            ...(options.timings ? { timings: options.timings } : {}),
            ...(progress ? { progress } : {}),
          },
        }),
  });
  const reportStart = performance.now();
  if (options.history) await recordRun(options.history, result);
  const files = options.out ? await writeReports(options.out, result) : [];
  if (options.timings) options.timings.reportMs = performance.now() - reportStart;
  return { result, files };
}

export { exitCode };
