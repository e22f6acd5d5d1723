// How the CLI shows the workflows' results to people: text renderers and the terminal progress
// bar. Workflows return data; JSON output is that data as it is.
import type { CheckResult } from '../drift/model.js';
import type { EngineResult, LockHolder, StepReport } from '../infra/pulumi/engine.js';
import { durationText } from '../infra/pulumi/errors.js';
import type { ProbeProtocol } from '../infra/probe.js';
import {
  DEFAULT_LANG,
  formatNumber,
  labels,
  localDay,
  localTime,
  statusText as verdict,
  summary,
  wording,
  type Lang,
} from '../report/index.js';
import type { ParticipantStatus, StatusResult } from '../workflows/status.js';
import { terminalText as t } from '../escape.js';

export function probeText(p: ProbeProtocol, lang: Lang): string {
  if (lang === 'en') {
    const lines = [
      `probe ${p.participant} (${p.mnemonic}) in ${p.contour} via ${p.edge}, gateway ${p.gateway}: ${p.passed ? 'PASSED' : 'FAILED'}`,
    ];
    for (const a of p.allowed)
      lines.push(
        `  allow ${a.protocol}://${a.address}:${a.port}${a.path}  ${a.result}${a.httpStatus ? ` (HTTP ${a.httpStatus})` : ''}`,
      );
    for (const d of p.denied)
      lines.push(`  deny  ${d.source} -> ${d.address}:${d.port}  ${d.result}  (${d.description})`);
    return lines.join('\n');
  }
  // Results (answered, dropped, …) are the protocol's own codes, as the JSON records them.
  const lines = [
    `проба ${p.participant} (${p.mnemonic}), ${labels(lang).contours[p.contour]} контур, через ${p.edge}, шлюз ${p.gateway}: ${p.passed ? 'ПРОЙДЕНА' : 'НЕ ПРОЙДЕНА'}`,
  ];
  for (const a of p.allowed)
    lines.push(
      `  разрешено  ${a.protocol}://${a.address}:${a.port}${a.path}  ${a.result}${a.httpStatus ? ` (HTTP ${a.httpStatus})` : ''}`,
    );
  for (const d of p.denied)
    lines.push(`  запрещено  ${d.source} -> ${d.address}:${d.port}  ${d.result}  (${d.description})`);
  return lines.join('\n');
}

const SYMBOL: Record<string, string> = {
  create: '+',
  update: '~',
  delete: '-',
  replace: '+-',
  'create-replacement': '++',
  'delete-replaced': '--',
  refresh: '~',
  read: '>',
  same: ' ',
  upgrade: '^',
};
const OP_RU: Record<string, string> = {
  create: 'создание',
  update: 'изменение',
  delete: 'удаление',
  replace: 'замена',
  'create-replacement': 'создание замены',
  'delete-replaced': 'удаление заменённого',
  refresh: 'чтение состояния',
  read: 'чтение',
  same: 'без изменений',
  upgrade: 'обновление формы состояния',
};
const MAX_CHANGES_SHOWN = 12;

const seconds = (ms: number, lang: Lang) => `${formatNumber(ms / 1000, lang, 1)} ${lang === 'ru' ? 'с' : 's'}`;

export function stepText(step: StepReport, lang: Lang): string {
  const ru = lang === 'ru';
  const time = step.durationMs === undefined ? '' : ` (${seconds(step.durationMs, lang)})`;
  const failed = step.status === 'failed' ? (ru ? ' ОШИБКА' : ' FAILED') : '';
  const head = `${SYMBOL[step.op] ?? '?'} ${ru ? (OP_RU[step.op] ?? step.op) : step.op} ${step.type} ${step.name}${failed}${time}`;
  const shown = step.changes
    .slice(0, MAX_CHANGES_SHOWN)
    .map((c) => `    ${c.participant ? `${t(c.participant)}: ` : ''}${t(c.message)}`);
  const more = step.changes.length - MAX_CHANGES_SHOWN;
  if (more > 0)
    shown.push(
      ru ? `    … и ещё ${more} (полный список: --format json)` : `    … ${more} more (--format json lists all)`,
    );
  return [head, ...shown].join('\n');
}

/** A run waiting for another's lock (--wait-lock): whom it waits for, and how long it still will. */
export function lockWaitText(contour: string, holders: LockHolder[], remainingMs: number, lang: Lang): string {
  const ru = lang === 'ru';
  const who =
    holders.map((h) => `${t(h.user)}@${t(h.host)} (pid ${h.pid}) ${ru ? 'с' : 'since'} ${t(h.since)}`).join('; ') ||
    (ru ? 'другой запуск' : 'another run');
  return ru
    ? `ожидание блокировки стека ${contour}: ${who}, осталось до ${durationText(remainingMs, true)}`
    : `waiting for the ${contour} stack's lock: held by ${who}, for up to ${durationText(remainingMs, false)} more`;
}

export function engineText(r: EngineResult, lang: Lang): string {
  const ru = lang === 'ru';
  const ops = Object.entries(r.summary).filter(([, n]) => n > 0);
  const counts = ru
    ? ops.map(([op, n]) => `${OP_RU[op] ?? op}: ${n}`).join(', ') || 'ничего'
    : ops.map(([op, n]) => `${n} ${op}`).join(', ') || 'nothing';
  const who = Object.keys(r.byParticipant).sort();
  // An upgrade of the state's shape is reported as a step, but changes no resource.
  const changed = r.steps.filter((s) => s.op !== 'same' && s.op !== 'upgrade').length;
  const contour = ru ? `${labels(lang).contours[r.contour]} контур` : r.contour;
  if (ru) {
    const verb = r.action === 'preview' ? 'изменилось бы ресурсов' : 'изменено ресурсов';
    return [
      `${r.action}, ${contour} (хранилище состояния ${r.backend}): ${counts}`,
      r.changed ? `${verb}: ${changed}${who.length ? `; участники: ${who.join(', ')}` : ''}` : 'изменений нет',
      `запуск движка ${seconds(r.timings.startupMs, lang)}, всего ${seconds(r.timings.totalMs, lang)}`,
    ].join('\n');
  }
  const verb = r.action === 'preview' ? 'would change' : 'changed';
  return [
    `${r.action} ${contour} (backend ${r.backend}): ${counts}`,
    r.changed ? `${verb}: ${changed} resources${who.length ? `; participants: ${who.join(', ')}` : ''}` : 'no changes',
    `engine start ${seconds(r.timings.startupMs, lang)}, total ${seconds(r.timings.totalMs, lang)}`,
  ].join('\n');
}

/** A progress bar on a terminal, never in logs. */
export function progressBar(): ((done: number, total: number, what: string) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total, what) => {
    const width = 24;
    const filled = Math.round((done / total) * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${what.padEnd(12)}${done === total ? '\n' : ''}`,
    );
  };
}

export function checksText({
  result,
  files,
  lang = DEFAULT_LANG,
}: {
  result: CheckResult;
  files: string[];
  lang?: Lang;
}): string {
  const s = summary(result);
  const l = labels(lang);
  const ru = lang === 'ru';
  const lines = [
    `${l.report[result.kind]}: ${verdict(s.status, lang)} — ${l.errors.toLowerCase()} ${s.errors}, ${l.warnings.toLowerCase()} ${s.warnings}, ${l.waived.toLowerCase()} ${s.waived}, ${l.unchecked.toLowerCase()} ${s.unchecked}`,
  ];
  for (const u of result.unchecked)
    lines.push(`  ${ru ? 'НЕ ПРОВЕРЕНО' : 'NOT CHECKED'} ${u.subject} (${u.requirements.join(', ')}): ${u.reason}`);
  for (const f of result.findings)
    lines.push(
      `  ${f.severity === 'error' ? (ru ? 'ОШИБКА' : 'ERROR') : ru ? 'ПРЕДУП' : 'WARN '} ${f.requirement.padEnd(5)} ${t(f.participant || (f.file ? `${f.file}:${f.line}` : f.subject)).padEnd(22)} ${f.contour ? `[${l.contours[f.contour]}] ` : ''}${t(wording(f, lang).message)}`,
    );
  for (const f of result.waived)
    lines.push(
      `  ${ru ? 'ИСКЛЮЧЕНИЕ' : 'WAIVED'} ${f.requirement} ${t(f.participant)}: ${t(wording(f, lang).message)} (${t(f.waiver!.reason)}; ${t(f.waiver!.owner)}, ${ru ? 'до' : 'until'} ${t(localDay(f.waiver!.expires, lang))})`,
    );
  if (result.trend)
    lines.push(
      `  ${l.sincePrevious.toLowerCase()}: ${l.newFindings} ${result.trend.new}, ${l.fixed} ${result.trend.fixed}, ${l.persisting} ${result.trend.persisting}`,
    );
  for (const f of files) lines.push(`  ${ru ? 'записан' : 'wrote'} ${f}`);
  return lines.join('\n');
}

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
  ru: {
    requested: 'заявка',
    approved: 'согласовано',
    registered: 'зарегистрирован',
    tested: 'испытан',
    production: 'в эксплуатации',
  },
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
  const findings = (p: ParticipantStatus) =>
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
  const body = r.participants.map((p) => [
    t(p.id),
    sed(p),
    portal(p, 'test'),
    portal(p, 'prod'),
    channel(p),
    probe(p),
    findings(p),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '─'.repeat(w))), ...body.map(line), '', source, ...unreadable].join('\n');
}
