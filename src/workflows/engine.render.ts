// preview | up | refresh | destroy | unlock as people read them: one line per resource operation
// as it happens, the lock a run waits for, and the run's summary.
import { terminalText as t } from '../escape.js';
import type { ContourName } from '../inventory/index.js';
import type { EngineResult, LockHolder, StepReport } from '../infra/pulumi/engine.js';
import { durationText } from '../infra/pulumi/errors.js';
import { formatNumber, labels, type Lang } from '../report/index.js';

export const SYMBOL: Record<string, string> = {
  create: '+',
  update: '~',
  delete: '-',
  replace: '+-',
  'create-replacement': '++',
  'delete-replaced': '--',
  refresh: '~',
  read: '>',
  same: ' ',
  upgrade: '^',
};
export const OP_RU: Record<string, string> = {
  create: 'создание',
  update: 'изменение',
  delete: 'удаление',
  replace: 'замена',
  'create-replacement': 'создание замены',
  'delete-replaced': 'удаление заменённого',
  refresh: 'чтение состояния',
  read: 'чтение',
  same: 'без изменений',
  upgrade: 'обновление формы состояния',
};
const MAX_CHANGES_SHOWN = 12;

const seconds = (ms: number, lang: Lang) => `${formatNumber(ms / 1000, lang, 1)} ${lang === 'ru' ? 'с' : 's'}`;

export function stepText(step: StepReport, lang: Lang): string {
  const ru = lang === 'ru';
  const time = step.durationMs === undefined ? '' : ` (${seconds(step.durationMs, lang)})`;
  const failed = step.status === 'failed' ? (ru ? ' ОШИБКА' : ' FAILED') : '';
  const head = `${SYMBOL[step.op] ?? '?'} ${ru ? (OP_RU[step.op] ?? step.op) : step.op} ${step.type} ${step.name}${failed}${time}`;
  const shown = step.changes
    .slice(0, MAX_CHANGES_SHOWN)
    .map((c) => `    ${c.participant ? `${t(c.participant)}: ` : ''}${t(ru ? (c.ru ?? c.message) : c.message)}`);
  const more = step.changes.length - MAX_CHANGES_SHOWN;
  if (more > 0)
    shown.push(
      ru ? `    … и ещё ${more} (полный список: --format json)` : `    … ${more} more (--format json lists all)`,
    );
  return [head, ...shown].join('\n');
}

/** A run waiting for another's lock (--wait-lock): whom it waits for, and how long it still will. */
export function lockWaitText(contour: string, holders: LockHolder[], remainingMs: number, lang: Lang): string {
  const ru = lang === 'ru';
  const who =
    holders.map((h) => `${t(h.user)}@${t(h.host)} (pid ${h.pid}) ${ru ? 'с' : 'since'} ${t(h.since)}`).join('; ') ||
    (ru ? 'другой запуск' : 'another run');
  return ru
    ? `ожидание блокировки стека ${contour}: ${who}, осталось до ${durationText(remainingMs, true)}`
    : `waiting for the ${contour} stack's lock: held by ${who}, for up to ${durationText(remainingMs, false)} more`;
}

export function engineText(r: EngineResult, lang: Lang): string {
  const ru = lang === 'ru';
  const ops = Object.entries(r.summary).filter(([, n]) => n > 0);
  const counts = ru
    ? ops.map(([op, n]) => `${OP_RU[op] ?? op}: ${n}`).join(', ') || 'ничего'
    : ops.map(([op, n]) => `${n} ${op}`).join(', ') || 'nothing';
  const who = Object.keys(r.byParticipant).sort();
  // An upgrade of the state's shape is reported as a step, but changes no resource.
  const changed = r.steps.filter((s) => s.op !== 'same' && s.op !== 'upgrade').length;
  const contour = ru ? `${labels(lang).contours[r.contour]} контур` : r.contour;
  if (ru) {
    const verb = r.action === 'preview' ? 'изменилось бы ресурсов' : 'изменено ресурсов';
    return [
      `${r.action}, ${contour} (хранилище состояния ${r.backend}): ${counts}`,
      r.changed ? `${verb}: ${changed}${who.length ? `; участники: ${who.join(', ')}` : ''}` : 'изменений нет',
      `запуск движка ${seconds(r.timings.startupMs, lang)}, всего ${seconds(r.timings.totalMs, lang)}`,
    ].join('\n');
  }
  const verb = r.action === 'preview' ? 'would change' : 'changed';
  return [
    `${r.action} ${contour} (backend ${r.backend}): ${counts}`,
    r.changed ? `${verb}: ${changed} resources${who.length ? `; participants: ${who.join(', ')}` : ''}` : 'no changes',
    `engine start ${seconds(r.timings.startupMs, lang)}, total ${seconds(r.timings.totalMs, lang)}`,
  ].join('\n');
}

export const unlockText = (result: { contour: ContourName }, lang: Lang): string =>
  lang === 'ru' ? `блокировка стека ${result.contour} снята` : `the ${result.contour} stack is unlocked`;
