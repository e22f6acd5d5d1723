// A cache of parsed inventory files, so an unchanged inventory re-validates without parsing:
// one file per inventory folder under validation/ in the work cache (project.ts: PRICHAL_WORK_CACHE,
// default .state/cache, git-ignored), mapping each file to the digest of its path and text and what parsing gave.
// What is cached is each file's own check (parse and schema, file-check.ts); the rules that
// compare files run every time on the whole model. Any change of parser or schema (the yaml
// package, Prichal's version, the schema files, PARSE_VERSION) makes another cache; a cache
// that cannot be read is ignored and rewritten.
import { createHash } from 'node:crypto';
import { readFileSync, type BigIntStats } from 'node:fs';
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

/** A file's stamp when it was last read, and the digest of what was read. */
type FileStamp = { stamp: string; digest: string };

interface CacheFile {
  version: string;
  entries: Record<string, Parsed>;
  /** Per file (relative path). */
  stamps?: Record<string, FileStamp>;
}

/**
 * A file's identity and last change as stat(2) gives them: device, inode, size, and the
 * modification and status-change times in nanoseconds. As git's index does, an unchanged stamp
 * stands for unchanged content, so an unchanged file is neither read nor digested. That is safe
 * against edits because any write changes the status-change time (ctime), which no unprivileged
 * process can set back (touch -r and cp -p restore mtime only), and a replaced file has another
 * inode or ctime. The one gap is an edit within the file system's timestamp granularity of the
 * stamp being taken: stamps younger than STAMP_SETTLE_NS are therefore never trusted.
 */
export function stampOf(stat: BigIntStats): string {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

/** Timestamps are taken from a coarse clock (a few milliseconds); two seconds is far beyond that. */
const STAMP_SETTLE_NS = 2_000_000_000n;
const settled = (stat: BigIntStats) => BigInt(Date.now()) * 1_000_000n - stat.ctimeNs > STAMP_SETTLE_NS;

export class ParseCache {
  private readonly fresh: Record<string, Parsed> = {};
  private readonly freshStamps: Record<string, FileStamp> = {};
  private changed = false;

  private constructor(
    private readonly location: string,
    private readonly entries: Record<string, Parsed>,
    private readonly stamps: Record<string, FileStamp>,
  ) {}

  /** The digest of a file whose stamp is the one recorded with its cached parse, else undefined (read it). */
  unchanged(file: string, stat: BigIntStats): string | undefined {
    const known = this.stamps[file];
    if (!known || known.stamp !== stampOf(stat) || !this.entries[known.digest]) return undefined;
    this.freshStamps[file] = known;
    return known.digest;
  }

  /** Remembers the stamp of a file just read (when it is settled enough to be trusted next time). */
  stamped(file: string, stat: BigIntStats, digest: string): void {
    if (!settled(stat)) return;
    const stamp = stampOf(stat);
    if (this.stamps[file]?.stamp !== stamp || this.stamps[file]?.digest !== digest) this.changed = true;
    this.freshStamps[file] = { stamp, digest };
  }

  static async open(root: string): Promise<ParseCache> {
    const location = path.join(cacheDir(), `${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 32)}.json`);
    let entries: Record<string, Parsed> = {};
    let stamps: Record<string, FileStamp> = {};
    try {
      // Read whole and decoded at once: fs/promises decodes a 20 MB file chunk by chunk, which
      // took longer than parsing it.
      const stored = JSON.parse(readFileSync(location, 'utf8')) as CacheFile;
      if (stored.version === VERSION && stored.entries && typeof stored.entries === 'object') {
        entries = stored.entries;
        if (stored.stamps && typeof stored.stamps === 'object') stamps = stored.stamps;
      }
    } catch {
      // No cache yet, or one that cannot be read: parse everything and write a new one.
    }
    return new ParseCache(location, entries, stamps);
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
    if (!this.changed && Object.keys(this.fresh).length === Object.keys(this.entries).length && Object.keys(this.freshStamps).length === Object.keys(this.stamps).length) return;
    await mkdir(path.dirname(this.location), { recursive: true });
    const temporary = `${this.location}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify({ version: VERSION, entries: this.fresh, stamps: this.freshStamps } satisfies CacheFile));
    await rename(temporary, this.location);
    await prune(path.dirname(this.location));
  }
}
