// prichal docs as people read it: the files of each document written (in Russian under the
// document's title, in English under its kind), then each document that could not be made and
// why, prefixed like every failure the CLI prints (`prichal: `, cli/main.ts).
import { DOCUMENT_TITLES } from '../docs/index.js';
import type { Lang } from '../report/index.js';
import type { DocsResult } from './docs.js';

export const docsText = (r: DocsResult, lang: Lang): string =>
  [
    ...r.written.map((w) =>
      lang === 'ru'
        ? `${w.participant} — ${DOCUMENT_TITLES[w.kind]}: ${w.files.join(', ')}`
        : `${w.participant} ${w.kind}: ${w.files.join(', ')}`,
    ),
    ...(lang === 'ru' ? r.errorsRu : r.errors).map((e) => `prichal: ${e}`),
  ].join('\n');
