// The edge's addresses and routes (`ip -j addr`, `ip -j route`), read in the edge's one session
// with its ruleset and reported per edge in compact lines; no requirement is judged on them yet.
import type { EdgeSource } from './source.js';

/** Where ip lives on the edges (Debian links it there; so do the distributions with /usr merged). */
const IP = '/sbin/ip';

export interface EdgeRoutes {
  /** Each address with its prefix and interface: "10.200.0.2/24 eth7". */
  addresses: string[];
  /** Each route of the main table as ip prints it, shortened: "10.210.0.0/16 via 10.200.0.254 dev eth7". */
  routes: string[];
}

export const edgeRoutes: EdgeSource<EdgeRoutes> = {
  name: 'edge-routes',
  informs: [],
  edge: {
    commands: [`${IP} -j addr`, `${IP} -j route`],
    parse: ([addr, route]) => ({ addresses: parseAddresses(addr ?? ''), routes: parseRoutes(route ?? '') }),
  },
  check: () => ({ findings: [] }),
  record: (readings) => ({
    edgeRoutes: Object.fromEntries(readings.flatMap((r) => (r.ok ? [[r.subject.name, r.value]] : []))),
  }),
};

function jsonArray(text: string, command: string): Array<Record<string, unknown>> {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value)) throw new Error(`${command} did not list an array`);
  return value as Array<Record<string, unknown>>;
}

/** The addresses of every link in an `ip -j addr` listing. */
export function parseAddresses(text: string): string[] {
  return jsonArray(text, 'ip -j addr').flatMap((link) =>
    ((link.addr_info as Array<Record<string, unknown>> | undefined) ?? [])
      .filter((a) => typeof a.local === 'string')
      .map((a) => `${String(a.local)}/${String(a.prefixlen)} ${String(link.ifname)}`),
  );
}

/** Every route of an `ip -j route` listing: its type when not unicast, destination, gateway, device, source, metric. */
export function parseRoutes(text: string): string[] {
  return jsonArray(text, 'ip -j route').map((r) =>
    [
      r.type !== undefined && r.type !== 'unicast' ? String(r.type) : '',
      String(r.dst),
      r.gateway !== undefined ? `via ${String(r.gateway)}` : '',
      r.dev !== undefined ? `dev ${String(r.dev)}` : '',
      r.prefsrc !== undefined ? `src ${String(r.prefsrc)}` : '',
      r.metric !== undefined ? `metric ${String(r.metric)}` : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
}
