import path from 'node:path';
import type { CheckResult, RequirementFinding } from '../drift/model.js';
import { DEFAULT_TIME_ZONE } from '../inventory/dates.js';
import { REQUIREMENTS } from '../requirements/index.js';
import { markdownText } from '../escape.js';
import { makeFolder, writeAtomic } from '../files.js';
import { findingPlace, placeText, renderHtmlReport, type ReportContext } from './html.js';
import { summary } from './summary.js';
import {
  DEFAULT_LANG,
  formatNumber,
  labels,
  localDay,
  localTime,
  requirementSource,
  requirementTitle,
  statusText,
  wording,
} from './i18n.js';

const md = markdownText;

/**
 * Characters XML 1.0 does not allow anywhere, not even as a character reference: C0 controls
 * other than tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF. A signer's
 * name with a BEL in it would otherwise make the whole JUnit file unreadable to CI.
 */
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Discouraged by XML 1.0 (DEL and the C1 controls): allowed, but shown escaped like the forbidden ones. */
const DISCOURAGED = /[\u007f-\u009f]/g;
const shown = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text for XML content and attribute values: forbidden characters shown as \uXXXX, markup escaped, and in attributes tab/newline/CR as references (a parser would otherwise normalise them to spaces). */
export function xmlText(value: unknown, attribute = false): string {
  const text = String(value)
    .replace(NOT_XML, shown)
    .replace(DISCOURAGED, shown)
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  return attribute ? text.replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`) : text.replace(/\r/g, '&#13;');
}
const xa = (value: unknown) => xmlText(value, true);
const xt = (value: unknown) => xmlText(value);

export { summary };

export function renderJson(result: CheckResult): string {
  return `${JSON.stringify({ ...result, summary: summary(result) }, null, 2)}\n`;
}

/** One test case per participant × requirement (host-level findings under their subject). */
export function renderJunit(result: CheckResult): string {
  const subjects = [
    ...new Set([...result.participants, ...result.findings.filter((f) => !f.participant).map((f) => f.subject)]),
  ].sort();
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
        ? `<failure message="${xa(errors[0]!.message)}">${xt(errors.map((f) => `${f.message}\nevidence: ${f.evidence}\nfix: ${f.fix}`).join('\n\n'))}</failure>`
        : uncheckedReqs.has(req) && REQUIREMENTS[req].reads !== 'inventory'
          ? `<skipped message="not checked: ${xa(
              result.unchecked
                .filter((u) => u.requirements.includes(req))
                .map((u) => `${u.subject}: ${u.reason}`)
                .join('; '),
            )}"/>`
          : found.length
            ? `<system-out>${xt(found.map((f) => `warning: ${f.message}`).join('\n'))}</system-out>`
            : '';
      return `    <testcase classname="prichal.${xa(req)}" name="${xa(subject)}">${body}</testcase>`;
    });
    const failures = cases.filter((c) => c.includes('<failure')).length;
    const skipped = cases.filter((c) => c.includes('<skipped')).length;
    return `  <testsuite name="${xa(req)} ${xa(REQUIREMENTS[req].title)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="prichal ${xa(result.kind)}" timestamp="${xa(result.generatedAt)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

function findingLine(f: RequirementFinding, ctx: MarkdownContext): string {
  const l = labels(ctx.lang);
  const said = wording(f, ctx.lang);
  const place = findingPlace(f, { participants: ctx.participants ?? {} });
  return `| ${f.requirement} | ${md(f.participant || '—')} | ${f.contour ? l.contours[f.contour] : ''} | ${l.severities[f.severity]} | ${md(said.message)} | ${md(said.evidence)} | ${md(said.fix)} | ${place ? md(placeText(place)) : '—'} |`;
}

/** What the Markdown report needs: the language and time zone, and the participants' files for live findings. */
type MarkdownContext = Pick<ReportContext, 'lang' | 'timeZone'> & Partial<Pick<ReportContext, 'participants'>>;

export function renderMarkdown(
  result: CheckResult,
  ctx: MarkdownContext = { lang: DEFAULT_LANG, timeZone: DEFAULT_TIME_ZONE },
): string {
  const { lang } = ctx;
  const l = labels(lang);
  const s = summary(result);
  const n = (v: number) => formatNumber(v, lang);
  const lines = [
    `# ${l.report[result.kind]}`,
    '',
    `${l.generated} ${localTime(result.generatedAt, ctx.timeZone, lang)}; ${l.evaluatedAt} ${localDay(result.at, lang)}. **${statusText(s.status, lang)}**: ${l.errors.toLowerCase()} ${n(s.errors)}, ${l.warnings.toLowerCase()} ${n(s.warnings)}, ${l.waived.toLowerCase()} ${n(s.waived)}, ${l.unchecked.toLowerCase()} ${n(s.unchecked)} (${l.exitCode} ${s.exitCode}).`,
    '',
  ];
  // A first run has nothing to compare with: all its findings are not "new".
  if (result.trend)
    lines.push(
      result.trend.previous
        ? `${l.sincePrevious} (${localTime(result.trend.previous, ctx.timeZone, lang)}): ${l.newFindings} ${n(result.trend.new)}, ${l.fixed} ${n(result.trend.fixed)}, ${l.persisting} ${n(result.trend.persisting)}.`
        : `${l.sincePrevious}: ${l.firstRun}.`,
      '',
    );
  if (result.unchecked.length) {
    lines.push(`## ${l.notChecked}`, '', `| ${l.subject} | ${l.requirements} | ${l.reason} |`, '|---|---|---|');
    for (const u of result.unchecked)
      lines.push(`| ${md(u.subject)} | ${u.requirements.join(', ')} | ${md(u.reason)} |`);
    lines.push('');
  }
  lines.push(
    `## ${l.requirements}`,
    '',
    `| | ${l.requirement} | ${l.source} | ${l.errors} | ${l.warnings} |`,
    '|---|---|---|---|---|',
  );
  for (const req of result.requirements) {
    const f = result.findings.filter((x) => x.requirement === req);
    lines.push(
      `| ${req} | ${requirementTitle(req, lang)} | ${requirementSource(req, lang)} | ${n(f.filter((x) => x.severity === 'error').length)} | ${n(f.filter((x) => x.severity === 'warning').length)} |`,
    );
  }
  lines.push('', `## ${l.findings}`, '');
  if (result.findings.length)
    lines.push(
      `| | ${l.participant} | ${l.contour} | ${l.severity} | ${l.finding} | ${l.evidence} | ${l.fix} | ${l.file} |`,
      '|---|---|---|---|---|---|---|---|',
      ...result.findings.map((f) => findingLine(f, ctx)),
    );
  else lines.push(l.noFindings);
  if (result.waived.length) {
    lines.push(
      '',
      `## ${l.waived}`,
      '',
      `| | ${l.participant} | ${l.finding} | ${l.reason} | ${l.owner} | ${l.expires} |`,
      '|---|---|---|---|---|---|',
    );
    for (const f of result.waived)
      lines.push(
        `| ${f.requirement} | ${md(f.participant)} | ${md(wording(f, lang).message)} | ${md(f.waiver!.reason)} | ${md(f.waiver!.owner)} | ${md(localDay(f.waiver!.expires, lang))} |`,
      );
  }
  const edgeRoutes = Object.entries(result.reads?.edgeRoutes ?? {});
  if (edgeRoutes.length)
    lines.push(
      '',
      `## ${l.edgeRoutes}`,
      '',
      `| ${l.edge} | ${l.addresses} | ${l.routes} |`,
      '|---|---|---|',
      ...edgeRoutes.map(([edge, r]) => `| ${md(edge)} | ${n(r.addresses.length)} | ${n(r.routes.length)} |`),
    );
  return `${lines.join('\n')}\n`;
}

/** Every report of a run: JSON and JUnit (language-neutral), Markdown and HTML (in the context's language). */
export async function writeReports(
  dir: string,
  result: CheckResult,
  ctx: ReportContext = { lang: DEFAULT_LANG, timeZone: DEFAULT_TIME_ZONE, participants: {} },
): Promise<string[]> {
  await makeFolder(dir);
  // The HTML report's links to inventory files are made relative to where it is written.
  ctx = { ...ctx, reportDir: path.resolve(dir) };
  const base = `${result.kind}`;
  const files: Array<[string, string]> = [
    [`${base}.json`, renderJson(result)],
    [`${base}.junit.xml`, renderJunit(result)],
    [`${base}.md`, renderMarkdown(result, ctx)],
    [`${base}.html`, renderHtmlReport(result, ctx)],
  ];
  // Each by the file rule: a temporary file renamed into place, so a reader never sees half a report.
  for (const [name, text] of files) await writeAtomic(path.join(dir, name), text);
  return files.map(([name]) => path.join(dir, name));
}
