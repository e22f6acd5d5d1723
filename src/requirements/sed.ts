// The СЭД connection (Регламент подключения к СЭД), decided once: organisation kinds and who
// coordinates whom, the agreements' exemptions, the dated stages of each path, the system per
// kind, which support request applies and which fields it needs; and SED-1's check, worded here.
// Validation, audit, the documents and the coverage statistics all read these; none re-states them.
import { daysBetween, russianDate, type Participant, type Words } from '../inventory/index.js';
import { cite } from './regulations.js';
import type { InventoryCheck } from './requirement-check.js';

export type Kind = Participant['kind'];
type Sed = Participant['sed'];

/** Regional organisations coordinated by an executive body (the footnote's exempt list, with the bodies themselves). */
export const REGIONAL_SUBORDINATE: ReadonlySet<Kind> = new Set([
  'state-institution',
  'state-unitary-enterprise',
  'state-nonprofit',
]);
/** Municipal organisations coordinated by a body of local self-government. */
export const MUNICIPAL_SUBORDINATE: ReadonlySet<Kind> = new Set([
  'municipal-institution',
  'municipal-unitary-enterprise',
  'municipal-nonprofit',
]);
export const SETTLEMENTS: ReadonlySet<Kind> = new Set(['urban-settlement', 'rural-settlement']);
/** Districts of the coverage statistics: a municipal district (район) or a city district (городской округ). */
export const DISTRICTS: ReadonlySet<Kind> = new Set(['municipal-district', 'city-district']);
/** Bodies of local self-government (ОМСУ): the first share of the ЭДО statistics (Организация ЮЗЭДО). */
export const LOCAL_GOVERNMENTS: ReadonlySet<Kind> = new Set([...DISTRICTS, ...SETTLEMENTS, 'local-government']);

/**
 * Form field 4 («только для подведомственных учреждений, сельских поселений»): every subordinate
 * organisation and every rural settlement names the body that coordinates it.
 */
export function needsCoordinator(kind: Kind): boolean {
  return REGIONAL_SUBORDINATE.has(kind) || MUNICIPAL_SUBORDINATE.has(kind) || kind === 'rural-settlement';
}

/**
 * The kinds that may coordinate a kind: an executive body for regional organisations, a body of
 * local self-government for municipal ones, the municipal district for a settlement. Undefined:
 * the kind has no coordinator to check.
 */
export function coordinatorKinds(kind: Kind): ReadonlySet<Kind> | undefined {
  if (REGIONAL_SUBORDINATE.has(kind)) return new Set(['executive-body']);
  if (MUNICIPAL_SUBORDINATE.has(kind)) return LOCAL_GOVERNMENTS;
  if (SETTLEMENTS.has(kind)) return new Set(['municipal-district']);
  return undefined;
}

/**
 * ORG-1: executive bodies and the state unitary enterprises, institutions and non-profits they
 * coordinate sign no joining agreement (Регламент подключения к СЭД, сноска); everyone else
 * signs the joining and the personal-data agreement.
 */
export function agreementsRequired(p: Participant, kindOf: (id: string) => Kind | undefined): boolean {
  if (p.kind === 'executive-body') return false;
  if (REGIONAL_SUBORDINATE.has(p.kind) && p.coordinatedBy && kindOf(p.coordinatedBy) === 'executive-body') return false;
  return true;
}

export function missingAgreements(p: Participant): Array<'joining' | 'personalData'> {
  return (['joining', 'personalData'] as const).filter((k) => !p.agreements?.[k]);
}

/**
 * The dated stages of each path after the agreements and the signers' certificates, in order:
 * each with the clause that asks for it and the stage it follows (`requires`: that stage must be
 * recorded too; otherwise only the order is checked when both are).
 */
export const SED_STAGES = {
  operator: [
    { field: 'training', clause: '1.3' },
    { field: 'requestSent', clause: '1.4', after: 'training' },
    { field: 'credentialsIssued', clause: '1.5', after: 'requestSent', requires: true },
  ],
  connector: [
    { field: 'connectorReady', clause: '2.1' },
    { field: 'requestSent', clause: '2.4', after: 'connectorReady' },
    // The п. 2.4 request announces the switch date: it cannot lie before the request.
    { field: 'switchDate', clause: '2.4', after: 'requestSent' },
    { field: 'commissioned', clause: '2.5', after: 'requestSent', requires: true },
  ],
} as const satisfies Record<
  Sed['mode'],
  ReadonlyArray<{ field: keyof Sed; clause: string; after?: keyof Sed; requires?: boolean }>
>;

/** Stage fields of the other path: written in this mode they mean nothing. */
export function foreignStageFields(sed: Sed): Array<keyof Sed> {
  const own = new Set<string>(SED_STAGES[sed.mode].map((s) => s.field));
  const other = sed.mode === 'operator' ? 'connector' : 'operator';
  return SED_STAGES[other].map((s) => s.field).filter((f) => !own.has(f) && sed[f] !== undefined);
}

/** The last stage of the path: credentials issued (п. 1.5) or the connector commissioned (п. 2.5). */
export function sedConnectionDate(sed: Sed): string | undefined {
  return sed.mode === 'operator' ? sed.credentialsIssued : sed.commissioned;
}

/** Connected to the regional СЭД at a date: the last stage of its path is done. */
export function sedConnected(p: Participant, at: string): boolean {
  const date = sedConnectionDate(p.sed);
  return date !== undefined && daysBetween(at, date) <= 0;
}

/** Connected to ГИС «ТОР СЭД» at a date. */
export function torSedConnected(p: Participant, at: string): boolean {
  return p.sed.torSed !== undefined && daysBetween(at, p.sed.torSed) <= 0;
}

/** Connected to electronic document exchange (ЭДО) in the sense of Организация ЮЗЭДО: the regional СЭД or ГИС «ТОР СЭД». */
export function edoConnected(p: Participant, at: string): boolean {
  return sedConnected(p, at) || torSedConnected(p, at);
}

/**
 * Stage dates that contradict the order of the path: a stage done before the one it follows, or
 * recorded while a stage it requires is not. Each with the field to point at.
 */
export function stageOrderGaps(sed: Sed): Array<{ field: keyof Sed; message: Words }> {
  const gaps: Array<{ field: keyof Sed; message: Words }> = [];
  const clauseOf = new Map<string, string>(SED_STAGES[sed.mode].map((s) => [s.field, s.clause]));
  for (const stage of SED_STAGES[sed.mode]) {
    const date = sed[stage.field];
    if (date === undefined || !('after' in stage)) continue;
    const before = sed[stage.after];
    const earlier = `sed.${stage.after} (${cite('sed', clauseOf.get(stage.after))})`;
    if (before === undefined) {
      if ('requires' in stage)
        gaps.push({
          field: stage.field,
          message: {
            en: `sed.${stage.field} is recorded but the earlier stage ${earlier} is not`,
            ru: `sed.${stage.field} записан, а предшествующий этап ${earlier} — нет`,
          },
        });
    } else if (daysBetween(before, date) < 0) {
      gaps.push({
        field: stage.field,
        message: {
          en: `sed.${stage.field} (${date}) is before ${earlier}: ${before}`,
          ru: `sed.${stage.field} (${russianDate(date)}) раньше этапа ${earlier}: ${russianDate(before)}`,
        },
      });
    }
  }
  return gaps;
}

/** The two operator-hosted systems (Требования к АРМ пользователя СЭД) and the kinds each serves. */
export const HOSTED_SYSTEMS = {
  'Directum RX': {
    serves: {
      en: 'executive and other state bodies (СЭД ПТО)',
      ru: 'органы исполнительной власти и другие государственные органы (СЭД ПТО)',
    },
    kinds: new Set<Kind>(['executive-body', 'state-body']),
  },
  Бюрократ: {
    serves: {
      en: 'municipalities, schools and hospitals (СЭД МО/ОУ)',
      ru: 'муниципалитеты, школы и больницы (СЭД МО/ОУ)',
    },
    kinds: new Set<Kind>([...LOCAL_GOVERNMENTS, ...MUNICIPAL_SUBORDINATE, 'state-institution']),
  },
} as const;
export type HostedSystem = keyof typeof HOSTED_SYSTEMS;

/** «Бюрократ», "бюрократ", "Directum RX", "DirectumRX" → the system's name; undefined for anything else. */
export function hostedSystem(name: string | undefined): HostedSystem | undefined {
  const key = (name ?? '').replace(/[«»"'\s]/g, '').toLowerCase();
  return (Object.keys(HOSTED_SYSTEMS) as HostedSystem[]).find((s) => s.replace(/\s/g, '').toLowerCase() === key);
}

/**
 * SED-1: in operator mode the system is one of the hosted two and the one for the kind; kinds the
 * regulation assigns to neither (unitary enterprises, non-profits, others) may use either.
 * Undefined when consistent.
 */
export function systemMismatch(p: Participant): Words | undefined {
  if (p.sed.mode !== 'operator') return undefined;
  const system = hostedSystem(p.sed.system);
  const expected = (Object.keys(HOSTED_SYSTEMS) as HostedSystem[]).find((s) => HOSTED_SYSTEMS[s].kinds.has(p.kind));
  if (p.sed.system === undefined)
    return {
      en: `sed.system is not recorded: operator mode uses ${expected ? `'${expected}'` : "'Directum RX' or 'Бюрократ'"}`,
      ru: `не указана sed.system: в режиме operator используется ${expected ? `'${expected}'` : "'Directum RX' или 'Бюрократ'"}`,
    };
  const { 'Directum RX': directum, Бюрократ: bureaucrat } = HOSTED_SYSTEMS;
  if (!system)
    return {
      en: `'${p.sed.system}' is not a system of the operator: operator mode uses 'Directum RX' (${directum.serves.en}) or 'Бюрократ' (${bureaucrat.serves.en}); a participant with its own СЭД uses mode: connector`,
      ru: `'${p.sed.system}' — не система оператора: в режиме operator используется 'Directum RX' (${directum.serves.ru}) или 'Бюрократ' (${bureaucrat.serves.ru}); участник с собственной СЭД указывает mode: connector`,
    };
  if (expected && system !== expected)
    return {
      en: `a ${p.kind} works in '${expected}' (${HOSTED_SYSTEMS[expected].serves.en}), not '${system}' (${cite('workstation')})`,
      ru: `участник вида ${p.kind} работает в '${expected}' (${HOSTED_SYSTEMS[expected].serves.ru}), а не в '${system}' (${cite('workstation')})`,
    };
  return undefined;
}

export const REQUEST_KINDS = ['request-new', 'request-update', 'request-connector'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/**
 * The support request that applies at a date: a participant on the operator's СЭД sends «регистрации
 * нового» until its credentials are issued and «актуализации данных» afterwards; a connector
 * participant sends the п. 2.4 request until its connector is commissioned, then updates like anyone.
 */
export function applicableRequest(p: Participant, at: string): RequestKind {
  if (sedConnected(p, at)) return 'request-update';
  return p.sed.mode === 'connector' ? 'request-connector' : 'request-new';
}

/**
 * A field a document needs and its value. The label names the field of the participant file (or
 * what else the document rests on) and, after it, what the form calls it, in both languages: the
 * refusal that lists it is read in either.
 */
export interface FormField {
  label: Words;
  value: unknown;
}

/** A field by its key in the participant file, with what the form calls it in each language (if anything). */
export const formField = (key: string, value: unknown, en?: string, ru?: string): FormField => ({
  label: { en: en ? `${key} (${en})` : key, ru: ru ? `${key} (${ru})` : key },
  value,
});

/**
 * The fields a support request needs, labelled as the form numbers them: the documents refuse
 * to print while any is empty, and ORG-2 reports exactly these — one list, so audit and `docs`
 * cannot disagree.
 */
export function requestFields(kind: RequestKind, p: Participant): FormField[] {
  const organisation = [formField('name', p.name, '1', 'поле 1'), formField('head', p.head, '2', 'поле 2')];
  if (kind === 'request-connector') {
    return [
      ...organisation,
      formField('sed.system', p.sed.system, 'own СЭД', 'собственная СЭД'),
      formField(
        'sed.connectorReady',
        p.sed.connectorReady,
        'technical works finished',
        'работы по коннектору завершены',
      ),
      formField('sed.switchDate', p.sed.switchDate, 'test → working mode', 'перевод из тестового режима в рабочий'),
      formField('technical.name', p.technical.name),
      formField('technical.phone', p.technical.phone),
      formField('technical.email', p.technical.email),
    ];
  }
  return [
    ...organisation,
    formField('clerk.name', p.clerk.name, '3', 'поле 3'),
    formField('clerk.phone', p.clerk.phone, '3', 'поле 3'),
    formField('clerk.email', p.clerk.email, '3', 'поле 3'),
    ...(needsCoordinator(p.kind) ? [formField('coordinatedBy', p.coordinatedBy, '4', 'поле 4')] : []),
    // «В случае актуализации данных поля 5, 6 и 7 в таблице заявки не направляются».
    ...(kind === 'request-new'
      ? [
          formField('sed.journals', p.sed.journals, '5, 6', 'поля 5, 6'),
          formField('sed.training', p.sed.training, '7', 'поле 7'),
        ]
      : []),
  ];
}

/** The labels of the fields whose value is empty. */
export function missingFields(fields: readonly FormField[]): Words[] {
  return fields
    .filter(({ value: v }) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0))
    .map((f) => f.label);
}

/** SED-1 in audit: the system the kind works in, and the stages in the order of the path. */
export const checkSedPath: InventoryCheck = function* (p) {
  const system = systemMismatch(p);
  if (system)
    yield {
      path: p.sed.system === undefined ? ['sed'] : ['sed', 'system'],
      message: system.en,
      evidence: `kind: ${p.kind}; sed.system: ${p.sed.system ?? 'absent'}`,
      fix: 'record the system the participant works in, or correct its kind',
      ru: {
        message: system.ru,
        evidence: `kind: ${p.kind}; sed.system: ${p.sed.system ?? 'не указана'}`,
        fix: 'укажите систему, в которой работает участник, или исправьте его вид (kind)',
      },
    };
  for (const gap of stageOrderGaps(p.sed))
    yield {
      path: ['sed', gap.field],
      message: gap.message.en,
      evidence: `sed.mode: ${p.sed.mode}`,
      fix: 'correct the stage dates',
      ru: { message: gap.message.ru, fix: 'исправьте даты этапов' },
    };
};
