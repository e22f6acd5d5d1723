// The rules validation runs after the structural rules of the inventory stage (`prichal
// validate`, through checkInventory): the rules of a requirement, worded beside its audit check
// in the requirement's module, and the contract's rules of no requirement of their own (here),
// whose findings audit reports as inventory validity.
import { CONTOURS, type Rule, type Rules } from '../inventory/index.js';
import { leasedLineDocumented } from './channel.js';
import { agreementsPresent, coordinatorPresent } from './organisation.js';
import { registrationOrderGaps, stagesAfter, switchBeforeTest } from './portal.js';
import { cite } from './regulations.js';
import { productionAfterTest } from './registration.js';
import { coordinatorKinds, foreignStageFields } from './sed.js';
import { certificatesCurrent } from './signers.js';
import { contractVersion, versionOneReadings } from './versions.js';

/**
 * The coordinator is of a kind that can coordinate this one (`coordinator-kind`): an executive body
 * for regional organisations, a body of local self-government for municipal ones, the municipal
 * district for a settlement. A settlement coordinated by a `local-government` (the version-1 way
 * to write a district administration) is a warning that says what to write instead.
 */
export const coordinatorKindFits: Rule = (inventory, findings) => {
  const versionOne = contractVersion(inventory.operator?.value) < 2;
  const byId = new Map(inventory.participants.map((p) => [p.value.id, p]));
  for (const { value: p, source } of inventory.participants) {
    const accepted = coordinatorKinds(p.kind);
    const coordinator = p.coordinatedBy === undefined ? undefined : byId.get(p.coordinatedBy);
    if (!accepted || !coordinator || accepted.has(coordinator.value.kind)) continue;
    const what = {
      en: `${p.coordinatedBy} is a ${coordinator.value.kind}; a ${p.kind} is coordinated by ${[...accepted].join(' or ')}`,
      ru: `${p.coordinatedBy} — участник вида ${coordinator.value.kind}; участника вида ${p.kind} координирует ${[...accepted].join(' или ')}`,
    };
    if (coordinator.value.kind === 'local-government' && accepted.has('municipal-district')) {
      // municipal-district is a version-2 kind: a version-1 inventory declares version 2 first.
      const v2 = versionOne
        ? {
            en: ` (a version-2 kind: with 'version: 2' in operator.yaml)`,
            ru: ` (вид версии 2: с 'version: 2' в operator.yaml)`,
          }
        : { en: '', ru: '' };
      findings.at(
        source,
        ['coordinatedBy'],
        'coordinator-kind',
        {
          en: `${what.en}: if ${p.coordinatedBy} is the district administration, write kind: municipal-district in ${coordinator.source.file}${v2.en}`,
          ru: `${what.ru}: если ${p.coordinatedBy} — администрация района, напишите kind: municipal-district в ${coordinator.source.file}${v2.ru}`,
        },
        { severity: 'warning' },
      );
    } else {
      findings.at(source, ['coordinatedBy'], 'coordinator-kind', what);
    }
  }
};

/**
 * The СЭД record says only what its path has (`sed-path`): the other path's stages, training on
 * the connector path (п. 2 has none), МЭДО outside executive bodies. Training on the connector
 * path is one error under version 2; a version-1 file asked everyone for it (a warning, versions.ts).
 */
export const sedPathFields: Rule = (inventory, findings) => {
  const versionOne = contractVersion(inventory.operator?.value) < 2;
  for (const { value: p, source } of inventory.participants) {
    for (const field of foreignStageFields(p.sed)) {
      // Training on the connector path: once, below, as the contract version reads it.
      if (field === 'training') continue;
      const operator = p.sed.mode === 'operator';
      const instead = operator ? 'credentialsIssued (п. 1.5)' : 'commissioned (п. 2.5) and switchDate (п. 2.4)';
      findings.at(source, ['sed', field], 'sed-path', {
        en: `sed.${field} belongs to the ${operator ? 'connector' : 'operator'} path; in mode ${p.sed.mode} write ${instead} instead`,
        ru: `sed.${field} относится к подключению ${operator ? 'через коннектор' : 'через оператора'}; в режиме ${p.sed.mode} вместо него пишут ${operator ? instead : 'commissioned (п. 2.5) и switchDate (п. 2.4)'}`,
      });
    }
    if (p.sed.mode === 'connector' && p.sed.training !== undefined && !versionOne) {
      findings.at(source, ['sed', 'training'], 'sed-path', {
        en: `the connector path (${cite('sed', '2')}) has no training (the operator path's stage, п. 1.3): remove sed.training; the connector path records connectorReady, requestSent with switchDate, and commissioned`,
        ru: `при подключении через коннектор (${cite('sed', '2')}) обучения нет (это этап подключения через оператора, п. 1.3): уберите sed.training; при подключении через коннектор записывают connectorReady, requestSent со switchDate и commissioned`,
      });
    }
    if (p.sed.medo !== undefined && p.kind !== 'executive-body') {
      findings.at(source, ['sed', 'medo'], 'sed-path', {
        en: `МЭДО connects executive bodies; a ${p.kind} records its federal connection as sed.torSed (ГИС «ТОР СЭД»)`,
        ru: `к МЭДО подключаются органы исполнительной власти; участник вида ${p.kind} записывает федеральное подключение в sed.torSed (ГИС «ТОР СЭД»)`,
      });
    }
  }
};

/** The registration lifecycle's dates agree with its status, with each other and with today (`registration-dates`). */
export const registrationDatesConsistent: Rule = (inventory, findings, { at }) => {
  for (const { value: p, source } of inventory.participants) {
    for (const contour of CONTOURS) {
      const registration = p.registrations?.[contour];
      if (!registration) continue;
      for (const gap of [...registrationOrderGaps(registration), ...stagesAfter(registration, at)])
        findings.at(source, ['registrations', contour, gap.field], 'registration-dates', gap.message);
    }
    const early = p.registrations && switchBeforeTest(p.registrations);
    if (early) findings.at(source, ['registrations', 'prod', 'switchDate'], 'registration-dates', early);
  }
};

/** A version-1 file: each field version 2 reads differently is one warning saying what to write (`schema-version`). */
export const versionOneReadingsNamed: Rule = (inventory, findings) => {
  if (contractVersion(inventory.operator?.value) >= 2) return;
  for (const { value: p, source } of inventory.participants) {
    for (const reading of versionOneReadings(p))
      findings.at(source, reading.path, 'schema-version', reading.warning, { severity: 'warning' });
  }
};

/** File rules (one participant's file, operator.yaml and the date) and inventory rules (validate.ts: Rules). */
export const REQUIREMENT_RULES: Rules = {
  file: [
    registrationDatesConsistent,
    leasedLineDocumented,
    productionAfterTest,
    coordinatorPresent,
    certificatesCurrent,
    sedPathFields,
    versionOneReadingsNamed,
  ],
  inventory: [coordinatorKindFits, agreementsPresent],
};
