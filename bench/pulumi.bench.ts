// The Pulumi program under mocks for 1,000 participants in both contours: time, peak RSS and
// resources per participant per contour. Targets (issue 4): ≤ 5 s, ≤ 6 resources per participant per contour.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { checkInventory } from '../src/requirements/index.js';
import { definePrichal } from '../src/infra/pulumi/program.js';
import { writeSyntheticInventory } from './synthetic.js';

const COUNT = Number(process.env.BENCH_PULUMI_PARTICIPANTS ?? 1000);
// As in the program's entry point: the SDK records a stack trace on every promise.
if (!process.env.PRICHAL_PULUMI_STACKS) Error.stackTraceLimit = 0;
const dir = await mkdtemp(path.join(tmpdir(), 'prichal-pulumibench-'));
try {
  await writeSyntheticInventory(dir, COUNT);
  const checked = await checkInventory(dir, '2026-11-23');
  let resources = 0;
  await pulumi.runtime.setMocks({ newResource: (a) => (resources++, { id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, 'prichal', 'test', false);
  const started = performance.now();
  for (const contour of ['test', 'prod'] as const) {
    definePrichal({ contour, plan: checked.plan!, operator: checked.validation.inventory.operator!.value, gateways: 'pulumi', secret: (n) => pulumi.secret(`x-${n}`) });
  }
  // Wait until every registration reached the mock monitor.
  while (resources < COUNT * 2 * 3) await new Promise((r) => setTimeout(r, 10));
  const ms = performance.now() - started;
  const perParticipant = (resources - 2 - checked.plan!.edges.length) / (COUNT * 2);
  console.log(`program under mocks, ${COUNT} participants × 2 contours: ${ms.toFixed(0)} ms (target ≤ 5000 ${ms <= 5000 ? 'met' : 'MISSED'}), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  console.log(`resources: ${resources} in all, ${perParticipant.toFixed(2)} per participant per contour (target ≤ 6 ${perParticipant <= 6 ? 'met' : 'MISSED'})`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
