// The registration lifecycle of Регламент ПУ ТО and what of it is provisioned. Here, in the plan
// stage, because the plan is the first to need it: only approved registrations get flows, a
// gateway and a bus user. Audit and validation read it through requirements/portal.ts.
import type { Participant } from '../inventory/types.generated.js';
import { cite } from '../regulations.js';
import { russianDate } from '../inventory/dates.js';

export type Registration = NonNullable<NonNullable<Participant['registrations']>['test']>;
export type RegistrationStatus = Registration['status'];

/**
 * In order: requested (the letter of п. 3.1.3 sent) → approved (п. 3.1.4–3.1.5: the portal's
 * owner agreed; the technical requirements are issued) → registered (п. 4.3) → tested (п. 4.6:
 * the service test passed). Each status has its dated field.
 */
export const REGISTRATION_LIFECYCLE = [
  { status: 'requested', date: 'requested', clause: '3.1.3' },
  { status: 'approved', date: 'approved', clause: '3.1.5' },
  { status: 'registered', date: 'registered', clause: '4.3' },
  { status: 'tested', date: 'tested', clause: '4.6' },
] as const satisfies ReadonlyArray<{ status: RegistrationStatus; date: keyof Registration; clause: string }>;

/** Each status as people read it in Russian (the plan, the status screen); in English it is the status itself. */
export const REGISTRATION_STATUS_RU: Readonly<Record<RegistrationStatus, string>> = {
  requested: 'заявка',
  approved: 'согласовано',
  registered: 'зарегистрирован',
  tested: 'испытан',
};

/** Whether a registration with `status` has reached `stage` of the lifecycle (that stage or a later one). */
export function reached(status: RegistrationStatus, stage: RegistrationStatus): boolean {
  const rank = (s: RegistrationStatus) => REGISTRATION_LIFECYCLE.findIndex((l) => l.status === s);
  return rank(status) >= rank(stage);
}

/** Only an approved registration (or a later one) is provisioned: flows, gateway, bus user. */
export function provisioned(status: RegistrationStatus): boolean {
  return status !== 'requested';
}

/** Why a registration is not provisioned (the plan prints it); undefined when it is. */
export function notProvisionedReason(registration: Registration): { en: string; ru: string } | undefined {
  if (provisioned(registration.status)) return undefined;
  const requested = registration.requested;
  return {
    en: `requested${requested ? ` on ${requested}` : ''}, not approved: provisioned once the portal's owner approves (${cite('portal', '3.1.4')}–3.1.5) and the status is 'approved'`,
    ru: `заявка${requested ? ` от ${russianDate(requested)}` : ''} не согласована: развёртывается, когда владелец портала согласует её (${cite('portal', '3.1.4')}–3.1.5) и статус станет 'approved'`,
  };
}
