// In-memory inventories for rule unit tests: a minimal valid operator and participant, with
// overrides, parsed and validated without touching the disk.
import { stringify } from 'yaml';
import { parseSource, validateLoaded, type Finding, type LoadedInventory } from '../../src/inventory/index.js';
import { buildPlan } from '../../src/plan/index.js';
import { REQUIREMENT_RULES } from '../../src/requirements/index.js';

export const operator = () => ({
  version: 2,
  operator: { name: 'Оператор', support: { email: 'sd@op.example' } },
  contours: {
    test: {
      bus: { url: 'http://127.0.0.1:15672', vhost: 'smev-test', credentials: 'busTest' },
      gatewayPool: '10.210.0.0/16',
    },
    prod: {
      bus: { url: 'http://127.0.0.1:15672', vhost: 'smev-prod', credentials: 'busProd' },
      gatewayPool: '10.220.0.0/16',
    },
  },
  linkPool: '10.250.0.0/16',
  edges: [
    {
      id: 'edge-1',
      kind: 'vipnet-coordinator',
      ssh: { host: '127.0.0.1', port: 2201, user: 'netops', hostKey: `SHA256:${'A'.repeat(43)}`, credentials: 'edge1' },
      transit: '10.200.0.2',
    },
  ],
  cryptoProducts: [
    { id: 'vipnet-hw', name: 'ViPNet Coordinator HW 4', certificate: 'СФ/124-1', validUntil: '2030-01-01' },
  ],
  policy: { allowedPorts: [443, 8443], certificateWarningDays: 30, minCryptoPro: '4.0.9963' },
});

let seq = 0;
/** A valid executive body on ViPNet with one endpoint, registered in test (tested) and prod. */
export function participant(id: string, overrides: Record<string, unknown> = {}) {
  const n = ++seq;
  const net = `10.${40 + Math.floor(n / 250)}.${n % 250}`;
  return {
    id,
    name: `Организация ${id}`,
    kind: 'executive-body',
    head: 'Иванов Иван Иванович',
    clerk: { name: 'Петрова П. П.', phone: '+7 3452 00-00-00', email: 'clerk@org.example' },
    technical: { name: 'Сидоров С. С.' },
    sed: {
      mode: 'operator',
      journals: [{ name: 'Входящие', numberFormat: 'ВХ-{n:5}' }],
      requestSent: '2026-01-02',
      credentialsIssued: '2026-01-05',
    },
    workstations: { cryptoPro: '5.0.13000' },
    signers: [
      {
        name: 'Иванов Иван Иванович',
        role: 'head',
        certificate: {
          serial: '01',
          thumbprint: 'a'.repeat(40),
          issuer: 'ФК',
          notBefore: '2026-01-01',
          notAfter: '2027-12-31',
        },
      },
    ],
    channel: {
      type: 'vipnet',
      edge: 'edge-1',
      vipnet: { network: 6670, node: `0x1A0E${n.toString(16).padStart(4, '0').toUpperCase()}`, product: 'vipnet-hw' },
    },
    networks: [`${net}.0/24`],
    endpoints: [
      { id: 'intake', purpose: 'portal-intake', address: `${net}.10`, port: 443, protocol: 'https', path: '/ws' },
    ],
    registrations: {
      test: {
        mnemonic: id.toUpperCase().replace(/-/g, '_'),
        endpoints: ['intake'],
        status: 'tested',
        tested: '2026-01-10',
      },
      prod: { mnemonic: id.toUpperCase().replace(/-/g, '_'), endpoints: ['intake'], status: 'registered' },
    },
    ...overrides,
  };
}

/** A participant object, or one stored under another file name. */
export type Entry = object | { file: string; data: object };

export interface BuiltInventory {
  operator?: object;
  participants: Entry[];
  allocations?: object;
}

export function check(input: BuiltInventory, at = '2026-11-23'): Finding[] {
  const findings: Finding[] = [];
  const load = (file: string, data: object) => {
    const parsed = parseSource(file, stringify(data));
    findings.push(...parsed.findings);
    return parsed.loaded;
  };
  const loaded: LoadedInventory = {
    root: '/in-memory',
    operator: load('operator.yaml', input.operator ?? operator()),
    participants: input.participants.map((p) =>
      'file' in p && 'data' in p ? load(p.file, p.data) : load(`participants/${(p as { id: string }).id}.yaml`, p),
    ),
    allocations: input.allocations ? load('allocations.yaml', input.allocations) : undefined,
    listed: [],
  };
  // What checkInventory runs: the structural rules and the requirement rules of the catalogue.
  const result = validateLoaded(loaded, findings, { at, rules: REQUIREMENT_RULES });
  return [...result.findings, ...buildPlan(result.inventory, loaded.allocations).findings];
}

export const codes = (findings: Finding[]) => findings.filter((f) => f.severity === 'error').map((f) => f.code);
