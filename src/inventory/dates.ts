// Dates as the operator lives them: "today" is the calendar day in the operator's time zone
// (operator.yaml `timeZone`, default Tyumen's), so a 02:30 nightly run checks today, not
// yesterday in UTC. Computed once per run, then passed along as YYYY-MM-DD.

export const DEFAULT_TIME_ZONE = 'Asia/Yekaterinburg';
export const DAY_MS = 86_400_000;

/** The calendar day (YYYY-MM-DD) that `now` is in `timeZone`. */
export function todayIn(timeZone: string = DEFAULT_TIME_ZONE, now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS);
}
