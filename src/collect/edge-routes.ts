// The channel on the edge's side (`ip -N -d -j addr`, `ip -N -j route`), read in the edge's one
// session with its ruleset: for each leased-line participant of the edge, CH-4 its link (the
// interface, the edge's /31 address, up and with carrier) and CH-5 the routes through it (each
// declared network via the participant's end, nothing else through the link). The comparison is
// render's channelDifferences, the one the engine's refresh records too. What was read is also
// reported per edge in compact lines.
import { judgedBy } from '../requirements/index.js';
import {
  channelDifferences,
  checkedLink,
  parseInterfaces,
  parseRouteList,
  routeText,
  type ChannelDifference,
  type LiveChannel,
} from '../render/index.js';
import { channelReadCommands } from '../infra/channel.js';
import type { Plan } from '../plan/index.js';
import type { EdgeSource, LiveFinding } from './source.js';

export const edgeRoutes: EdgeSource<LiveChannel> = {
  name: 'edge-routes',
  informs: judgedBy('edge-routes'),
  edge: {
    commands: channelReadCommands(),
    parse: ([addr, route]) => ({ interfaces: parseInterfaces(addr ?? ''), routes: parseRouteList(route ?? '') }),
  },
  check: (readings, { plan }) => ({
    findings: readings.flatMap((r) => (r.ok ? checkEdge(plan, r.subject.edge.id, r.value) : [])),
  }),
  record: (readings) => ({
    edgeRoutes: Object.fromEntries(readings.flatMap((r) => (r.ok ? [[r.subject.name, compact(r.value)]] : []))),
  }),
};

/** Each address with its prefix and interface ("10.200.0.2/24 eth7"), each route of the main table as ip prints it, shortened. */
export function compact(live: LiveChannel): { addresses: string[]; routes: string[] } {
  return {
    addresses: [...live.interfaces.values()].flatMap((i) => i.addresses.map((a) => `${a} ${i.name}`)),
    routes: live.routes.map(routeText),
  };
}

const FIX: Record<ChannelDifference['kind'], { en: string; ru: string }> = {
  'link-missing': {
    en: "bring the circuit's interface to the edge, then 'prichal up --contour test'",
    ru: "подключите интерфейс канала к пограничному узлу, затем выполните 'prichal up --contour test'",
  },
  'link-address': {
    en: "set the link as planned: 'prichal up --contour test --refresh' (change the inventory, not the host)",
    ru: "верните линк к плану: 'prichal up --contour test --refresh' (меняйте реестр, а не узел)",
  },
  'link-down': {
    en: "bring the interface up: 'prichal up --contour test --refresh'",
    ru: "включите интерфейс: 'prichal up --contour test --refresh'",
  },
  'link-no-carrier': {
    en: "the circuit or the participant's router is down: ask the provider and the participant",
    ru: 'канал или маршрутизатор участника не работает: обратитесь к провайдеру и участнику',
  },
  'route-missing': {
    en: "restore the route: 'prichal up --contour test --refresh'",
    ru: "восстановите маршрут: 'prichal up --contour test --refresh'",
  },
  'route-next-hop': {
    en: "route the network via the participant's end of its link: 'prichal up --contour test --refresh'",
    ru: "направьте сеть через конец линка участника: 'prichal up --contour test --refresh'",
  },
  'route-leak': {
    en: "remove the route (only the declared networks go through the link); declare the network in the participant's file if it is needed",
    ru: 'удалите маршрут (через линк — только заявленные сети); если сеть нужна, внесите её в файл участника',
  },
  'gateway-route': {
    en: "restore the route to the gateways: 'prichal up --contour test --refresh'",
    ru: "восстановите маршрут к шлюзам: 'prichal up --contour test --refresh'",
  },
};

/** The leased lines ending on the edge, compared with what it has. */
function checkEdge(plan: Plan, edge: string, live: LiveChannel): LiveFinding[] {
  const links = plan.links.filter((l) => l.edge === edge).map(checkedLink);
  return channelDifferences(links, [], live).map((d) => ({
    requirement: d.kind.startsWith('link-') ? 'CH-4' : 'CH-5',
    ...(d.participant ? { participant: d.participant } : {}),
    subject: edge,
    severity: 'error',
    message: d.message,
    evidence: d.evidence,
    fix: FIX[d.kind].en,
    ru: { message: d.ru, fix: FIX[d.kind].ru },
  }));
}
