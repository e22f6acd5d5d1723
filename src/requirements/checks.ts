// The pure checks behind the catalogue, each written once. Validation (requirement rules),
// audit, live drift, the bus adapter's promotion gate and the documents call these; none of
// them re-states a requirement.
import { daysBetween, type Participant } from '../inventory/index.js';

type Kind = Participant['kind'];
type Status = NonNullable<Participant['registrations']['test']>['status'];

/** BUS-2: a production registration only after the test registration was tested (Регламент ПУ ТО, п. 4.6). */
export function productionAllowed(testStatus: Status | string | undefined | null): boolean {
  return testStatus === 'tested';
}

/** ORG-2 / validation: institutions and rural settlements name the body that coordinates them. */
const NEEDS_COORDINATOR: ReadonlySet<Kind> = new Set(['state-institution', 'municipal-institution', 'rural-settlement']);
export function needsCoordinator(kind: Kind): boolean {
  return NEEDS_COORDINATOR.has(kind);
}

/**
 * ORG-1: executive bodies and the institutions they coordinate sign no joining agreement
 * (Регламент подключения к СЭД, сноска); everyone else signs the joining and the personal-data agreement.
 */
export function agreementsRequired(p: Participant, kindOf: (id: string) => Kind | undefined): boolean {
  if (p.kind === 'executive-body') return false;
  if (p.kind === 'state-institution' && p.coordinatedBy && kindOf(p.coordinatedBy) === 'executive-body') return false;
  return true;
}

export function missingAgreements(p: Participant): Array<'joining' | 'personalData'> {
  return (['joining', 'personalData'] as const).filter((k) => !p.agreements?.[k]);
}

/** CH-3: what a leased line's paperwork lacks (provider, circuit, the Appendix 10 application). */
export function leasedLineGaps(line: { provider?: string; circuit?: string; application?: string } | undefined): Array<'provider' | 'circuit' | 'application'> {
  return (['provider', 'circuit', 'application'] as const).filter((k) => !line?.[k]);
}

/** SIG-1: where a certificate stands at a date. */
export type CertificateState = { state: 'not-yet-valid' } | { state: 'expired' } | { state: 'expiring'; days: number } | { state: 'valid'; days: number };

export function certificateState(certificate: { notBefore: string; notAfter: string }, at: string, warningDays: number): CertificateState {
  if (daysBetween(at, certificate.notBefore) > 0) return { state: 'not-yet-valid' };
  const days = daysBetween(at, certificate.notAfter);
  if (days < 0) return { state: 'expired' };
  return days < warningDays ? { state: 'expiring', days } : { state: 'valid', days };
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
