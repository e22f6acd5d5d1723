// Temporary copies of the sample inventory with targeted edits, for table-driven tests.
import { cp, mkdtemp, readFile, writeFile, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { PROJECT_ROOT } from '../../src/project.js';

export const SAMPLE_INVENTORY = path.join(PROJECT_ROOT, 'inventory');

export interface Edit {
  /** Path relative to the inventory root. */
  file: string;
  /** Replace the first occurrence of `from` by `to`; without `from`, write `to` as the whole file; `to: null` deletes it. */
  from?: string;
  to: string | null;
  /** With `to` as the whole file: start from a copy of this inventory file and append `to`. */
  copyOf?: string;
}

export async function inventoryWith(edits: readonly Edit[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'prichal-inv-'));
  await cp(SAMPLE_INVENTORY, dir, { recursive: true });
  for (const edit of edits) {
    const file = path.join(dir, edit.file);
    if (edit.to === null) {
      await rm(file);
      continue;
    }
    if (edit.from === undefined) {
      await mkdir(path.dirname(file), { recursive: true });
      const base = edit.copyOf ? await readFile(path.join(dir, edit.copyOf), 'utf8') : '';
      await writeFile(file, base + edit.to);
      continue;
    }
    const text = await readFile(file, 'utf8');
    if (!text.includes(edit.from)) throw new Error(`test edit: '${edit.from}' not found in ${edit.file}`);
    await writeFile(file, text.replace(edit.from, edit.to));
  }
  return dir;
}

export async function removeInventory(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** 1-based line of the first line containing `marker` in an inventory file. */
export async function lineOf(dir: string, file: string, marker: string): Promise<number> {
  const lines = (await readFile(path.join(dir, file), 'utf8')).split('\n');
  const index = lines.findIndex((line) => line.includes(marker));
  if (index < 0) throw new Error(`marker '${marker}' not in ${file}`);
  return index + 1;
}

/** A maker of edited copies of the sample for one test file; every copy is removed after the file's tests. */
export function editedInventories(): (edits: readonly Edit[]) => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map(removeInventory));
  });
  return async (edits) => {
    const dir = await inventoryWith(edits);
    dirs.push(dir);
    return dir;
  };
}

/** A work cache of its own for the tests of one file or block (PRICHAL_WORK_CACHE), removed afterwards. */
export function useTemporaryWorkCache(): void {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'prichal-cache-'));
    process.env.PRICHAL_WORK_CACHE = dir;
  });
  afterAll(async () => {
    delete process.env.PRICHAL_WORK_CACHE;
    await rm(dir, { recursive: true, force: true });
  });
}
