// Phase 1: read every inventory file and parse it as YAML, keeping positions.
// YAML errors become findings (yaml-syntax, duplicate-key); a file that cannot be read as text
// (not a regular file, too large, no permission, a link loop, not UTF-8) is file-unreadable, an
// empty one file-empty. A broken file is left out of the later phases but never stops the others
// from being read, and nothing here throws on a file's content.
import { lstatSync, readdirSync, realpathSync, type Stats } from 'node:fs';
import { envSetting, isInside, maxFileBytes, readTextOutcome, type TextOutcome } from '../files.js';
import path from 'node:path';
import type { Finding, Words } from './findings.js';
import type { Inventory } from './model.js';
import { fileDigest, ParseCache } from './parse-cache.js';
import { WordedError } from '../words.js';
import type { Progress } from '../progress.js';
import { parseAll, type Parsed } from './parse-pool.js';
import { ALLOCATIONS_FILE, fileError, OPERATOR_FILE, PARTICIPANTS_DIR, type LoadedFile } from './parse.js';
import { SourceFile } from './source.js';

export { ALLOCATIONS_FILE, OPERATOR_FILE, PARTICIPANTS_DIR, parseSource, type LoadedFile } from './parse.js';

/** The participant id a file stands for: its name without the extension (the id rule holds them equal). */
export const idOfFile = (file: string): string => path.posix.basename(file).replace(/\.ya?ml$/, '');

/**
 * The participant a file of the inventory is about, so that what is wrong in the file is reported
 * as that participant's: the id a file that passed its schema declares (even one its file name
 * contradicts), else the file's name — a participant file that cannot be read, parsed or shaped
 * is still the file of the participant it is named after. None for operator.yaml, the allocations
 * and the participants folder itself.
 */
export function participantOfFile(inventory: Pick<Inventory, 'participants'>): (file: string) => string | undefined {
  const declared = new Map(inventory.participants.map((p) => [p.source.file, p.value.id]));
  return (file) =>
    declared.get(file) ??
    (file.startsWith(`${PARTICIPANTS_DIR}/`) && /\.ya?ml$/.test(file) ? idOfFile(file) : undefined);
}

export interface LoadedInventory {
  root: string;
  operator: LoadedFile | undefined;
  participants: LoadedFile[];
  allocations: LoadedFile | undefined;
  /** Every participant file found, read or not (relative paths). */
  listed: string[];
  /** The cache the files came through, which also keeps the file rules' findings (validate.ts saves it after them). */
  cache?: ParseCache;
}

export { maxFileBytes };

/**
 * A file's text, or why it cannot be had, by the reading rule of files.ts: a regular file,
 * opened without blocking, within the size limit, in UTF-8; a symbolic link that leads outside
 * the inventory folder is a finding and is never opened.
 */
export async function readInventoryText(root: string, file: string): Promise<InventoryText> {
  return readInventoryTextSync(root, file);
}

type InventoryText = TextOutcome;

const readInventoryTextSync = (root: string, file: string): InventoryText =>
  readTextOutcome(path.join(root, file), { inside: root });

/** Participant files: every *.yaml under participants/, recursively, in a stable order. */
export async function listParticipantFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  // A walk with file types: fs/promises' recursive readdir took 0.1 s for 10,000 files, this 15 ms.
  // Symbolic links are listed, not followed (as readdir's recursion does); a folder named *.yaml
  // is listed too, and reported when read: nothing that looks like a file is skipped.
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = `${prefix}${entry.name}`;
      if (name.endsWith('.yaml') || name.endsWith('.yml')) found.push(`${PARTICIPANTS_DIR}/${name}`);
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${name}/`);
    }
  };
  try {
    // The folder itself may be a link: it must stay inside the inventory like every file in it
    // (opening a file checks only its own name for a link).
    const dir = path.join(root, PARTICIPANTS_DIR);
    if (
      lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink() &&
      !isInside(realpathSync.native(root), realpathSync.native(dir))
    ) {
      throw Object.assign(new Error('a symbolic link that leads outside the inventory folder; it is not read'), {
        code: 'a symbolic link that leads outside the inventory folder',
      });
    }
    walk(dir, '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !found.length) return [];
    throw error;
  }
  return found.sort();
}

export interface LoadOptions {
  /** Reuse parses of unchanged files (parse-cache.ts); default on, PRICHAL_VALIDATION_CACHE=off turns it off. */
  cache?: boolean;
  /** Parse every file as if there were no cache yet, and write the cache anew (validate.ts, after a cached parse broke a rule). */
  rewriteCache?: boolean;
  /** Told the files read and parsed so far (10,000 participants take seconds). */
  progress?: Progress;
}

const READING: Words = { en: 'reading files', ru: 'чтение файлов' };
const PARSING: Words = { en: 'parsing files', ru: 'разбор файлов' };

/** A file changed between the check of its stamp and the read a finding's position needed. */
export class FileChangedError extends WordedError {
  override readonly name = 'FileChangedError';
  constructor(readonly file: string) {
    super({
      en: `${file} changed while the inventory was being validated; run again`,
      ru: `${file} изменился во время проверки реестра; запустите проверку снова`,
    });
  }
}

/** A file read now, or one the cache vouches for by its stamp (read only if a finding needs its text). */
type Item = { file: string; text: string; stat: Stats } | { file: string; digest: string };

/**
 * Reads every inventory file the cache cannot vouch for, then parses those the cache does not
 * know, on worker threads when there are many (parse-pool.ts). Findings and files come out in
 * the same order either way.
 */
export async function loadInventory(
  root: string,
  options: LoadOptions = {},
): Promise<{ inventory: LoadedInventory; findings: Finding[]; parsed: ParseCounts }> {
  const findings: Finding[] = [];
  const useCache = options.cache ?? envSetting('PRICHAL_VALIDATION_CACHE') !== 'off';
  const cache = useCache ? await ParseCache.open(root, options.rewriteCache) : undefined;
  const unreadable = (file: string, problem: Words) =>
    findings.push(
      fileError('file-unreadable', file, { en: `cannot be read: ${problem.en}`, ru: `не читается: ${problem.ru}` }),
    );
  const base = path.resolve(root);
  const limit = maxFileBytes();
  /** Reads one file; `missing` says what its absence means (nothing: an optional file). */
  const read = (file: string, missing?: () => void): Item | undefined => {
    const digest = cache && vouched(cache, `${base}/${file}`, file, limit);
    if (digest) return { file, digest };
    const result = readInventoryTextSync(root, file);
    if ('missing' in result) {
      missing?.();
      return undefined;
    }
    if ('problem' in result) {
      unreadable(file, result.problem);
      return undefined;
    }
    return { file, text: result.text, stat: result.stat };
  };

  const operatorText = read(OPERATOR_FILE, () =>
    findings.push(
      fileError('file-missing', OPERATOR_FILE, {
        en: `the inventory needs ${OPERATOR_FILE} at its root (${root})`,
        ru: `в корне реестра нужен ${OPERATOR_FILE} (${root})`,
      }),
    ),
  );
  const allocationsText = read(ALLOCATIONS_FILE);
  const files = await listParticipantFiles(root).catch((error: NodeJS.ErrnoException) => {
    unreadable(PARTICIPANTS_DIR, {
      en: `the folder cannot be listed (${error.code ?? error.message})`,
      ru: `содержимое каталога не читается (${error.code ?? error.message})`,
    });
    return [] as string[];
  });
  // A participant file listed but not there: a dangling symbolic link (or removed while being read).
  const participantTexts: Array<Item | undefined> = [];
  for (const [i, file] of files.entries()) {
    options.progress?.(READING, i + 1, files.length);
    participantTexts.push(
      read(file, () =>
        unreadable(file, {
          en: 'a dangling symbolic link, or removed while being read',
          ru: 'символическая ссылка ни на что не указывает, или файл удалён во время чтения',
        }),
      ),
    );
  }

  const items = [operatorText, allocationsText, ...participantTexts].filter((t) => t !== undefined);
  const parsing = options.progress && ((done: number) => options.progress!(PARSING, done, items.length));
  const { results: parsed, counts, digests } = await parseCached(items, cache, parsing);
  const loaded = new Map<string, LoadedFile>();
  items.forEach((item, i) => {
    for (const f of parsed[i]!.findings) findings.push(f);
    const { data, shape } = parsed[i]!;
    const text = 'text' in item ? item.text : () => readVouched(root, item.file, item.digest);
    const digest = digests?.[i];
    loaded.set(item.file, {
      source: new SourceFile(item.file, text),
      data,
      ...(shape ? { shape } : {}),
      ...(digest ? { digest } : {}),
    });
  });

  return {
    inventory: {
      root,
      operator: loaded.get(OPERATOR_FILE),
      participants: files.map((f) => loaded.get(f)).filter((p): p is LoadedFile => p !== undefined),
      allocations: loaded.get(ALLOCATIONS_FILE),
      listed: files,
      ...(cache ? { cache } : {}),
    },
    findings,
    parsed: counts,
  };
}

/**
 * The digest the cache holds for a file whose stamp has not changed since it was read (stat only).
 * The file's own lstat: a symbolic link is never vouched for (a file once cached, then replaced by
 * a link to the same text outside the inventory, is read, and refused, by the reading rule).
 */
function vouched(cache: ParseCache, absolute: string, file: string, limit: number): string | undefined {
  try {
    const stat = lstatSync(absolute, { throwIfNoEntry: false });
    // The size limit holds here too (it may have been lowered since the file was read).
    return stat?.isFile() && stat.size <= limit ? cache.unchanged(file, stat) : undefined;
  } catch {
    return undefined; // read it: the read names what is wrong
  }
}

/** The text of a vouched-for file when a finding needs it; it must still be what was parsed. */
function readVouched(root: string, file: string, digest: string): string {
  const result = readInventoryTextSync(root, file);
  if (!('text' in result) || fileDigest(file, result.text) !== digest) throw new FileChangedError(file);
  return result.text;
}

/** How many files were parsed and how many came from the cache. */
export interface ParseCounts {
  parsed: number;
  cached: number;
}

/** Parses the files, reusing the cached parse of each unchanged one and caching the others. */
/** `parsed`: told how many of the files are parsed so far, those the cache had counted as done. */
async function parseCached(
  items: Item[],
  cache: ParseCache | undefined,
  parsed?: (done: number) => void,
): Promise<{ results: Parsed[]; counts: ParseCounts; digests?: string[] }> {
  const text = (i: number) => items[i] as Extract<Item, { text: string }>;
  const job = (i: number) => ({ file: text(i).file, text: text(i).text });
  if (!cache)
    return {
      results: await parseAll(
        items.map((_, i) => job(i)),
        undefined,
        parsed,
      ),
      counts: { parsed: items.length, cached: 0 },
    };
  const digests = items.map((item) => ('digest' in item ? item.digest : fileDigest(item.file, item.text)));
  const results: Array<Parsed | undefined> = digests.map((d, i) => cache.get(d, items[i]!.file));
  items.forEach((item, i) => 'stat' in item && cache.stamped(item.file, item.stat, digests[i]!));
  // A vouched-for file is always a hit (unchanged() found its entry whole), so every miss was read.
  const misses = items.flatMap((_, i) => (results[i] ? [] : [i]));
  const cached = items.length - misses.length;
  const fresh = await parseAll(misses.map(job), undefined, parsed && ((done) => parsed(cached + done)));
  misses.forEach((i, k) => {
    results[i] = fresh[k]!;
    cache.set(items[i]!.file, digests[i]!, fresh[k]!);
  });
  return {
    results: results as Parsed[],
    counts: { parsed: misses.length, cached },
    digests,
  };
}
