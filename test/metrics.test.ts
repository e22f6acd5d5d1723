// The nightly metrics file (Prometheus text format for node_exporter's textfile collector) and
// the alert rules shipped for it (monitoring/): promtool from Debian's prometheus package — which
// scripts/setup-lab.sh installs; missing, these tests fail saying so — accepts the file and runs
// the rules' own tests; its series say what the run found, the findings new by identity (one
// error fixed and another new is news, and an alert), and the last success survives runs that
// could not check everything and folders of their own.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { newFindings, type HistoryEntry } from '../src/drift/history.js';
import { findingKey, type CheckResult, type RequirementFinding } from '../src/drift/model.js';
import type { Collectors } from '../src/drift/run.js';
import { PROJECT_ROOT } from '../src/project.js';
import { previousSuccess, renderPrometheus } from '../src/report/index.js';
import { checks, METRICS_FILE } from '../src/workflows/run-checks.js';
import { prichal } from './helpers/cli.js';
import { editedInventories, inventoryWith, SAMPLE_INVENTORY } from './helpers/inventory.js';

const MONITORING = path.join(PROJECT_ROOT, 'monitoring');
const RULES = path.join(MONITORING, 'prichal.rules.yml');

beforeAll(async () => {
  const version = await execa('promtool', ['--version'], { reject: false });
  if (version.exitCode !== 0)
    throw new Error(
      "promtool is missing: the metrics and alert-rule tests need it (Debian's prometheus package; scripts/setup-lab.sh installs it)",
    );
});

let dir: string;
let result: CheckResult;
beforeAll(async () => {
  dir = await inventoryWith([
    { file: 'participants/ishim-district-admin.yaml', from: 'cryptoPro: 5.0.13000', to: 'cryptoPro: 4.0.9975' },
  ]);
  result = (await checks({ kind: 'audit', inventory: dir, at: '2026-11-23' })).result;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every read fails: a run that checks the inventory and leaves every live subject unchecked (exit 3). */
const OFFLINE: Collectors = {
  edges: async (edges) => edges.map((e) => ({ edge: e.id, ok: false as const, error: 'offline' })),
  gateways: async () => ({ ok: false as const, error: 'offline' }),
  bus: async () => ({ ok: false as const, error: 'offline' }),
};

async function promtool(text: string): Promise<{ exitCode: number; output: string }> {
  const r = await execa('promtool', ['check', 'metrics'], { input: text, reject: false });
  return { exitCode: r.exitCode ?? -1, output: `${r.stdout}${r.stderr}` };
}

describe('the metrics file', () => {
  it('passes promtool check metrics and counts the findings by requirement, severity and contour', async () => {
    const text = renderPrometheus(result, { durationSeconds: 12.5, finishedAt: 1_795_000_000 });
    expect(await promtool(text)).toEqual({ exitCode: 0, output: '' });
    expect(text).toContain('prichal_findings{kind="audit",requirement="WS-1",severity="warning",contour="none"} 2');
    expect(text).toContain('prichal_findings{kind="audit",requirement="SIG-1",severity="error",contour="none"} 0');
    expect(text).toContain('prichal_run_duration_seconds{kind="audit"} 12.5');
    expect(text).toContain('prichal_last_success_timestamp_seconds{kind="audit"} 1795000000');
  });

  it('a run that could not check everything keeps the previous last success, and promtool still accepts it', async () => {
    const before = renderPrometheus(result, { durationSeconds: 1, finishedAt: 1_795_000_000 });
    const partial: CheckResult = {
      ...result,
      unchecked: [{ subject: 'edge-2', requirements: ['FW-1'], reason: 'SSH: timed out' }],
    };
    const text = renderPrometheus(partial, {
      durationSeconds: 2,
      finishedAt: 1_795_086_400,
      previousSuccess: previousSuccess(before, 'audit')!,
    });
    expect(await promtool(text)).toEqual({ exitCode: 0, output: '' });
    expect(text).toContain('prichal_last_success_timestamp_seconds{kind="audit"} 1795000000');
    expect(text).toContain('prichal_last_run_timestamp_seconds{kind="audit"} 1795086400');
    expect(text).toContain('prichal_unchecked_subjects{kind="audit"} 1');
  });

  it('promtool rejects a malformed file (the check is real)', async () => {
    expect((await promtool('prichal_findings{kind="audit" 1\n')).exitCode).not.toBe(0);
  });
});

describe('the nightly metrics: one stable file, new findings by identity, failing participants', () => {
  const edited = editedInventories();
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'prichal-metrics-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('one error fixed and another new: prichal_new_findings counts the new one, though the errors are as many as before', async () => {
    const history = path.join(dir, 'fixed-and-new', 'history.jsonl');
    const metrics = path.join(dir, 'fixed-and-new', 'textfile', 'prichal.prom');
    const night = async (inventory: string, day: string) =>
      checks({
        kind: 'all',
        inventory,
        at: '2026-11-23',
        out: path.join(dir, 'fixed-and-new', day),
        history,
        metrics,
        collectors: OFFLINE,
      });
    // Night 1: kaskara-sp without its agreements (ORG-1). Night 2: those restored, onokhino-sp on the internet (CH-1).
    await night(
      await edited([
        {
          file: 'participants/kaskara-sp.yaml',
          from: 'agreements: { joining: 2024-05-14, personalData: 2024-05-14 }\n',
          to: '',
        },
      ]),
      '2026-11-23',
    );
    const first = await readFile(metrics, 'utf8');
    // Nothing to compare the first night with: nothing is new.
    expect(first).toContain('prichal_new_findings{kind="all",severity="error"} 0');
    expect(first).toContain('prichal_participant_errors{kind="all",participant="kaskara-sp"} 1');
    const second = await night(
      await edited([{ file: 'participants/onokhino-sp.yaml', from: 'type: vipnet', to: 'type: internet' }]),
      '2026-11-24',
    );
    const errors = second.result.findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => `${f.requirement} ${f.participant}`)).toEqual(['CH-1 onokhino-sp']);
    const text = await readFile(metrics, 'utf8');
    expect(await promtool(text)).toEqual({ exitCode: 0, output: '' });
    expect(text).toContain('prichal_new_findings{kind="all",severity="error"} 1');
    expect(text).toContain('prichal_new_findings{kind="all",severity="warning"} 0');
    expect(text).not.toContain('prichal_error_increase');
    // Only the failing participant has a series: the fixed one's is gone.
    expect(text.match(/^prichal_participant_errors\{.*$/gm)).toEqual([
      'prichal_participant_errors{kind="all",participant="onokhino-sp"} 1',
    ]);
    // The dated folders hold the reports; the metrics stay in the one file the collector reads.
    expect(await readdir(path.join(dir, 'fixed-and-new', '2026-11-24'))).not.toContain(METRICS_FILE);
    expect(second.files).toContain(metrics);
    // And the shipped rule fires on what Prichal wrote.
    expect(await alertsOn(text, 'PrichalNewErrors')).toEqual(['PrichalNewErrors kind=all severity=warning']);
    expect(await alertsOn(first, 'PrichalNewErrors')).toEqual([]);
  });

  it('a night that cannot check everything, in a folder of its own, keeps the last success the history recorded', async () => {
    const history = path.join(dir, 'carried', 'history.jsonl');
    await mkdir(path.dirname(history), { recursive: true });
    const complete: HistoryEntry = {
      generatedAt: '2026-11-22T23:31:40.000Z',
      kind: 'all',
      errors: 0,
      warnings: 1,
      unchecked: 0,
      keys: [],
    };
    const partial = { ...complete, generatedAt: '2026-11-23T23:30:00.000Z', unchecked: 4 };
    await writeFile(history, `${JSON.stringify(complete)}\n${JSON.stringify(partial)}\n`);
    // The README's cron before --metrics: a dated --out each night, no earlier prichal.prom in it.
    const out = path.join(dir, 'carried', '2026-11-25');
    await checks({ kind: 'all', inventory: SAMPLE_INVENTORY, at: '2026-11-23', out, history, collectors: OFFLINE });
    const text = await readFile(path.join(out, METRICS_FILE), 'utf8');
    expect(text).toMatch(/^prichal_unchecked_subjects\{kind="all"\} [1-9]/m);
    expect(text).toContain(
      `prichal_last_success_timestamp_seconds{kind="all"} ${Date.parse(complete.generatedAt) / 1000}`,
    );
    expect(await promtool(text)).toEqual({ exitCode: 0, output: '' });
  });

  it('new since the history: not in the previous run, nor — after a partial run — in the last complete one', () => {
    const finding = (participant: string): RequirementFinding => ({
      requirement: 'CH-1',
      participant,
      subject: `participants/${participant}.yaml`,
      severity: 'error',
      message: 'internet channel',
      evidence: 'channel.type: internet',
      fix: 'ViPNet',
    });
    const [a, b, c] = [finding('a'), finding('b'), finding('c')];
    const entry = (keys: RequirementFinding[], unchecked: number): HistoryEntry => ({
      generatedAt: '2026-11-23T00:00:00Z',
      kind: 'all',
      errors: keys.length,
      warnings: 0,
      unchecked,
      keys: keys.map(findingKey),
    });
    const now = { ...result, kind: 'all' as const, findings: [a!, b!, c!] };
    // b was on an edge unreachable last night: back, it is not news; c is.
    expect(newFindings(now, [entry([a!, b!], 0), entry([a!], 3)])).toEqual([c]);
    expect(newFindings(now, [entry([a!, b!], 0), entry([a!], 0)])).toEqual([b, c]);
    // Another kind's runs are no baseline; no run at all, nothing is new.
    expect(newFindings(now, [{ ...entry([a!], 0), kind: 'audit' }])).toEqual([]);
    expect(newFindings(now, [])).toEqual([]);
  });

  it('drift --metrics: with --all only, and a file, not a folder — refused before anything runs', async () => {
    const alone = await prichal(['drift', '--metrics', path.join(dir, 'x.prom'), '--lang', 'en']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--metrics goes with --all');
    const folder = await prichal(['drift', '--all', '--metrics', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`--metrics ${dir}: это существующий каталог; укажите файл для записи`);
  });
});

/** The alerts `alertname` fires 5 minutes after the series of a metrics file begin (promtool test rules), as "name label=value …". */
async function alertsOn(metrics: string, alertname: string): Promise<string[]> {
  const series = metrics
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const at = line.lastIndexOf(' ');
      return { series: line.slice(0, at), values: `${line.slice(at + 1)}x10` };
    });
  const work = await mkdtemp(path.join(tmpdir(), 'prichal-alerts-'));
  try {
    // promtool compares what fires with what the test expects: expecting nothing, its failure lists what fired.
    await writeFile(
      path.join(work, 'test.yml'),
      stringify({
        rule_files: [RULES],
        evaluation_interval: '1m',
        tests: [
          { interval: '1m', input_series: series, alert_rule_test: [{ eval_time: '5m', alertname, exp_alerts: [] }] },
        ],
      }),
    );
    const run = await execa('promtool', ['test', 'rules', path.join(work, 'test.yml')], { reject: false });
    if (run.exitCode === 0) return [];
    const got = /got:\s*\[([^\]]*)\]/.exec(`${run.stdout}${run.stderr}`);
    if (!got) throw new Error(`promtool test rules: ${run.stdout}${run.stderr}`);
    return [...got[1]!.matchAll(/Labels:\{([^}]*)\}/g)].map((m) =>
      [...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => (k === 'alertname' ? v : `${k}=${v}`)).join(' '),
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

describe('the alert rules (monitoring/prichal.rules.yml)', () => {
  it('pass promtool check rules and their own promtool test rules', async () => {
    const check = await execa('promtool', ['check', 'rules', RULES], { reject: false });
    expect(check.exitCode, `${check.stdout}${check.stderr}`).toBe(0);
    const test = await execa('promtool', ['test', 'rules', 'prichal.rules.test.yml'], {
      cwd: MONITORING,
      reject: false,
    });
    expect(test.exitCode, `${test.stdout}${test.stderr}`).toBe(0);
    expect(test.stdout).toContain('SUCCESS');
  });

  it('have an absent() guard (no metrics at all is an alert, not silence) and a staleness rule on the last success', async () => {
    const groups = (
      parse(await readFile(RULES, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }
    ).groups;
    const rules = groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual([
      'PrichalNightlyNotRunning',
      'PrichalNoCompleteRun',
      'PrichalUncheckedSubjects',
      'PrichalNewErrors',
    ]);
    expect(rules[0]!.expr).toContain('absent(prichal_last_run_timestamp_seconds{kind="all"})');
    expect(rules[1]!.expr).toContain('time() - prichal_last_success_timestamp_seconds{kind="all"}');
  });
});
