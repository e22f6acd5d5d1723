// prichal incident: the incident note of the portal's regulations (п. 8.2) for the portal's own
// support desk: priority, reaction time in working hours, the technical specialist as contact.
// Numbered from the document register like every document `docs` writes (kind `incident`): the
// note is rendered first, its number recorded under the register's lock, then it is printed and
// written — so no note carries a number the register does not hold, and the same note again
// (same participant, time, description…) keeps its number.
import path from 'node:path';
import {
  documentHtml,
  DocumentRegister,
  INCIDENT_KIND,
  incidentNote,
  REGISTER_FILE,
  registerLine,
  type IncidentNote,
  type RegisterEntry,
} from '../docs/index.js';
import { makeFolder, writeAtomic } from '../files.js';
import { DEFAULT_TIME_ZONE, nowIn } from '../inventory/index.js';
import { checkInventory, INCIDENT_PRIORITIES, type IncidentScope } from '../requirements/index.js';
import { InvalidInventoryError, UsageError } from './errors.js';

/** The note (its Markdown starting with its number), its number and date from the register, when it was sent (local time) and the files written with --out. */
export type IncidentResult = IncidentNote & {
  number: RegisterEntry['number'];
  registered: string;
  register: string;
  files: string[];
};

export interface IncidentOptions {
  inventory: string;
  participant: string;
  service?: string;
  scope: string;
  description: string;
  at?: string;
  screenshot?: string;
  materials?: string;
  out?: string;
  /** The document register (default: documents.yaml in the inventory). */
  register?: string;
}

/** prichal incident: the п. 8.2 note for the portal's support desk, numbered from the register, printed and, with --out, written as Markdown and HTML. */
export async function incidentCommand(options: IncidentOptions): Promise<IncidentResult> {
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
  // A folder that cannot be made refuses before anything is numbered.
  if (options.out) await makeFolder(options.out);
  const register = options.register ?? path.join(checked.validation.inventory.root, REGISTER_FILE);
  const entry = await DocumentRegister.transaction(register, (r) =>
    r.assign(note.participant, INCIDENT_KIND, note.markdown, registered),
  );
  const markdown = `${registerLine(entry)}\n\n${note.markdown}`;
  const files: string[] = [];
  if (options.out) {
    const base = path.join(
      options.out,
      `${note.participant}.incident-${registered.replace(/[-:]/g, '').replace('T', '-')}`,
    );
    await writeAtomic(`${base}.md`, markdown);
    await writeAtomic(`${base}.html`, documentHtml(`Сообщение об инциденте: ${note.participant}`, markdown));
    files.push(`${base}.md`, `${base}.html`);
  }
  return { ...note, markdown, number: entry.number, registered, register, files };
}
