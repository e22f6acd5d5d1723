// The engine path at scale (registrations in shards, one table per edge), on the lab, through the workflow functions the CLI
// calls: N synthetic participants in the test contour (bench vhosts, so the sample's stay
// untouched) — first up, no-change preview (no refresh), refresh, and the same estate's drift;
// against the direct path (firewall apply + bus ensure) measured in the same run. Prints state
// size and this process's peak memory (the program runs inline here). BENCH_ENGINE_PARTICIPANTS
// sets N (default 1,000).
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checks } from '../src/workflows/run-checks.js';
import { engineCommand } from '../src/workflows/engine.js';
import { bus } from '../src/workflows/bus.js';
import { firewall } from '../src/workflows/firewall.js';
import { readCredentials } from '../src/infra/secrets.js';
import { PROJECT_ROOT } from '../src/project.js';
import { busAdmin, deleteUsers } from './bus-admin.js';
import { writeSyntheticInventory } from './synthetic.js';

const COUNT = Number(process.env.BENCH_ENGINE_PARTICIPANTS ?? 1000);
const VHOST = 'bench-engine-test';
const quiet = () => {};
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) total += (await stat(path.join(e.parentPath, e.name))).size;
  return total;
}

async function main() {
  const work = await mkdtemp(path.join(tmpdir(), 'prichal-enginescale-'));
  const dir = path.join(work, 'inventory');
  const backend = path.join(work, 'state');
  const sample = await readFile(path.join(PROJECT_ROOT, 'inventory', 'operator.yaml'), 'utf8');
  const url = /url: "([^"]+)"/.exec(sample)![1]!;
  try {
    await writeSyntheticInventory(dir, COUNT);
    // Test contour only, in a bench vhost: the prod registrations of the synthetic inventory are dropped.
    await writeFile(path.join(dir, 'operator.yaml'), sample.replace('vhost: smev-test', `vhost: ${VHOST}`));
    await busAdmin('PUT', url, `/vhosts/${VHOST}`, 'busTest', {});
    const { username } = await readCredentials('busTest');
    await busAdmin('PUT', url, `/permissions/${VHOST}/${username}`, 'busTest', {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
    process.env.PRICHAL_PULUMI_BACKEND = `file://${backend}`;

    const [direct] = await timed(async () => {
      await firewall({ action: 'apply', inventory: dir, log: quiet });
      await bus({ action: 'ensure', inventory: dir, contour: 'test', log: quiet });
    });
    console.log(`${COUNT} participants, direct path (firewall apply + bus ensure): ${s(direct)}`);
    const [firstUp, up] = await timed(() => engineCommand({ action: 'up', inventory: dir, contour: 'test' }));
    console.log(
      `first up: ${s(firstUp)} (engine start-up ${s(up.timings.startupMs)}; ${up.steps.length} resources) — ratio to the direct path ${(firstUp / direct).toFixed(2)} (target ≤ 2)`,
    );
    const [preview, p] = await timed(() => engineCommand({ action: 'preview', inventory: dir, contour: 'test' }));
    console.log(`no-change preview (no refresh): ${s(preview)} (changes: ${p.steps.length})`);
    const [refresh] = await timed(() => engineCommand({ action: 'refresh', inventory: dir, contour: 'test' }));
    console.log(`refresh: ${s(refresh)}`);
    const [drift] = await timed(() => checks({ kind: 'drift', inventory: dir }));
    console.log(
      `drift of the same estate: ${s(drift)} — no-change preview ÷ drift ${(preview / drift).toFixed(2)} (target ≤ 5)`,
    );
    const stateFile = (await stat(path.join(backend, '.pulumi', 'stacks', 'prichal', 'test.json'))).size;
    console.log(
      `state: ${(stateFile / 1e6).toFixed(1)} MB (the stack's checkpoint; ${((await sizeOf(backend)) / 1e6).toFixed(1)} MB with the backend's history and backups); peak RSS of this process (the program runs in it) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    );
    const [destroy] = await timed(() => engineCommand({ action: 'destroy', inventory: dir, contour: 'test' }));
    console.log(`destroy: ${s(destroy)}`);
  } finally {
    delete process.env.PRICHAL_PULUMI_BACKEND;
    await busAdmin('DELETE', url, `/vhosts/${VHOST}`, 'busTest');
    const users = Array.from({ length: COUNT }, (_, i) => `ORG_${String(i).padStart(5, '0')}`);
    // destroy already removed them when it ran; after a failure they may remain.
    await deleteUsers(url, users, 'busTest').catch(() => {});
    await firewall({ action: 'apply', inventory: path.join(PROJECT_ROOT, 'inventory'), log: quiet });
    await rm(work, { recursive: true, force: true });
  }
}

await main();
