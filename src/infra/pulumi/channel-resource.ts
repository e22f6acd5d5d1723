// The channel on the operator's side as Prichal's resource: one EdgeChannel per edge, owned by the
// test stack like the edge's firewall (links and routes serve both contours). It holds the
// edge's leased-line links (interface, the edge's /31 address, up), the routes to exactly each
// participant's declared networks via its end of the link, and the routes to the gateway hosts'
// ranges. Why one resource per edge and not per link: the edge is one SSH session and one lock,
// and a link and its routes change together; the diff still names every participant whose link
// or routes change, and `--participant` scopes an update to one participant's.
// Links travel packed, one string each (the engine's cost grows with the number of property
// values, as with the firewall's flows): "participant interface uplink:vlan|- address peer nets".
import * as pulumi from '@pulumi/pulumi';
import type { PlannedEdge } from '../../plan/index.js';
import {
  configuredDifferences,
  type ChannelLink,
  type EdgeChannel,
  type GatewayRoute,
  type LiveChannel,
} from '../../render/index.js';
import type { Words } from '../../words.js';
import {
  change,
  correction,
  sshKeyMoved,
  sshTargetChanges,
  type LiveDifferences,
  type ResourceChange,
} from './resources.js';

export const EDGE_CHANNEL = 'prichal:index:EdgeChannel';

export interface PackedChannel {
  links: string[];
  /** "destination via" */
  gatewayRoutes: string[];
}

export interface EdgeChannelInputs {
  edge: string;
  /** The edge's SSH target; `ssh.credentials` names the secret (the key is never in the state). */
  ssh: PlannedEdge['ssh'];
  channel: EdgeChannel;
  /** A targeted run: only this participant's link and routes change. */
  scope?: string | null;
}
export type EdgeChannelState = Omit<EdgeChannelInputs, 'scope'> & Partial<LiveDifferences>;

export const packLink = (l: ChannelLink) =>
  [
    l.participant,
    l.interface,
    l.vlan ? `${l.vlan.uplink}:${l.vlan.id}` : '-',
    l.address,
    l.peer,
    l.networks.join(','),
  ].join(' ');

function unpackLink(text: string): ChannelLink {
  const [participant, name, vlan, address, peer, networks] = text.split(' ') as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const [uplink, id] = vlan.split(':');
  return {
    participant,
    interface: name,
    vlan: vlan === '-' ? null : { uplink: uplink!, id: Number(id) },
    address,
    peer,
    networks: networks ? networks.split(',') : [],
  };
}

export const packChannel = (c: EdgeChannel): PackedChannel => ({
  links: c.links.map(packLink),
  gatewayRoutes: c.gatewayRoutes.map((r) => `${r.destination} ${r.via}`),
});

export function unpackChannel(edge: string, packed: PackedChannel): EdgeChannel {
  return {
    edge,
    links: packed.links.map(unpackLink),
    gatewayRoutes: packed.gatewayRoutes.map((r): GatewayRoute => {
      const [destination, via] = r.split(' ') as [string, string];
      return { destination, via };
    }),
  };
}

/**
 * The channel an update applies: the plan's, or in a targeted run the last applied one with only
 * the scoped participant's link taken from the plan (the gateway routes as last applied).
 */
export function effectiveChannel(olds: EdgeChannelState | undefined, news: EdgeChannelInputs): EdgeChannel {
  const scope = news.scope;
  if (!scope || !olds) return news.channel;
  const links = [
    ...olds.channel.links.filter((l) => l.participant !== scope),
    ...news.channel.links.filter((l) => l.participant === scope),
  ].sort((a, b) => (a.participant < b.participant ? -1 : a.participant > b.participant ? 1 : 0));
  return { ...olds.channel, edge: news.edge, links };
}

const linkText = (l: ChannelLink): Words => ({
  en: `${l.address} on ${l.interface}${l.vlan ? ` (vlan ${l.vlan.id} on ${l.vlan.uplink})` : ''}, routes to ${l.networks.join(', ') || 'nothing'} via ${l.peer}`,
  ru: `${l.address} на ${l.interface}${l.vlan ? ` (vlan ${l.vlan.id} на ${l.vlan.uplink})` : ''}, маршруты к ${l.networks.join(', ') || 'никуда'} через ${l.peer}`,
});

/** What an update changes, by participant: links added, removed or changed; gateway routes; hand edits refresh found. */
export function edgeChannelChanges(olds: EdgeChannelState | undefined, news: EdgeChannelInputs): ResourceChange[] {
  const out: ResourceChange[] = [];
  const target = effectiveChannel(olds, news);
  const before = new Map((olds?.channel.links ?? []).map((l) => [l.participant, l]));
  const after = new Map(target.links.map((l) => [l.participant, l]));
  for (const [participant, l] of after) {
    const was = before.get(participant);
    if (!was) out.push(change({ en: `link ${linkText(l).en}`, ru: `линк ${linkText(l).ru}` }, participant));
    else if (packLink(was) !== packLink(l))
      out.push(
        change(
          {
            en: `link ${linkText(was).en} → ${linkText(l).en}`,
            ru: `линк ${linkText(was).ru} → ${linkText(l).ru}`,
          },
          participant,
        ),
      );
  }
  for (const [participant, l] of before)
    if (!after.has(participant))
      out.push(change({ en: `link removed: ${linkText(l).en}`, ru: `линк удалён: ${linkText(l).ru}` }, participant));
  // "destination via" as a key: the Russian says it with «через».
  const routesBefore = new Set((olds?.channel.gatewayRoutes ?? []).map((r) => `${r.destination} ${r.via}`));
  const routesAfter = new Set(target.gatewayRoutes.map((r) => `${r.destination} ${r.via}`));
  const route = (r: string, en: string, ru: string) => {
    const [destination, via] = r.split(' ');
    return change({ en: `${en} ${destination} via ${via}`, ru: `${ru} ${destination} через ${via}` });
  };
  for (const r of routesAfter) if (!routesBefore.has(r)) out.push(route(r, 'gateway route', 'маршрут к шлюзам'));
  for (const r of routesBefore)
    if (!routesAfter.has(r)) out.push(route(r, 'gateway route removed:', 'маршрут к шлюзам удалён:'));
  if (olds) {
    const a = olds.ssh;
    const b = news.ssh;
    if (a.host !== b.host || a.port !== b.port || a.user !== b.user || a.hostKey !== b.hostKey)
      out.push(change(sshTargetChanges(`edge ${news.edge}`, `узел ${news.edge}`)));
    if (a.credentials !== b.credentials)
      out.push(change(sshKeyMoved(`edge ${news.edge}`, `узел ${news.edge}`, b.credentials, a.credentials)));
  }
  for (const d of olds?.differences ?? [])
    out.push(
      correction(
        d,
        (found) => `on the host: ${found}; the channel is set as planned`,
        (found) => `на узле: ${found}; канал настраивается по плану`,
      ),
    );
  return out;
}

/** What refresh records: how the host differs from the applied channel (render's configuredDifferences). */
export function channelRefreshDifferences(channel: EdgeChannel, live: LiveChannel): ResourceChange[] {
  return configuredDifferences(channel, live).map((d) =>
    change({ en: `${d.message} (${d.evidence})`, ru: `${d.ru} (${d.evidence})` }, d.participant),
  );
}

export class EdgeChannelResource extends pulumi.CustomResource {
  declare readonly differences: pulumi.Output<ResourceChange[]>;

  constructor(name: string, args: EdgeChannelInputs, opts?: pulumi.CustomResourceOptions) {
    super(
      EDGE_CHANNEL,
      name,
      {
        edge: args.edge,
        ssh: args.ssh,
        channel: packChannel(args.channel),
        scope: args.scope ?? null,
        differences: undefined,
      },
      opts,
    );
  }
}
