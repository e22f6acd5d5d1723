// cli: the `prichal` command. Commands are declared here in one place; each is an
// `async (options) => result` in commands/ that returns data, printed as text or JSON.
// One handler maps named errors to exit codes. May import every other stage.
import { Command, CommanderError, Option } from 'commander';
import { init } from './commands/init.js';
import { coverageCommand, docs, incidentCommand, onboard } from '../workflows/documents.js';
import { checks, exitCode, HISTORY_FILE } from '../workflows/checks.js';
import { checksText, engineText, lockWaitText, probeText, progressBar, statusText, stepText } from './text.js';
import { status } from '../workflows/status.js';
import { bus, describeApply, firewall, probeCommand } from '../workflows/live.js';
import { parseContour } from '../workflows/context.js';
import { plan, planText } from './commands/plan.js';
import { validate, validateText } from './commands/validate.js';
import { migrate, migrateText } from './commands/migrate.js';
import { importCertificate, showCertificate } from '../workflows/certificate.js';
import { stringify } from 'yaml';
import type { EngineAction, LockHolder, StepReport } from '../infra/pulumi/engine.js';
import { createInterface } from 'node:readline/promises';
import { statSync } from 'node:fs';
import path from 'node:path';
import { EXIT, exitCodeOf, UsageError } from './errors.js';
import { DEFAULT_LANG, labels, LANGS, localDay, type Lang } from '../report/index.js';
import { errorText } from '../words.js';
import { cliLanguage, commanderText } from './language.js';
import { russianHelp } from './help-ru.js';
import { InvalidInventoryError } from '../workflows/errors.js';
import { terminalText as t } from '../escape.js';

// The engine and the lab commands load @pulumi/pulumi and the lab's builders (about a second
// before anything runs): they are imported when one of their commands runs, so that validate
// — a pre-commit hook — and every other command start in a fraction of that.
const engineCommand: typeof import('../workflows/engine.js').engineCommand = async (...args) =>
  (await import('../workflows/engine.js')).engineCommand(...args);
const labCommands = () => import('./commands/lab.js');

type Format = 'text' | 'json';
interface Common {
  inventory: string;
  format: Format;
}

/** --at: a date YYYY-MM-DD; without it, commands use today in the operator's time zone. */
function parseDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(value)) ||
    new Date(value).toISOString().slice(0, 10) !== value
  ) {
    throw new UsageError({
      en: `--at must be a date YYYY-MM-DD, got '${value}'`,
      ru: `--at: дата ГГГГ-ММ-ДД, а не '${value}'`,
    });
  }
  return value;
}

/**
 * A folder option (--out of audit, drift, coverage, incident, docs, onboard): refused as a usage
 * error, before anything runs, when it names an existing file or a path through one — never a
 * crash half-way through writing the reports.
 */
function outFolder(dir: string | undefined, option = '--out'): string | undefined {
  if (dir === undefined) return undefined;
  const info = statSync(dir, { throwIfNoEntry: false });
  if (info) {
    if (info.isDirectory()) return dir;
    throw new UsageError({
      en: `${option} ${dir}: an existing file, not a folder; give a folder to write into`,
      ru: `${option} ${dir}: это существующий файл, а не каталог; укажите каталог для записи`,
    });
  }
  // Missing: it is created, so the nearest existing folder above it must be a folder.
  for (let parent = path.dirname(path.resolve(dir)); ; parent = path.dirname(parent)) {
    const above = statSync(parent, { throwIfNoEntry: false });
    if (above && !above.isDirectory())
      throw new UsageError({
        en: `${option} ${dir}: the path goes through ${parent}, a file, not a folder`,
        ru: `${option} ${dir}: путь проходит через ${parent} — это файл, а не каталог`,
      });
    if (above || parent === path.dirname(parent)) return dir;
  }
}

function emit<T>(format: Format, result: T, text: (r: T) => string): void {
  process.stdout.write(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : `${text(result)}\n`);
}

/** The commands; `lang` is the language of their human output (cliLanguage: --lang, operator.yaml, Russian). */
export function buildProgram(lang: Lang = DEFAULT_LANG): Command {
  const ru = lang === 'ru';
  const program = new Command('prichal')
    .description(
      'Connects participant organisations to the regional hub: inventory, plan, provisioning, drift and documents.',
    )
    .showHelpAfterError(ru ? '(справка: --help)' : '(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(commanderText(text, lang)) })
    .exitOverride();

  const formatOption = () => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');
  // Read before the command runs (cliLanguage); declared on every command so that each accepts it.
  const langOption = () =>
    new Option(
      '--lang <lang>',
      "language of the human output and the Markdown/HTML reports (default: operator.yaml's language, else ru); JSON is the same in both",
    ).choices([...LANGS]);
  const withCommon = (command: Command) =>
    command
      .option('--inventory <dir>', 'inventory folder', 'inventory')
      .addOption(formatOption())
      .addOption(langOption());

  withCommon(program.command('validate'))
    .description('validate the whole inventory: YAML, schema and cross-file rules (exit 0 valid, 1 invalid, 2 usage)')
    .option(
      '--at <date>',
      "evaluate date-dependent warnings at YYYY-MM-DD (default: today in the operator's time zone)",
    )
    .action(async (options: Common & { at?: string }) => {
      const result = await validate({
        inventory: options.inventory,
        ...(options.at ? { at: parseDate(options.at)! } : {}),
      });
      emit(options.format, result, (r) => validateText(r, lang));
      process.exitCode = result.ok ? EXIT.ok : EXIT.findings;
    });

  withCommon(program.command('plan'))
    .description('print the plan: gateway and link allocations and, per contour, the registered participants')
    .option(
      '--at <date>',
      "evaluate date-dependent warnings at YYYY-MM-DD (default: today in the operator's time zone)",
    )
    .option('--save', 'record new allocations in allocations.yaml (only when the inventory is valid)', false)
    .action(async (options: Common & { at?: string; save: boolean }) => {
      const result = await plan({
        inventory: options.inventory,
        ...(options.at ? { at: parseDate(options.at)! } : {}),
        save: options.save,
      });
      emit(options.format, result, (r) => planText(r, lang));
      process.exitCode = result.ok ? EXIT.ok : EXIT.findings;
    });

  withCommon(program.command('migrate'))
    .description(
      'rewrite the inventory to the current contract version, changing only the lines it must; prints per file what changed and lists what only a person can decide (exit 0 done or nothing due, 1 a decision leaves the inventory invalid)',
    )
    .option('--check', 'write nothing; exit 1 when a migration is due (for CI)', false)
    .action(async (options: Common & { check: boolean }) => {
      const result = await migrate({ inventory: options.inventory, check: options.check });
      emit(options.format, result, (r) => migrateText(r, lang, options.check));
      const open = result.decisions.some((d) => d.severity === 'error');
      process.exitCode = options.check ? (result.due ? EXIT.findings : EXIT.ok) : open ? EXIT.findings : EXIT.ok;
    });

  withCommon(program.command('init'))
    .description('scaffold inventory/participants/<id>.yaml with every field and a comment for each')
    .argument('<id>', 'participant id (lower-case letters, digits, -)')
    .option('--force', 'overwrite an existing file', false)
    .action(async (id: string, options: Common & { force: boolean }) => {
      const result = await init({ inventory: options.inventory, id, force: options.force });
      emit(options.format, result, (r) =>
        ru
          ? `записан ${r.file}; заполните его и запустите 'prichal validate'`
          : `wrote ${r.file}; fill it in, then run 'prichal validate'`,
      );
    });

  withCommon(program.command('lab'))
    .description('the local lab: up (idempotent), down (removes what carries the lab label), status')
    .argument('<action>', 'up | down | status')
    .option('--no-hosts', 'up without participant endpoint hosts (edges, hub and bus only)')
    .action(async (action: string, options: Common & { hosts: boolean }) => {
      const { lab, labText } = await labCommands();
      const result = await lab({ action, inventory: options.inventory, withHosts: options.hosts, log: progress });
      emit(options.format, result, (r) => labText(r, lang));
    });

  withCommon(program.command('firewall'))
    .description(
      'edge firewalls: render (print the rulesets) or apply (only the changed set elements when the host holds the last verified apply, else an atomic replace of table inet prichal; verified, rolled back on failure)',
    )
    .argument('<action>', 'apply | render')
    .option('--edge <id>', 'only this edge')
    .option('--full', 'replace the whole table even if a delta would do: repairs hand edits that drift reported')
    .option(
      '--verify <how>',
      "after a full replace: 'layout' (chains and set declarations, milliseconds) or 'full' (list and compare every rule and element)",
      'layout',
    )
    .action(async (action: string, options: Common & { edge?: string; full?: boolean; verify: string }) => {
      if (options.verify !== 'layout' && options.verify !== 'full')
        throw new UsageError({
          en: `--verify takes layout or full, not '${options.verify}'`,
          ru: `--verify: layout или full, а не '${options.verify}'`,
        });
      const result = await firewall({
        action,
        inventory: options.inventory,
        log: progress,
        lang,
        verify: options.verify,
        ...(options.full ? { full: true } : {}),
        ...(options.edge ? { edge: options.edge } : {}),
      });
      emit(options.format, result, (r) =>
        r.rendered
          ? r.rendered.map((x) => x.text).join('\n')
          : r.applied!.map((a) => `${a.edge}: ${ru ? describeApply(a).ru : describeApply(a).en}`).join('\n'),
      );
    });

  withCommon(program.command('bus'))
    .description(
      "bus registrations of a contour: ensure (create or correct, prod only after a tested test registration) or read (what exists, including unplanned objects with Prichal's naming)",
    )
    .argument('<action>', 'ensure | read')
    .requiredOption('--contour <contour>', 'test | prod')
    .option('--participant <id>', 'only this participant (ensure)')
    .action(async (action: string, options: Common & { contour: string; participant?: string }) => {
      const result = await bus({
        action,
        inventory: options.inventory,
        contour: parseContour(options.contour),
        log: progress,
        lang,
        ...(options.participant ? { participant: options.participant } : {}),
      });
      emit(options.format, result, (r) =>
        ru
          ? `${r.state.vhost}: пользователей ${r.state.users.length}, прав ${r.state.permissions.length}, очередей ${r.state.queues.length}, привязок ${r.state.bindings.length}`
          : `${r.state.vhost}: ${r.state.users.length} users, ${r.state.permissions.length} permissions, ${r.state.queues.length} queues, ${r.state.bindings.length} bindings`,
      );
    });

  withCommon(program.command('audit'))
    .description(
      'inventory requirements (CH-1..3, BUS-2, SIG-1, ORG-1..2, WS-1) at a date (exit 0 met, 1 findings, 2 usage)',
    )
    .option('--at <date>', "audit date YYYY-MM-DD (default: today in the operator's time zone)")
    .option('--out <dir>', 'also write JSON, JUnit XML, Markdown and HTML reports here')
    .action(async (options: Common & { at?: string; out?: string }) => {
      const result = await checks({
        kind: 'audit',
        inventory: options.inventory,
        lang,
        ...(options.at ? { at: parseDate(options.at)! } : {}),
        ...(options.out ? { out: outFolder(options.out)! } : {}),
      });
      emit(options.format, result.result, () => checksText(result));
      process.exitCode = exitCode(result.result);
    });

  withCommon(program.command('status'))
    .description(
      'where each participant stands: СЭД stage, portal/bus stage per contour, channel, last probe, open findings (inventory audit now, live findings from the last nightly report); reads files only',
    )
    .option('--participant <id>', "one participant's screen")
    .option('--probes <dir>', 'recorded probe protocols <contour>-<id>.json', 'out/probes')
    .option('--report <file>', 'the last nightly report (drift --all) for live findings', 'out/reports/all.json')
    .option('--at <date>', "date YYYY-MM-DD (default: today in the operator's time zone)")
    .action(async (options: Common & { participant?: string; probes: string; report: string; at?: string }) => {
      const result = await status({
        inventory: options.inventory,
        probes: options.probes,
        report: options.report,
        ...(options.participant ? { participant: options.participant } : {}),
        ...(options.at ? { at: parseDate(options.at)! } : {}),
        lang,
      });
      emit(options.format, result, (r) => statusText(r, options.participant !== undefined));
    });

  withCommon(program.command('drift'))
    .description(
      'live state against the plan (FW-1..3, GW-1, BUS-1..2); --all adds the audit, writes every report format and the history (exit 0 met, 1 findings, 3 not everything checked, 2 usage)',
    )
    .option('--all', 'audit + drift, every report format, history and trend (nightly mode)', false)
    .option('--at <date>', "date for inventory requirements YYYY-MM-DD (default: today in the operator's time zone)")
    .option('--out <dir>', 'write JSON, JUnit XML, Markdown and HTML reports here')
    .option('--history <file>', 'history store for the trend (default .state/history.jsonl with --all)')
    .action(async (options: Common & { all: boolean; at?: string; out?: string; history?: string }) => {
      const history = options.history ?? (options.all ? HISTORY_FILE : undefined);
      outFolder(options.out);
      const bar = progressBar();
      const result = await checks({
        kind: options.all ? 'all' : 'drift',
        inventory: options.inventory,
        lang,
        ...(options.at ? { at: parseDate(options.at)! } : {}),
        ...(options.out ? { out: options.out } : {}),
        ...(history ? { history } : {}),
        ...(bar ? { progress: bar } : {}),
      });
      emit(options.format, result.result, () => checksText(result));
      process.exitCode = exitCode(result.result);
    });

  withCommon(program.command('docs'))
    .description(
      'write the documents (Markdown, print-ready HTML, PDF with --pdf), each numbered from the document register: support request, connector request, connection act (refused while the audit finds errors), test protocol, leased-line application',
    )
    .option('--participant <id>', 'participant id')
    .option('--all', 'every participant, every document that applies to it', false)
    .option(
      '--kind <kind>',
      'request-new | request-update | request-connector | act | protocol | leased-line (default: all that apply)',
    )
    .option(
      '--register <file>',
      'the document register (default: <inventory>/documents.yaml): a number per participant, kind and content',
    )
    .option('--out <dir>', 'output folder', 'out/documents')
    .option('--probes <dir>', 'probe protocols <contour>-<id>.json for the test protocol (default: <out>/../probes)')
    .option('--pdf', 'also print PDF through headless Chromium', false)
    .action(
      async (
        options: Common & {
          participant?: string;
          all: boolean;
          kind?: string;
          out: string;
          probes?: string;
          pdf: boolean;
          register?: string;
        },
      ) => {
        outFolder(options.out);
        const result = await docs({
          inventory: options.inventory,
          all: options.all,
          out: options.out,
          pdf: options.pdf,
          ...(options.participant ? { participant: options.participant } : {}),
          ...(options.kind ? { kind: options.kind } : {}),
          ...(options.probes ? { probes: options.probes } : {}),
          ...(options.register ? { register: options.register } : {}),
        });
        emit(options.format, result, (r) =>
          [
            ...r.written.map((w) => `${w.participant} ${w.kind}: ${w.files.join(', ')}`),
            ...(ru ? r.errorsRu.map((e) => `ошибка: ${e}`) : r.errors.map((e) => `error: ${e}`)),
          ].join('\n'),
        );
        process.exitCode = result.errors.length ? EXIT.findings : EXIT.ok;
      },
    );

  withCommon(program.command('incident'))
    .description(
      "the incident note of Регламент ПУ ТО, п. 8.2 for the portal operator's desk: priority (п. 8.3), reaction time in working hours (п. 8.4, 8.6, the production calendar), the technical specialist as contact (п. 8.1)",
    )
    .requiredOption('--participant <id>', 'participant id')
    .requiredOption(
      '--scope <scope>',
      'full: the service does not work at all (Высокий); partial: some functions fail (Средний/«Обыкновенный»)',
    )
    .requiredOption('--description <text>', 'what happens, as precisely as possible')
    .option('--service <code>', "the service's 19-digit code (default: the connection as a whole)")
    .option(
      '--at <datetime>',
      "when the note is sent, local YYYY-MM-DDTHH:MM (default: now in the operator's time zone)",
    )
    .option('--screenshot <file>', 'a screenshot to name in the note')
    .option('--materials <text>', 'further materials')
    .option('--out <dir>', 'also write the note as Markdown and HTML here')
    .action(
      async (
        options: Common & {
          participant: string;
          scope: string;
          description: string;
          service?: string;
          at?: string;
          screenshot?: string;
          materials?: string;
          out?: string;
        },
      ) => {
        const { format: _format, ...rest } = options;
        outFolder(options.out);
        const result = await incidentCommand(rest);
        emit(
          options.format,
          result,
          (r) =>
            `${r.markdown.trimEnd()}${r.files.length ? `\n${ru ? 'записаны' : 'wrote'} ${r.files.join(', ')}` : ''}`,
        );
      },
    );

  withCommon(program.command('coverage'))
    .description(
      'coverage statistics in the shape of the tables of «Организация ЮЗЭДО»: per district, the shares of local governments and of their institutions connected to ЭДО (the regional СЭД or ГИС «ТОР СЭД») and their mean; the targets by year with the gap; settlements connected to ГИС «ТОР СЭД»',
    )
    .option('--out <dir>', 'also write coverage.md, coverage.html and coverage.json here')
    .option('--at <date>', "count connections made by YYYY-MM-DD (default: today in the operator's time zone)")
    .action(async (options: Common & { out?: string; at?: string }) => {
      outFolder(options.out);
      const result = await coverageCommand({
        inventory: options.inventory,
        ...(options.out ? { out: options.out } : {}),
        ...(options.at ? { at: parseDate(options.at)! } : {}),
      });
      emit(options.format, result.coverage, () => result.markdown.trimEnd());
    });

  const certificate = program
    .command('certificate')
    .description("a signer's qualified certificate, read from its file (DER or PEM, GOST R 34.10-2012 included)");
  certificate
    .command('show')
    .description(
      'print the certificate as the signers entry of a participant file: serial, thumbprint, issuer, authority key id, validity',
    )
    .argument('<file>', 'certificate file (.cer/.crt/.der/.pem)')
    .addOption(formatOption())
    .addOption(langOption())
    .action(async (file: string, options: { format: Format }) => {
      const read = await showCertificate(file);
      emit(options.format, read, (r) =>
        stringify({
          name: r.subject ?? '<signer name>',
          role: '<head|clerk|deputy|other>',
          certificate: r.certificate,
        }).trimEnd(),
      );
    });
  withCommon(certificate.command('import'))
    .description(
      "write the certificate into a participant's signers (the signer with that role and name gets it, or is added); the file keeps its comments and must still validate",
    )
    .argument('<file>', 'certificate file (.cer/.crt/.der/.pem)')
    .requiredOption('--participant <id>', 'participant id')
    .requiredOption('--role <role>', 'head, clerk, deputy or other')
    .option('--name <name>', "signer's full name (default: the certificate's subject)")
    .action(async (file: string, options: Common & { participant: string; role: string; name?: string }) => {
      const result = await importCertificate({
        inventory: options.inventory,
        participant: options.participant,
        file,
        role: options.role,
        ...(options.name ? { name: options.name } : {}),
      });
      // The name and issuer come from the certificate: shown escaped, never as terminal control sequences.
      emit(options.format, result, (r) =>
        ru
          ? `${r.file}: ${r.signer.role} ${t(r.signer.name)}, сертификат ${r.certificate.serial}, издатель ${t(r.certificate.issuer)}, ${localDay(r.certificate.notBefore, lang)} … ${localDay(r.certificate.notAfter, lang)}`
          : `${r.file}: ${r.signer.role} ${t(r.signer.name)}, certificate ${r.certificate.serial} of ${t(r.certificate.issuer)}, ${r.certificate.notBefore} … ${r.certificate.notAfter}`,
      );
    });

  withCommon(program.command('onboard'))
    .description(
      "the engineer's path for one participant: validate, plan, apply the test contour, probe, write the test protocol; --promote: production and the connection act",
    )
    .argument('<id>', 'participant id')
    .option(
      '--promote',
      "also apply production (refused unless the test registration is 'tested') and write the act",
      false,
    )
    .option('--out <dir>', 'output folder', 'out/onboard')
    .action(async (id: string, options: Common & { promote: boolean; out: string }) => {
      outFolder(options.out);
      const result = await onboard({
        inventory: options.inventory,
        participant: id,
        promote: options.promote,
        out: options.out,
        log: progress,
        lang,
        onEngineStep: (step) => progress(stepText(step, lang)),
      });
      emit(options.format, result, (r) =>
        ru
          ? `${r.participant}: выполнено шагов: ${r.steps.length}${r.promoted ? '; переведён в промышленный контур' : ''}`
          : `${r.participant}: ${r.steps.length} steps done${r.promoted ? ', promoted to production' : ''}`,
      );
    });

  withCommon(program.command('gateways'))
    .description(
      'start the gateways of a contour in the lab from their specifications (stack setting gateways: external)',
    )
    .argument('<action>', 'up')
    .requiredOption('--contour <contour>', 'test | prod')
    .action(async (action: string, options: Common & { contour: string }) => {
      if (action !== 'up')
        throw new UsageError({ en: `gateways takes up, not '${action}'`, ru: `gateways: только up, а не '${action}'` });
      const { gateways } = await labCommands();
      const result = await gateways({
        inventory: options.inventory,
        contour: parseContour(options.contour),
        log: progress,
      });
      emit(options.format, result, (r) =>
        ru
          ? `шлюзы: запущено ${r.created}, без изменений ${r.kept}, удалено ${r.removed}`
          : `gateways: ${r.created} started, ${r.kept} unchanged, ${r.removed} removed`,
      );
    });

  withCommon(program.command('probe'))
    .description(
      'connectivity test protocol (Регламент ПУ ТО, Приложение 9), run on the hub host of operator.yaml: declared endpoints answer through the edge, undeclared flows are dropped (exit 0 passed, 1 failed)',
    )
    .requiredOption('--contour <contour>', 'test | prod')
    .requiredOption('--participant <id>', 'participant id')
    .option('--out <file>', 'also write the protocol as JSON to this file')
    .action(async (options: Common & { contour: string; participant: string; out?: string }) => {
      const result = await probeCommand({
        inventory: options.inventory,
        contour: parseContour(options.contour),
        participant: options.participant,
        ...(options.out ? { out: options.out } : {}),
      });
      emit(options.format, result, (r) => probeText(r, lang));
      process.exitCode = result.passed ? EXIT.ok : EXIT.findings;
    });

  const engine = (action: EngineAction, description: string) =>
    withCommon(program.command(action))
      .description(description)
      .requiredOption('--contour <contour>', 'test | prod (the stack)')
      .option(
        '--participant <id>',
        "only this participant's resources: its bus registration and, in test, its edge's table (one atomic object) when its flows there change",
      )
      .option('--refresh', 'read the live state first (preview and up; preview never refreshes otherwise)', false)
      .option('--yes', 'apply without asking (needed when not on a terminal)', false)
      .option('--expect-no-changes', 'preview: exit 1 when anything would change', false)
      .option(
        '--wait-lock <duration>',
        'when another run holds the stack, wait for it up to this long (90s, 10m, 1h) instead of being refused',
      );

  const runEngineCommand = async (
    action: EngineAction,
    options: Common & {
      contour: string;
      participant?: string;
      refresh: boolean;
      yes: boolean;
      expectNoChanges: boolean;
      waitLock?: string;
    },
  ) => {
    const contour = parseContour(options.contour);
    const base = {
      inventory: options.inventory,
      contour,
      ...(options.participant ? { participant: options.participant } : {}),
      ...(options.waitLock !== undefined
        ? {
            waitLock: options.waitLock,
            onLockWait: (holders: LockHolder[], remainingMs: number) =>
              progress(lockWaitText(contour, holders, remainingMs, lang)),
          }
        : {}),
    };
    // Progress: one line per resource operation, on stderr (stdout stays clean for --format json).
    const onProgress = (step: StepReport) => progress(stepText(step, lang));
    if ((action === 'up' || action === 'destroy') && !options.yes) {
      if (!process.stdin.isTTY)
        throw new UsageError({
          en: `${action} changes live systems: pass --yes to go ahead without a prompt`,
          ru: `${action} изменяет действующие системы: чтобы продолжить без вопроса, передайте --yes`,
        });
      const preview = await engineCommand({
        ...base,
        action: 'preview',
        refresh: action === 'destroy' || options.refresh,
        onProgress,
      });
      progress(engineText(preview, lang));
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question(
        ru
          ? `${action}: ${labels(lang).contours[base.contour]} контур? [y/N] `
          : `${action} the ${base.contour} stack? [y/N] `,
      );
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim()))
        throw new UsageError({
          en: `${action} cancelled; nothing changed`,
          ru: `${action} отменён; ничего не изменено`,
        });
    }
    const result = await engineCommand({
      ...base,
      action,
      refresh: options.refresh,
      expectNoChanges: options.expectNoChanges,
      onProgress,
    });
    emit(options.format, result, (r) => engineText(r, lang));
    process.exitCode = options.expectNoChanges && result.changed ? EXIT.findings : EXIT.ok;
  };

  engine(
    'preview',
    'what the engine would change in a contour (exit 1 with --expect-no-changes when anything would)',
  ).action((o) => runEngineCommand('preview', o));
  engine(
    'up',
    'provision a contour through the Pulumi engine: edge firewalls (test stack), bus registrations; refused for an invalid inventory',
  ).action((o) => runEngineCommand('up', o));
  engine(
    'refresh',
    "read the live state into the stack's state; hand edits show as updates that the next up undoes",
  ).action((o) => runEngineCommand('refresh', o));
  withCommon(program.command('unlock'))
    .description(
      "clear a stale lock of a contour's stack — only when the run that took it is gone (the lock error names its user, host, pid and time)",
    )
    .requiredOption('--contour <contour>', 'test | prod (the stack)')
    .option('--yes', 'confirm that the locking run is gone', false)
    .action(async (options: Common & { contour: string; yes: boolean }) => {
      if (!options.yes)
        throw new UsageError({
          en: 'unlock removes the lock of a run that may still be changing live systems: check that it is gone, then pass --yes',
          ru: 'unlock снимает блокировку запуска, который, возможно, ещё изменяет действующие системы: убедитесь, что он завершён, и передайте --yes',
        });
      const result = await engineCommand({
        action: 'unlock',
        inventory: options.inventory,
        contour: parseContour(options.contour),
      });
      emit(options.format, result, (r) =>
        ru ? `блокировка стека ${r.contour} снята` : `the ${r.contour} stack is unlocked`,
      );
    });
  engine(
    'destroy',
    "remove Prichal's objects of a contour (its edge tables, its bus registrations) and nothing else",
  ).action((o) => runEngineCommand('destroy', o));
  if (ru) russianHelp(program);
  return program;
}

/** Progress goes to stderr so that stdout stays clean for --format json. */
function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

const jsonRequested = (argv: readonly string[]) =>
  argv.some((a, i) => a === '--format=json' || (a === '--format' && argv[i + 1] === 'json'));

export async function main(argv: string[]): Promise<number> {
  // A write over the file-size limit (ulimit -f) then fails with EFBIG and is reported like a
  // full disk, the old file left whole, instead of the process dying of SIGXFSZ.
  process.on('SIGXFSZ', () => undefined);
  const lang = await cliLanguage(argv);
  const program = buildProgram(lang);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      if (error.exitCode === 0) return EXIT.ok;
      // commander printed its usage error on stderr; under --format json, stdout carries it as
      // one JSON document too (unknown option or command, missing value or option, extra argument).
      if (jsonRequested(argv)) {
        const message =
          error.code === 'commander.help'
            ? 'no command given (run with --help for usage)'
            : error.message.replace(/^error: /, '');
        process.stdout.write(
          `${JSON.stringify({ error: message, kind: 'UsageError', code: error.code, exitCode: EXIT.usage }, null, 2)}\n`,
        );
      }
      return EXIT.usage;
    }
    process.stderr.write(`prichal: ${errorText(error, lang)}\n`);
    // With --format json, stdout still carries one JSON document: what stopped the command (and
    // for an invalid inventory, its located findings), so a script never parses an empty output.
    if (jsonRequested(argv)) {
      const body =
        error instanceof InvalidInventoryError
          ? { error: 'the inventory does not validate', findings: error.findings }
          : {
              error: error instanceof Error ? error.message : String(error),
              kind: error instanceof Error ? error.name : 'Error',
            };
      process.stdout.write(`${JSON.stringify({ ...body, exitCode: exitCodeOf(error) }, null, 2)}\n`);
    }
    return exitCodeOf(error);
  }
}

// Run when executed directly (bin/prichal), not when imported by tests.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
