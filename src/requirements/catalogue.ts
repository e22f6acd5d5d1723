// The requirement catalogue: each requirement defined once — stable id, what it demands in both
// languages, its source cited by the regulation's title, what it reads, its default severity, the
// participant-file field its findings point at and, for the inventory requirements, the check
// that evaluates it (worded in its family's module: channel, registration, signers, sed,
// organisation, workstation). Audit loops over these checks; the schemas' requirement enums are
// generated from this table (generate.ts). Live requirements are judged by the live sources.
import type { FindingCode, Participant } from '../inventory/index.js';
import { checkChannelAccepted, checkChannelProductCertified, checkLeasedLineDocumented } from './channel.js';
import { checkAgreements, checkSupportRequest } from './organisation.js';
import { checkProductionAfterTest, checkRequestsAnswered } from './registration.js';
import { cite } from './regulations.js';
import type { InventoryCheck, Severity } from './requirement-check.js';
import { checkSedPath } from './sed.js';
import { checkSignerCertificates } from './signers.js';
import { checkWorkstation } from './workstation.js';

export interface RequirementDefinition {
  title: string;
  titleRu: string;
  /** A regulation cited by title; 'drift' or 'validation' for the project's own requirements. */
  source: string;
  /** What judges it: the inventory (audit), live systems (drift), both, or every run (validity). */
  reads: 'inventory' | 'live' | 'inventory + live' | 'every run';
  /** The severity of its findings where the check does not say otherwise. */
  severity: Severity;
  /** The participant-file field its findings point at; undefined: none (host-level or file-level). */
  field: keyof Participant | undefined;
  /** Inventory requirements: the check audit runs over each participant (the inventory half, for both). */
  check?: InventoryCheck;
  /** The validation findings reported under this requirement (validate's rules of the same check). */
  validationCodes?: readonly FindingCode[];
  /** Live requirements: the name of the live source whose check judges it (a row of drift's table). */
  judgedBy?: string;
}

const DEFINITIONS = {
  // Not a regulation's: every report stands on a readable, valid inventory. An inventory that
  // does not validate, or a file that cannot be read, is a finding of every run — never skipped.
  'INV-1': {
    title: 'Inventory readable and valid',
    titleRu: 'Реестр читается и корректен',
    source: 'validation',
    reads: 'every run',
    field: undefined,
    severity: 'error',
  },
  'CH-1': {
    title: 'Channel is ViPNet or a dedicated leased line',
    titleRu: 'Канал — ViPNet или выделенная линия',
    source: `${cite('portal', '9.1')}, ${cite('portal', '3.1.6.1')}`,
    reads: 'inventory',
    field: 'channel',
    severity: 'error',
    check: checkChannelAccepted,
  },
  'CH-2': {
    title: 'ViPNet product certified and its certificate valid',
    titleRu: 'Продукт ViPNet сертифицирован, сертификат действует',
    source: cite('portal', '9.1'),
    reads: 'inventory',
    field: 'channel',
    severity: 'error',
    check: checkChannelProductCertified,
  },
  'CH-3': {
    title: 'Leased line documented (provider, circuit, Appendix 10)',
    titleRu: 'Выделенная линия оформлена (провайдер, канал, Приложение 10)',
    source: cite('portal', '3.1.6.1'),
    reads: 'inventory',
    field: 'channel',
    severity: 'error',
    check: checkLeasedLineDocumented,
    validationCodes: ['leased-line-incomplete'],
  },
  'CH-4': {
    title: 'Leased-line link configured on the edge and up',
    titleRu: 'Линк выделенной линии настроен на пограничном узле и работает',
    source: `${cite('portal', '3.1.6.1')}, ${cite('portal', '9.1')}`,
    reads: 'live',
    field: 'channel',
    severity: 'error',
    judgedBy: 'edge-routes',
  },
  'CH-5': {
    title: 'Routes through the link: exactly the declared networks, via the participant',
    titleRu: 'Маршруты через линк — ровно заявленные сети, через участника',
    source: `${cite('portal', '3.1.6.1')}, ${cite('portal', '9.1')}`,
    reads: 'live',
    field: 'networks',
    severity: 'error',
    judgedBy: 'edge-routes',
  },
  'CH-6': {
    title: "ViPNet participant's node linked with the hub's coordinator",
    titleRu: 'Узел ViPNet участника связан с координатором хаба',
    source: `${cite('portal', '3.1.6.1')}, ${cite('portal', '9.1')}`,
    reads: 'live',
    field: 'channel',
    severity: 'error',
    judgedBy: 'edge-vipnet',
  },
  'CH-7': {
    title: "Coordinator's tunnel for the participant: exactly its declared networks",
    titleRu: 'Туннель координатора для участника — ровно его заявленные сети',
    source: `${cite('portal', '3.1.6.1')}, ${cite('portal', '9.1')}`,
    reads: 'live',
    field: 'networks',
    severity: 'error',
    judgedBy: 'edge-vipnet',
  },
  'CH-8': {
    title: 'No coordinator tunnel for a node not approved',
    titleRu: 'Нет туннелей координатора для несогласованных узлов',
    source: `${cite('portal', '3.1.6.1')}, ${cite('portal', '9.1')}`,
    reads: 'live',
    field: 'channel',
    severity: 'error',
    judgedBy: 'edge-vipnet',
  },
  'CH-9': {
    title: 'Coordinator filters by default-deny; ViPNet versions meet the policy',
    titleRu: 'Координатор фильтрует по принципу «запрещено всё, что не разрешено»; версии ViPNet не ниже требуемой',
    source: cite('portal', '9.1'),
    reads: 'live',
    field: 'channel',
    severity: 'error',
    judgedBy: 'edge-vipnet',
  },
  'FW-1': {
    title: 'Edge filters by default-deny',
    titleRu: 'Пограничный узел фильтрует по принципу «запрещено всё, что не разрешено»',
    source: cite('portal', '9'),
    reads: 'live',
    field: 'networks',
    severity: 'error',
    judgedBy: 'edge-ruleset',
  },
  'FW-2': {
    title: 'Accepting rules match declared flows only',
    titleRu: 'Разрешающие правила — только заявленные потоки',
    source: cite('portal', '9'),
    reads: 'live',
    field: 'networks',
    severity: 'error',
    judgedBy: 'edge-ruleset',
  },
  'FW-3': {
    title: 'Live ruleset equals the planned ruleset',
    titleRu: 'Действующие правила совпадают с плановыми',
    source: 'drift',
    reads: 'live',
    field: 'networks',
    severity: 'error',
    judgedBy: 'edge-ruleset',
  },
  'GW-1': {
    title: 'Gateway present, running, as planned and hardened',
    titleRu: 'Шлюз на месте, работает, как в плане, и защищён',
    source: 'drift',
    reads: 'live',
    field: 'registrations',
    severity: 'error',
    judgedBy: 'gateways',
  },
  'BUS-1': {
    title: 'Bus registration equals the plan',
    titleRu: 'Регистрация в шине совпадает с планом',
    source: `${cite('portal', '4.3')}; drift`,
    reads: 'live',
    field: 'registrations',
    severity: 'error',
    judgedBy: 'bus',
  },
  'REG-1': {
    title: 'Connection requests answered within 10 working days',
    titleRu: 'Ответ на заявку о подключении — в течение 10 рабочих дней',
    source: cite('portal', '3.3'),
    reads: 'inventory',
    field: 'registrations',
    severity: 'warning',
    check: checkRequestsAnswered,
  },
  'BUS-2': {
    title: 'Production only after a tested test registration',
    titleRu: 'Промышленный контур — только после испытаний в тестовом',
    source: cite('portal', '4.6'),
    reads: 'inventory + live',
    field: 'registrations',
    severity: 'error',
    check: checkProductionAfterTest,
    validationCodes: ['contour-order'],
    judgedBy: 'bus',
  },
  'SIG-1': {
    title: 'Head and clerk hold valid qualified certificates from an accredited CA',
    titleRu: 'У руководителя и делопроизводителя действующие квалифицированные сертификаты аккредитованного УЦ',
    source: `${cite('sed', '1.2')}, ${cite('sed', '2.3')}; ${cite('edo')} (63-ФЗ, ст. 6)`,
    reads: 'inventory',
    field: 'signers',
    severity: 'error',
    check: checkSignerCertificates,
    validationCodes: ['certificate-expiry'],
  },
  'SED-1': {
    title: 'СЭД path followed: the system for the kind, stages in order',
    titleRu: 'Порядок подключения к СЭД соблюдён: система по виду участника, этапы по порядку',
    source: `${cite('sed')}; ${cite('workstation')}`,
    reads: 'inventory',
    field: 'sed',
    severity: 'error',
    check: checkSedPath,
  },
  'ORG-1': {
    title: 'Joining and personal-data agreements present',
    titleRu: 'Соглашения о присоединении и об обработке персональных данных есть',
    source: `${cite('sed', '1.1')}, ${cite('sed', '2.2')}, сноска`,
    reads: 'inventory',
    field: 'agreements',
    severity: 'error',
    check: checkAgreements,
    validationCodes: ['agreement-missing'],
  },
  'ORG-2': {
    title: 'The applicable support request is complete',
    titleRu: 'Применимая заявка в службу поддержки заполнена',
    source: `${cite('sed', '1.4')}, ${cite('sed', '2.4')}, форма заявки`,
    reads: 'inventory',
    // The request's fields lie across the file (name, head, clerk, coordinatedBy, sed): no one field.
    field: undefined,
    severity: 'error',
    check: checkSupportRequest,
    validationCodes: ['coordinator-required', 'coordinator-cycle'],
  },
  'WS-1': {
    title: 'Workstation baseline: CryptoPro CSP ≥ policy minimum, GOST-TLS browser, root certificates, CRL',
    titleRu: 'АРМ: КриптоПро CSP не ниже минимума, браузер с ГОСТ TLS, корневые сертификаты, СОС',
    source: cite('workstation'),
    reads: 'inventory',
    field: 'workstations',
    severity: 'error',
    check: checkWorkstation,
  },
} satisfies Record<string, RequirementDefinition>;

export type RequirementId = keyof typeof DEFINITIONS;
export const REQUIREMENTS: Readonly<Record<RequirementId, RequirementDefinition>> = DEFINITIONS;
export const REQUIREMENT_IDS = Object.keys(REQUIREMENTS) as RequirementId[];
export const INVENTORY_REQUIREMENTS = REQUIREMENT_IDS.filter((id) => REQUIREMENTS[id].reads !== 'live');
export const LIVE_REQUIREMENTS = REQUIREMENT_IDS.filter((id) => REQUIREMENTS[id].reads !== 'inventory');

/** The requirements a live source judges (its rows' judgedBy), in the catalogue's order. */
export const judgedBy = (source: string): RequirementId[] =>
  REQUIREMENT_IDS.filter((id) => REQUIREMENTS[id].judgedBy === source);

/**
 * The channel as the live sources see it (п. 3.1.6.1, 9.1): the leased lines' links and routes
 * and the coordinator's tunnels. A connection act states the channel only from these.
 */
export const LIVE_CHANNEL_REQUIREMENTS: readonly RequirementId[] = [
  ...judgedBy('edge-routes'),
  ...judgedBy('edge-vipnet'),
];

/** The requirement every validation finding without a requirement of its own is reported under. */
export const INVENTORY_VALIDITY: RequirementId = 'INV-1';

/** The requirements a participant file may waive: all but validity (a broken file cannot be accepted). */
export const WAIVABLE_REQUIREMENTS = REQUIREMENT_IDS.filter((id) => REQUIREMENTS[id].reads !== 'every run');

/** The inventory checks audit runs, in the catalogue's order. */
export const INVENTORY_CHECKS = REQUIREMENT_IDS.flatMap((id) => {
  const check = REQUIREMENTS[id].check;
  return check ? [{ requirement: id, check }] : [];
});

/** The validation codes that are requirements: audit reports them under these ids, every other validation finding under validity. */
export const REQUIREMENT_OF_CODE: Partial<Record<FindingCode, RequirementId>> = Object.fromEntries(
  REQUIREMENT_IDS.flatMap((id) => (REQUIREMENTS[id].validationCodes ?? []).map((code) => [code, id])),
);
