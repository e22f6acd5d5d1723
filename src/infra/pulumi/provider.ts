// The provider behind Prichal's resource types (resources.ts), served to the engine by
// `pulumi-resource-prichal` (provider-main.ts). Each method is a thin adapter over the same
// infra functions the stateless commands use (`firewall apply`, `bus ensure`):
//   create  — applies; tolerates objects that already exist (the apply converges, it never
//             assumes a blank host), so a re-run after an interrupted update ends converged;
//   read    — reads the live object and records how it differs from the plan (refresh shows a
//             hand edit as an update, and the next up undoes it); an object that is gone
//             returns no id, so refresh drops it and up creates it again;
//   diff    — the pure change functions of resources.ts;
//   delete  — removes exactly Prichal's object and is idempotent.
// Secrets arrive wrapped (the engine marks them); they are unwrapped only to open a connection
// and returned wrapped, so the state keeps them encrypted.
import type * as pulumi from '@pulumi/pulumi';
import type * as provider from '@pulumi/pulumi/provider/index.js';
import { BusClient, assertPromotable, registrationDifferences, type BusState } from '../bus.js';
import { withEdge } from '../edges.js';
import { applyEdgeFirewall, readTable, removeEdgeFirewall } from '../firewall.js';
import { compareTables, plannedTable } from '../../render/index.js';
import {
  BUS_REGISTRATION,
  EDGE_FIREWALL,
  busRegistrationChanges,
  busRegistrationReplaces,
  edgeFirewallChanges,
  elementOwners,
  type BusEndpoint,
  type BusRegistrationInputs,
  type BusRegistrationState,
  type EdgeFirewallInputs,
  type EdgeFirewallState,
  type ResourceChange,
} from './resources.js';

/** The engine's marker of a secret value (`specialSigKey` / `secretSig` of the SDK's rpc module). */
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

type Wrapped<T> = T | { [SIG_KEY]: string; value: T };

function reveal<T>(value: Wrapped<T>): T {
  return value !== null && typeof value === 'object' && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG ? (value as { value: T }).value : (value as T);
}

function secret<T>(value: Wrapped<T>): Wrapped<T> {
  return { [SIG_KEY]: SECRET_SIG, value: reveal(value) };
}

/** The type token is the last-but-one segment of a URN: urn:pulumi:<stack>::<project>::<type>::<name>. */
function typeOf(urn: string): string {
  const parts = urn.split('::');
  const type = parts[parts.length - 2] ?? '';
  if (type !== EDGE_FIREWALL && type !== BUS_REGISTRATION) throw new Error(`prichal provider: unknown resource type '${type}'`);
  return type;
}

// ---- edge firewall -------------------------------------------------------------------------

async function applyEdge(inputs: EdgeFirewallInputs): Promise<EdgeFirewallState> {
  await withEdge(inputs.edge, (conn) => applyEdgeFirewall(conn, inputs.edge), {}, reveal(inputs.privateKey));
  return { edge: inputs.edge, privateKey: secret(inputs.privateKey) as string, differences: [] };
}

async function readEdge(props: EdgeFirewallState): Promise<EdgeFirewallState | undefined> {
  const live = await withEdge(props.edge, readTable, {}, reveal(props.privateKey));
  if (!live) return undefined;
  const owners = elementOwners(props.edge);
  const differences: ResourceChange[] = compareTables(plannedTable(props.edge), live).map((d) => {
    const participant = d.element ? owners.get(d.element) : undefined;
    return { ...(participant ? { participant } : {}), message: d.message };
  });
  return { ...props, privateKey: secret(props.privateKey) as string, differences };
}

// ---- bus registration ----------------------------------------------------------------------

function busClient(bus: BusEndpoint, wrappedCredentials: Wrapped<string>): BusClient {
  const credentials = reveal(wrappedCredentials);
  const colon = credentials.indexOf(':');
  if (colon <= 0) throw new Error(`bus credentials for ${bus.vhost} must have the form user:password`);
  return new BusClient({ url: bus.url, vhost: bus.vhost, username: credentials.slice(0, colon), password: credentials.slice(colon + 1) });
}

function withSecrets(inputs: BusRegistrationInputs): BusRegistrationInputs {
  return { ...inputs, credentials: secret(inputs.credentials) as string, testBus: inputs.testBus ? { ...inputs.testBus, credentials: secret(inputs.testBus.credentials) as string } : null };
}

async function applyRegistration(inputs: BusRegistrationInputs): Promise<BusRegistrationState> {
  const m = inputs.registration.mnemonic;
  const testState: BusState | undefined = inputs.testBus ? await busClient(inputs.testBus, inputs.testBus.credentials).readRegistration(m) : undefined;
  if (inputs.contour === 'prod' && !testState) throw new Error(`prod registration of ${inputs.registration.mnemonic} without the test bus to check it against`);
  assertPromotable(inputs.contour, m, inputs.testStatus ?? undefined, testState);
  const client = busClient(inputs.bus, inputs.credentials);
  await client.ensure(inputs.registration, await client.readRegistration(m));
  return { ...withSecrets(inputs), differences: [] };
}

async function readRegistration(props: BusRegistrationState): Promise<BusRegistrationState | undefined> {
  const state = await busClient(props.bus, props.credentials).readRegistration(props.registration.mnemonic);
  const m = props.registration.mnemonic;
  const differences = registrationDifferences(props.registration, state);
  // Nothing of it left at all: the registration is gone (refresh drops it; up creates it again).
  if (differences.some((d) => d.kind === 'user') && differences.some((d) => d.kind === 'queue') && !state.permissions.some((p) => p.user === m)) return undefined;
  return { ...props, ...withSecrets(props), differences: differences.map((d) => ({ participant: props.registration.participant, message: d.message })) };
}

// ---- the provider --------------------------------------------------------------------------

function idOf(type: string, inputs: EdgeFirewallInputs | BusRegistrationInputs): string {
  return type === EDGE_FIREWALL ? (inputs as EdgeFirewallInputs).edge.id : `${(inputs as BusRegistrationInputs).bus.vhost}/${(inputs as BusRegistrationInputs).registration.mnemonic}`;
}

export function prichalProvider(version: string): provider.Provider {
  return {
    version,
    async diff(_id: pulumi.ID, urn: pulumi.URN, olds: EdgeFirewallState | BusRegistrationState, news: EdgeFirewallInputs | BusRegistrationInputs) {
      if (typeOf(urn) === EDGE_FIREWALL) {
        const changes = edgeFirewallChanges(olds as EdgeFirewallState, news as EdgeFirewallInputs);
        const keyChanged = reveal((olds as EdgeFirewallState).privateKey) !== reveal((news as EdgeFirewallInputs).privateKey);
        return { changes: changes.length > 0 || keyChanged };
      }
      const replaces = busRegistrationReplaces(olds as BusRegistrationState, news as BusRegistrationInputs);
      const changes = busRegistrationChanges(olds as BusRegistrationState, news as BusRegistrationInputs);
      const credentialsChanged = reveal((olds as BusRegistrationState).credentials) !== reveal((news as BusRegistrationInputs).credentials);
      return { changes: changes.length > 0 || replaces.length > 0 || credentialsChanged, replaces, deleteBeforeReplace: replaces.length > 0 };
    },
    async create(urn: pulumi.URN, inputs: EdgeFirewallInputs | BusRegistrationInputs) {
      const type = typeOf(urn);
      const outs = type === EDGE_FIREWALL ? await applyEdge(inputs as EdgeFirewallInputs) : await applyRegistration(inputs as BusRegistrationInputs);
      return { id: idOf(type, inputs), outs };
    },
    async update(_id: pulumi.ID, urn: pulumi.URN, _olds: unknown, news: EdgeFirewallInputs | BusRegistrationInputs) {
      return { outs: typeOf(urn) === EDGE_FIREWALL ? await applyEdge(news as EdgeFirewallInputs) : await applyRegistration(news as BusRegistrationInputs) };
    },
    async read(id: pulumi.ID, urn: pulumi.URN, props?: EdgeFirewallState | BusRegistrationState) {
      if (!props) throw new Error(`prichal provider: import is not supported (${urn}); run 'prichal up'`);
      const live = typeOf(urn) === EDGE_FIREWALL ? await readEdge(props as EdgeFirewallState) : await readRegistration(props as BusRegistrationState);
      return live ? { id, props: live } : { id: '', props: {} };
    },
    async delete(_id: pulumi.ID, urn: pulumi.URN, props: EdgeFirewallState | BusRegistrationState) {
      if (typeOf(urn) === EDGE_FIREWALL) {
        const e = props as EdgeFirewallState;
        await withEdge(e.edge, removeEdgeFirewall, {}, reveal(e.privateKey));
      } else {
        const r = props as BusRegistrationState;
        await busClient(r.bus, r.credentials).remove(r.registration.mnemonic);
      }
    },
  };
}
