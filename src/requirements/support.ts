// The operator's support desks, one per connection (operator.yaml operator.support): the СЭД's,
// which the support requests are sent to (Регламент подключения к СЭД), and the portal's own,
// which takes incident notes (Регламент ПУ ТО, п. 8.2) in its hours (п. 8.6). A desk declared
// for a connection is complete on its own; a connection without one is served by the desk
// written directly under `support` — all a file had before the desks were split, so such a file
// keeps meaning one desk for both.
import type { DeskHours, OperatorFile } from '../inventory/index.js';

export type SupportConnection = 'sed' | 'portal';

/** Регламент ПУ ТО, п. 8.6: the portal's desk takes requests Monday–Friday 08:00–20:00, Saturday 09:00–17:00. */
export const PORTAL_DESK_HOURS: Readonly<DeskHours> = { weekdays: '08:00-20:00', saturday: '09:00-17:00' };

export interface ConnectionDesk {
  email: string;
  phone?: string;
  /** When it takes requests; undefined: no hours are known (the СЭД's desk, unless declared). */
  hours?: DeskHours;
  /** The hours are п. 8.6's, the portal desk's when operator.yaml declares none. */
  regulationHours: boolean;
}

/** The desk that serves a connection: its own, else the shared one; the portal's hours default to п. 8.6's. */
export function supportDesk(operator: OperatorFile, connection: SupportConnection): ConnectionDesk {
  const support = operator.operator.support;
  // The schema requires the shared e-mail whenever a connection has no desk of its own.
  const desk = support[connection] ?? { ...support, email: support.email! };
  const hours = desk.hours ?? (connection === 'portal' ? PORTAL_DESK_HOURS : undefined);
  return {
    email: desk.email,
    ...(desk.phone ? { phone: desk.phone } : {}),
    ...(hours ? { hours } : {}),
    regulationHours: hours === PORTAL_DESK_HOURS,
  };
}

const DAYS_RU: ReadonlyArray<[keyof DeskHours, string]> = [
  ['weekdays', 'пн–пт'],
  ['saturday', 'сб'],
  ['sunday', 'вс'],
];

/** A desk's hours as a Russian document states them: «пн–пт 08:00–20:00, сб 09:00–17:00». */
export const deskHoursRu = (hours: DeskHours): string =>
  DAYS_RU.flatMap(([day, name]) => {
    const open = hours[day];
    return open ? [`${name} ${open.replace('-', '–')}`] : [];
  }).join(', ');
