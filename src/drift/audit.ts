// Inventory requirements (CH-1..3, BUS-2, SIG-1, ORG-1..2, WS-1) evaluated at a date.
import { daysBetween, type Inventory, type Participant } from '../inventory/index.js';
import { agreementsRequired } from '../inventory/rules/organisation.js';
import type { Finding } from './model.js';


function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

export function auditInventory(inventory: Inventory, at: string): Finding[] {
  const out: Finding[] = [];
  const operator = inventory.operator?.value;
  const kinds = new Map(inventory.participants.map((p) => [p.value.id, p.value.kind]));
  const today = Date.parse(at);
  for (const { value: p, source } of inventory.participants) {
    const add = (f: Omit<Finding, 'participant' | 'subject'> & { subject?: string }) => out.push({ participant: p.id, subject: f.subject ?? source.file, ...f });
    const registered = Boolean(p.registrations.test || p.registrations.prod);

    if (p.channel.type === 'internet' && registered) {
      add({ requirement: 'CH-1', severity: 'error', message: 'bus registrations over an open internet channel', evidence: `channel.type: internet; registrations: ${Object.keys(p.registrations).join(', ')}`, fix: 'connect through the ViPNet coordinator or a dedicated leased line (seed 003 §9.1) and set channel.type accordingly' });
    }
    const vipnet = p.channel.type === 'vipnet' ? p.channel.vipnet : undefined;
    if (vipnet && operator) {
      const product = operator.cryptoProducts.find((c) => c.id === vipnet.product);
      if (!product) add({ requirement: 'CH-2', severity: 'error', message: `ViPNet product ${vipnet.product} is not in the operator's certified list`, evidence: `channel.vipnet.product: ${vipnet.product}`, fix: 'use a product from operator.yaml cryptoProducts (certified СКЗИ only)' });
      else if (Date.parse(product.validUntil) < today) add({ requirement: 'CH-2', severity: 'error', message: `the conformity certificate ${product.certificate} of ${product.name} expired on ${product.validUntil}`, evidence: `cryptoProducts ${product.id}.validUntil: ${product.validUntil}`, fix: 'move to a product version with a valid certificate and update operator.yaml' });
    }
    if (p.channel.type === 'leased-line') {
      const line = p.channel.leasedLine ?? {};
      const missing = (['provider', 'circuit', 'application'] as const).filter((k) => !line[k]);
      if (missing.length) add({ requirement: 'CH-3', severity: 'error', message: `leased line without ${missing.join(', ')}`, evidence: `channel.leasedLine: ${JSON.stringify(line)}`, fix: 'record the provider, circuit id and the Appendix 10 application' });
    }
    if (p.registrations.prod && p.registrations.test?.status !== 'tested') {
      add({ requirement: 'BUS-2', severity: 'error', message: 'production registration without a tested test registration', evidence: `registrations.test.status: ${p.registrations.test?.status ?? 'absent'}`, fix: 'finish the test contour (Appendix 9 protocol) before production (seed 003 §4.6)' });
    }
    p.signers.forEach((s) => {
      const days = daysBetween(at, s.certificate.notAfter);
      const evidence = `certificate ${s.certificate.serial} of ${s.name}: ${s.certificate.notBefore} … ${s.certificate.notAfter}`;
      if (Date.parse(s.certificate.notBefore) > today) add({ requirement: 'SIG-1', severity: 'error', message: `the certificate of ${s.name} is not valid before ${s.certificate.notBefore}`, evidence, fix: 'check the certificate dates' });
      else if (days < 0) add({ requirement: 'SIG-1', severity: 'error', message: `the certificate of ${s.name} expired on ${s.certificate.notAfter}`, evidence, fix: 'issue a new qualified certificate (63-ФЗ) and update signers' });
      else if (operator && days < operator.policy.certificateWarningDays) add({ requirement: 'SIG-1', severity: 'warning', message: `the certificate of ${s.name} expires in ${days} days`, evidence, fix: 'order the renewal now' });
    });
    if (agreementsRequired(p, (id) => kinds.get(id))) {
      const missing = (['joining', 'personalData'] as const).filter((k) => !p.agreements?.[k]);
      if (missing.length) add({ requirement: 'ORG-1', severity: 'error', message: `missing agreement: ${missing.join(', ')}`, evidence: `kind: ${p.kind}; agreements: ${JSON.stringify(p.agreements ?? {})}`, fix: 'obtain the signed agreements (seed 000 §1.1, §2.2) and record their dates' });
    }
    const gaps = requestGaps(p);
    if (gaps.length) add({ requirement: 'ORG-2', severity: 'error', message: `support request incomplete: ${gaps.join(', ')}`, evidence: 'fields 1–7 of the support request (seed 000)', fix: 'fill in the missing fields' });
    if (operator) {
      const version = p.workstations.cryptoPro;
      if (compareVersions(version, operator.policy.minCryptoPro) < 0) add({ requirement: 'WS-1', severity: 'error', message: `CryptoPro CSP ${version} is below ${operator.policy.minCryptoPro}`, evidence: `workstations.cryptoPro: ${version}`, fix: 'update CryptoPro CSP (5.0 recommended, seed 001)' });
      else if (compareVersions(version, '5.0') < 0) add({ requirement: 'WS-1', severity: 'warning', message: `CryptoPro CSP ${version} is below the recommended 5.0`, evidence: `workstations.cryptoPro: ${version}`, fix: 'plan the update to CryptoPro CSP 5.0' });
    }
  }
  return out;
}

/** Fields of the support request form (seed 000) that are empty; journals only for new participants. */
export function requestGaps(p: Participant): string[] {
  const gaps: string[] = [];
  if (!p.name) gaps.push('organisation name');
  if (!p.head) gaps.push('head');
  if (!p.clerk.name) gaps.push('clerk name');
  if (!p.clerk.phone) gaps.push('clerk phone');
  if (!p.clerk.email) gaps.push('clerk e-mail');
  if (['state-institution', 'municipal-institution', 'rural-settlement'].includes(p.kind) && !p.coordinatedBy) gaps.push('coordinating body');
  const isNew = !p.registrations.prod;
  if (isNew && !(p.sed.journals ?? []).length) gaps.push('journals with number formats');
  return gaps;
}
