// The incident note of Регламент ПУ ТО, п. 8.2: what the participant's technical specialist
// (п. 8.1: the contact named in the request — the participant's `technical`) sends the portal
// operator's desk when a service is down, with the priority of п. 8.3 and the reaction time of
// п. 8.4 counted in the desk's working hours (п. 8.6) on the production calendar.
import { markdownText } from '../escape.js';
import { russianDate, type Inventory } from '../inventory/index.js';
import { cite, INCIDENT_PRIORITIES, reactionDeadline, type IncidentScope } from '../requirements/index.js';
import { MissingDataError, PARTICIPANT_FILE } from './documents.js';

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

export function incidentNote(inventory: Inventory, input: IncidentInput): IncidentNote {
  const p = inventory.participants.find((x) => x.value.id === input.participant)?.value;
  if (!p) throw new MissingDataError('Сообщение об инциденте', input.participant, [PARTICIPANT_FILE]);
  const service = input.service === undefined ? undefined : p.services?.find((s) => s.code === input.service);
  if (input.service !== undefined && !service)
    throw new MissingDataError('Сообщение об инциденте', p.id, [
      {
        en: `services: no service ${input.service} (${(p.services ?? []).map((s) => s.code).join(', ') || 'none declared'})`,
        ru: `services: нет услуги ${input.service} (${(p.services ?? []).map((s) => s.code).join(', ') || 'не объявлено ни одной'})`,
      },
    ]);
  const missing = (['name', 'phone', 'email'] as const)
    .filter((k) => !p.technical[k])
    .map((k) => ({ en: `technical.${k}`, ru: `technical.${k}` }));
  if (missing.length) throw new MissingDataError('Сообщение об инциденте', p.id, missing);
  const operator = inventory.operator!.value;
  const priority = INCIDENT_PRIORITIES[input.scope];
  const reactionBy = reactionDeadline(input.registered, priority.reactionHours, operator.calendar);
  const cell = markdownText;
  const rows: Array<[string, string]> = [
    ['Организация', cell(p.name)],
    ['Услуга', service ? `${cell(service.name)} (${service.code})` : 'подключение информационной системы в целом'],
    ['Описание запроса', cell(input.description)],
    ['Скриншот', input.screenshot ? cell(input.screenshot) : 'не приложен'],
    ['Предполагаемый приоритет', `${priority.name}: ${priority.criterion.toLowerCase()} (${cite('portal', '8.3')})`],
    [
      'Контактные данные',
      `${cell(p.technical.name)}, технический специалист (${cite('portal', '8.1')}); ${cell(p.technical.phone!)}; ${cell(p.technical.email!)}`,
    ],
    ['Дополнительные материалы', input.materials ? cell(input.materials) : 'нет'],
    ['Время направления', `${russianDate(input.registered)} (${operator.timeZone ?? 'Asia/Yekaterinburg'})`],
    [
      'Реакция не позднее',
      `${russianDate(reactionBy)}: ${priority.reactionHours} раб. ч (${cite('portal', '8.4')}), в часы приёма заявок (${cite('portal', '8.6')}: пн–пт 08:00–20:00, сб 09:00–17:00) по производственному календарю`,
    ],
    ['Время решения', `по согласованию сторон (${cite('portal', '8.4')})`],
  ];
  const markdown = [
    `*Составлено по сведениям реестра (${cite('portal', '8.2')}: форма сообщения не приведена)*`,
    '',
    '**Сообщение об инциденте на Портале услуг Тюменской области**',
    '',
    `Кому: оператору ПУ ТО, ${cell(operator.operator.support.phone ?? '')} ${cell(operator.operator.support.email)}`.trim(),
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
