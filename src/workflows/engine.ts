// preview | up | refresh | destroy | unlock: the Pulumi engine on one contour's stack, program inline.
// The inventory is validated first; one that does not validate is refused before the engine
// starts, so nothing changes.
import type { ContourName } from '../inventory/index.js';
import {
  runEngine,
  stackSettings,
  type EngineAction,
  type EngineResult,
  type LockHolder,
  type StepReport,
} from '../infra/pulumi/engine.js';
import { parseDuration } from '../infra/pulumi/errors.js';
import { UsageError } from './errors.js';
import { busClient, liveContext } from './context.js';
import { assertPromotable } from '../infra/bus.js';

export interface EngineCommandOptions {
  action: EngineAction;
  inventory: string;
  contour: ContourName;
  participant?: string;
  refresh?: boolean;
  expectNoChanges?: boolean;
  /** One call per resource operation, as it happens. */
  onProgress?: (step: StepReport) => void;
  /** --wait-lock DURATION ("90s", "10m", "1h"): wait that long for another run's lock instead of being refused at once. */
  waitLock?: string;
  /** One call each time the run waits for the lock (--wait-lock). */
  onLockWait?: (holders: LockHolder[], remainingMs: number) => void;
  /**
   * Asked before the run with its preview (refreshed for destroy); a no cancels it with nothing
   * changed. The CLI asks this for up and destroy without --yes.
   */
  confirm?: (preview: EngineResult) => Promise<boolean>;
}

export async function engineCommand(options: EngineCommandOptions): Promise<EngineResult> {
  if (options.confirm) {
    const { confirm, ...run } = options;
    const preview = await engineCommand({
      ...run,
      action: 'preview',
      refresh: options.action === 'destroy' || options.refresh,
      expectNoChanges: false,
    });
    if (!(await confirm(preview)))
      throw new UsageError({
        en: `${options.action} cancelled; nothing changed`,
        ru: `${options.action} отменён; ничего не изменено`,
      });
    return engineCommand(run);
  }
  if (options.expectNoChanges && options.action !== 'preview')
    throw new UsageError({
      en: '--expect-no-changes goes with preview',
      ru: '--expect-no-changes используется только с preview',
    });
  const waitLockMs = options.waitLock === undefined ? undefined : parseDuration(options.waitLock);
  if (options.waitLock !== undefined && waitLockMs === undefined)
    throw new UsageError({
      en: `--wait-lock takes a duration such as 90s, 10m or 1h, not '${options.waitLock}'`,
      ru: `--wait-lock: длительность вида 90s, 10m или 1h, а не '${options.waitLock}'`,
    });
  const { plan, operator } = await liveContext(options.inventory);
  if (
    options.participant &&
    !plan.contours.test.registrations.some((r) => r.participant === options.participant) &&
    !plan.contours.prod.registrations.some((r) => r.participant === options.participant)
  ) {
    throw new UsageError({
      en: `${options.participant} is registered in no contour of the inventory`,
      ru: `${options.participant} не зарегистрирован ни в одном контуре реестра`,
    });
  }
  // The promotion gate before anything starts: a refused production registration is a finding
  // (exit 1) with nothing changed, not an engine failure halfway. The provider checks it again.
  if (options.action === 'up' && options.contour === 'prod') {
    const testState = await (await busClient(operator, 'test')).read();
    const testStatus = new Map(plan.contours.test.registrations.map((r) => [r.participant, r.status]));
    for (const r of plan.contours.prod.registrations) {
      if (!options.participant || r.participant === options.participant)
        assertPromotable('prod', r.mnemonic, testStatus.get(r.participant), testState);
    }
  }
  const settings = await stackSettings(options.contour);
  return runEngine({
    action: options.action,
    contour: options.contour,
    plan,
    operator,
    ...settings,
    ...(options.participant ? { participant: options.participant } : {}),
    ...(options.refresh ? { refresh: true } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(waitLockMs !== undefined ? { waitLockMs } : {}),
    ...(options.onLockWait ? { onLockWait: options.onLockWait } : {}),
  });
}
