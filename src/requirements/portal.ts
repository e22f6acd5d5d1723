// The portal/bus connection (Регламент ПУ ТО, разделы 3–4), decided once: the registration
// lifecycle's dates (the lifecycle itself and what is provisioned: plan/lifecycle.ts, which the
// plan needs first), and the working-day deadlines counted on the operator's production calendar. Validation, the plan, audit and the documents read these.
import { daysBetween, russianDate, type OperatorFile, type Participant, type Words } from '../inventory/index.js';
import { cite } from '../regulations.js';

import { reached, REGISTRATION_LIFECYCLE, type Registration } from '../plan/lifecycle.js';

export { notProvisionedReason, provisioned, reached, REGISTRATION_LIFECYCLE } from '../plan/lifecycle.js';

/**
 * Dated stages that contradict the lifecycle: a date of a stage beyond the status, or a later
 * stage dated before an earlier one. Each with the field to point at.
 */
export function registrationOrderGaps(
  registration: Registration,
): Array<{ field: keyof Registration; message: Words }> {
  const gaps: Array<{ field: keyof Registration; message: Words }> = [];
  let previous: { field: keyof Registration; date: string } | undefined;
  for (const stage of REGISTRATION_LIFECYCLE) {
    const date = registration[stage.date];
    if (date === undefined) continue;
    if (!reached(registration.status, stage.status)) {
      gaps.push({
        field: stage.date,
        message: {
          en: `${stage.date}: ${date} is recorded while status is '${registration.status}'; set status: ${stage.status} (${cite('portal', stage.clause)}) or remove the date`,
          ru: `${stage.date}: дата ${russianDate(date)} записана при статусе '${registration.status}'; укажите status: ${stage.status} (${cite('portal', stage.clause)}) или уберите дату`,
        },
      });
    } else if (previous && daysBetween(previous.date, date) < 0) {
      gaps.push({
        field: stage.date,
        message: {
          en: `${stage.date} (${date}) is before ${previous.field} (${previous.date})`,
          ru: `${stage.date} (${russianDate(date)}) раньше ${previous.field} (${russianDate(previous.date)})`,
        },
      });
    }
    previous = { field: stage.date, date };
  }
  return gaps;
}

/**
 * Stages recorded with a date after `at` (today): a status says what has happened, so an
 * `approved` dated next week is not approved yet — and would be provisioned if it were believed.
 */
export function stagesAfter(
  registration: Registration,
  at: string,
): Array<{ field: keyof Registration; message: Words }> {
  return REGISTRATION_LIFECYCLE.flatMap((stage) => {
    const date = registration[stage.date];
    if (date === undefined || daysBetween(at, date) <= 0) return [];
    return [
      {
        field: stage.date,
        message: {
          en: `${stage.date}: ${date} is after today (${at}); a stage is recorded once it has happened — until then the status is the one before it`,
          ru: `${stage.date}: дата ${russianDate(date)} позже сегодняшней (${russianDate(at)}); этап записывают, когда он состоялся, — до тех пор статус остаётся прежним`,
        },
      },
    ];
  });
}

/** The production switch date (the act's) is not before the test that allows production (п. 4.6). */
export function switchBeforeTest(registrations: NonNullable<Participant['registrations']>): Words | undefined {
  const tested = registrations.test?.tested;
  const switchDate = registrations.prod?.switchDate;
  if (!tested || !switchDate || daysBetween(tested, switchDate) >= 0) return undefined;
  return {
    en: `the production switch date ${switchDate} is before the test of ${tested} (registrations.test.tested); production follows the test (${cite('portal', '4.6')})`,
    ru: `дата перевода в промышленную эксплуатацию ${russianDate(switchDate)} раньше испытаний ${russianDate(tested)} (registrations.test.tested); промышленный контур — после испытаний (${cite('portal', '4.6')})`,
  };
}

type Calendar = OperatorFile['calendar'];

/** A day is a working day: Monday–Friday unless the calendar makes it a holiday, or a weekend day the calendar transfers work to. */
export function isWorkingDay(date: string, calendar: Calendar): boolean {
  if (calendar?.workdays?.includes(date)) return true;
  if (calendar?.holidays?.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The date `n` working days after `date` (the day itself not counted). */
export function addWorkingDays(date: string, n: number, calendar: Calendar): string {
  let day = date;
  for (let left = n; left > 0; ) {
    day = nextDay(day);
    if (isWorkingDay(day, calendar)) left--;
  }
  return day;
}

/** п. 3.3: the operator answers a request within 10 working days of receiving it. */
export const REPLY_WORKING_DAYS = 10;
export function replyDeadline(requested: string, calendar: Calendar): string {
  return addWorkingDays(requested, REPLY_WORKING_DAYS, calendar);
}

export type Service = NonNullable<Participant['services']>[number];
export type ServiceStep = NonNullable<Service['tests']>[number]['step'];

/** The steps a service's test covers (п. 4.6: the form with status updates «и всеми дополнительными опциями»). */
export function requiredSteps(service: Service): ServiceStep[] {
  const options = (service.options ?? []).filter(
    (o): o is 'appointment' | 'payment' | 'rating' => o === 'appointment' || o === 'payment' || o === 'rating',
  );
  return ['form', 'statuses', ...options];
}

/** The latest recorded result of each step in a contour (by date; a later entry of the same date wins). */
export function latestResults(
  service: Service,
  contour: 'test' | 'prod' = 'test',
): Map<ServiceStep, NonNullable<Service['tests']>[number]> {
  const latest = new Map<ServiceStep, NonNullable<Service['tests']>[number]>();
  for (const t of service.tests ?? []) {
    if ((t.contour ?? 'test') !== contour) continue;
    const seen = latest.get(t.step);
    if (!seen || daysBetween(seen.date, t.date) >= 0) latest.set(t.step, t);
  }
  return latest;
}

/** BUS-2: a production registration only after the test registration was tested (п. 4.6). */
export function productionAllowed(testStatus: Registration['status'] | string | undefined | null): boolean {
  return testStatus === 'tested';
}

/**
 * What stands between a participant and production on the portal side (п. 4.6): each declared
 * service's steps not passed in the test contour; without services, a 'tested' status with no
 * date of the test is only a flag. Empty: production is allowed as far as the services go.
 */
export function serviceTestGaps(p: Participant): Words[] {
  const services = p.services ?? [];
  if (!services.length)
    return p.registrations?.test?.tested
      ? []
      : [
          {
            en: 'registrations.test.tested: the date of the passed test (п. 4.6) is not recorded',
            ru: 'registrations.test.tested: не записана дата успешных испытаний (п. 4.6)',
          },
        ];
  return serviceStepGaps(services);
}

/** Each service whose required steps have not all passed in the test contour, with the open steps. */
export function serviceStepGaps(services: readonly Service[]): Words[] {
  const gaps: Words[] = [];
  for (const service of services) {
    const latest = latestResults(service);
    const open = requiredSteps(service).filter((step) => latest.get(step)?.result !== 'passed');
    if (open.length) {
      gaps.push({
        en: `service ${service.code} (${service.name}): ${open.map((s) => `${s} ${latest.get(s) ? 'failed' : 'not tested'}`).join(', ')}`,
        ru: `услуга ${service.code} (${service.name}): ${open.map((s) => `${s} ${latest.get(s) ? 'не пройден' : 'не испытан'}`).join(', ')}`,
      });
    }
  }
  return gaps;
}

/**
 * Test-contour service steps dated after what they lead to: the production switch (п. 4.6:
 * production follows the test) or the test's own date (registrations.test.tested, which the act
 * prints while the protocol prints the steps' dates). Each with the step's path.
 */
export function serviceStepsAfterTest(p: Participant): Array<{ path: Array<string | number>; message: Words }> {
  const bounds = [
    {
      field: 'registrations.prod.switchDate',
      date: p.registrations?.prod?.switchDate,
      ru: 'перевода в промышленную эксплуатацию',
    },
    { field: 'registrations.test.tested', date: p.registrations?.test?.tested, ru: 'испытаний' },
  ];
  return (p.services ?? []).flatMap((service, i) =>
    (service.tests ?? []).flatMap((t, j) => {
      if ((t.contour ?? 'test') !== 'test') return [];
      const bound = bounds.find((b) => b.date !== undefined && daysBetween(b.date, t.date) > 0);
      if (!bound) return [];
      return [
        {
          path: ['services', i, 'tests', j, 'date'],
          message: {
            en: `service ${service.code}: the test-contour step '${t.step}' is dated ${t.date}, after ${bound.field} (${bound.date}); the act and the protocol would give different test dates (${cite('portal', '4.6')})`,
            ru: `услуга ${service.code}: шаг '${t.step}' в тестовом контуре датирован ${russianDate(t.date)}, позже даты ${bound.ru} (${bound.field}: ${russianDate(bound.date!)}); акт и протокол называли бы разные даты испытаний (${cite('portal', '4.6')})`,
          },
        },
      ];
    }),
  );
}

/** The years a production calendar lists days of (holidays or transferred workdays): the years it covers. */
export function calendarYears(calendar: Calendar): Set<string> {
  return new Set([...(calendar?.holidays ?? []), ...(calendar?.workdays ?? [])].map((d) => d.slice(0, 4)));
}

/**
 * The years from `from` to `to` (YYYY-MM-DD…) the calendar does not cover: a deadline counted
 * across one of them knows only its weekends, not its holidays.
 */
export function uncoveredYears(from: string, to: string, calendar: Calendar): string[] {
  const covered = calendarYears(calendar);
  const years: string[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++)
    if (!covered.has(String(y))) years.push(String(y));
  return years;
}

/**
 * Регламент ПУ ТО, п. 8.3–8.4: priority by the incident's scope, reaction time in working hours.
 * п. 8.3 names the lower level «Средний», п. 8.4 «Обыкновенный»: one level under two names.
 */
export const INCIDENT_PRIORITIES = {
  full: { name: 'Высокий', criterion: 'Полная неработоспособность услуги', reactionHours: 4 },
  partial: {
    name: 'Средний (в п. 8.4 — «Обыкновенный»)',
    criterion: 'Часть функций услуги работает некорректно',
    reactionHours: 8,
  },
} as const;
export type IncidentScope = keyof typeof INCIDENT_PRIORITIES;

// The desk's hours (п. 8.6, or the portal desk's own: support.ts) on the production calendar.
import { hoursRange, type DeskHours } from '../inventory/index.js';
import { WordedError } from '../words.js';
import { PORTAL_DESK_HOURS } from './support.js';

/**
 * The desk's hours on a local date, minutes of the day: a calendar holiday has none whatever the
 * weekday (a Saturday public holiday closes a desk open on Saturdays), a transferred working day
 * has the weekdays'.
 */
function deskWindow(date: string, calendar: Calendar, hours: DeskHours): readonly [number, number] | undefined {
  if (isWorkingDay(date, calendar)) return hours.weekdays ? hoursRange(hours.weekdays) : undefined;
  if (calendar?.holidays?.includes(date)) return undefined;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const day = weekday === 6 ? hours.saturday : weekday === 0 ? hours.sunday : undefined;
  return day ? hoursRange(day) : undefined;
}

/**
 * The local date and time (YYYY-MM-DDTHH:MM) by which the desk reacts to a request registered at
 * `registered` (local): `hours` working hours counted only within the desk's hours (default
 * п. 8.6's) on the production calendar.
 */
export function reactionDeadline(
  registered: string,
  hours: number,
  calendar: Calendar,
  deskHours: DeskHours = PORTAL_DESK_HOURS,
): string {
  let date = registered.slice(0, 10);
  let minute = Number(registered.slice(11, 13)) * 60 + Number(registered.slice(14, 16));
  let left = hours * 60;
  for (let guard = 0; guard < 3660; guard++) {
    const window = deskWindow(date, calendar, deskHours);
    if (window) {
      const start = Math.max(minute, window[0]);
      if (start < window[1]) {
        const take = Math.min(left, window[1] - start);
        left -= take;
        if (left === 0) {
          const end = start + take;
          return `${date}T${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`;
        }
      }
    }
    date = nextDay(date);
    minute = 0;
  }
  throw new WordedError({
    en: `the desk has no hours within ten years of ${registered}: check operator.yaml's calendar and the desk's hours`,
    ru: `у службы поддержки нет часов приёма в течение десяти лет от ${russianDate(registered)}: проверьте calendar и часы службы в operator.yaml`,
  });
}
