// A synthetic inventory of N participants for benchmarks: each with 2 networks, 3 endpoints,
// 2 signers and registrations in both contours, all valid, plus its allocations.
import { mkdir, writeFile, cp } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { formatAddress } from '../src/inventory/addresses.js';
import { PROJECT_ROOT } from '../src/project.js';

const BASE = (10 << 24) >>> 0; // 10.0.0.0: /26 networks from here stay below 10.200.0.0 up to 130,000 networks

export function syntheticParticipant(i: number) {
  const id = `org-${String(i).padStart(5, '0')}`;
  const net = (k: number) => BASE + (2 * i + k) * 64;
  const mnemonic = `ORG_${String(i).padStart(5, '0')}`;
  const registration = (status: string) => ({
    mnemonic,
    messageTypes: [`urn://x-artefacts-tmn/synthetic/${i}/1.0.0#Request`],
    endpoints: ['intake', 'status', 'connector'],
    status,
    ...(status === 'tested' ? { tested: '2026-01-15' } : {}),
  });
  const signer = (name: string, role: string, n: number) => ({
    name,
    role,
    certificate: {
      serial: (i * 2 + n).toString(16).toUpperCase(),
      thumbprint: (i * 2 + n).toString(16).padStart(40, '0'),
      issuer: 'Федеральное казначейство',
      notBefore: '2026-01-01',
      notAfter: '2027-12-31',
    },
  });
  return {
    id,
    name: `Синтетическая организация № ${i}`,
    kind: 'local-government',
    inn: String(7200000000 + i),
    district: `Район ${i % 20}`,
    head: 'Иванов Иван Иванович',
    clerk: { name: 'Петрова Пелагея Петровна', phone: '+7 3452 00-00-00', email: `clerk${i}@org.example` },
    technical: { name: 'Сидоров Семён Семёнович', phone: '+7 3452 00-00-01', email: `it${i}@org.example` },
    agreements: { joining: '2025-01-10', personalData: '2025-01-10' },
    sed: {
      mode: 'operator',
      system: 'Бюрократ',
      journals: [{ name: 'Входящие', numberFormat: 'ВХ-{n:5}' }],
      training: '2025-02-01',
    },
    workstations: { cryptoPro: '5.0.13000', browser: 'chromium-gost' },
    signers: [signer('Иванов Иван Иванович', 'head', 0), signer('Петрова Пелагея Петровна', 'clerk', 1)],
    channel: {
      type: 'vipnet',
      edge: 'edge-1',
      vipnet: {
        network: 6670,
        node: `0x${(0x1a0e0000 + i).toString(16).toUpperCase()}`,
        product: 'vipnet-coordinator-hw-4',
      },
    },
    networks: [`${formatAddress(net(0))}/26`, `${formatAddress(net(1))}/26`],
    endpoints: [
      {
        id: 'intake',
        purpose: 'portal-intake',
        address: formatAddress(net(0) + 10),
        port: 443,
        protocol: 'https',
        path: '/ws/intake',
      },
      {
        id: 'status',
        purpose: 'portal-status',
        address: formatAddress(net(0) + 11),
        port: 8443,
        protocol: 'https',
        path: '/ws/status',
      },
      {
        id: 'connector',
        purpose: 'sed-connector',
        address: formatAddress(net(1) + 20),
        port: 443,
        protocol: 'https',
        path: '/connector',
      },
    ],
    registrations: { test: registration('tested'), prod: registration('registered') },
  };
}

/** Writes the inventory to `dir` (operator.yaml copied from the sample) and returns the file count. `testOnly`: no prod registrations. */
export async function writeSyntheticInventory(
  dir: string,
  count: number,
  options: { testOnly?: boolean } = {},
): Promise<number> {
  await mkdir(path.join(dir, 'participants'), { recursive: true });
  await cp(path.join(PROJECT_ROOT, 'inventory', 'operator.yaml'), path.join(dir, 'operator.yaml'));
  const gateways: Record<'test' | 'prod', Record<string, string>> = { test: {}, prod: {} };
  const batch: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const p: Partial<ReturnType<typeof syntheticParticipant>['registrations']> &
      ReturnType<typeof syntheticParticipant> = syntheticParticipant(i);
    if (options.testOnly) delete (p.registrations as Partial<typeof p.registrations>).prod;
    gateways.test[p.id] = formatAddress(((10 << 24) | (210 << 16)) + 2 + i);
    gateways.prod[p.id] = formatAddress(((10 << 24) | (220 << 16)) + 2 + i);
    batch.push(writeFile(path.join(dir, 'participants', `${p.id}.yaml`), stringify(p)));
    if (batch.length >= 500) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  await writeFile(path.join(dir, 'allocations.yaml'), stringify({ gateways, links: {} }));
  return count + 2;
}
