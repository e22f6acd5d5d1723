// Applies an edge's channel (its leased lines' links and the routes through them, the routes to
// the gateway hosts) over SSH, as a sibling of the firewall's apply under the same host lock:
//   1. read what the host has (`ip -N -d -j addr`, `ip -N -j route`; in a targeted run only the
//      participant's interfaces);
//   2. compute the batch from there to the plan and its inverse (render/channel.ts);
//   3. one command under the lock: `ip -batch` of the changes, then the same read again; if a
//      line fails, the inverse runs (`ip -force -batch`, in reverse order) and the apply fails
//      with ip's message;
//   4. the read back is compared with the plan: anything still different is rolled back the
//      same way, and the apply fails naming it.
// The batch travels on stdin (a large edge's batch exceeds what one command line may hold).
import { locked, readAfterApplies } from './edge-lock.js';
import type { SshConnection } from './ssh.js';
import {
  absentCircuits,
  configuredDifferences,
  convergeChannel,
  IP,
  parseInterfaces,
  parseRouteList,
  removeChannel,
  type ChannelBatch,
  type ConvergeOptions,
  type EdgeChannel,
  type LiveChannel,
  unsafeCircuits,
} from '../render/index.js';

const ROLLBACK_MARK = '#prichal-rollback';
const SECTION = '#prichal-section';
/** A section's end on stdout: each listing is read apart from the next. */
const END = (i: number) => `${SECTION} ${i}`;

export class ChannelApplyError extends Error {
  override readonly name = 'ChannelApplyError';
}

/** The commands that read the channel: every interface, or only the named ones (an absent one lists nothing). */
export function channelReadCommands(interfaces?: readonly string[]): string[] {
  const addr = interfaces
    ? `for i in ${interfaces.join(' ')}; do ${IP} -N -d -j addr show dev "$i" 2>/dev/null; done | sed 's/^\\[//; s/\\]$//' | paste -sd, | sed 's/^/[/; s/$/]/'`
    : `${IP} -N -d -j addr`;
  return [addr, `${IP} -N -j route show table main`];
}

/** The commands run one after another, each listing followed by its end mark. */
const listing = (commands: readonly string[]) => commands.map((c, i) => `${c} && echo '${END(i)}'`).join(' && ');

function parseListing(stdout: string): LiveChannel {
  const [addr = '', route = ''] = stdout.split(new RegExp(`\\n?${SECTION} \\d+\\n?`));
  return { interfaces: parseInterfaces(addr), routes: parseRouteList(route) };
}

/** What the host has of the channel (the named interfaces only, when given), read after any apply there. */
export async function readChannel(conn: SshConnection, interfaces?: readonly string[]): Promise<LiveChannel> {
  const out = await readAfterApplies(conn, listing(channelReadCommands(interfaces)));
  return parseListing(out.stdout);
}

/** The interfaces a run reads: every one, or in a targeted run those of the participant (before and now). */
function readScope(channel: EdgeChannel, options: ConvergeOptions): string[] | undefined {
  if (!options.scope) return undefined;
  const names = [...channel.links, ...(options.previous?.links ?? [])]
    .filter((l) => l.participant === options.scope)
    .map((l) => l.interface);
  return [...new Set(names)];
}

export interface ChannelApplyResult {
  /** The ip lines applied (none: the host was as planned). */
  applied: string[];
  timings: { readMs: number; applyMs: number };
}

/** Runs a batch under the lock; on a failing line, its inverse. Returns the host's channel after it. */
async function runBatch(
  conn: SshConnection,
  batch: ChannelBatch,
  interfaces?: readonly string[],
): Promise<LiveChannel> {
  const stdin = `${batch.apply.join('\n')}\n${ROLLBACK_MARK}\n${batch.rollback.join('\n')}\n`;
  const script = [
    'd=$(mktemp -d /tmp/prichal-channel.XXXXXX) || exit 1',
    `trap 'rm -rf "$d"' EXIT`,
    `awk -v d="$d" '$0 == "${ROLLBACK_MARK}" { r = 1; next } { print > (d (r ? "/rollback" : "/apply")) }'`,
    'touch "$d/apply" "$d/rollback"',
    `if ! ${IP} -batch "$d/apply" >&2; then ${IP} -force -batch "$d/rollback" >/dev/null 2>&1; echo 'prichal: the batch failed and was rolled back' >&2; exit 65; fi`,
    listing(channelReadCommands(interfaces)),
  ].join('\n');
  const out = await locked(conn, script, { stdin, allowFailure: true });
  const detail = out.stderr.trim().split('\n').slice(-3).join('; ') || `exit ${out.exitCode}`;
  if (out.exitCode === 65)
    throw new ChannelApplyError(`the channel's changes failed on the host and were undone: ${detail}`);
  if (out.exitCode !== 0) throw new ChannelApplyError(`the channel's apply did not finish on the host: ${detail}`);
  return parseListing(out.stdout);
}

/**
 * Takes the host's channel to `channel` (its links and routes; in a targeted run the scoped
 * participant's only), verified; any failure leaves the host as it was.
 */
export async function applyChannel(
  conn: SshConnection,
  channel: EdgeChannel,
  options: ConvergeOptions = {},
): Promise<ChannelApplyResult> {
  const interfaces = readScope(channel, options);
  const started = performance.now();
  const live = await readChannel(conn, interfaces);
  const readMs = performance.now() - started;
  const absent = absentCircuits(channel, live, options.scope);
  if (absent.length)
    throw new ChannelApplyError(
      `the circuits' interfaces are absent on ${channel.edge}: ${absent.map((l) => `${l.interface} (${l.participant})`).join(', ')} — the provider's hand-off; nothing was changed`,
    );
  const unsafe = unsafeCircuits(channel, live, options.scope);
  if (unsafe.length)
    throw new ChannelApplyError(
      `refusing to take over interfaces on ${channel.edge} that are not circuits: ${unsafe.map((u) => `${u.link.interface} (${u.link.participant}): ${u.reason}`).join('; ')} — correct the participant's leasedLine.interface; nothing was changed`,
    );
  const batch = convergeChannel(channel, live, options);
  if (batch.apply.length === 0) return { applied: [], timings: { readMs, applyMs: 0 } };
  const after = await runBatch(conn, batch, interfaces);
  const left = configuredDifferences(channel, after, options.scope);
  if (left.length) {
    await locked(conn, `${IP} -force -batch - >/dev/null 2>&1; true`, { stdin: `${batch.rollback.join('\n')}\n` });
    throw new ChannelApplyError(
      `the channel on ${channel.edge} is not as planned after the apply (undone): ${left.map((d) => `${d.participant ? `${d.participant}: ` : ''}${d.message}`).join('; ')}`,
    );
  }
  return { applied: batch.apply, timings: { readMs, applyMs: performance.now() - started - readMs } };
}

/** Removes what Prichal configured of `channel` (its routes, its links' addresses, its sub-interfaces), nothing else. */
export async function removeEdgeChannel(conn: SshConnection, channel: EdgeChannel): Promise<string[]> {
  const live = await readChannel(conn);
  const batch = removeChannel(channel, live);
  if (batch.apply.length) await runBatch(conn, batch, []);
  return batch.apply;
}
