// A cache of parsed inventory files, so an unchanged inventory re-validates without parsing:
// one file per inventory folder under validation/ in the work cache (project.ts: PRICHAL_WORK_CACHE,
// default .state/cache, git-ignored), mapping each file to the digest of its path and text and what parsing gave (UTF-16LE JSON: readCacheFile).
// What is cached is each file's own check (parse and schema, file-check.ts) and the findings of
// the rules that read one participant file at a time (file rules, validate.ts); the rules that
// compare files run every time on the whole model. Any change of parser or schema (the yaml
// package, Prichal's version, the schema files, PARSE_VERSION) makes another cache, any change of
// Prichal's code or operator.yaml or the date other file-rule findings; a cache that cannot be
// read is ignored and rewritten.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, type Stats } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT, SCHEMA_DIR, workCacheDir } from '../project.js';
import type { Finding } from './findings.js';
import type { Parsed } from './parse-pool.js';

/** Bump when checkFile changes what it returns for the same text and schema. */
const PARSE_VERSION = 5;

const require = createRequire(import.meta.url);
const schemas = createHash('sha256');
for (const name of ['operator', 'participant']) schemas.update(readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`)));
const VERSION = [PARSE_VERSION, (require('yaml/package.json') as { version: string }).version, (require(path.join(PROJECT_ROOT, 'package.json')) as { version: string }).version, schemas.digest('hex').slice(0, 16)].join('/');

/**
 * The digest of Prichal's code as it runs (every module under its source folder: dist/src, or src
 * under the test runner), part of what file-rule findings are cached under: a rule changed, or
 * any helper it calls, and the cached findings are not used. About 10 ms for 110 modules, taken
 * once and only by a run that consults file-rule findings (not at start-up of every command).
 */
let code: string | undefined;
function codeDigest(): string {
  if (code !== undefined) return code;
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) hash.update(`${entry.name}\0`).update(readFileSync(file));
    }
  };
  walk(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
  return (code = hash.digest('base64url').slice(0, 22));
}

/** What file-rule findings depend on besides the file: the code, operator.yaml (its digest, or none) and the date. */
export const fileRulesContext = (operatorDigest: string | undefined, at: string) => `${codeDigest()}/${operatorDigest ?? '-'}/${at}`;

export const cacheDir = () => workCacheDir('validation');

/** The cache file of an inventory folder. */
export const cacheLocation = (root: string) => path.join(cacheDir(), `${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 32)}${SUFFIX}`);

export const fileDigest = (file: string, text: string) => createHash('sha256').update(`${VERSION}\0${file}\0${text}`).digest('base64url');

/** Inventories remembered; older caches (throw-away folders, tests) are removed. */
const KEEP = 16;

/**
 * A cache file: JSON in UTF-16LE after its byte-order mark. The participants' data is mostly
 * Cyrillic, and decoding 23 MB of UTF-8 into a JavaScript string took 0.14 s of a warm run;
 * UTF-16LE is JavaScript's own string encoding, read in a twentieth of that (twice the bytes).
 */
const SUFFIX = '.utf16.json';
const BOM = 0xfeff;

/** Read whole with one call: fs/promises reads a file this size chunk by chunk, slower than parsing it. */
export function readCacheFile(file: string): unknown {
  const bytes = readFileSync(file);
  if (bytes.length < 2 || bytes.readUInt16LE(0) !== BOM) throw new Error(`${file} is not a validation cache`);
  return JSON.parse(bytes.toString('utf16le', 2));
}

/**
 * Written as it is serialized, a megabyte at a time: the whole text (46 MB in UTF-16 for 10,000
 * participants) and its encoded copy at once were a cold run's peak of memory. The top-level
 * mappings (entries, stamps) are serialized member by member.
 */
export async function writeCacheFile(file: string, content: Record<string, unknown>): Promise<void> {
  const handle = await open(file, 'w');
  try {
    let pending = `${String.fromCharCode(BOM)}{`;
    const flush = async (last = false) => {
      if (pending.length < 1 << 20 && !last) return;
      await handle.write(Buffer.from(pending, 'utf16le'));
      pending = '';
    };
    const members = (object: object) => Object.entries(object).filter(([, value]) => value !== undefined);
    for (const [i, [key, value]] of members(content).entries()) {
      pending += `${i ? ',' : ''}${JSON.stringify(key)}:`;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        pending += JSON.stringify(value);
        continue;
      }
      pending += '{';
      for (const [j, [k, v]] of members(value).entries()) {
        pending += `${j ? ',' : ''}${JSON.stringify(k)}:${JSON.stringify(v)}`;
        await flush();
      }
      pending += '}';
    }
    pending += '}';
    await flush(true);
  } finally {
    await handle.close();
  }
}

async function prune(dir: string): Promise<void> {
  const names = await readdir(dir);
  // Caches of an earlier format (UTF-8 .json) are never read again.
  await Promise.all(names.filter((n) => n.endsWith('.json') && !n.endsWith(SUFFIX)).map((n) => rm(path.join(dir, n), { force: true })));
  const current = names.filter((n) => n.endsWith(SUFFIX));
  if (current.length <= KEEP) return;
  const aged = await Promise.all(current.map(async (n) => ({ n, at: (await stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  aged.sort((a, b) => b.at - a.at);
  await Promise.all(aged.slice(KEEP).map(({ n }) => rm(path.join(dir, n), { force: true })));
}

/** A file's stamp when it was last read, and the digest of what was read. */
type FileStamp = { stamp: string; digest: string };

/** The file rules' findings per file digest, all found in one context (fileRulesContext). */
type FileFindings = { context: string; findings: Record<string, Finding[]> };

/** A cached parse, with the file it is of (a stamp may vouch only for its own file's parse). */
type Entry = Parsed & { file: string };

interface CacheFile {
  version: string;
  /** Per file digest. */
  entries: Record<string, Entry>;
  /** Per file (relative path). */
  stamps?: Record<string, FileStamp>;
  ruled?: FileFindings;
}

/**
 * A file's identity and last change as stat(2) gives them: device, inode, size, and the
 * modification and status-change times (milliseconds with their fraction, to a fraction of a
 * microsecond). As git's index does, an unchanged stamp stands for unchanged content, so an
 * unchanged file is neither read nor digested. That is safe against edits because any write
 * changes the status-change time (ctime), which no unprivileged process can set back (touch -r
 * and cp -p restore mtime only), and a replaced file has another inode or ctime. The one gap is
 * an edit within the file system's timestamp granularity of the stamp being taken: stamps younger
 * than STAMP_SETTLE_MS are never trusted, so a later write moves ctime by seconds, far beyond the
 * precision kept. (Plain numbers, not stat's BigInt form: formatting 50,000 BigInts cost a warm
 * run of 10,000 files more than the stat calls themselves.)
 */
export function stampOf(stat: Stats): string {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
}

/** Timestamps are taken from a coarse clock (a few milliseconds); two seconds is far beyond that. */
const STAMP_SETTLE_MS = 2_000;
const settled = (stat: Stats) => Date.now() - stat.ctimeMs > STAMP_SETTLE_MS;

export class ParseCache {
  private readonly fresh: Record<string, Entry> = {};
  private readonly freshStamps: Record<string, FileStamp> = {};
  private freshRuled: FileFindings | undefined;
  private changed = false;

  private constructor(
    private readonly location: string,
    private readonly entries: Record<string, Entry>,
    private readonly stamps: Record<string, FileStamp>,
    private readonly ruled: FileFindings | undefined,
  ) {}

  /** The digest of a file whose stamp is the one recorded with its cached parse, else undefined (read it). */
  unchanged(file: string, stat: Stats): string | undefined {
    const known = this.stamps[file];
    if (!known || known.stamp !== stampOf(stat) || this.entries[known.digest]?.file !== file) return undefined;
    this.freshStamps[file] = known;
    return known.digest;
  }

  /** Remembers the stamp of a file just read (when it is settled enough to be trusted next time). */
  stamped(file: string, stat: Stats, digest: string): void {
    if (!settled(stat)) return;
    const stamp = stampOf(stat);
    if (this.stamps[file]?.stamp !== stamp || this.stamps[file]?.digest !== digest) this.changed = true;
    this.freshStamps[file] = { stamp, digest };
  }

  static async open(root: string): Promise<ParseCache> {
    const location = cacheLocation(root);
    let entries: Record<string, Entry> = {};
    let stamps: Record<string, FileStamp> = {};
    let ruled: FileFindings | undefined;
    try {
      const stored = readCacheFile(location) as CacheFile;
      if (stored.version === VERSION && stored.entries && typeof stored.entries === 'object') {
        entries = stored.entries;
        if (stored.stamps && typeof stored.stamps === 'object') stamps = stored.stamps;
        if (typeof stored.ruled?.context === 'string' && stored.ruled.findings && typeof stored.ruled.findings === 'object') ruled = stored.ruled;
      }
    } catch {
      // No cache yet, or one that cannot be read: parse everything and write a new one.
    }
    return new ParseCache(location, entries, stamps, ruled);
  }

  get(digest: string): Parsed | undefined {
    const hit = this.entries[digest];
    if (hit) this.fresh[digest] = hit;
    return hit;
  }

  set(file: string, digest: string, parsed: Parsed): void {
    this.fresh[digest] = { ...parsed, file };
    this.changed = true;
  }

  /** The file rules' findings for a file, when they were found in this context. */
  fileFindings(digest: string, context: string): Finding[] | undefined {
    const hit = this.ruled?.context === context ? this.ruled.findings[digest] : undefined;
    if (hit) this.ruledIn(context)[digest] = hit;
    return hit;
  }

  setFileFindings(digest: string, context: string, findings: Finding[]): void {
    this.ruledIn(context)[digest] = findings;
    this.changed = true;
  }

  /** This run's file-rule findings (one context per run: the operator file and the date are the run's). */
  private ruledIn(context: string): Record<string, Finding[]> {
    if (this.freshRuled?.context !== context) this.freshRuled = { context, findings: {} };
    return this.freshRuled.findings;
  }

  /** Keeps only this run's files (a removed or edited file's old entry goes), written atomically. */
  async save(): Promise<void> {
    const same = (a: object, b: object) => Object.keys(a).length === Object.keys(b).length;
    const sameRuled = this.freshRuled?.context === this.ruled?.context && same(this.freshRuled?.findings ?? {}, this.ruled?.findings ?? {});
    if (!this.changed && same(this.fresh, this.entries) && same(this.freshStamps, this.stamps) && sameRuled) return;
    await mkdir(path.dirname(this.location), { recursive: true });
    const temporary = `${this.location}.${process.pid}.tmp`;
    await writeCacheFile(temporary, { version: VERSION, entries: this.fresh, stamps: this.freshStamps, ...(this.freshRuled ? { ruled: this.freshRuled } : {}) } satisfies CacheFile);
    await rename(temporary, this.location);
    await prune(path.dirname(this.location));
  }
}
