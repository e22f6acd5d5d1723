// A cache of parsed inventory files, so an unchanged inventory re-validates without parsing:
// one file per inventory folder under validation/ in the work cache (project.ts: PRICHAL_WORK_CACHE,
// default .state/cache, git-ignored), mapping each file to the digest of its path and text and what parsing gave.
// What is cached is each file's own check (parse and schema, file-check.ts); the rules that
// compare files run every time on the whole model. Any change of parser or schema (the yaml
// package, Prichal's version, the schema files, PARSE_VERSION) makes another cache; a cache
// that cannot be read is ignored and rewritten.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT, SCHEMA_DIR, workCacheDir } from '../project.js';
import type { Parsed } from './parse-pool.js';

/** Bump when checkFile changes what it returns for the same text and schema. */
const PARSE_VERSION = 4;

const require = createRequire(import.meta.url);
const schemas = createHash('sha256');
for (const name of ['operator', 'participant']) schemas.update(readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`)));
const VERSION = [PARSE_VERSION, (require('yaml/package.json') as { version: string }).version, (require(path.join(PROJECT_ROOT, 'package.json')) as { version: string }).version, schemas.digest('hex').slice(0, 16)].join('/');

export const cacheDir = () => workCacheDir('validation');

export const fileDigest = (file: string, text: string) => createHash('sha256').update(`${VERSION}\0${file}\0${text}`).digest('base64url');

/** Inventories remembered; older caches (throw-away folders, tests) are removed. */
const KEEP = 16;

async function prune(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  if (names.length <= KEEP) return;
  const aged = await Promise.all(names.map(async (n) => ({ n, at: (await stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  aged.sort((a, b) => b.at - a.at);
  await Promise.all(aged.slice(KEEP).map(({ n }) => rm(path.join(dir, n), { force: true })));
}

interface CacheFile {
  version: string;
  entries: Record<string, Parsed>;
}

export class ParseCache {
  private readonly fresh: Record<string, Parsed> = {};
  private changed = false;

  private constructor(
    private readonly location: string,
    private readonly entries: Record<string, Parsed>,
  ) {}

  static async open(root: string): Promise<ParseCache> {
    const location = path.join(cacheDir(), `${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 32)}.json`);
    let entries: Record<string, Parsed> = {};
    try {
      // Read whole and decoded at once: fs/promises decodes a 20 MB file chunk by chunk, which
      // took longer than parsing it.
      const stored = JSON.parse(readFileSync(location, 'utf8')) as CacheFile;
      if (stored.version === VERSION && stored.entries && typeof stored.entries === 'object') entries = stored.entries;
    } catch {
      // No cache yet, or one that cannot be read: parse everything and write a new one.
    }
    return new ParseCache(location, entries);
  }

  get(digest: string): Parsed | undefined {
    const hit = this.entries[digest];
    if (hit) this.fresh[digest] = hit;
    return hit;
  }

  set(digest: string, parsed: Parsed): void {
    this.fresh[digest] = parsed;
    this.changed = true;
  }

  /** Keeps only this run's files (a removed or edited file's old entry goes), written atomically. */
  async save(): Promise<void> {
    if (!this.changed && Object.keys(this.fresh).length === Object.keys(this.entries).length) return;
    await mkdir(path.dirname(this.location), { recursive: true });
    const temporary = `${this.location}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify({ version: VERSION, entries: this.fresh } satisfies CacheFile));
    await rename(temporary, this.location);
    await prune(path.dirname(this.location));
  }
}
