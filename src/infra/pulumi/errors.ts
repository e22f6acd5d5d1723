// The engine's errors, apart from the engine: the CLI maps them to exit codes on every run, and
// importing them must not load @pulumi/pulumi (about a second) for commands that never use it.
import { hostname } from 'node:os';
import { WordedError } from '../../words.js';

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
export class StackLockedError extends WordedError {
  override readonly name = 'StackLockedError';
  constructor(
    readonly contour: string,
    readonly holders: LockHolder[],
  ) {
    const who = (ru: boolean) =>
      holders.map((h) => `${h.user}@${h.host} (pid ${h.pid}) ${ru ? 'с' : 'since'} ${h.since}${isStale(h) ? (ru ? ' — этот процесс на узле уже не работает: блокировка зависла' : ' — that process is no longer running on this host: the lock is stale') : ''}`).join('; ') || (ru ? 'другим запуском' : 'another run');
    super({
      en:
        `the ${contour} stack is locked by ${who(false)}: another prichal or pulumi run is changing it. Nothing was changed. ` +
        `Wait for it to finish. If that process is gone (check on its host: ps -p <pid>), clear the stale lock with 'prichal unlock --contour ${contour} --yes' and run again.`,
      ru:
        `стек ${contour} заблокирован: ${who(true)}; его изменяет другой запуск prichal или pulumi. Ничего не изменено. ` +
        `Дождитесь его завершения. Если процесса уже нет (проверьте на его узле: ps -p <pid>), снимите зависшую блокировку командой 'prichal unlock --contour ${contour} --yes' и запустите снова.`,
    });
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
