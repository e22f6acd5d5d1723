// prichal docs: the documents of the regulations (support request, connector request, connection
// act, test protocol, leased-line application), each numbered from the document register. Every
// file read here (probe protocols) is read by the reading rule and every file written by the
// writing rule (src/files.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  applicableDocuments,
  CHROMIUM,
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
import { auditInventory } from '../drift/audit.js';
import { readHistory, type HistoryEntry } from '../drift/history.js';
import { HISTORY_FILE } from './drift.js';
import { FileError, makeFolder, readTextOutcome, writeAtomic } from '../files.js';
import { probeProblem, type ProbeProtocol } from '../infra/probe.js';
import type { ContourName, Inventory, Words } from '../inventory/index.js';
import { checkInventory } from '../requirements/index.js';
import type { Progress } from '../progress.js';
import type { LiveContext } from './context.js';
import { InvalidInventoryError, UsageError } from './errors.js';

/** The step a terminal shows while the documents are written: «документы: 12/40». */
const DOCUMENTS: Words = { en: 'documents', ru: 'документы' };

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
    // Where, not what: the parser's message quotes the file, which may be anything (so it is not
    // kept as the cause either: the CLI would print it).
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

export interface DocsResult {
  written: WrittenDocument[];
  /** Why a document could not be made (missing data), in English: `errorsRu` says it in Russian. */
  errors: string[];
  errorsRu: string[];
  /** The document register that numbered them. */
  register: string;
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
  context: LiveContext & { inventory: Inventory; at: string },
  ids: string[],
  kinds: DocumentKind[] | undefined,
  options: {
    out: string;
    probes: string | Map<string, ProbeProtocol>;
    pdf: boolean;
    register?: string;
    /** The drift history the act states the channel from (default: drift's, .state/history.jsonl). */
    history?: string;
    /** Told the documents written so far (a PDF takes a browser a second). */
    progress?: Progress;
  },
): Promise<DocsResult> {
  const registerFile = options.register ?? path.join(context.inventory.root, REGISTER_FILE);
  // A malformed register (or a file that is none) is refused before anything is rendered or written.
  await DocumentRegister.open(registerFile);
  // A PDF asked for and impossible is refused before anything is numbered.
  if (options.pdf && !existsSync(CHROMIUM))
    throw new UsageError({
      en: `--pdf: ${CHROMIUM} is not installed (Debian's chromium; scripts/setup-lab.sh installs it); nothing was written`,
      ru: `--pdf: не установлен ${CHROMIUM} (пакет chromium Debian; его ставит scripts/setup-lab.sh); ничего не записано`,
    });
  // Read once, only when an act may be written (a FIFO or a huge file is refused by the file rule).
  const history =
    !kinds || kinds.includes('act') ? await readHistory(options.history ?? HISTORY_FILE) : ([] as HistoryEntry[]);
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
          ...(kind === 'act' ? { findings: audit(), history } : {}),
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
        pending.map((d) => register.assign(d.participant, d.kind, d.rendered.markdown, context.at, d.rendered.records)),
      )
    : [];
  const written: WrittenDocument[] = [];
  for (const [i, d] of pending.entries()) {
    options.progress?.(DOCUMENTS, i, pending.length);
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
    options.progress?.(DOCUMENTS, i + 1, pending.length);
  }
  // `errors` in English (the JSON), `errorsRu` what the Russian CLI prints.
  return { written, errors: errors.map((e) => e.en), errorsRu: errors.map((e) => e.ru), register: registerFile };
}

export interface DocsOptions {
  inventory: string;
  participant?: string;
  all: boolean;
  kind?: string;
  out: string;
  probes?: string;
  pdf: boolean;
  register?: string;
  history?: string;
  progress?: Progress;
}

export async function docs(options: DocsOptions): Promise<DocsResult> {
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
  const checked = await checkInventory(options.inventory, undefined, undefined, options.progress);
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
      ...(options.history ? { history: options.history } : {}),
      ...(options.progress ? { progress: options.progress } : {}),
    },
  );
}
