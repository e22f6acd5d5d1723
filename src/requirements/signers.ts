// SIG-1 (Регламент подключения к СЭД, п. 1.2 and 2.3; 63-ФЗ, ст. 6): the head and the clerk hold
// qualified certificates of their own from an accredited CA, valid at the date — decided and
// worded here, for audit (the check) and validation (certificate-expiry, the early warning).
import {
  daysBetween,
  lastDayPassed,
  russianDate,
  type OperatorFile,
  type Participant,
  type Rule,
} from '../inventory/index.js';
import { cite } from './regulations.js';
import type { CheckFinding, InventoryCheck } from './requirement-check.js';

/** Where a certificate stands at a date; `reminder`: the warning threshold reached (days). */
export type CertificateState =
  | { state: 'not-yet-valid' }
  | { state: 'expired' }
  | { state: 'expiring'; days: number; reminder: number }
  | { state: 'valid'; days: number };

/**
 * Reminders when operator.yaml gives none: the policy requires the field, so this serves only an
 * operator file that does not validate — audit and validation then still warn alike.
 */
export const DEFAULT_CERTIFICATE_WARNING_DAYS = 30;
export const certificateWarningDays = (operator: OperatorFile | undefined): number | readonly number[] =>
  operator?.policy.certificateWarningDays ?? DEFAULT_CERTIFICATE_WARNING_DAYS;

/**
 * `warningDays`: policy.certificateWarningDays — one number, or reminders such as [30, 14, 7]: the
 * largest starts the warning, and the finding names the nearest reminder reached. A reminder of
 * 30 days is reached with 30 days left (notAfter is the last valid day, so on it 0 days are left):
 * the boundary is inclusive, as «за 30 дней» is read.
 */
export function certificateState(
  certificate: { notBefore: string; notAfter: string },
  at: string,
  warningDays: number | readonly number[],
): CertificateState {
  if (daysBetween(at, certificate.notBefore) > 0) return { state: 'not-yet-valid' };
  if (lastDayPassed(certificate.notAfter, at)) return { state: 'expired' };
  const days = daysBetween(at, certificate.notAfter);
  const reached = (typeof warningDays === 'number' ? [warningDays] : warningDays).filter((r) => days <= r);
  return reached.length ? { state: 'expiring', days, reminder: Math.min(...reached) } : { state: 'valid', days };
}

/**
 * The roles that must sign in the СЭД (п. 1.2, 2.3: «руководитель, делопроизводитель»), each with
 * the person of the participant file who must hold its certificate and how the findings name it.
 */
const REQUIRED_ROLES = {
  head: { person: (p: Participant) => p.head, field: 'head', ru: 'руководитель', ruOf: 'руководителя' },
  clerk: {
    person: (p: Participant) => p.clerk.name,
    field: 'clerk.name',
    ru: 'делопроизводитель',
    ruOf: 'делопроизводителя',
  },
} as const;
export const REQUIRED_SIGNERS = Object.keys(REQUIRED_ROLES) as Array<keyof typeof REQUIRED_ROLES>;
export function missingSigners(p: Participant): Array<(typeof REQUIRED_SIGNERS)[number]> {
  return REQUIRED_SIGNERS.filter((role) => !p.signers.some((s) => s.role === role));
}

type Signer = Participant['signers'][number];

/** A name as people compare names: case, ё/е, runs of spaces and quotes make no difference. */
const normalName = (s: string) =>
  s
    .replace(/[«»„“”‘’"'`]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
    .replace(/ё/g, 'е');
export const sameName = (a: string, b: string): boolean => normalName(a) === normalName(b);

/**
 * Whose certificate a signer's is, when it is not the person it must be: the head's certificate
 * is the participant's head's, the clerk's the clerk's (п. 1.2, 2.3: they sign in person), and
 * every signer's its own. The holder is the certificate's subject as `certificate import` wrote
 * it; a certificate typed in without one is taken to be the named signer's.
 */
export type HolderMismatch =
  | { of: 'role'; holder: string; expected: string; role: keyof typeof REQUIRED_ROLES }
  | { of: 'signer'; holder: string };

export function holderMismatch(p: Participant, signer: Signer): HolderMismatch | undefined {
  const holder = signer.certificate.holder ?? signer.name;
  if (signer.role === 'head' || signer.role === 'clerk') {
    const expected = REQUIRED_ROLES[signer.role].person(p);
    if (!sameName(holder, expected)) return { of: 'role', holder, expected, role: signer.role };
  }
  return sameName(holder, signer.name) ? undefined : { of: 'signer', holder };
}

type Authority = NonNullable<OperatorFile['certificateAuthorities']>[number];

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
  const authority = authorities.find((a) => sameName(a.name, certificate.issuer));
  if (!authority) return { state: 'unknown-issuer' };
  if (authority.accreditedUntil && lastDayPassed(authority.accreditedUntil, at))
    return { state: 'accreditation-ended', authority };
  if (authority.keyIds?.length) {
    if (!certificate.authorityKeyId) return { state: 'key-not-recorded', authority };
    if (!authority.keyIds.some((k) => k.toLowerCase() === certificate.authorityKeyId!.toLowerCase()))
      return { state: 'unknown-key', authority };
  }
  return { state: 'accepted', authority };
}

/** SIG-1's finding for a certificate held by someone else, naming the role, the holder and who must hold it. */
function holderFinding(s: Signer, i: number, mismatch: HolderMismatch): CheckFinding {
  // Where the holder is written: the certificate's own field, else the signer's name standing for it.
  const path = s.certificate.holder === undefined ? ['signers', i, 'name'] : ['signers', i, 'certificate', 'holder'];
  const evidence = `signers[${i}]: ${s.role} ${s.name}, certificate ${s.certificate.serial}, holder ${s.certificate.holder ?? "not recorded (the signer's name stands for it)"}`;
  if (mismatch.of === 'signer')
    return {
      path,
      message: `the certificate recorded for ${s.name} (${s.role}) is held by ${mismatch.holder}`,
      evidence,
      fix: `import ${s.name}'s own certificate (prichal certificate import), or name the signer as the certificate does`,
      ru: {
        message: `владелец сертификата, записанного для подписанта ${s.name}, — ${mismatch.holder}`,
        fix: 'импортируйте собственный сертификат подписанта (prichal certificate import) или назовите подписанта так, как он назван в сертификате',
      },
    };
  const role = REQUIRED_ROLES[mismatch.role];
  return {
    path,
    message: `the ${mismatch.role}'s certificate is held by ${mismatch.holder}, not by the ${mismatch.role} ${mismatch.expected} (${role.field})`,
    evidence: `${evidence}; ${role.field}: ${mismatch.expected}`,
    fix: `import the ${mismatch.role}'s own certificate (prichal certificate import <file> --role ${mismatch.role}; ${cite('sed', '1.2')}, ${cite('sed', '2.3')}), or correct ${role.field} if the ${mismatch.role} has changed`,
    ru: {
      message: `владелец сертификата ${role.ruOf} — ${mismatch.holder}, а ${role.ru} участника — ${mismatch.expected} (${role.field})`,
      fix: `импортируйте собственный сертификат ${role.ruOf} (prichal certificate import <файл> --role ${mismatch.role}; ${cite('sed', '1.2')}, ${cite('sed', '2.3')}) или исправьте ${role.field}, если ${role.ru} сменился`,
    },
  };
}

/**
 * SIG-1 in audit: the signers present, each certificate its signer's own (the head's and the
 * clerk's held by the participant's head and clerk), valid at the date and from an accredited CA.
 */
export const checkSignerCertificates: InventoryCheck = function* (p, { operator, at }) {
  const missing = missingSigners(p);
  if (missing.length)
    yield {
      path: ['signers'],
      message: `no qualified certificate for the ${missing.join(' and the ')}`,
      evidence: `signers: ${p.signers.map((s) => s.role).join(', ') || 'none'}`,
      fix: `obtain certificates for the head and the clerk (${cite('sed', '1.2')}, ${cite('sed', '2.3')}) and import them with prichal certificate import`,
      ru: {
        message: `нет квалифицированного сертификата: ${missing.map((m) => REQUIRED_ROLES[m].ru).join(', ')}`,
        fix: `получите сертификаты руководителя и делопроизводителя (${cite('sed', '1.2')}, ${cite('sed', '2.3')}) и импортируйте их: prichal certificate import`,
      },
    };
  const authorities = operator?.certificateAuthorities;
  const warningDays = certificateWarningDays(operator);
  for (const [i, s] of p.signers.entries()) {
    const mismatch = holderMismatch(p, s);
    if (mismatch) yield holderFinding(s, i, mismatch);
    const path = ['signers', i, 'certificate', 'notAfter'];
    const evidence = `certificate ${s.certificate.serial} of ${s.name}, ${s.certificate.issuer}: ${s.certificate.notBefore} … ${s.certificate.notAfter}`;
    const state = certificateState(s.certificate, at, warningDays);
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
  const warnDays = certificateWarningDays(inventory.operator?.value);
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
