import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { exitCode, type CheckResult, type RequirementFinding } from '../drift/model.js';
import { REQUIREMENTS, type RequirementId } from '../requirements/index.js';
import { htmlText, markdownText } from '../escape.js';

const esc = htmlText;
const md = markdownText;

export function summary(result: CheckResult) {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.length - errors;
  const status = result.unchecked.length ? 'PARTIAL: not everything could be checked' : errors ? 'FINDINGS' : 'COMPLIANT';
  return { errors, warnings, waived: result.waived.length, unchecked: result.unchecked.length, status, exitCode: exitCode(result) };
}

export function renderJson(result: CheckResult): string {
  return `${JSON.stringify({ ...result, summary: summary(result) }, null, 2)}\n`;
}

/** One test case per participant × requirement (host-level findings under their subject). */
export function renderJunit(result: CheckResult): string {
  const subjects = [...new Set([...result.participants, ...result.findings.filter((f) => !f.participant).map((f) => f.subject)])].sort();
  const byCase = new Map<string, RequirementFinding[]>();
  for (const f of result.findings) {
    const key = `${f.participant || f.subject}|${f.requirement}`;
    byCase.set(key, [...(byCase.get(key) ?? []), f]);
  }
  const uncheckedReqs = new Set(result.unchecked.flatMap((u) => u.requirements));
  const suites = result.requirements.map((req) => {
    const cases = subjects.map((subject) => {
      const found = byCase.get(`${subject}|${req}`) ?? [];
      const errors = found.filter((f) => f.severity === 'error');
      const body = errors.length
        ? `<failure message="${esc(errors[0]!.message)}">${esc(errors.map((f) => `${f.message}\nevidence: ${f.evidence}\nfix: ${f.fix}`).join('\n\n'))}</failure>`
        : uncheckedReqs.has(req) && REQUIREMENTS[req].reads !== 'inventory'
          ? `<skipped message="not checked: ${esc(result.unchecked.filter((u) => u.requirements.includes(req)).map((u) => `${u.subject}: ${u.reason}`).join('; '))}"/>`
          : found.length
            ? `<system-out>${esc(found.map((f) => `warning: ${f.message}`).join('\n'))}</system-out>`
            : '';
      return `    <testcase classname="prichal.${esc(req)}" name="${esc(subject)}">${body}</testcase>`;
    });
    const failures = cases.filter((c) => c.includes('<failure')).length;
    const skipped = cases.filter((c) => c.includes('<skipped')).length;
    return `  <testsuite name="${esc(req)} ${esc(REQUIREMENTS[req].title)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="prichal ${result.kind}" timestamp="${result.generatedAt}">\n${suites.join('\n')}\n</testsuites>\n`;
}

function findingLine(f: RequirementFinding): string {
  return `| ${f.requirement} | ${md(f.participant || '—')} | ${f.contour ?? ''} | ${f.severity} | ${md(f.message)} | ${md(f.evidence)} | ${md(f.fix)} |`;
}

export function renderMarkdown(result: CheckResult): string {
  const s = summary(result);
  const lines = [
    `# Prichal ${result.kind} report`,
    '',
    `Generated ${result.generatedAt}; requirements evaluated at ${result.at}. **${s.status}**: ${s.errors} errors, ${s.warnings} warnings, ${s.waived} waived, ${s.unchecked} not checked (exit code ${s.exitCode}).`,
    '',
  ];
  if (result.trend) lines.push(`Since the previous run${result.trend.previous ? ` (${result.trend.previous})` : ''}: ${result.trend.new} new, ${result.trend.fixed} fixed, ${result.trend.persisting} persisting.`, '');
  if (result.unchecked.length) {
    lines.push('## Not checked', '', '| subject | requirements | reason |', '|---|---|---|');
    for (const u of result.unchecked) lines.push(`| ${md(u.subject)} | ${u.requirements.join(', ')} | ${md(u.reason)} |`);
    lines.push('');
  }
  lines.push('## Requirements', '', '| id | requirement | source | errors | warnings |', '|---|---|---|---|---|');
  for (const req of result.requirements) {
    const f = result.findings.filter((x) => x.requirement === req);
    lines.push(`| ${req} | ${REQUIREMENTS[req].title} | ${REQUIREMENTS[req].source} | ${f.filter((x) => x.severity === 'error').length} | ${f.filter((x) => x.severity === 'warning').length} |`);
  }
  lines.push('', '## Findings', '');
  if (result.findings.length) lines.push('| req | participant | contour | severity | finding | evidence | fix |', '|---|---|---|---|---|---|---|', ...result.findings.map(findingLine));
  else lines.push('None.');
  if (result.waived.length) {
    lines.push('', '## Waived', '', '| req | participant | finding | reason | owner | expires |', '|---|---|---|---|---|---|');
    for (const f of result.waived) lines.push(`| ${f.requirement} | ${md(f.participant)} | ${md(f.message)} | ${md(f.waiver!.reason)} | ${md(f.waiver!.owner)} | ${md(f.waiver!.expires)} |`);
  }
  return `${lines.join('\n')}\n`;
}

function trendSvg(result: CheckResult): string {
  const history = result.trend?.history ?? [];
  if (history.length === 0) return '<p>No history yet.</p>';
  const w = 600;
  const h = 140;
  const max = Math.max(1, ...history.map((x) => x.errors + x.warnings));
  const step = history.length > 1 ? (w - 40) / (history.length - 1) : 0;
  const points = (key: 'errors' | 'warnings') => history.map((x, i) => `${20 + i * step},${h - 20 - (x[key] / max) * (h - 40)}`).join(' ');
  const dots = history.map((x, i) => `<circle cx="${20 + i * step}" cy="${h - 20 - (x.errors / max) * (h - 40)}" r="3" fill="#c62828"><title>${esc(x.generatedAt)}: ${x.errors} errors, ${x.warnings} warnings</title></circle>`).join('');
  return `<svg role="img" aria-label="findings per run" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><line x1="20" y1="${h - 20}" x2="${w - 20}" y2="${h - 20}" stroke="#999"/><polyline fill="none" stroke="#c62828" stroke-width="2" points="${points('errors')}"/><polyline fill="none" stroke="#f9a825" stroke-width="2" points="${points('warnings')}"/>${dots}<text x="20" y="14" font-size="12">max ${max}; red: errors, amber: warnings; ${history.length} runs</text></svg>`;
}

export function renderHtml(result: CheckResult): string {
  const s = summary(result);
  const participants = result.participants.map((p) => {
    const f = result.findings.filter((x) => x.participant === p);
    const e = f.filter((x) => x.severity === 'error').length;
    return `<tr class="${e ? 'bad' : f.length ? 'warn' : 'ok'}"><td>${esc(p)}</td><td>${e}</td><td>${f.length - e}</td><td>${esc([...new Set(f.map((x) => x.requirement))].join(', ') || 'all met')}</td></tr>`;
  });
  const requirements = result.requirements.map((req) => {
    const f = result.findings.filter((x) => x.requirement === req);
    const unchecked = result.unchecked.some((u) => u.requirements.includes(req));
    return `<tr class="${f.some((x) => x.severity === 'error') ? 'bad' : unchecked ? 'warn' : 'ok'}"><td>${req}</td><td>${esc(REQUIREMENTS[req].title)}</td><td>${esc(REQUIREMENTS[req].source)}</td><td>${f.length}</td><td>${unchecked ? 'partly not checked' : 'checked'}</td></tr>`;
  });
  const findings = result.findings.map((f) => `<tr class="${f.severity === 'error' ? 'bad' : 'warn'}"><td>${f.requirement}</td><td>${esc(f.participant || '—')}</td><td>${esc(f.contour ?? '')}</td><td>${esc(f.subject)}</td><td>${esc(f.message)}</td><td><code>${esc(f.evidence)}</code></td><td>${esc(f.fix)}</td></tr>`);
  const waived = result.waived.map((f) => `<tr><td>${f.requirement}</td><td>${esc(f.participant)}</td><td>${esc(f.message)}</td><td>${esc(f.waiver!.reason)}</td><td>${esc(f.waiver!.owner)}</td><td>${esc(f.waiver!.expires)}</td></tr>`);
  const unchecked = result.unchecked.map((u) => `<tr class="warn"><td>${esc(u.subject)}</td><td>${u.requirements.join(', ')}</td><td>${esc(u.reason)}</td></tr>`);
  const table = (head: string[], rows: string[], empty: string) => (rows.length ? `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>` : `<p>${empty}</p>`);
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Prichal ${esc(result.kind)} report ${esc(result.generatedAt)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%}th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f0f0f0}tr.bad td:first-child{border-left:4px solid #c62828}tr.warn td:first-child{border-left:4px solid #f9a825}tr.ok td:first-child{border-left:4px solid #2e7d32}.status{font-size:1.3em;font-weight:bold}.status.bad{color:#c62828}.status.ok{color:#2e7d32}.status.warn{color:#e65100}code{font-size:12px;word-break:break-all}</style></head>
<body>
<h1>Prichal ${esc(result.kind)} report</h1>
<p>Generated ${esc(result.generatedAt)}; inventory requirements evaluated at ${esc(result.at)}.</p>
<p id="status" class="status ${s.unchecked ? 'warn' : s.errors ? 'bad' : 'ok'}">${esc(s.status)}</p>
<ul id="summary"><li>Errors: <b>${s.errors}</b></li><li>Warnings: <b>${s.warnings}</b></li><li>Waived: <b>${s.waived}</b></li><li>Not checked: <b>${s.unchecked}</b></li>${result.trend ? `<li>Since the previous run: ${result.trend.new} new, ${result.trend.fixed} fixed, ${result.trend.persisting} persisting</li>` : ''}</ul>
<h2>Trend</h2>${trendSvg(result)}
${result.unchecked.length ? `<h2>Not checked</h2>${table(['subject', 'requirements', 'reason'], unchecked, '')}` : ''}
<h2>Participants</h2>${table(['participant', 'errors', 'warnings', 'requirements failing'], participants, 'No participants.')}
<h2>Requirements</h2>${table(['id', 'requirement', 'source', 'findings', 'coverage'], requirements, '')}
<h2>Findings</h2>${table(['req', 'participant', 'contour', 'subject', 'finding', 'evidence', 'fix'], findings, 'None: every checked requirement is met.')}
<h2>Waived</h2>${table(['req', 'participant', 'finding', 'reason', 'owner', 'expires'], waived, 'No waived findings.')}
</body></html>
`;
}

export async function writeReports(dir: string, result: CheckResult): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const base = `${result.kind}`;
  const files: Array<[string, string]> = [
    [`${base}.json`, renderJson(result)],
    [`${base}.junit.xml`, renderJunit(result)],
    [`${base}.md`, renderMarkdown(result)],
    [`${base}.html`, renderHtml(result)],
  ];
  for (const [name, text] of files) await writeFile(path.join(dir, name), text);
  return files.map(([name]) => path.join(dir, name));
}
