// The requirement catalogue (the design's requirements.md): each requirement defined once —
// stable id, what it demands, its source cited by the regulation's title, what it reads. The
// pure checks that decide them are in checks.ts; validation, audit, drift, the bus adapter's
// promotion gate and the documents all call those.
import { cite } from './regulations.js';

export const REQUIREMENTS = {
  // Not a regulation's: every report stands on a readable, valid inventory. An inventory that
  // does not validate, or a file that cannot be read, is a finding of every run — never skipped
  // (requirements.md, exit codes).
  'INV-1': {
    title: 'Inventory readable and valid',
    titleRu: 'Реестр читается и корректен',
    source: 'validation',
    reads: 'every run',
    field: undefined,
  },
  'CH-1': {
    title: 'Channel is ViPNet or a dedicated leased line',
    titleRu: 'Канал — ViPNet или выделенная линия',
    source: `${cite('portal', '9.1')}, ${cite('portal', '3.1.6.1')}`,
    reads: 'inventory',
    field: 'channel',
  },
  'CH-2': {
    title: 'ViPNet product certified and its certificate valid',
    titleRu: 'Продукт ViPNet сертифицирован, сертификат действует',
    source: cite('portal', '9.1'),
    reads: 'inventory',
    field: 'channel',
  },
  'CH-3': {
    title: 'Leased line documented (provider, circuit, Appendix 10)',
    titleRu: 'Выделенная линия оформлена (провайдер, канал, Приложение 10)',
    source: cite('portal', '3.1.6.1'),
    reads: 'inventory',
    field: 'channel',
  },
  'FW-1': {
    title: 'Edge filters by default-deny',
    titleRu: 'Пограничный узел фильтрует по принципу «запрещено всё, что не разрешено»',
    source: cite('portal', '9'),
    reads: 'live',
    field: 'networks',
  },
  'FW-2': {
    title: 'Accepting rules match declared flows only',
    titleRu: 'Разрешающие правила — только заявленные потоки',
    source: cite('portal', '9'),
    reads: 'live',
    field: 'networks',
  },
  'FW-3': {
    title: 'Live ruleset equals the planned ruleset',
    titleRu: 'Действующие правила совпадают с плановыми',
    source: 'drift',
    reads: 'live',
    field: 'networks',
  },
  'GW-1': {
    title: 'Gateway present, running, as planned and hardened',
    titleRu: 'Шлюз на месте, работает, как в плане, и защищён',
    source: 'drift',
    reads: 'live',
    field: 'registrations',
  },
  'BUS-1': {
    title: 'Bus registration equals the plan',
    titleRu: 'Регистрация в шине совпадает с планом',
    source: `${cite('portal', '4.3')}; drift`,
    reads: 'live',
    field: 'registrations',
  },
  'REG-1': {
    title: 'Connection requests answered within 10 working days',
    titleRu: 'Ответ на заявку о подключении — в течение 10 рабочих дней',
    source: cite('portal', '3.3'),
    reads: 'inventory',
    field: 'registrations',
  },
  'BUS-2': {
    title: 'Production only after a tested test registration',
    titleRu: 'Промышленный контур — только после испытаний в тестовом',
    source: cite('portal', '4.6'),
    reads: 'inventory + live',
    field: 'registrations',
  },
  'SIG-1': {
    title: 'Head and clerk hold valid qualified certificates from an accredited CA',
    titleRu: 'У руководителя и делопроизводителя действующие квалифицированные сертификаты аккредитованного УЦ',
    source: `${cite('sed', '1.2')}, ${cite('sed', '2.3')}; ${cite('edo')} (63-ФЗ, ст. 6)`,
    reads: 'inventory',
    field: 'signers',
  },
  'SED-1': {
    title: 'СЭД path followed: the system for the kind, stages in order',
    titleRu: 'Порядок подключения к СЭД соблюдён: система по виду участника, этапы по порядку',
    source: `${cite('sed')}; ${cite('workstation')}`,
    reads: 'inventory',
    field: 'sed',
  },
  'ORG-1': {
    title: 'Joining and personal-data agreements present',
    titleRu: 'Соглашения о присоединении и об обработке персональных данных есть',
    source: `${cite('sed', '1.1')}, ${cite('sed', '2.2')}, сноска`,
    reads: 'inventory',
    field: 'agreements',
  },
  'ORG-2': {
    title: 'The applicable support request is complete',
    titleRu: 'Применимая заявка в службу поддержки заполнена',
    source: `${cite('sed', '1.4')}, ${cite('sed', '2.4')}, форма заявки`,
    reads: 'inventory',
    field: 'contacts',
  },
  'WS-1': {
    title: 'Workstation baseline: CryptoPro CSP ≥ policy minimum, GOST-TLS browser, root certificates, CRL',
    titleRu: 'АРМ: КриптоПро CSP не ниже минимума, браузер с ГОСТ TLS, корневые сертификаты, СОС',
    source: cite('workstation'),
    reads: 'inventory',
    field: 'workstations',
  },
} as const;

export type RequirementId = keyof typeof REQUIREMENTS;
export const REQUIREMENT_IDS = Object.keys(REQUIREMENTS) as RequirementId[];
export const INVENTORY_REQUIREMENTS = REQUIREMENT_IDS.filter((id) => REQUIREMENTS[id].reads !== 'live');
export const LIVE_REQUIREMENTS = REQUIREMENT_IDS.filter((id) => REQUIREMENTS[id].reads !== 'inventory');
