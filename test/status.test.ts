// prichal status: each participant's СЭД stage, portal/bus stage per contour, channel, last
// probe and open findings, from files only; a table in the operator's language, JSON on request.
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/project.js';
import { status } from '../src/workflows/status.js';
import { prichal } from './helpers/cli.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

let probes: string;
beforeAll(async () => {
  probes = await mkdtemp(path.join(tmpdir(), 'prichal-probes-'));
  await copyFile(
    path.join(PROJECT_ROOT, 'test', 'fixtures', 'probe-test-tmn-sosh-12.json'),
    path.join(probes, 'test-tmn-sosh-12.json'),
  );
});
afterAll(() => rm(probes, { recursive: true, force: true }));

describe('prichal status', () => {
  it('says where each participant stands on both lifecycles', async () => {
    const r = await status({
      inventory: SAMPLE_INVENTORY,
      probes,
      report: path.join(probes, 'none.json'),
      at: '2026-11-23',
    });
    const byId = Object.fromEntries(r.participants.map((p) => [p.id, p]));
    expect(r.participants).toHaveLength(15);
    expect(r.liveReport).toBeNull();
    // A hosted-only school: connected to the СЭД, no channel, nothing on the portal.
    expect(byId['ishim-sosh-2']).toMatchObject({
      channel: null,
      portal: { test: null, prod: null },
      sed: { connected: true },
    });
    // One participant per portal stage in the sample.
    expect(byId['onokhino-sp']!.portal.test).toEqual({ status: 'requested', date: '2026-11-16' });
    expect(byId['obl-hospital-3']!.portal.test!.status).toBe('approved');
    expect(byId['tmn-sosh-12']!.portal.prod!.status).toBe('production');
    expect(byId['tmn-sosh-12']!.probes.test).toMatchObject({ passed: true });
    expect(byId['tmn-sosh-12']!.findings).toEqual({ errors: 0, warnings: 1, requirements: ['WS-1'] });
    expect(byId['tmn-gorduma']!.sed).toMatchObject({ stage: 'requestSent', connected: false });
  });

  it('prints a Russian table by default, English with --lang en, one screen with --participant, JSON with --format json', async () => {
    const table = await prichal(['status', '--inventory', SAMPLE_INVENTORY, '--probes', probes, '--at', '2026-11-23']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^Участник\s+СЭД\s+тест\s+пром\s+канал\s+проба\s+нарушения$/m);
    expect(table.stdout).toMatch(
      /^tmn-sosh-12\s+подключён \(учётные данные\) 20\.03\.2024\s+испытан 20\.03\.2024\s+в эксплуатации 01\.04\.2024\s+ViPNet/m,
    );
    const one = await prichal([
      'status',
      '--inventory',
      SAMPLE_INVENTORY,
      '--probes',
      probes,
      '--participant',
      'onokhino-sp',
      '--lang',
      'en',
      '--at',
      '2026-11-23',
    ]);
    expect(one.stdout).toMatch(/^Portal\/bus, test\s+requested 2026-11-16$/m);
    const json = await prichal([
      'status',
      '--inventory',
      SAMPLE_INVENTORY,
      '--format',
      'json',
      '--participant',
      'dep-obr',
    ]);
    expect(JSON.parse(json.stdout).participants[0].channel).toBe('vipnet');
    await writeFile(path.join(probes, 'broken-report.json'), '{ "findings": [');
    const broken = await prichal([
      'status',
      '--inventory',
      SAMPLE_INVENTORY,
      '--probes',
      probes,
      '--report',
      path.join(probes, 'broken-report.json'),
    ]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken-report.json: не читается как JSON');
    const unknown = await prichal(['status', '--inventory', SAMPLE_INVENTORY, '--participant', 'nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("нет участника 'nobody'");
  });
});
