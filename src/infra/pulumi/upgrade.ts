// State written by earlier resource models, upgraded to today's. An operator's state lives on a
// shared backend for years while Prichal's resource model changes underneath; every change of a
// resource's shape ships its upgrade here, and a state of every earlier model keeps working.
//
// The models (what the state of each holds):
//   1. up to 97d848f: one `prichal:index:BusRegistration` per registration; `EdgeFirewall` with
//      each flow an object; the edge's SSH key (`privateKey`) and the bus administrator's
//      credentials (`credentials`, `testBus.credentials`) copied in as Pulumi secrets;
//   2. 97d848f: registrations in `prichal:index:BusRegistrations` shards (a hash of the mnemonic);
//   3. 6de8867: each flow packed into one string;
//   4. credentials by reference — a resource names the secret it uses (the edge's
//      `ssh.credentials`, the bus's `credentials`); the provider reads it from the secret store;
//   5. today: gateways are Prichal's own `prichal:index:GatewayShard` resources unless the stack
//      says otherwise (before, a stack without the setting ran them through @pulumi/docker: a
//      `prichal:gateway:Gateway` component and its Container per gateway, the contour's Network).
//      A stack whose gateways were started by another party (`external`) holds no gateway
//      resources: its first `up` creates the shards, which adopt the running containers as they
//      are. A stack that held @pulumi/docker's (now `engine` or `external`) has them released
//      from its state by upgradeDeployment — never deleted: the shards adopt them, or the other
//      party keeps them.
//
// The rule for a change of shape (README, "State written by earlier models"):
//   - a property reshaped, added or dropped within a type: `upgradeEdgeFirewall` /
//     `upgradeBusShard` turn the earlier shape into today's. The provider runs them on every
//     state it is handed (read, diff, update, delete), so its code only ever sees today's shape;
//     read returns the upgraded properties (and inputs), diff reports the upgrade as a change so
//     the next up writes today's shape, and update writes it without touching the live object
//     when nothing else changes;
//   - a type renamed, or a resource renamed or moved, one for one: an alias on the new resource;
//   - resources merged or split (what aliases cannot say: 97d848f merged registrations into
//     shards), or a fact today's shape needs that the earlier state does not hold (the names of
//     the bus's secrets): `upgradeDeployment`, which `prichal` runs on the exported checkpoint
//     before any engine action and imports under the stack's lock. Nothing changes on a live
//     system; every object keeps exactly one owner.
//   - never remove an upgrade step, and commit a checkpoint of the earlier model as a fixture
//     (test/fixtures/) with a test that it converges under today's code.
import {
  BUS_REGISTRATIONS,
  EDGE_FIREWALL,
  byMnemonic,
  change,
  packEdge,
  shardOf,
  type BusEndpoint,
  type BusShardState,
  type PackedEdge,
  type ResourceChange,
  type ShardEntry,
} from './resources.js';
import type { ContourName, OperatorFile } from '../../inventory/index.js';
import { GATEWAY_LABELS } from '../../render/index.js';
import type { GatewayMode } from './program.js';
import { secretVariable } from '../secrets.js';
import type { Flow } from '../../plan/index.js';
import type { Words } from '../../words.js';

/** Model 1's resource type: one resource per registration (merged into shards by 97d848f). */
export const RETIRED_BUS_REGISTRATION = 'prichal:index:BusRegistration';

/**
 * The resources of @pulumi/docker gateways (gateways: pulumi): per gateway a component and its
 * Container, the contour's Network, and the Docker provider they were created with.
 */
export const PULUMI_GATEWAY_TYPES = {
  component: 'prichal:gateway:Gateway',
  container: 'docker:index/container:Container',
  network: 'docker:index/network:Network',
  provider: 'pulumi:providers:docker',
} as const;

/** The engine's marker of a secret value, in every form it takes (wrapped for a provider, encrypted in a checkpoint, shown). */
const SIG_KEY = '4dabf18193072939515e22adb298388d';

/** A Pulumi secret in any form: `{<sig>: …, value | ciphertext | plaintext}`. */
export function isSecretValue(value: unknown): boolean {
  return value !== null && typeof value === 'object' && SIG_KEY in (value as Record<string, unknown>);
}

/** Thrown where an earlier state lacks a fact today's shape needs and nothing at hand supplies it. */
export class StateUpgradeError extends Error {
  override readonly name = 'StateUpgradeError';
}

const keyNote = (name: string): Words => ({
  en: `the SSH key copied into the state is dropped: the provider reads it from the secret store by its name '${name}'`,
  ru: `копия ключа SSH в состоянии удалена: провайдер читает его из хранилища секретов по имени '${name}'`,
});

type AnyProps = Record<string, unknown>;

/**
 * An EdgeFirewall's properties (inputs or outputs) in today's shape: flows packed (model ≤ 2
 * stored them as objects), no copy of the SSH key (model ≤ 3 stored `privateKey`; the key is
 * read by the name the edge's `ssh.credentials` already carries). `upgraded` says what changed.
 */
export function upgradeEdgeFirewall<T extends AnyProps>(
  props: T,
): { props: T & { edge: PackedEdge }; upgraded: Words[] } {
  const upgraded: Words[] = [];
  const out: AnyProps = { ...props };
  const edge = props.edge as
    | (Omit<PackedEdge, 'ingress' | 'egress'> & { ingress: Array<string | Flow>; egress: Array<string | Flow> })
    | undefined;
  if (edge && [...(edge.ingress ?? []), ...(edge.egress ?? [])].some((f) => typeof f !== 'string')) {
    const objects = (flows: Array<string | Flow>) => flows.filter((f): f is Flow => typeof f !== 'string');
    if ([...edge.ingress, ...edge.egress].some((f) => typeof f === 'string'))
      throw new StateUpgradeError(`edge ${edge.id}: flows recorded half packed, half as objects`);
    out.edge = packEdge({ ...edge, ingress: objects(edge.ingress), egress: objects(edge.egress) });
    upgraded.push({
      en: 'flows recorded as objects are packed (one string each)',
      ru: 'потоки, записанные объектами, упакованы (по строке на поток)',
    });
  }
  if ('privateKey' in out) {
    delete out.privateKey;
    upgraded.push(keyNote(edge?.ssh?.credentials ?? '?'));
  }
  return { props: out as T & { edge: PackedEdge }, upgraded };
}

/** The names of a contour's bus secrets, from the operator file: what an earlier shard did not record. */
export interface BusSecretNames {
  bus: string;
  /** Prod: the test contour's bus, read by the promotion gate. */
  testBus?: string;
}

export function busSecretNames(operator: OperatorFile, contour: ContourName): BusSecretNames {
  return {
    bus: operator.contours[contour].bus.credentials,
    ...(contour === 'prod' ? { testBus: operator.contours.test.bus.credentials } : {}),
  };
}

/**
 * A shard's properties (inputs or outputs) in today's shape: no copy of the bus credentials
 * (models ≤ 3 stored them as secrets, top-level `credentials` and `testBus.credentials`); the
 * buses name their secrets (`bus.credentials`). A name the state does not hold comes from `names`
 * (the operator file, or the program's new inputs); without it the upgrade cannot be done here.
 */
export function upgradeBusShard<T extends AnyProps>(
  props: T,
  names?: Partial<BusSecretNames>,
): { props: T & Pick<BusShardState, 'bus' | 'testBus'>; upgraded: Words[] } {
  const upgraded: Words[] = [];
  const out: AnyProps = { ...props };
  const name = (
    endpoint: AnyProps | null | undefined,
    fallback: string | undefined,
    what: Words,
  ): BusEndpoint | null => {
    if (!endpoint) return null;
    const recorded = endpoint.credentials;
    if (typeof recorded === 'string' && !isSecretValue(recorded)) return endpoint as unknown as BusEndpoint;
    if (!fallback) {
      throw new StateUpgradeError(
        `${String(props.contour ?? '')} shard ${String(props.shard ?? '')}: the state predates credentials by reference and does not name the ${what.en}'s secret; ` +
          "run 'prichal refresh --contour <contour>' (or any prichal engine command) once: it names the secrets from operator.yaml, with nothing changed on the bus",
      );
    }
    upgraded.push({
      en: `the ${what.en}'s credentials are read from the secret store by their name '${fallback}'${recorded === undefined ? '' : ' (the copy in the state is dropped)'}`,
      ru: `учётные данные ${what.ru} читаются из хранилища секретов по имени '${fallback}'${recorded === undefined ? '' : ' (копия в состоянии удалена)'}`,
    });
    return { url: String(endpoint.url), vhost: String(endpoint.vhost), credentials: fallback };
  };
  if ('credentials' in out) {
    delete out.credentials;
    if (!upgraded.length)
      upgraded.push({
        en: 'the bus credentials copied into the state are dropped: the provider reads them from the secret store by name',
        ru: 'копия учётных данных шины в состоянии удалена: провайдер читает их из хранилища секретов по имени',
      });
  }
  if (props.bus !== undefined) out.bus = name(props.bus as AnyProps, names?.bus, { en: 'bus', ru: 'шины' });
  if (props.testBus !== undefined)
    out.testBus = name(props.testBus as AnyProps | null, names?.testBus, { en: 'test bus', ru: 'тестовой шины' });
  // The same note twice (the bus and the test bus by one name) is said once.
  const notes = new Map(upgraded.map((u) => [u.en, u]));
  return { props: out as T & Pick<BusShardState, 'bus' | 'testBus'>, upgraded: [...notes.values()] };
}

/** Today's shape of any of the provider's resources; the retired type is named, not guessed at. */
export function upgradeProps<T extends AnyProps>(
  type: string,
  props: T,
  names?: Partial<BusSecretNames>,
): { props: T; upgraded: Words[] } {
  if (type === EDGE_FIREWALL) return upgradeEdgeFirewall(props);
  if (type === BUS_REGISTRATIONS) return upgradeBusShard(props, names);
  if (type === RETIRED_BUS_REGISTRATION) throw new StateUpgradeError(retiredMessage());
  return { props, upgraded: [] };
}

export function retiredMessage(): string {
  return (
    `the state holds ${RETIRED_BUS_REGISTRATION} resources (one per registration, a model before 97d848f) that today's registration shards replace; ` +
    "run 'prichal refresh --contour <contour>' (or any prichal engine command) once: it upgrades the state with nothing changed on the bus"
  );
}

// ---- the checkpoint (deployment) ------------------------------------------------------------

/** One resource of an exported deployment (`pulumi stack export`), as far as the upgrade reads it. */
export interface DeploymentResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  inputs?: AnyProps;
  outputs?: AnyProps;
  parent?: string;
  provider?: string;
  created?: string;
  modified?: string;
  [key: string]: unknown;
}

export interface Deployment {
  resources?: DeploymentResource[];
  [key: string]: unknown;
}

export interface DeploymentUpgrade {
  deployment: Deployment;
  /** What was upgraded, resource by resource (for the run's report). */
  changes: ResourceChange[];
}

/** The URN of a shard in the stack and project a retired resource's URN names (urn:pulumi:<stack>::<project>::<type>::<name>). */
const shardUrn = (sibling: string, contour: ContourName, shard: string) =>
  `${sibling.split('::').slice(0, 2).join('::')}::${BUS_REGISTRATIONS}::bus-${contour}-${shard}`;

/**
 * Upgrades what the provider cannot upgrade resource by resource: model 1's registrations merged
 * into today's shards (each registration into the shard of its mnemonic, with its recorded
 * message types, test status and live differences, so the next preview shows exactly what the
 * plan changes), the names of the bus secrets for shards that do not record them (from the
 * operator file), and — when the stack's gateways are no longer @pulumi/docker's (`gateways`
 * engine, the default, or external) — that module's gateway resources released from the state,
 * their containers and network left running (the gateway shards' create adopts a container
 * running its specification; under external another party keeps them). Everything else — the
 * edge tables' shape, the copies of secrets in shards — the provider upgrades as it reads them.
 * Undefined when there is nothing of this kind to do. Pure: the deployment given is not changed.
 */
export function upgradeDeployment(
  deployment: Deployment,
  contour: ContourName,
  operator: OperatorFile,
  gateways?: GatewayMode,
): DeploymentUpgrade | undefined {
  const all = deployment.resources ?? [];
  const released = gateways === 'pulumi' ? [] : pulumiGateways(all);
  const resources = all.filter((r) => !released.includes(r));
  const names = busSecretNames(operator, contour);
  const retired = resources.filter((r) => r.type === RETIRED_BUS_REGISTRATION);
  const unnamed = resources.filter(
    (r) => r.type === BUS_REGISTRATIONS && [r.inputs, r.outputs].some((p) => p && needsNames(p)),
  );
  if (!retired.length && !unnamed.length && !released.length) return undefined;
  const changes: ResourceChange[] = released.flatMap((r) => releasedChange(r, gateways ?? 'engine'));
  const out: DeploymentResource[] = [];
  const merged = new Map<string, DeploymentResource>();

  for (const r of resources) {
    if (r.type === BUS_REGISTRATIONS && unnamed.includes(r)) {
      const upgraded = {
        ...r,
        ...(r.inputs ? { inputs: withNames(r.inputs, names) } : {}),
        ...(r.outputs ? { outputs: withNames(r.outputs, names) } : {}),
      };
      out.push(upgraded);
      if (typeof r.outputs?.shard === 'string') merged.set(String(r.outputs.shard), upgraded);
      const secrets = [names.bus, names.testBus].filter(Boolean).join(', ');
      changes.push(
        change({
          en: `state: ${nameOf(r.urn)} names its bus secrets (${secrets}); nothing changes on the bus`,
          ru: `состояние: ${nameOf(r.urn)} называет секреты шины (${secrets}); в шине ничего не меняется`,
        }),
      );
      continue;
    }
    if (r.type !== RETIRED_BUS_REGISTRATION) {
      if (r.type === BUS_REGISTRATIONS && typeof r.outputs?.shard === 'string') merged.set(r.outputs.shard, r);
      out.push(r);
      continue;
    }
    const props = (r.outputs ?? r.inputs ?? {}) as AnyProps;
    const registration = props.registration as { participant: string; mnemonic: string; messageTypes: string[] };
    const recordedBus = props.bus as { url: string; vhost: string };
    const recordedTestBus = props.testBus as { url: string; vhost: string } | null;
    const entry: ShardEntry = {
      participant: registration.participant,
      mnemonic: registration.mnemonic,
      messageTypes: [...registration.messageTypes],
      testStatus: (props.testStatus as string | null) ?? null,
    };
    const shard = shardOf(entry.mnemonic);
    const differences = ((props.differences as ResourceChange[] | undefined) ?? []).map((d) => ({
      participant: d.participant ?? entry.participant,
      message: d.message,
      ...(d.ru ? { ru: d.ru } : {}),
    }));
    let target = merged.get(shard);
    if (!target) {
      const bus: BusEndpoint = { url: recordedBus.url, vhost: recordedBus.vhost, credentials: names.bus };
      const testBus: BusEndpoint | null = recordedTestBus
        ? {
            url: recordedTestBus.url,
            vhost: recordedTestBus.vhost,
            credentials: names.testBus ?? operator.contours.test.bus.credentials,
          }
        : null;
      const base = { contour, shard, entries: [] as ShardEntry[], bus, testBus };
      target = {
        urn: shardUrn(r.urn, contour, shard),
        custom: true,
        id: `${bus.vhost}/shard-${shard}`,
        type: BUS_REGISTRATIONS,
        inputs: { ...base, scope: null },
        outputs: { ...base, differences: [] },
        ...(r.parent ? { parent: r.parent } : {}),
        ...(r.provider ? { provider: r.provider } : {}),
        propertyDependencies: { contour: [], shard: [], entries: [], bus: [], testBus: [], scope: [] },
        ...(r.created ? { created: r.created } : {}),
        ...(r.modified ? { modified: r.modified } : {}),
      };
      merged.set(shard, target);
      // The shard takes the place of the first registration it absorbs (after its provider and parent).
      out.push(target);
    }
    const targetBus = (target.outputs!.bus ?? target.inputs!.bus) as BusEndpoint;
    if (targetBus.vhost !== recordedBus.vhost || targetBus.url !== recordedBus.url) {
      throw new StateUpgradeError(
        `${nameOf(r.urn)}: recorded on ${recordedBus.url} vhost ${recordedBus.vhost}, but shard ${shard} already holds registrations on ${targetBus.url} vhost ${targetBus.vhost}`,
      );
    }
    for (const key of ['inputs', 'outputs'] as const) {
      const side = target[key]!;
      const entries = side.entries as ShardEntry[];
      // A registration a shard already holds stays as the shard recorded it (newer than the retired resource).
      if (!entries.some((e) => e.mnemonic === entry.mnemonic)) side.entries = [...entries, entry].sort(byMnemonic);
    }
    if (differences.length)
      target.outputs!.differences = [
        ...((target.outputs!.differences as ResourceChange[] | undefined) ?? []),
        ...differences,
      ];
    changes.push(
      change(
        {
          en: `state: ${nameOf(r.urn)} (one resource per registration, an earlier model) is now held by the shard ${nameOf(target.urn)}; nothing changes on the bus`,
          ru: `состояние: ${nameOf(r.urn)} (ресурс на каждую регистрацию, прежняя модель) теперь в сегменте ${nameOf(target.urn)}; в шине ничего не меняется`,
        },
        entry.participant,
      ),
    );
  }
  return { deployment: { ...deployment, resources: out }, changes };
}

/**
 * The @pulumi/docker gateway resources of a deployment: the components, containers and networks,
 * and the Docker providers no other resource uses once they are gone.
 */
function pulumiGateways(resources: readonly DeploymentResource[]): DeploymentResource[] {
  const types: readonly string[] = [
    PULUMI_GATEWAY_TYPES.component,
    PULUMI_GATEWAY_TYPES.container,
    PULUMI_GATEWAY_TYPES.network,
  ];
  const gateways = resources.filter((r) => types.includes(r.type));
  if (!gateways.length) return [];
  // A provider reference is `<provider urn>::<provider id>`.
  const providerUrn = (ref: unknown) => (typeof ref === 'string' ? ref.slice(0, ref.lastIndexOf('::')) : undefined);
  const used = new Set(resources.filter((r) => !gateways.includes(r)).map((r) => providerUrn(r.provider)));
  const providers = resources.filter((r) => r.type === PULUMI_GATEWAY_TYPES.provider && !used.has(r.urn));
  return [...gateways, ...providers];
}

/** What releasing one @pulumi/docker resource from the state means, for the run's report. */
function releasedChange(r: DeploymentResource, gateways: GatewayMode): ResourceChange[] {
  const name = nameOf(r.urn);
  if (r.type === PULUMI_GATEWAY_TYPES.container) {
    const props = (r.outputs ?? r.inputs ?? {}) as AnyProps;
    const labels = (props.labels as Array<{ label: string; value: string }> | undefined) ?? [];
    const participant = labels.find((l) => l.label === GATEWAY_LABELS.participant)?.value;
    const container = typeof props.name === 'string' ? props.name : name;
    const engine = gateways === 'engine';
    return [
      change(
        {
          en: `state: gateway container ${container} (@pulumi/docker) released from the state, still running: ${
            engine ? 'its gateway shard adopts it as it runs' : 'another party runs it from here (gateways: external)'
          }`,
          ru: `состояние: контейнер шлюза ${container} (@pulumi/docker) исключён из состояния и продолжает работать: ${
            engine ? 'его принимает сегмент шлюзов как есть' : 'дальше им управляет другая сторона (gateways: external)'
          }`,
        },
        participant,
      ),
    ];
  }
  if (r.type === PULUMI_GATEWAY_TYPES.network)
    return [
      change({
        en: `state: gateway network ${name} (@pulumi/docker) released from the state; it stays on the host`,
        ru: `состояние: сеть шлюзов ${name} (@pulumi/docker) исключена из состояния; на хосте она остаётся`,
      }),
    ];
  // The components and the provider are bookkeeping: their containers' lines say it all.
  return [];
}

function needsNames(props: AnyProps): boolean {
  const unnamed = (endpoint: unknown) =>
    !!endpoint &&
    (typeof (endpoint as AnyProps).credentials !== 'string' || isSecretValue((endpoint as AnyProps).credentials));
  return unnamed(props.bus) || unnamed(props.testBus);
}

/**
 * Names the buses' secrets where the state does not (a copy of the test bus's credentials, in
 * `testBus.credentials`, gives way to the name); the top-level copy of the bus credentials is
 * left for the provider to drop as it reads the shard (upgradeBusShard), like every other copy.
 */
function withNames(props: AnyProps, names: BusSecretNames): AnyProps {
  const name = (endpoint: AnyProps | null | undefined, credentials: string | undefined) =>
    endpoint && credentials && (typeof endpoint.credentials !== 'string' || isSecretValue(endpoint.credentials))
      ? { ...endpoint, credentials }
      : endpoint;
  return {
    ...props,
    bus: name(props.bus as AnyProps, names.bus),
    ...(props.testBus !== undefined ? { testBus: name(props.testBus as AnyProps | null, names.testBus) } : {}),
  };
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf('::') + 2);

/** Every place a secret value sits in a deployment's resources (resource URN and property path): empty when credentials go by reference. */
export function secretsInDeployment(deployment: Deployment): string[] {
  const found: string[] = [];
  const walk = (value: unknown, where: string) => {
    if (isSecretValue(value)) found.push(where);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`);
  };
  for (const r of deployment.resources ?? []) {
    walk(r.inputs, `${r.urn} inputs`);
    walk(r.outputs, `${r.urn} outputs`);
  }
  return found;
}

// ---- the retired stack-config path ------------------------------------------------------------

/**
 * The refusal of the retired stack-config path `prichal-secrets:<name>`, or undefined when the
 * stack sets none. Both entry points refuse it: index.ts (a standard `pulumi up`) and
 * `prichal`'s stack settings (stacks/Pulumi.<contour>.yaml).
 */
export function retiredSecretSettings(configKeys: readonly string[], stack: string): string | undefined {
  const keys = configKeys.filter((k) => k.startsWith('prichal-secrets:')).sort();
  if (!keys.length) return undefined;
  const names = keys.map((k) => k.slice('prichal-secrets:'.length));
  return (
    `stack ${stack} sets ${keys.join(', ')}: this path is retired. It copied the secret into the stack's configuration and the state; ` +
    "now resources name their secrets and Prichal's provider reads them from its secret store when it connects " +
    `(${names.map((n) => `${secretVariable(n)} or $PRICHAL_SECRETS_DIR/${n}`).join('; ')}). ` +
    `Put each value there, then remove the setting${keys.length > 1 ? 's' : ''}: ${keys.map((k) => `pulumi config rm ${k} --stack ${stack}`).join('; ')}`
  );
}
