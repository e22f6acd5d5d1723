// Applies an edge's firewall: replace only Prichal's table, atomically, then prove it. The
// ruleset is uploaded and checked against its SHA-256 before nft sees it, so a connection lost
// halfway applies nothing; nft loads delete-and-recreate as one kernel transaction, so the host
// holds the complete old or the complete new table, never a mix. After loading, the table is
// read back and compared with the plan; any error or difference restores the saved table.
import { createHash } from 'node:crypto';
import type { PlannedEdge } from '../plan/index.js';
import { compareTables, NFT, parseNftJson, plannedTable, PRICHAL_TABLE, PRICHAL_TABLE_KEY, renderEdgeRuleset, replaceTableTransaction, type TableDifference } from '../render/index.js';
import type { SshConnection } from './ssh.js';

export { NFT };
const TABLE = PRICHAL_TABLE_KEY;
const BACKUP_DIR = '.prichal';
const BACKUP = `${BACKUP_DIR}/backup.json`;

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

export interface ApplyResult {
  edge: string;
  previous: 'absent' | 'present';
  bytes: number;
  durationMs: number;
}

export async function readTable(conn: SshConnection) {
  const result = await conn.exec(`${NFT} -j list table ${TABLE}`, { allowFailure: true });
  if (result.exitCode !== 0) return undefined;
  return parseNftJson(result.stdout).get(TABLE);
}

/** Removes Prichal's table, and nothing else; a table that is already gone is not an error. */
export async function removeEdgeFirewall(conn: SshConnection): Promise<void> {
  await loadVerified(conn, `table ${TABLE}\ndelete table ${TABLE}\n`);
}

/** Uploads `text`, verifies its checksum on the host, and only then runs `nft -f` on it. */
export async function loadVerified(conn: SshConnection, text: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const sha = createHash('sha256').update(text).digest('hex');
  const command = `f=$(mktemp /tmp/prichal.XXXXXX.nft) && cat > "$f" && echo "${sha}  $f" | sha256sum -c --quiet - && ${NFT} -f "$f"; rc=$?; rm -f "$f"; exit $rc`;
  await conn.exec(command, { stdin: text, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
}

/**
 * Saves the live table on the host itself (nft's JSON, restorable with `nft -j -f`), so a
 * 10,000-participant table is never shipped to the client just to be kept. Returns whether
 * there was a table to save.
 */
async function backupOnHost(conn: SshConnection): Promise<'present' | 'absent'> {
  const result = await conn.exec(
    `mkdir -p ${BACKUP_DIR} && if ${NFT} -j list table ${TABLE} > ${BACKUP}.tmp 2>/dev/null; then mv ${BACKUP}.tmp ${BACKUP}; echo present; else rm -f ${BACKUP}.tmp ${BACKUP}; echo absent; fi`,
  );
  return result.stdout.trim() === 'present' ? 'present' : 'absent';
}

/**
 * Puts the saved table back in one transaction: the listing is spliced after an add+delete of
 * the table, so nft replaces it atomically exactly as a normal apply does.
 */
async function restoreOnHost(conn: SshConnection, previous: 'present' | 'absent'): Promise<void> {
  if (previous === 'absent') return removeEdgeFirewall(conn);
  const head = `{"add":{"table":{"family":"${PRICHAL_TABLE.family}","name":"${PRICHAL_TABLE.name}"}}},{"delete":{"table":{"family":"${PRICHAL_TABLE.family}","name":"${PRICHAL_TABLE.name}"}}},`;
  await conn.exec(`sed '1s/^{"nftables": \\[/{"nftables": [${head}/' ${BACKUP} > ${BACKUP}.restore && ${NFT} -j -f ${BACKUP}.restore; rc=$?; rm -f ${BACKUP}.restore; exit $rc`, { timeoutMs: 300_000 });
}

export interface ApplyTimings {
  backupMs: number;
  loadMs: number;
  readBackMs: number;
}

/**
 * Every apply reloads the table: the reload is atomic, so repeating it is harmless, and a
 * hand-edited table is repaired even when the plan did not change.
 */
export async function applyEdgeFirewall(conn: SshConnection, edge: PlannedEdge, timings?: ApplyTimings): Promise<ApplyResult> {
  const started = performance.now();
  const planned = plannedTable(edge);
  const text = replaceTableTransaction(renderEdgeRuleset(edge).text);
  const previous = await backupOnHost(conn);
  const loadStart = performance.now();
  const base = { edge: edge.id, previous, bytes: Buffer.byteLength(text) } as const;
  try {
    await loadVerified(conn, text, { timeoutMs: 300_000 });
  } catch (error) {
    // nft's transaction failed as a whole; restoring is harmless and covers a partial host-side failure.
    const rolledBack = await restoreOnHost(conn, previous).then(() => true, () => false);
    throw new FirewallApplyError(edge.id, `${edge.id}: loading the ruleset failed${rolledBack ? '; the previous table is restored' : ''}: ${(error as Error).message}`, [], rolledBack, error);
  }
  const readStart = performance.now();
  const live = await readTable(conn);
  if (timings) Object.assign(timings, { backupMs: loadStart - started, loadMs: readStart - loadStart, readBackMs: performance.now() - readStart });
  const differences = compareTables(planned, live);
  if (differences.length) {
    const rolledBack = await restoreOnHost(conn, previous).then(() => true, () => false);
    throw new FirewallApplyError(edge.id, `${edge.id}: the loaded table differs from the plan (${differences.slice(0, 3).map((d) => d.message).join('; ')}); ${rolledBack ? 'the previous table is restored' : 'RESTORE FAILED'}`, differences, rolledBack);
  }
  return { ...base, durationMs: performance.now() - started };
}
