// prichal coverage as people read it: the tables as Markdown; its JSON is the statistics alone.
import type { Coverage } from '../docs/index.js';
import type { CoverageResult } from './coverage.js';

export const coverageText = (r: CoverageResult): string => r.markdown.trimEnd();

export const coverageJson = (r: CoverageResult): Coverage => r.coverage;
