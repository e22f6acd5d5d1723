// Applies an edge's firewall: replace only Prichal's table, atomically, then prove it. The
// ruleset is uploaded and checked against its SHA-256 before nft sees it, so a connection lost
// halfway applies nothing; nft loads delete-and-recreate as one kernel transaction, so the host
// holds the complete old or the complete new table, never a mix. After loading, the table is
// read back and compared with the plan; any error or difference restores the saved table.
import { createHash } from 'node:crypto';
import type { PlannedEdge } from '../plan/index.js';
import { compareTables, parseNftJson, plannedTable, PRICHAL_TABLE, renderEdgeRuleset, replaceTableTransaction, type TableDifference } from '../render/index.js';
import { SshError, type SshConnection } from './ssh.js';

export const NFT = '/usr/sbin/nft';
const TABLE = `${PRICHAL_TABLE.family} ${PRICHAL_TABLE.name}`;

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
  /** False when the live table already equalled the plan and nothing was loaded. */
  changed: boolean;
  previous: 'absent' | 'present';
  bytes: number;
  durationMs: number;
}

/** The live Prichal table as nft text, or undefined when the host has none. */
export async function readTableText(conn: SshConnection): Promise<string | undefined> {
  const result = await conn.exec(`${NFT} list table ${TABLE}`, { allowFailure: true });
  if (result.exitCode === 0) return result.stdout;
  if (/No such file or directory|does not exist/i.test(result.stderr)) return undefined;
  throw new SshError('command', conn.label, `${conn.label}: nft list table ${TABLE} exited ${result.exitCode}: ${result.stderr.trim()}`, `nft list table ${TABLE}`, result.exitCode, result.stderr);
}

export async function readTable(conn: SshConnection) {
  const result = await conn.exec(`${NFT} -j list table ${TABLE}`, { allowFailure: true });
  if (result.exitCode !== 0) return undefined;
  return parseNftJson(result.stdout).get(TABLE);
}

/** Uploads `text`, verifies its checksum on the host, and only then runs `nft -f` on it. */
export async function loadVerified(conn: SshConnection, text: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const sha = createHash('sha256').update(text).digest('hex');
  const command = `f=$(mktemp /tmp/prichal.XXXXXX.nft) && cat > "$f" && echo "${sha}  $f" | sha256sum -c --quiet - && ${NFT} -f "$f"; rc=$?; rm -f "$f"; exit $rc`;
  await conn.exec(command, { stdin: text, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
}

export async function applyEdgeFirewall(conn: SshConnection, edge: PlannedEdge): Promise<ApplyResult> {
  const started = performance.now();
  const planned = plannedTable(edge);
  const backup = await readTableText(conn);
  const before = backup === undefined ? undefined : await readTable(conn);
  const text = replaceTableTransaction(renderEdgeRuleset(edge).text);
  const base = { edge: edge.id, previous: backup === undefined ? 'absent' : 'present', bytes: Buffer.byteLength(text) } as const;
  if (before && compareTables(planned, before).length === 0) return { ...base, changed: false, durationMs: performance.now() - started };

  const restore = async () => {
    await loadVerified(conn, backup === undefined ? `table ${TABLE}\ndelete table ${TABLE}\n` : replaceTableTransaction(backup));
  };
  try {
    await loadVerified(conn, text, { timeoutMs: 300_000 });
  } catch (error) {
    // nft's transaction failed as a whole; restoring is harmless and covers a partial host-side failure.
    const rolledBack = await restore().then(() => true, () => false);
    throw new FirewallApplyError(edge.id, `${edge.id}: loading the ruleset failed${rolledBack ? '; the previous table is restored' : ''}: ${(error as Error).message}`, [], rolledBack, error);
  }
  const differences = compareTables(planned, await readTable(conn));
  if (differences.length) {
    const rolledBack = await restore().then(() => true, () => false);
    throw new FirewallApplyError(edge.id, `${edge.id}: the loaded table differs from the plan (${differences.slice(0, 3).map((d) => d.message).join('; ')}); ${rolledBack ? 'the previous table is restored' : 'RESTORE FAILED'}`, differences, rolledBack);
  }
  return { ...base, changed: true, durationMs: performance.now() - started };
}
