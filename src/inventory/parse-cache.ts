// A cache of parsed inventory files, so an unchanged inventory re-validates without parsing:
// one file per inventory folder under validation/ in the work cache (project.ts: PRICHAL_WORK_CACHE,
// default .state/cache, git-ignored), mapping each file to the digest of its path and text and what parsing gave (UTF-16LE JSON: readCacheFile).
// What is cached is each file's own check (parse and schema, file-check.ts) and the findings of
// the rules that read one participant file at a time (file rules, validate.ts); the rules that
// compare files run every time on the whole model. Any change of Prichal's code (its digest, as
// it runs), the parser (the yaml package), the schema files or Node's time-zone data makes
// another cache, any change of operator.yaml or the date other file-rule findings. A cache that
// cannot be read is ignored and rewritten; so is every entry of one that does not have the shape
// this code writes (checked as each entry is used, so a warm run checks each once).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeFolder, readRegular, readTextOutcome, writeAtomic } from '../files.js';
import { PROJECT_ROOT, SCHEMA_DIR, workCacheDir } from '../project.js';
import { FINDING_CODES, type Finding } from './findings.js';
import type { Parsed } from './parse-pool.js';

const require = createRequire(import.meta.url);

/**
 * The digest of Prichal's code as it runs (every module under its source folder: dist/src, or src
 * under the test runner), part of what parses and file-rule findings are cached under: the parse
 * stage or a rule changed, or any helper they call, and the cached ones are not used. About 10 ms
 * for 110 modules, taken once and only by a run that uses the cache (not at start-up of every
 * command).
 */
let code: string | undefined;
function codeDigest(): string {
  if (code !== undefined) return code;
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
        hash.update(`${entry.name}\0`).update(readFileSync(file));
    }
  };
  walk(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
  return (code = hash.digest('base64url').slice(0, 22));
}

/**
 * What every parse in the cache depends on besides its file: Prichal's code (the parse stage is
 * part of it: a changed message or check is never hidden by a parse an older build cached; no
 * version to remember to bump), the yaml package, the schemas and the time-zone data of this
 * Node (operator.yaml's timeZone is checked against it). Taken once per run, and only by a run
 * that uses the cache.
 */
let version: string | undefined;
function cacheVersion(): string {
  if (version !== undefined) return version;
  const schemas = createHash('sha256');
  for (const name of ['operator', 'participant'])
    schemas.update(readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`)));
  const yaml = (require('yaml/package.json') as { version: string }).version;
  const prichal = (require(path.join(PROJECT_ROOT, 'package.json')) as { version: string }).version;
  const zones = `${process.versions.icu ?? '-'}:${process.versions.tz ?? '-'}`;
  return (version = [codeDigest(), yaml, prichal, schemas.digest('hex').slice(0, 16), zones].join('/'));
}

/** What file-rule findings depend on besides the file: the code, operator.yaml (its digest, or none) and the date. */
export const fileRulesContext = (operatorDigest: string | undefined, at: string) =>
  `${codeDigest()}/${operatorDigest ?? '-'}/${at}`;

export const cacheDir = () => workCacheDir('validation');

/**
 * A cache file: JSON in UTF-16LE after its byte-order mark. The participants' data is mostly
 * Cyrillic, and decoding 23 MB of UTF-8 into a JavaScript string took 0.14 s of a warm run;
 * UTF-16LE is JavaScript's own string encoding, read in a twentieth of that (twice the bytes).
 */
const SUFFIX = '.utf16.json';
const BOM = 0xfeff;

/** The name of a cache file: 32 hex digits (of its inventory folder) and the suffix. Pruning touches nothing else. */
const CACHE_NAME = /^[0-9a-f]{32}\.utf16\.json$/;
/** A cache file's temporary copy (files.ts names it `.<name>.<pid>.<hex>.tmp`; earlier builds `<name>.<pid>.tmp`), left by a killed run. */
const CACHE_TEMPORARY = /^(\.[0-9a-f]{32}\.utf16\.json\.[0-9]+\.[0-9a-f]{8}|[0-9a-f]{32}\.utf16\.json\.[0-9]+)\.tmp$/;
/** A temporary copy older than this is no run's write in progress. */
const TEMPORARY_STALE_MS = 3_600_000;

/** The cache file of an inventory folder. */
export const cacheLocation = (root: string) =>
  path.join(cacheDir(), `${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 32)}${SUFFIX}`);

export const fileDigest = (file: string, text: string) =>
  createHash('sha256').update(`${cacheVersion()}\0${file}\0${text}`).digest('base64url');

/** Inventories remembered; older caches (throw-away folders, tests) are removed. */
const KEEP = 16;

/** Largest cache file read (10,000 participants make about 50 MB). */
const CACHE_LIMIT = 1 << 30;

/**
 * Read whole with one call (fs/promises reads a file this size chunk by chunk, slower than
 * parsing it), by the reading rule (a regular file, opened without blocking: a FIFO put in its
 * place never hangs a run).
 */
export function readCacheFile(file: string): unknown {
  const read = readRegular(file, { limit: CACHE_LIMIT });
  if (!('bytes' in read)) throw new Error(`${file} cannot be read as a validation cache`);
  // Only a cache as this writer left it: its seal is the stamp the file had when written, and any
  // later write (a hand edit, another program, a half-copied file) moves its ctime. The cached
  // parses are trusted as the inventory's own data, so a cache changed behind the writer's back
  // must not be: its data could break the rules downstream. One stat, no hash over 50 MB.
  const seal = readTextOutcome(sealOf(file), { limit: 1024 });
  if (!('text' in seal) || seal.text.trim() !== stampOf(read.stat))
    throw new Error(`${file} was changed after Prichal wrote it`);
  const bytes = read.bytes;
  if (bytes.length < 2 || bytes.readUInt16LE(0) !== BOM) throw new Error(`${file} is not a validation cache`);
  return JSON.parse(bytes.toString('utf16le', 2));
}

/**
 * Written as it is serialized, a megabyte at a time: the whole text (46 MB in UTF-16 for 10,000
 * participants) and its encoded copy at once were a cold run's peak of memory. The top-level
 * mappings (entries, stamps) are serialized member by member. By the writing rule (files.ts): into
 * a temporary file in the same folder, every piece written whole, flushed, renamed over the old
 * cache; a write that fails (a full disk, a value that cannot be serialized) leaves the old cache
 * whole and no temporary file.
 */
export async function writeCacheFile(file: string, content: Record<string, unknown>): Promise<void> {
  await writeAtomic(file, async (write) => {
    let pending = `${String.fromCharCode(BOM)}{`;
    const flush = async (last = false) => {
      if (pending.length < 1 << 20 && !last) return;
      const piece = Buffer.from(pending, 'utf16le');
      pending = '';
      await write(piece);
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
  });
  // The seal (readCacheFile): the stamp of the file just renamed into place.
  await writeAtomic(sealOf(file), `${stampOf(statSync(file))}\n`);
}

/** Where a cache file's seal is kept: beside it. */
const sealOf = (file: string) => `${file}.seal`;

/**
 * Keeps the KEEP most recent caches of the folder and removes temporary copies a killed run left.
 * Only names of the cache's own pattern are touched: PRICHAL_WORK_CACHE may name a folder that
 * holds other files (its own *.json among them).
 */
async function prune(dir: string): Promise<void> {
  const names = await readdir(dir);
  const aged = async (list: string[]) =>
    Promise.all(
      list.map(async (n) => ({ n, at: (await stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })),
    );
  const stale = (await aged(names.filter((n) => CACHE_TEMPORARY.test(n)))).filter(
    ({ at }) => Date.now() - at > TEMPORARY_STALE_MS,
  );
  await Promise.all(stale.map(({ n }) => rm(path.join(dir, n), { force: true })));
  const current = names.filter((n) => CACHE_NAME.test(n));
  if (current.length <= KEEP) return;
  const byAge = await aged(current);
  byAge.sort((a, b) => b.at - a.at);
  await Promise.all(
    byAge
      .slice(KEEP)
      .flatMap(({ n }) => [rm(path.join(dir, n), { force: true }), rm(path.join(dir, sealOf(n)), { force: true })]),
  );
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

// The shape of what a cache holds, checked as each part is used: a cache of the right version
// whose entries are strings, null or lists, whose stamps or findings are of another type (a
// hand edit, a half-written file of an older build, another program's file of that name) is
// not trusted where it is wrong; the entry is parsed or ruled again and the cache rewritten.
// A valid entry costs a few type checks (its findings are usually none).

const CODES: ReadonlySet<string> = new Set(FINDING_CODES);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isFinding(value: unknown): value is Finding {
  return (
    isRecord(value) &&
    CODES.has(value.code as string) &&
    (value.severity === 'error' || value.severity === 'warning') &&
    typeof value.file === 'string' &&
    Number.isInteger(value.line) &&
    Number.isInteger(value.column) &&
    typeof value.path === 'string' &&
    typeof value.message === 'string' &&
    typeof value.ru === 'string'
  );
}

const areFindings = (value: unknown): value is Finding[] => Array.isArray(value) && value.every(isFinding);

/** A parse of `file` as checkFile returns it: its findings, its shape check if any, and data that a passed shape check makes a mapping. */
function isEntry(value: unknown, file: string): value is Entry {
  if (!isRecord(value) || value.file !== file || !areFindings(value.findings)) return false;
  if (value.shape === undefined) return true;
  const shape = value.shape;
  if (!isRecord(shape) || typeof shape.ok !== 'boolean' || !areFindings(shape.findings)) return false;
  return !shape.ok || isRecord(value.data);
}

/** A digest as fileDigest makes it: 43 base64url characters. */
const DIGEST = /^[A-Za-z0-9_-]{43}$/;
const isStamp = (value: unknown): value is FileStamp =>
  isRecord(value) && typeof value.stamp === 'string' && typeof value.digest === 'string' && DIGEST.test(value.digest);

/** A member of a mapping read from a cache, never one of Object's own (a file named `__proto__`). */
const own = <T>(record: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

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
  private readonly fresh: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
  private readonly freshStamps: Record<string, FileStamp> = Object.create(null) as Record<string, FileStamp>;
  private freshRuled: FileFindings | undefined;
  private changed = false;
  /** Whether a parse or file-rule findings were taken from the stored cache. */
  served = false;

  private constructor(
    private readonly location: string,
    private readonly entries: Record<string, unknown>,
    private readonly stamps: Record<string, unknown>,
    private readonly ruled: { context: string; findings: Record<string, unknown> } | undefined,
  ) {}

  /** The cached parse of `file` under `digest`, if the cache holds one of the right shape. */
  private entry(digest: string, file: string): Entry | undefined {
    const hit = own(this.entries, digest);
    return isEntry(hit, file) ? hit : undefined;
  }

  /**
   * The digest of a file whose stamp is the one recorded with its cached parse, else undefined
   * (read it). `stat` is the file's own lstat (load.ts): a symbolic link is never vouched for,
   * whatever it leads to, so it is always read, and judged, by the reading rule.
   */
  unchanged(file: string, stat: Stats): string | undefined {
    const known = own(this.stamps, file);
    if (!isStamp(known) || known.stamp !== stampOf(stat) || !this.entry(known.digest, file)) return undefined;
    this.freshStamps[file] = known;
    return known.digest;
  }

  /** Remembers the stamp of a file just read (when it is settled enough to be trusted next time). */
  stamped(file: string, stat: Stats, digest: string): void {
    if (!settled(stat)) return;
    const stamp = stampOf(stat);
    const known = own(this.stamps, file);
    if (!isStamp(known) || known.stamp !== stamp || known.digest !== digest) this.changed = true;
    this.freshStamps[file] = { stamp, digest };
  }

  /** The cache of an inventory folder; with `rewrite`, what it holds is not read (every file is parsed, the cache written anew). */
  static async open(root: string, rewrite = false): Promise<ParseCache> {
    const location = cacheLocation(root);
    let entries: Record<string, unknown> = {};
    let stamps: Record<string, unknown> = {};
    let ruled: { context: string; findings: Record<string, unknown> } | undefined;
    if (rewrite) return new ParseCache(location, entries, stamps, ruled);
    try {
      const stored = readCacheFile(location);
      if (isRecord(stored) && stored.version === cacheVersion() && isRecord(stored.entries)) {
        entries = stored.entries;
        if (isRecord(stored.stamps)) stamps = stored.stamps;
        if (isRecord(stored.ruled) && typeof stored.ruled.context === 'string' && isRecord(stored.ruled.findings))
          ruled = { context: stored.ruled.context, findings: stored.ruled.findings };
      }
    } catch {
      // No cache yet, or one that cannot be read: parse everything and write a new one.
    }
    return new ParseCache(location, entries, stamps, ruled);
  }

  /** The cached parse of `file` (its path and text digested as `digest`), if there is one of the right shape. */
  get(digest: string, file: string): Parsed | undefined {
    const hit = this.entry(digest, file);
    if (hit) {
      this.fresh[digest] = hit;
      this.served = true;
    }
    return hit;
  }

  set(file: string, digest: string, parsed: Parsed): void {
    this.fresh[digest] = { ...parsed, file };
    this.changed = true;
  }

  /** The file rules' findings for a file, when they were found in this context (and have a finding's shape). */
  fileFindings(digest: string, context: string): Finding[] | undefined {
    const hit = this.ruled?.context === context ? own(this.ruled.findings, digest) : undefined;
    if (!areFindings(hit)) return undefined;
    this.ruledIn(context)[digest] = hit;
    this.served = true;
    return hit;
  }

  setFileFindings(digest: string, context: string, findings: Finding[]): void {
    this.ruledIn(context)[digest] = findings;
    this.changed = true;
  }

  /** This run's file-rule findings (one context per run: the operator file and the date are the run's). */
  private ruledIn(context: string): Record<string, Finding[]> {
    if (this.freshRuled?.context !== context)
      this.freshRuled = { context, findings: Object.create(null) as Record<string, Finding[]> };
    return this.freshRuled.findings;
  }

  /**
   * Keeps only this run's files (a removed or edited file's old entry goes, and so does one not
   * of the right shape), written by the writing rule: a failed write leaves the old cache whole.
   */
  async save(): Promise<void> {
    const same = (a: object, b: object) => Object.keys(a).length === Object.keys(b).length;
    const sameRuled =
      this.freshRuled?.context === this.ruled?.context &&
      same(this.freshRuled?.findings ?? {}, this.ruled?.findings ?? {});
    if (!this.changed && same(this.fresh, this.entries) && same(this.freshStamps, this.stamps) && sameRuled) return;
    await makeFolder(path.dirname(this.location));
    await writeCacheFile(this.location, {
      version: cacheVersion(),
      entries: this.fresh,
      stamps: this.freshStamps,
      ...(this.freshRuled ? { ruled: this.freshRuled } : {}),
    } satisfies CacheFile);
    await prune(path.dirname(this.location));
  }
}
