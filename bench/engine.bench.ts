// The real Pulumi engine on the sample inventory against the lab, through the same workflow
// function the CLI calls (`engineCommand`), with a fresh file:// backend: first up, no-change
// up, preview, refresh and destroy of the test contour, each with the engine's start-up (opening
// the workspace and stack) shown apart. Baseline in the same run: the stateless path the engine
// replaces (`firewall apply` + `bus ensure`, the same adapters without state), so the ratio is
// the engine's overhead.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { engineCommand } from '../src/workflows/engine.js';
import { bus } from '../src/workflows/bus.js';
import { firewall } from '../src/workflows/firewall.js';
import type { EngineAction } from '../src/infra/pulumi/engine.js';
import { PROJECT_ROOT } from '../src/project.js';
import { median } from './measure.js';

const INVENTORY = path.join(PROJECT_ROOT, 'inventory');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const quiet = () => {};

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

async function engine(action: EngineAction, extra: { refresh?: boolean } = {}) {
  const { ms, result } = await timed(() => engineCommand({ action, inventory: INVENTORY, contour: 'test', ...extra }));
  return { ms, startup: result.timings.startupMs, changed: result.steps.length };
}

async function main() {
  const backend = await mkdtemp(path.join(tmpdir(), 'prichal-enginebench-'));
  process.env.PRICHAL_PULUMI_BACKEND = `file://${backend}`;
  try {
    const baseline: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      baseline.push(
        (
          await timed(async () => {
            await firewall({ action: 'apply', inventory: INVENTORY, log: quiet });
            await bus({ action: 'ensure', inventory: INVENTORY, contour: 'test', log: quiet });
          })
        ).ms,
      );
    }
    const base = median(baseline);
    console.log(
      `baseline, stateless firewall apply + bus ensure (test contour, 2 edges, 9 registrations): ${seconds(base)} (median of ${RUNS})`,
    );

    const rows: Array<{ phase: string; ms: number; startup: number; changed: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      const first = await engine('up');
      const again = await engine('up');
      const preview = await engine('preview');
      const refresh = await engine('refresh');
      const destroy = await engine('destroy');
      rows.push(
        { phase: 'up (first)', ...first },
        { phase: 'up (no change)', ...again },
        { phase: 'preview', ...preview },
        { phase: 'refresh', ...refresh },
        { phase: 'destroy', ...destroy },
      );
    }
    for (const phase of ['up (first)', 'up (no change)', 'preview', 'refresh', 'destroy']) {
      const of = rows.filter((r) => r.phase === phase);
      const ms = median(of.map((r) => r.ms));
      const startup = median(of.map((r) => r.startup));
      console.log(
        `${phase.padEnd(15)} ${seconds(ms).padStart(8)}  engine start-up ${seconds(startup)}, engine run ${seconds(ms - startup)}, ${of[0]!.changed} resources reported; ratio to baseline ${(ms / base).toFixed(2)}`,
      );
    }
  } finally {
    delete process.env.PRICHAL_PULUMI_BACKEND;
    await rm(backend, { recursive: true, force: true });
    // Leave the lab provisioned as the stateless path left it (destroy removed the objects).
    await firewall({ action: 'apply', inventory: INVENTORY, log: quiet });
    await bus({ action: 'ensure', inventory: INVENTORY, contour: 'test', log: quiet });
    await bus({ action: 'ensure', inventory: INVENTORY, contour: 'prod', log: quiet });
  }
}

await main();
