// Where the project's own files are, whether running from src/ (vitest) or dist/src/ (bin).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { envSetting } from './files.js';

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the Prichal project root (package.json)');
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot();
export const TEMPLATES_DIR = path.join(PROJECT_ROOT, 'templates');
export const SCHEMA_DIR = path.join(PROJECT_ROOT, 'src', 'inventory', 'schema');

/**
 * A cache of this checkout's work (parsed inventory files, the elements of each edge's last
 * verified apply): PRICHAL_WORK_CACHE, default .state/cache (git-ignored), one folder per kind.
 * Deleting it costs speed, never correctness: every entry is checked against what it stands for.
 * Set but empty is unset (envSetting): `PRICHAL_WORK_CACHE=` is the default, never the current
 * folder. (PRICHAL_CACHE_DIR is another cache: the built engine, shared by every checkout.)
 */
export const workCacheDir = (kind: string) =>
  path.join(envSetting('PRICHAL_WORK_CACHE') ?? path.join(PROJECT_ROOT, '.state', 'cache'), kind);
