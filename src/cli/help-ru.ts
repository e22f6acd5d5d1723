// `--help` in Russian: each description the commands declare (main.ts, in English) with its
// Russian wording. A test checks that every command, argument and option has one, so a new or
// reworded description cannot stay English in the Russian help unnoticed.
import { Help, type Command } from 'commander';

export const HELP_RU: Readonly<Record<string, string>> = {
  'Connects participant organisations to the regional hub: inventory, plan, provisioning, drift and documents.':
    'Подключение организаций-участников к региональному хабу: реестр, план, развёртывание, контроль соответствия и документы.',
  'a screenshot to name in the note': 'снимок экрана, который указать в обращении',
  "a signer's qualified certificate, read from its file (DER or PEM, GOST R 34.10-2012 included)":
    'квалифицированный сертификат подписанта из файла (DER или PEM, в том числе ГОСТ Р 34.10-2012)',
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
  "bus registrations of a contour: ensure (create or correct, prod only after a tested test registration) or read (what exists, including unplanned objects with Prichal's naming)":
    'регистрации контура в шине: ensure (создать или исправить; промышленный — только после испытанной тестовой регистрации) или read (что есть, включая незапланированные объекты с именами Prichal)',
  'certificate file (.cer/.crt/.der/.pem)': 'файл сертификата (.cer/.crt/.der/.pem)',
  "clear a stale lock of a contour's stack — only when the run that took it is gone (the lock error names its user, host, pid and time)":
    'снять зависшую блокировку стека контура — только когда запуск, взявший её, завершён (ошибка блокировки называет пользователя, узел, pid и время)',
  'confirm that the locking run is gone': 'подтвердить, что запуск, взявший блокировку, завершён',
  'connectivity test protocol (Регламент ПУ ТО, Приложение 9), run on the hub host of operator.yaml: declared endpoints answer through the edge, undeclared flows are dropped (exit 0 passed, 1 failed)':
    'протокол проверки связности (Регламент ПУ ТО, Приложение 9) с узла хаба из operator.yaml: объявленные точки отвечают через пограничный узел, необъявленные потоки отбрасываются (код 0 — пройдена, 1 — нет)',
  "count connections made by YYYY-MM-DD (default: today in the operator's time zone)":
    'считать подключения на дату ГГГГ-ММ-ДД (по умолчанию — сегодня в часовом поясе оператора)',
  'coverage statistics in the shape of the tables of «Организация ЮЗЭДО»: per district, the shares of local governments and of their institutions connected to ЭДО (the regional СЭД or ГИС «ТОР СЭД») and their mean; the targets by year with the gap; settlements connected to ГИС «ТОР СЭД»':
    'статистика охвата в форме таблиц «Организация ЮЗЭДО»: по районам — доли органов местного самоуправления и их учреждений, подключённых к ЭДО (региональная СЭД или ГИС «ТОР СЭД»), и их среднее; целевые значения по годам с отставанием; поселения, подключённые к ГИС «ТОР СЭД»',
  "date YYYY-MM-DD (default: today in the operator's time zone)":
    'дата ГГГГ-ММ-ДД (по умолчанию — сегодня в часовом поясе оператора)',
  "date for inventory requirements YYYY-MM-DD (default: today in the operator's time zone)":
    'дата для требований к реестру ГГГГ-ММ-ДД (по умолчанию — сегодня в часовом поясе оператора)',
  'edge firewalls: render (print the rulesets) or apply (only the changed set elements when the host holds the last verified apply, else an atomic replace of table inet prichal; verified, rolled back on failure)':
    'межсетевые экраны пограничных узлов: render (показать наборы правил) или apply (только изменённые элементы множеств, если на узле последнее проверенное применение, иначе атомарная замена таблицы inet prichal; с проверкой и откатом при сбое)',
  'ensure | read': 'ensure (привести к плану) | read (прочитать)',
  "evaluate date-dependent warnings at YYYY-MM-DD (default: today in the operator's time zone)":
    'оценить зависящие от даты предупреждения на ГГГГ-ММ-ДД (по умолчанию — сегодня в часовом поясе оператора)',
  'every participant, every document that applies to it': 'все участники, все применимые к ним документы',
  'full: the service does not work at all (Высокий); partial: some functions fail (Средний/«Обыкновенный»)':
    'full: услуга не работает совсем (Высокий); partial: часть функций работает некорректно (Средний/«Обыкновенный»)',
  'further materials': 'дополнительные материалы',
  'head, clerk, deputy or other': 'head (руководитель), clerk (делопроизводитель), deputy (заместитель) или other',
  'history store for the trend (default .state/history.jsonl with --all)':
    'файл истории для динамики (по умолчанию .state/history.jsonl с --all)',
  'inventory folder': 'каталог реестра',
  'inventory requirements (CH-1..3, BUS-2, SIG-1, ORG-1..2, WS-1) at a date (exit 0 met, 1 findings, 2 usage)':
    'требования к реестру (CH-1..3, BUS-2, SIG-1, ORG-1..2, WS-1) на дату (код 0 — выполнены, 1 — нарушения, 2 — ошибка вызова)',
  "language of the human output and the Markdown/HTML reports (default: operator.yaml's language, else ru); JSON is the same in both":
    'язык вывода для людей и отчётов Markdown/HTML (по умолчанию — language из operator.yaml, иначе ru); JSON одинаков на обоих',
  'live state against the plan (FW-1..3, GW-1, BUS-1..2); --all adds the audit, writes every report format and the history (exit 0 met, 1 findings, 3 not everything checked, 2 usage)':
    'действующие системы против плана (FW-1..3, GW-1, BUS-1..2); --all добавляет аудит, пишет все форматы отчётов и историю (код 0 — выполнены, 1 — нарушения, 3 — проверено не всё, 2 — ошибка вызова)',
  "one participant's screen": 'экран одного участника',
  'only this edge': 'только этот пограничный узел',
  'only this participant (ensure)': 'только этот участник (ensure)',
  "only this participant's resources: its bus registration and, in test, its edge's table (one atomic object) when its flows there change":
    'только ресурсы этого участника: его регистрация в шине и, в тестовом контуре, таблица его пограничного узла (один атомарный объект), когда его потоки там меняются',
  'output folder': 'каталог для результатов',
  'output format': 'формат вывода',
  'overwrite an existing file': 'перезаписать существующий файл',
  'participant id': 'идентификатор участника',
  'participant id (lower-case letters, digits, -)': 'идентификатор участника (строчные латинские буквы, цифры, -)',
  'preview: exit 1 when anything would change': 'preview: код 1, если что-либо изменилось бы',
  'print the certificate as the signers entry of a participant file: serial, thumbprint, issuer, authority key id, validity':
    'показать сертификат как запись signers файла участника: серийный номер, отпечаток, издатель, идентификатор ключа издателя, срок действия',
  'print the plan: gateway and link allocations and, per contour, the registered participants':
    'показать план: распределение адресов шлюзов и линков и зарегистрированных участников по контурам',
  'probe protocols <contour>-<id>.json for the test protocol (default: <out>/../probes)':
    'протоколы проб <контур>-<id>.json для протокола испытаний (по умолчанию <out>/../probes)',
  'provision a contour through the Pulumi engine: edge firewalls (test stack), bus registrations; refused for an invalid inventory':
    'развернуть контур через движок Pulumi: межсетевые экраны пограничных узлов (тестовый стек), регистрации в шине; отказ при некорректном реестре',
  'read the live state first (preview and up; preview never refreshes otherwise)':
    'сначала прочитать состояние действующих систем (preview и up; иначе preview его не читает)',
  "read the live state into the stack's state; hand edits show as updates that the next up undoes":
    'прочитать состояние действующих систем в состояние стека; ручные правки видны как изменения, которые следующий up отменит',
  'record new allocations in allocations.yaml (only when the inventory is valid)':
    'записать новые распределения в allocations.yaml (только при корректном реестре)',
  'recorded probe protocols <contour>-<id>.json': 'записанные протоколы проб <контур>-<id>.json',
  "remove Prichal's objects of a contour (its edge tables, its bus registrations) and nothing else":
    'удалить объекты Prichal в контуре (его таблицы на пограничных узлах, его регистрации в шине) и ничего больше',
  'replace the whole table even if a delta would do: repairs hand edits that drift reported':
    'заменить таблицу целиком, даже если хватило бы изменений: исправляет ручные правки, найденные контролем соответствия',
  'request-new | request-update | request-connector | act | protocol | leased-line (default: all that apply)':
    'request-new | request-update | request-connector | act | protocol | leased-line (по умолчанию — все применимые)',
  'rewrite the inventory to the current contract version, changing only the lines it must; prints per file what changed and lists what only a person can decide (exit 0 done or nothing due, 1 a decision leaves the inventory invalid)':
    'перевести реестр на текущую версию формата, меняя только нужные строки; показывает по каждому файлу, что изменено, и перечисляет, что может решить только человек (код 0 — готово или миграция не нужна, 1 — без решения человека реестр некорректен)',
  'scaffold inventory/participants/<id>.yaml with every field and a comment for each':
    'создать заготовку inventory/participants/<id>.yaml со всеми полями и комментарием к каждому',
  "signer's full name (default: the certificate's subject)": 'ФИО подписанта (по умолчанию — владелец из сертификата)',
  'start the gateways of a contour in the lab from their specifications (stack setting gateways: external)':
    'запустить шлюзы контура в лаборатории по их спецификациям (настройка стека gateways: external)',
  'test | prod': 'test (тестовый) | prod (промышленный)',
  'test | prod (the stack)': 'test (тестовый) | prod (промышленный) — стек',
  'the document register (default: <inventory>/documents.yaml): a number per participant, kind and content':
    'журнал документов (по умолчанию <inventory>/documents.yaml): номер на каждого участника, вид и содержание',
  "the engineer's path for one participant: validate, plan, apply the test contour, probe, write the test protocol; --promote: production and the connection act":
    'путь инженера для одного участника: проверка, план, применение тестового контура, проба, протокол испытаний; --promote: промышленный контур и акт подключения',
  "the incident note of Регламент ПУ ТО, п. 8.2 for the portal operator's desk: priority (п. 8.3), reaction time in working hours (п. 8.4, 8.6, the production calendar), the technical specialist as contact (п. 8.1)":
    'обращение об инциденте по Регламенту ПУ ТО, п. 8.2, в службу поддержки оператора портала: приоритет (п. 8.3), время реакции в рабочих часах (п. 8.4, 8.6, производственный календарь), технический специалист как контакт (п. 8.1)',
  'the last nightly report (drift --all) for live findings':
    'последний ночной отчёт (drift --all) — для нарушений действующих систем',
  'the local lab: up (idempotent), down (removes what carries the lab label), status':
    'локальная лаборатория: up (идемпотентно), down (удаляет всё с меткой лаборатории), status',
  "the service's 19-digit code (default: the connection as a whole)":
    '19-значный код услуги (по умолчанию — подключение в целом)',
  up: 'up (запустить)',
  'up without participant endpoint hosts (edges, hub and bus only)':
    'up без узлов точек участников (только пограничные узлы, хаб и шина)',
  'up | down | status': 'up (запустить) | down (удалить) | status (состояние)',
  'validate the whole inventory: YAML, schema and cross-file rules (exit 0 valid, 1 invalid, 2 usage)':
    'проверить весь реестр: YAML, схему и правила между файлами (код 0 — корректен, 1 — некорректен, 2 — ошибка вызова)',
  'write nothing; exit 1 when a migration is due (for CI)': 'ничего не записывать; код 1, если нужна миграция (для CI)',
  'what happens, as precisely as possible': 'что происходит — как можно точнее',
  'what the engine would change in a contour (exit 1 with --expect-no-changes when anything would)':
    'что движок изменил бы в контуре (код 1 с --expect-no-changes, если что-либо изменилось бы)',
  'when another run holds the stack, wait for it up to this long (90s, 10m, 1h) instead of being refused':
    'если стек удерживает другой запуск, ждать его не дольше этого срока (90s, 10m, 1h), а не отказывать сразу',
  "when the note is sent, local YYYY-MM-DDTHH:MM (default: now in the operator's time zone)":
    'когда направлено обращение, местное ГГГГ-ММ-ДДTЧЧ:ММ (по умолчанию — сейчас в часовом поясе оператора)',
  'where each participant stands: СЭД stage, portal/bus stage per contour, channel, last probe, open findings (inventory audit now, live findings from the last nightly report); reads files only':
    'где стоит каждый участник: этап СЭД, этап портала/шины по контурам, канал, последняя проба, открытые нарушения (аудит реестра сейчас, нарушения действующих систем — из последнего ночного отчёта); читает только файлы',
  'write JSON, JUnit XML, Markdown and HTML reports here': 'записать сюда отчёты JSON, JUnit XML, Markdown и HTML',
  "write the certificate into a participant's signers (the signer with that role and name gets it, or is added); the file keeps its comments and must still validate":
    'записать сертификат в signers участника (его получает подписант с этой ролью и именем, или он добавляется); комментарии файла сохраняются, файл должен проходить проверку',
  'write the documents (Markdown, print-ready HTML, PDF with --pdf), each numbered from the document register: support request, connector request, connection act (refused while the audit finds errors), test protocol, leased-line application':
    'сформировать документы (Markdown, HTML для печати, PDF с --pdf), каждый с номером из журнала документов: заявка в поддержку, заявка на коннектор, акт подключения (отказ, пока аудит находит ошибки), протокол испытаний, заявка на выделенную линию',
  'display help for command': 'справка по команде',
};

// commander's own words in the help it lays out.
const HELP_CHROME_RU: Array<[RegExp, string]> = [
  [/^Usage:/gm, 'Использование:'],
  [/^Options:/gm, 'Параметры:'],
  [/^Commands:/gm, 'Команды:'],
  [/^Arguments:/gm, 'Аргументы:'],
  [/\(default: /g, '(по умолчанию: '],
  [/\(choices: /g, '(варианты: '],
  [/, default: /g, ', по умолчанию: '],
  [/display help for command/g, 'справка по команде'],
];

/** Every description a command tree declares (commands, arguments, options), for the completeness test. */
export function helpDescriptions(command: Command): string[] {
  return [
    command.description(),
    ...command.registeredArguments.map((a) => a.description),
    ...command.options.map((o) => o.description),
    ...command.commands.flatMap(helpDescriptions),
  ].filter((d) => d !== '');
}

/** Puts the Russian descriptions on the tree and renders commander's headings in Russian. */
export function russianHelp(command: Command): void {
  const ru = (text: string) => HELP_RU[text] ?? text;
  command.description(ru(command.description()));
  for (const a of command.registeredArguments) a.description = ru(a.description);
  for (const o of command.options) o.description = ru(o.description);
  command.configureHelp({
    formatHelp: (cmd, helper) =>
      HELP_CHROME_RU.reduce(
        (text, [pattern, words]) => text.replace(pattern, words),
        Help.prototype.formatHelp.call(helper, cmd, helper),
      ),
  });
  for (const sub of command.commands) russianHelp(sub);
}
