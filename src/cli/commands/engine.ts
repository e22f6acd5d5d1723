// preview | up | refresh | destroy: the Pulumi engine on one contour's stack, program inline.
// The inventory is validated first; one that does not validate is refused before the engine
// starts, so nothing changes.
import type { ContourName } from '../../inventory/index.js';
import { runEngine, stackSettings, type EngineAction, type EngineResult, type StepReport } from '../../infra/pulumi/engine.js';
import { UsageError } from '../errors.js';
import { busClient, liveContext } from '../context.js';
import { assertPromotable } from '../../infra/bus.js';

export interface EngineCommandOptions {
  action: EngineAction;
  inventory: string;
  contour: ContourName;
  participant?: string;
  refresh?: boolean;
  expectNoChanges?: boolean;
  log?: (line: string) => void;
}

const SYMBOL: Record<string, string> = { create: '+', update: '~', delete: '-', replace: '+-', 'create-replacement': '++', 'delete-replaced': '--', refresh: '~', read: '>', same: ' ' };
const MAX_CHANGES_SHOWN = 12;

export function stepText(step: StepReport): string {
  const time = step.durationMs === undefined ? '' : ` (${(step.durationMs / 1000).toFixed(1)} s)`;
  const head = `${SYMBOL[step.op] ?? '?'} ${step.op} ${step.type} ${step.name}${step.status === 'failed' ? ' FAILED' : ''}${time}`;
  const shown = step.changes.slice(0, MAX_CHANGES_SHOWN).map((c) => `    ${c.participant ? `${c.participant}: ` : ''}${c.message}`);
  if (step.changes.length > MAX_CHANGES_SHOWN) shown.push(`    … ${step.changes.length - MAX_CHANGES_SHOWN} more (--format json lists all)`);
  return [head, ...shown].join('\n');
}

export async function engineCommand(options: EngineCommandOptions): Promise<EngineResult> {
  if (options.expectNoChanges && options.action !== 'preview') throw new UsageError('--expect-no-changes goes with preview');
  const { plan, operator } = await liveContext(options.inventory);
  if (options.participant && !plan.contours.test.registrations.some((r) => r.participant === options.participant) && !plan.contours.prod.registrations.some((r) => r.participant === options.participant)) {
    throw new UsageError(`${options.participant} is registered in no contour of the inventory`);
  }
  // The promotion gate before anything starts: a refused production registration is a finding
  // (exit 1) with nothing changed, not an engine failure halfway. The provider checks it again.
  if (options.action === 'up' && options.contour === 'prod') {
    const testState = await (await busClient(operator, 'test')).read();
    const testStatus = new Map(plan.contours.test.registrations.map((r) => [r.participant, r.status]));
    for (const r of plan.contours.prod.registrations) {
      if (!options.participant || r.participant === options.participant) assertPromotable('prod', r.mnemonic, testStatus.get(r.participant), testState);
    }
  }
  const settings = await stackSettings(options.contour);
  const log = options.log;
  return runEngine({
    action: options.action,
    contour: options.contour,
    plan,
    operator,
    ...settings,
    ...(options.participant ? { participant: options.participant } : {}),
    ...(options.refresh ? { refresh: true } : {}),
    ...(log ? { onProgress: (step: StepReport) => log(stepText(step)) } : {}),
  });
}

export function engineText(r: EngineResult): string {
  const counts = Object.entries(r.summary).filter(([, n]) => n > 0).map(([op, n]) => `${n} ${op}`).join(', ') || 'nothing';
  const verb = r.action === 'preview' ? 'would change' : 'changed';
  const who = Object.keys(r.byParticipant).sort();
  return [
    `${r.action} ${r.contour} (backend ${r.backend}): ${counts}`,
    r.changed ? `${verb}: ${r.steps.filter((s) => s.op !== 'same').length} resources${who.length ? `; participants: ${who.join(', ')}` : ''}` : 'no changes',
    `engine start ${(r.timings.startupMs / 1000).toFixed(1)} s, total ${(r.timings.totalMs / 1000).toFixed(1)} s`,
  ].join('\n');
}
