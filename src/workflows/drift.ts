// prichal drift [--all]: the live estate against the plan; --all (the nightly run) adds the
// audit, writes every report format, the metrics and the history with its trend.
import path from 'node:path';
import { PROJECT_ROOT } from '../project.js';
import type { Progress } from '../progress.js';
import type { Lang } from '../report/index.js';
import { checks, type ChecksRun } from './run-checks.js';

/** The history the nightly run (--all) keeps when no --history is given. */
export const HISTORY_FILE = path.join(PROJECT_ROOT, '.state', 'history.jsonl');

export function drift(options: {
  inventory: string;
  all: boolean;
  at?: string;
  out?: string;
  history?: string;
  lang?: Lang;
  progress?: Progress;
}): Promise<ChecksRun> {
  const { all, history = all ? HISTORY_FILE : undefined, ...rest } = options;
  return checks({ kind: all ? 'all' : 'drift', ...rest, ...(history ? { history } : {}) });
}
