// Validation's rules that are requirements: findings with file and line at `prichal validate`,
// decided by the same checks as audit and drift (checks.ts). Run by checkInventory after the
// structural rules of the inventory stage.
import { type FindingCode, type Rule } from '../inventory/index.js';
import type { RequirementId } from './catalogue.js';
import { agreementsRequired, certificateState, leasedLineGaps, missingAgreements, needsCoordinator, productionAllowed } from './checks.js';
import { cite } from './regulations.js';

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
    if (!p.registrations.prod) continue;
    const test = p.registrations.test;
    if (!productionAllowed(test?.status)) {
      findings.at(source, ['registrations', 'prod'], 'contour-order', `a prod registration needs the test registration to be 'tested' first (${cite('portal', '4.6')}); test is ${test ? `'${test.status}'` : 'absent'}`);
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
    if (p.channel.type !== 'leased-line' || !p.channel.leasedLine) continue;
    const missing = leasedLineGaps(p.channel.leasedLine);
    if (missing.length) findings.at(source, ['channel', 'leasedLine'], 'leased-line-incomplete', `a leased line needs provider, circuit and the Appendix 10 application (${cite('portal', 'Приложение 10')}); missing: ${missing.join(', ')}`);
  }
};

/**
 * SIG-1 ahead of time: `certificate-expiry` warnings at `--at`. They do not make the inventory
 * invalid (audit's SIG-1 is the enforcing check); they tell the engineer early.
 */
export const certificatesCurrent: Rule = (inventory, findings, { at }) => {
  const warnDays = inventory.operator?.value.policy.certificateWarningDays ?? 30;
  for (const { value: p, source } of inventory.participants) {
    p.signers.forEach((signer, i) => {
      const state = certificateState(signer.certificate, at, warnDays);
      if (state.state === 'expired') findings.at(source, ['signers', i, 'certificate', 'notAfter'], 'certificate-expiry', `the certificate of ${signer.name} expired on ${signer.certificate.notAfter}; renew it before ${at}`, { severity: 'warning' });
      else if (state.state === 'expiring') findings.at(source, ['signers', i, 'certificate', 'notAfter'], 'certificate-expiry', `the certificate of ${signer.name} expires on ${signer.certificate.notAfter}, in ${state.days} days (policy warns ${warnDays} days ahead)`, { severity: 'warning' });
    });
  }
};

export const REQUIREMENT_RULES: readonly Rule[] = [leasedLineDocumented, productionAfterTest, coordinatorPresent, agreementsPresent, certificatesCurrent];
