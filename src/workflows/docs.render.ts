// prichal docs as people read it: the files of each document written, then each document that
// could not be made and why.
import type { Lang } from '../report/index.js';
import type { DocsResult } from './docs.js';

export const docsText = (r: DocsResult, lang: Lang): string =>
  [
    ...r.written.map((w) => `${w.participant} ${w.kind}: ${w.files.join(', ')}`),
    ...(lang === 'ru' ? r.errorsRu.map((e) => `ошибка: ${e}`) : r.errors.map((e) => `error: ${e}`)),
  ].join('\n');
