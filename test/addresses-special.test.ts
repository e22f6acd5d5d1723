// Addresses no participant may use, from RFC 6890's special-purpose registry as the
// ipaddr.js library classifies it: errors for networks and endpoints; public addresses a warning
// unless the operator allows them; an endpoint on its network's own or broadcast address an error.
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/inventory/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { inventoryWith, removeInventory, type Edit } from './helpers/inventory.js';
import ipaddr from 'ipaddr.js';
import { formatAddress } from '../src/inventory/addresses.js';
import { rangeOf } from '../src/inventory/rules/addresses.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map(removeInventory)));
const FILE = 'participants/tmn-sosh-12.yaml';

/** The school's network and endpoint moved to `network` / `endpoint`; the address findings of its file. */
async function addressFindings(network: string, endpoint: string, more: Edit[] = []): Promise<Finding[]> {
  const dir = await inventoryWith([
    { file: FILE, from: 'networks: [10.33.12.0/24]', to: `networks: [${network}]` },
    { file: FILE, from: 'address: 10.33.12.10', to: `address: ${endpoint}` },
    ...more,
  ]);
  dirs.push(dir);
  return (await checkInventory(dir, '2026-11-23')).findings.filter(
    (f) => f.file === FILE && f.code.startsWith('address-'),
  );
}
const brief = (fs: Finding[]) => fs.map((f) => `${f.severity} ${f.code} ${f.path}`);

describe('special-purpose addresses', () => {
  it("classifies as ipaddr.js does: every range's edges and 200,000 seeded addresses", () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
    const samples = Array.from({ length: 200_000 }, next);
    for (const subnets of Object.values(
      (ipaddr.IPv4.prototype as unknown as { SpecialRanges: Record<string, Array<[ipaddr.IPv4, number]>> })
        .SpecialRanges,
    )) {
      for (const [address, length] of subnets) {
        const start = address.toByteArray().reduce((v, b) => v * 256 + b, 0);
        const end = start + 2 ** (32 - length) - 1;
        samples.push(start, end, Math.max(0, start - 1), Math.min(2 ** 32 - 1, end + 1));
      }
    }
    const differ = samples.map(formatAddress).filter((a) => rangeOf(a) !== ipaddr.IPv4.parse(a).range());
    expect(differ).toEqual([]);
  });

  it.each([
    ['loopback', '127.0.0.0/24', '127.0.0.10', /loopback 127\.0\.0\.0\/8/],
    ['link-local with the metadata address', '169.254.169.0/24', '169.254.169.254', /link-local 169\.254\.0\.0\/16/],
    ['multicast', '224.1.1.0/24', '224.1.1.10', /multicast/],
    ["'this network'", '0.0.0.0/24', '0.0.0.10', /'this network' 0\.0\.0\.0\/8/],
    ['documentation', '198.51.100.0/24', '198.51.100.10', /documentation \(RFC 5737\)/],
    ['reserved for future use', '240.0.0.0/24', '240.0.0.10', /future use/],
  ])('%s is an error for the network and the endpoint', async (_, network, endpoint, message) => {
    const found = await addressFindings(network, endpoint);
    expect(brief(found)).toEqual(['error address-special networks[0]', 'error address-special endpoints[0].address']);
    for (const f of found) expect(f.message).toMatch(message);
  });

  it('a network straddling private and public space is judged by both ends', async () => {
    expect(brief(await addressFindings('10.0.0.0/7', '10.33.12.10'))).toEqual(['warning address-public networks[0]']);
  });

  it('public addresses are a warning, and nothing once the operator allows them', async () => {
    expect(brief(await addressFindings('8.8.8.0/24', '8.8.8.10'))).toEqual([
      'warning address-public networks[0]',
      'warning address-public endpoints[0].address',
    ]);
    const allowed = { file: 'operator.yaml', from: 'policy:\n', to: 'policy:\n  allowPublicAddresses: true\n' };
    expect(await addressFindings('8.8.8.0/24', '8.8.8.10', [allowed])).toEqual([]);
  });

  it("an endpoint on its network's own or broadcast address is an error; a /31 has neither", async () => {
    expect((await addressFindings('10.33.12.0/24', '10.33.12.0')).map((f) => f.message)).toEqual([
      '10.33.12.0 is the network address of 10.33.12.0/24; an endpoint needs a host address',
    ]);
    expect((await addressFindings('10.33.12.0/24', '10.33.12.255')).map((f) => f.message)).toEqual([
      '10.33.12.255 is the broadcast address of 10.33.12.0/24; an endpoint needs a host address',
    ]);
    expect(await addressFindings('10.33.12.0/31', '10.33.12.1')).toEqual([]);
  });
});
