// The incident note of Регламент ПУ ТО, п. 8.2: what the participant's technical specialist
// (п. 8.1: the contact named in the request — the participant's `technical`) sends the portal's
// own support desk (operator.yaml support.portal) when a service on the portal is down, with the
// priority of п. 8.3 and the reaction time of п. 8.4 counted in the desk's working hours (its
// own, else п. 8.6's) on the production calendar. Numbered from the document register like every
// document (workflows/incident.ts).
import {
  CONTOURS,
  hasChannel,
  DEFAULT_TIME_ZONE,
  locate,
  russianDate,
  russianTimeZone,
  type Inventory,
  type Located,
  type Participant,
} from '../inventory/index.js';
import {
  cite,
  deskHoursRu,
  INCIDENT_PRIORITIES,
  PORTAL_DESK_HOURS,
  reactionDeadline,
  REGISTRATION_LIFECYCLE,
  supportDesk,
  uncoveredYears,
  type IncidentScope,
} from '../requirements/index.js';
import type { Words } from '../words.js';
import { cell, MissingDataError, PARTICIPANT_FILE } from './documents.js';

const TITLE = 'Сообщение об инциденте';
/** An incident note's kind in the document register. */
export const INCIDENT_KIND = 'incident';

export interface IncidentInput {
  participant: string;
  /** Service code (19 digits) from the participant's services; omitted: the participant's connection as a whole. */
  service?: string;
  scope: IncidentScope;
  description: string;
  /** Local date and time the note is sent, YYYY-MM-DDTHH:MM (operator's time zone). */
  registered: string;
  screenshot?: string;
  materials?: string;
}

export interface IncidentNote {
  participant: string;
  priority: string;
  reactionBy: string;
  markdown: string;
}

const REGISTERED = REGISTRATION_LIFECYCLE.findIndex((s) => s.status === 'registered');

/**
 * Why a participant has no connection to the portal an incident of п. 8.2 («недоступность услуги
 * на ПУ ТО») could be about: no network channel, no registration, or none registered in a contour
 * yet (п. 4.3). Undefined when it has one.
 */
function noPortalConnection(p: Participant): Words | undefined {
  if (!hasChannel(p))
    return {
      en: 'it has no network channel (it works in the hosted СЭД from a workstation)',
      ru: 'у него нет канала связи (организация работает в СЭД с рабочего места)',
    };
  const statuses = CONTOURS.flatMap((c) => {
    const r = p.registrations[c];
    return r ? [`registrations.${c}.status: ${r.status}`] : [];
  });
  if (!statuses.length)
    return {
      en: 'no web service of it is registered in either contour (no registrations)',
      ru: 'его веб-сервисы не зарегистрированы ни в одном контуре (нет registrations)',
    };
  const registered = CONTOURS.some((c) => {
    const status = p.registrations[c]?.status;
    return status !== undefined && REGISTRATION_LIFECYCLE.findIndex((s) => s.status === status) >= REGISTERED;
  });
  if (!registered)
    return {
      en: `its web services are not registered in either contour yet (${statuses.join(', ')}; ${cite('portal', '4.3')})`,
      ru: `его веб-сервисы ещё не зарегистрированы ни в одном контуре (${statuses.join(', ')}; ${cite('portal', '4.3')})`,
    };
  return undefined;
}

/** The technical specialist's contact as п. 8.2 asks for it (position, full name, phone, e-mail): the fields missing. */
const CONTACT_FIELDS = ['position', 'name', 'phone', 'email'] as const;

export function incidentNote(inventory: Inventory, input: IncidentInput): IncidentNote {
  const found: Located<Participant> | undefined = inventory.participants.find((x) => x.value.id === input.participant);
  if (!found) throw new MissingDataError(TITLE, input.participant, [PARTICIPANT_FILE]);
  const p = found.value;
  const operator = inventory.operator!.value;
  const unconnected = noPortalConnection(p);
  if (unconnected) {
    const sed = supportDesk(operator, 'sed').email;
    throw new MissingDataError(TITLE, p.id, [{ en: 'a connection to the portal', ru: 'подключение к порталу' }], {
      en: `${TITLE} for ${p.id} (${p.name}) is refused: the participant has no connection to the portal to report an incident on — ${unconnected.en}. The note of ${cite('portal', '8.2')} is about a service on the portal; report a problem with the СЭД to the СЭД's support desk (${sed})`,
      ru: `${TITLE} для ${p.id} (${p.name}) не формируется: у участника нет подключения к порталу, об инциденте которого можно сообщить — ${unconnected.ru}. Сообщение по ${cite('portal', '8.2')} — об услуге на портале; о неполадках СЭД сообщайте в службу технической поддержки СЭД (${sed})`,
    });
  }
  const service = input.service === undefined ? undefined : p.services?.find((s) => s.code === input.service);
  if (input.service !== undefined && !service)
    throw new MissingDataError(TITLE, p.id, [
      {
        en: `services: no service ${input.service} (${(p.services ?? []).map((s) => s.code).join(', ') || 'none declared'})`,
        ru: `services: нет услуги ${input.service} (${(p.services ?? []).map((s) => s.code).join(', ') || 'не объявлено ни одной'})`,
      },
    ]);
  const missing = CONTACT_FIELDS.filter((k) => !p.technical[k]).map((k) => `technical.${k}`);
  if (missing.length) {
    const where = `${found.source.file}:${locate(found.source, ['technical']).line}`;
    // A version-1 inventory has no position field: the way to one is version 2.
    const v1 = !p.technical.position && (operator.version ?? 1) < 2;
    throw new MissingDataError(
      TITLE,
      p.id,
      missing.map((f) => ({ en: f, ru: f })),
      {
        en: `${TITLE} for ${p.id} cannot be written: ${where}: the technical specialist (${cite('portal', '8.1')}) has no ${missing.join(', ')}; ${cite('portal', '8.2')} asks for the contact's position, full name, phone and e-mail${v1 ? " (position is a version-2 field: run 'prichal migrate' or write 'version: 2' as the first line of operator.yaml first)" : ''}`,
        ru: `${TITLE} для ${p.id} не формируется: ${where}: у технического специалиста (${cite('portal', '8.1')}) не указано: ${missing.join(', ')}; ${cite('portal', '8.2')} требует должность, ФИО, телефон и e-mail контактного лица${v1 ? " (position — поле версии 2: сначала выполните 'prichal migrate' или напишите 'version: 2' первой строкой operator.yaml)" : ''}`,
      },
    );
  }
  const desk = supportDesk(operator, 'portal');
  const hours = desk.hours ?? PORTAL_DESK_HOURS;
  const priority = INCIDENT_PRIORITIES[input.scope];
  const reactionBy = reactionDeadline(input.registered, priority.reactionHours, operator.calendar, hours);
  const technical = p.technical;
  const timeZone = operator.timeZone ?? DEFAULT_TIME_ZONE;
  // A deadline counted across a year the calendar lists no day of knows that year's weekends only.
  const uncovered = uncoveredYears(input.registered, reactionBy, operator.calendar);
  const rows: Array<[string, string]> = [
    ['Организация', cell(p.name)],
    ['Услуга', service ? `${cell(service.name)} (${service.code})` : 'подключение информационной системы в целом'],
    ['Описание запроса', cell(input.description)],
    ['Скриншот', input.screenshot ? cell(input.screenshot) : 'не приложен'],
    ['Предполагаемый приоритет', `${priority.name}: ${priority.criterion.toLowerCase()} (${cite('portal', '8.3')})`],
    [
      'Контактные данные',
      `${cell(technical.position!)} ${cell(technical.name)}, технический специалист (${cite('portal', '8.1')}); ${cell(technical.phone!)}; ${cell(technical.email!)}`,
    ],
    ['Дополнительные материалы', input.materials ? cell(input.materials) : 'нет'],
    [
      'Время направления',
      `${russianDate(input.registered)} (${russianTimeZone(timeZone, new Date(`${input.registered}:00Z`))})`,
    ],
    [
      'Реакция не позднее',
      `${russianDate(reactionBy)}: ${priority.reactionHours} раб. ч (${cite('portal', '8.4')}), в часы приёма заявок (${desk.regulationHours ? `${cite('portal', '8.6')}: ` : 'службы поддержки портала: '}${deskHoursRu(hours)}) по производственному календарю${uncovered.length ? ` (календарь не охватывает ${uncovered.join(', ')} г.: срок рассчитан без праздников этого года — уточните его)` : ''}`,
    ],
    ['Время решения', `по согласованию сторон (${cite('portal', '8.4')})`],
  ];
  const markdown = [
    `*Составлено по сведениям реестра (${cite('portal', '8.2')}: форма сообщения не приведена)*`,
    '',
    '**Сообщение об инциденте на Портале услуг Тюменской области**',
    '',
    `Кому: оператору ПУ ТО, служба поддержки портала: ${[desk.phone, desk.email]
      .filter((x) => x !== undefined)
      .map((x) => cell(x))
      .join(', ')}`,
    '',
    '| Поле | Значение |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    `*Приоритеты: п. 8.3 называет нижний уровень «Средний», п. 8.4 — «Обыкновенный»; это один уровень (реакция ${INCIDENT_PRIORITIES.partial.reactionHours} раб. ч).*`,
    '',
  ].join('\n');
  return { participant: p.id, priority: priority.name, reactionBy, markdown };
}
