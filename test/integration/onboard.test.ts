// Onboarding a new participant end to end in the lab, through the CLI as an engineer runs it:
// test contour, probe, protocol; promotion refused until the test is recorded as passed; then
// production and the act. The lab is returned to the sample inventory afterwards.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../src/infra/docker.js';
import { labUp } from '../../src/infra/lab/lab.js';
import { contourGatewaySpecs, ensureGateways } from '../../src/infra/gateways.js';
import { LAB_LABEL } from '../../src/infra/lab/image.js';
import { prichal } from '../helpers/cli.js';
import { inventoryWith, removeInventory, SAMPLE_INVENTORY } from '../helpers/inventory.js';
import { applyFirewalls, busClient, loadSample } from './lab.js';

const FILE = 'participants/new-sp.yaml';
let dir: string;
let out: string;

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
    .replace(/    status: requested\n    requested: 2026-11-16[^\n]*\n/, '    status: approved\n    requested: 2026-11-16\n    approved: 2026-11-20\n');
  expect(newcomer).toContain('status: approved');
  dir = await inventoryWith([{ file: FILE, to: newcomer }]);
  out = await mkdtemp(path.join(tmpdir(), 'prichal-onboard-'));
  const up = await prichal(['lab', 'up', '--inventory', dir]);
  expect(up.code, up.stderr).toBe(0);
});

afterAll(async () => {
  const { plan, operator } = await loadSample();
  await labUp(plan, operator);
  await applyFirewalls(plan.edges);
  for (const c of ['test', 'prod'] as const) {
    await ensureGateways(contourGatewaySpecs(plan, c, { image: operator.gateways!.image, network: operator.gateways!.network[c] }), c, { [LAB_LABEL]: 'true' });
    await (await busClient(operator, c)).remove('TMR_NEWSP');
  }
  await removeInventory(dir);
  await rm(out, { recursive: true, force: true });
});

describe('prichal onboard', () => {
  it('applies the test contour, probes through the edge and writes the test protocol', async () => {
    const run = await prichal(['onboard', 'new-sp', '--inventory', dir, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    for (const step of ['проверка реестра', 'план', 'межсетевой экран edge-1', 'шлюз, тестовый контур', 'шина, тестовый контур', 'проба, тестовый контур', 'протокол испытаний']) expect(run.stderr).toContain(`✓ ${step}`);
    const protocol = JSON.parse(await readFile(path.join(out, 'probes', 'test-new-sp.json'), 'utf8'));
    expect(protocol.passed).toBe(true);
    const doc = await readFile(path.join(out, 'documents', 'new-sp.protocol.md'), 'utf8');
    expect(doc).toContain('Администрация Новоселовского муниципального образования');
    expect(doc).toContain('тестирование пройдено успешно');
    expect((await docker(['inspect', '--format', '{{.State.Running}}', 'prichal-gw-new-sp-test'])).trim()).toBe('true');
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
      text.replace('    status: approved\n    requested: 2026-11-16\n    approved: 2026-11-20\n', '    status: tested\n    requested: 2026-11-16\n    approved: 2026-11-20\n    tested: 2026-11-23\n  prod:\n    mnemonic: TMR_NEWSP\n    messageTypes: ["urn://x-artefacts-tmn/municipal/certificate/1.0.0#CertificateRequest"]\n    endpoints: [intake]\n    status: registered\n    switchDate: 2026-11-30\n'),
    );
    const up = await prichal(['lab', 'up', '--inventory', dir]);
    expect(up.code, up.stderr).toBe(0);
    const run = await prichal(['onboard', 'new-sp', '--promote', '--inventory', dir, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('✓ проба, промышленный контур');
    const act = await readFile(path.join(out, 'documents', 'new-sp.act.md'), 'utf8');
    expect(act).toContain('TMR\\_NEWSP');
    expect(act).toContain('30.11.2026');
    const prod = await (await busClient((await loadSample()).operator, 'prod')).read();
    expect(prod.permissions.map((p) => p.user)).toContain('TMR_NEWSP');
  });
});
