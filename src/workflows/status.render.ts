// prichal status as people read it: a table of every participant, or one participant's screen
// with --participant, then where the findings come from and the protocols that could not be read.
import { terminalText as t } from '../escape.js';
import { REGISTRATION_STATUS_RU } from '../plan/index.js';
import { labels, localDay, localTime, type Lang } from '../report/index.js';
import type { ParticipantStatus, StatusResult } from './status.js';
import { textTable } from './text-table.js';

const SED_STAGE_WORDS: Record<Lang, Record<string, string>> = {
  ru: {
    training: 'обучение пройдено',
    requestSent: 'заявка отправлена',
    credentialsIssued: 'подключён (учётные данные)',
    connectorReady: 'коннектор готов',
    switchDate: 'дата переключения',
    commissioned: 'подключён (коннектор)',
  },
  en: {
    training: 'trained',
    requestSent: 'request sent',
    credentialsIssued: 'connected (credentials)',
    connectorReady: 'connector ready',
    switchDate: 'switch date set',
    commissioned: 'connected (connector)',
  },
};
const PORTAL_WORDS: Record<Lang, Record<string, string>> = {
  ru: { ...REGISTRATION_STATUS_RU, production: 'в эксплуатации' },
  en: {
    requested: 'requested',
    approved: 'approved',
    registered: 'registered',
    tested: 'tested',
    production: 'in production',
  },
};
const CHANNEL_WORDS: Record<Lang, Record<string, string>> = {
  ru: { vipnet: 'ViPNet', 'leased-line': 'выделенная линия', internet: 'интернет', none: 'нет (СЭД с АРМ)' },
  en: { vipnet: 'ViPNet', 'leased-line': 'leased line', internet: 'internet', none: 'none (hosted СЭД)' },
};

/** The status screen: a table of every participant, or one participant's screen with --participant. */
export function statusText(r: StatusResult, single: boolean): string {
  const lang = r.lang;
  const ru = lang === 'ru';
  const l = labels(lang);
  const day = (d: string | null) => (d ? localDay(d, lang) : '');
  const sed = (p: ParticipantStatus) =>
    p.sed.stage ? `${SED_STAGE_WORDS[lang][p.sed.stage]} ${day(p.sed.date)}` : ru ? 'не начато' : 'not started';
  const portal = (p: ParticipantStatus, c: 'test' | 'prod') => {
    const x = p.portal[c];
    return x ? `${PORTAL_WORDS[lang][x.status] ?? x.status} ${day(x.date)}`.trim() : '—';
  };
  const probe = (p: ParticipantStatus) => {
    const done = (['prod', 'test'] as const).flatMap((c) => {
      const x = p.probes[c];
      return x && 'finishedAt' in x ? [[c, x] as const] : [];
    });
    const unreadable = (['prod', 'test'] as const)
      .filter((c) => p.probes[c] && 'unreadable' in p.probes[c]!)
      .map((c) => `${l.contours[c]}: ${ru ? 'протокол не читается' : 'protocol unreadable'}`);
    if (!done.length) return unreadable.length ? unreadable.join('; ') : '—';
    const [c, x] = done.sort((a, b) => (a[1].finishedAt < b[1].finishedAt ? 1 : -1))[0]!;
    return [
      `${l.contours[c]} ${localTime(x.finishedAt, r.timeZone, lang)} ${x.passed ? (ru ? 'успешно' : 'passed') : ru ? 'НЕУСПЕШНО' : 'FAILED'}`,
      ...unreadable,
    ].join('; ');
  };
  // Protocols that could not be read, each named with why (below the table or the screen).
  const unreadable = r.unreadable.map(
    (u) => `${ru ? 'не читается' : 'unreadable'}: ${t(u.file)}: ${t(ru ? u.reasonRu : u.reason)}`,
  );
  const findings = (p: Pick<ParticipantStatus, 'findings'>) =>
    p.findings.errors + p.findings.warnings
      ? `${p.findings.errors}/${p.findings.warnings} ${p.findings.requirements.join(',')}`
      : ru
        ? 'нет'
        : 'none';
  const channel = (p: ParticipantStatus) => CHANNEL_WORDS[lang][p.channel ?? 'none']!;
  const source = r.liveReport
    ? ru
      ? `нарушения: аудит на ${day(r.at)} и ночная проверка ${localTime(r.liveReport.generatedAt, r.timeZone, lang)}`
      : `findings: audit at ${day(r.at)} and the nightly run of ${localTime(r.liveReport.generatedAt, r.timeZone, lang)}`
    : ru
      ? `нарушения: аудит на ${day(r.at)} (ночного отчёта нет)`
      : `findings: audit at ${day(r.at)} (no nightly report)`;
  // A participant whose file does not validate: its findings, and nothing else its file could say.
  const invalidFile = ru ? 'файл не проходит проверку' : 'file does not validate';
  const invalid = r.invalid.map(
    (p) => `${invalidFile}: ${t(p.id)} (${t(p.file)}; ${ru ? 'все замечания' : 'every finding'}: prichal validate)`,
  );
  if (single && r.invalid.length === 1 && !r.participants.length) {
    const p = r.invalid[0]!;
    const rows: Array<[string, string]> = [
      [l.participant, t(p.id)],
      [ru ? 'Файл' : 'File', `${t(p.file)}: ${invalidFile}`],
      [ru ? 'Открытые нарушения (ошибки/предупр.)' : 'Open findings (errors/warnings)', findings(p)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    return [...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`), '', source].join('\n');
  }
  if (single && r.participants.length === 1) {
    const p = r.participants[0]!;
    const rows: Array<[string, string]> = [
      [l.participant, `${t(p.name)} (${p.id})`],
      [l.district, t(p.district)],
      [
        ru ? 'СЭД' : 'СЭД',
        `${sed(p)}${p.sed.system ? `; ${t(p.sed.system)}` : ''}; ${ru ? (p.sed.mode === 'operator' ? 'через оператора' : 'через коннектор') : p.sed.mode}`,
      ],
      [ru ? 'Портал/шина, тестовый' : 'Portal/bus, test', portal(p, 'test')],
      [ru ? 'Портал/шина, промышленный' : 'Portal/bus, production', portal(p, 'prod')],
      [ru ? 'Канал' : 'Channel', channel(p)],
      [ru ? 'Последняя проба' : 'Last probe', probe(p)],
      [ru ? 'Открытые нарушения (ошибки/предупр.)' : 'Open findings (errors/warnings)', findings(p)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    return [...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`), '', source, ...unreadable].join('\n');
  }
  const head = [
    l.participant,
    'СЭД',
    ru ? 'тест' : 'test',
    ru ? 'пром' : 'prod',
    ru ? 'канал' : 'channel',
    ru ? 'проба' : 'probe',
    ru ? 'нарушения' : 'findings',
  ];
  const body = [
    ...r.participants.map((p) => [
      t(p.id),
      sed(p),
      portal(p, 'test'),
      portal(p, 'prod'),
      channel(p),
      probe(p),
      findings(p),
    ]),
    // Last, where a broken file stands out.
    ...r.invalid.map((p) => [t(p.id), invalidFile, '—', '—', '—', '—', findings(p)]),
  ];
  return [...textTable(head, body), '', source, ...invalid, ...unreadable].join('\n');
}
