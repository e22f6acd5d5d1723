// The `prichal` commands as a table: each row names a command, says what it does (English and
// Russian; its options' Russian is in help-ru.ts), declares its arguments and options, and ties
// its workflow (src/workflows/<command>.ts) to its renderer (<command>.render.ts) and its exit
// code. program.ts turns the rows into commander commands, in this order.
import { exitCode as checksExitCode } from '../drift/model.js';
import type { ProbeProtocol } from '../infra/probe.js';
import type { EngineAction, EngineResult } from '../infra/pulumi/engine.js';
import type { ReadCertificate } from '../inventory/index.js';
import { labels, type Lang } from '../report/index.js';
import { INVENTORY_REQUIREMENTS, LIVE_REQUIREMENTS, type RequirementId } from '../requirements/index.js';
import { audit } from '../workflows/audit.js';
import { bus, type BusResult } from '../workflows/bus.js';
import { busText } from '../workflows/bus.render.js';
import { type CertificateImport, importCertificate, showCertificate } from '../workflows/certificate.js';
import { certificateImportText, certificateShowText } from '../workflows/certificate.render.js';
import { parseContour } from '../workflows/context.js';
import { type CoordinatorResult, coordinatorCommand, coordinatorText } from '../workflows/coordinator.js';
import { type CoverageResult, coverageCommand } from '../workflows/coverage.js';
import { coverageJson, coverageText } from '../workflows/coverage.render.js';
import { type DocsOptions, type DocsResult, docs } from '../workflows/docs.js';
import { docsText } from '../workflows/docs.render.js';
import { drift } from '../workflows/drift.js';
import { engineMarkdown, fullListCommand } from '../workflows/engine.markdown.js';
import { engineText, lockWaitText, stepText, unlockText } from '../workflows/engine.render.js';
import { type FirewallResult, firewall } from '../workflows/firewall.js';
import { firewallText } from '../workflows/firewall.render.js';
import { type IncidentOptions, type IncidentResult, incidentCommand } from '../workflows/incident.js';
import { incidentText } from '../workflows/incident.render.js';
import { type InitResult, init } from '../workflows/init.js';
import { initText } from '../workflows/init.render.js';
import { type MigrateResult, migrate } from '../workflows/migrate.js';
import { migrateText } from '../workflows/migrate.render.js';
import { type OnboardResult, onboard } from '../workflows/onboard.js';
import { onboardText } from '../workflows/onboard.render.js';
import { type PlanCommandResult, plan } from '../workflows/plan.js';
import { planText } from '../workflows/plan.render.js';
import { probeCommand } from '../workflows/probe.js';
import { probeText } from '../workflows/probe.render.js';
import type { ChecksRun } from '../workflows/run-checks.js';
import { checksJson, checksText } from '../workflows/run-checks.render.js';
import { type StatusResult, status } from '../workflows/status.js';
import { statusText } from '../workflows/status.render.js';
import { type ValidateResult, validate } from '../workflows/validate.js';
import { validateText } from '../workflows/validate.render.js';
import type { Words } from '../words.js';
import { command, type CommandGroup, type CommandRow, type OptionSpec } from './command-spec.js';
import { EXIT, UsageError } from './errors.js';
import { atOption, type Common, outFile, outFolder } from './options.js';
import { askYes, progress, withProgress } from './terminal.js';

export const PROGRAM_DESCRIPTION: Words = {
  en: 'Connects participant organisations to the regional hub: inventory, plan, provisioning, drift and documents.',
  ru: 'Подключение организаций-участников к региональному хабу: реестр, план, развёртывание, контроль соответствия и документы.',
};

/** Requirement ids as help lists them, from the catalogue: consecutive numbers of one family as a range (CH-1..3). */
export function requirementList(ids: readonly RequirementId[]): string {
  // Each family with its numbers, in the catalogue's order (an id without a number is a family of its own).
  const families = new Map<string, number[]>();
  for (const id of ids) {
    const [, family = id, number] = /^(.*)-(\d+)$/.exec(id) ?? [];
    families.set(family, [...(families.get(family) ?? []), ...(number ? [Number(number)] : [])]);
  }
  return [...families]
    .flatMap(([family, numbers]) => {
      if (!numbers.length) return [family];
      const runs: Array<[number, number]> = [];
      for (const n of numbers) {
        const last = runs.at(-1);
        if (last && n === last[1] + 1) last[1] = n;
        else runs.push([n, n]);
      }
      return runs.map(([from, to]) => (from === to ? `${family}-${from}` : `${family}-${from}..${to}`));
    })
    .join(', ');
}

const AT_DATE = (description: string): OptionSpec => ({ flags: '--at <date>', description });
const EVALUATE_AT = AT_DATE(
  "evaluate date-dependent warnings at YYYY-MM-DD (default: today in the operator's time zone)",
);
const CONTOUR: OptionSpec = { flags: '--contour <contour>', description: 'test | prod', required: true };
const STACK: OptionSpec = { flags: '--contour <contour>', description: 'test | prod (the stack)', required: true };
const REGISTER_OPTION: OptionSpec = {
  flags: '--register <file>',
  description:
    'the document register (default: <inventory>/documents.yaml): a number per participant, kind and content',
};

type EngineOptions = Common & {
  contour: string;
  participant?: string;
  refresh: boolean;
  yes: boolean;
  expectNoChanges: boolean;
  waitLock?: string;
};
/** The engine options as commander gives them: those an action does not declare are absent. */
type EngineFlags = Omit<EngineOptions, 'refresh' | 'yes' | 'expectNoChanges'> &
  Partial<Pick<EngineOptions, 'refresh' | 'yes' | 'expectNoChanges'>>;

// The engine loads @pulumi/pulumi (about a second before anything runs): it is imported when one
// of its commands runs, so that validate — a pre-commit hook — and every other command start in
// a fraction of that.
const engine = () => import('../workflows/engine.js');

/** preview, up, refresh, destroy: up and destroy without --yes show the preview and ask first (on a terminal only). */
async function runEngine(action: EngineAction, options: EngineOptions, lang: Lang): Promise<EngineResult> {
  const contour = parseContour(options.contour);
  const ask = (action === 'up' || action === 'destroy') && !options.yes;
  if (ask && !process.stdin.isTTY)
    throw new UsageError({
      en: `${action} changes live systems: pass --yes to go ahead without a prompt`,
      ru: `${action} изменяет действующие системы: чтобы продолжить без вопроса, передайте --yes`,
    });
  const { engineCommand } = await engine();
  return engineCommand({
    action,
    inventory: options.inventory,
    contour,
    ...(options.participant ? { participant: options.participant } : {}),
    ...(options.waitLock !== undefined
      ? {
          waitLock: options.waitLock,
          onLockWait: (holders, remainingMs) => progress(lockWaitText(contour, holders, remainingMs, lang)),
        }
      : {}),
    refresh: options.refresh,
    expectNoChanges: options.expectNoChanges,
    // One line per resource operation, on stderr (stdout stays clean for --format json).
    onProgress: (step) => progress(stepText(step, lang)),
    ...(ask
      ? {
          confirm: async (preview: EngineResult) => {
            progress(engineText(preview, lang));
            return askYes(
              lang === 'ru'
                ? `${action}: ${labels(lang).contours[contour]} контур? [y/N] `
                : `${action} the ${contour} stack? [y/N] `,
            );
          },
        }
      : {}),
  });
}

// The engine commands' options, each declared only on the actions it applies to (one listed
// where it does nothing misleads): --refresh reads the live state before a preview or an up (the
// refresh command is that reading; destroy always reads first), --yes answers the question only up
// and destroy ask, --expect-no-changes judges a preview.
const ENGINE_OPTIONS: ReadonlyArray<OptionSpec & { actions: readonly EngineAction[] }> = [
  { ...STACK, actions: ['preview', 'up', 'refresh', 'destroy'] },
  {
    flags: '--participant <id>',
    description:
      "only this participant's resources: its bus registration and, in test, its edge's table (one atomic object) when its flows there change",
    actions: ['preview', 'up', 'refresh', 'destroy'],
  },
  {
    flags: '--refresh',
    description: 'read the live state first (preview and up; preview never refreshes otherwise)',
    default: false,
    actions: ['preview', 'up'],
  },
  {
    flags: '--yes',
    description: 'apply without asking (needed when not on a terminal)',
    default: false,
    actions: ['up', 'destroy'],
  },
  {
    flags: '--expect-no-changes',
    description: 'preview: exit 1 when anything would change',
    default: false,
    actions: ['preview'],
  },
  {
    flags: '--wait-lock <duration>',
    description:
      'when another run holds the stack, wait for it up to this long (90s, 10m, 1h) instead of being refused',
    actions: ['preview', 'up', 'refresh', 'destroy'],
  },
];

/** An engine command's row; `markdown`: it also renders a change summary for a pull request (preview). */
const engineRow = (action: EngineAction, description: Words, markdown = false): CommandRow =>
  command<EngineFlags, EngineResult>({
    name: action,
    description,
    options: ENGINE_OPTIONS.filter((o) => o.actions.includes(action)).map(({ actions: _, ...spec }) => spec),
    // An option the action does not declare is absent: false, as its default would be.
    run: (o, lang) =>
      runEngine(
        action,
        { ...o, refresh: o.refresh ?? false, yes: o.yes ?? false, expectNoChanges: o.expectNoChanges ?? false },
        lang,
      ),
    text: engineText,
    ...(markdown
      ? { markdown: (r: EngineResult, lang: Lang, o: EngineOptions) => engineMarkdown(r, lang, fullListCommand(o)) }
      : {}),
    exitCode: (r, o) => (o.expectNoChanges && r.changed ? EXIT.findings : EXIT.ok),
  });

export const COMMANDS: ReadonlyArray<CommandRow | CommandGroup> = [
  command<Common & { at?: string }, ValidateResult>({
    name: 'validate',
    description: {
      en: 'validate the whole inventory: YAML, schema and cross-file rules (exit 0 valid, 1 invalid, 2 usage)',
      ru: 'проверить весь реестр: YAML, схему и правила между файлами (код 0 — корректен, 1 — некорректен, 2 — ошибка вызова)',
    },
    options: [EVALUATE_AT],
    run: (o, lang) =>
      withProgress(lang, o.format, (progress) =>
        validate({ inventory: o.inventory, ...atOption(o.at), ...(progress ? { progress } : {}) }),
      ),
    text: validateText,
    exitCode: (r) => (r.ok ? EXIT.ok : EXIT.findings),
  }),
  command<Common & { at?: string; save: boolean; moveGateway?: string[] }, PlanCommandResult>({
    name: 'plan',
    description: {
      en: 'print the plan: gateway hosts, gateway and link allocations and, per contour, the registered participants',
      ru: 'показать план: хосты шлюзов, распределение адресов шлюзов и линков и зарегистрированных участников по контурам',
    },
    options: [
      EVALUATE_AT,
      {
        flags: '--save',
        description: 'record new allocations in allocations.yaml (only when the inventory is valid)',
        default: false,
      },
      {
        flags: '--move-gateway <participant=host...>',
        description:
          "move a participant's gateways to another gateway host, with new addresses from its range (shown; recorded with --save)",
      },
    ],
    run: (o) =>
      plan({
        inventory: o.inventory,
        ...atOption(o.at),
        save: o.save,
        ...(o.moveGateway ? { moveGateway: o.moveGateway } : {}),
      }),
    text: planText,
    exitCode: (r) => (r.ok ? EXIT.ok : EXIT.findings),
  }),
  command<Common & { check: boolean }, MigrateResult>({
    name: 'migrate',
    description: {
      en: 'rewrite the inventory to the current contract version, changing only the lines it must; prints per file what changed and lists what only a person can decide (exit 0 done or nothing due, 1 a decision leaves the inventory invalid)',
      ru: 'перевести реестр на текущую версию формата, меняя только нужные строки; показывает по каждому файлу, что изменено, и перечисляет, что может решить только человек (код 0 — готово или миграция не нужна, 1 — без решения человека реестр некорректен)',
    },
    options: [
      { flags: '--check', description: 'write nothing; exit 1 when a migration is due (for CI)', default: false },
    ],
    run: (o) => migrate({ inventory: o.inventory, check: o.check }),
    text: (r, lang, o) => migrateText(r, lang, o.check),
    exitCode: (r, o) => ((o.check ? r.due : r.decisions.some((d) => d.severity === 'error')) ? EXIT.findings : EXIT.ok),
  }),
  command<Common & { id: string; force: boolean }, InitResult>({
    name: 'init',
    description: {
      en: 'scaffold inventory/participants/<id>.yaml with every field and a comment for each',
      ru: 'создать заготовку inventory/participants/<id>.yaml со всеми полями и комментарием к каждому',
    },
    arguments: [{ name: '<id>', description: 'participant id (lower-case letters, digits, -)' }],
    options: [{ flags: '--force', description: 'overwrite an existing file', default: false }],
    run: (o) => init({ inventory: o.inventory, id: o.id, force: o.force }),
    text: initText,
  }),
  command<Common & { action: string; edge?: string; full?: boolean; verify: string }, FirewallResult>({
    name: 'firewall',
    description: {
      en: 'edge firewalls: render (print the rulesets) or apply (only the changed set elements when the host holds the last verified apply, else an atomic replace of table inet prichal; verified, rolled back on failure)',
      ru: 'межсетевые экраны пограничных узлов: render (показать наборы правил) или apply (только изменённые элементы множеств, если на узле последнее проверенное применение, иначе атомарная замена таблицы inet prichal; с проверкой и откатом при сбое)',
    },
    arguments: [{ name: '<action>', description: 'apply | render' }],
    options: [
      { flags: '--edge <id>', description: 'only this edge' },
      {
        flags: '--full',
        description: 'replace the whole table even if a delta would do: repairs hand edits that drift reported',
      },
      {
        flags: '--verify <how>',
        description:
          "after a full replace: 'layout' (chains and set declarations, milliseconds) or 'full' (list and compare every rule and element)",
        default: 'layout',
      },
    ],
    run: (o, lang) => {
      if (o.verify !== 'layout' && o.verify !== 'full')
        throw new UsageError({
          en: `--verify takes layout or full, not '${o.verify}'`,
          ru: `--verify: layout или full, а не '${o.verify}'`,
        });
      return firewall({
        action: o.action,
        inventory: o.inventory,
        log: progress,
        lang,
        verify: o.verify,
        ...(o.full ? { full: true } : {}),
        ...(o.edge ? { edge: o.edge } : {}),
      });
    },
    text: firewallText,
  }),
  command<Common & { action: string; contour: string; participant?: string }, BusResult>({
    name: 'bus',
    description: {
      en: "bus registrations of a contour: ensure (create or correct, prod only after a tested test registration) or read (what exists, including unplanned objects with Prichal's naming)",
      ru: 'регистрации контура в шине: ensure (создать или исправить; промышленный — только после испытанной тестовой регистрации) или read (что есть, включая незапланированные объекты с именами Prichal)',
    },
    arguments: [{ name: '<action>', description: 'ensure | read' }],
    options: [CONTOUR, { flags: '--participant <id>', description: 'only this participant (ensure)' }],
    run: (o, lang) =>
      bus({
        action: o.action,
        inventory: o.inventory,
        contour: parseContour(o.contour),
        log: progress,
        lang,
        ...(o.participant ? { participant: o.participant } : {}),
      }),
    text: busText,
  }),
  command<Common & { at?: string; out?: string }, ChecksRun>({
    name: 'audit',
    description: {
      en: `inventory requirements (${requirementList(INVENTORY_REQUIREMENTS)}) at a date (exit 0 met, 1 findings, 2 usage)`,
      ru: `требования к реестру (${requirementList(INVENTORY_REQUIREMENTS)}) на дату (код 0 — выполнены, 1 — нарушения, 2 — ошибка вызова)`,
    },
    options: [
      AT_DATE("audit date YYYY-MM-DD (default: today in the operator's time zone)"),
      { flags: '--out <dir>', description: 'also write JSON, JUnit XML, Markdown and HTML reports here' },
    ],
    run: (o, lang) => {
      const at = atOption(o.at);
      const out = o.out ? { out: outFolder(o.out)! } : {};
      return withProgress(lang, o.format, (progress) =>
        audit({ inventory: o.inventory, lang, ...at, ...out, ...(progress ? { progress } : {}) }),
      );
    },
    text: checksText,
    json: checksJson,
    exitCode: (r) => checksExitCode(r.result),
  }),
  command<Common & { participant?: string; probes: string; report: string; at?: string }, StatusResult>({
    name: 'status',
    description: {
      en: 'where each participant stands: СЭД stage, portal/bus stage per contour, channel, last probe, open findings (inventory audit now, live findings from the last nightly report); reads files only',
      ru: 'где стоит каждый участник: этап СЭД, этап портала/шины по контурам, канал, последняя проба, открытые нарушения (аудит реестра сейчас, нарушения действующих систем — из последнего ночного отчёта); читает только файлы',
    },
    options: [
      { flags: '--participant <id>', description: "one participant's screen" },
      { flags: '--probes <dir>', description: 'recorded probe protocols <contour>-<id>.json', default: 'out/probes' },
      {
        flags: '--report <file>',
        description: 'the last nightly report (drift --all) for live findings',
        default: 'out/reports/all.json',
      },
      AT_DATE("date YYYY-MM-DD (default: today in the operator's time zone)"),
    ],
    run: (o, lang) =>
      status({
        inventory: o.inventory,
        probes: o.probes,
        report: o.report,
        ...(o.participant ? { participant: o.participant } : {}),
        ...atOption(o.at),
        lang,
      }),
    text: (r, _lang, o) => statusText(r, o.participant !== undefined),
  }),
  command<Common & { all: boolean; at?: string; out?: string; history?: string; metrics?: string }, ChecksRun>({
    name: 'drift',
    description: {
      en: `live state against the plan (${requirementList(LIVE_REQUIREMENTS)}); --all adds the audit, writes every report format and the history (exit 0 met, 1 findings, 3 not everything checked, 2 usage)`,
      ru: `действующие системы против плана (${requirementList(LIVE_REQUIREMENTS)}); --all добавляет аудит, пишет все форматы отчётов и историю (код 0 — выполнены, 1 — нарушения, 3 — проверено не всё, 2 — ошибка вызова)`,
    },
    options: [
      {
        flags: '--all',
        description: 'audit + drift, every report format, history and trend (nightly mode)',
        default: false,
      },
      AT_DATE("date for inventory requirements YYYY-MM-DD (default: today in the operator's time zone)"),
      { flags: '--out <dir>', description: 'write JSON, JUnit XML, Markdown and HTML reports here' },
      {
        flags: '--history <file>',
        description: 'history store for the trend (default .state/history.jsonl with --all)',
      },
      {
        flags: '--metrics <file>',
        description:
          "with --all: the metrics file for node_exporter's textfile collector, one path every night, replaced atomically (default <out>/prichal.prom)",
      },
    ],
    run: (o, lang) => {
      outFolder(o.out);
      outFile(o.metrics, '--metrics');
      const at = atOption(o.at);
      return withProgress(lang, o.format, (progress) =>
        drift({
          inventory: o.inventory,
          all: o.all,
          lang,
          ...at,
          ...(o.out ? { out: o.out } : {}),
          ...(o.history !== undefined ? { history: o.history } : {}),
          ...(o.metrics !== undefined ? { metrics: o.metrics } : {}),
          ...(progress ? { progress } : {}),
        }),
      );
    },
    text: checksText,
    json: checksJson,
    exitCode: (r) => checksExitCode(r.result),
  }),
  command<Common & DocsOptions, DocsResult>({
    name: 'docs',
    description: {
      en: 'write the documents (Markdown, print-ready HTML, PDF with --pdf), each numbered from the document register: support request, connector request, connection act (refused while the audit finds errors), test protocol, leased-line application',
      ru: 'сформировать документы (Markdown, HTML для печати, PDF с --pdf), каждый с номером из журнала документов: заявка в поддержку, заявка на коннектор, акт подключения (отказ, пока аудит находит ошибки), протокол испытаний, заявка на выделенную линию',
    },
    options: [
      { flags: '--participant <id>', description: 'participant id' },
      { flags: '--all', description: 'every participant, every document that applies to it', default: false },
      {
        flags: '--kind <kind>',
        description:
          'request-new | request-update | request-connector | act | protocol | leased-line (default: all that apply)',
      },
      REGISTER_OPTION,
      { flags: '--out <dir>', description: 'output folder', default: 'out/documents' },
      {
        flags: '--history <file>',
        description:
          "drift's history (drift --all): the act states the channel from its latest run (default .state/history.jsonl)",
      },
      {
        flags: '--probes <dir>',
        description: 'probe protocols <contour>-<id>.json for the test protocol (default: <out>/../probes)',
      },
      { flags: '--pdf', description: 'also print PDF through headless Chromium', default: false },
    ],
    run: (o, lang) => {
      outFolder(o.out);
      return withProgress(lang, o.format, (progress) =>
        docs({
          inventory: o.inventory,
          all: o.all,
          out: o.out,
          pdf: o.pdf,
          ...(o.participant ? { participant: o.participant } : {}),
          ...(o.kind ? { kind: o.kind } : {}),
          ...(o.probes ? { probes: o.probes } : {}),
          ...(o.register ? { register: o.register } : {}),
          ...(o.history ? { history: o.history } : {}),
          ...(progress ? { progress } : {}),
        }),
      );
    },
    text: docsText,
    exitCode: (r) => (r.errors.length ? EXIT.findings : EXIT.ok),
  }),
  command<Common & IncidentOptions, IncidentResult>({
    name: 'incident',
    description: {
      en: "the incident note of Регламент ПУ ТО, п. 8.2 for the portal's support desk (operator.yaml support.portal), numbered from the document register: priority (п. 8.3), reaction time in the desk's working hours (п. 8.4, 8.6, the production calendar), the technical specialist with position as contact (п. 8.1); refused for a participant without a connection to the portal",
      ru: 'обращение об инциденте по Регламенту ПУ ТО, п. 8.2, в службу поддержки портала (support.portal в operator.yaml), с номером из журнала документов: приоритет (п. 8.3), время реакции в часы работы службы (п. 8.4, 8.6, производственный календарь), технический специалист с должностью как контакт (п. 8.1); для участника без подключения к порталу не формируется',
    },
    options: [
      { flags: '--participant <id>', description: 'participant id', required: true },
      {
        flags: '--scope <scope>',
        description:
          'full: the service does not work at all (Высокий); partial: some functions fail (Средний/«Обыкновенный»)',
        required: true,
      },
      { flags: '--description <text>', description: 'what happens, as precisely as possible', required: true },
      { flags: '--service <code>', description: "the service's 19-digit code (default: the connection as a whole)" },
      {
        flags: '--at <datetime>',
        description: "when the note is sent, local YYYY-MM-DDTHH:MM (default: now in the operator's time zone)",
      },
      { flags: '--screenshot <file>', description: 'a screenshot to name in the note' },
      { flags: '--materials <text>', description: 'further materials' },
      REGISTER_OPTION,
      { flags: '--out <dir>', description: 'also write the note as Markdown and HTML here' },
    ],
    run: (o) => {
      outFolder(o.out);
      return incidentCommand(o);
    },
    text: incidentText,
  }),
  command<Common & { edge?: string; out?: string }, CoordinatorResult>({
    name: 'coordinator',
    description: {
      en: "what the ViPNet administrator configures on the hub's coordinator: per approved ViPNet participant its network, node and tunnel ranges (exactly its networks), and the [id] sections to compare with iplir.conf; Prichal never writes it (drift checks it, CH-6 to CH-9)",
      ru: 'что администратор сети ViPNet настраивает на координаторе хаба: для каждого согласованного участника с каналом ViPNet — сеть, узел и туннелируемые адреса (ровно его сети), и разделы [id] для сверки с iplir.conf; Prichal его не изменяет (проверяет drift, CH-6–CH-9)',
    },
    options: [
      { flags: '--edge <id>', description: 'one coordinator edge (default: every edge of kind vipnet-coordinator)' },
      { flags: '--out <dir>', description: 'also write coordinator-<edge>.md, .html and .iplir-sections.conf here' },
    ],
    run: (o) => {
      outFolder(o.out);
      return coordinatorCommand({
        inventory: o.inventory,
        ...(o.edge ? { edge: o.edge } : {}),
        ...(o.out ? { out: o.out } : {}),
      });
    },
    text: coordinatorText,
  }),
  command<Common & { out?: string; at?: string }, CoverageResult>({
    name: 'coverage',
    description: {
      en: 'coverage statistics in the shape of the tables of «Организация ЮЗЭДО»: per district, the shares of local governments and of their institutions connected to ЭДО (the regional СЭД or ГИС «ТОР СЭД») and their mean; the targets by year with the gap; settlements connected to ГИС «ТОР СЭД»',
      ru: 'статистика охвата в форме таблиц «Организация ЮЗЭДО»: по районам — доли органов местного самоуправления и их учреждений, подключённых к ЭДО (региональная СЭД или ГИС «ТОР СЭД»), и их среднее; целевые значения по годам с отставанием; поселения, подключённые к ГИС «ТОР СЭД»',
    },
    options: [
      { flags: '--out <dir>', description: 'also write coverage.md, coverage.html and coverage.json here' },
      AT_DATE("count connections made by YYYY-MM-DD (default: today in the operator's time zone)"),
    ],
    run: (o) => {
      outFolder(o.out);
      return coverageCommand({ inventory: o.inventory, ...(o.out ? { out: o.out } : {}), ...atOption(o.at) });
    },
    text: coverageText,
    json: coverageJson,
  }),
  {
    name: 'certificate',
    description: {
      en: "a signer's qualified certificate, read from its file (DER or PEM, GOST R 34.10-2012 included)",
      ru: 'квалифицированный сертификат подписанта из файла (DER или PEM, в том числе ГОСТ Р 34.10-2012)',
    },
    commands: [
      command<{ file: string }, ReadCertificate>({
        name: 'show',
        description: {
          en: 'print the certificate as the signers entry of a participant file: serial, thumbprint, issuer, authority key id, validity, holder',
          ru: 'показать сертификат как запись signers файла участника: серийный номер, отпечаток, издатель, идентификатор ключа издателя, срок действия, владелец',
        },
        arguments: [{ name: '<file>', description: 'certificate file (.cer/.crt/.der/.pem)' }],
        shared: 'output',
        run: (o) => showCertificate(o.file),
        text: certificateShowText,
      }),
      command<Common & { file: string; participant: string; role: string; name?: string }, CertificateImport>({
        name: 'import',
        description: {
          en: "write the certificate into a participant's signers (the signer with that role and name gets it, or is added); a certification authority's own certificate is refused; the file keeps its comments and must still validate",
          ru: 'записать сертификат в signers участника (его получает подписант с этой ролью и именем, или он добавляется); сертификат самого удостоверяющего центра не принимается; комментарии файла сохраняются, файл должен проходить проверку',
        },
        arguments: [{ name: '<file>', description: 'certificate file (.cer/.crt/.der/.pem)' }],
        options: [
          { flags: '--participant <id>', description: 'participant id', required: true },
          { flags: '--role <role>', description: 'head, clerk, deputy or other', required: true },
          { flags: '--name <name>', description: "signer's full name (default: the certificate's holder)" },
        ],
        run: (o) =>
          importCertificate({
            inventory: o.inventory,
            participant: o.participant,
            file: o.file,
            role: o.role,
            ...(o.name ? { name: o.name } : {}),
          }),
        text: certificateImportText,
      }),
    ],
  },
  command<Common & { id: string; promote: boolean; out: string }, OnboardResult>({
    name: 'onboard',
    description: {
      en: "the engineer's path for one participant: validate, plan, apply the test contour, probe, write the test protocol; --promote: production and the connection act",
      ru: 'путь инженера для одного участника: проверка, план, применение тестового контура, проба, протокол испытаний; --promote: промышленный контур и акт подключения',
    },
    arguments: [{ name: '<id>', description: 'participant id' }],
    options: [
      {
        flags: '--promote',
        description: "also apply production (refused unless the test registration is 'tested') and write the act",
        default: false,
      },
      { flags: '--out <dir>', description: 'output folder', default: 'out/onboard' },
    ],
    run: (o, lang) => {
      outFolder(o.out);
      return onboard({
        inventory: o.inventory,
        participant: o.id,
        promote: o.promote,
        out: o.out,
        log: progress,
        lang,
        onEngineStep: (step) => progress(stepText(step, lang)),
      });
    },
    text: onboardText,
  }),
  command<Common & { contour: string; participant: string; out?: string }, ProbeProtocol>({
    name: 'probe',
    description: {
      en: 'connectivity test protocol (Регламент ПУ ТО, Приложение 9), run on the hub host of operator.yaml: declared endpoints answer through the edge, undeclared flows are dropped (exit 0 passed, 1 failed)',
      ru: 'протокол проверки связности (Регламент ПУ ТО, Приложение 9) с узла хаба из operator.yaml: объявленные точки отвечают через пограничный узел, необъявленные потоки отбрасываются (код 0 — пройдена, 1 — нет)',
    },
    options: [
      CONTOUR,
      { flags: '--participant <id>', description: 'participant id', required: true },
      { flags: '--out <file>', description: 'also write the protocol as JSON to this file' },
    ],
    run: (o) =>
      probeCommand({
        inventory: o.inventory,
        contour: parseContour(o.contour),
        participant: o.participant,
        ...(o.out ? { out: o.out } : {}),
      }),
    text: probeText,
    exitCode: (r) => (r.passed ? EXIT.ok : EXIT.findings),
  }),
  engineRow(
    'preview',
    {
      en: 'what the engine would change in a contour (exit 1 with --expect-no-changes when anything would)',
      ru: 'что движок изменил бы в контуре (код 1 с --expect-no-changes, если что-либо изменилось бы)',
    },
    true,
  ),
  engineRow('up', {
    en: 'provision a contour through the Pulumi engine: edge firewalls (test stack), bus registrations; refused for an invalid inventory',
    ru: 'развернуть контур через движок Pulumi: межсетевые экраны пограничных узлов (тестовый стек), регистрации в шине; отказ при некорректном реестре',
  }),
  engineRow('refresh', {
    en: "read the live state into the stack's state; hand edits show as updates that the next up undoes",
    ru: 'прочитать состояние действующих систем в состояние стека; ручные правки видны как изменения, которые следующий up отменит',
  }),
  command<Common & { contour: string; yes: boolean }, EngineResult>({
    name: 'unlock',
    description: {
      en: "clear a stale lock of a contour's stack — only when the run that took it is gone (the lock error names its user, host, pid and time)",
      ru: 'снять зависшую блокировку стека контура — только когда запуск, взявший её, завершён (ошибка блокировки называет пользователя, узел, pid и время)',
    },
    options: [STACK, { flags: '--yes', description: 'confirm that the locking run is gone', default: false }],
    run: async (o) => {
      if (!o.yes)
        throw new UsageError({
          en: 'unlock removes the lock of a run that may still be changing live systems: check that it is gone, then pass --yes',
          ru: 'unlock снимает блокировку запуска, который, возможно, ещё изменяет действующие системы: убедитесь, что он завершён, и передайте --yes',
        });
      const { engineCommand } = await engine();
      return engineCommand({ action: 'unlock', inventory: o.inventory, contour: parseContour(o.contour) });
    },
    text: unlockText,
  }),
  engineRow('destroy', {
    en: "remove Prichal's objects of a contour (its edge tables, its bus registrations) and nothing else",
    ru: 'удалить объекты Prichal в контуре (его таблицы на пограничных узлах, его регистрации в шине) и ничего больше',
  }),
];
