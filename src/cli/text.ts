// How the CLI shows the workflows' results to people: text renderers and the terminal progress
// bar. Workflows return data; JSON output is that data as it is.
import type { CheckResult } from '../drift/model.js';
import type { EngineResult, StepReport } from '../infra/pulumi/engine.js';
import type { ProbeProtocol } from '../infra/probe.js';
import { summary } from '../report/index.js';
import { terminalText as t } from '../escape.js';

export function probeText(p: ProbeProtocol): string {
  const lines = [`probe ${p.participant} (${p.mnemonic}) in ${p.contour} via ${p.edge}, gateway ${p.gateway}: ${p.passed ? 'PASSED' : 'FAILED'}`];
  for (const a of p.allowed) lines.push(`  allow ${a.protocol}://${a.address}:${a.port}${a.path}  ${a.result}${a.httpStatus ? ` (HTTP ${a.httpStatus})` : ''}`);
  for (const d of p.denied) lines.push(`  deny  ${d.source} -> ${d.address}:${d.port}  ${d.result}  (${d.description})`);
  return lines.join('\n');
}

const SYMBOL: Record<string, string> = { create: '+', update: '~', delete: '-', replace: '+-', 'create-replacement': '++', 'delete-replaced': '--', refresh: '~', read: '>', same: ' ' };
const MAX_CHANGES_SHOWN = 12;

export function stepText(step: StepReport): string {
  const time = step.durationMs === undefined ? '' : ` (${(step.durationMs / 1000).toFixed(1)} s)`;
  const head = `${SYMBOL[step.op] ?? '?'} ${step.op} ${step.type} ${step.name}${step.status === 'failed' ? ' FAILED' : ''}${time}`;
  const shown = step.changes.slice(0, MAX_CHANGES_SHOWN).map((c) => `    ${c.participant ? `${t(c.participant)}: ` : ''}${t(c.message)}`);
  if (step.changes.length > MAX_CHANGES_SHOWN) shown.push(`    … ${step.changes.length - MAX_CHANGES_SHOWN} more (--format json lists all)`);
  return [head, ...shown].join('\n');
}

export function engineText(r: EngineResult): string {
  const counts = Object.entries(r.summary).filter(([, n]) => n > 0).map(([op, n]) => `${n} ${op}`).join(', ') || 'nothing';
  const verb = r.action === 'preview' ? 'would change' : 'changed';
  const who = Object.keys(r.byParticipant).sort();
  return [
    `${r.action} ${r.contour} (backend ${r.backend}): ${counts}`,
    r.changed ? `${verb}: ${r.steps.filter((s) => s.op !== 'same').length} resources${who.length ? `; participants: ${who.join(', ')}` : ''}` : 'no changes',
    `engine start ${(r.timings.startupMs / 1000).toFixed(1)} s, total ${(r.timings.totalMs / 1000).toFixed(1)} s`,
  ].join('\n');
}

/** A progress bar on a terminal, never in logs. */
export function progressBar(): ((done: number, total: number, what: string) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total, what) => {
    const width = 24;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${what.padEnd(12)}${done === total ? '\n' : ''}`);
  };
}

export function checksText({ result, files }: { result: CheckResult; files: string[] }): string {
  const s = summary(result);
  const lines = [`${result.kind}: ${s.status} — ${s.errors} errors, ${s.warnings} warnings, ${s.waived} waived, ${s.unchecked} not checked`];
  for (const u of result.unchecked) lines.push(`  NOT CHECKED ${u.subject} (${u.requirements.join(', ')}): ${u.reason}`);
  for (const f of result.findings) lines.push(`  ${f.severity === 'error' ? 'ERROR' : 'WARN '} ${f.requirement.padEnd(5)} ${t(f.participant || (f.file ? `${f.file}:${f.line}` : f.subject)).padEnd(22)} ${f.contour ? `[${f.contour}] ` : ''}${t(f.message)}`);
  for (const f of result.waived) lines.push(`  WAIVED ${f.requirement} ${t(f.participant)}: ${t(f.message)} (${t(f.waiver!.reason)}; ${t(f.waiver!.owner)}, until ${t(f.waiver!.expires)})`);
  if (result.trend) lines.push(`  trend: ${result.trend.new} new, ${result.trend.fixed} fixed, ${result.trend.persisting} persisting`);
  for (const f of files) lines.push(`  wrote ${f}`);
  return lines.join('\n');
}
