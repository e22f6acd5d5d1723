// Phase 1: read every inventory file and parse it as YAML, keeping positions.
// YAML errors become findings (yaml-syntax, duplicate-key); a broken file is left out of the
// later phases but never stops the others from being read.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from './findings.js';
import { parseWithPositions, SourceFile } from './source.js';

export const OPERATOR_FILE = 'operator.yaml';
export const PARTICIPANTS_DIR = 'participants';
export const ALLOCATIONS_FILE = 'allocations.yaml';

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
}

export function parseSource(file: string, text: string): { loaded: LoadedFile; findings: Finding[] } {
  const { doc, lines } = parseWithPositions(text);
  const source = new SourceFile(file, text);
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
        : `not valid YAML: ${error.message.split('\n')[0]}`,
    } satisfies Finding;
  });
  const data = findings.length === 0 ? doc.toJS({ maxAliasCount: 100 }) : undefined;
  return { loaded: { source, data }, findings };
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
    .map((name) => `${PARTICIPANTS_DIR}/${name.split(path.sep).join('/')}`)
    .sort();
}

async function readOptional(root: string, file: string): Promise<string | undefined> {
  try {
    return await readFile(path.join(root, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function loadInventory(root: string): Promise<{ inventory: LoadedInventory; findings: Finding[] }> {
  const findings: Finding[] = [];
  const load = (file: string, text: string): LoadedFile => {
    const result = parseSource(file, text);
    findings.push(...result.findings);
    return result.loaded;
  };

  const operatorText = await readOptional(root, OPERATOR_FILE);
  if (operatorText === undefined) {
    findings.push({
      code: 'file-missing',
      severity: 'error',
      file: OPERATOR_FILE,
      line: 1,
      column: 1,
      path: '',
      message: `the inventory needs ${OPERATOR_FILE} at its root (${root})`,
    });
  }
  const allocationsText = await readOptional(root, ALLOCATIONS_FILE);
  const files = await listParticipantFiles(root);
  // Reads are issued together: on 10,000 files the event loop overlaps the syscalls.
  const texts = await Promise.all(files.map((file) => readFile(path.join(root, file), 'utf8')));

  return {
    inventory: {
      root,
      operator: operatorText === undefined ? undefined : load(OPERATOR_FILE, operatorText),
      participants: files.map((file, i) => load(file, texts[i]!)),
      allocations: allocationsText === undefined ? undefined : load(ALLOCATIONS_FILE, allocationsText),
    },
    findings,
  };
}
