// Credentials by reference, on the lab: after `up` of both contours no resource of either stack
// carries a secret value, encrypted or not (asserted on the exported checkpoints and on every
// file of the backend), each resource naming the secret it uses instead; and a rotation — a new
// SSH key in the secret store and on the edge with the old one removed, a new bus administrator
// password — is used at once: refresh and preview work without an up, while the old key or
// password in the store fails them (the state holds no copy to fall back on).
// So as not to disturb the lab's own logins, the test rotates logins of its own: a user of its
// own on edge-1 (the lab's edges let any user run nft) and a bus administrator of its own.
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../src/infra/docker.js';
import { BUS_REGISTRATIONS, EDGE_FIREWALL, unpackEdge, type PackedEdge } from '../../src/infra/pulumi/resources.js';
import { secretsInDeployment } from '../../src/infra/pulumi/upgrade.js';
import { PASSPHRASE_SECRET, readCredentials, readSecret, secretsDir } from '../../src/infra/secrets.js';
import { LAB_PREFIX } from '../../lab/topology.js';
import type { OperatorFile } from '../../src/inventory/index.js';
import type { Plan } from '../../src/plan/index.js';
import { inventoryWith, removeInventory, SAMPLE_INVENTORY } from '../helpers/inventory.js';
import { backendText, engineCli, engineRun } from './engine-state.js';
import { applyChannels, applyFirewalls, busAdminFetch, loadSample } from './lab.js';

const USER = 'prichal-rot';
const EDGE = 'edge-1';
const KEY_SECRET = 'edge1-rotation';
const BUS_SECRET = 'bus-rotation';
const BUS_ADMIN = 'prichal-rotation-admin';
const CONTOURS = ['test', 'prod'] as const;

let plan: Plan;
let operator: OperatorFile;
let work: string;
let store: string;
let backend: string;
let inventory: string;
let run: ReturnType<typeof engineRun>;
const keys = {} as Record<'a' | 'b', { private: string; public: string }>;
const passwords = { first: randomBytes(12).toString('base64url'), second: randomBytes(12).toString('base64url') };

async function keyPair(name: string): Promise<{ private: string; public: string }> {
  const file = path.join(work, name);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `prichal-rotation-${name}`, '-f', file]);
  return { private: await readFile(file, 'utf8'), public: await readFile(`${file}.pub`, 'utf8') };
}

/** The only keys the edge accepts for the test's user. */
async function authorize(...publicKeys: string[]): Promise<void> {
  const container = `${LAB_PREFIX}-${EDGE}`;
  const script = `set -e; id ${USER} >/dev/null 2>&1 || useradd --create-home --shell /bin/bash ${USER}; install -d -o ${USER} -g ${USER} -m 700 /home/${USER}/.ssh; cat > /home/${USER}/.ssh/authorized_keys; chown ${USER}:${USER} /home/${USER}/.ssh/authorized_keys; chmod 600 /home/${USER}/.ssh/authorized_keys`;
  await docker(['exec', '-i', container, 'bash', '-c', script], {
    input: publicKeys.map((k) => k.trim()).join('\n') + '\n',
  });
}

async function busAdmin(method: string, apiPath: string, body?: unknown): Promise<void> {
  await busAdminFetch(operator, 'test', method, apiPath, body);
}

const setPassword = (password: string) => busAdmin('PUT', `/users/${BUS_ADMIN}`, { password, tags: 'administrator' });
const putSecret = (name: string, value: string) => writeFile(path.join(store, name), value, { mode: 0o600 });

/** Every secret value the runs could have copied: keys (each line of their body), passwords, the passphrase. */
async function secretValues(): Promise<string[]> {
  const body = (key: string) => key.split('\n').filter((l) => l && !l.startsWith('-----'));
  const values = [
    ...body(keys.a.private),
    ...body(keys.b.private),
    passwords.first,
    passwords.second,
    await readSecret(PASSPHRASE_SECRET),
  ];
  for (const e of operator.edges) values.push(...body(await readSecret(e.ssh.credentials)));
  for (const c of CONTOURS) values.push((await readCredentials(operator.contours[c].bus.credentials)).password);
  return values;
}

beforeAll(async () => {
  ({ plan, operator } = await loadSample());
  work = await mkdtemp(path.join(tmpdir(), 'prichal-credentials-'));
  store = path.join(work, 'secrets');
  await cp(secretsDir(), store, { recursive: true });
  keys.a = await keyPair('a');
  keys.b = await keyPair('b');
  await authorize(keys.a.public);
  await putSecret(KEY_SECRET, keys.a.private);
  await setPassword(passwords.first);
  for (const vhost of CONTOURS.map((c) => operator.contours[c].bus.vhost))
    await busAdmin('PUT', `/permissions/${encodeURIComponent(vhost)}/${BUS_ADMIN}`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
  await putSecret(BUS_SECRET, `${BUS_ADMIN}:${passwords.first}`);
  // The sample, with edge-1 reached as the test's user under its own key, and both contours' bus under the test's administrator.
  const edgeLine = (await readFile(path.join(SAMPLE_INVENTORY, 'operator.yaml'), 'utf8'))
    .split('\n')
    .find((l) => l.includes('port: 2201'))!;
  inventory = await inventoryWith([
    {
      file: 'operator.yaml',
      from: edgeLine,
      to: edgeLine
        .replace('user: netops', `user: ${USER}`)
        .replace('credentials: edge1 }', `credentials: ${KEY_SECRET} }`),
    },
    {
      file: 'operator.yaml',
      from: `credentials: ${operator.contours.test.bus.credentials} }`,
      to: `credentials: ${BUS_SECRET} }`,
    },
    {
      file: 'operator.yaml',
      from: `credentials: ${operator.contours.prod.bus.credentials} }`,
      to: `credentials: ${BUS_SECRET} }`,
    },
  ]);
  backend = path.join(work, 'state');
  run = engineRun({ PRICHAL_PULUMI_BACKEND: `file://${backend}`, PRICHAL_SECRETS_DIR: store });
  for (const contour of CONTOURS) {
    const up = await run(['up', '--contour', contour, '--yes'], inventory);
    expect(up.code, up.stderr).toBe(0);
  }
});

afterAll(async () => {
  await docker(['exec', `${LAB_PREFIX}-${EDGE}`, 'bash', '-c', `userdel -r ${USER} 2>/dev/null || true`]);
  await busAdmin('DELETE', `/users/${BUS_ADMIN}`);
  // The test's user applied the tables: the lab's own login puts them back (a full replace resets its record).
  await applyFirewalls(plan.edges);
  await applyChannels(plan);
  if (inventory) await removeInventory(inventory);
  await rm(work, { recursive: true, force: true });
});

describe('credentials by reference', () => {
  it('no resource of either stack carries a secret value, encrypted or not; each names the secret it uses', async () => {
    const cli = await engineCli(`file://${backend}`, await readSecret(PASSPHRASE_SECRET));
    try {
      for (const contour of CONTOURS) {
        const d = await cli.exportStack(contour);
        expect(secretsInDeployment(d)).toEqual([]);
        const text = JSON.stringify(d);
        expect(text).not.toMatch(/privateKey|ciphertext|plaintext/);
        for (const r of d.resources ?? []) {
          if (r.type === EDGE_FIREWALL) {
            const edge = unpackEdge(r.outputs!.edge as PackedEdge);
            expect(edge.ssh.credentials).toBe(
              edge.id === EDGE ? KEY_SECRET : operator.edges.find((e) => e.id === edge.id)!.ssh.credentials,
            );
          }
          if (r.type === BUS_REGISTRATIONS) {
            expect(r.outputs!.bus).toMatchObject({ credentials: BUS_SECRET });
            expect(r.inputs!.bus).toMatchObject({ credentials: BUS_SECRET });
            expect(r.outputs).not.toHaveProperty('credentials');
          }
        }
        expect((d.resources ?? []).filter((r) => r.type === BUS_REGISTRATIONS).length).toBeGreaterThan(0);
      }
    } finally {
      await cli.close();
    }
    // Nor anywhere in the backend: checkpoints, their backups and the history of every run.
    const everything = await backendText(backend);
    for (const value of await secretValues())
      expect(everything.includes(value), 'a secret value in the backend').toBe(false);
  });

  it('a rotated edge key and bus password are used at once: refresh and preview work without an up; the old ones, still in the store, fail', async () => {
    // Rotation as an operator does it: the new key on the edge and in the store, then the old one removed from the edge.
    await authorize(keys.a.public, keys.b.public);
    await putSecret(KEY_SECRET, keys.b.private);
    await authorize(keys.b.public);
    await setPassword(passwords.second);
    await putSecret(BUS_SECRET, `${BUS_ADMIN}:${passwords.second}`);
    for (const contour of CONTOURS) {
      const refresh = await run(['refresh', '--contour', contour], inventory);
      expect(refresh.code, refresh.stderr).toBe(0);
      expect(refresh.json!.steps).toEqual([]);
      const preview = await run(['preview', '--contour', contour, '--expect-no-changes'], inventory);
      expect(preview.code, preview.stderr).toBe(0);
    }
    // The state has no copy to fall back on: with the old key or password in the store, refresh fails, naming neither.
    await putSecret(KEY_SECRET, keys.a.private);
    const oldKey = await run(['refresh', '--contour', 'test'], inventory);
    expect(oldKey.code).toBe(4);
    expect(oldKey.stderr).toMatch(/edge-1|127\.0\.0\.1:2201/);
    await putSecret(KEY_SECRET, keys.b.private);
    await putSecret(BUS_SECRET, `${BUS_ADMIN}:${passwords.first}`);
    const oldPassword = await run(['refresh', '--contour', 'prod'], inventory);
    expect(oldPassword.code).toBe(4);
    expect(oldPassword.stderr).toMatch(/401/);
    await putSecret(BUS_SECRET, `${BUS_ADMIN}:${passwords.second}`);
    for (const r of [oldKey, oldPassword])
      for (const value of await secretValues()) expect(r.stderr.includes(value)).toBe(false);
    // And after all that, still no secret in the state.
    const everything = await backendText(backend);
    for (const value of await secretValues()) expect(everything.includes(value)).toBe(false);
    expect((await run(['preview', '--contour', 'test', '--refresh', '--expect-no-changes'], inventory)).code).toBe(0);
  });
});
