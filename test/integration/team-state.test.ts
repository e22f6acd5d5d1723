// Team state on PostgreSQL (the engine's self-managed postgres:// backend, the server started by
// the test setup on 127.0.0.1): two `prichal up` at once on one stack — the second is refused,
// naming who holds the lock and since when, exit 1, and the state is intact afterwards; a stale
// lock (a run that died) is cleared with `prichal unlock` and the next run goes through.
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsDir } from '../../src/infra/secrets.js';
import { PRICHAL, prichal } from '../helpers/cli.js';
import { SAMPLE_INVENTORY } from '../helpers/inventory.js';

const SERVER = process.env.PRICHAL_PG_URL;
const DB = `prichal_state_${randomBytes(4).toString('hex')}`;
let backend: string;
let password: string;

function sql(query: string, database = DB): Promise<string> {
  return execa('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', `${SERVER}/${database}`, '-c', query]).then((r) =>
    r.stdout.trim(),
  );
}

const env = () => ({ PRICHAL_PULUMI_BACKEND: backend, PRICHAL_SECRETS_DIR: secretsDir() });
const run = (args: string[]) => prichal([...args, '--inventory', SAMPLE_INVENTORY], { env: env() });
const lockKeys = async () =>
  (await sql("select key from pulumi_state where key like '%/.pulumi/locks/%'")).split('\n').filter(Boolean);

beforeAll(async () => {
  // The test setup (scripts/setup-postgres.sh) starts the server; without it this fails loudly.
  if (!SERVER)
    throw new Error('PRICHAL_PG_URL is not set: run the tests through scripts/test.sh, which starts PostgreSQL');
  password = new URL(SERVER).password;
  await sql(`create database ${DB}`, 'postgres');
  backend = `${SERVER}/${DB}?sslmode=disable`;
  const first = await run(['up', '--contour', 'test', '--refresh', '--yes']);
  expect(first.code, first.stderr).toBe(0);
});

afterAll(async () => {
  if (SERVER) await sql(`drop database if exists ${DB} with (force)`, 'postgres');
});

describe('team state on PostgreSQL', () => {
  it('refuses a second up while the first holds the stack, naming the holder and when it was taken; the state stays intact', async () => {
    const first = execa(PRICHAL, ['up', '--contour', 'test', '--refresh', '--yes', '--inventory', SAMPLE_INVENTORY], {
      reject: false,
      env: env(),
    });
    // Wait until the first run has taken the lock (it holds it for its whole update).
    const deadline = Date.now() + 30_000;
    while ((await lockKeys()).length === 0) {
      if (Date.now() > deadline) throw new Error('the first up never took the lock');
      await new Promise((r) => setTimeout(r, 25));
    }
    const second = await run(['up', '--contour', 'test', '--yes']);
    const done = await first;
    expect(done.exitCode, done.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(1);
    expect(second.stderr).toMatch(
      /стек test заблокирован: \S+@\S+ \(pid \d+\) с \d{4}-\d{2}-\d{2}T\S+; его изменяет другой запуск prichal или pulumi\. Ничего не изменено\./,
    );
    expect(second.stderr).toContain('prichal unlock --contour test --yes');
    expect(second.stderr).not.toContain(password);
    expect(await lockKeys()).toEqual([]);
    const preview = await run(['preview', '--contour', 'test', '--expect-no-changes', '--refresh']);
    expect(preview.code, preview.stderr).toBe(0);
  });

  it('clears a stale lock of a run that died only with unlock --yes, then runs again', async () => {
    const stateKey = await sql("select key from pulumi_state where key like '%/.pulumi/stacks/prichal/test.json'");
    const lockKey = stateKey.replace(
      /stacks\/prichal\/test\.json$/,
      'locks/organization/prichal/test/00000000-dead-run.json',
    );
    // The lock a run leaves when it dies, as the backend stores objects: {"data": base64(content)}.
    const content = Buffer.from(
      JSON.stringify({ pid: 999999, username: 'engineer', hostname: 'gone-host', timestamp: '2026-11-23T02:30:00Z' }),
    ).toString('base64');
    await sql(`insert into pulumi_state (key, data) values ('${lockKey}', '{"data": "${content}"}')`);
    const refused = await run(['up', '--contour', 'test', '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('заблокирован: engineer@gone-host (pid 999999) с 2026-11-23T02:30:00Z');
    const english = await run(['up', '--contour', 'test', '--yes', '--lang', 'en']);
    expect(english.stderr).toContain('locked by engineer@gone-host (pid 999999) since 2026-11-23T02:30:00Z');
    expect((await run(['unlock', '--contour', 'test'])).code).toBe(2);
    expect(await lockKeys()).toHaveLength(1);
    const unlocked = await run(['unlock', '--contour', 'test', '--yes']);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(await lockKeys()).toEqual([]);
    const again = await run(['up', '--contour', 'test', '--yes']);
    expect(again.code, again.stderr).toBe(0);
  });
});
