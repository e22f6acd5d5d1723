// Bus registrations against the real RabbitMQ of the lab: ensure converges and is idempotent,
// read shows unplanned objects with Prichal's naming, remove undoes, production is gated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPromotable, BusClient, BusError, PromotionRefusedError } from '../../src/infra/bus.js';
import { plannedPermission, queueName } from '../../src/plan/index.js';
import type { OperatorFile } from '../../src/inventory/index.js';
import { busClient, loadSample } from './lab.js';

let operator: OperatorFile;
let test: BusClient;
let prod: BusClient;
const M = 'ZZ_BUS_TEST';

beforeAll(async () => {
  operator = (await loadSample()).operator;
  test = await busClient(operator, 'test');
  prod = await busClient(operator, 'prod');
});
afterAll(async () => {
  await test.remove(M);
  await prod.remove(M);
  await test.remove('ZZ_ROGUE');
});

describe('BusClient', () => {
  it('ensure creates user, queue, confined permission and one binding per message type; a second ensure sends no writes', async () => {
    await test.remove(M);
    await test.ensure({ mnemonic: M, messageTypes: ['urn://x/a/1.0#A', 'urn://x/b/1.0#B'] });
    const state = await test.read();
    expect(state.users).toContain(M);
    expect(state.queues).toContain(queueName(M));
    expect(state.permissions.find((p) => p.user === M)).toEqual(plannedPermission(M));
    expect(state.bindings.filter((b) => b.queue === queueName(M)).map((b) => b.routingKey)).toEqual([
      'urn://x/a/1.0#A',
      'urn://x/b/1.0#B',
    ]);
    expect(state.requests).toBe(5);
    const before = test.requests;
    await test.ensure({ mnemonic: M, messageTypes: ['urn://x/a/1.0#A', 'urn://x/b/1.0#B'] }, state);
    expect(test.requests - before).toBe(0);
  });

  it('readRegistration reads one registration in five requests, exactly as read() sees it', async () => {
    await test.ensure({ mnemonic: M, messageTypes: ['urn://x/a/1.0#A', 'urn://x/b/1.0#B'] });
    const whole = await test.read();
    const one = await test.readRegistration(M);
    expect(one.requests).toBe(5);
    expect({ ...one, requests: 0 }).toEqual({
      vhost: whole.vhost,
      users: whole.users.filter((u) => u === M),
      permissions: whole.permissions.filter((p) => p.user === M),
      queues: whole.queues.filter((q) => q === queueName(M)),
      bindings: whole.bindings.filter((b) => b.queue === queueName(M)),
      exchange: whole.exchange,
      requests: 0,
    });
    const absent = await test.readRegistration('ZZ_NEVER_REGISTERED');
    expect([absent.users, absent.permissions, absent.queues, absent.bindings]).toEqual([[], [], [], []]);
  });

  it('ensure repairs a widened permission and drops an undeclared binding', async () => {
    await fetchAsAdmin('PUT', `/permissions/${operator.contours.test.bus.vhost}/${M}`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
    await test.ensure({ mnemonic: M, messageTypes: ['urn://x/a/1.0#A'] });
    const state = await test.read();
    expect(state.permissions.find((p) => p.user === M)).toEqual(plannedPermission(M));
    expect(state.bindings.filter((b) => b.queue === queueName(M)).map((b) => b.routingKey)).toEqual([
      'urn://x/a/1.0#A',
    ]);
  });

  it("read lists objects with Prichal's naming that no plan created", async () => {
    await fetchAsAdmin('PUT', '/users/ZZ_ROGUE', { password_hash: '', tags: 'prichal' });
    await fetchAsAdmin('PUT', `/queues/${operator.contours.test.bus.vhost}/prichal.ZZ_ROGUE.in`, { durable: true });
    const state = await test.read();
    expect(state.users).toContain('ZZ_ROGUE');
    expect(state.queues).toContain('prichal.ZZ_ROGUE.in');
  });

  it('remove deletes queue, permission and the user once no vhost grants it anything', async () => {
    await prod.ensure({ mnemonic: M, messageTypes: ['urn://x/a/1.0#A'] });
    await test.remove(M);
    let state = await test.read();
    expect(state.queues).not.toContain(queueName(M));
    expect(state.permissions.map((p) => p.user)).not.toContain(M);
    expect(state.users).toContain(M); // still registered in prod
    await prod.remove(M);
    state = await test.read();
    expect(state.users).not.toContain(M);
  });

  it('refuses production unless the test registration is tested and present on the bus', async () => {
    const testState = await test.read();
    expect(() => assertPromotable('prod', M, 'registered', testState)).toThrow(PromotionRefusedError);
    expect(() => assertPromotable('prod', M, undefined, testState)).toThrow(/absent/);
    expect(() => assertPromotable('prod', M, 'tested', testState)).toThrow(/holds no registration/);
    await test.ensure({ mnemonic: M, messageTypes: ['urn://x/a/1.0#A'] });
    expect(() => assertPromotable('prod', M, 'tested', testState)).toThrow(); // stale read
    expect(() => assertPromotable('prod', M, 'tested', undefined)).not.toThrow();
    assertPromotable('prod', M, 'tested', await test.read());
    expect(() => assertPromotable('test', M, undefined, undefined)).not.toThrow();
  });

  it('names method, path and status on errors, never the password', async () => {
    const wrong = new BusClient({
      url: operator.contours.test.bus.url,
      vhost: 'smev-test',
      username: 'nobody',
      password: 'hunter2-secret',
    });
    const error = (await wrong.read().catch((e: unknown) => e)) as BusError;
    expect(error).toBeInstanceOf(BusError);
    expect(error.status).toBe(401);
    expect(error.message).not.toContain('hunter2-secret');
  });
});

async function fetchAsAdmin(method: string, path: string, body: unknown): Promise<void> {
  const { readCredentials } = await import('../../src/infra/secrets.js');
  const { username, password } = await readCredentials(operator.contours.test.bus.credentials);
  const response = await fetch(new URL(`/api${path}`, operator.contours.test.bus.url), {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}
