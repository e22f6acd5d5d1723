// The engine's errors, apart from the engine: the CLI maps them to exit codes on every run, and
// importing them must not load @pulumi/pulumi (about a second) for commands that never use it.
import { hostname } from 'node:os';

export class EngineError extends Error {
  override readonly name = 'EngineError';
}

/** Who holds a stack's lock, as the backend records it. */
export interface LockHolder {
  user: string;
  host: string;
  pid: number;
  since: string;
}

/** Another run holds the stack: refused before anything changed (the engine checks the lock first). */
export class StackLockedError extends Error {
  override readonly name = 'StackLockedError';
  constructor(
    readonly contour: string,
    readonly holders: LockHolder[],
  ) {
    const who = holders.map((h) => `${h.user}@${h.host} (pid ${h.pid}) since ${h.since}${isStale(h) ? ' — that process is no longer running on this host: the lock is stale' : ''}`).join('; ') || 'another run';
    super(
      `the ${contour} stack is locked by ${who}: another prichal or pulumi run is changing it. Nothing was changed. ` +
        `Wait for it to finish. If that process is gone (check on its host: ps -p <pid>), clear the stale lock with 'prichal unlock --contour ${contour} --yes' and run again.`,
    );
  }
}

/** A lock taken on this host by a process that no longer runs (a run that was killed or crashed). */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
