// Phase 1: read every inventory file and parse it as YAML, keeping positions.
// YAML errors become findings (yaml-syntax, duplicate-key); a file that cannot be read as text
// (not a regular file, too large, no permission, a link loop, not UTF-8) is file-unreadable, an
// empty one file-empty. A broken file is left out of the later phases but never stops the others
// from being read, and nothing here throws on a file's content.
import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from './findings.js';
import { isScalar } from 'yaml';
import { mapBounded } from '../concurrency.js';
import { parseWithPositions, SourceFile } from './source.js';

export const OPERATOR_FILE = 'operator.yaml';
export const PARTICIPANTS_DIR = 'participants';
export const ALLOCATIONS_FILE = 'allocations.yaml';

/** The participant id a file stands for: its name without the extension (the id rule holds them equal). */
export const idOfFile = (file: string): string => path.posix.basename(file).replace(/\.ya?ml$/, '');

export interface LoadedFile {
  source: SourceFile;
  /** Plain data of the document; undefined when the file did not parse. */
  data: unknown;
}

export interface LoadedInventory {
  root: string;
  operator: LoadedFile | undefined;
  participants: LoadedFile[];
  allocations: LoadedFile | undefined;
  /** Every participant file found, read or not (relative paths). */
  listed: string[];
}

/** The parser's message for a person: a stack overflow means a structure nested too deeply. */
function yamlMessage(message: string): string {
  const text = /Maximum call stack size exceeded/.test(message) ? 'nested too deeply to read (thousands of levels of lists or mappings); inventory files nest a few levels' : message.split('\n')[0]!;
  return `not valid YAML: ${text}`;
}

/** A finding about a file as a whole (it has no field to point at). */
const fileError = (code: Finding['code'], file: string, message: string): Finding => ({ code, severity: 'error', file, line: 1, column: 1, path: '', message });

export function parseSource(file: string, text: string): { loaded: LoadedFile; findings: Finding[] } {
  const source = new SourceFile(file, text);
  let parsed: ReturnType<typeof parseWithPositions>;
  try {
    parsed = parseWithPositions(text);
  } catch (error) {
    return { loaded: { source, data: undefined }, findings: [fileError('yaml-syntax', file, yamlMessage((error as Error).message))] };
  }
  const { doc, lines } = parsed;
  const findings: Finding[] = doc.errors.map((error) => {
    const { line, col } = lines.linePos(error.pos[0]);
    const duplicate = error.code === 'DUPLICATE_KEY';
    return {
      code: duplicate ? 'duplicate-key' : 'yaml-syntax',
      severity: 'error',
      file,
      line,
      column: col,
      path: '',
      message: duplicate
        ? 'a mapping repeats a key; each field may appear once'
        : yamlMessage(error.message),
    } satisfies Finding;
  });
  if (findings.length === 0 && (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null))) {
    findings.push(fileError('file-empty', file, 'the file is empty (or holds only comments); it needs the fields of its schema'));
  }
  let data: unknown;
  if (findings.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // An alias to nothing, or aliases expanding past 100 references (an alias bomb).
      findings.push(fileError('yaml-syntax', file, yamlMessage((error as Error).message)));
    }
  }
  return { loaded: { source, data }, findings };
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
 */
export async function readInventoryText(root: string, file: string): Promise<{ text: string } | { missing: true } | { problem: string }> {
  let handle;
  try {
    handle = await open(path.join(root, file), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { missing: true };
    const why: Record<string, string> = { EACCES: 'permission denied', ELOOP: 'a symbolic link loop', EISDIR: 'a directory, not a file' };
    return { problem: why[code ?? ''] ?? `cannot be opened (${code ?? 'unknown error'})` };
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { problem: 'a directory, not a file' };
    if (!info.isFile()) return { problem: 'not a regular file (a FIFO, socket or device); only regular files are read' };
    const limit = maxFileBytes();
    if (info.size > limit) return { problem: `${info.size} bytes, more than the ${limit} bytes a file may have (PRICHAL_MAX_FILE_BYTES)` };
    const bytes = await handle.readFile();
    if (bytes.length > limit) return { problem: `more than the ${limit} bytes a file may have (PRICHAL_MAX_FILE_BYTES)` };
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return { problem: 'not UTF-8 (a UTF-16 byte-order mark); save it as UTF-8' };
    try {
      return { text: UTF8.decode(bytes) };
    } catch {
      return { problem: 'not UTF-8 (invalid byte sequence); save it as UTF-8' };
    }
  } catch (error) {
    return { problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  } finally {
    await handle.close();
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

export async function loadInventory(root: string): Promise<{ inventory: LoadedInventory; findings: Finding[] }> {
  const findings: Finding[] = [];
  const unreadable = (file: string, problem: string) => findings.push(fileError('file-unreadable', file, `cannot be read: ${problem}`));
  /** Reads and parses one file; `missing` says what its absence means (nothing: an optional file). */
  const load = async (file: string, missing?: () => void): Promise<LoadedFile | undefined> => {
    const read = await readInventoryText(root, file);
    if ('missing' in read) {
      missing?.();
      return undefined;
    }
    if ('problem' in read) {
      unreadable(file, read.problem);
      return undefined;
    }
    const result = parseSource(file, read.text);
    for (const f of result.findings) findings.push(f);
    return result.loaded;
  };

  const operator = await load(OPERATOR_FILE, () => findings.push(fileError('file-missing', OPERATOR_FILE, `the inventory needs ${OPERATOR_FILE} at its root (${root})`)));
  const allocations = await load(ALLOCATIONS_FILE);
  const files = await listParticipantFiles(root).catch((error: NodeJS.ErrnoException) => {
    unreadable(PARTICIPANTS_DIR, `the folder cannot be listed (${error.code ?? error.message})`);
    return [] as string[];
  });
  // Reads overlap, bounded: enough to keep the disk busy, few enough that 10,000 open handles
  // and buffers never coexist.
  // A participant file listed but not there: a dangling symbolic link (or removed while being read).
  const participants = await mapBounded(files, 64, (file) => load(file, () => unreadable(file, 'a dangling symbolic link, or removed while being read')));

  return {
    inventory: {
      root,
      operator,
      participants: participants.filter((p): p is LoadedFile => p !== undefined),
      allocations,
      listed: files,
    },
    findings,
  };
}
