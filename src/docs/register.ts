// The register of documents the operator keeps in the inventory repository (documents.yaml): each
// written document carries a number and a date from it. A number is given once per participant,
// kind and content — the content's digest —, so re-running `docs` (the main job does, every time)
// reuses it and only a changed document gets a new one. Numbers run per year: 2026/0001, 2026/0002…
//
// The register is a small transactional store:
// - read strictly: a mapping with only `documents:`, a list of entries of exactly number, date,
//   participant, kind and digest (strings), numbers YYYY/NNNN given once; a refusal names the file,
//   the line and the field, and changes nothing. A file of another kind (a participant file named
//   by a mistyped --register) is refused, never overwritten;
// - changed only under an exclusive lock (proper-lockfile: a lock folder beside the register, kept
//   fresh while held; one left by a killed run is stale after LOCK_STALE_MS and taken over), and
//   re-read under it, so concurrent runs never give one number twice nor lose each other's entries;
// - saved before any document is written (the caller's order: numbers first, then documents);
// - appended to, never re-rendered: the new entries are added after the last one, so every line
//   already there — comments and hand edits included — stays byte for byte as it was.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type YAMLSeq } from 'yaml';
import { FileError, quoteFromFile, readTextOutcome, writeAtomic } from '../files.js';
import { russianDate, YamlEditError, YamlEditor } from '../inventory/index.js';
import { WordedError, type Words } from '../words.js';

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

/** Largest register read: 64 MiB, some 350,000 entries. */
const REGISTER_MAX_BYTES = 64 * 1024 * 1024;
const HEADER = `# Register of the documents Prichal wrote (prichal docs): one number per participant, kind and
# content. Kept in the inventory repository and reviewed like it; do not renumber by hand.
`;
const FIELDS = ['number', 'date', 'participant', 'kind', 'digest'] as const;

/** How long a writer waits for another run's lock before it gives up, and when an unrefreshed lock counts as left by a killed run. */
export const LOCK_WAIT_MS = 30_000;
export const LOCK_STALE_MS = 10_000;

/**
 * The time of a probe run says when the annex was measured, not what the protocol states: it is
 * left out of the digest, so a protocol whose results did not change keeps its number.
 */
const VOLATILE = /\(\d\d\.\d\d\.\d{4} \d\d:\d\d — \d\d\.\d\d\.\d{4} \d\d:\d\d, [^)]*время[^)]*\)/g;
/**
 * The act's п. 9 line says what the latest drift run found of the channel, and when: it changes
 * with every nightly run, the act it belongs to does not, so it is left out of the digest too (an
 * act is refused outright when the channel check failed).
 */
const CHANNEL_EVIDENCE =
  /^(?:Подключение выполнено в соответствии с требованиями раздела 9|Соответствие канала связи требованиям раздела 9)[^\n]*$/gm;
export const contentDigest = (markdown: string) =>
  `sha256:${createHash('sha256').update(markdown.replace(VOLATILE, '').replace(CHANNEL_EVIDENCE, '')).digest('hex')}`;

const NOTHING: Words = { en: 'nothing was numbered', ru: 'ничего не пронумеровано' };

/** A refusal at a line of the register: `file:line: field: why; nothing was numbered`. */
function refusal(
  file: string,
  line: number | undefined,
  field: string | undefined,
  why: Words,
  options?: ErrorOptions,
): RegisterError {
  const where = `${file}${line !== undefined ? `:${line}` : ''}: ${field ? `${field}: ` : ''}`;
  return new RegisterError({ en: `${where}${why.en}; ${NOTHING.en}`, ru: `${where}${why.ru}; ${NOTHING.ru}` }, options);
}

const isIsoDate = (value: string) => {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
};

/** What each field of an entry must be, in words, or undefined when the value is right. */
const FIELD_RULES: Record<(typeof FIELDS)[number], (value: string) => Words | undefined> = {
  number: (v) =>
    /^\d{4}\/\d{4,}$/.test(v) && Number(v.slice(5)) > 0
      ? undefined
      : { en: `${quoteFromFile(v)} is not a number YYYY/NNNN`, ru: `${quoteFromFile(v)} — не номер вида ГГГГ/NNNN` },
  date: (v) =>
    isIsoDate(v)
      ? undefined
      : { en: `${quoteFromFile(v)} is not a date YYYY-MM-DD`, ru: `${quoteFromFile(v)} — не дата вида ГГГГ-ММ-ДД` },
  participant: (v) => (v.trim() ? undefined : { en: 'is blank', ru: 'не заполнен' }),
  kind: (v) =>
    /^[a-z][a-z-]*$/.test(v)
      ? undefined
      : { en: `${quoteFromFile(v)} is not a document kind`, ru: `${quoteFromFile(v)} — не вид документа` },
  digest: (v) =>
    /^sha256:[0-9a-f]{64}$/.test(v)
      ? undefined
      : {
          en: `${quoteFromFile(v)} is not a digest sha256:<64 hex digits>`,
          ru: `${quoteFromFile(v)} — не дайджест sha256:<64 шестнадцатеричные цифры>`,
        },
};

/** The parser's own words (its first line, without position), any long or odd word in them quoted as a finding quotes a value. */
const parserWords = (message: string) =>
  message
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/[^ ]+/g, (word) =>
      word.length > 40 || /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Z}]/u.test(word) ? quoteFromFile(word) : word,
    );

/** Why the text is not YAML: a stack overflow is a structure nested thousands of levels deep. */
const yamlWords = (message: string): Words => {
  if (/Maximum call stack size exceeded/.test(message))
    return { en: 'not YAML (nested too deeply to read)', ru: 'не YAML (вложенность слишком глубока)' };
  const why = parserWords(message);
  return { en: `not YAML (${why})`, ru: `не YAML (${why})` };
};

/** A register as read: its text (undefined: no file yet), its entries with their lines, and its parse. */
interface RegisterSource {
  text: string | undefined;
  entries: RegisterEntry[];
  /** The parse, when the text went through the YAML parser. */
  doc: Document.Parsed | undefined;
  /** When the text is in the layout Prichal writes (read line by line): where new entries go, and their indentation. */
  layout?: { at: number; indent: string };
}

/** A value of an entry in the layout Prichal writes: double-quoted, single-quoted (neither with escapes), or plain. */
const VALUE = `"[^"\\\\\\x00-\\x1f\\x7f]*"|'[^'\\x00-\\x1f\\x7f]*'|[A-Za-z0-9][A-Za-z0-9._/-]*`;
const ENTRY_LINE = new RegExp(
  `^( *)- \\{ *number: (${VALUE}), *date: (${VALUE}), *participant: (${VALUE}), *kind: (${VALUE}), *digest: (${VALUE}) *\\}(?:[ \\t]+#.*)?$`,
);
/** Plain scalars YAML's core schema reads as something other than a string (null, booleans, numbers). */
const NOT_A_STRING =
  /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

/**
 * Reads a register in the layout Prichal writes — comments, one `documents:` line, one entry per
 * line as a flow mapping of the five fields in order — line by line, as the YAML parser would
 * read it (a 25,000-entry register in milliseconds instead of seconds). Any other layout (a hand
 * edit in block style, other spacing) gives undefined: the YAML parser reads it then.
 */
function parseLines(file: string, text: string): RegisterSource | undefined {
  const lines = text.split('\n');
  let documentsLine = -1;
  let indent: string | undefined;
  let at = -1;
  let offset = 0;
  const found: Array<{ values: string[]; line: number }> = [];
  for (const [i, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const end = offset + raw.length + (i < lines.length - 1 ? 1 : 0);
    if (/^[ \t]*(#.*)?$/.test(line)) {
      // Blank or a comment.
    } else if (/^documents:(?:[ \t]+#.*|[ \t]*)$/.test(line)) {
      if (documentsLine >= 0) return undefined;
      documentsLine = i;
      at = end;
    } else {
      const m = ENTRY_LINE.exec(line);
      if (!m || documentsLine < 0 || (indent !== undefined && m[1] !== indent)) return undefined;
      indent = m[1]!;
      const values = m.slice(2, 7).map((v) => (v.startsWith('"') || v.startsWith("'") ? v.slice(1, -1) : v));
      if (m.slice(2, 7).some((v) => !v.startsWith('"') && !v.startsWith("'") && NOT_A_STRING.test(v))) return undefined;
      found.push({ values, line: i + 1 });
      at = end;
    }
    offset = end;
  }
  if (documentsLine < 0) return found.length ? undefined : { text, entries: [], doc: undefined };
  const entries: RegisterEntry[] = [];
  const numbered = new Map<string, number>();
  for (const [index, { values, line }] of found.entries()) {
    const entry = Object.fromEntries(FIELDS.map((f, k) => [f, values[k]!])) as unknown as RegisterEntry;
    for (const field of FIELDS) {
      const wrong = FIELD_RULES[field](entry[field]);
      if (wrong) throw refusal(file, line, `documents[${index}].${field}`, wrong);
    }
    const earlier = numbered.get(entry.number);
    if (earlier !== undefined) throw twice(file, index, entry.number, earlier, line);
    numbered.set(entry.number, line);
    entries.push(entry);
  }
  // A text that does not end its last line: new entries start on a line of their own.
  return { text, entries, doc: undefined, layout: { at, indent: indent ?? '  ' } };
}

/** One number given to two entries: both lines named. */
const twice = (file: string, index: number, number: string, earlier: number, line: number | undefined) =>
  refusal(file, line, `documents[${index}].number`, {
    en: `number ${number} is given twice, at lines ${earlier} and ${line} (a merge of two branches?); delete the entry of the document not sent, and the next run numbers it anew`,
    ru: `номер ${number} присвоен дважды, в строках ${earlier} и ${line} (слияние двух веток?); удалите запись неотправленного документа — следующий запуск присвоит ему новый номер`,
  });

/** Parses a register's text strictly; every refusal names the file, the line and the field. */
export function parseRegister(file: string, text: string): RegisterSource {
  return parseLines(file, text) ?? parseRegisterYaml(file, text);
}

/** The register through the YAML parser alone: any layout YAML allows (and the reference the line reader is tested against). */
export function parseRegisterYaml(file: string, text: string): RegisterSource {
  const counter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    // The parser's recursion: a structure nested thousands of levels deep.
    throw refusal(file, 1, undefined, yamlWords((error as Error).message), { cause: error });
  }
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : counter.linePos(offset).line);
  if (doc.errors.length) {
    const error = doc.errors[0]!;
    throw refusal(file, lineAt(error.pos[0]), undefined, yamlWords(error.message));
  }
  const root = doc.contents;
  // An empty file (or one of comments only) is an empty register.
  if (root === null || (isScalar(root) && root.value === null)) return { text, entries: [], doc };
  const shape: Words = {
    en: "the register must be a mapping with one key, 'documents:', a list of { number, date, participant, kind, digest }",
    ru: "журнал должен быть отображением с одним ключом 'documents:' — списком { number, date, participant, kind, digest }",
  };
  if (!isMap(root))
    throw refusal(file, lineAt(root.range?.[0]), undefined, {
      en: `${isSeq(root) ? 'a bare list' : 'not a mapping'}: ${shape.en}`,
      ru: `${isSeq(root) ? 'голый список' : 'не отображение'}: ${shape.ru}`,
    });
  let list: YAMLSeq | undefined;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    const keyLine = lineAt((pair.key as { range?: [number, number, number] } | null)?.range?.[0]);
    if (key !== 'documents') {
      throw refusal(file, keyLine, undefined, {
        en: `unknown key ${quoteFromFile(String(key))}: ${shape.en} (is this the register, or another file?)`,
        ru: `неизвестный ключ ${quoteFromFile(String(key))}: ${shape.ru} (это журнал документов или другой файл?)`,
      });
    }
    const value = pair.value;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    if (!isSeq(value))
      throw refusal(file, lineAt((value as { range?: [number, number, number] }).range?.[0]) ?? keyLine, 'documents', {
        en: `not a list: ${shape.en}`,
        ru: `не список: ${shape.ru}`,
      });
    list = value;
  }
  const entries: RegisterEntry[] = [];
  const numbered = new Map<string, number>();
  (list?.items ?? []).forEach((item, index) => {
    const at = `documents[${index}]`;
    const itemLine = lineAt((item as { range?: [number, number, number] } | null)?.range?.[0]);
    if (!isMap(item))
      throw refusal(file, itemLine, at, {
        en: 'not a mapping { number, date, participant, kind, digest }',
        ru: 'не отображение { number, date, participant, kind, digest }',
      });
    const entry: Partial<RegisterEntry> = {};
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      const line = lineAt((pair.key as { range?: [number, number, number] } | null)?.range?.[0]) ?? itemLine;
      if (typeof key !== 'string' || !(FIELDS as readonly string[]).includes(key)) {
        throw refusal(file, line, at, {
          en: `unknown field ${quoteFromFile(String(key))}; an entry has exactly number, date, participant, kind and digest`,
          ru: `неизвестное поле ${quoteFromFile(String(key))}; у записи ровно поля number, date, participant, kind и digest`,
        });
      }
      const field = key as (typeof FIELDS)[number];
      const value = isScalar(pair.value) ? pair.value.value : undefined;
      const valueLine = lineAt((pair.value as { range?: [number, number, number] } | null)?.range?.[0]) ?? line;
      if (typeof value !== 'string')
        throw refusal(file, valueLine, `${at}.${field}`, { en: 'must be a string', ru: 'должно быть строкой' });
      const wrong = FIELD_RULES[field](value);
      if (wrong) throw refusal(file, valueLine, `${at}.${field}`, wrong);
      entry[field] = value;
    }
    const missing = FIELDS.filter((f) => entry[f] === undefined);
    if (missing.length)
      throw refusal(file, itemLine, at, {
        en: `missing ${missing.join(', ')}; an entry has exactly number, date, participant, kind and digest`,
        ru: `нет полей ${missing.join(', ')}; у записи ровно поля number, date, participant, kind и digest`,
      });
    const earlier = numbered.get(entry.number!);
    if (earlier !== undefined) throw twice(file, index, entry.number!, earlier, itemLine);
    numbered.set(entry.number!, itemLine ?? 0);
    entries.push(entry as RegisterEntry);
  });
  return { text, entries, doc };
}

/** Reads a register by the file rule (a regular file, non-blocking, size-limited) and strictly; a missing file is an empty register. */
function readRegister(file: string): RegisterSource {
  // A register only grows: about 170 bytes an entry, 50,000 entries (10,000 participants, five
  // documents each) about 9 MB — beyond the 4 MiB an inventory file may have.
  const read = readTextOutcome(file, { limit: REGISTER_MAX_BYTES });
  if ('missing' in read) return { text: undefined, entries: [], doc: undefined };
  if ('problem' in read)
    throw new RegisterError({
      en: `${file}: the document register cannot be read: ${read.problem.en}; ${NOTHING.en}`,
      ru: `${file}: журнал документов не читается: ${read.problem.ru}; ${NOTHING.ru}`,
    });
  return parseRegister(file, read.text);
}

/** One entry as a line of YAML, every value quoted (JSON strings are YAML's double-quoted scalars). */
const entryText = (e: RegisterEntry) => `{ ${FIELDS.map((f) => `${f}: ${JSON.stringify(e[f])}`).join(', ')} }`;

/**
 * The register's text with `added` appended after its last entry, for the layout Prichal writes
 * (the line reader found it: one flow mapping a line): new lines only, inserted after the last
 * entry's line, without parsing the whole register (0.24 s against 5 s at 25,000 entries).
 * Any other layout goes through the in-place editor.
 */
function appended(source: RegisterSource, added: RegisterEntry[]): string | undefined {
  const { text, layout } = source;
  if (text === undefined || !layout) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const head = text.slice(0, layout.at);
  return `${head}${head.endsWith('\n') || !head ? '' : eol}${added.map((e) => `${layout.indent}- ${entryText(e)}`).join(eol)}${eol}${text.slice(layout.at)}`;
}

/** The folder of a lock for a register: beside the register's real file (or its real folder's name for it). */
function lockTarget(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    try {
      return path.join(realpathSync.native(path.dirname(path.resolve(file))), path.basename(file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new RegisterError(
        {
          en: `${file}: the register's folder cannot be used (${code}); ${NOTHING.en}`,
          ru: `${file}: каталог журнала документов недоступен (${code}); ${NOTHING.ru}`,
        },
        { cause: error },
      );
    }
  }
}

export interface LockOptions {
  /** How long to wait for another run's lock (ms, default LOCK_WAIT_MS). */
  wait?: number;
  /** When a lock not refreshed counts as left by a killed run (ms, default LOCK_STALE_MS; at least 2000). */
  stale?: number;
}

interface HeldLock {
  release: () => Promise<void>;
  compromised: () => Error | undefined;
}

/** Takes the register's exclusive lock, waiting for another run up to `wait`; a lock left by a killed run is taken over once stale. */
async function lockRegister(file: string, options: LockOptions = {}): Promise<HeldLock> {
  const target = lockTarget(file);
  const lockPath = `${target}.lock`;
  const wait = options.wait ?? LOCK_WAIT_MS;
  const deadline = Date.now() + wait;
  let compromised: Error | undefined;
  for (;;) {
    try {
      const release = await lockfile.lock(target, {
        realpath: false,
        lockfilePath: lockPath,
        stale: options.stale ?? LOCK_STALE_MS,
        retries: 0,
        onCompromised: (error) => {
          compromised = error;
        },
      });
      return { release: () => release().catch(() => undefined), compromised: () => compromised };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      if (code !== 'ELOCKED') {
        throw new RegisterError(
          {
            en: `${file}: the register cannot be locked (${lockPath}: ${code}); ${NOTHING.en}`,
            ru: `${file}: журнал документов не блокируется (${lockPath}: ${code}); ${NOTHING.ru}`,
          },
          { cause: error },
        );
      }
      if (Date.now() >= deadline) {
        throw new RegisterError({
          en: `${file}: another run is changing the document register (its lock ${lockPath} is held) and did not finish within ${Math.round(wait / 1000)} s; run again when it has (a lock left by a killed run is taken over after ${Math.round((options.stale ?? LOCK_STALE_MS) / 1000)} s); ${NOTHING.en}`,
          ru: `${file}: журнал документов изменяет другой запуск (его блокировка ${lockPath} занята) и не завершил работу за ${Math.round(wait / 1000)} с; запустите снова, когда он закончит (блокировка прерванного запуска снимается через ${Math.round((options.stale ?? LOCK_STALE_MS) / 1000)} с); ${NOTHING.ru}`,
        });
      }
      await sleep(20 + Math.random() * 80);
    }
  }
}

export class DocumentRegister {
  private readonly added: RegisterEntry[] = [];

  private constructor(
    readonly file: string,
    private readonly source: RegisterSource,
  ) {}

  /** Reads the register strictly, without a lock (to refuse a malformed one early, or to look); a missing file is an empty register. */
  static async open(file: string): Promise<DocumentRegister> {
    return new DocumentRegister(file, readRegister(file));
  }

  /**
   * Changes the register as one transaction: under its exclusive lock, re-read, `change` assigns
   * numbers, and the register is saved (when it gained entries) before the lock is released —
   * before the caller writes any document carrying those numbers.
   */
  static async transaction<T>(
    file: string,
    change: (register: DocumentRegister) => T | Promise<T>,
    options: LockOptions = {},
  ): Promise<T> {
    const lock = await lockRegister(file, options);
    try {
      const register = new DocumentRegister(file, readRegister(file));
      const result = await change(register);
      await register.save(lock);
      return result;
    } finally {
      await lock.release();
    }
  }

  /** Every entry: those read and those assigned since. */
  get entries(): readonly RegisterEntry[] {
    return [...this.source.entries, ...this.added];
  }

  /**
   * The entry for this document: the earlier one when its content is unchanged, else a new number
   * dated `at`. `records`: the latest day the document records (a protocol's last test): an earlier
   * entry dated before it is not reused — a protocol is never dated before the test it records,
   * though the probe's time is no part of its content.
   */
  assign(participant: string, kind: string, markdown: string, at: string, records?: string): RegisterEntry {
    const digest = contentDigest(markdown);
    const all = this.entries;
    const same = all.find(
      (e) =>
        e.participant === participant &&
        e.kind === kind &&
        e.digest === digest &&
        (records === undefined || e.date >= records),
    );
    if (same) return same;
    const year = at.slice(0, 4);
    const last = Math.max(
      0,
      ...all.filter((e) => e.number.startsWith(`${year}/`)).map((e) => Number(e.number.slice(5)) || 0),
    );
    const entry = {
      number: `${year}/${String(last + 1).padStart(4, '0')}`,
      date: at.slice(0, 10),
      participant,
      kind,
      digest,
    };
    this.added.push(entry);
    return entry;
  }

  /** The register's new text: the old text with the new entries appended, checked to read back as exactly the old entries and the new. */
  private text(): string {
    const expected = JSON.stringify(this.entries);
    const check = (candidate: string | undefined) => {
      if (candidate === undefined) return false;
      try {
        return JSON.stringify(parseRegister(this.file, candidate).entries) === expected;
      } catch {
        return false;
      }
    };
    const kept = appended(this.source, this.added);
    if (check(kept)) return kept!;
    // Any other layout (a hand-made register, `documents: []`, a block mapping per entry): the
    // in-place editor, which changes nothing but the list's end and keeps every comment.
    let refused: YamlEditError | undefined;
    try {
      const edited = new YamlEditor(this.source.text?.trim() ? this.source.text : HEADER, this.file).appendAll(
        ['documents'],
        this.added.map((e) => ({ ...e })),
        { flowFrom: 0, quote: 'double' },
      ).text;
      if (check(edited)) return edited;
    } catch (error) {
      if (!(error instanceof YamlEditError)) throw error;
      refused = error;
    }
    throw new RegisterError(
      {
        en: `${this.file}: the new entries could not be added so that the register reads back the same; ${NOTHING.en}`,
        ru: `${this.file}: новые записи не удаётся добавить так, чтобы журнал читался так же; ${NOTHING.ru}`,
      },
      refused ? { cause: refused } : undefined,
    );
  }

  /** Writes the register when it gained entries (by the writing rule), only over the very text read under the lock. */
  private async save(lock: HeldLock): Promise<boolean> {
    if (!this.added.length) return false;
    const text = this.text();
    if (lock.compromised())
      throw new RegisterError(
        {
          en: `${this.file}: the register's lock was lost while numbering (${lock.compromised()!.message}); run again; ${NOTHING.en}`,
          ru: `${this.file}: блокировка журнала документов потеряна во время нумерации (${lock.compromised()!.message}); запустите снова; ${NOTHING.ru}`,
        },
        { cause: lock.compromised() },
      );
    const read = this.source.text;
    try {
      await writeAtomic(this.file, text, {
        // Never over a file of another kind, nor over one changed behind the lock's back.
        replaces: (existing) => {
          if (existing === read) return undefined;
          try {
            parseRegister(this.file, existing);
          } catch (error) {
            return {
              en: `not a document register, it is not replaced (${(error as Error).message})`,
              ru: `это не журнал документов, он не заменяется (${(error as RegisterError).ru ?? (error as Error).message})`,
            };
          }
          return {
            en: 'changed by someone else while the documents were numbered; run again',
            ru: 'изменён кем-то другим во время нумерации; запустите снова',
          };
        },
      });
    } catch (error) {
      if (error instanceof FileError)
        throw new RegisterError(
          {
            en: `${error.message}; the document register was not saved and no document was written`,
            ru: `${error.ru}; журнал документов не сохранён, документы не записаны`,
          },
          { cause: error },
        );
      throw error;
    }
    return true;
  }
}

/** The line every numbered document starts with. */
export const registerLine = (entry: RegisterEntry) => `**№ ${entry.number} от ${russianDate(entry.date)}**`;
