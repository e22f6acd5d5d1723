// The real Pulumi engine (the CLI built by setup) running Prichal's program inline against the
// lab, driven through `prichal preview|up|refresh|destroy` exactly as an operator would: up
// provisions, a second preview is clean, hand edits show in refresh and are undone by up,
// targeting one participant leaves the others alone (even in its own shard), destroy removes exactly Prichal's objects,
// an invalid inventory changes nothing, and a state written from one clone is read, refreshed
// and destroyed from another clone at another path after the first is gone.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineResult } from '../../src/infra/pulumi/engine.js';
import { NFT, readTable } from '../../src/infra/firewall.js';
import { type BusClient } from '../../src/infra/bus.js';
import { plannedPermission } from '../../src/plan/index.js';
import { shardOf } from '../../src/infra/pulumi/resources.js';
import { readCredentials, readSecret, secretsDir } from '../../src/infra/secrets.js';
import type { OperatorFile } from '../../src/inventory/index.js';
import type { Plan } from '../../src/plan/index.js';
import { PROJECT_ROOT } from '../../src/project.js';
import { compareTables, plannedTable } from '../../src/render/index.js';
import { prichal } from '../helpers/cli.js';
import { copyProject } from './engine-state.js';
import { inventoryWith, removeInventory, SAMPLE_INVENTORY } from '../helpers/inventory.js';
import {
  applyChannels,
  applyFirewalls,
  busAdminFetch,
  busClient,
  edge,
  loadSample,
  onEveryGatewayHost,
  withEdge,
  writeLabCoordinators,
} from './lab.js';
import { checkInventory } from '../../src/requirements/index.js';

let plan: Plan;
let operator: OperatorFile;
const buses = {} as Record<'test' | 'prod', BusClient>;
const scratch: string[] = [];

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** Runs prichal with its own state backend; secrets from the checkout's secret store. */
function engine(backend: string, options: { bin?: string; cwd?: string } = {}) {
  const env = { PRICHAL_PULUMI_BACKEND: `file://${backend}`, PRICHAL_SECRETS_DIR: secretsDir() };
  return async (args: string[], inventory = SAMPLE_INVENTORY) => {
    const r = await prichal([...args, '--inventory', inventory, '--format', 'json'], { env, ...options });
    if (r.code !== 0 && r.code !== 1) return { ...r, json: undefined };
    let json: EngineResult | undefined;
    try {
      json = JSON.parse(r.stdout) as EngineResult;
    } catch {
      if (r.code === 0)
        throw new Error(
          `not JSON from prichal ${args.join(' ')}: ${r.stdout.slice(0, 500)} / ${r.stderr.slice(0, 500)}`,
        );
      json = undefined;
    }
    return { ...r, json };
  };
}

async function liveDifferences(edgeId: string) {
  const e = edge(plan, edgeId);
  return compareTables(plannedTable(e), await withEdge(e, readTable));
}

async function tableExists(edgeId: string, table: string): Promise<boolean> {
  return withEdge(
    edge(plan, edgeId),
    async (conn) => (await conn.exec(`${NFT} list table ${table}`, { allowFailure: true })).exitCode === 0,
  );
}

const adminFetch = (contour: 'test' | 'prod', method: string, apiPath: string, body?: unknown) =>
  busAdminFetch(operator, contour, method, apiPath, body);

const widen = (contour: 'test' | 'prod', mnemonic: string) =>
  adminFetch(
    contour,
    'PUT',
    `/permissions/${encodeURIComponent(operator.contours[contour].bus.vhost)}/${encodeURIComponent(mnemonic)}`,
    { configure: '.*', write: '.*', read: '.*' },
  );

async function permissionOf(contour: 'test' | 'prod', mnemonic: string) {
  return (await buses[contour].read()).permissions.find((p) => p.user === mnemonic);
}

const shardsOf = (contour: 'test' | 'prod') =>
  new Set(plan.contours[contour].registrations.map((r) => shardOf(r.mnemonic)));
const mnemonics = (contour: 'test' | 'prod') => plan.contours[contour].registrations.map((r) => r.mnemonic).sort();
/** The gateway shards of a contour: per host the plan places participants on, then by the hash of the participant. */
const gatewayShardsOf = (contour: 'test' | 'prod') =>
  new Set(plan.contours[contour].registrations.map((r) => `${r.host} ${shardOf(r.participant)}`));

async function registeredMnemonics(contour: 'test' | 'prod'): Promise<string[]> {
  const state = await buses[contour].read();
  return mnemonics(contour).filter((m) => state.permissions.some((p) => p.user === m));
}

/** Every file of a file:// backend, concatenated: what a state leak would show up in. */
async function stateText(backend: string): Promise<string> {
  const files = await readdir(backend, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    files.filter((f) => f.isFile()).map((f) => readFile(path.join(f.parentPath, f.name), 'utf8')),
  );
  return texts.join('\n');
}

beforeAll(async () => {
  ({ plan, operator } = await loadSample());
  buses.test = await busClient(operator, 'test');
  buses.prod = await busClient(operator, 'prod');
  // Start from a lab without Prichal's objects of earlier tests, so creates are real creates.
  for (const e of plan.edges)
    await withEdge(e, (conn) => conn.exec(`${NFT} delete table inet prichal`, { allowFailure: true }));
  for (const c of ['test', 'prod'] as const) for (const m of mnemonics(c)) await buses[c].remove(m);
});

afterAll(async () => {
  // Leave the lab provisioned for the tests that follow, whatever happened here.
  await applyFirewalls(plan.edges);
  await applyChannels(plan);
  for (const c of ['test', 'prod'] as const) for (const r of plan.contours[c].registrations) await buses[c].ensure(r);
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe('the Pulumi engine against the lab', () => {
  let backend: string;
  let run: ReturnType<typeof engine>;

  beforeAll(async () => {
    backend = await tempDir('prichal-state-');
    run = engine(backend);
  });

  it('refuses an inventory that does not validate before the engine starts: nothing changes, no state is written', async () => {
    const bad = await inventoryWith([{ file: 'participants/tmn-sosh-12.yaml', from: 'mnemonic:', to: 'mnemonik:' }]);
    try {
      const r = await run(['up', '--contour', 'test', '--yes'], bad);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/действующие системы не изменяются: реестр не проходит проверку/);
      expect(await readdir(backend)).toEqual([]);
      expect(await tableExists('edge-1', 'inet prichal')).toBe(false);
      expect(await registeredMnemonics('test')).toEqual([]);
    } finally {
      await removeInventory(bad);
    }
  });

  it('refuses prod before the test registrations exist on the bus (the promotion gate) and creates nothing there', async () => {
    const r = await run(['up', '--contour', 'prod', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\S+ не регистрируется в промышленном контуре/);
    expect(await registeredMnemonics('prod')).toEqual([]);
  });

  it('up of the test contour creates both edge tables and every test registration', async () => {
    const r = await run(['up', '--contour', 'test', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json!.byType['prichal:index:EdgeFirewall']).toEqual({ create: plan.edges.length });
    expect(r.json!.byType['prichal:index:BusRegistrations']).toEqual({ create: shardsOf('test').size });
    expect(r.json!.byType['prichal:index:GatewayShard']).toEqual({ create: gatewayShardsOf('test').size });
    // Every participant's registration is named in the report of its shard's creation.
    expect(
      Object.keys(r.json!.byParticipant)
        .filter((p) => r.json!.byParticipant[p]!.some((c) => /^register /.test(c.message)))
        .sort(),
    ).toEqual(plan.contours.test.registrations.map((x) => x.participant).sort());
    // Progress: one line per resource operation on stderr.
    // Per edge its table and its channel.
    expect(r.json!.byType['prichal:index:EdgeChannel']).toEqual({ create: plan.edges.length });
    expect(r.stderr.split('\n').filter((l) => /^\+ создание prichal:index:/.test(l))).toHaveLength(
      2 * plan.edges.length + shardsOf('test').size + gatewayShardsOf('test').size,
    );
    for (const e of plan.edges) expect(await liveDifferences(e.id)).toEqual([]);
    expect(await registeredMnemonics('test')).toEqual(mnemonics('test'));
    for (const m of mnemonics('test')) expect(await permissionOf('test', m)).toEqual(plannedPermission(m));
  });

  it('up of the prod contour registers the tested participants', async () => {
    const r = await run(['up', '--contour', 'prod', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(await registeredMnemonics('prod')).toEqual(mnemonics('prod'));
  });

  it('a second preview reports no changes (--expect-no-changes exits 0)', async () => {
    for (const contour of ['test', 'prod']) {
      const r = await run(['preview', '--contour', contour, '--expect-no-changes']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json!.changed).toBe(false);
    }
  });

  it('keeps secrets out of the state and the checkout path out of it', async () => {
    const text = await stateText(backend);
    expect(text).toContain('prichal:index:EdgeFirewall');
    expect(text).not.toContain(PROJECT_ROOT);
    const key = await readSecret(operator.edges[0]!.ssh.credentials);
    expect(text).not.toContain(key.split('\n')[1]!);
    for (const c of ['test', 'prod'] as const)
      expect(text).not.toContain((await readCredentials(operator.contours[c].bus.credentials)).password);
  });

  it('a rule added by hand on an edge and a widened bus permission appear in refresh, and up undoes them', async () => {
    const mnemonic = plan.contours.test.registrations[0]!.mnemonic;
    const participant = plan.contours.test.registrations[0]!.participant;
    await withEdge(edge(plan, 'edge-1'), (conn) =>
      conn.exec(`${NFT} add element inet prichal participant_to_gateway '{ 10.99.0.0/24 . 10.210.0.250 . 22 }'`),
    );
    await widen('test', mnemonic);

    const refreshed = await run(['refresh', '--contour', 'test']);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    const firewall = refreshed.json!.steps.find((s) => s.name === 'firewall-edge-1')!;
    expect(firewall.changes.map((c) => c.message).join('\n')).toMatch(
      /extra element 10\.99\.0\.0\/24 \. 10\.210\.0\.250 \. 22/,
    );
    expect(refreshed.json!.byParticipant[participant]!.map((c) => c.message).join('\n')).toMatch(
      /not confined to its own queue/,
    );
    expect(refreshed.json!.steps.find((s) => s.name === 'firewall-edge-2')).toBeUndefined();

    const preview = await run(['preview', '--contour', 'test', '--expect-no-changes']);
    expect(preview.code).toBe(1);
    expect(preview.json!.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual([
      `update bus-test-${shardOf(mnemonic)}`,
      'update firewall-edge-1',
    ]);

    const up = await run(['up', '--contour', 'test', '--yes']);
    expect(up.code, up.stderr).toBe(0);
    expect(await liveDifferences('edge-1')).toEqual([]);
    expect(await permissionOf('test', mnemonic)).toEqual(plannedPermission(mnemonic));
    expect((await run(['preview', '--contour', 'test', '--expect-no-changes', '--refresh'])).code).toBe(0);
  });

  it("--participant changes that participant's objects only: another's drift in the same shard and a hand edit on its edge wait for the next full up", async () => {
    const [a] = plan.contours.test.registrations;
    // A second participant whose registration lands in a's shard: the sample's school under a
    // mnemonic chosen to hash there (both contours), so the scope is tested inside one resource.
    let suffix = 0;
    while (shardOf(`TMN_SOSH12_${suffix}`) !== shardOf(a!.mnemonic)) suffix++;
    const b = { participant: 'tmn-sosh-12', mnemonic: `TMN_SOSH12_${suffix}` };
    const rename = {
      file: 'participants/tmn-sosh-12.yaml',
      from: 'mnemonic: TMN_SOSH12\n',
      to: `mnemonic: ${b.mnemonic}\n`,
    };
    const shared = await inventoryWith([rename, rename]);
    try {
      expect((await run(['up', '--contour', 'test', '--yes'], shared)).code).toBe(0);
      await widen('test', a!.mnemonic);
      await widen('test', b.mnemonic);
      await withEdge(edge(plan, a!.edge), (conn) =>
        conn.exec(`${NFT} add element inet prichal participant_to_gateway '{ 10.98.0.0/24 . 10.210.0.251 . 22 }'`),
      );
      const r = await run(['up', '--contour', 'test', '--participant', a!.participant, '--refresh', '--yes'], shared);
      expect(r.code, r.stderr).toBe(0);
      const updates = r.json!.steps.filter((s) => s.op === 'update');
      expect(updates.map((s) => s.name)).toEqual([`bus-test-${shardOf(a!.mnemonic)}`]);
      expect(updates[0]!.participants).toEqual([a!.participant]);
      expect(await permissionOf('test', a!.mnemonic)).toEqual(plannedPermission(a!.mnemonic));
      expect(await permissionOf('test', b.mnemonic)).not.toEqual(plannedPermission(b.mnemonic));
      expect((await liveDifferences(a!.edge)).map((d) => d.element)).toEqual(['10.98.0.0/24 . 10.210.0.251 . 22']);
      // The other participant's pending correction is still in the plan of the next full up.
      const pending = await run(['preview', '--contour', 'test', '--expect-no-changes', '--refresh'], shared);
      expect(pending.code).toBe(1);
      expect(Object.keys(pending.json!.byParticipant)).toContain(b.participant);
      expect(Object.keys(pending.json!.byParticipant)).not.toContain(a!.participant);
      const full = await run(['up', '--contour', 'test', '--refresh', '--yes'], shared);
      expect(full.code, full.stderr).toBe(0);
      expect(await permissionOf('test', b.mnemonic)).toEqual(plannedPermission(b.mnemonic));
      expect(await liveDifferences(a!.edge)).toEqual([]);
    } finally {
      // Back to the sample: the renamed registration is removed, the school's own restored.
      const back = await run(['up', '--contour', 'test', '--yes']);
      expect(back.code, back.stderr).toBe(0);
      await removeInventory(shared);
    }
    expect(await registeredMnemonics('test')).toEqual(mnemonics('test'));
    expect((await run(['preview', '--contour', 'test', '--expect-no-changes', '--refresh'])).code).toBe(0);
  });

  it('a registration moved from requested to approved gets its flows, bus user and gateway; moved back it loses all three; drift is clean both times', async () => {
    // onokhino-sp's test registration is 'requested' in the sample (Регламент ПУ ТО, п. 3.1.3): not provisioned.
    const approved = await inventoryWith([
      {
        file: 'participants/onokhino-sp.yaml',
        from: '    status: requested\n',
        to: '    status: approved\n    approved: 2026-11-20\n',
      },
    ]);
    const element = '10.35.11.0/26 . 10.210.0.7 . 443';
    const gateway = 'prichal-gw-onokhino-sp-test';
    const state = async () => ({
      flow: (
        await withEdge(edge(plan, 'edge-1'), (conn) => conn.exec(`${NFT} list set inet prichal participant_to_gateway`))
      ).stdout.includes(element),
      user: (await buses.test.read()).permissions.some((p) => p.user === 'TMR_ONOKHINO'),
      gateway: (await onEveryGatewayHost(plan, (host) => host.inspectContainer(gateway))).some((c) => c !== undefined),
    });
    const converge = async (inventory: string) => {
      for (const contour of ['test', 'prod']) {
        const up = await run(['up', '--contour', contour, '--yes'], inventory);
        expect(up.code, up.stderr).toBe(0);
      }
      // The ViPNet administrator links (or unlinks) the participant's node on the hub's coordinator.
      await writeLabCoordinators((await checkInventory(inventory, '2026-11-23')).plan!);
      const drift = await prichal(['drift', '--inventory', inventory, '--at', '2026-11-23', '--format', 'json']);
      expect(drift.code, drift.stdout.slice(0, 2000)).toBe(0);
    };
    // A lab provisioned before the lifecycle (when requested registrations were provisioned) may
    // hold the user outside this test's state: start from none.
    await buses.test.remove('TMR_ONOKHINO');
    try {
      await converge(SAMPLE_INVENTORY);
      expect(await state()).toEqual({ flow: false, user: false, gateway: false });
      await converge(approved);
      expect(await state()).toEqual({ flow: true, user: true, gateway: true });
    } finally {
      await converge(SAMPLE_INVENTORY);
      await removeInventory(approved);
    }
    expect(await state()).toEqual({ flow: false, user: false, gateway: false });
  });

  it("destroy removes exactly Prichal's objects: other tables and other bus users stay", async () => {
    await withEdge(edge(plan, 'edge-1'), (conn) => conn.exec(`${NFT} add table inet operator_own`));
    await adminFetch('test', 'PUT', '/users/ZZ_NOT_PRICHAL', { password_hash: '', tags: '' });
    await adminFetch(
      'test',
      'PUT',
      `/permissions/${encodeURIComponent(operator.contours.test.bus.vhost)}/ZZ_NOT_PRICHAL`,
      { configure: '', write: '', read: '' },
    );
    try {
      expect((await run(['destroy', '--contour', 'prod', '--yes'])).code).toBe(0);
      const r = await run(['destroy', '--contour', 'test', '--yes']);
      expect(r.code, r.stderr).toBe(0);
      for (const e of plan.edges) expect(await tableExists(e.id, 'inet prichal')).toBe(false);
      expect(await tableExists('edge-1', 'inet operator_own')).toBe(true);
      expect(await registeredMnemonics('test')).toEqual([]);
      expect(await registeredMnemonics('prod')).toEqual([]);
      const { users } = await buses.test.read();
      expect(users).not.toContain('ZZ_NOT_PRICHAL'); // read() lists only Prichal's tag…
      const all = (await (await adminFetch('test', 'GET', '/users')).json()) as Array<{ name: string }>;
      expect(all.map((u) => u.name)).toContain('ZZ_NOT_PRICHAL'); // …and the foreign user is still there.
      // destroy is idempotent: a second one finds nothing to do.
      expect((await run(['destroy', '--contour', 'test', '--yes'])).code).toBe(0);
    } finally {
      await withEdge(edge(plan, 'edge-1'), (conn) =>
        conn.exec(`${NFT} delete table inet operator_own`, { allowFailure: true }),
      );
      await adminFetch('test', 'DELETE', '/users/ZZ_NOT_PRICHAL');
    }
  });
});

describe('state shared between clones', () => {
  it('a state written from one clone is previewed, refreshed and destroyed from another at another path after the first is deleted', async () => {
    const backend = await tempDir('prichal-shared-state-');
    const first = await copyProject(path.join(await tempDir('prichal-clone-a-'), 'prichal'));
    const fromFirst = engine(backend, { bin: path.join(first, 'bin', 'prichal'), cwd: first });
    const up = await fromFirst(['up', '--contour', 'test', '--yes'], path.join(first, 'inventory'));
    expect(up.code, up.stderr).toBe(0);
    await rm(first, { recursive: true, force: true });
    expect(await stateText(backend)).not.toContain(first);

    const second = await copyProject(path.join(await tempDir('prichal-clone-b-'), 'elsewhere', 'prichal'));
    const fromSecond = engine(backend, { bin: path.join(second, 'bin', 'prichal'), cwd: second });
    const inventory = path.join(second, 'inventory');
    const preview = await fromSecond(['preview', '--contour', 'test', '--expect-no-changes'], inventory);
    expect(preview.code, preview.stderr).toBe(0);
    const refresh = await fromSecond(['refresh', '--contour', 'test'], inventory);
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(refresh.json!.steps).toEqual([]);
    const destroy = await fromSecond(['destroy', '--contour', 'test', '--yes'], inventory);
    expect(destroy.code, destroy.stderr).toBe(0);
    expect(destroy.json!.byType).toEqual({
      'prichal:index:EdgeFirewall': { delete: plan.edges.length },
      'prichal:index:EdgeChannel': { delete: plan.edges.length },
      'prichal:index:BusRegistrations': { delete: shardsOf('test').size },
      'prichal:index:GatewayShard': { delete: gatewayShardsOf('test').size },
    });
    for (const e of plan.edges) expect(await tableExists(e.id, 'inet prichal')).toBe(false);
    expect(await registeredMnemonics('test')).toEqual([]);
  });
});
