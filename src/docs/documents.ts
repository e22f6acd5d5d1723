// The documents the regulations ask for, in Russian, from the inventory, the plan and live
// results: the support request (Регламент подключения к СЭД: both variants of its form, and the
// п. 2.4 request of the connector path), the connection act (Регламент ПУ ТО, App. 3),
// the test protocol (App. 9, from the probe) and the leased-line application (App. 10).
// Missing data is an error naming each field: a form is never printed with a blank.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import { markdownText } from '../escape.js';
import { auditInventory } from '../drift/audit.js';
import type { RequirementFinding } from '../drift/model.js';
import { channelEvidence, DEFAULT_CHANNEL_EVIDENCE_DAYS } from '../drift/evidence.js';
import type { HistoryEntry } from '../drift/history.js';
import {
  daysBetween,
  DEFAULT_TIME_ZONE,
  hasChannel,
  russianDate,
  russianDatesIn,
  russianTimeZone,
  todayIn,
  type Inventory,
  type Participant,
} from '../inventory/index.js';
import type { ProbeProtocol } from '../infra/probe.js';
import type { Plan } from '../plan/index.js';
import {
  applicableRequest,
  cite,
  formField,
  provisioned,
  latestResults,
  reached,
  missingFields,
  needsCoordinator,
  requestFields,
  serviceStepGaps,
  supportDesk,
  type FormField,
} from '../requirements/index.js';
import { TEMPLATES_DIR } from '../project.js';
import { WordedError, type Words } from '../words.js';

export const DOCUMENT_KINDS = [
  'request-new',
  'request-update',
  'request-connector',
  'act',
  'protocol',
  'leased-line',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export class MissingDataError extends WordedError {
  override readonly name = 'MissingDataError';
  /** What is missing, in English (the JSON); `fieldsRu` says it in Russian. */
  readonly fields: string[];
  readonly fieldsRu: string[];
  constructor(
    readonly document: string,
    readonly participant: string,
    missing: readonly Words[],
    words: Words = {
      en: `${document} for ${participant} cannot be written; missing: ${missing.map((f) => f.en).join(', ')}`,
      ru: `${document} для ${participant} не формируется; не хватает: ${missing.map((f) => f.ru).join(', ')}`,
    },
  ) {
    super(words);
    this.fields = missing.map((f) => f.en);
    this.fieldsRu = missing.map((f) => f.ru);
  }
}

/** What a refusal names when the participant file itself is missing. */
export const PARTICIPANT_FILE: Words = { en: 'participant file', ru: 'файл участника' };

/** Each kind's title, as the document heads itself and the Russian output names it. */
export const DOCUMENT_TITLES: Record<DocumentKind, string> = {
  'request-new': 'Заявка в техническую поддержку СЭД (регистрация нового абонента)',
  'request-update': 'Заявка в техническую поддержку СЭД (актуализация данных)',
  'request-connector': 'Заявка в техническую поддержку СЭД о завершении работ по коннектору',
  act: 'Акт о подключении информационной системы к ПУ ТО',
  protocol: 'Протокол тестирования',
  'leased-line': 'Заявка на подключение через выделенную сеть',
};

/**
 * What each document rests on. Only the support request's layout is given by a regulation's text
 * (Регламент подключения к СЭД prints the form); Регламент ПУ ТО names its appendices but does not
 * reproduce them, so those documents say they are compiled from the register, never "по форме".
 */
const BASIS: Record<DocumentKind, { official: boolean; source: string }> = {
  'request-new': { official: true, source: `заявки, приведённой в тексте регламента (${cite('sed')})` },
  'request-update': { official: true, source: `заявки, приведённой в тексте регламента (${cite('sed')})` },
  'request-connector': { official: false, source: cite('sed', '2.4') },
  act: { official: false, source: cite('portal', 'Приложение 3') },
  protocol: { official: false, source: cite('portal', 'Приложение 9') },
  'leased-line': { official: false, source: cite('portal', 'Приложение 10') },
};

function basisLine(kind: DocumentKind): string {
  const { official, source } = BASIS[kind];
  return official
    ? `*По форме ${source}*`
    : `*Составлено по сведениям реестра (${source}: форма в тексте регламента не приведена)*`;
}

const template = (name: string) => readFileSync(path.join(TEMPLATES_DIR, 'docs', `${name}.md.mustache`), 'utf8');

/**
 * Values go into Markdown table cells: no pipes, no line breaks, no markup; an ISO date inside a
 * free-text value (a reference «№ 12 от 2026-03-01») written as the document writes dates.
 */
export const cell = (value: unknown) => markdownText(russianDatesIn(String(value)));

/**
 * A document that would state what the audit contradicts: the connection act certifies the
 * connection meets the regulation, so it is refused while the participant has audit errors.
 */
export class DocumentRefusedError extends MissingDataError {
  constructor(
    document: string,
    participant: string,
    readonly findings: RequirementFinding[],
  ) {
    const listed = (lang: 'ru' | 'en') =>
      findings.map((f) => `${f.requirement} ${lang === 'ru' && f.ru ? f.ru.message : f.message}`).join('; ');
    super(
      document,
      participant,
      findings.map((f) => ({
        en: `${f.requirement} ${f.message}`,
        ru: `${f.requirement} ${f.ru ? f.ru.message : f.message}`,
      })),
      {
        en: `${document} for ${participant} is refused while the audit finds errors (fix them first): ${listed('en')}`,
        ru: `${document} для ${participant} не формируется, пока аудит находит ошибки (сначала устраните их): ${listed('ru')}`,
      },
    );
  }
}

export interface DocumentContext {
  inventory: Inventory;
  plan: Plan;
  /** The date the documents are written at (the applicable request depends on it), YYYY-MM-DD. */
  at: string;
  /** The audit's findings, when the caller has them (else the act audits its participant). */
  findings?: readonly RequirementFinding[];
  /** Probe protocols by contour, for the test protocol. */
  probes?: Partial<Record<'test' | 'prod', ProbeProtocol>>;
  /** The drift history (drift --all): the act states the channel from its latest run, or says it was not checked. */
  history?: readonly HistoryEntry[];
}

export interface RenderedDocument {
  kind: DocumentKind;
  title: string;
  participant: string;
  markdown: string;
  /** The latest day the document records (the protocol's last test): its register date is not earlier. */
  records?: string;
}

function requireFields(document: string, participant: string, fields: readonly FormField[]): void {
  const missing = missingFields(fields);
  if (missing.length) throw new MissingDataError(document, participant, missing);
}

const CHANNEL_NAMES = { vipnet: 'ViPNet (VPN)', 'leased-line': 'выделенная сеть', internet: 'сеть Интернет' } as const;
/**
 * What an endpoint is for, in a Russian document: the purposes the contract's examples use have
 * their Russian names here; any other is named by the endpoint's `title`. The id itself
 * (`portal-intake`) is a configuration value, never printed.
 */
const PURPOSES_RU: Record<string, string> = {
  'portal-intake': 'приём заявлений с Портала услуг',
  'portal-status': 'передача статусов заявлений',
  'portal-appointment': 'запись на приём',
  'portal-payment': 'оплата',
  'portal-rating': 'приём результатов оценки качества',
  'sed-connector': 'коннектор СЭД',
};
type Endpoint = NonNullable<Participant['endpoints']>[number];
const purposeOf = (e: Endpoint): string | undefined => e.title ?? PURPOSES_RU[e.purpose];
/** The Russian purpose of the participant's endpoint `id` (the plan's endpoints carry no title). */
const purposeRu = (p: Participant, id: string): string | undefined => {
  const e = p.endpoints?.find((x) => x.id === id);
  return e && purposeOf(e);
};

/** The endpoints a document names whose purpose has no Russian name: each a field to fill. */
const untitled = (p: Participant, ids: readonly string[]): FormField[] =>
  (p.endpoints ?? []).flatMap((e, i) =>
    ids.includes(e.id) && !purposeOf(e)
      ? [
          formField(
            `endpoints[${i}].title`,
            undefined,
            `the Russian name of purpose '${e.purpose}'`,
            `русское название назначения '${e.purpose}'`,
          ),
        ]
      : [],
  );

const SED_MODES = {
  operator: 'СЭД, предоставляемая Оператором ИС СЭД (раздел 1 регламента)',
  connector: 'собственная СЭД через коннектор (раздел 2 регламента)',
} as const;
const DENIED_KINDS: Record<ProbeProtocol['denied'][number]['kind'], (d: ProbeProtocol['denied'][number]) => string> = {
  'undeclared-port': (d) => `недекларированный порт ${d.port} узла сервиса`,
  'undeclared-address': (d) => `недекларированный адрес ${d.address} в сети организации`,
  'foreign-gateway': (d) => `обращение со шлюза другого участника (${d.source})`,
};
const fmtDate = (iso: string | undefined) => (iso ? russianDate(iso) : undefined);
/** The calendar day an instant is in the operator's time zone (YYYY-MM-DD). */
const localDay = (iso: string, timeZone: string) => todayIn(timeZone, new Date(iso));
/** An instant as people in the region read it: ДД.ММ.ГГГГ ЧЧ:ММ in the operator's time zone. */
const localDateTime = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('ru-RU', {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })
    .format(new Date(iso))
    .replace(',', '');

export function renderDocument(kind: DocumentKind, participantId: string, context: DocumentContext): RenderedDocument {
  const { inventory, plan } = context;
  const found = inventory.participants.find((p) => p.value.id === participantId);
  if (!found) throw new MissingDataError(DOCUMENT_TITLES[kind], participantId, [PARTICIPANT_FILE]);
  const p = found.value;
  const operator = inventory.operator!.value;
  const name = (id: string | undefined) =>
    id ? (inventory.participants.find((x) => x.value.id === id)?.value.name ?? id) : undefined;
  const title = DOCUMENT_TITLES[kind];
  let view: Record<string, unknown>;
  let file: string;
  let records: string | undefined;

  switch (kind) {
    case 'request-new':
    case 'request-update': {
      const isNew = kind === 'request-new';
      const coordinated = needsCoordinator(p.kind);
      requireFields(title, p.id, requestFields(kind, p));
      view = {
        operatorName: operator.operator.name,
        supportEmail: supportDesk(operator, 'sed').email,
        phrase: isNew ? 'регистрации нового' : 'актуализации данных',
        isNew,
        name: p.name,
        head: p.head,
        clerkName: p.clerk.name,
        clerkPhone: p.clerk.phone,
        clerkEmail: p.clerk.email,
        coordinator: coordinated ? name(p.coordinatedBy) : 'не требуется',
        journals: (p.sed.journals ?? []).map((j) => j.name).join('; '),
        numberFormats: (p.sed.journals ?? []).map((j) => `${j.name}: ${j.numberFormat}`).join('; '),
        training: fmtDate(p.sed.training),
        sedMode: SED_MODES[p.sed.mode],
      };
      file = 'support-request';
      break;
    }
    case 'request-connector': {
      requireFields(title, p.id, requestFields(kind, p));
      view = {
        operatorName: operator.operator.name,
        supportEmail: supportDesk(operator, 'sed').email,
        clause: cite('sed', '2.4'),
        name: p.name,
        head: p.head,
        system: p.sed.system,
        connectorReady: fmtDate(p.sed.connectorReady),
        switchDate: fmtDate(p.sed.switchDate),
        technical: [p.technical.name, p.technical.phone, p.technical.email].filter(Boolean).join(', '),
      };
      file = 'connector-request';
      break;
    }
    case 'act': {
      if (!hasChannel(p)) throw new MissingDataError(title, p.id, [NO_CHANNEL]);
      const early = actNotYet(p, context.at);
      if (early) throw new MissingDataError(title, p.id, [{ en: early.field, ru: early.field }], early.words);
      const errors = (context.findings ?? auditInventory(inventory, context.at, p.id)).filter(
        (f) => f.participant === p.id && f.severity === 'error',
      );
      if (errors.length) throw new DocumentRefusedError(title, p.id, errors);
      // п. 9: the channel as the latest recent drift run saw it, never on the inventory's word.
      const evidence = channelEvidence(
        context.history ?? [],
        p.id,
        p.channel.edge,
        context.at,
        operator.policy.channelEvidenceDays ?? DEFAULT_CHANNEL_EVIDENCE_DAYS,
      );
      if (evidence.state === 'failed')
        throw new MissingDataError(
          title,
          p.id,
          [{ en: 'a channel that passes drift', ru: 'канал, прошедший проверку drift' }],
          {
            en: `${title} for ${p.id} is refused: the channel check of ${evidence.checkedAt.slice(0, 10)} failed (prichal drift: CH-4 to CH-9); fix the channel and check again`,
            ru: `${title} для ${p.id} не формируется: проверка канала ${russianDate(evidence.checkedAt.slice(0, 10))} не пройдена (prichal drift: CH-4–CH-9); устраните нарушения и проверьте снова`,
          },
        );
      const test = plan.contours.test.registrations.find((r) => r.participant === p.id);
      const prod = plan.contours.prod.registrations.find((r) => r.participant === p.id);
      const product = p.channel.vipnet
        ? operator.cryptoProducts.find((c) => c.id === p.channel.vipnet!.product)
        : undefined;
      const line = p.channel.leasedLine;
      requireFields(title, p.id, [
        formField('inn', p.inn),
        formField('registrations.prod', prod),
        formField(
          'registrations.test.tested',
          p.registrations.test?.tested,
          'date of the test protocol',
          'дата протокола тестирования',
        ),
        formField('registrations.prod.switchDate', p.registrations.prod?.switchDate),
        ...(p.channel.type === 'vipnet'
          ? [formField('channel.vipnet.product', product, 'certified', 'сертифицированный')]
          : []),
        ...(p.channel.type === 'leased-line'
          ? [
              formField('channel.leasedLine.provider', line?.provider),
              formField('channel.leasedLine.circuit', line?.circuit),
            ]
          : []),
        ...untitled(p, prod?.endpoints.map((e) => e.id) ?? []),
      ]);
      view = {
        operatorName: operator.operator.name,
        name: p.name,
        inn: p.inn,
        head: p.head,
        mnemonic: prod!.mnemonic,
        channelStatement:
          // п. 9.1: on a public network only a VPN with certified crypto protects the channel; an
          // operator's policy may admit an open one, but the act never calls it protected.
          p.channel.type === 'internet'
            ? `Канал связи — сеть Интернет без средства криптографической защиты информации: требованию ${cite('portal', '9.1')} (VPN с сертифицированными СКЗИ в сетях общего пользования) не соответствует; подключение допущено решением Оператора ПУ ТО.`
            : evidence.state === 'passed'
              ? `Подключение выполнено в соответствии с требованиями раздела 9 Регламента: канал связи защищён (VPN/выделенная сеть) — проверено ${localDateTime(evidence.checkedAt, operator.timeZone ?? DEFAULT_TIME_ZONE)} (конфигурация канала на пограничном узле сверена с реестром), применяются только СКЗИ, прошедшие оценку соответствия.`
              : `Соответствие канала связи требованиям раздела 9 Регламента: канал не проверен — ${evidence.reason.ru}. Применяются только СКЗИ, прошедшие оценку соответствия (по сведениям реестра).`,
        channel: CHANNEL_NAMES[p.channel.type],
        channelDetails: product
          ? `${product.name}, сертификат ${product.certificate} до ${fmtDate(product.validUntil)}; сеть ${p.channel.vipnet!.network}, узел ${p.channel.vipnet!.node}`
          : line
            ? `${line.provider}, канал ${line.circuit}${line.application ? `, ${line.application}` : ''}`
            : 'нет (сеть Интернет без СКЗИ)',
        networks: p.networks.join(', '),
        testGateway: test?.gateway ?? 'нет регистрации',
        prodGateway: prod!.gateway,
        tested: fmtDate(p.registrations.test?.tested),
        switchDate: fmtDate(p.registrations.prod?.switchDate),
        endpoints: prod!.endpoints.map((e, i) => ({
          n: i + 1,
          id: e.id,
          purpose: purposeRu(p, e.id),
          url: `${e.protocol}://${e.address}:${e.port}${e.path}`,
          messageTypes: prod!.messageTypes.join('; ') || '—',
        })),
      };
      file = 'connection-act';
      break;
    }
    case 'protocol': {
      if (!hasChannel(p)) throw new MissingDataError(title, p.id, [NO_CHANNEL]);
      const probe = context.probes?.test ?? context.probes?.prod;
      requireFields(title, p.id, [
        {
          label: {
            en: 'connectivity probe results (prichal probe)',
            ru: 'результаты проверки связности (prichal probe)',
          },
          value: probe,
        },
        formField('technical.name', p.technical.name),
      ]);
      const results = {
        answered: 'ответ получен',
        'no-answer': 'НЕТ ОТВЕТА',
        'wrong-host': 'ответил другой узел',
        dropped: 'заблокировано',
        answered_denied: 'НЕ ЗАБЛОКИРОВАНО',
        refused: 'НЕ ЗАБЛОКИРОВАНО (отказ узла)',
        'not-run': 'НЕ ПРОВЕРЕНО (шлюз недоступен)',
      } as const;
      const steps = {
        form: 'подача заявления через форму',
        statuses: 'обновление статусов',
        appointment: 'запись на приём',
        payment: 'оплата',
        rating: 'оценка качества',
      } as const;
      const serviceRows = (p.services ?? []).flatMap((s) =>
        [...latestResults(s, 'test').values(), ...latestResults(s, 'prod').values()].map((t) => ({ s, t })),
      );
      // The protocol judges what it records: the service steps (if any) and the probe.
      const servicesPassed = serviceStepGaps(p.services ?? []).length === 0;
      const timeZone = operator.timeZone ?? DEFAULT_TIME_ZONE;
      // The protocol is dated (the register's date, `at`) on or after the last test it records.
      const recorded = [localDay(probe!.finishedAt, timeZone), ...serviceRows.map(({ t }) => t.date)].sort().at(-1)!;
      records = recorded;
      if (daysBetween(context.at, recorded) > 0)
        throw new MissingDataError(
          title,
          p.id,
          [{ en: 'a date on or after the tests it records', ru: 'дата не раньше записанных в нём испытаний' }],
          {
            en: `${title} for ${p.id} cannot be dated ${context.at}: it records a test of ${recorded}; write it on or after that day`,
            ru: `${title} для ${p.id} не может быть датирован ${russianDate(context.at)}: в нём записано испытание ${russianDate(recorded)}; сформируйте его в этот день или позже`,
          },
        );
      view = {
        name: p.name,
        timeZone: russianTimeZone(timeZone, new Date(probe!.startedAt)),
        services: serviceRows.map(({ s, t }, i) => ({
          n: i + 1,
          service: `${s.name} (${s.code})`,
          step: `${steps[t.step]}${(t.contour ?? 'test') === 'prod' ? ', промышленный контур' : ''}`,
          date: fmtDate(t.date),
          result: t.result === 'passed' ? 'успешно' : 'НЕ ПРОЙДЕНО',
          tester: t.tester,
        })),
        mnemonic: probe!.mnemonic,
        contourName: probe!.contour === 'test' ? 'тестовый' : 'промышленный',
        edge: probe!.edge,
        gateway: probe!.gateway,
        startedAt: localDateTime(probe!.startedAt, timeZone),
        finishedAt: localDateTime(probe!.finishedAt, timeZone),
        allowed: probe!.allowed.map((a, i) => ({
          n: i + 1,
          endpoint: a.endpoint,
          url: `${a.protocol}://${a.address}:${a.port}${a.path}`,
          result: results[a.result],
        })),
        denied: probe!.denied.map((d, i) => ({
          n: i + 1,
          description: DENIED_KINDS[d.kind](d),
          source: d.source,
          address: d.address,
          port: d.port,
          result: d.result === 'answered' ? results.answered_denied : results[d.result],
        })),
        conclusion:
          probe!.passed && servicesPassed
            ? `тестирование пройдено успешно: ${p.services?.length ? 'форма, статусы и все опции услуг проверены, ' : ''}все зарегистрированные сервисы доступны, недекларированные потоки блокируются.`
            : 'ТЕСТИРОВАНИЕ НЕ ПРОЙДЕНО: см. строки с отклонениями.',
        technical: p.technical.name,
      };
      file = 'test-protocol';
      break;
    }
    case 'leased-line': {
      if (!hasChannel(p)) throw new MissingDataError(title, p.id, [NO_CHANNEL]);
      const line = p.channel.leasedLine;
      const link = plan.links.find((l) => l.participant === p.id);
      requireFields(title, p.id, [
        {
          label: { en: 'channel.type leased-line', ru: 'channel.type leased-line (канал — выделенная линия)' },
          value: p.channel.type === 'leased-line' ? line : undefined,
        },
        formField('inn', p.inn),
        formField('channel.leasedLine.provider', line?.provider),
        // Not the circuit id nor the application's own number: the application is written while the
        // line is being ordered; the provider gives the circuit, the operator registers the application.
        formField('channel.leasedLine.vlan', line?.vlan),
        formField('channel.leasedLine.bandwidthMbps', line?.bandwidthMbps),
        {
          label: { en: 'link allocation (prichal plan --save)', ru: 'адреса линка (prichal plan --save)' },
          value: link,
        },
      ]);
      view = {
        name: p.name,
        inn: p.inn,
        head: p.head,
        provider: line!.provider,
        circuit: line!.circuit ?? 'будет назначен оператором связи',
        vlan: line!.vlan,
        bandwidth: line!.bandwidthMbps,
        edgeAddress: link!.edgeAddress,
        participantAddress: link!.participantAddress,
        networks: p.networks.join(', '),
        edge: p.channel.edge,
        application: line!.application ?? 'присваивается при регистрации заявки',
        technical: [p.technical.name, p.technical.phone, p.technical.email].filter(Boolean).join(', '),
      };
      file = 'leased-line-application';
      break;
    }
  }
  return {
    kind,
    title,
    participant: p.id,
    markdown: Mustache.render(template(file), { ...view, basis: basisLine(kind) }, {}, { escape: cell }),
    ...(records ? { records } : {}),
  };
}

const NO_CHANNEL: Words = {
  en: 'channel (this participant uses the hosted СЭД and has no network channel)',
  ru: 'channel (участник работает в СЭД оператора, сетевого канала у него нет)',
};

/**
 * Why the connection act cannot be written at `at`, though the fields it needs may be there: it
 * records a connection made (п. 3.1.6, after the test of п. 4.6), so the production registration is
 * registered in its contour (п. 4.3) and its switch date has come. Undefined: the act may be written.
 */
export function actNotYet(p: Participant, at: string): { field: string; words: Words } | undefined {
  const prod = p.registrations?.prod;
  const title = DOCUMENT_TITLES.act;
  if (prod && !reached(prod.status, 'registered'))
    return {
      field: 'registrations.prod.status',
      words: {
        en: `${title} for ${p.id} is not written yet: the production registration is '${prod.status}'; the act records a connection made, after the registration in the production contour (${cite('portal', '4.3')}) and the switch`,
        ru: `${title} для ${p.id} пока не формируется: промышленная регистрация в статусе '${prod.status}'; акт составляется о выполненном подключении — после регистрации в промышленном контуре (${cite('portal', '4.3')}) и перевода`,
      },
    };
  if (prod?.switchDate && daysBetween(at, prod.switchDate) > 0)
    return {
      field: 'registrations.prod.switchDate',
      words: {
        en: `${title} for ${p.id} is not written yet: the switch to production is dated ${prod.switchDate}, after ${at}; the act records a switch made`,
        ru: `${title} для ${p.id} пока не формируется: перевод в промышленную эксплуатацию назначен на ${russianDate(prod.switchDate)}, позже ${russianDate(at)}; акт составляется о выполненном переводе`,
      },
    };
  return undefined;
}

/**
 * Documents that apply to a participant in its current state (what the main job writes): the
 * support request of its СЭД path and stage, and the portal documents when it has a channel.
 */
export function applicableDocuments(p: Participant, at: string): DocumentKind[] {
  const kinds: DocumentKind[] = [applicableRequest(p, at)];
  if (!hasChannel(p)) return kinds;
  // Only a provisioned registration (approved or later) can have been probed and tested.
  if (p.registrations.test && provisioned(p.registrations.test.status)) kinds.push('protocol');
  if (p.registrations.prod && provisioned(p.registrations.prod.status) && !actNotYet(p, at)) kinds.push('act');
  if (p.channel.type === 'leased-line') kinds.push('leased-line');
  return kinds;
}
