// prichal audit: the inventory requirements at a date, reported (and with --out written as
// JSON, JUnit XML, Markdown and HTML).
import type { Progress } from '../progress.js';
import type { Lang } from '../report/index.js';
import { checks, type ChecksRun } from './run-checks.js';

export function audit(options: {
  inventory: string;
  at?: string;
  out?: string;
  lang?: Lang;
  progress?: Progress;
}): Promise<ChecksRun> {
  return checks({ kind: 'audit', ...options });
}
