// prichal init as people read it: the file written and what to do next.
import type { Lang } from '../report/index.js';
import type { InitResult } from './init.js';

export const initText = (result: InitResult, lang: Lang): string =>
  lang === 'ru'
    ? `записан ${result.file}; заполните его и запустите 'prichal validate'`
    : `wrote ${result.file}; fill it in, then run 'prichal validate'`;
