// Validation's rules that are requirements: findings with file and line at `prichal validate`,
// decided by the same checks as audit and drift (checks.ts). Run by checkInventory after the
// structural rules of the inventory stage.
import { CONTOURS, joinWords, russianDate, type FindingCode, type Rule, type Rules } from '../inventory/index.js';
import { registrationOrderGaps, serviceTestGaps, switchBeforeTest } from './portal.js';
import type { RequirementId } from './catalogue.js';
import { certificateState, leasedLineGapSeverity, leasedLineGaps, productionAllowed } from './checks.js';
import { cite } from './regulations.js';
import {
  agreementsRequired,
  coordinatorKinds,
  foreignStageFields,
  missingAgreements,
  needsCoordinator,
} from './sed.js';
import { contractVersion, versionOneReadings } from './versions.js';

/**
 * The validation codes that are requirements (the rules below): audit reports them under these
 * ids from the same checks. Every other validation finding is INV-1, in every run.
 */
export const REQUIREMENT_OF_CODE: Partial<Record<FindingCode, RequirementId>> = {
  'contour-order': 'BUS-2',
  'coordinator-required': 'ORG-2',
  'coordinator-cycle': 'ORG-2',
  'agreement-missing': 'ORG-1',
  'leased-line-incomplete': 'CH-3',
  'certificate-expiry': 'SIG-1',
};

/**
 * BUS-2 in the inventory: `contour-order`. A version-1 file needed only the test registration
 * 'tested'; what version 2 adds (the service test step by step) is a warning there (versions.ts).
 */
export const productionAfterTest: Rule = (inventory, findings) => {
  const versionOne = contractVersion(inventory.operator?.value) < 2;
  for (const { value: p, source } of inventory.participants) {
    if (!p.registrations?.prod) continue;
    const test = p.registrations.test;
    if (!productionAllowed(test?.status)) {
      findings.at(source, ['registrations', 'prod'], 'contour-order', {
        en: `a prod registration needs the test registration to be 'tested' first (${cite('portal', '4.6')}); test is ${test ? `'${test.status}'` : 'absent'}`,
        ru: `для промышленной регистрации тестовая сначала должна быть в статусе 'tested' (${cite('portal', '4.6')}); тестовая ${test ? `в статусе '${test.status}'` : 'отсутствует'}`,
      });
    } else if (!versionOne) {
      const gaps = serviceTestGaps(p);
      if (gaps.length) {
        const open = joinWords(gaps, '; ');
        findings.at(source, ['registrations', 'prod'], 'contour-order', {
          en: `a prod registration needs the service test passed in the test contour (${cite('portal', '4.6')}–4.7): ${open.en}`,
          ru: `для промышленной регистрации нужны пройденные испытания услуги в тестовом контуре (${cite('portal', '4.6')}–4.7): ${open.ru}`,
        });
      }
    }
  }
};

/** ORG-2's coordinating body: `coordinator-required`. */
export const coordinatorPresent: Rule = (inventory, findings) => {
  for (const { value: p, source } of inventory.participants) {
    // Anchored at `kind`: the field that makes coordinatedBy required (the missing field has no line).
    if (needsCoordinator(p.kind) && !p.coordinatedBy) {
      findings.at(source, ['kind'], 'coordinator-required', {
        en: `a ${p.kind} needs coordinatedBy: the id of the body that coordinates and controls it (form field 4)`,
        ru: `участнику вида ${p.kind} нужен coordinatedBy: идентификатор органа, осуществляющего координацию и контроль (поле 4 заявки)`,
      });
    }
  }
};

/** ORG-1: `agreement-missing`. */
export const agreementsPresent: Rule = (inventory, findings) => {
  const kinds = new Map(inventory.participants.map((p) => [p.value.id, p.value.kind]));
  for (const { value: p, source } of inventory.participants) {
    if (!agreementsRequired(p, (id) => kinds.get(id))) continue;
    const missing = missingAgreements(p);
    if (missing.length) {
      const fields = missing.map((m) => `agreements.${m}`).join(', ');
      findings.at(source, p.agreements ? ['agreements'] : ['kind'], 'agreement-missing', {
        en: `a ${p.kind} signs the joining and personal-data agreements (${cite('sed', '1.1')}, ${cite('sed', '2.2')}); missing: ${fields}`,
        ru: `участник вида ${p.kind} подписывает соглашение о присоединении и соглашение об обработке персональных данных (${cite('sed', '1.1')}, ${cite('sed', '2.2')}); не указано: ${fields}`,
      });
    }
  }
};

/** CH-3: `leased-line-incomplete`. */
export const leasedLineDocumented: Rule = (inventory, findings) => {
  for (const { value: p, source } of inventory.participants) {
    if (p.channel?.type !== 'leased-line' || !p.channel.leasedLine) continue;
    const missing = leasedLineGaps(p.channel.leasedLine);
    const severity = leasedLineGapSeverity(p);
    if (!missing.length) continue;
    const error = severity === 'error';
    findings.at(
      source,
      ['channel', 'leasedLine'],
      'leased-line-incomplete',
      {
        en: `a leased line needs provider, circuit and the Appendix 10 application (${cite('portal', 'Приложение 10')}); missing: ${missing.join(', ')} (${error ? 'a registration is approved, so the line is provisioned' : 'a warning until a registration is approved'})`,
        ru: `для выделенной линии нужны провайдер, идентификатор канала и заявка по ${cite('portal', 'Приложение 10')}; не указано: ${missing.join(', ')} (${error ? 'регистрация согласована, линия подключается' : 'предупреждение, пока регистрация не согласована'})`,
      },
      { severity },
    );
  }
};

/**
 * SIG-1 ahead of time: `certificate-expiry` warnings at `--at`. They do not make the inventory
 * invalid (audit's SIG-1 is the enforcing check); they tell the engineer early.
 */
export const certificatesCurrent: Rule = (inventory, findings, { at }) => {
  const warnDays = inventory.operator?.value.policy.certificateWarningDays ?? 30;
  const days = typeof warnDays === 'number' ? `${warnDays}` : warnDays.join(', ');
  for (const { value: p, source } of inventory.participants) {
    p.signers.forEach((signer, i) => {
      const state = certificateState(signer.certificate, at, warnDays);
      const notAfter = signer.certificate.notAfter;
      const where = ['signers', i, 'certificate', 'notAfter'];
      if (state.state === 'expired') {
        findings.at(
          source,
          where,
          'certificate-expiry',
          {
            en: `the certificate of ${signer.name} expired on ${notAfter}; renew it before ${at}`,
            ru: `сертификат ${signer.name} истёк ${russianDate(notAfter)}; замените его до ${russianDate(at)}`,
          },
          { severity: 'warning' },
        );
      } else if (state.state === 'expiring') {
        findings.at(
          source,
          where,
          'certificate-expiry',
          {
            en: `the certificate of ${signer.name} expires on ${notAfter}, in ${state.days} days (policy warns ${days} days ahead)`,
            ru: `сертификат ${signer.name} истекает ${russianDate(notAfter)}, через ${state.days} дн. (политика предупреждает за ${days} дн.)`,
          },
          { severity: 'warning' },
        );
      }
    });
  }
};

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

/** The registration lifecycle's dates agree with its status and with each other (`registration-dates`). */
export const registrationDatesConsistent: Rule = (inventory, findings) => {
  for (const { value: p, source } of inventory.participants) {
    for (const contour of CONTOURS) {
      const registration = p.registrations?.[contour];
      if (!registration) continue;
      for (const gap of registrationOrderGaps(registration))
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
