// Phase 1: read every inventory file and parse it as YAML, keeping positions.
// YAML errors become findings (yaml-syntax, duplicate-key); a file that cannot be read as text
// (not a regular file, too large, no permission, a link loop, not UTF-8) is file-unreadable, an
// empty one file-empty. A broken file is left out of the later phases but never stops the others
// from being read, and nothing here throws on a file's content.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Finding, Words } from './findings.js';
import { fileDigest, ParseCache } from './parse-cache.js';
import { parseAll, type Parsed } from './parse-pool.js';
import type { ParseJob } from './parse-worker.js';
import { ALLOCATIONS_FILE, fileError, OPERATOR_FILE, PARTICIPANTS_DIR, type LoadedFile } from './parse.js';
import { SourceFile } from './source.js';

export { ALLOCATIONS_FILE, OPERATOR_FILE, PARTICIPANTS_DIR, parseSource, type LoadedFile } from './parse.js';

/** The participant id a file stands for: its name without the extension (the id rule holds them equal). */
export const idOfFile = (file: string): string => path.posix.basename(file).replace(/\.ya?ml$/, '');


export interface LoadedInventory {
  root: string;
  operator: LoadedFile | undefined;
  participants: LoadedFile[];
  allocations: LoadedFile | undefined;
  /** Every participant file found, read or not (relative paths). */
  listed: string[];
}

/**
 * Largest inventory file read, in bytes: PRICHAL_MAX_FILE_BYTES, default 4 MiB. A participant file
 * is a few kilobytes and allocations.yaml for 10,000 participants about 0.6 MB; a file beyond
 * that is a mistake or an attack, and parsing it would cost seconds and gigabytes.
 */
export function maxFileBytes(): number {
  const configured = Number(process.env.PRICHAL_MAX_FILE_BYTES);
  return Number.isInteger(configured) && configured > 0 ? configured : 4 * 1024 * 1024;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A file's text, or why it cannot be had. Opened without blocking (a FIFO would otherwise wait
 * forever for a writer) and checked on the open handle, so a file swapped after a listing is
 * judged as what was opened: only a regular file within the size limit, in UTF-8, is read.
 * Synchronous calls on purpose: 10,000 small files read in a fifth of the time the thread pool
 * takes, and nothing else waits on the event loop meanwhile.
 */
export async function readInventoryText(root: string, file: string): Promise<{ text: string } | { missing: true } | { problem: Words }> {
  let fd: number;
  try {
    fd = openSync(path.join(root, file), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { missing: true };
    const why: Record<string, Words> = {
      EACCES: { en: 'permission denied', ru: 'нет прав на чтение' },
      ELOOP: { en: 'a symbolic link loop', ru: 'символические ссылки образуют петлю' },
      EISDIR: { en: 'a directory, not a file', ru: 'это каталог, а не файл' },
    };
    return { problem: why[code ?? ''] ?? { en: `cannot be opened (${code ?? 'unknown error'})`, ru: `не открывается (${code ?? 'неизвестная ошибка'})` } };
  }
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) return { problem: { en: 'a directory, not a file', ru: 'это каталог, а не файл' } };
    if (!info.isFile()) return { problem: { en: 'not a regular file (a FIFO, socket or device); only regular files are read', ru: 'не обычный файл (канал, сокет или устройство); читаются только обычные файлы' } };
    const limit = maxFileBytes();
    if (info.size > limit) return { problem: { en: `${info.size} bytes, more than the ${limit} bytes a file may have (PRICHAL_MAX_FILE_BYTES)`, ru: `${info.size} байт: больше допустимых ${limit} байт (PRICHAL_MAX_FILE_BYTES)` } };
    const bytes = readFileSync(fd);
    if (bytes.length > limit) return { problem: { en: `more than the ${limit} bytes a file may have (PRICHAL_MAX_FILE_BYTES)`, ru: `больше допустимых ${limit} байт (PRICHAL_MAX_FILE_BYTES)` } };
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return { problem: { en: 'not UTF-8 (a UTF-16 byte-order mark); save it as UTF-8', ru: 'не в UTF-8 (метка порядка байтов UTF-16); сохраните файл в UTF-8' } };
    try {
      return { text: UTF8.decode(bytes) };
    } catch {
      return { problem: { en: 'not UTF-8 (invalid byte sequence); save it as UTF-8', ru: 'не в UTF-8 (недопустимая последовательность байтов); сохраните файл в UTF-8' } };
    }
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { problem: { en: `cannot be read (${why})`, ru: `не читается (${why})` } };
  } finally {
    closeSync(fd);
  }
}

/** Participant files: every *.yaml under participants/, recursively, in a stable order. */
export async function listParticipantFiles(root: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = (await readdir(path.join(root, PARTICIPANTS_DIR), { recursive: true })) as string[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    // A folder named *.yaml is listed too, and reported: nothing that looks like a file is skipped.
    .map((name) => `${PARTICIPANTS_DIR}/${name.split(path.sep).join('/')}`)
    .sort();
}

export interface LoadOptions {
  /** Reuse parses of unchanged files (parse-cache.ts); default on, PRICHAL_VALIDATION_CACHE=off turns it off. */
  cache?: boolean;
}

/**
 * Reads every inventory file, then parses those the cache does not know, on worker threads when
 * there are many (parse-pool.ts). Findings and files come out in the same order either way.
 */
export async function loadInventory(root: string, options: LoadOptions = {}): Promise<{ inventory: LoadedInventory; findings: Finding[]; parsed: ParseCounts }> {
  const findings: Finding[] = [];
  const unreadable = (file: string, problem: Words) => findings.push(fileError('file-unreadable', file, { en: `cannot be read: ${problem.en}`, ru: `не читается: ${problem.ru}` }));
  /** Reads one file; `missing` says what its absence means (nothing: an optional file). */
  const read = async (file: string, missing?: () => void): Promise<{ file: string; text: string } | undefined> => {
    const result = await readInventoryText(root, file);
    if ('missing' in result) {
      missing?.();
      return undefined;
    }
    if ('problem' in result) {
      unreadable(file, result.problem);
      return undefined;
    }
    return { file, text: result.text };
  };

  const operatorText = await read(OPERATOR_FILE, () => findings.push(fileError('file-missing', OPERATOR_FILE, { en: `the inventory needs ${OPERATOR_FILE} at its root (${root})`, ru: `в корне реестра нужен ${OPERATOR_FILE} (${root})` })));
  const allocationsText = await read(ALLOCATIONS_FILE);
  const files = await listParticipantFiles(root).catch((error: NodeJS.ErrnoException) => {
    unreadable(PARTICIPANTS_DIR, { en: `the folder cannot be listed (${error.code ?? error.message})`, ru: `содержимое каталога не читается (${error.code ?? error.message})` });
    return [] as string[];
  });
  // A participant file listed but not there: a dangling symbolic link (or removed while being read).
  const participantTexts: Array<{ file: string; text: string } | undefined> = [];
  for (const file of files) participantTexts.push(await read(file, () => unreadable(file, { en: 'a dangling symbolic link, or removed while being read', ru: 'символическая ссылка ни на что не указывает, или файл удалён во время чтения' })));

  const texts = [operatorText, allocationsText, ...participantTexts].filter((t) => t !== undefined);
  const { results: parsed, counts } = await parseCached(root, texts, options.cache ?? process.env.PRICHAL_VALIDATION_CACHE !== 'off');
  const loaded = new Map<string, LoadedFile>();
  texts.forEach(({ file, text }, i) => {
    for (const f of parsed[i]!.findings) findings.push(f);
    const { data, shape } = parsed[i]!;
    loaded.set(file, { source: new SourceFile(file, text), data, ...(shape ? { shape } : {}) });
  });

  return {
    inventory: {
      root,
      operator: loaded.get(OPERATOR_FILE),
      participants: files.map((f) => loaded.get(f)).filter((p): p is LoadedFile => p !== undefined),
      allocations: loaded.get(ALLOCATIONS_FILE),
      listed: files,
    },
    findings,
    parsed: counts,
  };
}

/** How many files were parsed and how many came from the cache. */
export interface ParseCounts {
  parsed: number;
  cached: number;
}

/** Parses `texts`, reusing the cached parse of each unchanged file and caching the others. */
async function parseCached(root: string, texts: ParseJob[], useCache: boolean): Promise<{ results: Parsed[]; counts: ParseCounts }> {
  if (!useCache) return { results: await parseAll(texts), counts: { parsed: texts.length, cached: 0 } };
  const cache = await ParseCache.open(root);
  const digests = texts.map(({ file, text }) => fileDigest(file, text));
  const results: Array<Parsed | undefined> = digests.map((d) => cache.get(d));
  const misses = texts.flatMap((job, i) => (results[i] ? [] : [i]));
  const fresh = await parseAll(misses.map((i) => texts[i]!));
  misses.forEach((i, k) => {
    results[i] = fresh[k]!;
    cache.set(digests[i]!, fresh[k]!);
  });
  // A cache that cannot be written costs the next run its speed, never this run its result.
  await cache.save().catch(() => undefined);
  return { results: results as Parsed[], counts: { parsed: misses.length, cached: texts.length - misses.length } };
}
