// The channel's changes as `ip -batch` lines: what takes a host from what it has to what the plan
// wants, and the lines that take it back (applied in reverse if any line fails). Every line is
// one `ip` command without the leading `ip`; the batch stops at the first that fails.
//
// Ownership: Prichal's routes carry `proto 245`; its 802.1Q sub-interfaces the alias
// `prichal:<participant>`; a link's interface is the circuit's, so any other address or route
// through it is removed by an apply. Nothing else on the host is touched.
import {
  ALIAS_PREFIX,
  type ChannelLink,
  type EdgeChannel,
  type LiveChannel,
  type LiveRoute,
  PRICHAL_ROUTE_PROTO,
  isUp,
  routeText,
} from './channel-model.js';

export interface ChannelBatch {
  /** In order: removals first (routes, addresses, sub-interfaces), then what is added. */
  apply: string[];
  /** Each applied line's inverse, in reverse order. */
  rollback: string[];
}

const prichalRoute = (dst: string, via: string, dev?: string): LiveRoute => ({
  dst,
  gateway: via,
  ...(dev ? { dev } : {}),
  protocol: PRICHAL_ROUTE_PROTO,
  type: 'unicast',
});

/** The routes a channel wants, keyed by destination (a route is replaced by destination and metric 0). */
function wantedRoutes(channel: EdgeChannel, links: readonly ChannelLink[]): Map<string, LiveRoute> {
  const out = new Map<string, LiveRoute>();
  for (const g of channel.gatewayRoutes) out.set(g.destination, prichalRoute(g.destination, g.via));
  for (const l of links) for (const n of l.networks) out.set(n, prichalRoute(n, l.peer, l.interface));
  return out;
}

/** The same forwarding, whatever protocol added it. */
const sameRoute = (a: LiveRoute, b: LiveRoute) =>
  a.gateway === b.gateway && (b.dev === undefined || a.dev === b.dev) && a.type === b.type;

export interface ConvergeOptions {
  /** What the last apply configured: its links' addresses and sub-interfaces are removed when the plan drops them. */
  previous?: EdgeChannel;
  /** A targeted run: only this participant's link and routes change (the gateway routes stay as they are). */
  scope?: string;
}

/**
 * The batch that takes `live` to `channel`. In a targeted run `live` may hold only the scoped
 * participant's interfaces (and every route); links whose interfaces were not read are left alone.
 */
export function convergeChannel(channel: EdgeChannel, live: LiveChannel, options: ConvergeOptions = {}): ChannelBatch {
  const { scope, previous } = options;
  const inScope = (participant: string) => !scope || participant === scope;
  const links = channel.links.filter((l) => inScope(l.participant));
  const wanted = wantedRoutes(scope ? { ...channel, gatewayRoutes: [] } : channel, links);
  const linkDevs = new Map(links.map((l) => [l.interface, l]));
  // Every planned link's interface, in scope or not: none of them is stripped or deleted as a dropped link's.
  const inUse = new Set(channel.links.map((l) => l.interface));
  const peers = new Map(links.map((l) => [l.peer, l]));
  const removed = (previous?.links ?? []).filter(
    (p) => inScope(p.participant) && !links.some((l) => l.interface === p.interface && l.address === p.address),
  );

  const routeDel: Array<[string, string]> = [];
  const addressDel: Array<[string, string]> = [];
  const linkDel: Array<[string, string]> = [];
  const linkAdd: Array<[string, string]> = [];
  const linkUp: Array<[string, string]> = [];
  const addressAdd: Array<[string, string]> = [];
  const routeSet: Array<[string, string]> = [];

  // Routes: Prichal's that the plan no longer wants, anything else through a link to an undeclared network.
  for (const r of live.routes) {
    const want = wanted.get(r.dst);
    const ours = r.protocol === PRICHAL_ROUTE_PROTO;
    const link = (r.dev && linkDevs.get(r.dev)) || (r.gateway && peers.get(r.gateway)) || undefined;
    const connected = r.protocol === '2' && !r.gateway;
    let remove = false;
    if (link && !connected) remove = !link.networks.includes(r.dst) || (r.metric ?? 0) !== 0;
    else if (ours && !want) {
      // Outside the scope, another participant's route stays.
      const owner = previous?.links.find((p) => p.networks.includes(r.dst) || p.peer === r.gateway);
      remove = !scope || owner?.participant === scope;
    }
    if (remove) routeDel.push([`route del ${routeText(r)}`, `route add ${routeText(r)}`]);
  }
  // Addresses and sub-interfaces of links the plan dropped (the last apply's), where they still are.
  for (const p of removed) {
    const i = live.interfaces.get(p.interface);
    if (!i) continue;
    if (i.addresses.includes(p.address) && !inUse.has(p.interface))
      addressDel.push([`address del ${p.address} dev ${p.interface}`, `address add ${p.address} dev ${p.interface}`]);
    if (p.vlan && i.alias?.startsWith(ALIAS_PREFIX) && !inUse.has(p.interface))
      linkDel.push([
        `link del dev ${p.interface}`,
        `link add link ${p.vlan.uplink} name ${p.interface} type vlan id ${p.vlan.id}\nlink set dev ${p.interface} alias ${i.alias}${isUp(i) ? `\nlink set dev ${p.interface} up` : ''}`,
      ]);
  }
  for (const l of links) {
    const i = live.interfaces.get(l.interface);
    if (!i) {
      // The circuit's interface is the provider's hand-off: Prichal cannot make it (absentCircuits).
      if (!l.vlan) continue;
      linkAdd.push([
        `link add link ${l.vlan.uplink} name ${l.interface} type vlan id ${l.vlan.id}`,
        `link del dev ${l.interface}`,
      ]);
      linkAdd.push([`link set dev ${l.interface} alias ${ALIAS_PREFIX}${l.participant}`, '']);
      linkUp.push([`link set dev ${l.interface} up`, '']);
      addressAdd.push([`address add ${l.address} dev ${l.interface}`, '']);
    } else {
      if (!isUp(i)) linkUp.push([`link set dev ${l.interface} up`, `link set dev ${l.interface} down`]);
      for (const a of i.addresses.filter((x) => x !== l.address))
        addressDel.push([`address del ${a} dev ${l.interface}`, `address add ${a} dev ${l.interface}`]);
      if (!i.addresses.includes(l.address))
        addressAdd.push([`address add ${l.address} dev ${l.interface}`, `address del ${l.address} dev ${l.interface}`]);
    }
  }
  // Routes the plan wants, where the host has none equivalent (whoever added it: an equivalent
  // route of the operator's is left as it is, and destroy leaves it too).
  for (const [dst, want] of wanted) {
    const current = live.routes.filter((r) => r.dst === dst && (r.metric ?? 0) === 0);
    if (current.some((r) => sameRoute(r, want))) continue;
    routeSet.push([`route replace ${routeText(want)}`, current.length ? '' : `route del ${routeText(want)}`]);
  }

  // The rollback puts the host back as it was read: the routes the batch added go, the links and
  // addresses come back (in reverse), then every route it removed or replaced — and every route
  // through a device whose address or link it touched, which the kernel drops with them — is
  // put back as it was.
  const touched = new Set(
    [...addressDel, ...linkDel].map(([line]) => line.slice(line.lastIndexOf(' dev ') + 5).split(' ')[0]!),
  );
  const replaced = new Set(routeSet.map(([line]) => line.split(' ')[2]!));
  const restore = live.routes.filter(
    (r) =>
      routeDel.some(([line]) => line === `route del ${routeText(r)}`) ||
      (replaced.has(r.dst) && (r.metric ?? 0) === 0) ||
      (r.dev !== undefined && touched.has(r.dev) && r.protocol !== '2'),
  );
  const linkSteps = [...addressDel, ...linkDel, ...linkAdd, ...linkUp, ...addressAdd];
  return {
    apply: [...routeDel, ...linkSteps, ...routeSet].map(([line]) => line),
    rollback: [
      ...routeSet.flatMap(([, inverse]) => (inverse ? [inverse] : [])).reverse(),
      ...linkSteps
        .flatMap(([, inverse]) => (inverse ? inverse.split('\n').reverse() : []))
        .reverse()
        .flatMap((line, i, all) => (all.indexOf(line) === i ? [line] : [])),
      ...restore.map((r) => `route replace ${routeText(r)}`),
    ],
  };
}

/** Links whose circuit interface (the provider's hand-off, not Prichal's to make) the host lacks, in scope. */
export function absentCircuits(channel: EdgeChannel, live: LiveChannel, scope?: string): ChannelLink[] {
  return channel.links.filter(
    (l) => (!scope || l.participant === scope) && !l.vlan && !live.interfaces.has(l.interface),
  );
}

/**
 * Links whose interface is not a circuit's to take over, in scope, each with why: an apply strips
 * a link interface of every other address and route, which on the edge's uplink or transit
 * interface would cut the edge off. A circuit's hand-off carries at most a point-to-point /30.
 */
export function unsafeCircuits(
  channel: EdgeChannel,
  live: LiveChannel,
  scope?: string,
): Array<{ link: ChannelLink; reason: string }> {
  const uplinks = new Set(channel.links.flatMap((l) => (l.vlan ? [l.vlan.uplink] : [])));
  const out: Array<{ link: ChannelLink; reason: string }> = [];
  for (const l of channel.links) {
    if (scope && l.participant !== scope) continue;
    const wide = live.interfaces.get(l.interface)?.addresses.find((a) => Number(a.split('/')[1]) < 30);
    const defaultRoute = live.routes.find((r) => r.dst === '0.0.0.0/0' && r.dev === l.interface);
    if (uplinks.has(l.interface)) out.push({ link: l, reason: 'it is the uplink other circuits arrive on' });
    else if (defaultRoute)
      out.push({ link: l, reason: `the default route leaves through it (${routeText(defaultRoute)})` });
    else if (wide) out.push({ link: l, reason: `it holds ${wide}, wider than a circuit's /30` });
  }
  return out;
}

/** The batch that removes what Prichal configured: its routes, its links' addresses, its sub-interfaces. */
export function removeChannel(channel: EdgeChannel, live: LiveChannel): ChannelBatch {
  return convergeChannel({ edge: channel.edge, links: [], gatewayRoutes: [] }, live, { previous: channel });
}

/** A channel rendered as the batch that configures it on a host that has the circuits' interfaces and nothing of Prichal's yet (the golden files). */
export function renderChannel(channel: EdgeChannel): string {
  const interfaces = new Map(
    channel.links
      .filter((l) => !l.vlan)
      .map((l) => [
        l.interface,
        { name: l.interface, flags: ['BROADCAST', 'MULTICAST'], operstate: 'DOWN', addresses: [] },
      ]),
  );
  const batch = convergeChannel(channel, { interfaces, routes: [] });
  return `${batch.apply.join('\n')}\n`;
}
