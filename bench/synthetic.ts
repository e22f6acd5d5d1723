// A synthetic inventory of N participants for benchmarks: each with 2 networks, 3 endpoints,
// 2 signers and registrations in both contours, all valid, plus its allocations.
import { mkdir, writeFile, cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { cidrInterval, formatAddress } from '../src/inventory/addresses.js';
import type { OperatorFile } from '../src/inventory/index.js';
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

/**
 * Gateway placement over the gateway hosts the copied operator.yaml declares (`gateways.hosts`,
 * the sample's two lab Docker hosts): participant i on host i mod hosts, recorded in
 * allocations.yaml `gatewayHosts`, its addresses in that host's range (the primary's pool, any
 * other host's slice) from a quarter of the way in. The sample's own gateways take the first
 * addresses of each range, so both estates run on the lab's hosts side by side.
 */
function hostPlacement(operator: OperatorFile) {
  const hosts = operator.gateways?.hosts ?? [];
  if (hosts.length === 0) throw new Error('spreadGateways: the sample operator.yaml declares no gateways.hosts');
  const next = new Map<string, number>();
  return (i: number, contour: 'test' | 'prod') => {
    const index = i % hosts.length;
    const host = hosts[index]!;
    const range = index === 0 ? operator.contours[contour].gatewayPool : host.slices?.[contour];
    if (!range) throw new Error(`spreadGateways: host ${host.id} has no ${contour} slice`);
    const { start, end } = cidrInterval(range);
    const key = `${host.id}\t${contour}`;
    const k = next.get(key) ?? 0;
    next.set(key, k + 1);
    const value = start + Math.floor((end - start + 1) / 4) + k;
    const inSlice = hosts.slice(1).some((h, j) => {
      const slice = h.slices?.[contour];
      if (!slice || j + 1 === index) return false;
      const s = cidrInterval(slice);
      return value >= s.start && value <= s.end;
    });
    if (value > end || inSlice) throw new Error(`spreadGateways: host ${host.id}'s ${contour} range ${range} is full`);
    return { host: host.id, address: formatAddress(value) };
  };
}

/**
 * Writes the inventory to `dir` (operator.yaml copied from the sample) and returns the file count.
 * `testOnly`: no prod registrations. `spreadGateways`: the gateways spread evenly over the sample's
 * gateway hosts (hostPlacement) instead of all on the first.
 */
export async function writeSyntheticInventory(
  dir: string,
  count: number,
  options: { testOnly?: boolean; spreadGateways?: boolean } = {},
): Promise<number> {
  await mkdir(path.join(dir, 'participants'), { recursive: true });
  await cp(path.join(PROJECT_ROOT, 'inventory', 'operator.yaml'), path.join(dir, 'operator.yaml'));
  const place = options.spreadGateways
    ? hostPlacement(parse(await readFile(path.join(dir, 'operator.yaml'), 'utf8')) as OperatorFile)
    : undefined;
  const gateways: Record<'test' | 'prod', Record<string, string>> = { test: {}, prod: {} };
  const gatewayHosts: Record<string, string> = {};
  const batch: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const p: Partial<ReturnType<typeof syntheticParticipant>['registrations']> &
      ReturnType<typeof syntheticParticipant> = syntheticParticipant(i);
    if (options.testOnly) delete (p.registrations as Partial<typeof p.registrations>).prod;
    if (place) {
      for (const contour of ['test', 'prod'] as const) {
        const { host, address } = place(i, contour);
        gateways[contour][p.id] = address;
        gatewayHosts[p.id] = host;
      }
    } else {
      gateways.test[p.id] = formatAddress(((10 << 24) | (210 << 16)) + 2 + i);
      gateways.prod[p.id] = formatAddress(((10 << 24) | (220 << 16)) + 2 + i);
    }
    batch.push(writeFile(path.join(dir, 'participants', `${p.id}.yaml`), stringify(p)));
    if (batch.length >= 500) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  await writeFile(
    path.join(dir, 'allocations.yaml'),
    stringify({ gateways, links: {}, ...(place ? { gatewayHosts } : {}) }),
  );
  return count + 2;
}
