// The regional bus (RabbitMQ management API, built-in fetch). Per contour one vhost; per
// registered participant: a user named by its mnemonic (tag "prichal", no password: participants
// authenticate with certificates), one queue prichal.<MNEMONIC>.in, a binding from the contour
// exchange prichal.smev for each declared message type, and permissions confined to its own
// queue. ensure() converges to the plan, read() returns everything carrying Prichal's naming
// (planned or not), remove() undoes a registration.
import { Gate } from '../concurrency.js';
import type { ContourName } from '../inventory/index.js';
import { cite, productionAllowed } from '../requirements/index.js';
import {
  EXCHANGE,
  plannedPermission,
  queueName,
  USER_TAG,
  type Permission,
  type PlannedRegistration,
} from '../plan/index.js';
import { WordedError } from '../words.js';

export interface Binding {
  queue: string;
  routingKey: string;
}

export interface BusState {
  vhost: string;
  /** Users tagged "prichal" (users are global; those with no permission here are listed too). */
  users: string[];
  /** Permissions in this vhost of users tagged "prichal". */
  permissions: Permission[];
  queues: string[];
  bindings: Binding[];
  exchange: boolean;
  /** Management API requests this read took. */
  requests: number;
}

export class BusError extends Error {
  override readonly name = 'BusError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number | undefined,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`bus ${method} ${path}: ${status === undefined ? '' : `HTTP ${status}: `}${detail}`, options);
  }
}

export class PromotionRefusedError extends WordedError {
  override readonly name = 'PromotionRefusedError';
}

export interface BusTarget {
  url: string;
  vhost: string;
  username: string;
  password: string;
}

/** Tries of a request whose connection fails before an answer, or that times out. */
const CONNECT_ATTEMPTS = 3;
/** How long one try may take, once it is sent. */
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * Requests in flight per broker, for the whole process: every shard of a provider reaches the
 * same management API at once, and 64 shards' requests together time out on a busy broker
 * (measured on the lab with 400 gateways starting) where the same requests queued here do not.
 */
const PER_BROKER = 8;
const gates = new Map<string, Gate>();
const gateOf = (url: string) => {
  const origin = new URL(url).origin;
  let gate = gates.get(origin);
  if (!gate) gates.set(origin, (gate = new Gate(PER_BROKER)));
  return gate;
};

export class BusClient {
  requests = 0;
  private readonly auth: string;

  constructor(private readonly target: BusTarget) {
    // Kept only as the header value; never part of an error or log line.
    this.auth = `Basic ${Buffer.from(`${target.username}:${target.password}`).toString('base64')}`;
  }

  get vhost(): string {
    return this.target.vhost;
  }

  private async call<T>(method: string, path: string, body?: unknown, okMissing = false): Promise<T | undefined> {
    let response: { status: number; ok: boolean; text: string };
    for (let attempt = 1; ; attempt++) {
      this.requests++;
      try {
        // The whole answer is read inside the gate: a slot is free only when the broker is done.
        response = await gateOf(this.target.url).run(async () => {
          const r = await fetch(new URL(`/api${path}`, this.target.url), {
            method,
            headers: { authorization: this.auth, 'content-type': 'application/json' },
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          return { status: r.status, ok: r.ok, text: await r.text() };
        });
        break;
      } catch (error) {
        // A try that failed before an answer (a kept-alive connection the broker closed, a reset
        // or a timeout under load) is made again: every request here is idempotent (GET, PUT,
        // DELETE; a binding POSTed twice is one binding).
        if (attempt >= CONNECT_ATTEMPTS)
          throw new BusError(method, path, undefined, `unreachable (${(error as Error).message})`, { cause: error });
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    }
    if (okMissing && response.status === 404) return undefined;
    if (!response.ok) throw new BusError(method, path, response.status, response.text.slice(0, 300));
    return response.text ? (JSON.parse(response.text) as T) : undefined;
  }

  private v(): string {
    return encodeURIComponent(this.target.vhost);
  }

  async read(): Promise<BusState> {
    const before = this.requests;
    const [users, permissions, queues, exchange, bindings] = await Promise.all([
      this.call<Array<{ name: string; tags: string[] | string }>>('GET', '/users?columns=name,tags'),
      this.call<Permission[]>('GET', `/vhosts/${this.v()}/permissions`),
      this.call<Array<{ name: string }>>('GET', `/queues/${this.v()}?columns=name`),
      this.call<{ name: string }>('GET', `/exchanges/${this.v()}/${encodeURIComponent(EXCHANGE)}`, undefined, true),
      this.call<Array<{ destination: string; destination_type: string; routing_key: string }>>(
        'GET',
        `/exchanges/${this.v()}/${encodeURIComponent(EXCHANGE)}/bindings/source`,
        undefined,
        true,
      ),
    ]);
    const tagged = (users ?? [])
      .filter((u) => (Array.isArray(u.tags) ? u.tags : String(u.tags).split(',')).includes(USER_TAG))
      .map((u) => u.name);
    const taggedSet = new Set(tagged);
    return {
      vhost: this.target.vhost,
      users: tagged.sort(),
      permissions: (permissions ?? [])
        .filter((p) => taggedSet.has(p.user))
        .map(({ user, configure, write, read }) => ({ user, configure, write, read }))
        .sort((a, b) => (a.user < b.user ? -1 : 1)),
      queues: (queues ?? [])
        .map((q) => q.name)
        .filter((n) => n.startsWith('prichal.'))
        .sort(),
      bindings: (bindings ?? [])
        .filter((b) => b.destination_type === 'queue')
        .map((b) => ({ queue: b.destination, routingKey: b.routing_key }))
        .sort((a, b) => (a.queue + a.routingKey < b.queue + b.routingKey ? -1 : 1)),
      exchange: exchange !== undefined,
      requests: this.requests - before,
    };
  }

  /**
   * What this vhost holds of one registration only (its user, permission, queue and the queue's
   * bindings from the exchange), in the shape of read(): five small requests whatever the size
   * of the vhost, so the engine's per-registration reads stay constant at 10,000 participants.
   */
  async readRegistration(mnemonic: string): Promise<BusState> {
    const before = this.requests;
    const q = encodeURIComponent(queueName(mnemonic));
    const [user, permission, queue, exchange, bindings] = await Promise.all([
      this.call<{ name: string; tags: string[] | string }>(
        'GET',
        `/users/${encodeURIComponent(mnemonic)}`,
        undefined,
        true,
      ),
      this.call<Permission>('GET', `/permissions/${this.v()}/${encodeURIComponent(mnemonic)}`, undefined, true),
      this.call<{ name: string }>('GET', `/queues/${this.v()}/${q}?columns=name`, undefined, true),
      this.call<{ name: string }>('GET', `/exchanges/${this.v()}/${encodeURIComponent(EXCHANGE)}`, undefined, true),
      this.call<Array<{ source: string; routing_key: string }>>(
        'GET',
        `/queues/${this.v()}/${q}/bindings`,
        undefined,
        true,
      ),
    ]);
    const tagged =
      user !== undefined && (Array.isArray(user.tags) ? user.tags : String(user.tags).split(',')).includes(USER_TAG);
    return {
      vhost: this.target.vhost,
      users: tagged ? [mnemonic] : [],
      permissions:
        tagged && permission
          ? [{ user: mnemonic, configure: permission.configure, write: permission.write, read: permission.read }]
          : [],
      queues: queue ? [queue.name] : [],
      bindings: (bindings ?? [])
        .filter((b) => b.source === EXCHANGE)
        .map((b) => ({ queue: queueName(mnemonic), routingKey: b.routing_key }))
        .sort((a, b) => (a.routingKey < b.routingKey ? -1 : 1)),
      exchange: exchange !== undefined,
      requests: this.requests - before,
    };
  }

  /** Creates or corrects one participant's registration in this vhost; idempotent. */
  async ensure(
    registration: Pick<PlannedRegistration, 'mnemonic' | 'messageTypes'>,
    current?: BusState,
  ): Promise<void> {
    const state = current ?? (await this.read());
    const m = registration.mnemonic;
    const queue = queueName(m);
    if (!state.exchange)
      await this.call('PUT', `/exchanges/${this.v()}/${encodeURIComponent(EXCHANGE)}`, {
        type: 'topic',
        durable: true,
        auto_delete: false,
        internal: false,
        arguments: {},
      });
    if (!state.users.includes(m))
      await this.call('PUT', `/users/${encodeURIComponent(m)}`, { password_hash: '', tags: USER_TAG });
    const permission = plannedPermission(m);
    const live = state.permissions.find((p) => p.user === m);
    if (
      !live ||
      live.configure !== permission.configure ||
      live.write !== permission.write ||
      live.read !== permission.read
    ) {
      await this.call('PUT', `/permissions/${this.v()}/${encodeURIComponent(m)}`, {
        configure: permission.configure,
        write: permission.write,
        read: permission.read,
      });
    }
    if (!state.queues.includes(queue))
      await this.call('PUT', `/queues/${this.v()}/${encodeURIComponent(queue)}`, {
        durable: true,
        auto_delete: false,
        arguments: {},
      });
    const have = new Set(state.bindings.filter((b) => b.queue === queue).map((b) => b.routingKey));
    const want = new Set(registration.messageTypes);
    for (const key of want) {
      if (!have.has(key))
        await this.call(
          'POST',
          `/bindings/${this.v()}/e/${encodeURIComponent(EXCHANGE)}/q/${encodeURIComponent(queue)}`,
          { routing_key: key, arguments: {} },
        );
    }
    for (const key of have) {
      // A binding's "properties key" is its routing key, escaped, when it has no arguments.
      if (!want.has(key))
        await this.call(
          'DELETE',
          `/bindings/${this.v()}/e/${encodeURIComponent(EXCHANGE)}/q/${encodeURIComponent(queue)}/${encodeURIComponent(key.replace(/%/g, '%25'))}`,
          undefined,
          true,
        );
    }
  }

  /** Removes one participant's queue and permission here; the user goes when no vhost grants it anything. */
  async remove(mnemonic: string): Promise<void> {
    await this.call('DELETE', `/queues/${this.v()}/${encodeURIComponent(queueName(mnemonic))}`, undefined, true);
    await this.call('DELETE', `/permissions/${this.v()}/${encodeURIComponent(mnemonic)}`, undefined, true);
    const remaining = await this.call<unknown[]>(
      'GET',
      `/users/${encodeURIComponent(mnemonic)}/permissions`,
      undefined,
      true,
    );
    if (remaining !== undefined && remaining.length === 0)
      await this.call('DELETE', `/users/${encodeURIComponent(mnemonic)}`, undefined, true);
  }
}

/** One way a participant's live registration differs from the plan (drift and the engine's refresh both use it). */
export interface RegistrationDifference {
  kind: 'user' | 'permission' | 'queue' | 'binding';
  message: string;
  /** The message in Russian (the engine's refresh prints it). */
  ru: string;
  evidence: string;
}

/** A vhost's state indexed by name, so checking n registrations costs O(n), not O(n²). */
export interface BusIndex {
  users: Set<string>;
  permissions: Map<string, Permission>;
  queues: Set<string>;
  routingKeys: Map<string, Set<string>>;
}

export function indexBusState(state: BusState): BusIndex {
  const routingKeys = new Map<string, Set<string>>();
  for (const b of state.bindings)
    (routingKeys.get(b.queue) ?? routingKeys.set(b.queue, new Set()).get(b.queue)!).add(b.routingKey);
  return {
    users: new Set(state.users),
    permissions: new Map(state.permissions.map((p) => [p.user, p])),
    queues: new Set(state.queues),
    routingKeys,
  };
}

/** What a vhost holds of one registration compared with the plan; empty when it matches. */
export function registrationDifferences(
  r: Pick<PlannedRegistration, 'mnemonic' | 'messageTypes'>,
  state: BusState,
  index: BusIndex = indexBusState(state),
): RegistrationDifference[] {
  const out: RegistrationDifference[] = [];
  const queue = queueName(r.mnemonic);
  if (!index.users.has(r.mnemonic))
    out.push({
      kind: 'user',
      message: `user ${r.mnemonic} is missing`,
      ru: `пользователя ${r.mnemonic} нет`,
      evidence: 'GET /api/users',
    });
  const want = plannedPermission(r.mnemonic);
  const have = index.permissions.get(r.mnemonic);
  if (!have)
    out.push({
      kind: 'permission',
      message: `${r.mnemonic} has no permission in ${state.vhost}`,
      ru: `у ${r.mnemonic} нет прав в ${state.vhost}`,
      evidence: `GET /api/vhosts/${state.vhost}/permissions`,
    });
  else if (have.configure !== want.configure || have.write !== want.write || have.read !== want.read) {
    out.push({
      kind: 'permission',
      message: `permission of ${r.mnemonic} is not confined to its own queue`,
      ru: `права ${r.mnemonic} не ограничены его собственной очередью`,
      evidence: `configure ${have.configure}, write ${have.write}, read ${have.read}; planned configure ${want.configure}, write ${want.write}, read ${want.read}`,
    });
  }
  if (!index.queues.has(queue))
    out.push({
      kind: 'queue',
      message: `queue ${queue} is missing`,
      ru: `очереди ${queue} нет`,
      evidence: `GET /api/queues/${state.vhost}`,
    });
  const keys = index.routingKeys.get(queue) ?? new Set<string>();
  for (const t of r.messageTypes)
    if (!keys.has(t))
      out.push({
        kind: 'binding',
        message: `binding for ${t} is missing`,
        ru: `нет привязки для ${t}`,
        evidence: `bindings of ${queue}: ${[...keys].join(', ') || 'none'}`,
      });
  for (const k of keys)
    if (!r.messageTypes.includes(k))
      out.push({
        kind: 'binding',
        message: `binding for undeclared message type ${k}`,
        ru: `привязка незаявленного вида сведений ${k}`,
        evidence: `binding ${EXCHANGE} → ${queue} ${k}`,
      });
  return out;
}

/**
 * Production registration only after a tested test registration (Регламент ПУ ТО, п. 4.6): the
 * inventory must say `tested` and the test contour must really hold the registration.
 */
export function assertPromotable(
  contour: ContourName,
  mnemonic: string,
  testStatus: string | undefined,
  testState: BusState | undefined,
): void {
  if (contour !== 'prod') return;
  if (!productionAllowed(testStatus))
    throw new PromotionRefusedError({
      en: `refusing to register ${mnemonic} in prod: its test registration is ${testStatus ? `'${testStatus}'` : 'absent'}, not 'tested' (${cite('portal', '4.6')})`,
      ru: `${mnemonic} не регистрируется в промышленном контуре: тестовая регистрация ${testStatus ? `в статусе '${testStatus}'` : 'отсутствует'}, а не 'tested' (${cite('portal', '4.6')})`,
    });
  if (testState && !testState.permissions.some((p) => p.user === mnemonic)) {
    throw new PromotionRefusedError({
      en: `refusing to register ${mnemonic} in prod: the test contour (${testState.vhost}) holds no registration for it`,
      ru: `${mnemonic} не регистрируется в промышленном контуре: в тестовом контуре (${testState.vhost}) его регистрации нет`,
    });
  }
}
