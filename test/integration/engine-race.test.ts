// Two first `prichal up` of one contour started at the same instant, on a fresh backend — a new
// file:// folder and a new PostgreSQL database, both contours each: the stack is created by one
// and selected by the other (never the engine's "already exists"), the engine's lock lets one run
// and the other is refused with the lock message (holder, since; exit 1) — or, with --wait-lock,
// waits for it and then runs. Afterwards no lock is left, each resource is in the state once, and
// a refreshing preview finds nothing to change. A lock that stays is waited for with --wait-lock,
// then refused saying how long the run waited.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSecret, secretsDir } from '../../src/infra/secrets.js';
import { PASSPHRASE_SECRET } from '../../src/infra/secrets.js';
import { PRICHAL } from '../helpers/cli.js';
import { SAMPLE_INVENTORY } from '../helpers/inventory.js';
import { engineCli, engineRun } from './engine-state.js';
import { applyChannels, applyFirewalls, loadSample } from './lab.js';

const SERVER = process.env.PRICHAL_PG_URL;
const DB = `prichal_race_${randomBytes(4).toString('hex')}`;
const scratch: string[] = [];

function sql(query: string, database = 'postgres'): Promise<string> {
  return execa('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', `${SERVER}/${database}`, '-c', query]).then((r) =>
    r.stdout.trim(),
  );
}

/** Two `prichal up` of one contour, spawned in the same tick. */
async function twoAtOnce(backend: string, contour: 'test' | 'prod', extra: string[] = []) {
  const env = { PRICHAL_PULUMI_BACKEND: backend, PRICHAL_SECRETS_DIR: secretsDir() };
  const args = ['up', '--contour', contour, '--yes', '--inventory', SAMPLE_INVENTORY, ...extra];
  const started = performance.now();
  const runs = await Promise.all([
    execa(PRICHAL, args, { env, reject: false }),
    execa(PRICHAL, args, { env, reject: false }),
  ]);
  return {
    runs: runs.map((r) => ({ code: r.exitCode, stderr: r.stderr })),
    seconds: (performance.now() - started) / 1000,
  };
}

/** One succeeded, the other was refused by the lock (naming its holder and since when), and neither met the engine's creation error. */
function oneRanOneRefused(runs: Array<{ code: number | undefined; stderr: string }>, contour: string) {
  for (const r of runs) expect(r.stderr).not.toMatch(/already exists|stack init/);
  const [ok, refused] = [...runs].sort((a, b) => (a.code ?? 9) - (b.code ?? 9));
  expect(ok!.code, ok!.stderr.slice(-2000)).toBe(0);
  expect(refused!.code, refused!.stderr.slice(-2000)).toBe(1);
  expect(refused!.stderr).toMatch(
    new RegExp(
      `стек ${contour} заблокирован: \\S+@\\S+ \\(pid \\d+\\) с \\d{4}-\\d{2}-\\d{2}T\\S+; его изменяет другой запуск prichal или pulumi\\. Ничего не изменено\\.`,
    ),
  );
  expect(refused!.stderr).not.toContain('pulumi up of the');
}

/** The stack is clean afterwards: no lock, every resource once, nothing to change on a refreshing preview. */
async function clean(backend: string, contour: 'test' | 'prod', locks: () => Promise<string[]>) {
  expect(await locks()).toEqual([]);
  const run = engineRun({ PRICHAL_PULUMI_BACKEND: backend, PRICHAL_SECRETS_DIR: secretsDir() });
  const preview = await run(['preview', '--contour', contour, '--refresh', '--expect-no-changes']);
  expect(preview.code, preview.stderr).toBe(0);
  const cli = await engineCli(backend, await readSecret(PASSPHRASE_SECRET));
  try {
    const urns = ((await cli.exportStack(contour)).resources ?? []).map((r) => r.urn);
    expect(new Set(urns).size).toBe(urns.length);
    expect(urns.filter((u) => u.includes('prichal:index:')).length).toBeGreaterThan(0);
  } finally {
    await cli.close();
  }
}

beforeAll(async () => {
  if (!SERVER)
    throw new Error('PRICHAL_PG_URL is not set: run the tests through scripts/test.sh, which starts PostgreSQL');
  await sql(`create database ${DB}`);
});

afterAll(async () => {
  if (SERVER) await sql(`drop database if exists ${DB} with (force)`);
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  const sample = await loadSample();
  await applyFirewalls(sample.plan.edges);
  await applyChannels(sample.plan);
});

describe('two first ups at the same instant', () => {
  it('on a fresh file:// backend, test then prod: one runs, the other is refused by the lock; the stack is clean', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'prichal-race-'));
    scratch.push(dir);
    const backend = `file://${dir}`;
    const locks = async () =>
      (await execa('find', [path.join(dir, '.pulumi', 'locks'), '-type', 'f'], { reject: false })).stdout
        .split('\n')
        .filter(Boolean);
    for (const contour of ['test', 'prod'] as const) {
      const { runs, seconds } = await twoAtOnce(backend, contour);
      process.stderr.write(`[race] file:// ${contour}: ${seconds.toFixed(1)} s\n`);
      oneRanOneRefused(runs, contour);
      await clean(backend, contour, locks);
    }
  });

  it('on a fresh PostgreSQL backend, test then prod: one runs, the other is refused by the lock; the stack is clean', async () => {
    const backend = `${SERVER}/${DB}?sslmode=disable`;
    const locks = async () =>
      (await sql("select key from pulumi_state where key like '%/.pulumi/locks/%'", DB)).split('\n').filter(Boolean);
    for (const contour of ['test', 'prod'] as const) {
      const { runs, seconds } = await twoAtOnce(backend, contour);
      process.stderr.write(`[race] postgres ${contour}: ${seconds.toFixed(1)} s\n`);
      oneRanOneRefused(runs, contour);
      for (const r of runs) expect(r.stderr).not.toContain(new URL(SERVER!).password);
      await clean(backend, contour, locks);
    }
  });

  it('with --wait-lock, the second waits for the first and then runs: both succeed, the second saying whom it waited for', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'prichal-race-wait-'));
    scratch.push(dir);
    const backend = `file://${dir}`;
    const { runs, seconds } = await twoAtOnce(backend, 'test', ['--wait-lock', '3m']);
    process.stderr.write(`[race] file:// test --wait-lock: ${seconds.toFixed(1)} s\n`);
    for (const r of runs) expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const waited = runs.filter((r) => /ожидание блокировки стека test: \S+@\S+ \(pid \d+\) с \S+/.test(r.stderr));
    expect(waited).toHaveLength(1);
    await clean(backend, 'test', async () =>
      (await execa('find', [path.join(dir, '.pulumi', 'locks'), '-type', 'f'], { reject: false })).stdout
        .split('\n')
        .filter(Boolean),
    );
  });

  it('with --wait-lock, a lock that stays is waited for, saying whom for and how long still, then refused saying how long it waited', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'prichal-race-held-'));
    scratch.push(dir);
    // Another engineer's run holds the (not yet created) stack, from another host.
    const locks = path.join(dir, '.pulumi', 'locks', 'organization', 'prichal', 'test');
    await mkdir(locks, { recursive: true });
    await writeFile(
      path.join(locks, 'colleague.json'),
      JSON.stringify({
        pid: 4242,
        username: 'engineer',
        hostname: 'colleague-host',
        timestamp: '2026-11-23T02:30:00Z',
      }),
    );
    const started = performance.now();
    const r = await execa(
      PRICHAL,
      ['up', '--contour', 'test', '--yes', '--wait-lock', '6s', '--inventory', SAMPLE_INVENTORY],
      { reject: false, env: { PRICHAL_PULUMI_BACKEND: `file://${dir}`, PRICHAL_SECRETS_DIR: secretsDir() } },
    );
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`[race] --wait-lock 6s on a lock that stays: ${seconds.toFixed(1)} s\n`);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(seconds).toBeGreaterThanOrEqual(6);
    expect(r.stderr).toMatch(
      /^ожидание блокировки стека test: engineer@colleague-host \(pid 4242\) с 2026-11-23T02:30:00Z, осталось до \d+ с$/m,
    );
    expect(r.stderr).toContain(
      'стек test заблокирован: engineer@colleague-host (pid 4242) с 2026-11-23T02:30:00Z; его изменяет другой запуск prichal или pulumi (ожидание 6 с по --wait-lock истекло). Ничего не изменено.',
    );
    expect(r.stderr).not.toMatch(/already exists|pulumi up of the/);
  });

  it('refuses a --wait-lock that is no duration before anything starts', async () => {
    const r = await execa(
      PRICHAL,
      ['up', '--contour', 'test', '--yes', '--wait-lock', 'soon', '--inventory', SAMPLE_INVENTORY],
      { reject: false, env: { PRICHAL_PULUMI_BACKEND: `file://${path.join(tmpdir(), 'prichal-never-created')}` } },
    );
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("--wait-lock: длительность вида 90s, 10m или 1h, а не 'soon'");
  });
});
