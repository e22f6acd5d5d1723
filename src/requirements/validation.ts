// Validation's rules that are requirements: findings with file and line at `prichal validate`,
// decided by the same checks as audit and drift (checks.ts). Run by checkInventory after the
// structural rules of the inventory stage.
import { CONTOURS, type FindingCode, type Rule } from '../inventory/index.js';
import { registrationOrderGaps, serviceTestGaps, switchBeforeTest } from './portal.js';
import type { RequirementId } from './catalogue.js';
import { certificateState, leasedLineGapSeverity, leasedLineGaps, productionAllowed } from './checks.js';
import { cite } from './regulations.js';
import { agreementsRequired, coordinatorKinds, foreignStageFields, missingAgreements, needsCoordinator } from './sed.js';

/**
 * The validation codes that are requirements (the rules below): audit reports them under these
 * ids from the same checks. Every other validation finding is INV-1, in every run.
 */
export const REQUIREMENT_OF_CODE: Partial<Record<FindingCode, RequirementId>> = {
  'contour-order': 'BUS-2',
  'coordinator-required': 'ORG-2',
  'agreement-missing': 'ORG-1',
  'leased-line-incomplete': 'CH-3',
  'certificate-expiry': 'SIG-1',
};

/** BUS-2 in the inventory: `contour-order`. */
export const productionAfterTest: Rule = (inventory, findings) => {
  for (const { value: p, source } of inventory.participants) {
    if (!p.registrations?.prod) continue;
    const test = p.registrations.test;
    if (!productionAllowed(test?.status)) {
      findings.at(source, ['registrations', 'prod'], 'contour-order', `a prod registration needs the test registration to be 'tested' first (${cite('portal', '4.6')}); test is ${test ? `'${test.status}'` : 'absent'}`);
    } else {
      const gaps = serviceTestGaps(p);
      if (gaps.length) findings.at(source, ['registrations', 'prod'], 'contour-order', `a prod registration needs the service test passed in the test contour (${cite('portal', '4.6')}–4.7): ${gaps.join('; ')}`);
    }
  }
};

/** ORG-2's coordinating body: `coordinator-required`. */
export const coordinatorPresent: Rule = (inventory, findings) => {
  for (const { value: p, source } of inventory.participants) {
    // Anchored at `kind`: the field that makes coordinatedBy required (the missing field has no line).
    if (needsCoordinator(p.kind) && !p.coordinatedBy) findings.at(source, ['kind'], 'coordinator-required', `a ${p.kind} needs coordinatedBy: the id of the body that coordinates and controls it (form field 4)`);
  }
};

/** ORG-1: `agreement-missing`. */
export const agreementsPresent: Rule = (inventory, findings) => {
  const kinds = new Map(inventory.participants.map((p) => [p.value.id, p.value.kind]));
  for (const { value: p, source } of inventory.participants) {
    if (!agreementsRequired(p, (id) => kinds.get(id))) continue;
    const missing = missingAgreements(p);
    if (missing.length) {
      findings.at(source, p.agreements ? ['agreements'] : ['kind'], 'agreement-missing', `a ${p.kind} signs the joining and personal-data agreements (${cite('sed', '1.1')}, ${cite('sed', '2.2')}); missing: ${missing.map((m) => `agreements.${m}`).join(', ')}`);
    }
  }
};

/** CH-3: `leased-line-incomplete`. */
export const leasedLineDocumented: Rule = (inventory, findings) => {
  for (const { value: p, source } of inventory.participants) {
    if (p.channel?.type !== 'leased-line' || !p.channel.leasedLine) continue;
    const missing = leasedLineGaps(p.channel.leasedLine);
    const severity = leasedLineGapSeverity(p);
    const when = severity === 'error' ? 'a registration is approved, so the line is provisioned' : 'a warning until a registration is approved';
    if (missing.length) findings.at(source, ['channel', 'leasedLine'], 'leased-line-incomplete', `a leased line needs provider, circuit and the Appendix 10 application (${cite('portal', 'Приложение 10')}); missing: ${missing.join(', ')} (${when})`, { severity });
  }
};

/**
 * SIG-1 ahead of time: `certificate-expiry` warnings at `--at`. They do not make the inventory
 * invalid (audit's SIG-1 is the enforcing check); they tell the engineer early.
 */
export const certificatesCurrent: Rule = (inventory, findings, { at }) => {
  const warnDays = inventory.operator?.value.policy.certificateWarningDays ?? 30;
  const policy = typeof warnDays === 'number' ? `${warnDays} days` : `${warnDays.join(', ')} days`;
  for (const { value: p, source } of inventory.participants) {
    p.signers.forEach((signer, i) => {
      const state = certificateState(signer.certificate, at, warnDays);
      if (state.state === 'expired') findings.at(source, ['signers', i, 'certificate', 'notAfter'], 'certificate-expiry', `the certificate of ${signer.name} expired on ${signer.certificate.notAfter}; renew it before ${at}`, { severity: 'warning' });
      else if (state.state === 'expiring') findings.at(source, ['signers', i, 'certificate', 'notAfter'], 'certificate-expiry', `the certificate of ${signer.name} expires on ${signer.certificate.notAfter}, in ${state.days} days (policy warns ${policy} ahead)`, { severity: 'warning' });
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
  const byId = new Map(inventory.participants.map((p) => [p.value.id, p]));
  for (const { value: p, source } of inventory.participants) {
    const accepted = coordinatorKinds(p.kind);
    const coordinator = p.coordinatedBy === undefined ? undefined : byId.get(p.coordinatedBy);
    if (!accepted || !coordinator || accepted.has(coordinator.value.kind)) continue;
    const what = `${p.coordinatedBy} is a ${coordinator.value.kind}; a ${p.kind} is coordinated by ${[...accepted].join(' or ')}`;
    if (coordinator.value.kind === 'local-government' && accepted.has('municipal-district')) {
      findings.at(source, ['coordinatedBy'], 'coordinator-kind', `${what}: if ${p.coordinatedBy} is the district administration, write kind: municipal-district in ${coordinator.source.file}`, { severity: 'warning' });
    } else {
      findings.at(source, ['coordinatedBy'], 'coordinator-kind', what);
    }
  }
};

/**
 * The СЭД record says only what its path has (`sed-path`): the other path's stages, training on
 * the connector path (п. 2 has none), МЭДО outside executive bodies.
 */
export const sedPathFields: Rule = (inventory, findings) => {
  for (const { value: p, source } of inventory.participants) {
    for (const field of foreignStageFields(p.sed)) {
      findings.at(source, ['sed', field], 'sed-path', `sed.${field} belongs to the ${p.sed.mode === 'operator' ? 'connector' : 'operator'} path; in mode ${p.sed.mode} write ${p.sed.mode === 'operator' ? 'credentialsIssued (п. 1.5)' : 'commissioned (п. 2.5) and switchDate (п. 2.4)'} instead`);
    }
    if (p.sed.mode === 'connector' && p.sed.training !== undefined) {
      findings.at(source, ['sed', 'training'], 'sed-path', `the connector path (${cite('sed', '2')}) has no training; the date is not used — remove it`, { severity: 'warning' });
    }
    if (p.sed.medo !== undefined && p.kind !== 'executive-body') {
      findings.at(source, ['sed', 'medo'], 'sed-path', `МЭДО connects executive bodies; a ${p.kind} records its federal connection as sed.torSed (ГИС «ТОР СЭД»)`);
    }
  }
};

/** The registration lifecycle's dates agree with its status and with each other (`registration-dates`). */
export const registrationDatesConsistent: Rule = (inventory, findings) => {
  for (const { value: p, source } of inventory.participants) {
    for (const contour of CONTOURS) {
      const registration = p.registrations?.[contour];
      if (!registration) continue;
      for (const gap of registrationOrderGaps(registration)) findings.at(source, ['registrations', contour, gap.field], 'registration-dates', gap.message);
    }
    const early = p.registrations && switchBeforeTest(p.registrations);
    if (early) findings.at(source, ['registrations', 'prod', 'switchDate'], 'registration-dates', early);
  }
};

export const REQUIREMENT_RULES: readonly Rule[] = [registrationDatesConsistent, leasedLineDocumented, productionAfterTest, coordinatorPresent, coordinatorKindFits, agreementsPresent, certificatesCurrent, sedPathFields];
