// The contract's versions, decided once: which version an inventory follows, and each field whose
// meaning version 2 changed — with the warning a version-1 file gets (what to write) and what
// `prichal migrate` does about it: an edit it makes from the file's own facts, or a decision only
// a person can make. Validation (a version-1 file: these warnings; version 2: the rules' errors)
// and migrate both read this list; neither re-states it.
import type { FieldPath, Inventory, Located, OperatorFile, Participant, Words } from '../inventory/index.js';
import { productionAllowed, requiredSteps, serviceTestGaps } from './portal.js';
import { cite } from './regulations.js';

export const CURRENT_VERSION = 2;

/** The contract an inventory follows: operator.yaml's `version`, 1 when absent; without a readable operator.yaml, the current one. */
export const contractVersion = (operator: OperatorFile | undefined): number =>
  operator ? (operator.version ?? 1) : CURRENT_VERSION;

/** An edit migrate makes: a value set (a new key after the first of `after` the mapping has) or a key removed. */
export type MigrationEdit =
  | { path: FieldPath; value: unknown; after?: readonly string[]; flowFrom?: number }
  | { path: FieldPath; remove: true };

/** A field of a version-1 participant file that version 2 reads differently. */
export interface VersionOneReading {
  /** Where the warning and the decision point. */
  path: FieldPath;
  /** The warning in a version-1 file: what version 2 reads differently and what to write. */
  warning: Words;
  /** What migrate writes, with the words it reports it in. */
  edits?: Array<{ edit: MigrationEdit; what: Words }>;
  /** What only a person can decide; an error when the version-2 inventory does not validate until it is written. */
  decision?: { severity: 'error' | 'warning'; words: Words };
}

const SED_AFTER_SWITCH = ['requestSent', 'connectorReady', 'journals', 'system', 'mode'] as const;

/** What version 2 reads differently in a version-1 participant file, field by field (one reading per field and problem). */
export function versionOneReadings(p: Participant): VersionOneReading[] {
  const readings: VersionOneReading[] = [];
  const prod = p.registrations?.prod;
  const test = p.registrations?.test;

  // Connected to the СЭД: version 1 read it from a production registration, version 2 from the СЭД's own last stage.
  if (prod && p.sed.credentialsIssued === undefined && p.sed.commissioned === undefined) {
    const [field, clause] = p.sed.mode === 'operator' ? ['credentialsIssued', '1.5'] : ['commissioned', '2.5'];
    const stage = {
      en: `sed.${field}: <date> (${cite('sed', clause)})`,
      ru: `sed.${field}: <дата> (${cite('sed', clause)})`,
    };
    readings.push({
      path: ['sed'],
      warning: {
        en: `version 2 reads the СЭД connection from the СЭД stages, not from the production registration: with 'version: 2', write ${stage.en} if this participant is connected to the СЭД`,
        ru: `версия 2 берёт подключение к СЭД из этапов СЭД, а не из промышленной регистрации: с 'version: 2' напишите ${stage.ru}, если участник подключён к СЭД`,
      },
      decision: {
        severity: 'warning',
        words: {
          en: `version 1 counted this participant as connected to the СЭД through its production registration; version 2 counts it from the СЭД's last stage: write ${stage.en} if it is connected (migrate cannot infer the date)`,
          ru: `версия 1 считала участника подключённым к СЭД по промышленной регистрации; версия 2 — по последнему этапу СЭД: напишите ${stage.ru}, если участник подключён (migrate эту дату вывести не может)`,
        },
      },
    });
  }

  // Training on the connector path: version 1 asked every participant for it (form field 7); the connector path (п. 2) has none.
  if (p.sed.mode === 'connector' && p.sed.training !== undefined) {
    readings.push({
      path: ['sed', 'training'],
      warning: {
        en: `version 2's connector path (${cite('sed', '2')}) has no training and does not use this date: with 'version: 2', remove sed.training (prichal migrate does)`,
        ru: `в версии 2 при подключении через коннектор (${cite('sed', '2')}) обучения нет и эта дата не используется: с 'version: 2' уберите sed.training (prichal migrate это делает)`,
      },
      edits: [
        {
          edit: { path: ['sed', 'training'], remove: true },
          what: {
            en: `removed sed.training (${p.sed.training}): the connector path has no training`,
            ru: `удалено sed.training (${p.sed.training}): при подключении через коннектор обучения нет`,
          },
        },
      ],
    });
  }

  // The connector's switch to working mode (п. 2.4): version 1 recorded it on the production registration.
  if (p.sed.mode === 'connector' && prod?.switchDate !== undefined && p.sed.switchDate === undefined) {
    readings.push({
      path: ['registrations', 'prod', 'switchDate'],
      warning: {
        en: `version 1 recorded the connector's switch to working mode (${cite('sed', '2.4')}) here; version 2 records it as sed.switchDate and reads this one as the registration's production date: with 'version: 2', write sed.switchDate: ${prod.switchDate} (prichal migrate does)`,
        ru: `версия 1 записывала здесь перевод коннектора в рабочий режим (${cite('sed', '2.4')}); версия 2 записывает его в sed.switchDate, а эту дату читает как дату перевода регистрации в промышленную эксплуатацию: с 'version: 2' напишите sed.switchDate: ${prod.switchDate} (prichal migrate это делает)`,
      },
      edits: [
        {
          edit: { path: ['sed', 'switchDate'], value: prod.switchDate, after: SED_AFTER_SWITCH },
          what: {
            en: `sed.switchDate: ${prod.switchDate}, the connector's switch date version 1 recorded as registrations.prod.switchDate`,
            ru: `sed.switchDate: ${prod.switchDate} — дата перевода коннектора, которую версия 1 записывала в registrations.prod.switchDate`,
          },
        },
      ],
    });
  }

  // Production after the service test: version 1 needed the test registration 'tested'; version 2 the test recorded step by step (п. 4.6–4.7).
  const gaps = prod && productionAllowed(test?.status) ? serviceTestGaps(p) : [];
  if (gaps.length) {
    const services = p.services ?? [];
    const reading: VersionOneReading = {
      path: ['registrations', 'prod'],
      warning: services.length
        ? {
            en: `version 2 lets production follow the service test recorded step by step (${cite('portal', '4.6')}–4.7): with 'version: 2', write services[].tests${test?.tested ? ' (prichal migrate records them from registrations.test.tested)' : ''}`,
            ru: `в версии 2 промышленный контур следует за испытаниями услуги, записанными по шагам (${cite('portal', '4.6')}–4.7): с 'version: 2' напишите services[].tests${test?.tested ? ' (prichal migrate записывает их по registrations.test.tested)' : ''}`,
          }
        : {
            en: `version 2 lets production follow the recorded date of the test (${cite('portal', '4.6')}): with 'version: 2', write registrations.test.tested: <date>`,
            ru: `в версии 2 промышленный контур следует за записанной датой испытаний (${cite('portal', '4.6')}): с 'version: 2' напишите registrations.test.tested: <дата>`,
          },
    };
    const untested = services.map((s, i) => ({ s, i })).filter(({ s }) => s.tests === undefined);
    if (test?.tested && untested.length === services.length && services.length) {
      const tested = test.tested;
      // The organisation that ran the test as the operator of its information system (п. 4.6): version 1 recorded no person.
      const tester = p.name;
      reading.edits = untested.map(({ s, i }) => {
        const steps = requiredSteps(s);
        return {
          edit: {
            path: ['services', i, 'tests'],
            value: steps.map((step) => ({ step, date: tested, result: 'passed', tester })),
            flowFrom: 1,
          },
          what: {
            en: `services[${i}].tests: the test of ${tested} (registrations.test.tested) recorded per step (${steps.join(', ')}), the tester the organisation: version 1 named no person`,
            ru: `services[${i}].tests: испытания ${tested} (registrations.test.tested) записаны по шагам (${steps.join(', ')}), испытатель — организация: версия 1 не называла человека`,
          },
        };
      });
    } else {
      reading.decision = {
        severity: 'error',
        words: services.length
          ? {
              en: `write services[].tests (each step with date, result and tester): version 1 recorded no date of the test, migrate cannot infer it; until then production is refused (contour-order)`,
              ru: `напишите services[].tests (каждый шаг с датой, результатом и испытателем): версия 1 не записала дату испытаний, migrate её вывести не может; до тех пор промышленный контур запрещён (contour-order)`,
            }
          : {
              en: `write registrations.test.tested: <date the test passed>: version 1 did not need it, migrate cannot infer it; until then production is refused (contour-order)`,
              ru: `напишите registrations.test.tested: <дата успешных испытаний>: версии 1 она не требовалась, migrate её вывести не может; до тех пор промышленный контур запрещён (contour-order)`,
            },
      };
    }
    readings.push(reading);
  }
  return readings;
}

/**
 * Settlements coordinated by a `local-government`: version 1's only way to name the district
 * administration, which version 2 calls `municipal-district`. Each with its coordinator.
 */
export function settlementsUnderLocalGovernment(
  inventory: Inventory,
): Array<{ settlement: Located<Participant>; coordinator: Located<Participant> }> {
  const byId = new Map(inventory.participants.map((p) => [p.value.id, p]));
  const found: Array<{ settlement: Located<Participant>; coordinator: Located<Participant> }> = [];
  for (const settlement of inventory.participants) {
    if (settlement.value.kind !== 'rural-settlement' && settlement.value.kind !== 'urban-settlement') continue;
    const coordinator =
      settlement.value.coordinatedBy === undefined ? undefined : byId.get(settlement.value.coordinatedBy);
    if (coordinator?.value.kind === 'local-government') found.push({ settlement, coordinator });
  }
  return found;
}
