// Inventory requirements (CH-1..3, BUS-2, SIG-1, ORG-1..2, WS-1) evaluated at a date, by the
// catalogue's checks. Each finding points at the participant file and the line of the field it
// is about, as validation's findings do.
import { daysBetween, locate, type FieldPath, type Inventory, type Participant } from '../inventory/index.js';
import { agreementsRequired, certificateState, cite, compareVersions, leasedLineGaps, missingAgreements, needsCoordinator, productionAllowed } from '../requirements/index.js';
import type { RequirementFinding } from './model.js';

type Draft = Omit<RequirementFinding, 'participant' | 'subject' | 'file' | 'line'> & { path: FieldPath };

export function auditInventory(inventory: Inventory, at: string): RequirementFinding[] {
  const out: RequirementFinding[] = [];
  const operator = inventory.operator?.value;
  const kinds = new Map(inventory.participants.map((p) => [p.value.id, p.value.kind]));
  for (const { value: p, source } of inventory.participants) {
    const add = ({ path, ...f }: Draft) => out.push({ participant: p.id, subject: source.file, file: source.file, line: locate(source, path).line, ...f });
    const registered = Boolean(p.registrations.test || p.registrations.prod);

    if (p.channel.type === 'internet' && registered) {
      add({ requirement: 'CH-1', path: ['channel', 'type'], severity: 'error', message: 'bus registrations over an open internet channel', evidence: `channel.type: internet; registrations: ${Object.keys(p.registrations).join(', ')}`, fix: `connect through the ViPNet coordinator or a dedicated leased line (${cite('portal', '9.1')}) and set channel.type accordingly` });
    }
    const vipnet = p.channel.type === 'vipnet' ? p.channel.vipnet : undefined;
    if (vipnet && operator) {
      const product = operator.cryptoProducts.find((c) => c.id === vipnet.product);
      const path = ['channel', 'vipnet', 'product'];
      if (!product) add({ requirement: 'CH-2', path, severity: 'error', message: `ViPNet product ${vipnet.product} is not in the operator's certified list`, evidence: `channel.vipnet.product: ${vipnet.product}`, fix: 'use a product from operator.yaml cryptoProducts (certified СКЗИ only)' });
      else if (daysBetween(at, product.validUntil) < 0) add({ requirement: 'CH-2', path, severity: 'error', message: `the conformity certificate ${product.certificate} of ${product.name} expired on ${product.validUntil}`, evidence: `cryptoProducts ${product.id}.validUntil: ${product.validUntil}`, fix: 'move to a product version with a valid certificate and update operator.yaml' });
    }
    if (p.channel.type === 'leased-line') {
      const missing = leasedLineGaps(p.channel.leasedLine);
      if (missing.length) add({ requirement: 'CH-3', path: ['channel', 'leasedLine'], severity: 'error', message: `leased line without ${missing.join(', ')}`, evidence: `channel.leasedLine: ${JSON.stringify(p.channel.leasedLine ?? {})}`, fix: `record the provider, circuit id and the application (${cite('portal', 'Приложение 10')})` });
    }
    if (p.registrations.prod && !productionAllowed(p.registrations.test?.status)) {
      add({ requirement: 'BUS-2', path: ['registrations', 'prod'], severity: 'error', message: 'production registration without a tested test registration', evidence: `registrations.test.status: ${p.registrations.test?.status ?? 'absent'}`, fix: `finish the test contour (the protocol of ${cite('portal', 'Приложение 9')}) before production (${cite('portal', '4.6')})` });
    }
    p.signers.forEach((s, i) => {
      const path = ['signers', i, 'certificate', 'notAfter'];
      const evidence = `certificate ${s.certificate.serial} of ${s.name}: ${s.certificate.notBefore} … ${s.certificate.notAfter}`;
      const state = certificateState(s.certificate, at, operator?.policy.certificateWarningDays ?? 0);
      if (state.state === 'not-yet-valid') add({ requirement: 'SIG-1', path: ['signers', i, 'certificate', 'notBefore'], severity: 'error', message: `the certificate of ${s.name} is not valid before ${s.certificate.notBefore}`, evidence, fix: 'check the certificate dates' });
      else if (state.state === 'expired') add({ requirement: 'SIG-1', path, severity: 'error', message: `the certificate of ${s.name} expired on ${s.certificate.notAfter}`, evidence, fix: 'issue a new qualified certificate (63-ФЗ) and update signers' });
      else if (state.state === 'expiring') add({ requirement: 'SIG-1', path, severity: 'warning', message: `the certificate of ${s.name} expires in ${state.days} days`, evidence, fix: 'order the renewal now' });
    });
    if (agreementsRequired(p, (id) => kinds.get(id))) {
      const missing = missingAgreements(p);
      if (missing.length) add({ requirement: 'ORG-1', path: p.agreements ? ['agreements'] : ['kind'], severity: 'error', message: `missing agreement: ${missing.join(', ')}`, evidence: `kind: ${p.kind}; agreements: ${JSON.stringify(p.agreements ?? {})}`, fix: `obtain the signed agreements (${cite('sed', '1.1')}, ${cite('sed', '2.2')}) and record their dates` });
    }
    const gaps = requestGaps(p);
    if (gaps.length) add({ requirement: 'ORG-2', path: [], severity: 'error', message: `support request incomplete: ${gaps.join(', ')}`, evidence: `fields 1–7 of the support request (${cite('sed')})`, fix: 'fill in the missing fields' });
    if (operator) {
      const version = p.workstations.cryptoPro;
      const path = ['workstations', 'cryptoPro'];
      if (compareVersions(version, operator.policy.minCryptoPro) < 0) add({ requirement: 'WS-1', path, severity: 'error', message: `CryptoPro CSP ${version} is below ${operator.policy.minCryptoPro}`, evidence: `workstations.cryptoPro: ${version}`, fix: `update CryptoPro CSP (5.0 recommended: ${cite('workstation')})` });
      else if (compareVersions(version, '5.0') < 0) add({ requirement: 'WS-1', path, severity: 'warning', message: `CryptoPro CSP ${version} is below the recommended 5.0`, evidence: `workstations.cryptoPro: ${version}`, fix: 'plan the update to CryptoPro CSP 5.0' });
    }
  }
  return out;
}

/** Fields of the support request form that are empty; journals only for new participants. */
export function requestGaps(p: Participant): string[] {
  const gaps: string[] = [];
  if (!p.name) gaps.push('organisation name');
  if (!p.head) gaps.push('head');
  if (!p.clerk.name) gaps.push('clerk name');
  if (!p.clerk.phone) gaps.push('clerk phone');
  if (!p.clerk.email) gaps.push('clerk e-mail');
  if (needsCoordinator(p.kind) && !p.coordinatedBy) gaps.push('coordinating body');
  const isNew = !p.registrations.prod;
  if (isNew && !(p.sed.journals ?? []).length) gaps.push('journals with number formats');
  return gaps;
}
