// Gateway containers as Prichal's own resource (stack setting `gateways: engine`): the contour's
// gateways in shards, one set per Docker host, each shard one resource holding the gateways of
// the participants whose id hashes to it (the bus's `shardOf`: a participant's shard never
// changes). Why shards and not one resource per container: measured through @pulumi/docker, a
// resource per container costs about 350 KB and 2.5 ms in the Node SDK, and 20,000 containers
// (10,000 participants × 2 contours) ran out of V8 heap; shards keep the resource count at
// hosts × 32 while the diff still names every participant whose gateway changes.
// A shard's inputs are compact: per gateway what its specification is rebuilt from (address,
// endpoints) and the hash of that specification; the host by endpoint, pinned host key and the
// NAME of its SSH key's secret (the provider reads the secret when it connects).
// The pure change function below is the one computation of "what changes": the provider's diff
// and update call it, and so does the preview report (engine.ts describeOperation()).
import * as pulumi from '@pulumi/pulumi';
import { shortHash } from '../../hash.js';
import type { ContourName } from '../../inventory/index.js';
import type { PlannedEndpoint, PlannedRegistration } from '../../plan/index.js';
import { gatewayName, gatewaySpec, type GatewaySpec } from '../../render/index.js';
import { gatewayCreateOptions, type ContainerDetails } from '../docker-api.js';
import { gatewayDifferences, liveGateway } from '../gateway-differences.js';
import type { Words } from '../../words.js';
import { change, sshKeyMoved, type LiveDifferences, type ResourceChange } from './resources.js';

export const GATEWAY_SHARD = 'prichal:index:GatewayShard';

/** A Docker host as a shard records it: no secret, only the name of the one holding its SSH key. */
export interface GatewayHostRef {
  id: string;
  /** unix:///… or ssh://user@host:port */
  docker: string;
  hostKey: string | null;
  credentials: string | null;
}

/** One gateway of a shard: what its specification is rebuilt from, and that specification's hash. */
export interface GatewayEntry {
  participant: string;
  address: string;
  endpoints: PlannedEndpoint[];
  configHash: string;
  specHash: string;
}

export interface GatewayShardInputs {
  contour: ContourName;
  host: GatewayHostRef;
  shard: string;
  image: string;
  network: string;
  /** Sorted by participant. */
  gateways: GatewayEntry[];
  /** A targeted run: the only participant whose gateway this update may change. */
  scope?: string | null;
}
export type GatewayShardState = Omit<GatewayShardInputs, 'scope'> & Partial<LiveDifferences>;

/** The hash of everything a container is created from (the Engine API's create options). */
export const gatewaySpecHash = (spec: GatewaySpec): string => shortHash(JSON.stringify(gatewayCreateOptions(spec)));

/** The full specification of one of a shard's gateways, rebuilt from its compact entry. */
export function entrySpec(shard: Pick<GatewayShardInputs, 'contour' | 'image' | 'network'>, entry: GatewayEntry) {
  // gatewaySpec reads the participant, its gateway address and endpoints only.
  const registration = {
    participant: entry.participant,
    gateway: entry.address,
    endpoints: entry.endpoints,
  } as PlannedRegistration;
  return gatewaySpec(registration, shard.contour, { image: shard.image, network: shard.network });
}

/** A shard's entry for a planned registration. */
export function gatewayEntry(registration: PlannedRegistration, spec: GatewaySpec): GatewayEntry {
  return {
    participant: registration.participant,
    address: registration.gateway,
    endpoints: registration.endpoints,
    configHash: spec.configHash,
    specHash: gatewaySpecHash(spec),
  };
}

export const byParticipant = (a: { participant: string }, b: { participant: string }) =>
  a.participant < b.participant ? -1 : a.participant > b.participant ? 1 : 0;

/** What a gateway shard's update does to the host, and why, by participant. */
export interface GatewayShardUpdate {
  create: GatewayEntry[];
  /** Removed and created again from the new specification. */
  replace: GatewayEntry[];
  remove: GatewayEntry[];
  changes: ResourceChange[];
  /** The entries the shard holds afterwards (in a targeted run, everyone else's as they were). */
  gateways: GatewayEntry[];
  /** Live differences still pending afterwards (those of participants outside the scope). */
  differences: ResourceChange[];
}

/** What differs between two specifications of one gateway, as a reviewer reads it. */
function changedFields(
  olds: GatewayShardState,
  old: GatewayEntry,
  news: GatewayShardInputs,
  entry: GatewayEntry,
): Words[] {
  const out: Words[] = [];
  const field = (en: string, ru: string, was: string, now: string) =>
    out.push({ en: `${en} ${was} → ${now}`, ru: `${ru} ${was} → ${now}` });
  if (olds.image !== news.image) field('image', 'образ', olds.image, news.image);
  if (olds.network !== news.network) field('network', 'сеть', olds.network, news.network);
  if (old.address !== entry.address) field('address', 'адрес', old.address, entry.address);
  if (old.configHash !== entry.configHash) field('configuration', 'конфигурация', old.configHash, entry.configHash);
  // Nothing above: the hardening or the start-up the specification carries changed.
  if (!out.length) field('specification', 'спецификация', old.specHash, entry.specHash);
  return out;
}

/**
 * What a shard's update changes, gateway by gateway (keyed by participant): a new one is created,
 * one whose specification hash changed is replaced (and only it), a gone one removed, and one
 * refresh found differing on the host is recreated from its specification. `olds` undefined: the
 * shard is being created.
 */
export function gatewayShardUpdate(olds: GatewayShardState | undefined, news: GatewayShardInputs): GatewayShardUpdate {
  const scope = news.scope ?? undefined;
  const inScope = (participant: string) => !scope || participant === scope;
  const name = (participant: string) => gatewayName(participant, news.contour);
  const before = new Map((olds?.gateways ?? []).map((g) => [g.participant, g]));
  const after = new Set(news.gateways.map((g) => g.participant));
  const live = new Map<string, ResourceChange[]>();
  for (const d of olds?.differences ?? [])
    if (d.participant) live.set(d.participant, [...(live.get(d.participant) ?? []), d]);
  const out: GatewayShardUpdate = { create: [], replace: [], remove: [], changes: [], gateways: [], differences: [] };
  const kept = new Map(before);
  const host = news.host.id;

  for (const entry of news.gateways) {
    if (!inScope(entry.participant)) continue;
    const old = before.get(entry.participant);
    const gateway = name(entry.participant);
    if (!old) {
      out.create.push(entry);
      out.changes.push(
        change(
          {
            en: `gateway ${gateway}: add on host ${host} at ${entry.address}`,
            ru: `шлюз ${gateway}: создать на хосте ${host} с адресом ${entry.address}`,
          },
          entry.participant,
        ),
      );
    } else if (old.specHash !== entry.specHash) {
      out.replace.push(entry);
      const fields = changedFields(olds!, old, news, entry);
      out.changes.push(
        change(
          {
            en: `gateway ${gateway}: replace (${fields.map((f) => f.en).join(', ')})`,
            ru: `шлюз ${gateway}: заменить (${fields.map((f) => f.ru).join(', ')})`,
          },
          entry.participant,
        ),
      );
    } else if (live.has(entry.participant)) {
      out.replace.push(entry);
      const found = live.get(entry.participant)!;
      out.changes.push(
        change(
          {
            en: `gateway ${gateway}: on host ${host}: ${found.map((d) => d.message).join('; ')}; recreated from its specification`,
            ru: `шлюз ${gateway}: на хосте ${host}: ${found.map((d) => d.ru ?? d.message).join('; ')}; создаётся заново по спецификации`,
          },
          entry.participant,
        ),
      );
    }
    kept.set(entry.participant, entry);
  }
  for (const old of olds?.gateways ?? []) {
    if (after.has(old.participant) || !inScope(old.participant)) continue;
    out.remove.push(old);
    out.changes.push(
      change(
        {
          en: `gateway ${name(old.participant)}: remove from host ${host}`,
          ru: `шлюз ${name(old.participant)}: удалить с хоста ${host}`,
        },
        old.participant,
      ),
    );
    kept.delete(old.participant);
  }
  if (olds && olds.host.credentials !== news.host.credentials)
    out.changes.push(
      change(
        sshKeyMoved(
          `gateway host ${host}`,
          `хост шлюзов ${host}`,
          news.host.credentials ?? 'none',
          olds.host.credentials ?? 'none',
        ),
      ),
    );
  if (olds && (olds.host.docker !== news.host.docker || olds.host.hostKey !== news.host.hostKey))
    out.changes.push(
      change({
        en: `gateway host ${host}: Docker endpoint or pinned host key changes`,
        ru: `хост шлюзов ${host}: меняется адрес Docker или закреплённый ключ узла`,
      }),
    );
  out.gateways = [...kept.values()].sort(byParticipant);
  out.differences = (olds?.differences ?? []).filter((d) => d.participant && !inScope(d.participant));
  return out;
}

/**
 * How a live container differs from its specification, one phrase each in both languages (empty:
 * as planned) — the rule drift applies too (infra/gateway-differences.ts).
 */
export function containerDifferences(spec: GatewaySpec, live: ContainerDetails | undefined): Words[] {
  return gatewayDifferences(spec, live && liveGateway(live)).map(({ en, ru }) => ({ en, ru }));
}

export class GatewayShard extends pulumi.CustomResource {
  declare readonly differences: pulumi.Output<ResourceChange[]>;

  constructor(name: string, args: GatewayShardInputs, opts?: pulumi.CustomResourceOptions) {
    super(GATEWAY_SHARD, name, { ...args, differences: undefined }, opts);
  }
}
