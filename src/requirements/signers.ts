// SIG-1 (Регламент подключения к СЭД, п. 1.2 and 2.3; 63-ФЗ, ст. 6): the head and the clerk hold
// qualified certificates from an accredited CA, valid at the date — decided and worded here, for
// audit (the check) and validation (certificate-expiry, the early warning).
import { daysBetween, russianDate, type OperatorFile, type Participant, type Rule } from '../inventory/index.js';
import { cite } from './regulations.js';
import type { InventoryCheck } from './requirement-check.js';

/** Where a certificate stands at a date; `reminder`: the warning threshold reached (days). */
export type CertificateState =
  | { state: 'not-yet-valid' }
  | { state: 'expired' }
  | { state: 'expiring'; days: number; reminder: number }
  | { state: 'valid'; days: number };

/**
 * `warningDays`: policy.certificateWarningDays — one number, or reminders such as [30, 14, 7]: the
 * largest starts the warning, and the finding names the nearest reminder reached.
 */
export function certificateState(
  certificate: { notBefore: string; notAfter: string },
  at: string,
  warningDays: number | readonly number[],
): CertificateState {
  if (daysBetween(at, certificate.notBefore) > 0) return { state: 'not-yet-valid' };
  const days = daysBetween(at, certificate.notAfter);
  if (days < 0) return { state: 'expired' };
  const reached = (typeof warningDays === 'number' ? [warningDays] : warningDays).filter((r) => days < r);
  return reached.length ? { state: 'expiring', days, reminder: Math.min(...reached) } : { state: 'valid', days };
}

/** The roles that must sign in the СЭД (п. 1.2, 2.3: «руководитель, делопроизводитель»). */
export const REQUIRED_SIGNERS = ['head', 'clerk'] as const;
export function missingSigners(p: Participant): Array<(typeof REQUIRED_SIGNERS)[number]> {
  return REQUIRED_SIGNERS.filter((role) => !p.signers.some((s) => s.role === role));
}

type Authority = NonNullable<OperatorFile['certificateAuthorities']>[number];
const normalName = (s: string) =>
  s
    .replace(/[«»"']/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

/**
 * Does the certificate come from an accredited CA of the operator's list? Matched by the issuer's
 * name and, when the CA lists its key ids, by the authority key identifier. Node cannot verify
 * GOST signatures, so this is an identification, not a chain verification — and says so.
 */
export type IssuerState =
  | { state: 'accepted'; authority: Authority }
  | { state: 'unknown-issuer' }
  | { state: 'unknown-key'; authority: Authority }
  | { state: 'key-not-recorded'; authority: Authority }
  | { state: 'accreditation-ended'; authority: Authority };

export function issuerState(
  certificate: { issuer: string; authorityKeyId?: string },
  authorities: readonly Authority[],
  at: string,
): IssuerState {
  const authority = authorities.find((a) => normalName(a.name) === normalName(certificate.issuer));
  if (!authority) return { state: 'unknown-issuer' };
  if (authority.accreditedUntil && daysBetween(at, authority.accreditedUntil) < 0)
    return { state: 'accreditation-ended', authority };
  if (authority.keyIds?.length) {
    if (!certificate.authorityKeyId) return { state: 'key-not-recorded', authority };
    if (!authority.keyIds.some((k) => k.toLowerCase() === certificate.authorityKeyId!.toLowerCase()))
      return { state: 'unknown-key', authority };
  }
  return { state: 'accepted', authority };
}

/** SIG-1 in audit: the signers present, each certificate valid at the date and from an accredited CA. */
export const checkSignerCertificates: InventoryCheck = function* (p, { operator, at }) {
  const missing = missingSigners(p);
  if (missing.length)
    yield {
      path: ['signers'],
      message: `no qualified certificate for the ${missing.join(' and the ')}`,
      evidence: `signers: ${p.signers.map((s) => s.role).join(', ') || 'none'}`,
      fix: `obtain certificates for the head and the clerk (${cite('sed', '1.2')}, ${cite('sed', '2.3')}) and import them with prichal certificate import`,
      ru: {
        message: `нет квалифицированного сертификата: ${missing.map((m) => (m === 'head' ? 'руководитель' : m === 'clerk' ? 'делопроизводитель' : m)).join(', ')}`,
        fix: `получите сертификаты руководителя и делопроизводителя (${cite('sed', '1.2')}, ${cite('sed', '2.3')}) и импортируйте их: prichal certificate import`,
      },
    };
  const authorities = operator?.certificateAuthorities;
  for (const [i, s] of p.signers.entries()) {
    const path = ['signers', i, 'certificate', 'notAfter'];
    const evidence = `certificate ${s.certificate.serial} of ${s.name}, ${s.certificate.issuer}: ${s.certificate.notBefore} … ${s.certificate.notAfter}`;
    const state = certificateState(s.certificate, at, operator?.policy.certificateWarningDays ?? 0);
    if (state.state === 'not-yet-valid')
      yield {
        path: ['signers', i, 'certificate', 'notBefore'],
        message: `the certificate of ${s.name} is not valid before ${s.certificate.notBefore}`,
        evidence,
        fix: 'check the certificate dates',
        ru: {
          message: `сертификат ${s.name} действует только с ${russianDate(s.certificate.notBefore)}`,
          fix: 'проверьте даты сертификата',
        },
      };
    else if (state.state === 'expired')
      yield {
        path,
        message: `the certificate of ${s.name} expired on ${s.certificate.notAfter}`,
        evidence,
        fix: 'issue a new qualified certificate (63-ФЗ) and update signers',
        ru: {
          message: `сертификат ${s.name} истёк ${russianDate(s.certificate.notAfter)}`,
          fix: 'выпустите новый квалифицированный сертификат (63-ФЗ) и обновите signers',
        },
      };
    else if (state.state === 'expiring')
      yield {
        path,
        severity: 'warning',
        message: `the certificate of ${s.name} expires in ${state.days} days (reminder at ${state.reminder} days)`,
        evidence,
        fix: 'order the renewal now',
        ru: {
          message: `сертификат ${s.name} истекает через ${state.days} дн. (напоминание за ${state.reminder} дн.)`,
          fix: 'закажите перевыпуск сейчас',
        },
      };
    if (!authorities) continue;
    const issuer = issuerState(s.certificate, authorities, at);
    const issuerPath = [
      'signers',
      i,
      'certificate',
      issuer.state === 'unknown-key' || issuer.state === 'key-not-recorded' ? 'authorityKeyId' : 'issuer',
    ];
    const listed = authorities.map((a) => a.name).join(', ') || 'none';
    if (issuer.state === 'unknown-issuer')
      yield {
        path: issuerPath,
        message: `the certificate of ${s.name} is issued by ${s.certificate.issuer}, not an accredited CA of operator.yaml (${listed})`,
        evidence,
        fix: 'obtain a qualified certificate from an accredited CA, or add the CA to certificateAuthorities',
        ru: {
          message: `сертификат ${s.name} выдан ${s.certificate.issuer} — это не аккредитованный УЦ из operator.yaml (${listed})`,
          fix: 'получите квалифицированный сертификат в аккредитованном УЦ или добавьте УЦ в certificateAuthorities',
        },
      };
    else if (issuer.state === 'accreditation-ended')
      yield {
        path: issuerPath,
        message: `the accreditation of ${issuer.authority.name} ended on ${issuer.authority.accreditedUntil}`,
        evidence,
        fix: 'obtain a certificate from an accredited CA',
        ru: {
          message: `аккредитация ${issuer.authority.name} прекращена ${russianDate(issuer.authority.accreditedUntil!)}`,
          fix: 'получите сертификат в аккредитованном УЦ',
        },
      };
    else if (issuer.state === 'unknown-key')
      yield {
        path: issuerPath,
        message: `the certificate of ${s.name} names ${issuer.authority.name} but its authority key ${s.certificate.authorityKeyId} is not one of that CA's keys`,
        evidence,
        fix: "check the certificate's origin, or add the CA's key id to certificateAuthorities",
        ru: {
          message: `сертификат ${s.name} называет ${issuer.authority.name}, но его ключ издателя ${s.certificate.authorityKeyId} не из ключей этого УЦ`,
          fix: 'проверьте происхождение сертификата или добавьте идентификатор ключа УЦ в certificateAuthorities',
        },
      };
    else if (issuer.state === 'key-not-recorded')
      yield {
        path: ['signers', i, 'certificate'],
        severity: 'warning',
        message: `the issuing key of ${s.name}'s certificate is not recorded, so the CA cannot be confirmed`,
        evidence,
        fix: 'import the certificate from its file: prichal certificate import',
        ru: {
          message: `ключ издателя сертификата ${s.name} не записан, поэтому УЦ не подтверждён`,
          fix: 'импортируйте сертификат из файла: prichal certificate import',
        },
      };
  }
};

/**
 * SIG-1 ahead of time, in validation: `certificate-expiry` warnings at `--at`. They do not make
 * the inventory invalid (audit's check enforces SIG-1); they tell the engineer early.
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
