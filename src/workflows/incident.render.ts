// prichal incident as people read it: the note as Markdown, then the files written.
import type { Lang } from '../report/index.js';
import type { IncidentResult } from './incident.js';

export const incidentText = (r: IncidentResult, lang: Lang): string =>
  `${r.markdown.trimEnd()}${r.files.length ? `\n${lang === 'ru' ? 'записаны' : 'wrote'} ${r.files.join(', ')}` : ''}`;
