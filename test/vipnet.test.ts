// The hub's ViPNet coordinator against the plan: the configurations here are written by hand in
// the file's own layout (and the fixtures from the format's documentation), never by Prichal's
// renderer, so each check is held against what an administrator's file looks like.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { coordinatorReadCommand, edgeVipnet } from '../src/collect/edge-vipnet.js';
import { coordinatorMarkdown } from '../src/docs/index.js';
import { commandsOn } from '../src/collect/source.js';
import type { Plan, PlannedCoordinator } from '../src/plan/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import { decodeIplirConf, parseIplirConf, tunnelSections, vipnetDifferences } from '../src/render/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { prichal } from './helpers/cli.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

let plan: Plan;
let hub: PlannedCoordinator;
beforeAll(async () => {
  plan = (await checkInventory(SAMPLE_INVENTORY, '2026-11-23')).plan!;
  hub = plan.coordinators.find((c) => c.edge === 'edge-1')!;
});

/** The sample's coordinator as approved: its own section, both pseudo-nodes, one [id] per approved participant. */
function asApproved(): string {
  const lines = [
    '# hand-written, as the ViPNet administrator would have it',
    '[id]',
    'id= 0x1a0e0001',
    'name= Coordinator',
    'filterdefault= drop',
    'tunnel= 10.210.0.1-10.210.255.254 to 10.210.0.1-10.210.255.254',
    'version= 4.5.3-57',
    '',
    '[id]',
    'id= 0xffffffff',
    'name= Encrypted broadcasts',
    'filterdefault= drop',
    '',
    '[id]',
    'id= 0xfffffffe',
    'name= Main Filter',
    'filterdefault= drop',
  ];
  const ranges: Record<string, string> = {
    'dep-obr': '10.31.1.1-10.31.1.254',
    'dep-zdrav': '10.31.2.0-10.31.2.255',
    'ishim-district-admin': '10.36.0.1-10.36.0.254',
    'kaskara-sp': '10.35.10.1-10.35.10.62',
    'tmn-district-admin': '10.35.0.1-10.35.0.254',
    'tmn-sosh-12': '10.33.12.1-10.33.12.254',
  };
  for (const t of hub.tunnels.filter((x) => x.approved))
    lines.push(
      '',
      '[id]',
      `id= ${t.node.toUpperCase().replace('0X', '0x')}`,
      `name= ${t.name}`,
      `tunnel= ${ranges[t.participant]} to ${ranges[t.participant]}`,
      'filterdefault= drop',
      'version= 4.5.3-57',
    );
  return `${lines.join('\r\n')}\r\n`;
}

const brief = (text: string) =>
  vipnetDifferences(hub, parseIplirConf(text)).map(
    (d) => `${d.requirement} ${d.severity} ${d.participant ?? '-'} ${d.kind}`,
  );

describe('the plan of the hub coordinator', () => {
  it("lists every ViPNet participant of the edge, approved when provisioned: the sample's requested one is not", () => {
    expect(hub).toMatchObject({ config: '/etc/iplir/iplir.conf', node: '0x1a0e0001', minVersion: '4.3' });
    expect(hub.tunnels.map((t) => `${t.participant} ${t.node} ${t.approved}`)).toEqual([
      'dep-obr 0x1a0e0010 true',
      'dep-zdrav 0x1a0e0011 true',
      'ishim-district-admin 0x1a0e0030 true',
      'kaskara-sp 0x1a0e0021 true',
      'onokhino-sp 0x1a0e0022 false',
      'tmn-district-admin 0x1a0e0020 true',
      'tmn-sosh-12 0x1a0e000a true',
    ]);
    expect(plan.coordinators.map((c) => c.edge)).toEqual(['edge-1']);
  });
});

describe('the coordinator against the plan', () => {
  it('finds nothing in a file as approved (a network and broadcast address may be left out of a range)', () => {
    expect(brief(asApproved())).toEqual([]);
  });

  it('finds a widened range (error), a narrowed one (warning), each for its participant, with the lines as evidence', () => {
    const text = asApproved()
      .replace('tunnel= 10.31.1.1-10.31.1.254 to', 'tunnel= 10.31.0.1-10.31.1.254 to')
      .replace('tunnel= 10.36.0.1-10.36.0.254 to', 'tunnel= 10.36.0.1-10.36.0.100 to');
    expect(brief(text)).toEqual([
      'CH-7 error dep-obr tunnel-wider',
      'CH-7 warning ishim-district-admin tunnel-narrower',
    ]);
    const wider = vipnetDifferences(hub, parseIplirConf(text))[0]!;
    expect(wider.message).toBe('node 0x1a0e0010 tunnels 10.31.0.1-10.31.0.255 beyond the declared 10.31.1.0/24');
    expect(wider.ru).toBe('узел 0x1a0e0010 туннелирует 10.31.0.1-10.31.0.255 сверх заявленных сетей 10.31.1.0/24');
    expect(wider.evidence).toMatch(/^\d+: \[id\] id= 0x1A0E0010; \d+: tunnel= 10\.31\.0\.1-10\.31\.1\.254 to /);
  });

  it('finds a foreign node, a tunnel for a participant not approved, and a missing node', () => {
    const text = `${asApproved().replace(/\[id\]\r\nid= 0x1A0E0030[\s\S]*?version= 4\.5\.3-57\r\n/, '')}[id]\r\nid= 0x1a0e0099\r\nname= Чужой узел\r\ntunnel= 10.99.0.1-10.99.0.254 to 10.99.0.1-10.99.0.254\r\n\r\n[id]\r\nid= 0x1a0e0022\r\nname= Онохино\r\ntunnel= 10.35.11.1-10.35.11.62 to 10.35.11.1-10.35.11.62\r\nfilterdefault= drop\r\n`;
    expect(brief(text)).toEqual([
      'CH-6 error ishim-district-admin node-missing',
      'CH-8 error - tunnel-foreign',
      'CH-8 error onokhino-sp tunnel-unapproved',
    ]);
    // A node without a tunnel (the operator's administrator, say) is no finding.
    expect(
      brief(`${asApproved()}[id]\r\nid= 0x1a0e0098\r\nname= АРМ администратора\r\nfilterdefault= drop\r\n`),
    ).toEqual([]);
  });

  it('finds a permissive filter default (main filter, a participant) and a version under the policy', () => {
    const text = asApproved()
      .replace('name= Main Filter\r\nfilterdefault= drop', 'name= Main Filter\r\nfilterdefault= pass')
      .replace(
        /(id= 0x1A0E0021[\s\S]*?)filterdefault= drop\r\nversion= 4\.5\.3-57/,
        '$1filterdefault= pass\r\nversion= 4.2.3-3',
      );
    expect(brief(text)).toEqual([
      'CH-9 error - filter-permissive',
      'CH-9 error kaskara-sp filter-permissive',
      'CH-9 warning kaskara-sp version-low',
    ]);
  });

  it("judges the documentation's layout (KOI8-R, CRLF): each participant as its section says", async () => {
    const bytes = await readFile(path.join(PROJECT_ROOT, 'test/fixtures/vipnet/hub-koi8r-crlf.conf'));
    const conf = parseIplirConf(decodeIplirConf(bytes));
    expect(
      vipnetDifferences(hub, conf).map((d) => `${d.requirement} ${d.severity} ${d.participant ?? d.kind}`),
    ).toEqual([
      'CH-7 warning dep-obr',
      'CH-7 warning dep-zdrav',
      'CH-6 error ishim-district-admin',
      'CH-6 error tmn-sosh-12',
      // The coordinator's own section and the main filter let everything through by default.
      'CH-9 error filter-permissive',
      'CH-9 error filter-permissive',
      'CH-9 error dep-obr',
      // 3.2-672 and 4.2.3-3 are under the sample's policy (4.3); dep-zdrav's 4.3.2-6015 meets it.
      'CH-9 warning tmn-district-admin',
      'CH-9 error kaskara-sp',
      'CH-9 warning kaskara-sp',
    ]);
  });
});

describe('what the ViPNet administrator is given', () => {
  it('renders one [id] section per approved participant, its ranges exactly its networks; the parser reads them back clean', () => {
    const text = tunnelSections(hub);
    expect(text).not.toContain('0x1a0e0022');
    expect(text).toContain('[id]\nid= 0x1a0e0010\nname=');
    expect(text).toContain('tunnel= 10.31.1.0-10.31.1.255 to 10.31.1.0-10.31.1.255');
    const own = `[id]\nid= 0x1a0e0001\nfilterdefault= drop\n[id]\nid= 0xfffffffe\nfilterdefault= drop\n${text}`;
    expect(vipnetDifferences(hub, parseIplirConf(own))).toEqual([]);
  });
});

describe('the document for the ViPNet administrator', () => {
  it('lists exactly the approved participants, with their network, node and ranges; the others as not approved', () => {
    const text = coordinatorMarkdown(hub, 'ЦИТТО');
    const rows = text.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows.map((r) => r.split(' | ')[3])).toEqual(hub.tunnels.filter((t) => t.approved).map((t) => t.node));
    expect(rows[0]).toBe(
      '| 1 | Департамент образования и науки Тюменской области | 6670 | 0x1a0e0010 | 10.31.1.0–10.31.1.255 |',
    );
    expect(text).toContain('Не согласованы, туннели для них не настраиваются: ');
    expect(text).toContain('(узел 0x1a0e0022)');
    expect(text).toContain('форма в тексте регламента не приведена');
  });
});

describe('prichal coordinator', () => {
  it('writes the document, its HTML and the [id] sections; refuses an edge that is no coordinator, writing nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'prichal-coordinator-'));
    try {
      const run = await prichal(['coordinator', '--out', dir]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('Туннели координатора ViPNet хаба (edge-1)');
      const sections = await readFile(path.join(dir, 'coordinator-edge-1.iplir-sections.conf'), 'utf8');
      expect(sections).toBe(tunnelSections(hub));
      expect(await readFile(path.join(dir, 'coordinator-edge-1.html'), 'utf8')).toContain('<table');
      const other = path.join(dir, 'other');
      const refused = await prichal(['coordinator', '--edge', 'edge-2', '--out', other]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("нет координатора ViPNet 'edge-2'");
      await expect(readFile(path.join(other, 'coordinator-edge-2.md'))).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the coordinator's read command, run by a shell", () => {
  it('prints a regular file base64-encoded, byte for byte; refuses a FIFO at once, never waiting on it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'prichal-iplir-'));
    try {
      const fixture = path.join(PROJECT_ROOT, 'test/fixtures/vipnet/hub-koi8r-crlf.conf');
      const out = await execa('sh', ['-c', coordinatorReadCommand(fixture)]);
      expect(Buffer.from(out.stdout, 'base64')).toEqual(await readFile(fixture));
      const fifo = path.join(dir, 'iplir.conf');
      await execa('mkfifo', [fifo]);
      const refused = await execa('sh', ['-c', coordinatorReadCommand(fifo)], { reject: false, timeout: 5_000 });
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain('not a regular file');
      const missing = await execa('sh', ['-c', coordinatorReadCommand(path.join(dir, 'none'))], { reject: false });
      expect(missing.exitCode).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the edge-vipnet source', () => {
  it('reads only a regular file, base64-encoded, and only on a coordinator edge that names one', () => {
    expect(coordinatorReadCommand("/etc/it's")).toContain(`f='/etc/it'\\''s'`);
    const context = { plan, operator: undefined as never, gateways: undefined };
    const on = (id: string) => commandsOn(edgeVipnet.edge.commands, plan.edges.find((e) => e.id === id)!, context);
    expect(on('edge-1')).toEqual([coordinatorReadCommand('/etc/iplir/iplir.conf')]);
    expect(on('edge-2')).toEqual([]);
  });
});
