// Documents, coverage and onboarding: the documents of the regulations and the engineer's path, as workflows that return data.
// Every file read here (probe protocols) is read by the reading rule and every file written
// (documents, coverage, incident notes, probe protocols) by the writing rule (src/files.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { incidentNote } from '../docs/index.js';
import {
  applicableDocuments,
  CHROMIUM,
  coverage,
  coverageMarkdown,
  documentHtml,
  DocumentRegister,
  DOCUMENT_KINDS,
  htmlToPdf,
  MissingDataError,
  REGISTER_FILE,
  registerLine,
  renderDocument,
  type DocumentKind,
  type RenderedDocument,
} from '../docs/index.js';
import { joinWords, type ContourName, type Words } from '../inventory/index.js';
import { contourGatewaySpecs, ensureGateways } from '../infra/gateways.js';
import { probeProblem, type ProbeProtocol } from '../infra/probe.js';
import { gatewaysOf, liveContext, type LiveContext } from './context.js';
import { probeParticipant } from './live.js';
import type { EngineResult, StepReport } from '../infra/pulumi/engine.js';
import { auditInventory } from '../drift/audit.js';
import { InvalidInventoryError, UsageError, WordedError } from './errors.js';
import { DEFAULT_LANG, type Lang } from '../report/index.js';
import {
  checkInventory,
  cite,
  INCIDENT_PRIORITIES,
  productionAllowed,
  serviceTestGaps,
  type IncidentScope,
} from '../requirements/index.js';
import { DEFAULT_TIME_ZONE, nowIn } from '../inventory/index.js';
import { errorText } from '../words.js';
import { FileError, makeFolder, readTextOutcome, writeAtomic } from '../files.js';

/** A recorded probe protocol (`--probes DIR`): read only when it is one, for this participant and contour; otherwise a usage error naming the file. */
function readProbe(dir: string, contour: ContourName, id: string): ProbeProtocol | undefined {
  const file = path.join(dir, `${contour}-${id}.json`);
  // The reading rule: a FIFO or a device named like a protocol is refused, never waited on.
  const read = readTextOutcome(file);
  if ('missing' in read) return undefined;
  if ('problem' in read)
    throw new FileError(file, {
      en: `${read.problem.en}; not read as a probe protocol`,
      ru: `${read.problem.ru}; не читается как протокол пробы`,
    });
  let data: unknown;
  try {
    data = JSON.parse(read.text);
  } catch (error) {
    // Where, not what: the parser's message quotes the file, which may be anything.
    const at = /at position (\d+)/.exec((error as Error).message)?.[1];
    throw new UsageError({
      en: `${file}: not valid JSON${at ? ` at character ${at}` : ''}; run the probe again to record it`,
      ru: `${file}: не читается как JSON${at ? ` (символ ${at})` : ''}; запустите пробу снова, чтобы записать протокол`,
    });
  }
  const problem = probeProblem(data, { contour, participant: id });
  if (problem)
    throw new UsageError({
      en: `${file}: not a probe protocol Prichal can use: ${problem}; run the probe again to record it`,
      ru: `${file}: это не протокол пробы, пригодный для Prichal: ${problem}; запустите пробу снова, чтобы записать протокол`,
    });
  return data as ProbeProtocol;
}

export interface WrittenDocument {
  participant: string;
  kind: DocumentKind;
  files: string[];
}

/**
 * `register`: the document register file (default: documents.yaml in the inventory).
 *
 * In three steps, so that no document ever carries a number the register does not record: every
 * document is rendered first (in memory); then, under the register's lock, numbers are given and
 * the register is saved; only then are the documents written. When the register cannot be saved,
 * no document is written; when a document cannot be written, its number stays recorded and the
 * next run reuses it (same participant, kind and content).
 */
export async function writeDocuments(
  context: LiveContext & { inventory: import('../inventory/index.js').Inventory; at: string },
  ids: string[],
  kinds: DocumentKind[] | undefined,
  options: { out: string; probes: string | Map<string, ProbeProtocol>; pdf: boolean; register?: string },
) {
  const registerFile = options.register ?? path.join(context.inventory.root, REGISTER_FILE);
  // A malformed register (or a file that is none) is refused before anything is rendered or written.
  await DocumentRegister.open(registerFile);
  // A PDF asked for and impossible is refused before anything is numbered.
  if (options.pdf && !existsSync(CHROMIUM))
    throw new UsageError({
      en: `--pdf: ${CHROMIUM} is not installed (Debian's chromium; scripts/setup-lab.sh installs it); nothing was written`,
      ru: `--pdf: не установлен ${CHROMIUM} (пакет chromium Debian; его ставит scripts/setup-lab.sh); ничего не записано`,
    });
  const participants = ids.map((id) => {
    const p = context.inventory.participants.find((x) => x.value.id === id);
    if (!p)
      throw new UsageError({ en: `no participant '${id}' in the inventory`, ru: `в реестре нет участника '${id}'` });
    return p;
  });
  const pending: Array<{ participant: string; name: string; kind: DocumentKind; rendered: RenderedDocument }> = [];
  const errors: Words[] = [];
  // One audit for every act of the run: an act is refused while its participant has errors.
  let findings: ReturnType<typeof auditInventory> | undefined;
  const audit = () => (findings ??= auditInventory(context.inventory, context.at));
  for (const p of participants) {
    const id = p.value.id;
    // Probe protocols: from a folder of earlier runs, or (onboard) the ones this run just made.
    const probeOf = (contour: ContourName) =>
      typeof options.probes === 'string'
        ? readProbe(options.probes, contour, id)
        : options.probes.get(`${contour}-${id}`);
    const probes = { test: probeOf('test'), prod: probeOf('prod') };
    for (const kind of kinds ?? applicableDocuments(p.value, context.at)) {
      try {
        const rendered = renderDocument(kind, id, {
          inventory: context.inventory,
          plan: context.plan,
          at: context.at,
          ...(kind === 'act' ? { findings: audit() } : {}),
          probes: { ...(probes.test ? { test: probes.test } : {}), ...(probes.prod ? { prod: probes.prod } : {}) },
        });
        pending.push({ participant: id, name: p.value.name, kind, rendered });
      } catch (error) {
        if (error instanceof MissingDataError) errors.push({ en: error.message, ru: error.ru });
        else throw error;
      }
    }
  }
  await makeFolder(options.out);
  // Numbers given and recorded, under the lock, before any document is written.
  const entries = pending.length
    ? await DocumentRegister.transaction(registerFile, (register) =>
        pending.map((d) => register.assign(d.participant, d.kind, d.rendered.markdown, context.at)),
      )
    : [];
  const written: WrittenDocument[] = [];
  for (const [i, d] of pending.entries()) {
    const markdown = `${registerLine(entries[i]!)}\n\n${d.rendered.markdown}`;
    const base = path.join(options.out, `${d.participant}.${d.kind}`);
    await writeAtomic(`${base}.md`, markdown);
    await writeAtomic(`${base}.html`, documentHtml(`${d.rendered.title}: ${d.name}`, markdown));
    const files = [`${base}.md`, `${base}.html`];
    if (options.pdf) {
      await htmlToPdf(`${base}.html`, `${base}.pdf`);
      files.push(`${base}.pdf`);
    }
    written.push({ participant: d.participant, kind: d.kind, files });
  }
  // `errors` in English (the JSON), `errorsRu` what the Russian CLI prints.
  return { written, errors: errors.map((e) => e.en), errorsRu: errors.map((e) => e.ru), register: registerFile };
}

export async function docs(options: {
  inventory: string;
  participant?: string;
  all: boolean;
  kind?: string;
  out: string;
  probes?: string;
  pdf: boolean;
  register?: string;
}) {
  if (!options.participant && !options.all)
    throw new UsageError({
      en: 'name a participant (--participant ID) or --all',
      ru: 'укажите участника (--participant ID) или --all',
    });
  if (options.kind && !DOCUMENT_KINDS.includes(options.kind as DocumentKind))
    throw new UsageError({
      en: `--kind must be one of ${DOCUMENT_KINDS.join(', ')}`,
      ru: `--kind: одно из ${DOCUMENT_KINDS.join(', ')}`,
    });
  const checked = await checkInventory(options.inventory);
  if (!checked.ok || !checked.plan)
    throw new InvalidInventoryError(checked.findings, {
      en: 'no document is written, none could be backed by it',
      ru: 'документы не формируются: ни один не был бы им подкреплён',
    });
  const inventory = checked.validation.inventory;
  const ids = options.all ? inventory.participants.map((p) => p.value.id).sort() : [options.participant!];
  return writeDocuments(
    { plan: checked.plan, operator: inventory.operator!.value, inventory, at: checked.at },
    ids,
    options.kind ? [options.kind as DocumentKind] : undefined,
    {
      out: options.out,
      probes: options.probes ?? path.join(path.dirname(options.out), 'probes'),
      pdf: options.pdf,
      ...(options.register ? { register: options.register } : {}),
    },
  );
}

export async function coverageCommand(options: { inventory: string; out?: string; at?: string }) {
  const checked = await checkInventory(options.inventory, options.at);
  // A participant whose file cannot be read would be missing from the shares: no statistics then.
  if (!checked.ok)
    throw new InvalidInventoryError(checked.findings, {
      en: 'no statistics: a participant that cannot be read would be missing from every share',
      ru: 'статистика не считается: участник, который не читается, выпал бы из каждой доли',
    });
  const result = coverage(checked.validation.inventory, checked.at);
  const markdown = coverageMarkdown(result);
  if (options.out) {
    await makeFolder(options.out);
    await writeAtomic(path.join(options.out, 'coverage.md'), markdown);
    await writeAtomic(path.join(options.out, 'coverage.html'), documentHtml('Статистика подключения к ЭДО', markdown));
    await writeAtomic(path.join(options.out, 'coverage.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
  return { coverage: result, markdown };
}

/** prichal incident: the п. 8.2 note for the portal operator's desk, printed and, with --out, written as Markdown and HTML. */
export async function incidentCommand(options: {
  inventory: string;
  participant: string;
  service?: string;
  scope: string;
  description: string;
  at?: string;
  screenshot?: string;
  materials?: string;
  out?: string;
}) {
  if (!(options.scope in INCIDENT_PRIORITIES))
    throw new UsageError({
      en: `--scope must be full (the service does not work at all) or partial (some functions fail)`,
      ru: '--scope: full (услуга не работает совсем) или partial (часть функций работает некорректно)',
    });
  if (options.at !== undefined && !/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(options.at))
    throw new UsageError({
      en: `--at must be a local date and time YYYY-MM-DDTHH:MM, got '${options.at}'`,
      ru: `--at: местные дата и время ГГГГ-ММ-ДДTЧЧ:ММ, а не '${options.at}'`,
    });
  const checked = await checkInventory(options.inventory);
  if (!checked.validation.inventory.operator)
    throw new InvalidInventoryError(checked.findings, {
      en: 'the incident note needs a valid operator.yaml',
      ru: 'для обращения об инциденте нужен корректный operator.yaml',
    });
  const timeZone = checked.validation.inventory.operator.value.timeZone ?? DEFAULT_TIME_ZONE;
  const registered = options.at ?? nowIn(timeZone);
  const note = incidentNote(checked.validation.inventory, {
    participant: options.participant,
    scope: options.scope as IncidentScope,
    description: options.description,
    registered,
    ...(options.service ? { service: options.service } : {}),
    ...(options.screenshot ? { screenshot: options.screenshot } : {}),
    ...(options.materials ? { materials: options.materials } : {}),
  });
  const files: string[] = [];
  if (options.out) {
    await makeFolder(options.out);
    const base = path.join(
      options.out,
      `${note.participant}.incident-${registered.replace(/[-:]/g, '').replace('T', '-')}`,
    );
    await writeAtomic(`${base}.md`, note.markdown);
    await writeAtomic(`${base}.html`, documentHtml(`Сообщение об инциденте: ${note.participant}`, note.markdown));
    files.push(`${base}.md`, `${base}.html`);
  }
  return { ...note, registered, files };
}

/** What an engine run did, for onboard's step line: counts by operation, or that nothing changed. */
function engineSummary(r: EngineResult): Words {
  const ops = Object.entries(r.summary).filter(([op, n]) => n > 0 && op !== 'same');
  if (!r.changed || !ops.length)
    return { en: `stack ${r.stack}: nothing to change`, ru: `стек ${r.stack}: изменений нет` };
  const ru: Record<string, string> = { create: 'создано', update: 'изменено', delete: 'удалено', replace: 'заменено' };
  return {
    en: `stack ${r.stack}: ${ops.map(([op, n]) => `${n} ${op}`).join(', ')}`,
    ru: `стек ${r.stack}: ${ops.map(([op, n]) => `${ru[op] ?? op} ${n}`).join(', ')}`,
  };
}

/**
 * The engineer's whole path for one participant. Every step is idempotent, so a failed run is
 * resumed by running the same command again once the cause is fixed. The firewall and the bus
 * go through the engine — `up --participant ID`, under the stack's lock, with its progress
 * (`onEngineStep`) and summary — like any other change of a stack; only the gateways are started
 * directly (until they go through the engine).
 */
export async function onboard(options: {
  inventory: string;
  participant: string;
  promote: boolean;
  out: string;
  log: (line: string) => void;
  lang?: Lang;
  onEngineStep?: (step: StepReport) => void;
}) {
  const steps: Array<{ step: string; detail: string }> = [];
  const protocols = new Map<string, ProbeProtocol>();
  const id = options.participant;
  const lang = options.lang ?? DEFAULT_LANG;
  const ru = lang === 'ru';
  const say = (words: Words) => (ru ? words.ru : words.en);
  const resume = `prichal onboard ${id}${options.promote ? ' --promote' : ''}${options.inventory !== 'inventory' ? ` --inventory ${options.inventory}` : ''}`;
  // Steps and details are recorded in English (the JSON result); the log speaks the CLI's language.
  const run = async <T>(step: Words, work: () => Promise<T>, detail: (value: T) => Words): Promise<T> => {
    try {
      const value = await work();
      const words = detail(value);
      steps.push({ step: step.en, detail: words.en });
      options.log(`✓ ${say(step)}: ${say(words)}`);
      return value;
    } catch (error) {
      const message = errorText(error, lang);
      options.log(ru ? `✗ ${step.ru}: не выполнено: ${message}` : `✗ ${step.en} failed: ${message}`);
      options.log(
        ru ? `  устраните причину и продолжите командой: ${resume}` : `  fix the cause, then resume with: ${resume}`,
      );
      throw error;
    }
  };
  const same = (text: string): Words => ({ en: text, ru: text });
  const contourWords = (contour: ContourName): Words =>
    contour === 'test' ? { en: 'test', ru: 'тестовый контур' } : { en: 'prod', ru: 'промышленный контур' };

  const context = await run(
    { en: 'validate', ru: 'проверка реестра' },
    () => liveContext(options.inventory),
    () => ({ en: 'the inventory is valid', ru: 'реестр корректен' }),
  );
  const checked = await checkInventory(options.inventory);
  const inventory = checked.validation.inventory;
  const participant = inventory.participants.find((p) => p.value.id === id)?.value;
  if (!participant)
    throw new UsageError({
      en: `no participant '${id}' in ${options.inventory}`,
      ru: `в ${options.inventory} нет участника '${id}'`,
    });
  if (!participant.channel)
    throw new UsageError({
      en: `${id} has no network channel: it uses the hosted СЭД and has nothing to provision (add channel, networks, endpoints and registrations to connect it to the portal)`,
      ru: `у ${id} нет сетевого канала: он работает в СЭД с рабочего места, подключать по сети нечего (чтобы подключить его к порталу, добавьте channel, networks, endpoints и registrations)`,
    });
  const test = context.plan.contours.test.registrations.find((r) => r.participant === id);
  if (!test)
    throw new UsageError({
      en: `${id} has no test registration; add registrations.test first`,
      ru: `у ${id} нет регистрации в тестовом контуре; сначала добавьте registrations.test`,
    });
  const edge = context.plan.edges.find((e) => e.id === test.edge)!;
  await run(
    { en: 'plan', ru: 'план' },
    async () => test,
    (r) => {
      const endpoints = r.endpoints.map((e) => `${e.address}:${e.port}`).join(', ');
      return {
        en: `test gateway ${r.gateway} on ${r.edge}; endpoints ${endpoints}; mnemonic ${r.mnemonic}`,
        ru: `тестовый шлюз ${r.gateway} на ${r.edge}; точки ${endpoints}; мнемоника ${r.mnemonic}`,
      };
    },
  );

  const declaredGateways = gatewaysOf(context.operator);
  const applyContour = async (contour: ContourName) => {
    const where = contourWords(contour);
    // The participant's edge table belongs to the test stack (it carries both contours' flows):
    // production runs the test stack for the table, then its own for the bus.
    const { engineCommand } = await import('./engine.js');
    const up = (stack: ContourName) =>
      engineCommand({
        action: 'up',
        inventory: options.inventory,
        contour: stack,
        participant: id,
        ...(options.onEngineStep ? { onProgress: options.onEngineStep } : {}),
      });
    const command = (stack: ContourName) => `prichal up --contour ${stack} --participant ${id}`;
    if (contour === 'test') {
      await run(
        {
          en: `firewall ${edge.id} and bus test: ${command('test')}`,
          ru: `межсетевой экран ${edge.id} и шина, тестовый контур: ${command('test')}`,
        },
        () => up('test'),
        engineSummary,
      );
    } else {
      await run(
        { en: `firewall ${edge.id}: ${command('test')}`, ru: `межсетевой экран ${edge.id}: ${command('test')}` },
        () => up('test'),
        engineSummary,
      );
      await run(
        { en: `bus prod: ${command('prod')}`, ru: `шина, промышленный контур: ${command('prod')}` },
        () => up('prod'),
        engineSummary,
      );
    }
    await run(
      { en: `gateway ${contour}`, ru: `шлюз, ${where.ru}` },
      () =>
        ensureGateways(
          contourGatewaySpecs(context.plan, contour, {
            image: declaredGateways.image,
            network: declaredGateways.network[contour],
          }),
          contour,
        ),
      (r) => ({
        en: `${r.created} started, ${r.kept} unchanged`,
        ru: `запущено ${r.created}, без изменений ${r.kept}`,
      }),
    );
    const protocol = await run(
      { en: `probe ${contour}`, ru: `проба, ${where.ru}` },
      async () => {
        const result = await probeParticipant(context, contour, id);
        protocols.set(`${contour}-${id}`, result);
        await makeFolder(path.join(options.out, 'probes'));
        await writeAtomic(
          path.join(options.out, 'probes', `${contour}-${id}.json`),
          `${JSON.stringify(result, null, 2)}\n`,
        );
        if (!result.passed) {
          const failures = [
            ...result.allowed.filter((a) => a.result !== 'answered').map((a) => `${a.address}:${a.port} ${a.result}`),
            ...result.denied.filter((d) => d.result !== 'dropped').map((d) => `${d.address}:${d.port} not dropped`),
          ].join('; ');
          throw new WordedError({
            en: `the connectivity test failed: ${failures}`,
            ru: `проверка связности не пройдена: ${failures}`,
          });
        }
        return result;
      },
      (r) => ({
        en: `${r.allowed.length} endpoints answered, ${r.denied.length} undeclared flows dropped`,
        ru: `ответили точки: ${r.allowed.length}, отброшены необъявленные потоки: ${r.denied.length}`,
      }),
    );
    return protocol;
  };

  await applyContour('test');
  const docsOut = path.join(options.out, 'documents');
  const documentContext = { ...context, inventory, at: checked.at };
  await run(
    { en: 'test protocol', ru: 'протокол испытаний' },
    () => writeDocuments(documentContext, [id], ['protocol'], { out: docsOut, probes: protocols, pdf: false }),
    (r) => {
      const files = r.written.flatMap((w) => w.files).join(', ');
      return { en: files || r.errors.join('; '), ru: files || r.errorsRu.join('; ') };
    },
  );
  if (options.promote) {
    if (!productionAllowed(participant.registrations?.test?.status)) {
      const status = participant.registrations?.test?.status;
      options.log(
        ru
          ? `✗ перевод отклонён: тестовая регистрация в статусе '${status}'; укажите registrations.test.status: tested (с датой подписанного протокола), добавьте registrations.prod и продолжите командой: ${resume}`
          : `✗ promote refused: the test registration is '${status}'; set registrations.test.status: tested (with the date of the signed protocol) and add registrations.prod, then resume with: ${resume}`,
      );
      throw new UsageError({
        en: `promotion of ${id} refused: test registration is not 'tested' (${cite('portal', '4.6')})`,
        ru: `перевод ${id} в промышленный контур отклонён: тестовая регистрация не в статусе 'tested' (${cite('portal', '4.6')})`,
      });
    }
    const serviceGaps = serviceTestGaps(participant);
    if (serviceGaps.length) {
      const open = joinWords(serviceGaps, '; ');
      options.log(
        ru
          ? `✗ перевод отклонён: испытания услуги не пройдены (${cite('portal', '4.6')}): ${open.ru}; запишите каждый шаг в services[].tests и продолжите командой: ${resume}`
          : `✗ promote refused: the service test has not passed (${cite('portal', '4.6')}): ${open.en}; record each step under services[].tests, then resume with: ${resume}`,
      );
      throw new UsageError({
        en: `promotion of ${id} refused: service test not passed`,
        ru: `перевод ${id} в промышленный контур отклонён: испытания услуги не пройдены`,
      });
    }
    if (!participant.registrations?.prod)
      throw new UsageError({
        en: `${id} has no prod registration to promote to; add registrations.prod`,
        ru: `у ${id} нет промышленной регистрации для перевода; добавьте registrations.prod`,
      });
    await applyContour('prod');
    await run(
      { en: 'connection act', ru: 'акт подключения' },
      async () => {
        const r = await writeDocuments(documentContext, [id], ['act'], { out: docsOut, probes: protocols, pdf: false });
        if (r.errors.length) throw new Error(r.errors.join('; '));
        return r;
      },
      (r) => same(r.written.flatMap((w) => w.files).join(', ')),
    );
  }
  return { participant: id, promoted: options.promote, steps };
}
