// prichal onboard as people read it: how many steps were done and whether production was
// reached (each step was logged as it happened).
import type { Lang } from '../report/index.js';
import type { OnboardResult } from './onboard.js';

export const onboardText = (r: OnboardResult, lang: Lang): string =>
  lang === 'ru'
    ? `${r.participant}: выполнено шагов: ${r.steps.length}${r.promoted ? '; переведён в промышленный контур' : ''}`
    : `${r.participant}: ${r.steps.length} steps done${r.promoted ? ', promoted to production' : ''}`;
