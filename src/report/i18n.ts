// The words of the reports and the CLI's human output, in the operator's language (operator.yaml
// `language`, default Russian; `--lang` overrides), with dates in the operator's time zone and
// numbers as people there write them. JSON, JUnit and metrics stay language-neutral.
import { nowIn, russianDate } from '../inventory/dates.js';
import { REQUIREMENTS, type RequirementId } from '../requirements/index.js';

export const LANGS = ['ru', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'ru';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

const LABELS = {
  ru: {
    report: {
      audit: 'Проверка реестра (аудит)',
      drift: 'Проверка соответствия (дрейф)',
      all: 'Проверка соответствия требованиям: реестр и действующие системы',
    },
    generated: 'Сформирован',
    evaluatedAt: 'требования оценены на дату',
    status: { COMPLIANT: 'СООТВЕТСТВУЕТ', FINDINGS: 'ЕСТЬ НАРУШЕНИЯ', PARTIAL: 'ЧАСТИЧНО: проверено не всё' },
    errors: 'Ошибки',
    warnings: 'Предупреждения',
    waived: 'Исключения',
    unchecked: 'Не проверено',
    exitCode: 'код завершения',
    sincePrevious: 'С прошлого запуска',
    newFindings: 'новых',
    fixed: 'устранено',
    persisting: 'сохраняется',
    summary: 'Сводка',
    filters: 'Фильтры',
    all: 'все',
    district: 'Район',
    coordinator: 'Координирующий орган',
    requirement: 'Требование',
    severity: 'Важность',
    contour: 'Контур',
    severities: { error: 'ошибка', warning: 'предупреждение' },
    contours: { test: 'тестовый', prod: 'промышленный' },
    shown: 'Показано нарушений',
    trend: 'Динамика',
    noHistory: 'История запусков пока пуста: динамика появится со второго ночного запуска.',
    firstRun: 'первый запуск: сравнивать не с чем',
    trendCaption:
      'Ошибки и предупреждения каждого запуска; ниже — новые (вверх) и устранённые (вниз) по сравнению с предыдущим запуском',
    legend: { errors: 'ошибки', warnings: 'предупреждения', newFindings: 'новые', fixed: 'устранённые' },
    notChecked: 'Не проверено',
    subject: 'Объект',
    requirements: 'Требования',
    reason: 'Причина',
    participants: 'Участники',
    participant: 'Участник',
    failing: 'Невыполненные требования',
    allMet: 'все выполнены',
    source: 'Источник',
    findings: 'Нарушения',
    coverage: 'Охват',
    checked: 'проверено',
    partlyUnchecked: 'проверено не всё',
    noFindings: 'Нет: все проверенные требования выполнены.',
    finding: 'Нарушение',
    evidence: 'Основание',
    fix: 'Как устранить',
    file: 'Файл',
    owner: 'Ответственный',
    expires: 'Действует до',
    noWaived: 'Исключений нет.',
    none: 'Нет.',
    print: 'Печать',
    edgeRoutes: 'Адреса и маршруты пограничных узлов',
    edge: 'Узел',
    addresses: 'Адреса',
    routes: 'Маршруты',
  },
  en: {
    report: { audit: 'Inventory audit', drift: 'Drift check', all: 'Compliance check: inventory and live systems' },
    generated: 'Generated',
    evaluatedAt: 'requirements evaluated at',
    status: { COMPLIANT: 'COMPLIANT', FINDINGS: 'FINDINGS', PARTIAL: 'PARTIAL: not everything could be checked' },
    errors: 'Errors',
    warnings: 'Warnings',
    waived: 'Waived',
    unchecked: 'Not checked',
    exitCode: 'exit code',
    sincePrevious: 'Since the previous run',
    newFindings: 'new',
    fixed: 'fixed',
    persisting: 'persisting',
    summary: 'Summary',
    filters: 'Filters',
    all: 'all',
    district: 'District',
    coordinator: 'Coordinating body',
    requirement: 'Requirement',
    severity: 'Severity',
    contour: 'Contour',
    severities: { error: 'error', warning: 'warning' },
    contours: { test: 'test', prod: 'production' },
    shown: 'Findings shown',
    trend: 'Trend',
    noHistory: 'No run history yet: the trend appears from the second nightly run.',
    firstRun: 'the first run: nothing to compare with',
    trendCaption: 'Errors and warnings of each run; below, new (up) and fixed (down) since the run before',
    legend: { errors: 'errors', warnings: 'warnings', newFindings: 'new', fixed: 'fixed' },
    notChecked: 'Not checked',
    subject: 'Subject',
    requirements: 'Requirements',
    reason: 'Reason',
    participants: 'Participants',
    participant: 'Participant',
    failing: 'Requirements failing',
    allMet: 'all met',
    source: 'Source',
    findings: 'Findings',
    coverage: 'Coverage',
    checked: 'checked',
    partlyUnchecked: 'partly not checked',
    noFindings: 'None: every checked requirement is met.',
    finding: 'Finding',
    evidence: 'Evidence',
    fix: 'Fix',
    file: 'File',
    owner: 'Owner',
    expires: 'Expires',
    noWaived: 'No waived findings.',
    none: 'None.',
    print: 'Print',
    edgeRoutes: 'Edge addresses and routes',
    edge: 'Edge',
    addresses: 'Addresses',
    routes: 'Routes',
  },
} as const;

export type Labels = (typeof LABELS)[Lang];

export const labels = (lang: Lang): Labels => LABELS[lang];

export const requirementTitle = (id: RequirementId, lang: Lang): string =>
  lang === 'ru' ? REQUIREMENTS[id].titleRu : REQUIREMENTS[id].title;

/**
 * Prichal's own requirements by name, in the language: the catalogue cites them by the step that
 * judges them ('validation', 'drift'), which a security officer would read as untranslated jargon.
 */
const OWN_SOURCES: Record<string, Record<Lang, string>> = {
  validation: { ru: 'Prichal: проверка реестра', en: 'Prichal: inventory validation' },
  drift: { ru: 'Prichal: сверка действующих систем с планом', en: 'Prichal: live systems against the plan' },
};

/** Where a requirement comes from: the regulations as cited, Prichal's own requirements by name. */
export const requirementSource = (id: RequirementId, lang: Lang): string =>
  REQUIREMENTS[id].source
    .split('; ')
    .map((part) => OWN_SOURCES[part]?.[lang] ?? part)
    .join('; ');

/** The verdict of a summary's status in the language. */
export function statusText(status: string, lang: Lang): string {
  const l = labels(lang).status;
  return status === 'COMPLIANT' ? l.COMPLIANT : status === 'FINDINGS' ? l.FINDINGS : l.PARTIAL;
}

/** An instant (ISO, UTC) as the operator reads it: ДД.ММ.ГГГГ ЧЧ:ММ in its time zone (English: YYYY-MM-DD HH:MM). */
export function localTime(iso: string, timeZone: string, lang: Lang): string {
  const local = nowIn(timeZone, new Date(iso));
  return lang === 'ru' ? russianDate(local) : local.replace('T', ' ');
}

/** A calendar day (YYYY-MM-DD). */
export const localDay = (day: string, lang: Lang): string => (lang === 'ru' ? russianDate(day) : day);

/** A number with the decimal comma where Russian readers expect it. */
export const formatNumber = (value: number, lang: Lang, fractionDigits = 0): string =>
  new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);

const RU_RUNS: Record<string, string> = { one: 'запуск', few: 'запуска', many: 'запусков', other: 'запуска' };

/** "3 запуска", "5 запусков", "1 run". */
export function runsCount(n: number, lang: Lang): string {
  if (lang === 'en') return `${formatNumber(n, lang)} ${n === 1 ? 'run' : 'runs'}`;
  return `${formatNumber(n, lang)} ${RU_RUNS[new Intl.PluralRules('ru-RU').select(n)]}`;
}

/**
 * A finding's message, evidence and fix in the language, where the check words them in it (else
 * as written): the evidence is the check's own Russian when it composes one, else what was read.
 */
export function wording(
  f: { message: string; evidence: string; fix: string; ru?: { message: string; fix: string; evidence?: string } },
  lang: Lang,
): { message: string; evidence: string; fix: string } {
  if (lang !== 'ru' || !f.ru) return { message: f.message, evidence: f.evidence, fix: f.fix };
  return { message: f.ru.message, evidence: f.ru.evidence ?? f.evidence, fix: f.ru.fix };
}
