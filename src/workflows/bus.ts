// prichal bus ensure|read: a contour's bus registrations created or corrected outside the engine
// (production only after a tested test registration), or read as they are.
import type { ContourName } from '../inventory/index.js';
import { assertPromotable, type BusState } from '../infra/bus.js';
import type { Lang } from '../report/index.js';
import { inContourRu } from '../words.js';
import { busClient, liveContext } from './context.js';
import { UsageError } from './errors.js';

export interface BusResult {
  state: BusState;
}

export async function bus(options: {
  action: string;
  inventory: string;
  contour: ContourName;
  participant?: string;
  log: (line: string) => void;
  lang?: Lang;
}): Promise<BusResult> {
  const { plan, operator } = await liveContext(options.inventory);
  const client = await busClient(operator, options.contour);
  if (options.action === 'read') return { state: await client.read() };
  if (options.action !== 'ensure')
    throw new UsageError({
      en: `bus takes ensure or read, not '${options.action}'`,
      ru: `bus: ensure или read, а не '${options.action}'`,
    });
  const registrations = plan.contours[options.contour].registrations.filter(
    (r) => !options.participant || r.participant === options.participant,
  );
  if (options.participant && registrations.length === 0)
    throw new UsageError({
      en: `${options.participant} is not registered in the ${options.contour} contour`,
      ru: `${options.participant} не зарегистрирован ${inContourRu(options.contour)}`,
    });
  const testState = options.contour === 'prod' ? await (await busClient(operator, 'test')).read() : undefined;
  const testStatus = new Map(plan.contours.test.registrations.map((r) => [r.participant, r.status]));
  const state = await client.read();
  for (const r of registrations) {
    assertPromotable(options.contour, r.mnemonic, testStatus.get(r.participant), testState);
    await client.ensure(r, state);
    options.log(
      options.lang === 'en'
        ? `${options.contour}: ${r.mnemonic} (${r.participant}) ensured`
        : `${options.contour}: ${r.mnemonic} (${r.participant}) приведён к плану`,
    );
  }
  return { state: await client.read() };
}
