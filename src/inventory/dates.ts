// Dates as the operator lives them: "today" is the calendar day in the operator's time zone
// (operator.yaml `timeZone`, default Tyumen's), so a 02:30 nightly run checks today, not
// yesterday in UTC. Computed once per run, then passed along as YYYY-MM-DD.

export const DEFAULT_TIME_ZONE = 'Asia/Yekaterinburg';
export const DAY_MS = 86_400_000;

/**
 * Whether this Node knows a time zone by that name (its ICU data): `Asia/Yekaterinberg` has the
 * form of an IANA name and is none, and Intl.DateTimeFormat throws a RangeError on it. operator.yaml's
 * timeZone is held to this with its shape (file-check.ts), so the model never carries one that
 * todayIn or nowIn would throw on.
 */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The calendar day (YYYY-MM-DD) that `now` is in `timeZone`. */
export function todayIn(timeZone: string = DEFAULT_TIME_ZONE, now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The local wall-clock minute (YYYY-MM-DDTHH:MM) that `now` is in `timeZone`. */
export function nowIn(timeZone: string = DEFAULT_TIME_ZONE, now: Date = new Date()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** YYYY-MM-DD (or a local YYYY-MM-DDTHH:MM) as people in the region write it: ДД.ММ.ГГГГ (ЧЧ:ММ). */
export function russianDate(iso: string): string {
  const date = `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
  return iso.length > 10 ? `${date} ${iso.slice(11, 16)}` : date;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/**
 * ISO dates (YYYY-MM-DD) inside free text — a reference such as «заявка № 12 от 2026-03-01» —
 * written as the rest of a Russian document writes dates. Only a whole date: digits around it
 * (an id, a longer number) leave it alone.
 */
export function russianDatesIn(text: string): string {
  return text.replace(
    /(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])/g,
    (_, y: string, m: string, d: string) => `${d}.${m}.${y}`,
  );
}

/**
 * Russia's time zones by their Russian names (the law's: Федеральный закон «Об исчислении
 * времени», ст. 5), keyed by the IANA zone that operator.yaml's timeZone names.
 */
const RUSSIAN_ZONE_NAMES: Record<string, string> = {
  'Europe/Kaliningrad': 'калининградское',
  'Europe/Moscow': 'московское',
  'Europe/Simferopol': 'московское',
  'Europe/Kirov': 'московское',
  'Europe/Volgograd': 'московское',
  'Europe/Samara': 'самарское',
  'Europe/Ulyanovsk': 'самарское',
  'Europe/Saratov': 'самарское',
  'Europe/Astrakhan': 'самарское',
  'Asia/Yekaterinburg': 'екатеринбургское',
  'Asia/Omsk': 'омское',
  'Asia/Novosibirsk': 'красноярское',
  'Asia/Barnaul': 'красноярское',
  'Asia/Tomsk': 'красноярское',
  'Asia/Novokuznetsk': 'красноярское',
  'Asia/Krasnoyarsk': 'красноярское',
  'Asia/Irkutsk': 'иркутское',
  'Asia/Chita': 'якутское',
  'Asia/Yakutsk': 'якутское',
  'Asia/Khandyga': 'якутское',
  'Asia/Vladivostok': 'владивостокское',
  'Asia/Ust-Nera': 'владивостокское',
  'Asia/Magadan': 'магаданское',
  'Asia/Sakhalin': 'магаданское',
  'Asia/Srednekolymsk': 'магаданское',
  'Asia/Kamchatka': 'камчатское',
  'Asia/Anadyr': 'камчатское',
};

/** The zone's offset from UTC at `at` as `UTC+5`, `UTC−3:30`, `UTC`. */
export function utcOffset(timeZone: string, at: Date = new Date()): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  // 'GMT+5', 'GMT-3:30', or 'GMT' for UTC itself.
  return (name ?? 'GMT').replace('GMT', 'UTC').replace('-', '−');
}

/**
 * The time zone as a Russian document names it: «екатеринбургское время, UTC+5»; a zone outside
 * Russia by its offset alone («время UTC+3»). Never the IANA id, which is a configuration value.
 */
export function russianTimeZone(timeZone: string, at: Date = new Date()): string {
  const offset = utcOffset(timeZone, at);
  const name = RUSSIAN_ZONE_NAMES[timeZone];
  return name ? `${name} время, ${offset}` : `время ${offset}`;
}

/**
 * Whether a validity whose last day is `lastDay` (a certificate's notAfter, a product's
 * validUntil, a CA's accreditedUntil) is over at `at`: the last day itself is still valid. One
 * rule for every "valid until" date, so no check is a day early or late.
 */
export function lastDayPassed(lastDay: string, at: string): boolean {
  return daysBetween(at, lastDay) < 0;
}

/** Hours of a day as operator.yaml writes them, HH:MM-HH:MM (the schema holds the form), as minutes of the day [from, to]; 24:00 is 1440. */
export function hoursRange(text: string): readonly [number, number] {
  const minute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return [minute(text.slice(0, 5)), minute(text.slice(6, 11))];
}
