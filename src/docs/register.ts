// The register of documents the operator keeps in the inventory repository (documents.yaml): each
// written document carries a number and a date from it. A number is given once per participant,
// kind and content — the content's digest —, so re-running `docs` (the main job does, every time)
// reuses it and only a changed document gets a new one. Numbers run per year: 2026/0001, 2026/0002…
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { russianDate } from '../inventory/index.js';
import { WordedError } from '../words.js';

export interface RegisterEntry {
  number: string;
  date: string;
  participant: string;
  kind: string;
  digest: string;
}

export class RegisterError extends WordedError {
  override readonly name = 'RegisterError';
}

export const REGISTER_FILE = 'documents.yaml';
const HEADER = `# Register of the documents Prichal wrote (prichal docs): one number per participant, kind and
# content. Kept in the inventory repository and reviewed like it; do not renumber by hand.
`;

/**
 * The time of a probe run says when the annex was measured, not what the protocol states: it is
 * left out of the digest, so a protocol whose results did not change keeps its number.
 */
const VOLATILE = /\(\d\d\.\d\d\.\d{4} \d\d:\d\d — \d\d\.\d\d\.\d{4} \d\d:\d\d, время [^)]*\)/g;
export const contentDigest = (markdown: string) => `sha256:${createHash('sha256').update(markdown.replace(VOLATILE, '')).digest('hex')}`;

export class DocumentRegister {
  private changed = false;

  private constructor(
    readonly file: string,
    private readonly entries: RegisterEntry[],
  ) {}

  /** Reads the register; a missing file is an empty register, a malformed one an error naming the file. */
  static async open(file: string): Promise<DocumentRegister> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new DocumentRegister(file, []);
      throw new RegisterError({ en: `${file}: cannot read the document register (${(error as NodeJS.ErrnoException).code})`, ru: `${file}: журнал документов не читается (${(error as NodeJS.ErrnoException).code})` });
    }
    const doc = parseDocument(text);
    if (doc.errors.length) throw new RegisterError({ en: `${file}: not YAML (${doc.errors[0]!.message}); nothing was numbered`, ru: `${file}: не YAML (${doc.errors[0]!.message}); ничего не пронумеровано` });
    const data = doc.toJS() as { documents?: unknown } | null;
    const list = data?.documents ?? [];
    const valid = Array.isArray(list) && list.every((e) => e && typeof e === 'object' && ['number', 'date', 'participant', 'kind', 'digest'].every((k) => typeof (e as Record<string, unknown>)[k] === 'string'));
    if (!valid) throw new RegisterError({ en: `${file}: 'documents' must be a list of { number, date, participant, kind, digest }; nothing was numbered`, ru: `${file}: 'documents' должен быть списком { number, date, participant, kind, digest }; ничего не пронумеровано` });
    return new DocumentRegister(file, list as RegisterEntry[]);
  }

  /** The entry for this document: the earlier one when its content is unchanged, else a new number dated `at`. */
  assign(participant: string, kind: string, markdown: string, at: string): RegisterEntry {
    const digest = contentDigest(markdown);
    const same = this.entries.find((e) => e.participant === participant && e.kind === kind && e.digest === digest);
    if (same) return same;
    const year = at.slice(0, 4);
    const last = Math.max(0, ...this.entries.filter((e) => e.number.startsWith(`${year}/`)).map((e) => Number(e.number.slice(5)) || 0));
    const entry = { number: `${year}/${String(last + 1).padStart(4, '0')}`, date: at, participant, kind, digest };
    this.entries.push(entry);
    this.changed = true;
    return entry;
  }

  /** Writes the register when it gained entries, atomically (a temporary file renamed over it). */
  async save(): Promise<boolean> {
    if (!this.changed) return false;
    const temporary = `${this.file}.${process.pid}.tmp`;
    // One line per document (JSON strings are YAML's double-quoted scalars).
    const lines = this.entries.map((e) => `  - { number: ${JSON.stringify(e.number)}, date: ${e.date}, participant: ${JSON.stringify(e.participant)}, kind: ${e.kind}, digest: ${JSON.stringify(e.digest)} }`);
    await writeFile(temporary, `${HEADER}documents:${lines.length ? `\n${lines.join('\n')}` : ' []'}\n`);
    await rename(temporary, this.file);
    this.changed = false;
    return true;
  }
}

/** The line every numbered document starts with. */
export const registerLine = (entry: RegisterEntry) => `**№ ${entry.number} от ${russianDate(entry.date)}**`;
