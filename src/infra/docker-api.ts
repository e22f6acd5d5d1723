// The Docker Engine API on the hosts gateways run on: the local socket, or `ssh://user@host:port`
// with the host key pinned like the edges' and the private key taken from the secret store by
// name. Through dockerode, the maintained Node client of the Engine API: answers are the API's
// own JSON and errors its status codes, never the docker CLI's text, and neither side needs a
// docker CLI. Over SSH one connection per host carries every request, each HTTP connection a
// channel forwarded to the host's Docker socket (OpenSSH's streamlocal forwarding, on by
// default): no process starts on the host per request (docker-modem's own ssh transport opens a
// new connection per request and runs the docker CLI there).
import http from 'node:http';
import { type Duplex, PassThrough, type Readable } from 'node:stream';
import Docker from 'dockerode';
import { Client, type ClientChannel } from 'ssh2';
import { GATEWAY_TMPFS_OPTIONS, healthShellCommand, type GatewaySpec } from '../render/index.js';
import type { HostSsh } from './edges.js';
import { readSecret } from './secrets.js';
import { fingerprint, HANDSHAKE_TIMEOUT_MS, SshError } from './ssh.js';

/** Where the Docker socket listens when an endpoint does not say. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** A Docker host's Engine API: its own socket, or a socket reached over SSH. */
export type DockerEndpoint = { kind: 'socket'; socketPath: string } | { kind: 'ssh'; ssh: HostSsh; socketPath: string };

/** An endpoint Prichal cannot use (a scheme other than unix:// and ssh://, an ssh:// host without its pinned key). */
export class DockerEndpointError extends Error {
  override readonly name = 'DockerEndpointError';
}

/** An Engine API call that failed: which host, what was asked, the HTTP status if any; the client's error is the cause. */
export class DockerApiError extends Error {
  override readonly name = 'DockerApiError';
  constructor(
    readonly host: string,
    readonly operation: string,
    readonly statusCode: number | undefined,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`Docker host ${host}: ${operation} failed: ${message}`, options);
  }
}

/**
 * `unix:///path/to/docker.sock`, or `ssh://user@host[:port][/path/to/docker.sock]` with the
 * host key it must present and the name of the secret holding the private key to log in with.
 * tcp:// is refused: it would carry the Engine API, root on that host, without authentication.
 */
export function parseDockerEndpoint(endpoint: string, pin?: { hostKey: string; credentials: string }): DockerEndpoint {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    throw new DockerEndpointError(`'${endpoint}' is not a Docker endpoint URL`, { cause: error });
  }
  // Said without quoting the endpoint, which holds the password.
  if (url.password)
    throw new DockerEndpointError(
      'a Docker endpoint carries no password: SSH logs in with a key from the secret store',
    );
  const socketPath = url.pathname && url.pathname !== '/' ? decodeURIComponent(url.pathname) : DEFAULT_DOCKER_SOCKET;
  if (url.protocol === 'unix:') return { kind: 'socket', socketPath };
  if (url.protocol !== 'ssh:')
    throw new DockerEndpointError(`Docker endpoint ${endpoint}: only unix:// and ssh:// endpoints are supported`);
  if (!url.username || !url.hostname)
    throw new DockerEndpointError(`Docker endpoint ${endpoint}: an ssh:// endpoint names its user and host`);
  if (!pin?.hostKey || !pin.credentials)
    throw new DockerEndpointError(
      `Docker endpoint ${endpoint}: an ssh:// endpoint needs the host key it must present and the credentials to log in with`,
    );
  const ssh: HostSsh = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 22,
    user: decodeURIComponent(url.username),
    hostKey: pin.hostKey,
    credentials: pin.credentials,
  };
  return { kind: 'ssh', ssh, socketPath };
}

/** How an endpoint is named in messages: never with a key, pinned or private. */
export function endpointLabel(endpoint: DockerEndpoint): string {
  if (endpoint.kind === 'socket') return `unix://${endpoint.socketPath}`;
  const { user, host, port } = endpoint.ssh;
  return `ssh://${user}@${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Whether the host key a server presents (the raw key blob) is the pinned one. The pin is the
 * SHA-256 fingerprint as `ssh-keygen -lf` prints it (`SHA256:…`), or the public key itself as a
 * known_hosts or .pub line (`ssh-ed25519 AAAA… [comment]`).
 */
export function hostKeyMatches(pinned: string, presented: Buffer): boolean {
  const pin = pinned.trim();
  if (pin.startsWith('SHA256:')) return fingerprint(presented) === pin;
  const blob = pin.split(/\s+/).find((field) => field.startsWith('AAAA'));
  return blob !== undefined && Buffer.from(blob, 'base64').equals(presented);
}

export interface DockerConnectOptions {
  /** The private key; read from the secret store by the endpoint's credentials name when not given. */
  privateKey?: string;
  connectTimeoutMs?: number;
  /** HTTP connections (SSH channels) open at once to one host. */
  maxConnections?: number;
}

/** Why an SSH connection to a Docker host failed, from what ssh2 reported. */
function sshFailure(
  ssh: HostSsh,
  label: string,
  error: Error & { level?: string },
  refusedKey: string | undefined,
  timeoutMs: number,
): SshError {
  const host = `Docker host ${label}`;
  if (refusedKey !== undefined)
    return new SshError(
      'host-key-mismatch',
      label,
      `refusing ${host}: the SSH host key it presents (${refusedKey}) is not the one pinned for it`,
      { cause: error },
    );
  if (error.level === 'client-authentication')
    return new SshError('auth', label, `${host} refused the key for user ${ssh.user}`, { cause: error });
  if (/timed out/i.test(error.message))
    return new SshError('timeout', label, `${host}: no SSH handshake within ${timeoutMs} ms`, { cause: error });
  return new SshError('connect', label, `${host}: ${error.message}`, { cause: error });
}

/** Opens the SSH connection, refusing a host whose key is not the pinned one. */
function connectSsh(ssh: HostSsh, label: string, privateKey: string, timeoutMs: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    // Set only when the host's key is refused.
    let refusedKey: string | undefined;
    // ssh2 may report more than one error; the first settles the promise, later ones reach the channels.
    client
      .on('error', (error) => {
        client.end();
        reject(sshFailure(ssh, label, error, refusedKey, timeoutMs));
      })
      .once('ready', () => {
        // Many small requests: Nagle's algorithm would hold each answer back.
        client.setNoDelay(true);
        resolve(client);
      });
    try {
      client.connect({
        host: ssh.host,
        port: ssh.port,
        username: ssh.user,
        privateKey,
        readyTimeout: timeoutMs,
        keepaliveInterval: 5_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          if (hostKeyMatches(ssh.hostKey, key)) return true;
          refusedKey = fingerprint(key);
          return false;
        },
      });
    } catch (error) {
      // A key ssh2 cannot parse is thrown, not emitted; say which secret, never its content.
      reject(
        new SshError('auth', label, `Docker host ${label}: the private key '${ssh.credentials}' cannot be used`, {
          cause: error,
        }),
      );
    }
  });
}

/**
 * An ssh2 channel standing in for a TCP socket under Node's HTTP client, which may call these
 * socket methods; a channel has no timers or Nagle's algorithm of its own (the SSH connection has).
 */
function channelAsSocket(channel: ClientChannel): Duplex {
  const noop = () => channel;
  return Object.assign(channel, { setTimeout: noop, setNoDelay: noop, setKeepAlive: noop, ref: noop, unref: noop });
}

/** HTTP connections over one SSH connection, each a channel forwarded to the host's Docker socket. */
class SshSocketAgent extends http.Agent {
  constructor(
    private readonly client: Client,
    private readonly socketPath: string,
    private readonly label: string,
    maxSockets: number,
  ) {
    super({ keepAlive: false, maxSockets });
  }

  override createConnection(
    _options: http.ClientRequestArgs,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): undefined {
    // Node's own agents report a failure with the error alone.
    const refuse = callback as ((error: Error) => void) | undefined;
    const unreachable = (error: Error) =>
      refuse?.(
        new SshError('connect', this.label, `Docker host ${this.label}: cannot reach ${this.socketPath}`, {
          cause: error,
        }),
      );
    try {
      this.client.openssh_forwardOutStreamLocal(this.socketPath, (error, channel) => {
        if (error) return unreachable(error);
        callback?.(null, channelAsSocket(channel));
      });
    } catch (error) {
      // ssh2 throws ("Not connected") rather than calling back once the connection is gone — as
      // when the agent reuses its slot for a queued request after the host dropped the connection.
      unreachable(error instanceof Error ? error : new Error(String(error)));
    }
    return undefined;
  }
}

/** The Docker status code of a dockerode error, if it has one. */
const statusOf = (error: unknown): number | undefined =>
  typeof (error as { statusCode?: unknown })?.statusCode === 'number'
    ? (error as { statusCode: number }).statusCode
    : undefined;

/** Docker's own message (`{"message": …}`) when it answered, else the client's. */
function messageOf(error: unknown): string {
  const json = (error as { json?: { message?: unknown } })?.json;
  if (json && typeof json.message === 'string') return `HTTP ${statusOf(error)}: ${json.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Runs `operation` on a host, turning the client's failure into a DockerApiError that keeps it as its cause. */
async function apiCall<T>(host: string, operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DockerApiError || error instanceof SshError) throw error;
    throw new DockerApiError(host, operation, statusOf(error), messageOf(error), { cause: error });
  }
}

/** A labelled container as the listing shows it (the API's own fields). */
export type ContainerSummary = Docker.ContainerInfo;
export type ContainerDetails = Docker.ContainerInspectInfo;

/** One Docker host's Engine API, for as long as it is open. */
export class DockerHost {
  private constructor(
    readonly label: string,
    readonly api: Docker,
    private readonly onClose: () => void,
  ) {}

  static async connect(endpoint: DockerEndpoint, options: DockerConnectOptions = {}): Promise<DockerHost> {
    const label = endpointLabel(endpoint);
    if (endpoint.kind === 'socket')
      // host: undefined, so that a DOCKER_HOST in the environment does not override the endpoint.
      return new DockerHost(label, new Docker({ socketPath: endpoint.socketPath, host: undefined }), () => {});
    const privateKey = options.privateKey ?? (await readSecret(endpoint.ssh.credentials));
    const client = await connectSsh(endpoint.ssh, label, privateKey, options.connectTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);
    const agent = new SshSocketAgent(client, endpoint.socketPath, label, options.maxConnections ?? 16);
    // The host name is only what the HTTP requests say in their Host header: the agent does the
    // connecting (docker-modem takes an agent; its types do not say so).
    const modem: Docker.DockerOptions & { agent: http.Agent } = { protocol: 'http', host: 'docker', port: 80, agent };
    const api = new Docker(modem);
    return new DockerHost(label, api, () => {
      agent.destroy();
      client.end();
    });
  }

  private call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return apiCall(this.label, operation, work);
  }

  /** Like call(), but a 404 (no such container or image) is `undefined`, not an error. */
  private async optional<T>(operation: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.call(operation, work);
    } catch (error) {
      if (error instanceof DockerApiError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /** The Engine's version: an answer proves the API is reachable. */
  version(): Promise<Docker.DockerVersion> {
    return this.call('version', () => this.api.version());
  }

  /** Containers, running or not, carrying every label given (`key: value`, or `key: true` for any value). */
  listContainers(labels: Readonly<Record<string, string | true>>): Promise<ContainerSummary[]> {
    const label = Object.entries(labels).map(([k, v]) => (v === true ? k : `${k}=${v}`));
    return this.call(`list containers labelled ${label.join(', ')}`, () =>
      this.api.listContainers({ all: true, filters: { label } }),
    );
  }

  /** A container's inspection, or undefined when there is none by that name or id. */
  inspectContainer(name: string): Promise<ContainerDetails | undefined> {
    return this.optional(`inspect container ${name}`, () => this.api.getContainer(name).inspect());
  }

  /** Creates the gateway's container from its specification and starts it; returns the container id. */
  async createGateway(spec: GatewaySpec, extraLabels: Record<string, string> = {}): Promise<string> {
    const id = await this.createGatewayUnlessNamed(spec, extraLabels);
    if (id === undefined)
      throw new DockerApiError(this.label, `create container ${spec.name}`, 409, 'a container of that name exists');
    return id;
  }

  /**
   * Like createGateway, but when a container already has the name (the engine's 409) nothing is
   * created and the answer is undefined: the caller decides what to make of the one there.
   */
  async createGatewayUnlessNamed(
    spec: GatewaySpec,
    extraLabels: Record<string, string> = {},
  ): Promise<string | undefined> {
    let container: Docker.Container;
    try {
      container = await this.call(`create container ${spec.name}`, () =>
        this.api.createContainer(gatewayCreateOptions(spec, extraLabels)),
      );
    } catch (error) {
      if (error instanceof DockerApiError && error.statusCode === 409) return undefined;
      throw error;
    }
    await this.call(`start container ${spec.name}`, () => container.start());
    return container.id;
  }

  /** Removes a container, running or not, and its anonymous volumes; true if there was one. */
  async removeContainer(name: string): Promise<boolean> {
    const removed = await this.optional(`remove container ${name}`, () =>
      this.api.getContainer(name).remove({ force: true, v: true }),
    );
    return removed !== undefined;
  }

  /** The image's id (`sha256:…`, the digest of its configuration: the same on every host holding it), or undefined. */
  async imageId(name: string): Promise<string | undefined> {
    return (await this.optional(`inspect image ${name}`, () => this.api.getImage(name).inspect()))?.Id;
  }

  /**
   * Runs a command inside a running container (as its own user) and returns what it wrote to
   * stdout and its exit code; stopped after `timeoutMs` (the container's process is left alone).
   */
  async exec(
    container: string,
    command: readonly string[],
    timeoutMs: number,
  ): Promise<{ stdout: string; exitCode: number }> {
    const operation = `exec in container ${container}`;
    const exec = await this.call(operation, () =>
      this.api.getContainer(container).exec({ Cmd: [...command], AttachStdout: true, AttachStderr: true }),
    );
    const stream = await this.call(operation, () => exec.start({ hijack: true, stdin: false }));
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The stream multiplexes stdout and stderr (no TTY); stderr is not kept.
    this.api.modem.demuxStream(stream, stdout, new PassThrough().resume());
    await this.call(
      operation,
      () =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            stream.destroy();
            reject(new Error(`no end within ${timeoutMs} ms`));
          }, timeoutMs);
          const done = (error?: Error) => {
            clearTimeout(timer);
            error ? reject(error) : resolve();
          };
          stream.on('end', () => done());
          stream.on('close', () => done());
          stream.on('error', done);
        }),
    );
    const { ExitCode } = await this.call(operation, () => exec.inspect());
    return { stdout: Buffer.concat(chunks).toString('utf8'), exitCode: ExitCode ?? -1 };
  }

  close(): void {
    this.onClose();
  }
}

/** Opens a host, hands it to `work`, and closes it whatever happens. */
export async function withDockerHost<T>(
  endpoint: DockerEndpoint,
  work: (host: DockerHost) => Promise<T>,
  options: DockerConnectOptions = {},
): Promise<T> {
  const host = await DockerHost.connect(endpoint, options);
  try {
    return await work(host);
  } finally {
    host.close();
  }
}

/** Nanoseconds, the unit of the API's health check durations. */
const seconds = (s: number) => s * 1_000_000_000;

/**
 * The Engine API's create options for a gateway, from its specification: the health check as a
 * CMD-SHELL test (what `docker run --health-cmd` makes of it), so that a container is the same
 * whether this or an external provisioner's `docker run` started it.
 */
export function gatewayCreateOptions(
  spec: GatewaySpec,
  extraLabels: Record<string, string> = {},
): Docker.ContainerCreateOptions {
  const s = spec.security;
  return {
    name: spec.name,
    Image: spec.image,
    Cmd: [...spec.command],
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    User: s.user,
    Labels: { ...spec.labels, ...extraLabels },
    Healthcheck: {
      Test: ['CMD-SHELL', healthShellCommand(spec)],
      Interval: seconds(spec.healthcheck.intervalSeconds),
      Timeout: seconds(spec.healthcheck.timeoutSeconds),
      Retries: spec.healthcheck.retries,
      StartPeriod: seconds(spec.healthcheck.startPeriodSeconds),
    },
    HostConfig: {
      NetworkMode: spec.network,
      Privileged: s.privileged,
      ReadonlyRootfs: s.readOnlyRootFilesystem,
      Tmpfs: Object.fromEntries(s.tmpfs.map((t) => [t, GATEWAY_TMPFS_OPTIONS])),
      CapDrop: [...s.capDrop],
      CapAdd: [...s.capAdd],
      Sysctls: { ...s.sysctls },
      RestartPolicy: { Name: spec.restart },
    },
    NetworkingConfig: { EndpointsConfig: { [spec.network]: { IPAMConfig: { IPv4Address: spec.address } } } },
  };
}

/** What one delivery moved. */
export interface ImageDelivery {
  image: string;
  id: string;
  /** false: the target held the image with this id already, nothing was sent. */
  delivered: boolean;
  bytes: number;
  ms: number;
}

/**
 * Brings an image from one host to another through the Engine API (no registry needed): the
 * source exports it (`GET /images/{name}/get`), the target loads the stream (`POST
 * /images/load`), then the target's image id must equal the source's. Skipped when the target
 * already holds the image with the source's id.
 */
export async function deliverImage(source: DockerHost, target: DockerHost, image: string): Promise<ImageDelivery> {
  const started = performance.now();
  const id = await source.imageId(image);
  if (!id) throw new DockerApiError(source.label, `export image ${image}`, 404, 'no such image on the source host');
  if ((await target.imageId(image)) === id) return { image, id, delivered: false, bytes: 0, ms: 0 };
  let bytes = 0;
  const counted = new PassThrough();
  counted.on('data', (chunk: Buffer) => void (bytes += chunk.length));
  const exported = (await apiCall(source.label, `export image ${image}`, () =>
    source.api.getImage(image).get(),
  )) as Readable;
  exported.on('error', (error: Error) => counted.destroy(error));
  exported.pipe(counted);
  try {
    await apiCall(target.label, `load image ${image}`, async () => {
      const answer = await target.api.loadImage(counted);
      // The load answers with a stream of JSON messages; a failure is one of them, not a status code.
      const messages = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
        target.api.modem.followProgress(answer, (error, output) => (error ? reject(error) : resolve(output))),
      );
      const failed = messages.find((m) => m.error);
      if (failed) throw new Error(String(failed.error));
    });
  } finally {
    // A load that failed half-way leaves the export unread: close it rather than hold the source's connection.
    exported.destroy();
  }
  const loaded = await target.imageId(image);
  if (loaded !== id)
    throw new DockerApiError(
      target.label,
      `load image ${image}`,
      undefined,
      `after the load it holds ${loaded ?? 'no such image'}, not the source's ${id}`,
    );
  return { image, id, delivered: true, bytes, ms: Math.round(performance.now() - started) };
}
