// Applies an edge's firewall: change only Prichal's table, atomically, then prove it.
//
// The host keeps a record of what Prichal last applied and verified (in ~/.prichal: the
// transaction of the last full apply, the journal of deltas since, and applied.meta with the
// digests of the plan, its layout and both files). With it:
//   - a plan that differs from the record only in set elements is applied as a DELTA: one nft
//     transaction of `delete element` / `create element`, checked element by element with a
//     check-only transaction (`nft -c`) — cost in proportion to the change, not to the table;
//   - a full replace needs no fresh listing for its rollback copy: the record is the old table.
// Without a record (first apply, a table someone else made), with a different layout, or when
// the kernel refuses the delta, the table is replaced whole (delete and recreate in one
// transaction), the rollback copy being a listing of the live table.
//
// Why trusting the record is safe against hand edits: a delta's `delete` of an element that is
// not there and `create` of one that already is make the kernel refuse the whole batch, so an
// edit touching what the delta changes sends the apply down the full path; edits elsewhere
// survive a delta apply but never go unseen — drift compares the full listing with the plan,
// the engine's refresh records them, and an update with recorded differences (or
// `firewall apply --full`) replaces the table. The record is removed before every load and
// written only after verification, so an apply cut short leaves no record to trust.
//
// A copy of the record's elements is kept on the client too (the work cache), so that a delta
// neither fetches nor unpacks the host's record. It is used only when the host's applied.meta
// names the very plan the copy was saved for and the copy's own digest holds; otherwise the
// host's record is read. The host stays the authority: another engineer's apply changes its
// meta, and the copy is simply not used.
//
// Every upload is checked against its SHA-256 on the host before nft sees it, so a connection
// lost halfway applies nothing; any verification failure restores the previous table.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { makeFolder, readText, writeAtomic } from '../files.js';
import { workCacheDir } from '../project.js';
import type { PlannedEdge } from '../plan/index.js';
import {
  compareTables,
  deltaCheck,
  deltaSize,
  deltaTransaction,
  blockElements,
  elementBlock,
  noElements,
  recordDelta,
  recordElements,
  NFT,
  parseNftJson,
  plannedTable,
  PRICHAL_TABLE,
  PRICHAL_TABLE_KEY,
  renderedElements,
  renderEdgeRuleset,
  replaceTableTransaction,
  rulesetLayout,
  SET_NAMES,
  type RecordElements,
  type RulesetDelta,
  type SetName,
  type TableDifference,
} from '../render/index.js';
import { HOST_DIR, locked } from './edge-lock.js';
import type { SshConnection } from './ssh.js';

export { NFT };
const TABLE = PRICHAL_TABLE_KEY;
const DIR = HOST_DIR;
const BACKUP = `${DIR}/backup.json`;
/** The transaction of the last full apply Prichal loaded and verified on this host, gzip-compressed. */
const RECORD = `${DIR}/applied.nft.gz`;
/** The delta transactions applied and verified since, in order: base + journal, loaded as one file, is the live table. */
const JOURNAL = `${DIR}/applied.journal`;
/** "<plan sha> <layout sha> <base file sha> <journal sha>"; present only while the record is trustworthy. */
const RECORD_META = `${DIR}/applied.meta`;
/** Past this size the journal is folded into a new base (one upload of the whole table, compressed). */
const JOURNAL_LIMIT = 256 * 1024;
/** The upload of the apply in progress; becomes the record once verified. */
const NEXT = `${DIR}/next.nft.gz`;
const LOAD_TIMEOUT_MS = 300_000;

export class FirewallApplyError extends Error {
  override readonly name = 'FirewallApplyError';
  constructor(
    readonly edge: string,
    message: string,
    readonly differences: TableDifference[] = [],
    readonly rolledBack: boolean,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export type ApplyMode = 'unchanged' | 'delta' | 'full';

export interface ApplyResult {
  edge: string;
  mode: ApplyMode;
  /** Why a full replace was needed (absent for a delta or no change). */
  reason?: string;
  previous: 'absent' | 'present';
  /** Bytes sent to nft: the delta or the whole table. */
  bytes: number;
  added: number;
  removed: number;
  durationMs: number;
}

/** Where an apply spends its time, phase by phase (the benchmark prints these). */
export interface ApplyTimings {
  renderMs: number;
  /** Reading the record (and, for a delta, fetching the previous ruleset) or taking the backup listing. */
  recordMs: number;
  /** Computing the delta from the record to the plan. */
  diffMs: number;
  /** Upload, checksum, nft transaction. */
  loadMs: number;
  verifyMs: number;
  /** Storing the new record. */
  commitMs: number;
}

export interface ApplyOptions {
  /** Replace the table whole even when a delta would do (converges any hand edit). */
  full?: boolean;
  /**
   * After a full replace: 'layout' (default) reads chains and set declarations, which cost
   * milliseconds; 'full' lists the whole table and compares rules and elements too. Elements and
   * rules need no read-back to be trusted: the upload's checksum ties nft's input to the plan,
   * the renderer writes only elements nft stores as written, and the transaction loads all or
   * nothing. A delta is always checked element by element.
   */
  verify?: 'layout' | 'full';
  timings?: ApplyTimings;
  /** Runs between the load and its verification (tests tamper here). */
  beforeVerify?: (conn: SshConnection) => Promise<void>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export async function readTable(conn: SshConnection) {
  const result = await conn.exec(`${NFT} -j list table ${TABLE}`, { allowFailure: true });
  if (result.exitCode !== 0) return undefined;
  return parseNftJson(result.stdout).get(TABLE);
}

/** Chains (no rules) and set declarations (no elements): the listings that cost milliseconds at any size. */
async function readLayout(conn: SshConnection) {
  const result = await conn.exec(`${NFT} -j list chains && ${NFT} -j -t list sets`);
  const tables = result.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map(parseNftJson);
  const found = tables.map((t) => t.get(TABLE)).filter((t) => t !== undefined);
  if (!found.length) return undefined;
  return {
    ...found[0]!,
    chains: Object.assign({}, ...found.map((t) => t.chains)),
    sets: Object.assign({}, ...found.map((t) => t.sets)),
  };
}

/** Removes Prichal's table and its record, and nothing else; a table that is already gone is not an error. */
export async function removeEdgeFirewall(conn: SshConnection): Promise<void> {
  await locked(conn, `rm -f ${RECORD_META} ${RECORD} ${JOURNAL} ${NEXT}`);
  await loadVerified(conn, `table ${TABLE}\ndelete table ${TABLE}\n`);
}

/** A shell step that holds only when `file` (a path or "$f") has the SHA-256 of `data`. */
const checksumHolds = (file: string, data: string | Buffer) =>
  `echo "${sha256(data)}  ${file}" | sha256sum -c --quiet -`;

/** A shell step that runs nft on a temporary file `fill` writes into "$f" (and checks), removing it whatever happens. */
const nftOnFile = (fill: string, flags = '') =>
  `f=$(mktemp /tmp/prichal.XXXXXX.nft) && ${fill} && ${NFT} ${flags}-f "$f"; rc=$?; rm -f "$f"; exit $rc`;

/**
 * Uploads `text`, verifies its checksum on the host, and only then runs `nft -f` on it (`-c`: check
 * only). `first`: a shell step run before, in the same command (one round trip less).
 */
export async function loadVerified(
  conn: SshConnection,
  text: string,
  options: { timeoutMs?: number; check?: boolean; first?: string } = {},
): Promise<void> {
  const load = nftOnFile(`cat > "$f" && ${checksumHolds('"$f"', text)}`, options.check ? '-c ' : '');
  const command = options.first ? `${options.first} && ${load}` : load;
  await locked(conn, command, { stdin: text, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
}

/** nft's own error line out of a failed command's message (the first line naming an Error), else `fallback`. */
const nftError = (message: string, fallback: string) =>
  message.split('\n').find((l) => l.includes('Error')) ?? fallback;

interface RecordMeta {
  /** sha256 of the planned ruleset the live table is. */
  sha: string;
  layout: string;
  /** sha256 of the base file (compressed) and of the journal, as stored. */
  base: string;
  journal: string;
  /** The journal's size on the host (not part of the meta line): past JOURNAL_LIMIT it is folded. */
  journalBytes: number;
}

const RECORD_TAMPERED = 'the record on the host does not match its digests';

const metaLine = (m: Omit<RecordMeta, 'journalBytes'>) => `${m.sha} ${m.layout} ${m.base} ${m.journal}`;

/**
 * The record's digests, if the host has a record; `intact` says whether its files are what the
 * digests say (hashed on the host, a few milliseconds), since both the delta and the rollback
 * copy of a full replace rely on them.
 */
async function readRecordMeta(
  conn: SshConnection,
  onStarted?: () => void,
): Promise<(RecordMeta & { intact: boolean }) | undefined> {
  const result = await locked(
    conn,
    `cat ${RECORD_META} 2>/dev/null && stat -c %s ${JOURNAL} && sha256sum ${RECORD} ${JOURNAL}`,
    { allowFailure: true, ...(onStarted ? { onStarted } : {}) },
  );
  const [line, size, baseSum, journalSum] = result.stdout.trim().split('\n');
  const [sha, layout, base, journal] = (line ?? '').split(' ');
  const journalBytes = Number(size);
  if (result.exitCode !== 0 || !sha || !layout || !base || !journal || !Number.isInteger(journalBytes))
    return undefined;
  const intact = baseSum?.split(' ')[0] === base && journalSum?.split(' ')[0] === journal;
  return { sha, layout, base, journal, journalBytes, intact };
}

/** The record's elements: the client's copy when it is the plan the host's meta names, else the host's files if they are what the meta says. */
async function readRecord(
  conn: SshConnection,
  meta: RecordMeta,
  local: LocalRecord | undefined,
): Promise<RecordElements | undefined> {
  if (local?.sha === meta.sha) return local.record;
  const [base, journal] = await Promise.all([
    locked(conn, `cat ${RECORD}`, { allowFailure: true }),
    locked(conn, `cat ${JOURNAL}`, { allowFailure: true }),
  ]);
  if (
    base.exitCode !== 0 ||
    journal.exitCode !== 0 ||
    sha256(base.stdoutBytes) !== meta.base ||
    sha256(journal.stdoutBytes) !== meta.journal
  )
    return undefined;
  return recordElements(gunzipSync(base.stdoutBytes).toString('utf8'), journal.stdout);
}

export const localRecordFile = (edge: string) =>
  path.join(workCacheDir('firewall'), `${sha256(edge).slice(0, 32)}.elements`);

/**
 * The client's copy of what a verified apply left on an edge: the plan's sha on the first line,
 * then exactly the text that sha digests (the layout, then each set's name and element block, in
 * SET_NAMES order; renderForApply). Its digest is therefore its own integrity check and its
 * identity at once: a copy whose text does not digest to the sha the host's meta names is not used.
 */
async function saveLocalRecord(edge: string, rendered: Rendered): Promise<void> {
  const file = localRecordFile(edge);
  // A copy that cannot be written costs the next delta its speed (the host's record is read), never its result.
  const write = async () => {
    await makeFolder(path.dirname(file));
    // Piece by piece (no 7 MB string is built for it), by the writing rule: each piece written
    // whole, flushed, renamed over the old copy; a failed write leaves the old copy and no temporary file.
    await writeAtomic(file, async (put) => {
      for (const piece of [`${rendered.sha}\n`, ...rendered.digested]) await put(piece);
    });
  };
  await write().catch(() => undefined);
}

/** The client's copy of a record: the plan it is of, and its elements. */
type LocalRecord = { sha: string; record: RecordElements };

/** The client's copy, if its text digests to the plan it names (else it is not used). */
function readLocalRecord(edge: string): LocalRecord | undefined {
  try {
    // By the reading rule (a FIFO or device put there never hangs an apply); 7 MB at 100,000 elements.
    const text = readText(localRecordFile(edge), { limit: 256 * 1024 * 1024 });
    const newline = text.indexOf('\n');
    const sha = text.slice(0, newline);
    const body = text.slice(newline + 1);
    if (sha256(body) !== sha) return undefined;
    // The sets' headers, from the end: an element block never holds a line that is only a set's name.
    const blocks = {} as Record<SetName, string>;
    let end = body.length;
    for (const set of [...SET_NAMES].reverse()) {
      const header = body.lastIndexOf(`\n${set}\n`, end);
      if (header < 0) return undefined;
      blocks[set] = body.slice(header + set.length + 2, end);
      end = header;
    }
    return { sha, record: { created: noElements(), blocks } };
  } catch {
    return undefined;
  }
}

/**
 * Saves the live table on the host itself (nft's JSON, restorable with `nft -j -f`), so a
 * 10,000-participant table is never shipped to the client just to be kept. Returns whether
 * there was a table to save. Only needed when there is no record to restore from.
 */
async function backupListing(conn: SshConnection): Promise<'present' | 'absent'> {
  const result = await locked(
    conn,
    `if ${NFT} -j list table ${TABLE} > ${BACKUP}.tmp 2>/dev/null; then mv ${BACKUP}.tmp ${BACKUP}; echo present; else rm -f ${BACKUP}.tmp ${BACKUP}; echo absent; fi`,
    { timeoutMs: LOAD_TIMEOUT_MS },
  );
  return result.stdout.trim() === 'present' ? 'present' : 'absent';
}

/** What a failed apply puts back: the record (Prichal's last verified table), a listing, or no table. */
type RollbackCopy = 'record' | 'listing' | 'absent';

/** Puts the previous table back in one transaction, as atomically as an apply. The record stays untrusted. */
async function restore(conn: SshConnection, copy: RollbackCopy): Promise<void> {
  if (copy === 'absent') return removeEdgeFirewall(conn);
  if (copy === 'record') {
    // Base and journal in one file: one transaction (replace the table, then the element edits).
    await locked(conn, nftOnFile(`gunzip -c ${RECORD} > "$f" && cat ${JOURNAL} >> "$f"`), {
      timeoutMs: LOAD_TIMEOUT_MS,
    });
    return;
  }
  // The listing is spliced after an add+delete of the table, so nft replaces it atomically.
  const head = `{"add":{"table":{"family":"${PRICHAL_TABLE.family}","name":"${PRICHAL_TABLE.name}"}}},{"delete":{"table":{"family":"${PRICHAL_TABLE.family}","name":"${PRICHAL_TABLE.name}"}}},`;
  await locked(
    conn,
    `sed '1s/^{"nftables": \\[/{"nftables": [${head}/' ${BACKUP} > ${BACKUP}.restore && ${NFT} -j -f ${BACKUP}.restore; rc=$?; rm -f ${BACKUP}.restore; exit $rc`,
    { timeoutMs: LOAD_TIMEOUT_MS },
  );
}

/** Sends a new base (compressed, checksummed) and forgets the old record's trust: from here on an interruption means "full next time". */
async function uploadNext(conn: SshConnection, compressed: Buffer): Promise<void> {
  await locked(conn, `rm -f ${RECORD_META} && cat > ${NEXT} && ${checksumHolds(NEXT, compressed)}`, {
    stdin: compressed,
    timeoutMs: LOAD_TIMEOUT_MS,
  });
}

/** The verified upload becomes the base with an empty journal, then the meta that makes it trusted (each step a rename). */
async function commitBase(conn: SshConnection, edge: string, rendered: Rendered, compressed: Buffer): Promise<void> {
  const meta = metaLine({ sha: rendered.sha, layout: rendered.layout, base: sha256(compressed), journal: sha256('') });
  await Promise.all([
    locked(
      conn,
      `mv ${NEXT} ${RECORD} && : > ${JOURNAL} && echo "${meta}" > ${RECORD_META}.tmp && mv ${RECORD_META}.tmp ${RECORD_META}`,
    ),
    saveLocalRecord(edge, rendered),
  ]);
}

/**
 * The verified delta joins the journal, then the meta that makes the record trusted again. The
 * host digests its journal itself, so the client never needs the journal's text.
 */
async function commitJournal(
  conn: SshConnection,
  edge: string,
  rendered: Rendered,
  meta: RecordMeta,
  delta: string,
): Promise<void> {
  const prefix = `${rendered.sha} ${meta.layout} ${meta.base}`;
  // The delta lands in a file of its own and joins the journal only once its checksum holds: a
  // connection lost mid-upload leaves the journal as it was (and the record untrusted).
  const part = `${JOURNAL}.part`;
  // The copy is written while the host commits: one that names a plan the host's meta does not
  // (the commit failed) is never used, so the order does not matter.
  await Promise.all([
    locked(
      conn,
      `cat > ${part} && ${checksumHolds(part, delta)} && cat ${part} >> ${JOURNAL} && rm -f ${part} && j=$(sha256sum < ${JOURNAL}) && echo "${prefix} \${j%% *}" > ${RECORD_META}.tmp && mv ${RECORD_META}.tmp ${RECORD_META}`,
      { stdin: delta },
    ),
    saveLocalRecord(edge, rendered),
  ]);
}

interface Rendered {
  elements: Record<SetName, string[]>;
  /** Each set's element block (elementBlock), as the plan's sha digests it. */
  blocks: Record<SetName, string>;
  /** The whole transaction, built only when a full load or a new base needs it. */
  text: () => string;
  /** Identifies the plan's table: the digest of its layout and its element blocks (`digested`). */
  sha: string;
  layout: string;
  /** The text `sha` digests, in pieces: the layout, then each set's name and element block (the client's record copy). */
  digested: string[];
}

function renderForApply(edge: PlannedEdge): Rendered {
  const rendered = renderedElements(edge);
  const layoutText = rulesetLayout(edge);
  const blocks = {} as Record<SetName, string>;
  const elements = noElements();
  const digested = [layoutText];
  for (const set of SET_NAMES) {
    blocks[set] = elementBlock(rendered[set]);
    digested.push(`\n${set}\n`, blocks[set]);
    // The elements again, as slices of their block: flat strings, where a rendered element is a
    // concatenation that any comparison would flatten one by one (the delta from the host's
    // record compares element lists; the one from the client's copy compares the blocks).
    elements[set] = blockElements(blocks[set]);
  }
  const digest = createHash('sha256');
  for (const piece of digested) digest.update(piece);
  let text: string | undefined;
  return {
    elements,
    blocks,
    sha: digest.digest('hex'),
    layout: sha256(layoutText),
    digested,
    text: () => (text ??= replaceTableTransaction(renderEdgeRuleset(edge, elements).text)),
  };
}

/**
 * One apply, whichever way is cheapest and safe: nothing (the record is the plan and the layout
 * reads as planned), a delta, or a full replace. Both `prichal firewall apply` and the engine's
 * edge provider call this.
 */
export async function applyEdgeFirewall(
  conn: SshConnection,
  edge: PlannedEdge,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const started = performance.now();
  const timings: ApplyTimings = { renderMs: 0, recordMs: 0, diffMs: 0, loadMs: 0, verifyMs: 0, commitMs: 0 };
  const phase = async <T>(name: keyof ApplyTimings, work: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    try {
      return await work();
    } finally {
      timings[name] += performance.now() - t;
    }
  };
  const finish = (result: Omit<ApplyResult, 'edge' | 'durationMs'>): ApplyResult => {
    if (options.timings) Object.assign(options.timings, timings);
    return { edge: edge.id, ...result, durationMs: performance.now() - started };
  };
  // The meta is asked for first: the host hashes its record files while this client renders. The
  // render waits until the host runs the command: opening the channel takes this process's event
  // loop, which a render of 100,000 elements would hold until it ends.
  let hostRuns!: () => void;
  const running = new Promise<void>((resolve) => (hostRuns = resolve));
  const metaRead = readRecordMeta(conn, hostRuns);
  metaRead.catch(() => undefined); // awaited below; this only keeps a failure from counting as unhandled meanwhile
  await phase('recordMs', () =>
    Promise.race([
      running,
      metaRead.then(
        () => undefined,
        () => undefined,
      ),
    ]),
  );
  const rendered = await phase('renderMs', () => renderForApply(edge));
  // The client's copy of the record is read (and digested) while the host answers.
  const local = options.full ? undefined : await phase('recordMs', () => readLocalRecord(edge.id));
  const meta = await phase('recordMs', () => metaRead);
  // Whether the record is the live table: true unless the host or the kernel said otherwise
  // (a forced full apply is how hand edits are repaired, so it lists what it replaces).
  let recordIsLive = meta !== undefined && meta.intact && !options.full;
  let reason = options.full
    ? 'a full replace was asked for'
    : !meta
      ? 'no record of a verified apply on the host'
      : !meta.intact
        ? RECORD_TAMPERED
        : meta.layout !== rendered.layout
          ? 'the chain or set layout changes'
          : undefined;

  if (!reason && meta!.sha === rendered.sha) {
    // Nothing to change: the layout is read (milliseconds) so a tampered chain is not let pass.
    const live = await phase('verifyMs', () => readLayout(conn));
    const differences = compareTables(plannedTable(edge), live, 'layout');
    if (!differences.length) return finish({ mode: 'unchanged', previous: 'present', bytes: 0, added: 0, removed: 0 });
    reason = `the live table differs from the record (${differences[0]!.message})`;
    recordIsLive = false;
  }
  if (!reason) {
    const record = await phase('recordMs', () => readRecord(conn, meta!, local));
    if (record === undefined) {
      reason = RECORD_TAMPERED;
      recordIsLive = false;
    } else {
      const delta = await phase('diffMs', () => recordDelta(record, rendered.elements, rendered.blocks));
      const refused = await applyDelta(conn, edge, rendered, delta, meta!, options, phase);
      if (!refused) {
        const added = SET_NAMES.reduce((n, s) => n + delta[s].add.length, 0);
        return finish({
          mode: 'delta',
          previous: 'present',
          bytes: Buffer.byteLength(deltaTransaction(delta)),
          added,
          removed: deltaSize(delta) - added,
        });
      }
      reason = refused;
      recordIsLive = false;
    }
  }
  const full = await applyFull(conn, edge, rendered, recordIsLive, options, phase);
  return finish({
    mode: 'full',
    reason: reason!,
    previous: full.previous,
    bytes: Buffer.byteLength(rendered.text()),
    added: 0,
    removed: 0,
  });
}

type Phase = <T>(name: keyof ApplyTimings, work: () => Promise<T> | T) => Promise<T>;

/**
 * The delta path. Returns nothing when applied, or the reason to replace the table whole when
 * the kernel refused the batch (the live set is not what the record says; nothing changed). A
 * delta that loads but fails its check is rolled back to the record and reported as an error.
 */
async function applyDelta(
  conn: SshConnection,
  edge: PlannedEdge,
  rendered: Rendered,
  delta: RulesetDelta,
  meta: RecordMeta,
  options: ApplyOptions,
  phase: Phase,
): Promise<string | undefined> {
  const transaction = deltaTransaction(delta);
  try {
    await phase('loadMs', async () => {
      // The record is no longer trusted from before the delta loads (in the same command).
      if (transaction) await loadVerified(conn, transaction, { first: `rm -f ${RECORD_META}` });
      else await locked(conn, `rm -f ${RECORD_META}`);
    });
  } catch (error) {
    const message = (error as Error).message;
    if (/No such file or directory|File exists/.test(message))
      return `the kernel refused the delta: the live table is not the record (${nftError(message, 'element mismatch')})`;
    throw new FirewallApplyError(
      edge.id,
      `${edge.id}: the delta was not applied (the kernel applies it whole or not at all): ${message}`,
      [],
      true,
      error,
    );
  }
  await options.beforeVerify?.(conn);
  const check = await phase('verifyMs', () =>
    transaction
      ? loadVerified(conn, deltaCheck(delta), { check: true }).then(
          () => undefined,
          (e: Error) => e,
        )
      : undefined,
  );
  if (check) {
    const rolledBack = await restore(conn, 'record').then(
      () => true,
      () => false,
    );
    throw new FirewallApplyError(
      edge.id,
      `${edge.id}: after the delta, the changed elements are not as planned (${nftError(check.message, check.message)}); ${rolledBack ? 'the previous table is restored' : 'RESTORE FAILED'}`,
      [],
      rolledBack,
      check,
    );
  }
  await phase('commitMs', async () => {
    if (meta.journalBytes + Buffer.byteLength(transaction) <= JOURNAL_LIMIT)
      return commitJournal(conn, edge.id, rendered, meta, transaction);
    // The journal has grown: the live table (verified to be the plan) becomes the new base.
    const compressed = gzipSync(rendered.text(), { level: 1 });
    await uploadNext(conn, compressed);
    await commitBase(conn, edge.id, rendered, compressed);
  });
  return undefined;
}

/** The full path: replace the table in one transaction, verify, keep the rollback copy until then. */
async function applyFull(
  conn: SshConnection,
  edge: PlannedEdge,
  rendered: Rendered,
  recordIsLive: boolean,
  options: ApplyOptions,
  phase: Phase,
): Promise<{ previous: 'absent' | 'present' }> {
  // The record is the live table only when the host says so and nothing since contradicted it;
  // otherwise the live table is listed, so a rollback puts back exactly what was there.
  const copy: RollbackCopy = recordIsLive
    ? 'record'
    : await phase('recordMs', async () => ((await backupListing(conn)) === 'present' ? 'listing' : 'absent'));
  const previous = copy === 'absent' ? 'absent' : 'present';
  const text = await phase('renderMs', () => rendered.text());
  const compressed = await phase('loadMs', () => gzipSync(text, { level: 1 }));
  try {
    await phase('loadMs', async () => {
      await uploadNext(conn, compressed);
      await locked(conn, nftOnFile(`gunzip -c ${NEXT} > "$f" && ${checksumHolds('"$f"', text)}`), {
        timeoutMs: LOAD_TIMEOUT_MS,
      });
    });
  } catch (error) {
    // nft's transaction failed as a whole; restoring is harmless and covers a partial host-side failure.
    const rolledBack = await restore(conn, copy).then(
      () => true,
      () => false,
    );
    throw new FirewallApplyError(
      edge.id,
      `${edge.id}: loading the ruleset failed${rolledBack ? '; the previous table is restored' : ''}: ${(error as Error).message}`,
      [],
      rolledBack,
      error,
    );
  }
  await options.beforeVerify?.(conn);
  const differences = await phase('verifyMs', async () =>
    options.verify === 'full'
      ? compareTables(plannedTable(edge), await readTable(conn))
      : compareTables(plannedTable(edge), await readLayout(conn), 'layout'),
  );
  if (differences.length) {
    const rolledBack = await restore(conn, copy).then(
      () => true,
      () => false,
    );
    throw new FirewallApplyError(
      edge.id,
      `${edge.id}: the loaded table differs from the plan (${differences
        .slice(0, 3)
        .map((d) => d.message)
        .join('; ')}); ${rolledBack ? 'the previous table is restored' : 'RESTORE FAILED'}`,
      differences,
      rolledBack,
    );
  }
  await phase('commitMs', () => commitBase(conn, edge.id, rendered, compressed));
  return { previous };
}
