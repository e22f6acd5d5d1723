// One broken inventory per validation code, through the real CLI: exit 1, the code, the file
// and the line of the offending node (the line is found from the edit's marker, not typed in).
import { afterAll, describe, expect, it } from 'vitest';
import { prichal } from './helpers/cli.js';
import { inventoryWith, lineOf, removeInventory, type Edit } from './helpers/inventory.js';

interface Case {
  code: string;
  edits: Edit[];
  file: string;
  /** Text on the line the finding must point at (after the edit). */
  marker: string;
  path?: string;
}

const P = (id: string) => `participants/${id}.yaml`;

const CASES: Case[] = [
  {
    code: 'yaml-syntax',
    edits: [{ file: P('dep-obr'), from: 'head: Райдер', to: 'head: [Райдер' }],
    file: P('dep-obr'),
    marker: 'clerk:',
  },
  {
    code: 'duplicate-key',
    edits: [
      {
        file: P('dep-obr'),
        from: 'head: Райдер Андрей Васильевич\n',
        to: 'head: Райдер Андрей Васильевич\nhead: Второй руководитель\n',
      },
    ],
    file: P('dep-obr'),
    marker: 'head: Второй',
  },
  {
    code: 'schema',
    edits: [{ file: P('dep-obr'), from: 'networks: [10.31.1.0/24]', to: 'networks: [10.31.1.1/24]' }],
    file: P('dep-obr'),
    marker: 'networks:',
    path: 'networks[0]',
  },
  {
    code: 'schema',
    edits: [{ file: P('dep-obr'), from: 'kind: executive-body', to: 'kind: executive-body\ncolour: blue' }],
    file: P('dep-obr'),
    marker: 'colour:',
    path: 'colour',
  },
  {
    code: 'id-mismatch',
    edits: [{ file: P('dep-obr'), from: 'id: dep-obr', to: 'id: dep-obr-2' }],
    file: P('dep-obr'),
    marker: 'id: dep-obr-2',
    path: 'id',
  },
  {
    code: 'duplicate-id',
    edits: [{ file: 'participants/archive/dep-obr.yaml', copyOf: P('dep-obr'), to: '' }],
    // Files are read in sorted order: archive/ comes first, so the original is the repeat.
    file: P('dep-obr'),
    marker: 'id: dep-obr',
  },
  {
    code: 'unknown-reference',
    edits: [{ file: P('tmn-sosh-12'), from: 'coordinatedBy: tmn-city-admin', to: 'coordinatedBy: nobody-here' }],
    file: P('tmn-sosh-12'),
    marker: 'coordinatedBy:',
    path: 'coordinatedBy',
  },
  {
    code: 'unknown-reference',
    edits: [{ file: P('dep-obr'), from: 'edge: edge-1', to: 'edge: edge-9' }],
    file: P('dep-obr'),
    marker: 'edge: edge-9',
    path: 'channel.edge',
  },
  {
    code: 'unknown-reference',
    edits: [{ file: P('dep-obr'), from: 'product: vipnet-coordinator-hw-4', to: 'product: vipnet-unknown' }],
    file: P('dep-obr'),
    marker: 'vipnet-unknown',
    path: 'channel.vipnet.product',
  },
  {
    code: 'unknown-reference',
    edits: [{ file: P('dep-zdrav'), from: 'endpoints: [referral]', to: 'endpoints: [referral, ghost]' }],
    file: P('dep-zdrav'),
    marker: 'ghost',
    path: 'registrations.test.endpoints[1]',
  },
  {
    code: 'subnet-overlap',
    edits: [{ file: P('kaskara-sp'), from: 'networks: [10.35.10.0/26]', to: 'networks: [10.35.0.0/26]' }],
    file: P('kaskara-sp'),
    marker: 'networks:',
    path: 'networks[0]',
  },
  {
    code: 'subnet-overlap',
    edits: [{ file: P('dep-obr'), from: 'networks: [10.31.1.0/24]', to: 'networks: [10.31.1.0/24, 10.210.7.0/24]' }],
    file: P('dep-obr'),
    marker: 'networks:',
    path: 'networks[1]',
  },
  {
    code: 'endpoint-outside-networks',
    edits: [{ file: P('dep-obr'), from: 'address: 10.31.1.10', to: 'address: 10.31.9.10' }],
    file: P('dep-obr'),
    marker: '10.31.9.10',
    path: 'endpoints[0].address',
  },
  {
    code: 'vipnet-node-mismatch',
    edits: [{ file: P('dep-obr'), from: 'node: "0x1A0E0010"', to: 'node: "0x1B0E0010"' }],
    file: P('dep-obr'),
    marker: '0x1B0E0010',
    path: 'channel.vipnet.node',
  },
  {
    code: 'duplicate-vipnet-node',
    edits: [{ file: P('dep-zdrav'), from: 'node: "0x1A0E0011"', to: 'node: "0x1a0e0010"' }],
    file: P('dep-zdrav'),
    marker: '0x1a0e0010',
    path: 'channel.vipnet.node',
  },
  {
    code: 'duplicate-mnemonic',
    edits: [{ file: P('dep-zdrav'), from: 'mnemonic: TMN_ZDRAV', to: 'mnemonic: TMN_DEPOBR' }],
    file: P('dep-zdrav'),
    marker: 'TMN_DEPOBR',
    path: 'registrations.test.mnemonic',
  },
  {
    code: 'port-not-allowed',
    edits: [{ file: P('dep-zdrav'), from: 'port: 443', to: 'port: 8080' }],
    file: P('dep-zdrav'),
    marker: 'port: 8080',
    path: 'endpoints[0].port',
  },
  {
    code: 'contour-order',
    edits: [{ file: P('dep-zdrav'), from: 'status: tested', to: 'status: registered' }],
    file: P('dep-zdrav'),
    marker: '  prod:',
    path: 'registrations.prod',
  },
  {
    code: 'coordinator-required',
    edits: [{ file: P('tmn-sosh-12'), from: 'coordinatedBy: tmn-city-admin\n', to: '' }],
    file: P('tmn-sosh-12'),
    marker: 'kind:',
    path: 'kind',
  },
  {
    code: 'agreement-missing',
    edits: [
      {
        file: P('tmn-sosh-12'),
        from: 'agreements: { joining: 2024-03-01, personalData: 2024-03-01 }',
        to: 'agreements: { joining: 2024-03-01 }',
      },
    ],
    file: P('tmn-sosh-12'),
    marker: 'agreements:',
    path: 'agreements',
  },
  {
    code: 'leased-line-incomplete',
    edits: [{ file: P('tmn-city-admin'), from: 'circuit: TMN-L2-004512, ', to: '' }],
    file: P('tmn-city-admin'),
    marker: 'leasedLine:',
    path: 'channel.leasedLine',
  },
  {
    code: 'leased-line-circuit',
    edits: [
      { file: 'operator.yaml', from: 'circuits: { mode: interface }', to: 'circuits: { mode: vlan, uplink: eth1 }' },
      { file: P('tmn-city-admin'), from: 'vlan: 120, ', to: '' },
    ],
    file: P('tmn-city-admin'),
    marker: 'leasedLine:',
    path: 'channel.leasedLine',
  },
  {
    code: 'schema-version',
    edits: [{ file: 'operator.yaml', from: 'version: 2\n', to: '' }],
    file: 'operator.yaml',
    marker: 'gateways:',
    path: 'gateways',
  },
  {
    code: 'pool-exhausted',
    // docker-2's slice of the test pool shrunk to one gateway address for its three participants.
    edits: [{ file: 'operator.yaml', from: 'slices: { test: 10.210.128.0/17', to: 'slices: { test: 10.210.128.0/30' }],
    file: P('tmn-sosh-12'),
    marker: '  test:',
    path: 'registrations.test',
  },
];

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeInventory)));

describe('prichal validate on broken inventories', () => {
  it('passes the sample inventory with exit 0 and no errors', async () => {
    const { code, stdout } = await prichal(['validate', '--format', 'json', '--at', '2026-11-23']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ ok: true, errors: [] });
  });

  it.each(CASES)('$code at $file ($marker)', async ({ code, edits, file, marker, path }) => {
    const dir = await inventoryWith(edits);
    dirs.push(dir);
    const run = await prichal(['validate', '--inventory', dir, '--format', 'json', '--at', '2026-11-23']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as {
      ok: boolean;
      errors: Array<{
        code: string;
        file: string;
        line: number;
        column: number;
        path: string;
        message: string;
        ru: string;
      }>;
    };
    expect(result.ok).toBe(false);
    const line = await lineOf(dir, file, marker);
    const match = result.errors.find((e) => e.code === code && e.file === file && e.line === line);
    expect(match, `expected ${code} at ${file}:${line}, got ${JSON.stringify(result.errors, null, 1)}`).toBeDefined();
    expect(match!.column).toBeGreaterThanOrEqual(1);
    expect(match!.message.length).toBeGreaterThan(10);
    // Worded in Russian too (what the CLI prints by default), not the English copied over.
    expect(match!.ru).toMatch(/[а-яё]{4}/i);
    expect(match!.ru).not.toBe(match!.message);
    if (path) expect(match!.path).toBe(path);
  });
});
