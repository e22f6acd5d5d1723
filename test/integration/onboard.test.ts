// Onboarding a new participant end to end in the lab, through the CLI as an engineer runs it:
// test contour, probe, protocol; promotion refused until the test is recorded as passed; then
// production and the act. The firewall and the bus go through the engine (`up --participant`,
// on a backend of the test's own): its progress lines and summary are in onboard's output, the
// participant is in the stacks' state afterwards, and a stack held by another run's lock stops
// onboard before anything changes. The lab is returned to the sample inventory afterwards.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInventory } from '../../src/requirements/index.js';
import { labUp } from '../../lab/lab.js';
import { readSecret, PASSPHRASE_SECRET } from '../../src/infra/secrets.js';
import { prichal as prichalIn, prichalLab } from '../helpers/cli.js';
import { engineCli } from './engine-state.js';
import { inventoryWith, removeInventory, SAMPLE_INVENTORY } from '../helpers/inventory.js';
import { applyChannels, applyFirewalls, busClient, loadSample, onGatewayHost, startGateways } from './lab.js';

const FILE = 'participants/new-sp.yaml';
let dir: string;
let out: string;
let state: string;
/** Onboard's engine runs keep their state here, not in the checkout's default backend. */
const prichal = (args: string[]) => prichalIn(args, { env: { PRICHAL_PULUMI_BACKEND: `file://${state}` } });

/** The mnemonics the stack's state holds in its shards. */
async function inState(contour: 'test' | 'prod'): Promise<string[]> {
  const cli = await engineCli(`file://${state}`, await readSecret(PASSPHRASE_SECRET));
  try {
    const resources = (await cli.exportStack(contour)).resources ?? [];
    return resources
      .filter((r) => r.type === 'prichal:index:BusRegistrations')
      .flatMap((r) => (r.outputs!.entries as Array<{ mnemonic: string }>).map((e) => e.mnemonic));
  } finally {
    await cli.close();
  }
}

beforeAll(async () => {
  const base = await readFile(path.join(SAMPLE_INVENTORY, 'participants/onokhino-sp.yaml'), 'utf8');
  const newcomer = base
    .replaceAll('onokhino-sp', 'new-sp')
    .replace('Онохинского', 'Новоселовского')
    .replace('TMR_ONOKHINO', 'TMR_NEWSP')
    .replace('0x1A0E0022', '0x1A0E0023')
    .replace('10.35.11.0/26', '10.35.12.0/26')
    .replace('10.35.11.10', '10.35.12.10')
    // Approved by the portal's owner (Регламент ПУ ТО, п. 3.1.5): only then is it provisioned.
    .replace(
      /    status: requested\n    requested: 2026-11-16[^\n]*\n/,
      '    status: approved\n    requested: 2026-11-16\n    approved: 2026-11-20\n',
    );
  expect(newcomer).toContain('status: approved');
  dir = await inventoryWith([{ file: FILE, to: newcomer }]);
  out = await mkdtemp(path.join(tmpdir(), 'prichal-onboard-'));
  state = path.join(out, 'state');
  const up = await prichalLab(['up', '--inventory', dir]);
  expect(up.code, up.stderr).toBe(0);
  // The other participants' gateways run (the probe tries another participant's gateway calling the newcomer from inside it).
  const sample = await loadSample();
  for (const c of ['test', 'prod'] as const) await startGateways(sample.plan, sample.operator, c);
});

afterAll(async () => {
  // The newcomer's gateways, which its own stack made on the host the plan placed it on.
  const newcomer = (await checkInventory(dir)).plan;
  if (newcomer)
    await onGatewayHost(newcomer, 'new-sp', async (host) => {
      for (const c of ['test', 'prod'] as const) await host.removeContainer(`prichal-gw-new-sp-${c}`);
    });
  const { plan, operator } = await loadSample();
  await labUp(plan, operator);
  await applyFirewalls(plan.edges);
  await applyChannels(plan);
  for (const c of ['test', 'prod'] as const) {
    await startGateways(plan, operator, c);
    await (await busClient(operator, c)).remove('TMR_NEWSP');
  }
  await removeInventory(dir);
  await rm(out, { recursive: true, force: true });
});

describe('prichal onboard', () => {
  it("stops before anything changes while another run holds the test stack's lock, saying who holds it and how to resume", async () => {
    // The lock another engineer's run holds (as the file backend stores it), on a stack that exists.
    await mkdir(path.join(state, '.pulumi', 'locks', 'organization', 'prichal', 'test'), { recursive: true });
    const lock = path.join(state, '.pulumi', 'locks', 'organization', 'prichal', 'test', 'colleague.json');
    await writeFile(
      lock,
      JSON.stringify({
        pid: 4242,
        username: 'engineer',
        hostname: 'colleague-host',
        timestamp: '2026-11-23T02:30:00Z',
      }),
    );
    try {
      const run = await prichal(['onboard', 'new-sp', '--inventory', dir, '--out', out]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(
        '✗ межсетевой экран edge-1, шина и шлюз, тестовый контур: prichal up --contour test --participant new-sp: не выполнено: стек test заблокирован: engineer@colleague-host (pid 4242) с 2026-11-23T02:30:00Z',
      );
      expect(run.stderr).toContain(`продолжите командой: prichal onboard new-sp --inventory ${dir}`);
      const bus = await (await busClient((await loadSample()).operator, 'test')).read();
      expect(bus.permissions.map((p) => p.user)).not.toContain('TMR_NEWSP');
    } finally {
      await rm(lock);
    }
  });

  it('applies the test contour through the engine, probes through the edge and writes the test protocol', async () => {
    const run = await prichal(['onboard', 'new-sp', '--inventory', dir, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    for (const step of [
      'проверка реестра',
      'план',
      'межсетевой экран edge-1, шина и шлюз, тестовый контур: prichal up --contour test --participant new-sp: стек test: ',
      'проба, тестовый контур',
      'протокол испытаний',
    ])
      expect(run.stderr).toContain(`✓ ${step}`);
    // The engine's own progress: the participant's shard (and its edge's table) under the stack's lock, recorded in the state.
    expect(run.stderr).toMatch(/^[+~] (создание|изменение) prichal:index:BusRegistrations bus-test-\d\d/m);
    expect(run.stderr).toMatch(/^ {4}new-sp: зарегистрировать TMR_NEWSP$/m);
    // Its gateway too, on the host the plan places it on, and the probe went through it.
    expect(run.stderr).toMatch(/^[+~] (создание|изменение) prichal:index:GatewayShard gateways-test-docker-\d-\d\d/m);
    expect(await inState('test')).toContain('TMR_NEWSP');
    const protocol = JSON.parse(await readFile(path.join(out, 'probes', 'test-new-sp.json'), 'utf8'));
    expect(protocol.passed).toBe(true);
    const doc = await readFile(path.join(out, 'documents', 'new-sp.protocol.md'), 'utf8');
    expect(doc).toContain('Администрация Новоселовского муниципального образования');
    expect(doc).toContain('тестирование пройдено успешно');
    const plan = (await checkInventory(dir)).plan!;
    const live = await onGatewayHost(plan, 'new-sp', (host) => host.inspectContainer('prichal-gw-new-sp-test'));
    expect(live?.State.Running).toBe(true);
    expect(protocol.allowed.every((a: { via: string }) => a.via.startsWith(`https://${protocol.gateway}:443/`))).toBe(
      true,
    );
  });

  it('refuses promotion until the test registration is recorded as tested, saying how to resume', async () => {
    const run = await prichal(['onboard', 'new-sp', '--promote', '--inventory', dir, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('перевод отклонён');
    expect(run.stderr).toContain('продолжите командой: prichal onboard new-sp --promote');
    expect(existsSync(path.join(out, 'documents', 'new-sp.act.md'))).toBe(false);
  });

  it('promotes to production once tested, and writes the connection act', async () => {
    const text = await readFile(path.join(dir, FILE), 'utf8');
    await writeFile(
      path.join(dir, FILE),
      text.replace(
        '    status: approved\n    requested: 2026-11-16\n    approved: 2026-11-20\n',
        '    status: tested\n    requested: 2026-11-16\n    approved: 2026-11-20\n    tested: 2026-11-23\n  prod:\n    mnemonic: TMR_NEWSP\n    messageTypes: ["urn://x-artefacts-tmn/municipal/certificate/1.0.0#CertificateRequest"]\n    endpoints: [intake]\n    status: registered\n    switchDate: 2026-11-30\n',
      ),
    );
    const up = await prichalLab(['up', '--inventory', dir]);
    expect(up.code, up.stderr).toBe(0);
    const run = await prichal(['onboard', 'new-sp', '--promote', '--inventory', dir, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      '✓ межсетевой экран edge-1: prichal up --contour test --participant new-sp: стек test: ',
    );
    expect(run.stderr).toContain(
      '✓ шина и шлюз, промышленный контур: prichal up --contour prod --participant new-sp: стек prod: ',
    );
    expect(run.stderr).toContain('✓ проба, промышленный контур');
    expect(await inState('prod')).toEqual(['TMR_NEWSP']);
    const act = await readFile(path.join(out, 'documents', 'new-sp.act.md'), 'utf8');
    expect(act).toContain('TMR\\_NEWSP');
    expect(act).toContain('30.11.2026');
    const prod = await (await busClient((await loadSample()).operator, 'prod')).read();
    expect(prod.permissions.map((p) => p.user)).toContain('TMR_NEWSP');
  });
});
