// The HTML report as the security officer reads it on a PC of their own, in headless Chromium:
// links to the inventory's files that open there (relative to the report, or the operator's
// repository) with the same file:line as the JSON and the Markdown; the requirement's source by
// name, in Russian; a trend with a legend, a scale and no label under the bars; no comparison on
// a first run; a finding of a broken participant file under its participant's district. Full-page
// screenshots of the Russian report are kept as test artefacts (out/test-artifacts/).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRun } from '../src/drift/history.js';
import type { CheckResult, RequirementFinding } from '../src/drift/model.js';
import { PROJECT_ROOT } from '../src/project.js';
import { renderHtmlReport } from '../src/report/index.js';
import { checks, reportContext } from '../src/workflows/run-checks.js';
import { launchBrowser } from './helpers/browser.js';
import { editedInventories } from './helpers/inventory.js';

const AT = '2026-11-23';
const ARTIFACTS = path.join(PROJECT_ROOT, 'out', 'test-artifacts');
const edited = editedInventories();
/** Findings in two districts: the sample's school in г. Тюмень, and the Ishim administration's workstation. */
const TWO_DISTRICTS = [
  { file: 'participants/ishim-district-admin.yaml', from: 'cryptoPro: 5.0.13000', to: 'cryptoPro: 4.0.9975' },
];
const REPOSITORY = 'https://git.example/ops/inventory/blob/main/inventory/';

let browser: Browser;
let work: string;
beforeAll(async () => {
  browser = await launchBrowser();
  work = await mkdtemp(path.join(tmpdir(), 'prichal-officer-'));
});
afterAll(async () => {
  await browser?.close();
  await rm(work, { recursive: true, force: true });
});

/** The JSON, Markdown and HTML a run wrote to `out`. */
async function written(out: string, kind = 'audit') {
  const json = JSON.parse(await readFile(path.join(out, `${kind}.json`), 'utf8')) as CheckResult;
  return {
    json,
    md: await readFile(path.join(out, `${kind}.md`), 'utf8'),
    html: await readFile(path.join(out, `${kind}.html`), 'utf8'),
  };
}

/** Each finding's link in the HTML: its address and its text, in the findings' order. */
const links = (html: string) =>
  [...html.matchAll(/<dt>Файл<\/dt><dd>(?:<a href="([^"]*)">([^<]*)<\/a>|([^<]*))<\/dd>/g)].map((m) => ({
    href: m[1],
    text: m[2] ?? m[3]!,
  }));
const unescape = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"');

async function page(file: string, fragment = ''): Promise<Page> {
  const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await p.goto(`file://${file}${fragment}`);
  await p.waitForSelector('body[data-ready="1"]');
  expect(errors).toEqual([]);
  return p;
}

describe('links to the inventory’s files', () => {
  it('lead to the file relative to the report, never to this machine’s absolute path; file:line is the JSON’s and the Markdown’s', async () => {
    const dir = await edited(TWO_DISTRICTS);
    const out = path.join(work, 'relative', 'reports');
    await checks({ kind: 'audit', inventory: dir, at: AT, out });
    const { json, md, html } = await written(out);
    expect(html).not.toContain('file://');
    expect(html).not.toContain(dir);
    const found = links(html);
    expect(found).toHaveLength(json.findings.length);
    expect(json.findings.length).toBeGreaterThanOrEqual(2);
    json.findings.forEach((f, i) => {
      const place = `${f.file}:${f.line}`;
      expect(found[i]!.text).toBe(place);
      expect(md).toContain(`| ${place} |`);
      const href = unescape(found[i]!.href!);
      expect(href).not.toMatch(/^(\/|[a-z]+:)/);
      expect(path.resolve(out, decodeURIComponent(href))).toBe(path.join(dir, f.file!));
      expect(existsSync(path.resolve(out, decodeURIComponent(href)))).toBe(true);
    });
  });

  it('lead to the repository the operator declares (operator.yaml reports.repository), at the line', async () => {
    const dir = await edited([
      ...TWO_DISTRICTS,
      {
        file: 'operator.yaml',
        from: 'timeZone: Asia/Yekaterinburg',
        to: `reports: { repository: "${REPOSITORY}" }\ntimeZone: Asia/Yekaterinburg`,
      },
    ]);
    const out = path.join(work, 'repository');
    const run = await checks({ kind: 'audit', inventory: dir, at: AT, out });
    expect(run.result.findings.filter((f) => f.requirement === 'INV-1')).toEqual([]);
    const { json, html } = await written(out);
    expect(links(html).map((l) => unescape(l.href!))).toEqual(
      json.findings.map((f) => `${REPOSITORY}${f.file}#L${f.line}`),
    );
  });
});

describe('what the officer reads', () => {
  it('«Источник» names Prichal’s own requirements in Russian, not drift or validation', async () => {
    const { result, inventory } = await checks({ kind: 'audit', inventory: await edited(TWO_DISTRICTS), at: AT });
    const requirements: CheckResult['requirements'] = [...result.requirements, 'FW-3', 'GW-1', 'BUS-1'];
    const html = renderHtmlReport({ ...result, requirements }, reportContext(inventory, 'ru'));
    const table = /<h2>Требования<\/h2><table>.*?<\/table>/s.exec(html)![0];
    const sources = [...table.matchAll(/<tr[^>]*><td>[^<]*<\/td><td>[^<]*<\/td><td>([^<]*)<\/td>/g)].map((m) => m[1]!);
    expect(sources).toHaveLength(requirements.length);
    for (const source of sources) expect(source).not.toMatch(/(^|; )(drift|validation)$/);
    expect(table).toContain('<td>INV-1</td><td>Реестр читается и корректен</td><td>Prichal: проверка реестра');
    expect(table).toMatch(/<td>BUS-1<\/td><td>[^<]*<\/td><td>Регламент ПУ ТО, п\. 4\.3; Prichal: сверка/);
    // The finding's own requirement line says the same.
    expect(html).not.toMatch(/\((drift|validation)\)<\/dd>/);
  });

  it('a first run, with no history yet, compares with nothing: no «+N» since a previous run', async () => {
    const out = path.join(work, 'first');
    await checks({
      kind: 'audit',
      inventory: await edited(TWO_DISTRICTS),
      at: AT,
      out,
      history: path.join(work, 'first-history.jsonl'),
    });
    const { json, md, html } = await written(out);
    expect(json.trend?.previous).toBeUndefined();
    const p = await page(path.join(out, 'audit.html'));
    const cards = await p.locator('#summary').innerText();
    expect(cards).not.toMatch(/С прошлого запуска\s*\+/);
    expect(cards).toMatch(/С прошлого запуска\s*—\s*первый запуск/);
    await p.close();
    expect(html).not.toMatch(/С прошлого запуска<b>\+/);
    expect(md).not.toMatch(/С прошлого запуска: новых/);
    expect(md).toContain('С прошлого запуска: первый запуск');
  });
});

/** Runs before this one: fewer and more findings (some made up), a day apart, for the trend. */
async function history(file: string, base: CheckResult): Promise<void> {
  for (let i = 0; i < 8; i++) {
    const extra: RequirementFinding[] = Array.from({ length: (i * 3) % 7 }, (_, j) => ({
      ...base.findings[0]!,
      severity: j % 3 ? 'warning' : 'error',
      message: `earlier finding ${i}-${j}`,
    }));
    await recordRun(file, {
      ...base,
      generatedAt: `2026-11-${String(10 + i).padStart(2, '0')}T02:30:00.000Z`,
      findings: [...base.findings.slice(0, i % 3), ...extra],
    });
  }
}

describe('the trend', () => {
  it('has a legend naming each series in full, a scale, and no label covered by the bars', async () => {
    const dir = await edited(TWO_DISTRICTS);
    const file = path.join(work, 'trend-history.jsonl');
    const base = (await checks({ kind: 'audit', inventory: dir, at: AT })).result;
    await history(file, base);
    const out = path.join(work, 'trend');
    const { result } = await checks({ kind: 'audit', inventory: dir, at: AT, out, history: file });
    const runs = result.trend!.history;
    expect(runs).toHaveLength(9);
    const p = await page(path.join(out, 'audit.html'), `#district=${encodeURIComponent('г. Тюмень')}`);
    // Boxes as the page lays them out (playwright's, in page pixels).
    type Box = { left: number; right: number; top: number; bottom: number };
    const boxOf = (b: { x: number; y: number; width: number; height: number }): Box => ({
      left: b.x,
      right: b.x + b.width,
      top: b.y,
      bottom: b.y + b.height,
    });
    const svg = p.locator('svg.trend');
    const chart = {
      box: boxOf((await svg.boundingBox())!),
      texts: await Promise.all(
        (await svg.locator('text').all()).map(async (t) => ({
          text: (await t.textContent()) ?? '',
          ...boxOf((await t.boundingBox())!),
        })),
      ),
      bars: (await Promise.all((await svg.locator('g rect').all()).map((r) => r.boundingBox())))
        .filter((b) => b !== null && b.width > 0 && b.height > 0)
        .map((b) => boxOf(b!)),
      keys: await Promise.all(['e', 'w', 'n', 'f'].map((c) => p.locator(`svg.trend > rect.${c}`).count())),
    };
    const texts = chart.texts.map((t) => t.text);
    // The legend: a swatch of each series' colour beside its name, in full.
    expect(texts).toEqual(expect.arrayContaining(['ошибки', 'предупреждения', 'новые', 'устранённые']));
    expect(chart.keys).toEqual([1, 1, 1, 1]);
    // The scale: zero and the largest run's count of findings.
    const max = Math.max(...runs.map((r) => r.errors + r.warnings));
    expect(texts).toEqual(expect.arrayContaining(['0', String(max)]));
    const change = Math.max(...runs.map((r) => Math.max(r.new ?? 0, r.fixed ?? 0)));
    expect(texts).toEqual(expect.arrayContaining([`+${change}`, `−${change}`]));
    // Every label whole inside the chart, none under a bar.
    const overlaps = (a: Box, b: Box) =>
      a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    for (const t of chart.texts) {
      expect(t.left, t.text).toBeGreaterThanOrEqual(chart.box.left - 0.5);
      expect(t.right, t.text).toBeLessThanOrEqual(chart.box.right + 0.5);
      expect(t.top, t.text).toBeGreaterThanOrEqual(chart.box.top - 0.5);
      expect(t.bottom, t.text).toBeLessThanOrEqual(chart.box.bottom + 0.5);
      expect(
        chart.bars.filter((b) => overlaps(t, b)),
        `'${t.text}' is under a bar`,
      ).toEqual([]);
    }
    await mkdir(ARTIFACTS, { recursive: true });
    await p.screenshot({ path: path.join(ARTIFACTS, 'report-trend-district.png'), fullPage: true });
    await p.close();
  });
});

describe('a broken participant file in the report', () => {
  it('its findings are the participant’s: its district’s filter shows them, its row fails', async () => {
    const dir = await edited([
      ...TWO_DISTRICTS,
      { file: 'participants/gup-farmaciya.yaml', from: 'coordinatedBy: dep-zdrav', to: 'coordinatedBy: dep-zdrav-old' },
      { file: 'participants/tmn-sosh-12.yaml', from: 'kind: ', to: 'kind_: ' },
    ]);
    const out = path.join(work, 'broken');
    await checks({ kind: 'audit', inventory: dir, at: AT, out });
    const p = await page(path.join(out, 'audit.html'), `#district=${encodeURIComponent('г. Тюмень')}`);
    const shown = p.locator('#findings details.finding:visible');
    const summaries = await shown.locator('summary').allInnerTexts();
    expect(summaries.filter((s) => s.includes('INV-1')).length).toBeGreaterThanOrEqual(2);
    expect(summaries.some((s) => /INV-1 ГУП ТО «Тюменская областная фармация» — coordinatedBy:/.test(s))).toBe(true);
    expect(summaries.some((s) => /INV-1 МАОУ СОШ № 12 г\. Тюмени — /.test(s))).toBe(true);
    const row = p.locator('tr:visible', { hasText: 'gup-farmaciya' });
    expect(await row.getAttribute('class')).toBe('bad');
    expect(await row.innerText()).toContain('INV-1');
    expect(await row.innerText()).not.toContain('все выполнены');
    // Opened, as the officer would, for the screenshot.
    await shown.filter({ hasText: 'ГУП ТО' }).filter({ hasText: 'INV-1' }).locator('summary').first().click();
    await mkdir(ARTIFACTS, { recursive: true });
    await p.screenshot({ path: path.join(ARTIFACTS, 'report-validity-participant.png'), fullPage: true });
    await p.close();
  });
});
