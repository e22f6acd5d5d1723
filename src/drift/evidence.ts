// What a connection act may say of a participant's channel (Регламент ПУ ТО, п. 9): only what the
// latest drift run recorded in the history (drift --all, nightly) saw of it, and only when that
// run is recent. The act is refused when the channel check failed, and says «канал не проверен»
// with the reason when there is no recent result or the run could not read the participant's edge.
import type { Words } from '../words.js';
import type { HistoryEntry } from './history.js';

/** Days the latest drift result stays evidence for an act, unless operator.yaml says (policy.channelEvidenceDays). */
export const DEFAULT_CHANNEL_EVIDENCE_DAYS = 7;

export type ChannelEvidence =
  | { state: 'passed'; checkedAt: string }
  | { state: 'failed'; checkedAt: string }
  | { state: 'unchecked'; reason: Words };

const day = (iso: string) => iso.slice(0, 10);
const ruDate = (iso: string) => day(iso).split('-').reverse().join('.');
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${day(to)}T00:00:00Z`) - Date.parse(`${day(from)}T00:00:00Z`)) / 86_400_000);

/**
 * The channel of `participant` (whose channel ends on `edge`) as of `at` (YYYY-MM-DD), from the
 * history's latest drift run (drift or all) recorded on or before that day.
 */
export function channelEvidence(
  history: readonly HistoryEntry[],
  participant: string,
  edge: string,
  at: string,
  maxDays: number = DEFAULT_CHANNEL_EVIDENCE_DAYS,
): ChannelEvidence {
  const latest = history.filter((h) => h.kind !== 'audit' && day(h.generatedAt) <= at).at(-1);
  if (!latest)
    return {
      state: 'unchecked',
      reason: {
        en: 'no drift result is recorded (prichal drift --all)',
        ru: 'нет записанного результата проверки (prichal drift --all)',
      },
    };
  const age = daysBetween(latest.generatedAt, at);
  if (age > maxDays)
    return {
      state: 'unchecked',
      reason: {
        en: `the latest drift result, of ${day(latest.generatedAt)}, is ${age} days old (more than ${maxDays})`,
        ru: `последний результат проверки — от ${ruDate(latest.generatedAt)}, ему ${age} дн. (больше ${maxDays})`,
      },
    };
  if (!latest.uncheckedSubjects || !latest.channelErrors)
    return {
      state: 'unchecked',
      reason: {
        en: `the drift result of ${day(latest.generatedAt)} was recorded without the channel's evidence (an earlier Prichal)`,
        ru: `результат проверки от ${ruDate(latest.generatedAt)} записан без сведений о канале (прежней версией Prichal)`,
      },
    };
  if (latest.uncheckedSubjects.includes(edge))
    return {
      state: 'unchecked',
      reason: {
        en: `the drift run of ${day(latest.generatedAt)} could not check ${edge}`,
        ru: `при проверке ${ruDate(latest.generatedAt)} узел ${edge} не был проверен`,
      },
    };
  return {
    state: latest.channelErrors.includes(participant) ? 'failed' : 'passed',
    checkedAt: latest.generatedAt,
  };
}
