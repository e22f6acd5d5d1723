// The nightly metrics file (Prometheus text format for node_exporter's textfile collector):
// promtool from Debian's prometheus package accepts it, its series say what the run found, and
// a run that could not check everything keeps the last success of the one before.
import { rm } from 'node:fs/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/drift/model.js';
import { previousSuccess, renderPrometheus } from '../src/report/index.js';
import { checks } from '../src/workflows/run-checks.js';
import { inventoryWith } from './helpers/inventory.js';

let dir: string;
let result: CheckResult;
beforeAll(async () => {
  dir = await inventoryWith([
    { file: 'participants/ishim-district-admin.yaml', from: 'cryptoPro: 5.0.13000', to: 'cryptoPro: 4.0.9975' },
  ]);
  result = (await checks({ kind: 'audit', inventory: dir, at: '2026-11-23' })).result;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

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
