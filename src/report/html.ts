// The HTML report: a security officer's tool in one self-contained file that works offline.
// Summary first; filters by district, coordinating body, requirement, severity and contour (kept
// in the address's #fragment, so a filtered view can be bookmarked or sent); each finding opens
// to its evidence, its fix and the participant's file and line (linked where the officer can open
// it: the operator's repository, else relative to the report); waived findings with owner and
// expiry; a trend over the recorded runs that reads from 1 to 365 runs, with a legend and a
// scale; prints to PDF with the filters hidden and every finding open. Every value goes through
// htmlText.
import path from 'node:path';
import type { CheckResult, RequirementFinding } from '../drift/model.js';
import { htmlText as esc } from '../escape.js';
import { summary } from './summary.js';
import {
  formatNumber,
  labels,
  localDay,
  localTime,
  requirementSource,
  requirementTitle,
  runsCount,
  statusText,
  wording,
  type Lang,
} from './i18n.js';

/** What the report knows of a participant beyond the result: where it sits and where it is written. */
export interface ParticipantInfo {
  name: string;
  district: string;
  /** The coordinating body's name; the participant's own for those coordinated by no one. */
  coordinator: string;
  /** The participant's file, relative to the inventory root: where a live finding (which has no line of its own) points. */
  file?: string;
}

export interface ReportContext {
  lang: Lang;
  timeZone: string;
  participants: Record<string, ParticipantInfo>;
  /** The inventory folder, absolute: without `repository`, links lead to its files relative to `reportDir`. */
  inventory?: string;
  /** operator.yaml `reports.repository`: the inventory folder's address in the repository's web view (ends in /). */
  repository?: string;
  /** The folder the report is written to (writeReports says it). */
  reportDir?: string;
}

/** Where a finding is written: its own file and line, as the JSON has them; else its participant's file (a live finding). */
export function findingPlace(
  f: RequirementFinding,
  ctx: Pick<ReportContext, 'participants'>,
): { file: string; line?: number } | undefined {
  if (f.file) return { file: f.file, ...(f.line ? { line: f.line } : {}) };
  const file = f.participant ? ctx.participants[f.participant]?.file : undefined;
  return file ? { file } : undefined;
}

/** `participants/x.yaml:12`: the same text in the HTML, Markdown and text reports. */
export const placeText = (place: { file: string; line?: number }): string =>
  place.line ? `${place.file}:${place.line}` : place.file;

/**
 * The address a file's link leads to: never the absolute path of the machine that wrote the report
 * (dead on the officer's PC) — the repository's web view at the line, else the file relative to
 * the report's folder (it opens where the reports sit beside the inventory, a copy of both
 * included); none when neither is known.
 */
function fileHref(place: { file: string; line?: number }, ctx: ReportContext): string | undefined {
  const encoded = (parts: string[]) => parts.map(encodeURIComponent).join('/');
  if (ctx.repository) return `${ctx.repository}${encoded(place.file.split('/'))}${place.line ? `#L${place.line}` : ''}`;
  if (!ctx.inventory || !ctx.reportDir) return undefined;
  return encoded(path.relative(ctx.reportDir, path.join(ctx.inventory, ...place.file.split('/'))).split(path.sep));
}

type HistoryRun = NonNullable<CheckResult['trend']>['history'][number];

const FILTERS = ['district', 'coordinator', 'requirement', 'severity', 'contour'] as const;

function trendSvg(history: readonly HistoryRun[], ctx: ReportContext): string {
  const l = labels(ctx.lang);
  if (history.length < 2) {
    const only = history[0];
    return `<p class="muted">${esc(l.noHistory)}${only ? ` ${esc(l.errors)}: ${only.errors}, ${esc(l.warnings).toLowerCase()}: ${only.warnings}.` : ''}</p>`;
  }
  // Bars per run, errors stacked under warnings, scaled to the run with most findings; below,
  // new (up) and fixed (down) per run. A bar is at least one pixel: 365 runs fit in 700 px. The
  // numbers of the scale sit in a margin of their own left of the bars, and the series are named
  // in a legend above them: a label beside the bars is covered by them (it read «+новы»).
  const width = 760;
  const left = 64;
  const right = 8;
  const top = 36;
  const upper = 120;
  const base = top + upper;
  const lower = 70;
  const mid = base + 16 + lower / 2;
  const reach = lower / 2 - 4;
  const n = history.length;
  const step = (width - left - right) / n;
  const bar = Math.max(1, step * 0.8);
  const max = Math.max(1, ...history.map((r) => r.errors + r.warnings));
  const maxChange = Math.max(1, ...history.map((r) => Math.max(r.new ?? 0, r.fixed ?? 0)));
  const x = (i: number) => left + i * step;
  const num = (v: number) => formatNumber(v, ctx.lang);
  const bars = history
    .map((r, i) => {
      const eh = (r.errors / max) * upper;
      const wh = (r.warnings / max) * upper;
      const nh = ((r.new ?? 0) / maxChange) * reach;
      const fh = ((r.fixed ?? 0) / maxChange) * reach;
      const tip = `${localTime(r.generatedAt, ctx.timeZone, ctx.lang)}: ${l.errors.toLowerCase()} ${r.errors}, ${l.warnings.toLowerCase()} ${r.warnings}, ${l.newFindings} ${r.new ?? 0}, ${l.fixed} ${r.fixed ?? 0}, ${l.persisting} ${r.persisting ?? 0}`;
      return `<g class="run"><title>${esc(tip)}</title><rect x="${x(i)}" y="${base - eh}" width="${bar}" height="${eh}" class="e"/><rect x="${x(i)}" y="${base - eh - wh}" width="${bar}" height="${wh}" class="w"/><rect x="${x(i)}" y="${mid - nh}" width="${bar}" height="${nh}" class="n"/><rect x="${x(i)}" y="${mid}" width="${bar}" height="${fh}" class="f"/></g>`;
    })
    .join('');
  // The scale: zero, the middle (when it is a whole number of findings) and the largest run, each with its grid line.
  const ticks = [0, ...(max >= 2 && max % 2 === 0 ? [max / 2] : []), max]
    .map((v) => {
      const y = base - (v / max) * upper;
      return `<line x1="${left - 3}" y1="${y}" x2="${width - right}" y2="${y}" class="${v ? 'grid' : 'axis'}"/><text x="${left - 6}" y="${y + 4}" text-anchor="end" class="scale">${esc(num(v))}</text>`;
    })
    .join('');
  const changeTicks = (
    [
      [mid - reach, `+${num(maxChange)}`],
      [mid, '0'],
      [mid + reach, `−${num(maxChange)}`],
    ] as const
  )
    .map(([y, text]) => `<text x="${left - 6}" y="${y + 4}" text-anchor="end" class="scale">${esc(text)}</text>`)
    .join('');
  // The legend's entries side by side, each as wide as its words (about 7 px a letter at 11 px).
  let at = left;
  const legend = (
    [
      ['e', l.legend.errors],
      ['w', l.legend.warnings],
      ['n', l.legend.newFindings],
      ['f', l.legend.fixed],
    ] as const
  )
    .map(([cls, label]) => {
      const entry = `<rect x="${at}" y="8" width="12" height="12" class="${cls} key"/><text x="${at + 17}" y="18" class="legend">${esc(label)}</text>`;
      at += 17 + label.length * 7 + 18;
      return entry;
    })
    .join('');
  const first = localTime(history[0]!.generatedAt, ctx.timeZone, ctx.lang);
  const last = localTime(history[n - 1]!.generatedAt, ctx.timeZone, ctx.lang);
  const height = mid + reach + 26;
  return `<p class="muted">${esc(`${l.trendCaption} (${runsCount(n, ctx.lang)})`)}</p>
<svg class="trend" role="img" aria-label="${esc(l.trend)}" viewBox="0 0 ${width} ${height}" width="100%">
${legend}
${ticks}<line x1="${left - 3}" y1="${mid}" x2="${width - right}" y2="${mid}" class="axis"/>${changeTicks}
${bars}
<text x="${left}" y="${height - 4}" class="scale">${esc(first)}</text><text x="${width - right}" y="${height - 4}" text-anchor="end" class="scale">${esc(last)}</text></svg>`;
}

const CSS = `
:root{--bad:#b71c1c;--warn:#e65100;--ok:#1b5e20;--muted:#555}
body{font:14px/1.45 system-ui,"DejaVu Sans",sans-serif;margin:1.5em auto;max-width:1200px;padding:0 1em;color:#1a1a1a}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .4em;border-bottom:1px solid #ddd}
.muted{color:var(--muted)}.cards{display:flex;gap:.8em;flex-wrap:wrap;margin:.6em 0}
.card{border:1px solid #ccc;border-radius:6px;padding:.5em .9em;min-width:8em}.card b{display:block;font-size:1.6em}
.card.bad b{color:var(--bad)}.card.warn b{color:var(--warn)}
.status{display:inline-block;font-weight:700;font-size:1.15em;padding:.25em .7em;border-radius:4px;color:#fff}
.status.bad{background:var(--bad)}.status.warn{background:var(--warn)}.status.ok{background:var(--ok)}
.filters{display:flex;gap:.6em;flex-wrap:wrap;align-items:end;background:#f5f5f5;padding:.6em;border-radius:6px;position:sticky;top:0}
.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}.filters select{font-size:14px;max-width:22em}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em}th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}th{background:#eee}
tr.bad td:first-child{border-left:4px solid var(--bad)}tr.warn td:first-child{border-left:4px solid var(--warn)}tr.ok td:first-child{border-left:4px solid var(--ok)}
details.finding{border:1px solid #ddd;border-left:5px solid var(--warn);border-radius:4px;margin:.35em 0;padding:.3em .6em}
details.finding.error{border-left-color:var(--bad)}details.finding summary{cursor:pointer}
.sev{display:inline-block;font-size:12px;padding:0 .4em;border-radius:3px;color:#fff;background:var(--warn)}.error .sev{background:var(--bad)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em .8em;margin:.5em 0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
code{font-size:12px;overflow-wrap:anywhere}.trend .e{fill:var(--bad)}.trend .w{fill:#f9a825}.trend .n{fill:#6a1b9a}.trend .f{fill:#2e7d32}.trend .axis{stroke:#999}.trend .grid{stroke:#e0e0e0}.trend text{font-size:11px;fill:#333}
[hidden]{display:none!important}
@media print{.filters,.noprint{display:none}body{margin:0;max-width:none;font-size:11pt}details.finding{break-inside:avoid}h2{break-after:avoid}a{color:inherit;text-decoration:none}}
@page{size:A4;margin:15mm}`;

// Filters apply the #fragment on load and write it on change; print opens every finding.
const SCRIPT = `
(function(){
  var keys=${JSON.stringify(FILTERS)};
  var selects={};keys.forEach(function(k){selects[k]=document.getElementById('f-'+k);});
  var items=[].slice.call(document.querySelectorAll('[data-filtered]'));
  var shown=document.getElementById('shown');
  function wanted(){var w={};keys.forEach(function(k){if(selects[k].value)w[k]=selects[k].value;});return w;}
  function apply(){
    var w=wanted(),n=0;
    items.forEach(function(el){
      var ok=keys.every(function(k){return !(k in w)||(el.getAttribute('data-'+k)||'').split('|').indexOf(w[k])>=0;});
      el.hidden=!ok;if(ok&&el.classList.contains('finding'))n++;
    });
    shown.textContent=String(n);
    var h=keys.filter(function(k){return k in w;}).map(function(k){return k+'='+encodeURIComponent(w[k]);}).join('&');
    if(('#'+h)!==location.hash&&!(h===''&&location.hash===''))history.replaceState(null,'',h?'#'+h:location.pathname+location.search);
  }
  // A bookmarked value no finding has now still filters (to nothing), rather than being dropped.
  location.hash.replace(/^#/,'').split('&').forEach(function(p){var i=p.indexOf('=');if(i>0){var k=p.slice(0,i);var s=selects[k],v=decodeURIComponent(p.slice(i+1));if(s){if(![].some.call(s.options,function(o){return o.value===v;})){var o=document.createElement('option');o.value=v;o.textContent=v;s.appendChild(o);}s.value=v;}}});
  keys.forEach(function(k){selects[k].addEventListener('change',apply);});
  window.addEventListener('beforeprint',function(){[].forEach.call(document.querySelectorAll('details'),function(d){d.open=true;});});
  apply();
  document.body.setAttribute('data-ready','1');
})();`;

export function renderHtmlReport(result: CheckResult, ctx: ReportContext): string {
  const l = labels(ctx.lang);
  const s = summary(result);
  const info = (id: string | undefined) => (id ? ctx.participants[id] : undefined);
  const tone = s.unchecked ? 'warn' : s.errors ? 'bad' : 'ok';
  const attr = (f: RequirementFinding) => {
    const p = info(f.participant);
    return `data-filtered data-district="${esc(p?.district ?? '')}" data-coordinator="${esc(p?.coordinator ?? '')}" data-requirement="${f.requirement}" data-severity="${f.severity}" data-contour="${f.contour ?? ''}"`;
  };
  const options = (values: Iterable<string>, label: (v: string) => string = (v) => v) =>
    [...new Set(values)]
      .filter(Boolean)
      .sort((a, b) => a.localeCompare(b, 'ru'))
      .map((v) => `<option value="${esc(v)}">${esc(label(v))}</option>`)
      .join('');
  const everyone = result.participants.map((id) => info(id)).filter((p) => p !== undefined);
  const select = (key: (typeof FILTERS)[number], title: string, opts: string) =>
    `<label>${esc(title)}<select id="f-${key}"><option value="">${esc(l.all)}</option>${opts}</select></label>`;

  const findingHtml = (f: RequirementFinding) => {
    const p = info(f.participant);
    const said = wording(f, ctx.lang);
    const place = findingPlace(f, ctx);
    const href = place && fileHref(place, ctx);
    const where = place ? (href ? `<a href="${esc(href)}">${esc(placeText(place))}</a>` : esc(placeText(place))) : '—';
    return `<details class="finding ${f.severity}" ${attr(f)}><summary><span class="sev">${esc(l.severities[f.severity])}</span> <b>${f.requirement}</b> ${esc(p?.name ?? f.participant ?? f.subject)}${f.contour ? ` · ${esc(l.contours[f.contour])}` : ''} — ${esc(said.message)}</summary>
<dl><dt>${esc(l.requirement)}</dt><dd>${f.requirement} ${esc(requirementTitle(f.requirement, ctx.lang))} (${esc(requirementSource(f.requirement, ctx.lang))})</dd>
<dt>${esc(l.subject)}</dt><dd>${esc(f.subject)}</dd>${p ? `<dt>${esc(l.district)}</dt><dd>${esc(p.district)}</dd><dt>${esc(l.coordinator)}</dt><dd>${esc(p.coordinator)}</dd>` : ''}
<dt>${esc(l.evidence)}</dt><dd><code>${esc(said.evidence)}</code></dd><dt>${esc(l.fix)}</dt><dd>${esc(said.fix)}</dd><dt>${esc(l.file)}</dt><dd>${where}</dd></dl></details>`;
  };

  const participantRows = result.participants.map((id) => {
    const p = info(id);
    const f = result.findings.filter((x) => x.participant === id);
    const e = f.filter((x) => x.severity === 'error').length;
    return `<tr class="${e ? 'bad' : f.length ? 'warn' : 'ok'}" data-filtered data-district="${esc(p?.district ?? '')}" data-coordinator="${esc(p?.coordinator ?? '')}" data-requirement="${esc([...new Set(f.map((x) => x.requirement))].join('|'))}" data-severity="${esc([...new Set(f.map((x) => x.severity))].join('|'))}" data-contour="${esc([...new Set(f.map((x) => x.contour ?? ''))].join('|'))}"><td>${esc(p?.name ?? id)}<br><span class="muted">${esc(id)}</span></td><td>${esc(p?.district ?? '')}</td><td>${formatNumber(e, ctx.lang)}</td><td>${formatNumber(f.length - e, ctx.lang)}</td><td>${esc([...new Set(f.map((x) => x.requirement))].join(', ') || l.allMet)}</td></tr>`;
  });
  const requirementRows = result.requirements.map((req) => {
    const f = result.findings.filter((x) => x.requirement === req);
    const unchecked = result.unchecked.some((u) => u.requirements.includes(req));
    return `<tr class="${f.some((x) => x.severity === 'error') ? 'bad' : unchecked ? 'warn' : f.length ? 'warn' : 'ok'}"><td>${req}</td><td>${esc(requirementTitle(req, ctx.lang))}</td><td>${esc(requirementSource(req, ctx.lang))}</td><td>${formatNumber(f.length, ctx.lang)}</td><td>${esc(unchecked ? l.partlyUnchecked : l.checked)}</td></tr>`;
  });
  const table = (head: string[], rows: string[], empty: string) =>
    rows.length
      ? `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`
      : `<p>${esc(empty)}</p>`;
  const waivedRows = result.waived.map(
    (f) =>
      `<tr><td>${f.requirement}</td><td>${esc(info(f.participant)?.name ?? f.participant)}</td><td>${esc(wording(f, ctx.lang).message)}</td><td>${esc(f.waiver!.reason)}</td><td>${esc(f.waiver!.owner)}</td><td>${esc(localDay(f.waiver!.expires, ctx.lang))}</td></tr>`,
  );
  const uncheckedRows = result.unchecked.map(
    (u) =>
      `<tr class="warn"><td>${esc(u.subject)}</td><td>${u.requirements.join(', ')}</td><td>${esc(u.reason)}</td></tr>`,
  );
  const edgeRouteRows = Object.entries(result.reads?.edgeRoutes ?? {}).map(
    ([edge, r]) =>
      `<tr><td>${esc(edge)}</td><td>${formatNumber(r.addresses.length, ctx.lang)}</td><td>${formatNumber(r.routes.length, ctx.lang)}</td></tr>`,
  );
  const title = `${l.report[result.kind]}: ${localTime(result.generatedAt, ctx.timeZone, ctx.lang)}`;
  const trend = result.trend;

  return `<!doctype html>
<html lang="${ctx.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(l.report[result.kind])}</h1>
<p class="muted">${esc(l.generated)} ${esc(localTime(result.generatedAt, ctx.timeZone, ctx.lang))}; ${esc(l.evaluatedAt)} ${esc(localDay(result.at, ctx.lang))}.</p>
<h2>${esc(l.summary)}</h2>
<p><span id="status" class="status ${tone}">${esc(statusText(s.status, ctx.lang))}</span> <span class="muted">(${esc(l.exitCode)} ${s.exitCode})</span></p>
<div class="cards" id="summary"><div class="card ${s.errors ? 'bad' : ''}">${esc(l.errors)}<b>${formatNumber(s.errors, ctx.lang)}</b></div><div class="card ${s.warnings ? 'warn' : ''}">${esc(l.warnings)}<b>${formatNumber(s.warnings, ctx.lang)}</b></div><div class="card">${esc(l.waived)}<b>${formatNumber(s.waived, ctx.lang)}</b></div><div class="card ${s.unchecked ? 'warn' : ''}">${esc(l.unchecked)}<b>${formatNumber(s.unchecked, ctx.lang)}</b></div>${trend ? `<div class="card" id="since">${esc(l.sincePrevious)}${trend.previous ? `<b>+${formatNumber(trend.new, ctx.lang)} / −${formatNumber(trend.fixed, ctx.lang)}</b><span class="muted">${esc(l.persisting)}: ${formatNumber(trend.persisting, ctx.lang)}</span>` : `<b>—</b><span class="muted">${esc(l.firstRun)}</span>`}</div>` : ''}</div>
${result.unchecked.length ? `<h2>${esc(l.notChecked)}</h2>${table([l.subject, l.requirements, l.reason], uncheckedRows, '')}` : ''}
<h2>${esc(l.findings)}</h2>
<div class="filters" role="search"><b>${esc(l.filters)}</b>
${select('district', l.district, options(everyone.map((p) => p.district)))}
${select('coordinator', l.coordinator, options(everyone.map((p) => p.coordinator)))}
${select(
  'requirement',
  l.requirement,
  options(
    result.findings.map((f) => f.requirement),
    (r) => `${r} ${requirementTitle(r as RequirementFinding['requirement'], ctx.lang)}`,
  ),
)}
${select(
  'severity',
  l.severity,
  options(
    result.findings.map((f) => f.severity),
    (v) => l.severities[v as 'error' | 'warning'],
  ),
)}
${select(
  'contour',
  l.contour,
  options(
    result.findings.map((f) => f.contour ?? ''),
    (v) => l.contours[v as 'test' | 'prod'],
  ),
)}
<span>${esc(l.shown)}: <b id="shown">${result.findings.length}</b> / ${formatNumber(result.findings.length, ctx.lang)}</span></div>
<div id="findings">${result.findings.length ? result.findings.map(findingHtml).join('\n') : `<p>${esc(l.noFindings)}</p>`}</div>
<h2>${esc(l.trend)}</h2>${trendSvg(trend?.history ?? [], ctx)}
<h2>${esc(l.participants)}</h2>${table([l.participant, l.district, l.errors, l.warnings, l.failing], participantRows, l.none)}
<h2>${esc(l.requirements)}</h2>${table(['', l.requirement, l.source, l.findings, l.coverage], requirementRows, '')}
<h2>${esc(l.waived)}</h2>${table([l.requirement, l.participant, l.finding, l.reason, l.owner, l.expires], waivedRows, l.noWaived)}${edgeRouteRows.length ? `\n<h2>${esc(l.edgeRoutes)}</h2>${table([l.edge, l.addresses, l.routes], edgeRouteRows, '')}` : ''}
<script>${SCRIPT}</script>
</body></html>
`;
}
