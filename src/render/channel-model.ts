// The channel on an edge's side: each leased line's link (its interface, the edge's /31 address,
// up) and the routes through it (exactly the participant's declared networks via its end of the
// link), plus the routes to the gateway hosts' ranges. Here: what the plan wants (plannedChannel),
// what a host has (parsed from `ip -N -d -j addr` and `ip -N -j route`), and how they differ — one
// comparison for drift's findings and the engine's refresh alike.
import type { CircuitEnd } from '../inventory/index.js';
import type { Plan, PlannedLink } from '../plan/index.js';

/** Where ip lives on the edges (Debian links it there; so do the distributions with /usr merged). */
export const IP = '/sbin/ip';
/**
 * The routing protocol number Prichal's routes carry (`proto 245`): how a route is known to be
 * Prichal's, so that destroy removes exactly those. 245 is unassigned in iproute2's rt_protos.
 */
export const PRICHAL_ROUTE_PROTO = '245';
/** The alias of an 802.1Q sub-interface Prichal created: `prichal:<participant>`. */
export const ALIAS_PREFIX = 'prichal:';

/** What Prichal configures for one leased line on its edge. */
export interface ChannelLink {
  participant: string;
  interface: string;
  /** vlan mode: the sub-interface Prichal creates on the uplink. */
  vlan: CircuitEnd['vlan'];
  /** The edge's end with its prefix: "10.250.0.0/31". */
  address: string;
  /** The participant's end: the next hop of its routes. */
  peer: string;
  networks: string[];
}

export interface GatewayRoute {
  destination: string;
  via: string;
}

/** The channel of one edge as the plan wants it: the links Prichal configures there and the gateway routes. */
export interface EdgeChannel {
  edge: string;
  links: ChannelLink[];
  gatewayRoutes: GatewayRoute[];
}

export const channelLink = (l: PlannedLink & { circuit: CircuitEnd }): ChannelLink => ({
  participant: l.participant,
  interface: l.circuit.interface,
  vlan: l.circuit.vlan,
  address: `${l.edgeAddress}/31`,
  peer: l.participantAddress,
  networks: [...l.networks].sort(),
});

/** A channel with nothing to set on its edge (no link, no gateway route): the edge gets no channel resource. */
export const isEmptyChannel = (channel: EdgeChannel): boolean =>
  channel.links.length === 0 && channel.gatewayRoutes.length === 0;

/** The edge's channel from the plan: its links whose edge declares `circuits`, and every gateway route. */
export function plannedChannel(plan: Plan, edge: string): EdgeChannel {
  return {
    edge,
    links: plan.links
      .filter((l): l is PlannedLink & { circuit: CircuitEnd } => l.edge === edge && l.circuit !== null)
      .map(channelLink)
      .sort((a, b) => (a.participant < b.participant ? -1 : a.participant > b.participant ? 1 : 0)),
    gatewayRoutes: uniqueRoutes(plan.gatewayRoutes.map((r) => ({ destination: r.slice, via: r.via }))),
  };
}

function uniqueRoutes(routes: GatewayRoute[]): GatewayRoute[] {
  const seen = new Map(routes.map((r) => [`${r.destination} ${r.via}`, r]));
  return [...seen.values()].sort((a, b) => (a.destination < b.destination ? -1 : 1));
}

// ---- the host ----------------------------------------------------------------------------

export interface LiveInterface {
  name: string;
  flags: string[];
  operstate: string;
  /** IPv4 addresses with their prefix. */
  addresses: string[];
  /** An 802.1Q sub-interface: its parent and tag. */
  vlan?: { link: string; id: number };
  alias?: string;
}

export interface LiveRoute {
  /** CIDR ("0.0.0.0/0" for default, "/32" for a host route). */
  dst: string;
  gateway?: string;
  dev?: string;
  /** Numeric (ip -N): "2" kernel, "3" boot, "4" static, PRICHAL_ROUTE_PROTO Prichal's. */
  protocol: string;
  /** unicast unless said: blackhole, unreachable, … */
  type: string;
  metric?: number;
}

export interface LiveChannel {
  interfaces: Map<string, LiveInterface>;
  routes: LiveRoute[];
}

function jsonArray(text: string, command: string): Array<Record<string, unknown>> {
  const trimmed = text.trim();
  const value: unknown = trimmed === '' ? [] : JSON.parse(trimmed);
  if (!Array.isArray(value)) throw new Error(`${command} did not list an array`);
  return value as Array<Record<string, unknown>>;
}

/** Interfaces and their IPv4 addresses from `ip [-N] [-d] -j addr`. */
export function parseInterfaces(text: string): Map<string, LiveInterface> {
  const out = new Map<string, LiveInterface>();
  for (const link of jsonArray(text, 'ip -j addr')) {
    const name = String(link.ifname);
    const info = link.linkinfo as { info_kind?: string; info_data?: { id?: number } } | undefined;
    const addresses = ((link.addr_info as Array<Record<string, unknown>> | undefined) ?? [])
      .filter((a) => a.family === 'inet' && typeof a.local === 'string')
      .map((a) => `${String(a.local)}/${String(a.prefixlen)}`);
    out.set(name, {
      name,
      flags: ((link.flags as string[] | undefined) ?? []).map(String),
      operstate: String(link.operstate ?? 'UNKNOWN'),
      addresses,
      ...(info?.info_kind === 'vlan' && typeof link.link === 'string' && typeof info.info_data?.id === 'number'
        ? { vlan: { link: link.link, id: info.info_data.id } }
        : {}),
      ...(typeof link.ifalias === 'string' ? { alias: link.ifalias } : {}),
    });
  }
  return out;
}

/** Routes of the main table from `ip -N -j route`. */
export function parseRouteList(text: string): LiveRoute[] {
  return jsonArray(text, 'ip -j route').map((r) => {
    const dst = String(r.dst);
    return {
      dst: dst === 'default' ? '0.0.0.0/0' : dst.includes('/') ? dst : `${dst}/32`,
      ...(typeof r.gateway === 'string' ? { gateway: r.gateway } : {}),
      ...(typeof r.dev === 'string' ? { dev: r.dev } : {}),
      // ip omits the protocol of a route added without one (boot).
      protocol: r.protocol === undefined ? '3' : String(r.protocol),
      type: r.type === undefined ? 'unicast' : String(r.type),
      ...(typeof r.metric === 'number' ? { metric: r.metric } : {}),
    };
  });
}

export const isUp = (i: LiveInterface) => i.flags.includes('UP');
export const hasCarrier = (i: LiveInterface) => i.flags.includes('LOWER_UP');

/** A route as ip prints it, shortened, and as `ip route add|del|replace` takes it back: "10.35.10.0/24 via 10.250.0.1 dev lltbleth2231 proto 245". */
export function routeText(r: LiveRoute): string {
  return [
    r.type !== 'unicast' ? r.type : '',
    r.dst,
    r.gateway ? `via ${r.gateway}` : '',
    r.dev ? `dev ${r.dev}` : '',
    `proto ${r.protocol}`,
    r.metric !== undefined ? `metric ${r.metric}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

// ---- how they differ ---------------------------------------------------------------------

/** What a link or its routes lack or have too much, for the participant it belongs to. */
export interface ChannelDifference {
  participant?: string;
  kind:
    | 'link-missing'
    | 'link-address'
    | 'link-down'
    | 'link-no-carrier'
    | 'route-missing'
    | 'route-next-hop'
    | 'route-leak'
    | 'gateway-route';
  message: string;
  /** The message in Russian (reports' default language). */
  ru: string;
  evidence: string;
}

/** A leased line drift and refresh check: the plan's link, with the interface when Prichal configures it. */
export interface CheckedLink {
  participant: string;
  /** undefined: the edge declares no circuits, so the link may end on any interface. */
  interface?: string;
  address: string;
  peer: string;
  networks: string[];
}

export const checkedLink = (l: PlannedLink): CheckedLink => ({
  participant: l.participant,
  ...(l.circuit ? { interface: l.circuit.interface } : {}),
  address: `${l.edgeAddress}/31`,
  peer: l.participantAddress,
  networks: l.networks,
});

/**
 * How the live channel differs from the links and gateway routes: per link a missing interface or
 * address (or an address other than the plan's on its interface), an interface down, and per
 * network a route missing or through another next hop; any other route through the link (by its
 * interface or via the participant's end) is a leak. The /31's own connected route is the link.
 */
export function channelDifferences(
  links: readonly CheckedLink[],
  gatewayRoutes: readonly GatewayRoute[],
  live: LiveChannel,
): ChannelDifference[] {
  const out: ChannelDifference[] = [];
  const byDst = new Map<string, LiveRoute[]>();
  for (const r of live.routes) byDst.set(r.dst, [...(byDst.get(r.dst) ?? []), r]);
  const holder = new Map<string, LiveInterface>();
  for (const i of live.interfaces.values()) for (const a of i.addresses) holder.set(a, i);

  for (const link of links) {
    const participant = link.participant;
    const named = link.interface ? live.interfaces.get(link.interface) : holder.get(link.address);
    if (link.interface && !named) {
      out.push({
        participant,
        kind: 'link-missing',
        message: `link ${link.address}: interface ${link.interface} is absent`,
        ru: `линк ${link.address}: интерфейса ${link.interface} нет`,
        evidence: `ip addr: no ${link.interface}`,
      });
    } else if (!named) {
      out.push({
        participant,
        kind: 'link-missing',
        message: `link ${link.address}: no interface holds the edge's address`,
        ru: `линк ${link.address}: адрес пограничного узла не назначен ни одному интерфейсу`,
        evidence: `ip addr: ${link.address} on no interface`,
      });
    } else {
      const wrong = named.addresses.filter((a) => a !== link.address);
      const besides = named.addresses.includes(link.address);
      if (!besides || (link.interface && wrong.length))
        out.push({
          participant,
          kind: 'link-address',
          message: `link on ${named.name}: ${besides ? `besides ${link.address} it holds ${wrong.join(', ')}` : `address ${wrong.join(', ') || 'none'} instead of ${link.address}`}`,
          ru: `линк на ${named.name}: ${besides ? `кроме ${link.address} назначены ${wrong.join(', ')}` : `адрес ${wrong.join(', ') || 'не назначен'} вместо ${link.address}`}`,
          evidence: `ip addr ${named.name}: ${named.addresses.join(', ') || 'no IPv4 address'}`,
        });
      if (!isUp(named) || !hasCarrier(named))
        out.push({
          participant,
          kind: isUp(named) ? 'link-no-carrier' : 'link-down',
          message: `link ${link.address} on ${named.name} is down (${isUp(named) ? 'no carrier: the circuit or its other end' : 'administratively down'})`,
          ru: `линк ${link.address} на ${named.name} не работает (${isUp(named) ? 'нет несущей: канал или его другой конец' : 'интерфейс выключен'})`,
          evidence: `ip link ${named.name}: <${named.flags.join(',')}> state ${named.operstate}`,
        });
    }
    const dev = link.interface ?? named?.name;
    for (const network of link.networks) {
      const routes = (byDst.get(network) ?? []).filter((r) => r.metric === undefined || r.metric === 0);
      if (routes.some((r) => r.gateway === link.peer && (!dev || r.dev === dev))) continue;
      out.push(
        routes.length
          ? {
              participant,
              kind: 'route-next-hop',
              message: `route to ${network} goes ${routes.map((r) => (r.gateway ? `via ${r.gateway}` : `to ${r.dev}`)).join(', ')} instead of via ${link.peer}`,
              ru: `маршрут к ${network} идёт ${routes.map((r) => (r.gateway ? `через ${r.gateway}` : `на ${r.dev}`)).join(', ')} вместо ${link.peer}`,
              evidence: routes.map(routeText).join('; '),
            }
          : {
              participant,
              kind: 'route-missing',
              message: `no route to ${network} via ${link.peer}`,
              ru: `нет маршрута к ${network} через ${link.peer}`,
              evidence: `ip route: no ${network}`,
            },
      );
    }
    const declared = new Set(link.networks);
    for (const r of live.routes) {
      const through = r.gateway === link.peer || (dev !== undefined && r.dev === dev);
      if (!through || declared.has(r.dst)) continue;
      // A connected route is the kernel's for an address the interface holds: the link itself, or
      // an address other than the plan's, which is reported as such (link-address).
      if (r.protocol === '2' && !r.gateway) continue;
      out.push({
        participant,
        kind: 'route-leak',
        message: `route to undeclared ${r.dst} through the link`,
        ru: `маршрут к незаявленной сети ${r.dst} через линк`,
        evidence: routeText(r),
      });
    }
  }
  for (const g of gatewayRoutes) {
    const routes = byDst.get(g.destination) ?? [];
    if (!routes.some((r) => r.gateway === g.via))
      out.push({
        kind: 'gateway-route',
        message: `no route to the gateways' ${g.destination} via ${g.via}`,
        ru: `нет маршрута к сети шлюзов ${g.destination} через ${g.via}`,
        evidence: routes.length ? routes.map(routeText).join('; ') : `ip route: no ${g.destination}`,
      });
  }
  return out;
}

/**
 * How the host differs from a channel Prichal applies (in a targeted run, the scoped participant's
 * link only): what an apply answers for. A link without carrier is not among them — its other end
 * is the participant's; drift reports it, an apply cannot fix it.
 */
export function configuredDifferences(channel: EdgeChannel, live: LiveChannel, scope?: string): ChannelDifference[] {
  const links = channel.links
    .filter((l) => !scope || l.participant === scope)
    .map((l) => ({
      participant: l.participant,
      interface: l.interface,
      address: l.address,
      peer: l.peer,
      networks: l.networks,
    }));
  return channelDifferences(links, scope ? [] : channel.gatewayRoutes, live).filter(
    (d) => d.kind !== 'link-no-carrier',
  );
}
