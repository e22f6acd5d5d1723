// A run's metrics in the Prometheus text format, for node_exporter's textfile collector (one
// stable file, `drift --all --metrics FILE`, that every night replaces): findings by requirement,
// severity and contour, the findings new since the history's last run, the errors of each
// failing participant, unchecked subjects, the run's duration, and when the last run and the
// last successful run (everything checked) finished. Language-neutral; checked by promtool in the
// tests, as are the alert rules written for it (monitoring/prichal.rules.yml).
import type { CheckResult, RequirementFinding } from '../drift/model.js';
import { REQUIREMENT_IDS } from '../requirements/index.js';

/** The label value escaped as the text format wants it (backslash, quote, newline). */
const label = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export interface RunMetrics {
  durationSeconds: number;
  /** When the run finished, seconds since the epoch. */
  finishedAt: number;
  /** The last success before this run (the earlier file's, or the history's), kept when this run did not check everything. */
  previousSuccess?: number;
  /** This run's findings the history had not seen (newFindings); none without a history. */
  newFindings?: readonly RequirementFinding[];
}

/** A run succeeded when it checked everything (findings are what it is for; exit 3 is not). */
export const runSucceeded = (result: CheckResult) => result.unchecked.length === 0;

export function renderPrometheus(result: CheckResult, run: RunMetrics): string {
  const lines: string[] = [];
  const metric = (name: string, help: string, type: 'gauge', samples: Array<[Record<string, string>, number]>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const text = Object.entries(labels)
        .map(([k, v]) => `${k}="${label(v)}"`)
        .join(',');
      lines.push(`${name}${text ? `{${text}}` : ''} ${value}`);
    }
  };
  const kind = result.kind;
  // Every requirement × severity × contour appears, zero included, so an alert on a series never
  // sees it vanish when the last finding is fixed.
  const counts = new Map<string, number>();
  for (const f of result.findings) {
    const key = `${f.requirement}|${f.severity}|${f.contour ?? 'none'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const samples: Array<[Record<string, string>, number]> = [];
  for (const requirement of result.requirements.length ? result.requirements : REQUIREMENT_IDS)
    for (const severity of ['error', 'warning'])
      for (const contour of ['test', 'prod', 'none'])
        samples.push([
          { kind, requirement, severity, contour },
          counts.get(`${requirement}|${severity}|${contour}`) ?? 0,
        ]);
  metric(
    'prichal_findings',
    'Unwaived findings of the last run by requirement, severity and contour (none: not contour-specific).',
    'gauge',
    samples,
  );
  metric('prichal_waived_findings', 'Findings of the last run covered by a waiver.', 'gauge', [
    [{ kind }, result.waived.length],
  ]);
  // New findings by identity, not a difference of counts: one error fixed and another appearing
  // leave the count as it was, and are still news.
  const fresh = run.newFindings ?? [];
  metric(
    'prichal_new_findings',
    "Findings of the last run not in the history's previous run (nor, after a partial run, in the last complete one).",
    'gauge',
    (['error', 'warning'] as const).map((severity) => [
      { kind, severity },
      fresh.filter((f) => f.severity === severity).length,
    ]),
  );
  // Only participants with errors get a series: one per participant would be thousands, almost
  // all zero, each kept by Prometheus; these are bounded by what needs fixing, and a participant
  // fixed leaves the file (its series ends).
  const failing = new Map<string, number>();
  for (const f of result.findings)
    if (f.severity === 'error' && f.participant) failing.set(f.participant, (failing.get(f.participant) ?? 0) + 1);
  if (failing.size)
    metric(
      'prichal_participant_errors',
      'Unwaived errors of the last run, per participant that has any.',
      'gauge',
      [...failing].sort(([a], [b]) => (a < b ? -1 : 1)).map(([participant, n]) => [{ kind, participant }, n]),
    );
  metric('prichal_unchecked_subjects', 'Hosts or systems the last run could not check.', 'gauge', [
    [{ kind }, result.unchecked.length],
  ]);
  metric('prichal_participants', 'Participants in the inventory.', 'gauge', [[{ kind }, result.participants.length]]);
  metric('prichal_run_duration_seconds', 'Duration of the last run.', 'gauge', [
    [{ kind }, Number(run.durationSeconds.toFixed(3))],
  ]);
  metric('prichal_last_run_timestamp_seconds', 'When the last run finished.', 'gauge', [
    [{ kind }, Math.round(run.finishedAt)],
  ]);
  const success = runSucceeded(result) ? run.finishedAt : run.previousSuccess;
  if (success !== undefined)
    metric('prichal_last_success_timestamp_seconds', 'When the last run that checked everything finished.', 'gauge', [
      [{ kind }, Math.round(success)],
    ]);
  return `${lines.join('\n')}\n`;
}

/** The last success recorded in an earlier metrics file, so a failed run keeps it. */
export function previousSuccess(text: string, kind: string): number | undefined {
  const match = new RegExp(`^prichal_last_success_timestamp_seconds\\{kind="${kind}"\\} (\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}
