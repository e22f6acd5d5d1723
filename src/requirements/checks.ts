// The pure checks behind the catalogue, each written once. Validation (requirement rules),
// audit, live drift, the bus adapter's promotion gate and the documents call these; none of
// them re-states a requirement.
import { daysBetween, type OperatorFile, type Participant } from '../inventory/index.js';
import { provisioned } from '../plan/lifecycle.js';
import { cite } from '../regulations.js';

type Status = NonNullable<NonNullable<Participant['registrations']>['test']>['status'];

/** BUS-2: a production registration only after the test registration was tested (Регламент ПУ ТО, п. 4.6). */
export function productionAllowed(testStatus: Status | string | undefined | null): boolean {
  return testStatus === 'tested';
}

/**
 * CH-3's weight: while the line is being ordered (no registration approved yet) its paperwork may
 * be incomplete — the Appendix 10 application is written from it — so a gap is a warning; once a
 * registration is approved (the line is then provisioned), an error.
 */
export function leasedLineGapSeverity(p: Participant): 'error' | 'warning' {
  const registrations = p.registrations ?? {};
  return [registrations.test, registrations.prod].some((r) => r && provisioned(r.status)) ? 'error' : 'warning';
}

/**
 * CH-1, the operator's reading of Регламент ПУ ТО, п. 9.1 and 3.1.6.1 (policy.channels, with the
 * default of requirements.md): the channel is refused, with the reason, or accepted (undefined).
 */
export function channelRefusal(
  channel: NonNullable<Participant['channel']>,
  operator: OperatorFile,
): string | undefined {
  const policy = operator.policy.channels ?? {};
  switch (channel.type) {
    case 'internet':
      return policy.internet === true
        ? undefined
        : `${cite('portal', '9.1')} requires a VPN; an open internet channel is refused by the operator's policy (policy.channels.internet: false, the default)`;
    case 'leased-line':
      return policy.leasedLine === false
        ? `the operator's policy does not accept dedicated leased lines (policy.channels.leasedLine: false)`
        : undefined;
    case 'vipnet': {
      const accepted = policy.vipnetProducts ?? operator.cryptoProducts.map((c) => c.id);
      const product = channel.vipnet?.product;
      return product && !accepted.includes(product)
        ? `ViPNet product ${product} is not accepted for the channel: ${cite('portal', '3.1.6.1')} connects through the ПАК ViPNet Coordinator (policy.channels.vipnetProducts: ${accepted.join(', ') || 'none'})`
        : undefined;
    }
  }
}

/** CH-3: what a leased line's paperwork lacks (provider, circuit, the Appendix 10 application). */
export function leasedLineGaps(
  line: { provider?: string; circuit?: string; application?: string } | undefined,
): Array<'provider' | 'circuit' | 'application'> {
  return (['provider', 'circuit', 'application'] as const).filter((k) => !line?.[k]);
}

/** SIG-1: where a certificate stands at a date; `reminder`: the warning threshold reached (days). */
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

/** SIG-1: the roles that must sign in the СЭД (Регламент подключения к СЭД, п. 1.2, 2.3: «руководитель, делопроизводитель»). */
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
 * SIG-1: does the certificate come from an accredited CA of the operator's list? Matched by the
 * issuer's name and, when the CA lists its key ids, by the authority key identifier. Node cannot
 * verify GOST signatures, so this is an identification, not a chain verification — and says so.
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

/** WS-1: GOST-TLS browsers accepted when the operator lists none (Требования к АРМ пользователя СЭД recommends Chromium-GOST). */
export const DEFAULT_GOST_BROWSERS = ['chromium-gost', 'yandex'] as const;

/** WS-1: what a workstation baseline lacks beyond the CryptoPro version; errors and warnings. */
export function workstationGaps(
  ws: Participant['workstations'],
  browsers: readonly string[],
): Array<{ field: keyof Participant['workstations']; severity: 'error' | 'warning'; message: string }> {
  const gaps: Array<{ field: keyof Participant['workstations']; severity: 'error' | 'warning'; message: string }> = [];
  if (!ws.browser)
    gaps.push({
      field: 'browser',
      severity: 'error',
      message: `no browser with GOST TLS declared (accepted: ${browsers.join(', ')})`,
    });
  else if (!browsers.some((b) => b.toLowerCase() === ws.browser!.toLowerCase()))
    gaps.push({
      field: 'browser',
      severity: 'error',
      message: `browser ${ws.browser} is not one with GOST TLS the operator accepts (${browsers.join(', ')})`,
    });
  if (ws.rootCertificates !== true)
    gaps.push({
      field: 'rootCertificates',
      severity: 'error',
      message: "the root certificates (the CA's and the Russian roots for sites) are not recorded as installed",
    });
  // The revocation list is installed "при ошибке «Подключение не защищено»": a warning, not a blocker.
  if (ws.crl !== true)
    gaps.push({
      field: 'crl',
      severity: 'warning',
      message: 'the certificate revocation list (CRL) is not recorded as installed',
    });
  return gaps;
}

/** WS-1: dotted version comparison (CryptoPro 4.0.9963 < 5.0). */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
