// A state written by an earlier resource model, brought up by today's code on the lab. The
// fixture is the checkpoint the code before 97d848f wrote on the lab (one BusRegistration per
// registration, flows as objects, SSH keys and bus credentials copied in; its secrets scrubbed:
// test/fixtures/state-before-97d848f). The lab is put in the state that checkpoint records (its
// edge tables and registrations), a message is left in the queue of every registration both
// models hold, and then, with today's sample inventory: refresh upgrades the state (registrations
// merged into shards, no secret left in any resource) with nothing changed on a live system;
// preview plans only what the inventory changes; up converges — nothing live deleted (the
// messages are still queued), duplicated (each registration in one shard) or left behind (the
// registration the new inventory no longer provisions is gone), and a refreshing preview is
// clean. A preview as the first command upgrades the state just as well.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusClient } from '../../src/infra/bus.js';
import { NFT, readTable } from '../../src/infra/firewall.js';
import {
  BUS_REGISTRATIONS,
  EDGE_FIREWALL,
  shardOf,
  unpackEdge,
  type ShardEntry,
} from '../../src/infra/pulumi/resources.js';
import {
  RETIRED_BUS_REGISTRATION,
  secretsInDeployment,
  upgradeEdgeFirewall,
  type Deployment,
} from '../../src/infra/pulumi/upgrade.js';
import { secretsDir } from '../../src/infra/secrets.js';
import type { OperatorFile } from '../../src/inventory/index.js';
import type { Plan, PlannedEdge } from '../../src/plan/index.js';
import { PROJECT_ROOT } from '../../src/project.js';
import { compareTables, plannedTable } from '../../src/render/index.js';
import { engineCli, engineRun } from './engine-state.js';
import {
  applyChannels,
  applyFirewalls,
  busAdminFetch,
  busClient,
  loadSample,
  removeUnplannedRegistrations,
  withEdge,
} from './lab.js';

const FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'state-before-97d848f');
/** The throwaway passphrase the fixture's (scrubbed) secrets are encrypted with. */
const PASSPHRASE = 'prichal-fixture-passphrase';
const CONTOURS = ['test', 'prod'] as const;
type Contour = (typeof CONTOURS)[number];
const MARKER = 'left in the queue before the upgrade';

let plan: Plan;
let operator: OperatorFile;
const scratch: string[] = [];
const recorded = {} as Record<Contour, Array<{ participant: string; mnemonic: string; messageTypes: string[] }>>;
let recordedEdges: PlannedEdge[] = [];

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** A backend holding the fixture's two stacks, as an operator's backend would after years of use. */
async function backendWithFixture(): Promise<{
  backend: string;
  run: ReturnType<typeof engineRun>;
  cli: Awaited<ReturnType<typeof engineCli>>;
}> {
  const dir = await tempDir('prichal-upgrade-state-');
  const backend = `file://${dir}`;
  const cli = await engineCli(backend, PASSPHRASE);
  for (const contour of CONTOURS) await cli.importStack(contour, path.join(FIXTURE, `${contour}.json`));
  const run = engineRun({
    PRICHAL_PULUMI_BACKEND: backend,
    PRICHAL_SECRET_PULUMI_PASSPHRASE: PASSPHRASE,
    PRICHAL_SECRETS_DIR: secretsDir(),
  });
  return { backend, run, cli };
}

const admin = (contour: Contour, method: string, apiPath: string, body?: unknown) =>
  busAdminFetch(operator, contour, method, apiPath, body);

const vhost = (contour: Contour) => encodeURIComponent(operator.contours[contour].bus.vhost);
const queue = (mnemonic: string) => encodeURIComponent(`prichal.${mnemonic}.in`);

/** The messages in a registration's queue (read and put back). */
async function queued(contour: Contour, mnemonic: string): Promise<string[]> {
  const r = await admin(contour, 'POST', `/queues/${vhost(contour)}/${queue(mnemonic)}/get`, {
    count: 10,
    ackmode: 'ack_requeue_true',
    encoding: 'auto',
  });
  if (r.status === 404) return [];
  return ((await r.json()) as Array<{ payload: string }>).map((m) => m.payload);
}

/** Registrations both models provision in a contour: the objects that must never be deleted. */
const kept = (contour: Contour) =>
  recorded[contour]
    .filter((r) => plan.contours[contour].registrations.some((p) => p.mnemonic === r.mnemonic))
    .map((r) => r.mnemonic);

async function registered(contour: Contour, client: BusClient): Promise<string[]> {
  const state = await client.read();
  const candidates = new Set([
    ...recorded[contour].map((r) => r.mnemonic),
    ...plan.contours[contour].registrations.map((r) => r.mnemonic),
  ]);
  return [...candidates]
    .filter((m) => state.permissions.some((p) => p.user === m) || state.queues.includes(`prichal.${m}.in`))
    .sort();
}

beforeAll(async () => {
  ({ plan, operator } = await loadSample());
  const { cli } = await backendWithFixture();
  // The live lab as the fixture's state records it: its edge tables, exactly its registrations.
  for (const contour of CONTOURS) {
    const deployment = await cli.exportStack(contour);
    recorded[contour] = (deployment.resources ?? [])
      .filter((r) => r.type === RETIRED_BUS_REGISTRATION)
      .map((r) => r.outputs!.registration as { participant: string; mnemonic: string; messageTypes: string[] });
    if (contour === 'test')
      recordedEdges = (deployment.resources ?? [])
        .filter((r) => r.type === EDGE_FIREWALL)
        .map((r) => unpackEdge(upgradeEdgeFirewall(r.outputs!).props.edge));
  }
  await cli.close();
  await applyFirewalls(recordedEdges);
  for (const contour of CONTOURS) {
    const client = await busClient(operator, contour);
    for (const m of plan.contours[contour].registrations.map((r) => r.mnemonic))
      if (!recorded[contour].some((r) => r.mnemonic === m)) await client.remove(m);
    for (const r of recorded[contour]) await client.ensure(r);
    for (const m of kept(contour)) {
      await admin(contour, 'DELETE', `/queues/${vhost(contour)}/${queue(m)}/contents`);
      await admin(contour, 'POST', `/exchanges/${vhost(contour)}/amq.default/publish`, {
        properties: {},
        routing_key: `prichal.${m}.in`,
        payload: MARKER,
        payload_encoding: 'string',
      });
    }
  }
});

afterAll(async () => {
  // Back to the sample's estate for the tests that follow, whatever happened here.
  await applyFirewalls(plan.edges);
  await applyChannels(plan);
  for (const contour of CONTOURS) {
    const client = await busClient(operator, contour);
    for (const r of plan.contours[contour].registrations) {
      await client.ensure(r);
      await admin(contour, 'DELETE', `/queues/${vhost(contour)}/${queue(r.mnemonic)}/contents`);
    }
  }
  await removeUnplannedRegistrations(plan, operator);
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe('a state written before 97d848f, under today’s code', () => {
  let state: Awaited<ReturnType<typeof backendWithFixture>>;
  const exported = {} as Record<Contour, Deployment>;

  beforeAll(async () => {
    state = await backendWithFixture();
  });
  afterAll(async () => {
    await state.cli.close();
  });

  it('refresh upgrades it: registrations merged into shards, no secret left in any resource, nothing changed on a live system', async () => {
    for (const contour of CONTOURS) {
      const liveBefore = await registered(contour, await busClient(operator, contour));
      const r = await state.run(['refresh', '--contour', contour]);
      expect(r.code, r.stderr).toBe(0);
      const upgrade = r.json!.steps.find((s) => s.op === 'upgrade')!;
      expect(upgrade.changes).toHaveLength(recorded[contour].length);
      expect(upgrade.participants).toEqual([...new Set(recorded[contour].map((x) => x.participant))].sort());
      // The live systems are as the fixture's state records them: refresh finds nothing on the bus.
      expect(r.json!.steps.filter((s) => s.op === 'refresh' && s.type === BUS_REGISTRATIONS)).toEqual([]);
      expect(await registered(contour, await busClient(operator, contour))).toEqual(liveBefore);
      const d = await state.cli.exportStack(contour);
      exported[contour] = d;
      expect((d.resources ?? []).filter((x) => x.type === RETIRED_BUS_REGISTRATION)).toEqual([]);
      const held = (d.resources ?? [])
        .filter((x) => x.type === BUS_REGISTRATIONS)
        .flatMap((x) =>
          (x.outputs!.entries as ShardEntry[]).map((e) => ({ shard: x.outputs!.shard, mnemonic: e.mnemonic })),
        );
      expect(held.map((e) => e.mnemonic).sort()).toEqual(recorded[contour].map((x) => x.mnemonic).sort());
      for (const e of held) expect(e.shard).toBe(shardOf(e.mnemonic));
      // Credentials by reference from here on: the refresh read every resource with the store's secrets, and recorded none.
      expect(secretsInDeployment(d)).toEqual([]);
    }
    const firewalls = (exported.test.resources ?? []).filter((x) => x.type === EDGE_FIREWALL);
    expect(firewalls).toHaveLength(recordedEdges.length);
    for (const f of firewalls) {
      expect(typeof (f.outputs!.edge as { ingress: unknown[] }).ingress[0]).toBe('string');
      expect(f.outputs).not.toHaveProperty('privateKey');
      expect(f.inputs).not.toHaveProperty('privateKey');
    }
  });

  it("preview plans only what today's inventory changes: no registration both models hold is removed or created again", async () => {
    for (const contour of CONTOURS) {
      const r = await state.run(['preview', '--contour', contour]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json!.steps.find((s) => s.op === 'upgrade')).toBeUndefined();
      const messages = r.json!.steps.flatMap((s) => s.changes.map((c) => c.message));
      for (const m of kept(contour))
        expect(messages.filter((text) => text === `register ${m}` || text === `remove registration ${m}`)).toEqual([]);
      // What the inventory dropped is planned for removal: nothing will be left behind.
      for (const r2 of recorded[contour])
        if (!kept(contour).includes(r2.mnemonic)) expect(messages).toContain(`remove registration ${r2.mnemonic}`);
    }
  });

  it('up converges: nothing live deleted, duplicated or left behind; a refreshing preview is clean; still no secret in the state', async () => {
    for (const contour of CONTOURS) {
      const r = await state.run(['up', '--contour', contour, '--yes']);
      expect(r.code, r.stderr).toBe(0);
    }
    for (const contour of CONTOURS) {
      const preview = await state.run(['preview', '--contour', contour, '--refresh', '--expect-no-changes']);
      expect(preview.code, preview.stderr).toBe(0);
      const client = await busClient(operator, contour);
      // Exactly today's registrations live: the dropped ones removed, the new ones made, none twice.
      expect(await registered(contour, client)).toEqual(
        plan.contours[contour].registrations.map((r) => r.mnemonic).sort(),
      );
      // Never deleted and made again: the messages left in their queues are still there.
      for (const m of kept(contour)) expect(await queued(contour, m), `${contour} ${m}`).toEqual([MARKER]);
      const d = await state.cli.exportStack(contour);
      const held = (d.resources ?? [])
        .filter((x) => x.type === BUS_REGISTRATIONS)
        .flatMap((x) => (x.outputs!.entries as ShardEntry[]).map((e) => e.mnemonic));
      expect(held.sort()).toEqual(plan.contours[contour].registrations.map((r) => r.mnemonic).sort());
      expect(new Set((d.resources ?? []).map((x) => x.urn)).size).toBe((d.resources ?? []).length);
      expect(secretsInDeployment(d)).toEqual([]);
      expect(
        (d.resources ?? []).every(
          (x) => !x.additionalSecretOutputs || (x.additionalSecretOutputs as string[]).length === 0,
        ),
      ).toBe(true);
    }
    for (const e of plan.edges) expect(compareTables(plannedTable(e), await withEdge(e, readTable))).toEqual([]);
    // The table itself was never dropped: the host's nft still lists only Prichal's one table, as planned.
    const tables = await withEdge(plan.edges[0]!, (conn) => conn.exec(`${NFT} list tables`));
    expect(tables.stdout).toContain('table inet prichal');
  });
});

describe('a state written before 97d848f, previewed first', () => {
  it("a preview as the first command upgrades the state too, and plans no registration's removal but the inventory's", async () => {
    const state = await backendWithFixture();
    try {
      await applyFirewalls(recordedEdges);
      const r = await state.run(['preview', '--contour', 'test']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json!.steps[0]!.op).toBe('upgrade');
      expect(r.stderr).toMatch(
        /^\^ обновление формы состояния pulumi:pulumi:Stack prichal-test\n {4}\S+: состояние: bus-test-\S+ \(ресурс на каждую регистрацию, прежняя модель\) теперь в сегменте bus-test-\d\d; в шине ничего не меняется$/m,
      );
      // Removals planned are the inventory's only (a shard whose every registration it dropped goes with them).
      const removed = r.json!.steps.flatMap((s) =>
        s.changes.map((c) => /^remove registration (\S+)$/.exec(c.message)?.[1]).filter(Boolean),
      );
      expect(removed.filter((m) => kept('test').includes(m!))).toEqual([]);
      for (const s of r.json!.steps.filter((x) => x.op === 'delete'))
        expect(s.changes.every((c) => /^remove registration /.test(c.message))).toBe(true);
      const d = await state.cli.exportStack('test');
      expect((d.resources ?? []).filter((x) => x.type === RETIRED_BUS_REGISTRATION)).toEqual([]);
    } finally {
      await state.cli.close();
    }
  });
});
