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
  type LiveRoute,
  routeText,
  unsafeCircuits,
} from '../render/index.js';

const ROLLBACK_MARK = '#prichal-rollback';
const SECTION = '#prichal-section';
/** A section's end on stdout: each listing is read apart from the next. */
const END = (i: number) => `${SECTION} ${i}`;

export class ChannelApplyError extends Error {
  override readonly name = 'ChannelApplyError';
}

/**
 * What a targeted run reads of an edge: the participant's interfaces (before and now), and the
 * routes through them, via its ends, and to its networks — not the edge's whole table, which on
 * an edge of thousands of leased lines is most of a targeted apply's time.
 */
export interface ReadScope {
  interfaces: readonly string[];
  via: readonly string[];
  destinations: readonly string[];
}

/** One route listing and what its filter leaves out of each entry (ip omits the field it filtered on). */
interface RouteListing {
  command: string;
  implied: { dev?: string; gateway?: string };
}

function routeListings(scope?: ReadScope): RouteListing[] {
  const route = `${IP} -N -j route show table main`;
  if (!scope) return [{ command: route, implied: {} }];
  return [
    ...scope.interfaces.map((dev) => ({ command: `${route} dev ${dev} 2>/dev/null || echo '[]'`, implied: { dev } })),
    ...scope.via.map((gateway) => ({ command: `${route} via ${gateway}`, implied: { gateway } })),
    ...scope.destinations.map((d) => ({ command: `${route} to exact ${d}`, implied: {} })),
  ];
}

/** The commands that read the channel: every interface and route, or in a targeted run its scope's (an absent interface lists nothing). */
export function channelReadCommands(scope?: ReadScope): string[] {
  const addr = scope
    ? `for i in ${scope.interfaces.join(' ')}; do ${IP} -N -d -j addr show dev "$i" 2>/dev/null; done | sed 's/^\\[//; s/\\]$//' | paste -sd, | sed 's/^/[/; s/$/]/'`
    : `${IP} -N -d -j addr`;
  return [addr, ...routeListings(scope).map((l) => l.command)];
}

/** The commands run one after another, each listing followed by its end mark. */
const listing = (commands: readonly string[]) => commands.map((c, i) => `${c} && echo '${END(i)}'`).join(' && ');

function parseListing(stdout: string, scope?: ReadScope): LiveChannel {
  const [addr = '', ...routes] = stdout.split(new RegExp(`\\n?${SECTION} \\d+\\n?`));
  const seen = new Map<string, LiveRoute>();
  routeListings(scope).forEach((l, i) => {
    for (const r of parseRouteList(routes[i] || '[]')) {
      const route = {
        ...r,
        ...(l.implied.dev ? { dev: l.implied.dev } : {}),
        ...(l.implied.gateway && !r.gateway ? { gateway: l.implied.gateway } : {}),
      };
      seen.set(routeText(route), route);
    }
  });
  return { interfaces: parseInterfaces(addr), routes: [...seen.values()] };
}

/** What the host has of the channel (a targeted run's scope only, when given), read after any apply there. */
export async function readChannel(conn: SshConnection, scope?: ReadScope): Promise<LiveChannel> {
  const out = await readAfterApplies(conn, listing(channelReadCommands(scope)));
  return parseListing(out.stdout, scope);
}

/** What a run reads: everything, or in a targeted run the participant's links (before and now), their ends and networks. */
function readScope(channel: EdgeChannel, options: ConvergeOptions): ReadScope | undefined {
  if (!options.scope) return undefined;
  const mine = [...channel.links, ...(options.previous?.links ?? [])].filter((l) => l.participant === options.scope);
  const unique = (xs: string[]) => [...new Set(xs)].sort();
  return {
    interfaces: unique(mine.map((l) => l.interface)),
    via: unique(mine.map((l) => l.peer)),
    destinations: unique(mine.flatMap((l) => l.networks)),
  };
}

export interface ChannelApplyResult {
  /** The ip lines applied (none: the host was as planned). */
  applied: string[];
  timings: { readMs: number; applyMs: number };
}

/** Runs a batch under the lock; on a failing line, its inverse. Returns the host's channel after it. */
async function runBatch(conn: SshConnection, batch: ChannelBatch, scope?: ReadScope): Promise<LiveChannel> {
  const stdin = `${batch.apply.join('\n')}\n${ROLLBACK_MARK}\n${batch.rollback.join('\n')}\n`;
  const script = [
    'd=$(mktemp -d /tmp/prichal-channel.XXXXXX) || exit 1',
    `trap 'rm -rf "$d"' EXIT`,
    `awk -v d="$d" '$0 == "${ROLLBACK_MARK}" { r = 1; next } { print > (d (r ? "/rollback" : "/apply")) }'`,
    'touch "$d/apply" "$d/rollback"',
    `if ! ${IP} -batch "$d/apply" >&2; then ${IP} -force -batch "$d/rollback" >/dev/null 2>&1; echo 'prichal: the batch failed and was rolled back' >&2; exit 65; fi`,
    listing(channelReadCommands(scope)),
  ].join('\n');
  const out = await locked(conn, script, { stdin, allowFailure: true });
  const detail = out.stderr.trim().split('\n').slice(-3).join('; ') || `exit ${out.exitCode}`;
  if (out.exitCode === 65)
    throw new ChannelApplyError(`the channel's changes failed on the host and were undone: ${detail}`);
  if (out.exitCode !== 0) throw new ChannelApplyError(`the channel's apply did not finish on the host: ${detail}`);
  return parseListing(out.stdout, scope);
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
  const scope = readScope(channel, options);
  const started = performance.now();
  const live = await readChannel(conn, scope);
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
  const after = await runBatch(conn, batch, scope);
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
  if (batch.apply.length) await runBatch(conn, batch, { interfaces: [], via: [], destinations: [] });
  return batch.apply;
}
