// Inventory requirements and waivers on edited copies of the sample inventory, and the report
// formats, including the HTML page as a person sees it in headless Chromium.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { checkInventory } from '../src/requirements/index.js';
import { recordRun } from '../src/drift/history.js';
import { exitCode, type CheckResult } from '../src/drift/model.js';
import { runChecks } from '../src/drift/run.js';
import { renderJunit, writeReports } from '../src/report/index.js';
import { launchBrowser } from './helpers/browser.js';
import { inventoryWith, removeInventory, SAMPLE_INVENTORY, type Edit } from './helpers/inventory.js';
import { prichal } from './helpers/cli.js';
import { Ajv } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { PROJECT_ROOT } from '../src/project.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeInventory)));

async function audit(edits: Edit[], at = '2026-11-23'): Promise<CheckResult> {
  const dir = edits.length ? await inventoryWith(edits) : SAMPLE_INVENTORY;
  if (edits.length) dirs.push(dir);
  const checked = await checkInventory(dir, at);
  return runChecks({
    kind: 'audit',
    at,
    inventory: checked.validation.inventory,
    plan: checked.plan!,
    validation: checked.findings,
  });
}
const brief = (r: CheckResult) => r.findings.map((f) => `${f.requirement} ${f.participant} ${f.severity}`).sort();
const P = (id: string) => `participants/${id}.yaml`;

describe('audit', () => {
  it('passes the sample inventory with one warning (CryptoPro below 5.0)', async () => {
    const result = await audit([]);
    expect(brief(result)).toEqual(['WS-1 tmn-sosh-12 warning']);
    expect(exitCode(result)).toBe(0);
  });

  it('flags an expired signer certificate at the audit date, and warns ahead of it', async () => {
    expect(brief(await audit([], '2027-04-20'))).toContain('SIG-1 dep-zdrav error');
    expect(brief(await audit([], '2027-04-01'))).toContain('SIG-1 dep-zdrav warning');
  });

  it('flags a missing agreement and an internet channel', async () => {
    const result = await audit([
      { file: P('kaskara-sp'), from: 'agreements: { joining: 2024-05-14, personalData: 2024-05-14 }\n', to: '' },
      { file: P('onokhino-sp'), from: 'type: vipnet', to: 'type: internet' },
    ]);
    expect(brief(result)).toEqual(['CH-1 onokhino-sp error', 'ORG-1 kaskara-sp error', 'WS-1 tmn-sosh-12 warning']);
    expect(exitCode(result)).toBe(1);
    const ch1 = result.findings.find((f) => f.requirement === 'CH-1')!;
    expect(ch1.evidence).toContain('channel.type: internet');
    expect(ch1.fix).toContain('ViPNet');
  });

  it('a valid waiver moves the finding to waived; an expired one stops waiving', async () => {
    const waiver = (expires: string) => ({
      file: P('tmn-sosh-12'),
      from: 'services:',
      to: `waivers:\n  - { requirement: WS-1, reason: "CryptoPro 5.0 licences arrive in Q1", owner: "Иванов П. П., ИБ", expires: ${expires} }\nservices:`,
    });
    const valid = await audit([waiver('2026-12-31')]);
    expect(brief(valid)).toEqual([]);
    expect(valid.waived.map((f) => [f.requirement, f.participant, f.waiver?.owner])).toEqual([
      ['WS-1', 'tmn-sosh-12', 'Иванов П. П., ИБ'],
    ]);
    const expired = await audit([waiver('2026-11-01')]);
    expect(brief(expired)).toEqual(['WS-1 tmn-sosh-12 warning']);
    expect(expired.waived).toEqual([]);
  });

  it('exits 0 / 1 from the CLI and prints JSON', async () => {
    const ok = await prichal(['audit', '--at', '2026-11-23', '--format', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).findings).toHaveLength(1);
    const late = await prichal(['audit', '--at', '2028-01-01', '--lang', 'en']);
    expect(late.code).toBe(1);
    expect(late.stdout).toMatch(/ERROR SIG-1/);
    // The operator's language (operator.yaml: ru) by default.
    const russian = await prichal(['audit', '--at', '2028-01-01']);
    expect(russian.stdout).toMatch(/^Проверка реестра \(аудит\): ЕСТЬ НАРУШЕНИЯ/);
    expect(russian.stdout).toMatch(/ОШИБКА SIG-1/);
  });
});

describe('reports', () => {
  let browser: Browser;
  let out: string;
  let result: CheckResult;
  beforeAll(async () => {
    browser = await launchBrowser();
    out = await mkdtemp(path.join(tmpdir(), 'prichal-report-'));
    result = await audit([{ file: P('onokhino-sp'), from: 'type: vipnet', to: 'type: internet' }], '2027-04-20');
    result.unchecked = [{ subject: 'edge-2', requirements: ['FW-1', 'FW-2', 'FW-3'], reason: 'ssh timeout' }];
    result.requirements = [...result.requirements, 'FW-1', 'FW-2', 'FW-3'];
    await recordRun(path.join(out, 'history.jsonl'), { ...result, findings: result.findings.slice(1) });
    await recordRun(path.join(out, 'history.jsonl'), result);
  });
  afterAll(async () => {
    await browser?.close();
    await rm(out, { recursive: true, force: true });
  });

  it('writes JSON, JUnit, Markdown and HTML from one result; partial runs say so in each', async () => {
    const files = await writeReports(out, result);
    expect(files.map((f) => path.basename(f))).toEqual(['audit.json', 'audit.junit.xml', 'audit.md', 'audit.html']);
    const json = JSON.parse(await readFile(files[0]!, 'utf8'));
    expect(json.version).toBe(1);
    // The JSON report follows its published schema.
    const ajv = new Ajv({ allErrors: true, strict: true });
    (ajvFormats as unknown as { default: (a: Ajv) => void }).default(ajv);
    const validate = ajv.compile(
      JSON.parse(await readFile(path.join(PROJECT_ROOT, 'src/drift/result.schema.json'), 'utf8')),
    );
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...json, findings: [{ requirement: 'XX-9' }] })).toBe(false);
    expect(json.summary).toMatchObject({ status: 'PARTIAL: not everything could be checked', exitCode: 3 });
    const md = await readFile(files[2]!, 'utf8');
    expect(md).toContain('**ЧАСТИЧНО: проверено не всё**');
    expect(md).toContain('| edge-2 | FW-1, FW-2, FW-3 | ssh timeout |');
    expect(result.trend).toMatchObject({ new: 1, fixed: 0 });
  });

  it('JUnit has one test case per participant × requirement, failures carrying evidence', () => {
    const xml = renderJunit(result);
    const cases = xml.match(/<testcase /g)!.length;
    expect(cases).toBe(result.participants.length * result.requirements.length);
    expect(xml).toMatch(
      /<testcase classname="prichal.CH-1" name="onokhino-sp"><failure message="Регламент ПУ ТО, п. 9.1 requires a VPN; an open internet channel is refused by the operator&#39;s policy/,
    );
    expect(xml).toMatch(
      /<testcase classname="prichal.FW-1" name="dep-obr"><skipped message="not checked: edge-2: ssh timeout"\/>/,
    );
  });

  it('the HTML page shows a security officer the status, findings, evidence and the trend; the filters narrow the findings', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${path.join(out, 'audit.html')}`);
    const errorCount = result.findings.filter((f) => f.severity === 'error').length;
    expect(await page.locator('#status').innerText()).toBe('ЧАСТИЧНО: проверено не всё');
    expect(await page.locator('#summary').innerText()).toMatch(new RegExp(`Ошибки\\s+${errorCount}`));
    const findings = page.locator('#findings details.finding');
    await expect.poll(() => findings.count()).toBe(result.findings.length);
    expect(await page.locator('#findings').textContent()).toContain('channel.type: internet');
    expect(await page.locator('h2:has-text("Не проверено") + table').innerText()).toContain('ssh timeout');
    await page.selectOption('#f-severity', 'error');
    expect(await page.locator('#findings details.finding:visible').count()).toBe(errorCount);
    expect(await page.locator('#shown').innerText()).toBe(String(errorCount));
    expect(page.url()).toMatch(/#severity=error$/);
    await page.selectOption('#f-severity', '');
    expect(await page.locator('#findings details.finding:visible').count()).toBe(result.findings.length);
    const chart = page.locator('svg.trend');
    expect(await chart.isVisible()).toBe(true);
    expect(await chart.locator('g').count()).toBe(2);
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(errors).toEqual([]);
    await page.close();
  });
});
