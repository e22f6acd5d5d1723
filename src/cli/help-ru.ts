// `--help` in Russian: each description the commands declare in English with its Russian
// wording — the commands' own from the command table (commands.ts), their arguments' and
// options' from the phrase book below. A test checks that every command, argument and option has
// one, so a new or reworded description cannot stay English in the Russian help unnoticed.
import { Help, type Command } from 'commander';
import type { Words } from '../words.js';
import { COMMANDS, PROGRAM_DESCRIPTION } from './commands.js';

/** The Russian of the arguments' and options' descriptions (shared by several commands, and by the lab's). */
const PHRASES: Readonly<Record<string, string>> = {
  'a screenshot to name in the note': 'снимок экрана, который указать в обращении',
  "after a full replace: 'layout' (chains and set declarations, milliseconds) or 'full' (list and compare every rule and element)":
    "после полной замены: 'layout' (цепочки и объявления множеств, миллисекунды) или 'full' (прочитать и сравнить каждое правило и элемент)",
  "also apply production (refused unless the test registration is 'tested') and write the act":
    "применить и промышленный контур (отказ, пока тестовая регистрация не 'tested') и сформировать акт",
  'also print PDF through headless Chromium': 'также напечатать PDF через Chromium без окна',
  'also write JSON, JUnit XML, Markdown and HTML reports here':
    'также записать сюда отчёты JSON, JUnit XML, Markdown и HTML',
  'also write coverage.md, coverage.html and coverage.json here':
    'также записать сюда coverage.md, coverage.html и coverage.json',
  'also write the note as Markdown and HTML here': 'также записать сюда обращение в Markdown и HTML',
  'also write the protocol as JSON to this file': 'также записать протокол в JSON в этот файл',
  'apply without asking (needed when not on a terminal)': 'применить без вопроса (нужно вне терминала)',
  'apply | render': 'apply (применить) | render (показать наборы правил)',
  'audit + drift, every report format, history and trend (nightly mode)':
    'аудит и контроль соответствия, все форматы отчётов, история и динамика (ночной режим)',
  "audit date YYYY-MM-DD (default: today in the operator's time zone)":
    'дата аудита ГГГГ-ММ-ДД (по умолчанию — сегодня в часовом поясе оператора)',
  'certificate file (.cer/.crt/.der/.pem)': 'файл сертификата (.cer/.crt/.der/.pem)',
  'confirm that the locking run is gone': 'подтвердить, что запуск, взявший блокировку, завершён',
  "count connections made by YYYY-MM-DD (default: today in the operator's time zone)":
    'считать подключения на дату ГГГГ-ММ-ДД (по умолчанию — сегодня в часовом поясе оператора)',
  "date YYYY-MM-DD (default: today in the operator's time zone)":
    'дата ГГГГ-ММ-ДД (по умолчанию — сегодня в часовом поясе оператора)',
  "date for inventory requirements YYYY-MM-DD (default: today in the operator's time zone)":
    'дата для требований к реестру ГГГГ-ММ-ДД (по умолчанию — сегодня в часовом поясе оператора)',
  'ensure | read': 'ensure (привести к плану) | read (прочитать)',
  "evaluate date-dependent warnings at YYYY-MM-DD (default: today in the operator's time zone)":
    'оценить зависящие от даты предупреждения на ГГГГ-ММ-ДД (по умолчанию — сегодня в часовом поясе оператора)',
  "drift's history (drift --all): the act states the channel from its latest run (default .state/history.jsonl)":
    'история проверок (drift --all): акт говорит о канале по последней проверке (по умолчанию .state/history.jsonl)',
  'one coordinator edge (default: every edge of kind vipnet-coordinator)':
    'один координатор (по умолчанию — все узлы вида vipnet-coordinator)',
  'also write coordinator-<edge>.md, .html and .iplir-sections.conf here':
    'также записать сюда coordinator-<узел>.md, .html и .iplir-sections.conf',
  'every participant, every document that applies to it': 'все участники, все применимые к ним документы',
  'full: the service does not work at all (Высокий); partial: some functions fail (Средний/«Обыкновенный»)':
    'full: услуга не работает совсем (Высокий); partial: часть функций работает некорректно (Средний/«Обыкновенный»)',
  'further materials': 'дополнительные материалы',
  'head, clerk, deputy or other': 'head (руководитель), clerk (делопроизводитель), deputy (заместитель) или other',
  'history store for the trend (default .state/history.jsonl with --all)':
    'файл истории для динамики (по умолчанию .state/history.jsonl с --all)',
  'inventory folder': 'каталог реестра',
  "language of the human output and the Markdown/HTML reports (default: operator.yaml's language, else ru); JSON is the same in both":
    'язык вывода для людей и отчётов Markdown/HTML (по умолчанию — language из operator.yaml, иначе ru); JSON одинаков на обоих',
  "one participant's screen": 'экран одного участника',
  'only this edge': 'только этот пограничный узел',
  'only this participant (ensure)': 'только этот участник (ensure)',
  "only this participant's resources: its bus registration and, in test, its edge's table (one atomic object) when its flows there change":
    'только ресурсы этого участника: его регистрация в шине и, в тестовом контуре, таблица его пограничного узла (один атомарный объект), когда его потоки там меняются',
  'output folder': 'каталог для результатов',
  'output format': 'формат вывода',
  'output format; markdown: a change summary for a pull request, access changes first, at most 10,000 characters':
    'формат вывода; markdown — сводка изменений для запроса на слияние: сначала изменения доступа, не длиннее десяти тысяч символов',
  'overwrite an existing file': 'перезаписать существующий файл',
  'participant id': 'идентификатор участника',
  'participant id (lower-case letters, digits, -)': 'идентификатор участника (строчные латинские буквы, цифры, -)',
  'preview: exit 1 when anything would change': 'preview: код 1, если что-либо изменилось бы',
  'probe protocols <contour>-<id>.json for the test protocol (default: <out>/../probes)':
    'протоколы проб <контур>-<id>.json для протокола испытаний (по умолчанию <out>/../probes)',
  'read the live state first (preview and up; preview never refreshes otherwise)':
    'сначала прочитать состояние действующих систем (preview и up; иначе preview его не читает)',
  "move a participant's gateways to another gateway host, with new addresses from its range (shown; recorded with --save)":
    'перенести шлюзы участника на другой хост шлюзов, с новыми адресами из его диапазона (показать; с --save — записать)',
  'record new allocations in allocations.yaml (only when the inventory is valid)':
    'записать новые распределения в allocations.yaml (только при корректном реестре)',
  'recorded probe protocols <contour>-<id>.json': 'записанные протоколы проб <контур>-<id>.json',
  'replace the whole table even if a delta would do: repairs hand edits that drift reported':
    'заменить таблицу целиком, даже если хватило бы изменений: исправляет ручные правки, найденные контролем соответствия',
  'request-new | request-update | request-connector | act | protocol | leased-line (default: all that apply)':
    'request-new | request-update | request-connector | act | protocol | leased-line (по умолчанию — все применимые)',
  "signer's full name (default: the certificate's holder)": 'ФИО подписанта (по умолчанию — владелец из сертификата)',
  'test | prod': 'test (тестовый) | prod (промышленный)',
  'test | prod (the stack)': 'test (тестовый) | prod (промышленный) — стек',
  'the document register (default: <inventory>/documents.yaml): a number per participant, kind and content':
    'журнал документов (по умолчанию <inventory>/documents.yaml): номер на каждого участника, вид и содержание',
  'the last nightly report (drift --all) for live findings':
    'последний ночной отчёт (drift --all) — для нарушений действующих систем',
  "the service's 19-digit code (default: the connection as a whole)":
    '19-значный код услуги (по умолчанию — подключение в целом)',
  'write nothing; exit 1 when a migration is due (for CI)': 'ничего не записывать; код 1, если нужна миграция (для CI)',
  'what happens, as precisely as possible': 'что происходит — как можно точнее',
  'when another run holds the stack, wait for it up to this long (90s, 10m, 1h) instead of being refused':
    'если стек удерживает другой запуск, ждать его не дольше этого срока (90s, 10m, 1h), а не отказывать сразу',
  "when the note is sent, local YYYY-MM-DDTHH:MM (default: now in the operator's time zone)":
    'когда направлено обращение, местное ГГГГ-ММ-ДДTЧЧ:ММ (по умолчанию — сейчас в часовом поясе оператора)',
  'write JSON, JUnit XML, Markdown and HTML reports here': 'записать сюда отчёты JSON, JUnit XML, Markdown и HTML',
  "with --all: the metrics file for node_exporter's textfile collector, one path every night, replaced atomically (default <out>/prichal.prom)":
    'с --all: файл метрик для textfile collector из node_exporter — один и тот же путь каждую ночь, заменяется атомарно (по умолчанию <out>/prichal.prom)',
  'display help for command': 'справка по команде',
};

const commandDescriptions = (
  rows: ReadonlyArray<{ description: Words; commands?: ReadonlyArray<{ description: Words }> }>,
): Words[] => rows.flatMap((row) => [row.description, ...commandDescriptions(row.commands ?? [])]);

export const HELP_RU: Readonly<Record<string, string>> = {
  ...PHRASES,
  ...Object.fromEntries(
    commandDescriptions([{ description: PROGRAM_DESCRIPTION }, ...COMMANDS]).map((d) => [d.en, d.ru]),
  ),
};

// commander's own headings in the help it lays out (each on a line of its own, never wrapped).
const HELP_HEADINGS_RU: Array<[RegExp, string]> = [
  [/^Usage:/gm, 'Использование:'],
  [/^Options:/gm, 'Параметры:'],
  [/^Commands:/gm, 'Команды:'],
  [/^Arguments:/gm, 'Аргументы:'],
];

// What commander appends to a description: "(choices: …, default: …)". Translated with the
// description, before commander wraps the line — after it, a break inside "(default: x)" would
// leave it English.
const HELP_EXTRA_RU: Array<[RegExp, string]> = [
  [/\(default: /g, '(по умолчанию: '],
  [/\(choices: /g, '(варианты: '],
  [/, default: /g, ', по умолчанию: '],
];

/** commander's own help, whose descriptions (with their extras) the Russian help translates. */
const COMMANDER_HELP = new Help();

/** A description as the Russian help shows it: its phrase (commander's own, such as the help option's), its extras in Russian. */
const russianDescription = (text: string): string =>
  HELP_EXTRA_RU.reduce((out, [pattern, words]) => out.replace(pattern, words), HELP_RU[text] ?? text);

/** Every description a command tree declares (commands, arguments, options), for the completeness test. */
export function helpDescriptions(command: Command): string[] {
  return [
    command.description(),
    ...command.registeredArguments.map((a) => a.description),
    ...command.options.map((o) => o.description),
    ...command.commands.flatMap(helpDescriptions),
  ].filter((d) => d !== '');
}

/** Puts the Russian descriptions on the tree and renders commander's own words in Russian. */
export function russianHelp(command: Command): void {
  const ru = (text: string) => HELP_RU[text] ?? text;
  command.description(ru(command.description()));
  for (const a of command.registeredArguments) a.description = ru(a.description);
  for (const o of command.options) o.description = ru(o.description);
  command.configureHelp({
    optionDescription: (option) => russianDescription(COMMANDER_HELP.optionDescription(option)),
    argumentDescription: (argument) => russianDescription(COMMANDER_HELP.argumentDescription(argument)),
    subcommandDescription: (sub) => russianDescription(COMMANDER_HELP.subcommandDescription(sub)),
    formatHelp: (cmd, helper) =>
      HELP_HEADINGS_RU.reduce(
        (text, [pattern, words]) => text.replace(pattern, words),
        Help.prototype.formatHelp.call(helper, cmd, helper),
      ),
  });
  for (const sub of command.commands) russianHelp(sub);
}
