// The Pulumi program under mocks: N synthetic participants in both contours, the program
// built exactly as `prichal up` builds it (definePrichal on the checked inventory's plan), each
// phase timed — the inventory check (validate + plan, the baseline) and the program's build
// until every resource reached the mock monitor — with this process's peak RSS and resources
// per participant per contour. One process per run, so the peak is this run's:
//   node dist/bench/pulumi.bench.js [N] [pulumi|external|engine] [both|test|prod]
//   (defaults 1000, pulumi, both; one contour is one stack: what one `prichal up` builds)
// Targets: 1,000 — ≤ 5 s, ≤ 6 resources per participant per contour;
// 10,000 — ≤ 60 s and ≤ 2 GiB.
// With gateways: pulumi, a stack's gateway containers are limited (PULUMI_GATEWAY_LIMIT, chosen
// from this benchmark's figures for one stack); the benchmark builds the program above the limit
// too, as the entry points would refuse to, to show why it is there.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { checkInventory } from '../src/requirements/index.js';
import {
  definePrichal,
  PULUMI_GATEWAY_LIMIT,
  type GatewayMode,
  type ProgramResources,
} from '../src/infra/pulumi/program.js';
import { writeSyntheticInventory } from './synthetic.js';

const COUNT = Number(process.argv[2] ?? process.env.BENCH_PULUMI_PARTICIPANTS ?? 1000);
const MODE = (process.argv[3] ?? 'pulumi') as GatewayMode;
const WHICH = process.argv[4] ?? 'both';
const CONTOURS = WHICH === 'both' ? (['test', 'prod'] as const) : ([WHICH] as ['test' | 'prod']);
if (!['both', 'test', 'prod'].includes(WHICH)) throw new Error(`contours: both, test or prod, not '${WHICH}'`);
const target = COUNT >= 10_000 ? { ms: 60_000, mib: 2048 } : { ms: 5_000, mib: undefined };
// As in the program's entry point: the SDK records a stack trace on every promise.
if (!process.env.PRICHAL_PULUMI_STACKS) Error.stackTraceLimit = 0;

/** Resources a program registers: custom resources and the gateways' components. */
const registered = (r: ProgramResources) =>
  (r.network ? 1 : 0) +
  r.gateways.length * 2 +
  r.firewalls.length +
  r.channels.length +
  r.shards.length +
  r.gatewayShards.length;

const dir = await mkdtemp(path.join(tmpdir(), 'prichal-pulumibench-'));
try {
  await writeSyntheticInventory(dir, COUNT);
  const checkStarted = performance.now();
  const checked = await checkInventory(dir, '2026-11-23');
  const checkMs = performance.now() - checkStarted;
  let resources = 0;
  await pulumi.runtime.setMocks(
    { newResource: (a) => (resources++, { id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs },
    'prichal',
    'test',
    false,
  );
  const started = performance.now();
  let expected = 0;
  let containers = 0;
  for (const contour of CONTOURS) {
    const built = definePrichal({
      contour,
      plan: checked.plan!,
      operator: checked.validation.inventory.operator!.value,
      gateways: MODE,
    });
    expected += registered(built);
    containers = Math.max(containers, built.gateways.length);
  }
  // Wait until every registration reached the mock monitor.
  while (resources < expected) await new Promise((r) => setTimeout(r, 10));
  const ms = performance.now() - started;
  const mib = process.resourceUsage().maxRSS / 1024;
  const heapMib = process.memoryUsage().heapUsed / 2 ** 20;
  const perParticipant = resources / (COUNT * CONTOURS.length);
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `program under mocks, ${COUNT} participants × ${CONTOURS.length === 2 ? '2 contours' : `the ${CONTOURS[0]} contour`}, gateways ${MODE}: inventory check ${(checkMs / 1000).toFixed(1)} s (baseline), program build ${(ms / 1000).toFixed(1)} s — ${(ms / checkMs).toFixed(2)}× the check (target ≤ ${target.ms / 1000} s ${met(ms <= target.ms)})`,
  );
  console.log(
    `peak RSS ${mib.toFixed(0)} MiB${target.mib ? ` (target ≤ ${target.mib} MiB ${met(mib <= target.mib)})` : ''}, heap at the end ${heapMib.toFixed(0)} MiB; resources: ${resources} in all, ${perParticipant.toFixed(2)} per participant per contour (target ≤ 6 ${met(perParticipant <= 6)})`,
  );
  if (MODE === 'pulumi')
    console.log(
      `gateway containers per stack: ${containers} (limit ${PULUMI_GATEWAY_LIMIT}: ${containers <= PULUMI_GATEWAY_LIMIT ? 'within it' : 'prichal refuses this stack'})`,
    );
} finally {
  await rm(dir, { recursive: true, force: true });
}
