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

/** Another run holds the stack: refused before anything changed (the engine checks the lock first), at once or after waiting for it (--wait-lock). */
export class StackLockedError extends WordedError {
  override readonly name = 'StackLockedError';
  constructor(
    readonly contour: string,
    readonly holders: LockHolder[],
    /** How long this run waited for the lock before giving up (--wait-lock), if it did. */
    readonly waitedMs?: number,
    /** Whether each holder's process was gone when the lock refused this run (judged then, not when the message is made: a holder that finished since is no stale lock). */
    stale: readonly boolean[] = holders.map(isStale),
  ) {
    const who = (ru: boolean) =>
      holders
        .map(
          (h, i) =>
            `${h.user}@${h.host} (pid ${h.pid}) ${ru ? 'с' : 'since'} ${h.since}${stale[i] ? (ru ? ' — этот процесс на узле уже не работает: блокировка зависла' : ' — that process is no longer running on this host: the lock is stale') : ''}`,
        )
        .join('; ') || (ru ? 'другим запуском' : 'another run');
    const waited = (ru: boolean) =>
      waitedMs
        ? ru
          ? ` (ожидание ${durationText(waitedMs, true)} по --wait-lock истекло)`
          : ` (waited ${durationText(waitedMs, false)} with --wait-lock)`
        : '';
    super({
      en:
        `the ${contour} stack is locked by ${who(false)}: another prichal or pulumi run is changing it${waited(false)}. Nothing was changed. ` +
        `Wait for it to finish (or pass --wait-lock 10m to wait for it). If that process is gone (check on its host: ps -p <pid>), clear the stale lock with 'prichal unlock --contour ${contour} --yes' and run again.`,
      ru:
        `стек ${contour} заблокирован: ${who(true)}; его изменяет другой запуск prichal или pulumi${waited(true)}. Ничего не изменено. ` +
        `Дождитесь его завершения (или передайте --wait-lock 10m, чтобы подождать). Если процесса уже нет (проверьте на его узле: ps -p <pid>), снимите зависшую блокировку командой 'prichal unlock --contour ${contour} --yes' и запустите снова.`,
    });
  }
}

/** A lock taken on this host by a process that no longer runs (a run that was killed or crashed, or one that let go of it). */
export function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** A duration as people write it: 45 s, 5 min, 1 h 30 min. */
export function durationText(ms: number, ru: boolean): string {
  const s = Math.round(ms / 1000);
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const parts = [
    h ? `${h} ${ru ? 'ч' : 'h'}` : '',
    m ? `${m} ${ru ? 'мин' : 'min'}` : '',
    sec || (!h && !m) ? `${sec} ${ru ? 'с' : 's'}` : '',
  ].filter(Boolean);
  return parts.join(' ');
}

/**
 * A duration given to --wait-lock: a number with a unit, s, m or h ("90s", "5m", "1h"; a bare
 * number is seconds). Undefined for anything else (the caller names the option).
 */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|sec|min)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? 's').toLowerCase();
  const ms = Number(m[1]) * (unit.startsWith('h') ? 3_600_000 : unit.startsWith('m') ? 60_000 : 1000);
  return Number.isFinite(ms) ? ms : undefined;
}
