// prichal drift [--all]: the live estate against the plan; --all (the nightly run) adds the
// audit, writes every report format, the metrics and the history with its trend.
import path from 'node:path';
import { PROJECT_ROOT } from '../project.js';
import type { Progress } from '../progress.js';
import type { Lang } from '../report/index.js';
import { UsageError } from './errors.js';
import { checks, type ChecksRun } from './run-checks.js';

/** The history the nightly run (--all) keeps when no --history is given. */
export const HISTORY_FILE = path.join(PROJECT_ROOT, '.state', 'history.jsonl');

export async function drift(options: {
  inventory: string;
  all: boolean;
  at?: string;
  out?: string;
  history?: string;
  /** The metrics file for node_exporter's textfile collector (with --all). */
  metrics?: string;
  lang?: Lang;
  progress?: Progress;
}): Promise<ChecksRun> {
  const { all, history = all ? HISTORY_FILE : undefined, ...rest } = options;
  // The metrics and their alerts describe the nightly run; a plain drift's would replace them with half of it.
  if (options.metrics !== undefined && !all)
    throw new UsageError({
      en: '--metrics goes with --all (the nightly run)',
      ru: '--metrics используется только с --all (ночной запуск)',
    });
  return checks({ kind: all ? 'all' : 'drift', ...rest, ...(history ? { history } : {}) });
}
