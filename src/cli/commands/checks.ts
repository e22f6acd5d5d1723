// prichal audit / prichal drift: the requirement catalogue over the inventory and the live estate.
import path from 'node:path';
import { recordRun } from '../../drift/history.js';
import { exitCode, type CheckResult } from '../../drift/model.js';
import { runChecks, type CheckTimings, type Collectors } from '../../drift/run.js';
import { PROJECT_ROOT } from '../../project.js';
import { summary, writeReports } from '../../report/index.js';
import { checkInventory, type CheckInventoryTimings } from '../../plan/index.js';
import { UsageError } from '../errors.js';

export const HISTORY_FILE = path.join(PROJECT_ROOT, '.state', 'history.jsonl');

function progressBar(): ((done: number, total: number, what: string) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total, what) => {
    const width = 24;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${what.padEnd(12)}${done === total ? '\n' : ''}`);
  };
}

/** Phases of one audit/drift run, for the benchmark: validation, planning, audit, reads, evaluation, reports. */
export type ChecksTimings = CheckInventoryTimings & CheckTimings & { reportMs?: number };

export async function checks(options: { kind: CheckResult['kind']; inventory: string; at?: string; out?: string; history?: string; collectors?: Collectors; timings?: ChecksTimings }): Promise<{ result: CheckResult; files: string[] }> {
  const checked = await checkInventory(options.inventory, options.at, options.timings);
  const operator = checked.validation.inventory.operator;
  const plan = checked.plan;
  if (!operator || !plan) throw new UsageError(`the inventory ${options.inventory} has no valid operator.yaml; run 'prichal validate'`);
  const progress = progressBar();
  const result = await runChecks({
    kind: options.kind,
    at: checked.at,
    inventory: checked.validation.inventory,
    plan,
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

export function checksText({ result, files }: { result: CheckResult; files: string[] }): string {
  const s = summary(result);
  const lines = [`${result.kind}: ${s.status} — ${s.errors} errors, ${s.warnings} warnings, ${s.waived} waived, ${s.unchecked} not checked`];
  for (const u of result.unchecked) lines.push(`  NOT CHECKED ${u.subject} (${u.requirements.join(', ')}): ${u.reason}`);
  for (const f of result.findings) lines.push(`  ${f.severity === 'error' ? 'ERROR' : 'WARN '} ${f.requirement.padEnd(5)} ${(f.participant || f.subject).padEnd(22)} ${f.contour ? `[${f.contour}] ` : ''}${f.message}`);
  for (const f of result.waived) lines.push(`  WAIVED ${f.requirement} ${f.participant}: ${f.message} (${f.waiver!.reason}; ${f.waiver!.owner}, until ${f.waiver!.expires})`);
  if (result.trend) lines.push(`  trend: ${result.trend.new} new, ${result.trend.fixed} fixed, ${result.trend.persisting} persisting`);
  for (const f of files) lines.push(`  wrote ${f}`);
  return lines.join('\n');
}

export { exitCode };
