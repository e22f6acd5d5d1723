// The checkpoint policy: `prichal up` skips the engine's intermediate checkpoints, so
// a run that dies records nothing of what it did. "Nothing is lost" rests on the providers: every
// create tolerates objects that already exist and every apply converges. Proven here on a large
// first apply — 300 synthetic participants in vhosts of their own — killed midway with SIGKILL to
// its whole process group (a crash: no clean-up runs), then: no orphaned provider plugin, the stale lock is named as such and
// cleared, the re-run converges, a refreshing preview finds nothing to change, and drift finds
// the bus and the edge tables exactly as planned.
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busAdmin, deleteUsers } from '../../bench/bus-admin.js';
import { writeSyntheticInventory } from '../../bench/synthetic.js';
import type { CheckResult } from '../../src/drift/model.js';
import type { EngineResult } from '../../src/infra/pulumi/engine.js';
import { readCredentials, secretsDir } from '../../src/infra/secrets.js';
import { prichal } from '../helpers/cli.js';
import { SAMPLE_INVENTORY } from '../helpers/inventory.js';
import { copyProject } from './engine-state.js';
import { applyChannels, applyFirewalls, loadSample, writeLabCoordinators } from './lab.js';
import { checkInventory } from '../../src/requirements/index.js';

const COUNT = 300;
const VHOSTS = { test: 'prichal-interrupted-test', prod: 'prichal-interrupted-prod' };
const BUS_URL = 'http://127.0.0.1:15672';
const mnemonics = Array.from({ length: COUNT }, (_, i) => `ORG_${String(i).padStart(5, '0')}`);
let work: string;
let inventory: string;
let env: Record<string, string>;
/** A copy of the project whose stacks run the gateways externally: this test is about the edges and the bus. */
let project: string;

const run = async (args: string[]) => {
  const r = await prichal([...args, '--inventory', inventory], {
    env,
    bin: path.join(project, 'bin', 'prichal'),
    cwd: project,
  });
  return { ...r, json: r.stdout.startsWith('{') ? (JSON.parse(r.stdout) as EngineResult & CheckResult) : undefined };
};

/** Synthetic registrations present on the bus (user with a permission in the test vhost). */
async function registered(): Promise<number> {
  const permissions = (await (
    await busAdmin('GET', BUS_URL, `/vhosts/${VHOSTS.test}/permissions`, 'busTest')
  ).json()) as Array<{ user: string }>;
  return permissions.filter((p) => mnemonics.includes(p.user)).length;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'prichal-interrupted-'));
  inventory = path.join(work, 'inventory');
  project = await copyProject(path.join(work, 'prichal'), { stacks: false });
  for (const contour of ['test', 'prod'])
    await writeFile(
      path.join(project, 'stacks', `Pulumi.${contour}.yaml`),
      'config:\n  prichal:inventory: inventory\n  prichal:gateways: external\n',
    );
  await writeSyntheticInventory(inventory, COUNT, { testOnly: true });
  // Its own vhosts, and no gateway declaration: the gateways are not the engine's (the stacks
  // run them externally), so drift reports GW-1 as not checked rather than 300 missing containers.
  const operator = (await readFile(path.join(SAMPLE_INVENTORY, 'operator.yaml'), 'utf8'))
    .replace('vhost: smev-test', `vhost: ${VHOSTS.test}`)
    .replace('vhost: smev-prod', `vhost: ${VHOSTS.prod}`)
    .replace(/\ngateways:\n(  .*\n)+/, '\n');
  await writeFile(path.join(inventory, 'operator.yaml'), operator);
  for (const [contour, credentials] of [
    ['test', 'busTest'],
    ['prod', 'busProd'],
  ] as const) {
    await busAdmin('PUT', BUS_URL, `/vhosts/${VHOSTS[contour]}`, credentials, {});
    const { username } = await readCredentials(credentials);
    await busAdmin('PUT', BUS_URL, `/permissions/${VHOSTS[contour]}/${username}`, credentials, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
  }
  env = { PRICHAL_PULUMI_BACKEND: `file://${path.join(work, 'state')}`, PRICHAL_SECRETS_DIR: secretsDir() };
});

afterAll(async () => {
  for (const [contour, credentials] of [
    ['test', 'busTest'],
    ['prod', 'busProd'],
  ] as const)
    await busAdmin('DELETE', BUS_URL, `/vhosts/${VHOSTS[contour]}`, credentials);
  await deleteUsers(BUS_URL, mnemonics, 'busTest');
  // The edges carry the synthetic tables now: back to the sample's for the tests that follow.
  const sample = await loadSample();
  await applyFirewalls(sample.plan.edges);
  await applyChannels(sample.plan);
  await writeLabCoordinators(sample.plan);
  await rm(work, { recursive: true, force: true });
});

describe('an up killed midway through a large first apply', () => {
  it('loses nothing: the stale lock is named, the re-run converges, preview is clean and drift finds the bus and edges as planned', async () => {
    // Kill when a few shards are done: well into the apply, far from its end.
    const up = execa(
      path.join(project, 'bin', 'prichal'),
      ['up', '--contour', 'test', '--yes', '--inventory', inventory],
      {
        env,
        reject: false,
        detached: true,
        cwd: project,
      },
    );
    let created = 0;
    let killed = false;
    up.stderr!.on('data', (chunk: Buffer) => {
      created += (chunk.toString().match(/^\+ создание prichal:index:BusRegistrations /gm) ?? []).length;
      if (created >= 4 && !killed) {
        killed = true;
        process.kill(-up.pid!, 'SIGKILL');
      }
    });
    const result = await up;
    expect(
      killed,
      `the up ended before it could be interrupted (exit ${result.exitCode}): ${result.stderr.slice(-500)}`,
    ).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    // The provider plugins the dead engine started notice their parent is gone and exit.
    const plugins = async () =>
      (await execa('pgrep', ['-f', 'dist/src/infra/pulumi/provider-main.js'], { reject: false })).stdout.trim();
    for (const deadline = Date.now() + 10_000; (await plugins()) && Date.now() < deadline; )
      await new Promise((r) => setTimeout(r, 200));
    expect(await plugins()).toBe('');
    const partial = await registered();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(COUNT);

    // The dead run's lock stays; it is named as stale (its process is gone from this host), and nothing runs past it.
    const refused = await run(['up', '--contour', 'test', '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /заблокирован: \S+ \(pid \d+\) с \S+ — этот процесс на узле уже не работает: блокировка зависла/,
    );
    expect((await run(['unlock', '--contour', 'test', '--yes'])).code).toBe(0);

    // What the killed run did is not in the state: the re-run creates every shard again, over the objects that exist.
    const again = await run(['up', '--contour', 'test', '--yes', '--format', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json!.byType['prichal:index:BusRegistrations']!.create).toBeGreaterThan(0);
    expect(await registered()).toBe(COUNT);

    const preview = await run(['preview', '--contour', 'test', '--refresh', '--expect-no-changes', '--format', 'json']);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.json!.changed).toBe(false);

    // The coordinator as the ViPNet administrator would have it for this inventory.
    await writeLabCoordinators((await checkInventory(inventory)).plan!);
    const drift = await run(['drift', '--format', 'json']);
    // The broker is shared with the lab's sample estate: its users are orphans to this inventory
    // (BUS-1 names every tagged user in no plan). Everything else must be clean.
    const foreign = (f: { message: string }) =>
      /^extra bus user (\S+) carries Prichal's tag but is in no plan$/.exec(f.message)?.[1];
    const own = drift.json!.findings.filter((f) => {
      const user = foreign(f);
      return !user || mnemonics.includes(user);
    });
    expect(own.map((f) => `${f.requirement} ${f.subject}: ${f.message}`)).toEqual([]);
    expect(drift.json!.unchecked.map((u) => `${u.subject} ${u.requirements.join(',')}`)).toEqual([
      'gateway host local GW-1',
    ]);
    expect(drift.code).toBe(3); // "not everything checked": the gateways, and only they.
  });
});
