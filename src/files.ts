// The one rule for every file Prichal reads and every file it writes. Shared by all stages, like
// project.ts and words.ts.
//
// Reading: only a regular file is read, opened without blocking (a FIFO would otherwise wait
// forever for a writer, /dev/zero would fill memory), judged on the open handle (a file swapped
// after a listing is judged as what was opened), within a size limit. Inside a folder that is
// the reader's boundary (the inventory), a symbolic link that resolves outside it is never
// opened: a link to /proc/self/environ committed in a pull request would otherwise put CI's
// environment into findings.
//
// Writing: into a temporary file in the target's folder, flushed to disk, then renamed over the
// target, so a failed write (a full disk, a file-size limit, a killed run) leaves the old file
// whole and no half file behind. Never through a link that leaves its folder, never over
// something that is not a regular file, and, when the caller says what the file must be, never
// over a file of another kind (a document register over a participant file).
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  realpathSync,
  type Stats,
} from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { WordedError, type Words } from './words.js';

/** A setting from the environment; set but empty means unset (`PRICHAL_WORK_CACHE=` is no folder named ''). */
export function envSetting(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Largest file read, in bytes: PRICHAL_MAX_FILE_BYTES, default 4 MiB. A participant file is a few
 * kilobytes and allocations.yaml for 10,000 participants about 0.6 MB; a file beyond that is a
 * mistake or an attack, and parsing it would cost seconds and gigabytes.
 */
export function maxFileBytes(): number {
  const configured = Number(envSetting('PRICHAL_MAX_FILE_BYTES'));
  return Number.isInteger(configured) && configured > 0 ? configured : 4 * 1024 * 1024;
}

/** A file that cannot be read or written as the rule says; the message names the file, `cause` the system's error. */
export class FileError extends WordedError {
  override readonly name = 'FileError';
  constructor(
    readonly file: string,
    readonly why: Words,
    options?: ErrorOptions,
  ) {
    super({ en: `${file}: ${why.en}`, ru: `${file}: ${why.ru}` }, options);
  }
}

export type ReadOutcome = { bytes: Buffer; stat: Stats } | { missing: true } | { problem: Words };

export interface ReadOptions {
  /** Size limit in bytes (default maxFileBytes()). */
  limit?: number;
  /** A folder the file must stay inside: a link resolving outside it is refused, never opened. */
  inside?: string;
}

const OPEN_ERRORS: Record<string, Words> = {
  EACCES: { en: 'permission denied', ru: 'нет прав на чтение' },
  ELOOP: { en: 'a symbolic link loop', ru: 'символические ссылки образуют петлю' },
  EISDIR: { en: 'a directory, not a file', ru: 'это каталог, а не файл' },
  ENOTDIR: {
    en: 'a path through something that is not a folder',
    ru: 'путь проходит через то, что не является каталогом',
  },
};

/** Why a path cannot be opened or resolved, in words, from the error's code. */
const openProblem = (error: unknown, what: Words = { en: 'cannot be opened', ru: 'не открывается' }): Words => {
  const code = (error as NodeJS.ErrnoException).code;
  return (
    OPEN_ERRORS[code ?? ''] ?? {
      en: `${what.en} (${code ?? 'unknown error'})`,
      ru: `${what.ru} (${code ?? 'неизвестная ошибка'})`,
    }
  );
};

/** Whether a resolved path lies inside a resolved folder. */
export const isInside = (folder: string, file: string) =>
  file === folder || file.startsWith(folder.endsWith(path.sep) ? folder : `${folder}${path.sep}`);

/**
 * Where a link inside `folder` leads, or why it may not be followed. Checked only for a link
 * (the common regular file costs nothing more): its resolved path must lie inside the folder's
 * own resolved path.
 */
function followWithin(folder: string, file: string): { target: string } | { problem: Words } | { missing: true } {
  let real: string;
  try {
    real = realpathSync.native(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return {
        problem: {
          en: 'a dangling symbolic link (its target does not exist)',
          ru: 'символическая ссылка в никуда (её цель не существует)',
        },
      };
    return { problem: openProblem(error, { en: 'cannot be resolved', ru: 'путь не разрешается' }) };
  }
  let root: string;
  try {
    root = realpathSync.native(folder);
  } catch {
    return { missing: true };
  }
  if (!isInside(root, real))
    return {
      problem: {
        en: `a symbolic link that leads outside ${folder}; it is not read`,
        ru: `символическая ссылка ведёт за пределы ${folder}; файл не читается`,
      },
    };
  return { target: real };
}

/**
 * A file's bytes, or why it cannot be had (never throws for a file's own state). Synchronous on
 * purpose: the loader reads 10,000 small files in a fifth of the time the thread pool takes.
 */
export function readRegular(file: string, options: ReadOptions = {}): ReadOutcome {
  let fd: number;
  let opened = file;
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.inside !== undefined ? constants.O_NOFOLLOW : 0);
  try {
    fd = openSync(opened, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { missing: true };
    // O_NOFOLLOW refuses a link with ELOOP: follow it only when it stays inside the folder.
    if (
      code === 'ELOOP' &&
      options.inside !== undefined &&
      lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()
    ) {
      const followed = followWithin(options.inside, file);
      if (!('target' in followed)) return followed;
      opened = followed.target;
      try {
        fd = openSync(opened, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
      } catch (again) {
        return { problem: openProblem(again) };
      }
    } else {
      return { problem: openProblem(error) };
    }
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { problem: OPEN_ERRORS.EISDIR! };
    if (!stat.isFile())
      return {
        problem: {
          en: 'not a regular file (a FIFO, socket or device); only regular files are read',
          ru: 'не обычный файл (канал, сокет или устройство); читаются только обычные файлы',
        },
      };
    const limit = options.limit ?? maxFileBytes();
    if (stat.size > limit) return { problem: tooLarge(limit, stat.size) };
    // Read up to one byte past the limit: a file that grows while it is read is still bounded.
    const buffer = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(stat.size + 1, 8192)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit) break;
        return { problem: tooLarge(limit) };
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limit) return { problem: tooLarge(limit) };
    return { bytes: buffer.subarray(0, length), stat };
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { problem: { en: `cannot be read (${why})`, ru: `не читается (${why})` } };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(limit: number, size?: number): Words {
  return size !== undefined
    ? {
        en: `${size} bytes, more than the ${limit} bytes a file may have (PRICHAL_MAX_FILE_BYTES)`,
        ru: `${size} байт: больше допустимых ${limit} байт (PRICHAL_MAX_FILE_BYTES)`,
      }
    : {
        en: `more than the ${limit} bytes a file may have (PRICHAL_MAX_FILE_BYTES)`,
        ru: `больше допустимых ${limit} байт (PRICHAL_MAX_FILE_BYTES)`,
      };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as UTF-8 text, or why they are not. */
export function decodeUtf8(bytes: Buffer): { text: string } | { problem: Words } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return {
      problem: {
        en: 'not UTF-8 (a UTF-16 byte-order mark); save it as UTF-8',
        ru: 'не в UTF-8 (метка порядка байтов UTF-16); сохраните файл в UTF-8',
      },
    };
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    return {
      problem: {
        en: 'not UTF-8 (invalid byte sequence); save it as UTF-8',
        ru: 'не в UTF-8 (недопустимая последовательность байтов); сохраните файл в UTF-8',
      },
    };
  }
}

export type TextOutcome = { text: string; stat: Stats } | { missing: true } | { problem: Words };

/** A regular file's UTF-8 text, or why it cannot be had. */
export function readTextOutcome(file: string, options: ReadOptions = {}): TextOutcome {
  const read = readRegular(file, options);
  if (!('bytes' in read)) return read;
  const decoded = decodeUtf8(read.bytes);
  return 'text' in decoded ? { text: decoded.text, stat: read.stat } : decoded;
}

/**
 * A regular file's UTF-8 text; a missing file gives undefined when `missing: 'undefined'`, else
 * like every other problem a FileError naming the file.
 */
export function readText(file: string, options: ReadOptions & { missing: 'undefined' }): string | undefined;
export function readText(file: string, options?: ReadOptions & { missing?: 'error' }): string;
export function readText(
  file: string,
  options: ReadOptions & { missing?: 'undefined' | 'error' } = {},
): string | undefined {
  const read = readTextOutcome(file, options);
  if ('text' in read) return read.text;
  if ('missing' in read) {
    if (options.missing === 'undefined') return undefined;
    throw new FileError(file, { en: 'no such file', ru: 'файл не найден' });
  }
  throw new FileError(file, read.problem);
}

/** A regular file's bytes (a certificate), under the same rule. */
export function readBytes(file: string, options: ReadOptions = {}): Buffer {
  const read = readRegular(file, options);
  if ('bytes' in read) return read.bytes;
  throw new FileError(file, 'missing' in read ? { en: 'no such file', ru: 'файл не найден' } : read.problem);
}

/** What a writer hands the writing rule: the whole content, or a producer that writes it piece by piece. */
export type Content = string | Uint8Array | ((write: (chunk: string | Uint8Array) => Promise<void>) => Promise<void>);

export interface WriteOptions {
  /**
   * Judges the file being replaced (its text): words saying why it must not be, else undefined.
   * For a store with a shape of its own (the document register), so that a mistyped path never
   * overwrites a participant file.
   */
  replaces?: (existing: string) => Words | undefined;
  /** File mode of a new file (default 0o644, less the umask). */
  mode?: number;
}

const WRITE_ERRORS: Record<string, Words> = {
  ENOSPC: { en: 'the disk is full', ru: 'диск заполнен' },
  EDQUOT: { en: 'the disk quota is exhausted', ru: 'исчерпана дисковая квота' },
  EFBIG: { en: 'larger than the file-size limit', ru: 'больше допустимого размера файла' },
  EACCES: { en: 'permission denied', ru: 'нет прав на запись' },
  EPERM: { en: 'permission denied', ru: 'нет прав на запись' },
  EROFS: { en: 'a read-only file system', ru: 'файловая система только для чтения' },
  ENOENT: { en: 'the folder does not exist', ru: 'каталог не существует' },
  ENOTDIR: {
    en: 'a path through something that is not a folder',
    ru: 'путь проходит через то, что не является каталогом',
  },
};

const writeProblem = (error: unknown): Words => {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return (
    WRITE_ERRORS[code] ?? {
      en: `cannot be written (${code || (error as Error).message})`,
      ru: `не записывается (${code || (error as Error).message})`,
    }
  );
};

/**
 * The file a write really replaces: the target itself, or, for a link whose target stays in the
 * link's own folder, that target. A link leading out of its folder (or to nothing outside it) is
 * refused: `plan --save` through a dangling allocations.yaml link would create a file anywhere.
 */
function writeTarget(target: string): string {
  const info = lstatSync(target, { throwIfNoEntry: false });
  if (!info) return target;
  if (info.isSymbolicLink()) {
    const folder = path.dirname(path.resolve(target));
    const leadsTo = path.resolve(folder, readlinkSync(target));
    let realFolder: string;
    try {
      realFolder = realpathSync.native(folder);
    } catch (error) {
      throw new FileError(target, writeProblem(error), { cause: error });
    }
    let real: string;
    try {
      real = realpathSync.native(leadsTo);
    } catch {
      // A dangling link: where it would create the file.
      let parent: string;
      try {
        parent = realpathSync.native(path.dirname(leadsTo));
      } catch {
        parent = path.dirname(leadsTo);
      }
      real = path.join(parent, path.basename(leadsTo));
    }
    if (path.dirname(real) !== realFolder)
      throw new FileError(target, {
        en: 'a symbolic link that leads out of its folder; nothing was written through it',
        ru: 'символическая ссылка ведёт за пределы своего каталога; через неё ничего не записано',
      });
    return writeTarget(real);
  }
  if (!info.isFile())
    throw new FileError(target, {
      en: 'not a regular file (a folder, FIFO, socket or device); nothing was written',
      ru: 'не обычный файл (каталог, канал, сокет или устройство); ничего не записано',
    });
  return target;
}

/**
 * Writes `content` to `target` by the writing rule: a temporary file in the same folder, flushed,
 * renamed over the target. On failure the target is as it was and the temporary file is gone;
 * the error (FileError) names the target and the reason (the disk is full, …).
 */
export async function writeAtomic(target: string, content: Content, options: WriteOptions = {}): Promise<void> {
  const file = writeTarget(target);
  if (options.replaces) {
    const existing = readTextOutcome(file);
    if ('problem' in existing) throw new FileError(target, existing.problem);
    if ('text' in existing) {
      const refused = options.replaces(existing.text);
      if (refused) throw new FileError(target, refused);
    }
  }
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx', options.mode ?? 0o644);
  } catch (error) {
    throw new FileError(target, writeProblem(error), { cause: error });
  }
  try {
    // FileHandle.write may write less than asked (a full disk gives a short write before ENOSPC):
    // writeFile loops until everything is written or throws.
    const opened = handle;
    const write = async (chunk: string | Uint8Array) => {
      await opened.writeFile(chunk);
    };
    if (typeof content === 'function') await content(write);
    else await write(content);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error instanceof FileError ? error : new FileError(target, writeProblem(error), { cause: error });
  }
}

/** Quotes at most 40 characters of text taken from a file (an unknown key, a value), escaped: a finding never echoes a file at length. */
export function quoteFromFile(value: string, max = 40): string {
  const chars = [...value];
  const cut = chars.length > max ? `${chars.slice(0, max).join('')}…` : value;
  // JSON escapes control characters; format characters (zero-width, bidirectional overrides) too.
  return JSON.stringify(cut).replace(
    /[\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/gu,
    (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}

/**
 * Creates a folder and the missing ones above it, one level at a time. Not mkdir's own
 * `recursive`: under /proc it never returns (Node 24 spins on the EEXIST/ENOENT it gets there), so
 * `PRICHAL_WORK_CACHE=/proc` or `--out /proc/x` would hang a run. Something in the way that is not
 * a folder is a FileError naming it.
 */
export async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    let info;
    try {
      info = await stat(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new FileError(dir, writeProblem(error), { cause: error });
    }
    if (info) {
      if (!info.isDirectory()) throw new FileError(dir, { en: `${at} is not a folder`, ru: `${at} — не каталог` });
      break;
    }
    missing.push(at);
    if (path.dirname(at) === at) break;
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await stat(folder).catch(() => undefined))?.isDirectory()) continue;
      // ENOENT for a folder whose parent exists: a file system that creates nothing there (/proc).
      throw new FileError(
        dir,
        code === 'ENOENT'
          ? {
              en: `${folder} cannot be created there (the file system refuses)`,
              ru: `${folder} не создаётся там (файловая система не позволяет)`,
            }
          : writeProblem(error),
        { cause: error },
      );
    }
  }
}
