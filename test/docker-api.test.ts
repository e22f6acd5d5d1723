// The Engine API client's own rules, without Docker: which endpoints it accepts, how a pinned
// host key is matched, that a gateway is created exactly as the CLI provisioner's `docker run`
// starts it, and — against an in-process SSH server — that a host presenting another key is
// refused (naming the host, never a key) while the pinned one carries Engine API requests over
// forwarded channels to the host's Docker socket.
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Server, utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DockerEndpointError,
  DockerHost,
  endpointLabel,
  fingerprint,
  gatewayCreateOptions,
  hostKeyMatches,
  parseDockerEndpoint,
  SshError,
} from '../src/infra/index.js';
import { CONTOURS } from '../src/inventory/index.js';
import { dockerRunArgs, gatewaySpec } from '../src/render/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

const PIN = { hostKey: 'SHA256:AOMy2hS/OddXr3rqha8P0g7tNRkdRmSctQ/u+EP3mFU', credentials: 'docker2' };

function keyPair() {
  const { private: privateKey, public: publicKey } = utils.generateKeyPairSync('ed25519');
  const parsed = utils.parseKey(publicKey);
  if (parsed instanceof Error) throw parsed;
  return { privateKey, publicKey, blob: parsed.getPublicSSH() };
}

describe('Docker endpoints', () => {
  it('reads unix:// and ssh:// endpoints, the socket path defaulting to /var/run/docker.sock', () => {
    expect(parseDockerEndpoint('unix:///var/run/docker.sock')).toEqual({
      kind: 'socket',
      socketPath: '/var/run/docker.sock',
    });
    expect(parseDockerEndpoint('unix:///run/user/1000/docker.sock')).toMatchObject({
      socketPath: '/run/user/1000/docker.sock',
    });
    expect(parseDockerEndpoint('ssh://prichal@127.0.0.1:2210', PIN)).toEqual({
      kind: 'ssh',
      ssh: { host: '127.0.0.1', port: 2210, user: 'prichal', ...PIN },
      socketPath: '/var/run/docker.sock',
    });
    expect(parseDockerEndpoint('ssh://ops@gw-2.example/run/prichal-docker.sock', PIN)).toMatchObject({
      ssh: { host: 'gw-2.example', port: 22, user: 'ops' },
      socketPath: '/run/prichal-docker.sock',
    });
  });

  it('refuses tcp://, a password, an ssh:// endpoint without its user, and one without a pinned key or credentials', () => {
    expect(() => parseDockerEndpoint('tcp://10.0.0.5:2375')).toThrow(DockerEndpointError);
    expect(() => parseDockerEndpoint('tcp://10.0.0.5:2375')).toThrow(/only unix:\/\/ and ssh:\/\//);
    expect(() => parseDockerEndpoint('ssh://127.0.0.1:2210', PIN)).toThrow(/names its user and host/);
    expect(() => parseDockerEndpoint('ssh://prichal@127.0.0.1:2210')).toThrow(/host key it must present/);
    expect(() => parseDockerEndpoint('ssh://prichal@127.0.0.1:2210', { ...PIN, credentials: '' })).toThrow(
      DockerEndpointError,
    );
    expect(() => parseDockerEndpoint('not a url')).toThrow(DockerEndpointError);
    // A password in the URL is refused without being repeated.
    const withPassword = () => parseDockerEndpoint('ssh://prichal:s3cret@127.0.0.1:2210', PIN);
    expect(withPassword).toThrow(/carries no password/);
    expect(withPassword).not.toThrow(/s3cret/);
  });

  it('names an endpoint by where it is, never by its keys', () => {
    const endpoint = parseDockerEndpoint('ssh://prichal@127.0.0.1:2210', PIN);
    expect(endpointLabel(endpoint)).toBe('ssh://prichal@127.0.0.1:2210');
    expect(endpointLabel(parseDockerEndpoint('ssh://ops@[::1]:22', PIN))).toBe('ssh://ops@[::1]:22');
    expect(endpointLabel(parseDockerEndpoint('unix:///var/run/docker.sock'))).toBe('unix:///var/run/docker.sock');
  });
});

describe('the pinned host key', () => {
  const host = keyPair();
  const other = keyPair();

  it('matches its SHA-256 fingerprint or its public key line, and nothing else', () => {
    expect(hostKeyMatches(fingerprint(host.blob), host.blob)).toBe(true);
    expect(hostKeyMatches(` ${fingerprint(host.blob)}\n`, host.blob)).toBe(true);
    expect(hostKeyMatches(host.publicKey, host.blob)).toBe(true);
    expect(hostKeyMatches(`${host.publicKey.trim()} prichal-lab-docker-2\n`, host.blob)).toBe(true);
    expect(hostKeyMatches(fingerprint(other.blob), host.blob)).toBe(false);
    expect(hostKeyMatches(other.publicKey, host.blob)).toBe(false);
    // A pin that is neither form matches no key: refused, never trusted.
    for (const pin of ['', 'SHA256:', 'MD5:aa:bb', 'ssh-ed25519', fingerprint(host.blob).toLowerCase()])
      expect(hostKeyMatches(pin, host.blob), pin).toBe(false);
  });
});

describe("a gateway's create options", () => {
  it('carry every field of the `docker run` the CLI provisioner starts it with', async () => {
    const { plan } = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
    if (!plan) throw new Error('the sample inventory does not plan');
    for (const contour of CONTOURS) {
      for (const registration of plan.contours[contour].registrations) {
        const spec = gatewaySpec(registration, contour, {
          image: 'prichal/gateway:bookworm',
          network: `gw-${contour}`,
        });
        const extra = { 'prichal.lab': 'true' };
        expect(unmapped(dockerRunArgs(spec, extra), gatewayCreateOptions(spec, extra))).toEqual([]);
      }
    }
  });
});

/**
 * Walks `docker run` arguments flag by flag, checking each against the create options, and
 * returns what it could not account for: a flag added to dockerRunArgs fails the test here until
 * the Engine API form carries it too.
 */
function unmapped(args: readonly string[], options: ReturnType<typeof gatewayCreateOptions>): string[] {
  const host = options.HostConfig!;
  const left: string[] = [];
  const seconds = (value: string) => Number(value.replace(/s$/, '')) * 1e9;
  const check = (flag: string, ok: boolean) => void (ok || left.push(flag));
  const split = (value: string) => [value.slice(0, value.indexOf('=')), value.slice(value.indexOf('=') + 1)] as const;
  const labels = new Set<string>();
  const env = new Set<string>();
  const capDrop = new Set<string>();
  expect(args.slice(0, 2)).toEqual(['run', '-d']);
  let i = 2;
  for (; i < args.length && args[i]!.startsWith('-'); i += 2) {
    const flag = args[i]!;
    const value = args[i + 1]!;
    if (flag === '--read-only') {
      check(flag, host.ReadonlyRootfs === true);
      i -= 1;
      continue;
    }
    if (flag === '--name') check(flag, options.name === value);
    else if (flag === '--label') {
      const [k, v] = split(value);
      labels.add(k);
      check(`${flag} ${value}`, options.Labels?.[k] === v);
    } else if (flag === '--network') check(flag, host.NetworkMode === value);
    else if (flag === '--ip')
      check(flag, options.NetworkingConfig?.EndpointsConfig?.[host.NetworkMode!]?.IPAMConfig?.IPv4Address === value);
    else if (flag === '--user') check(flag, options.User === value);
    else if (flag === '--tmpfs') {
      const [mount, mountOptions] = value.split(/:(.*)/s);
      check(`${flag} ${value}`, host.Tmpfs?.[mount!] === mountOptions);
    } else if (flag === '--cap-drop') {
      capDrop.add(value);
      check(`${flag} ${value}`, host.CapDrop?.includes(value) === true);
    } else if (flag === '--cap-add') check(`${flag} ${value}`, host.CapAdd?.includes(value) === true);
    else if (flag === '--sysctl') {
      const [k, v] = split(value);
      check(`${flag} ${value}`, host.Sysctls?.[k] === v);
    } else if (flag === '--restart') check(flag, host.RestartPolicy?.Name === value);
    else if (flag === '--health-cmd')
      check(flag, JSON.stringify(options.Healthcheck?.Test) === JSON.stringify(['CMD-SHELL', value]));
    else if (flag === '--health-interval') check(flag, options.Healthcheck?.Interval === seconds(value));
    else if (flag === '--health-timeout') check(flag, options.Healthcheck?.Timeout === seconds(value));
    else if (flag === '--health-retries') check(flag, options.Healthcheck?.Retries === Number(value));
    else if (flag === '--health-start-period') check(flag, options.Healthcheck?.StartPeriod === seconds(value));
    else if (flag === '-e') {
      env.add(value);
      check(`${flag} ${value.slice(0, 20)}`, options.Env?.includes(value) === true);
    } else left.push(`${flag} (not known to this test)`);
  }
  check('image', options.Image === args[i]);
  check('command', JSON.stringify(options.Cmd) === JSON.stringify(args.slice(i + 1)));
  // Nothing more on the Engine API side than the run arguments say.
  check('labels', Object.keys(options.Labels ?? {}).length === labels.size);
  check('env', options.Env?.length === env.size);
  check('cap-drop', host.CapDrop?.length === capDrop.size);
  check('privileged', host.Privileged === false);
  return left;
}

describe('an SSH Docker host', () => {
  const hostKey = keyPair();
  const clientKey = keyPair();
  const strangerKey = keyPair();
  let dir: string;
  let server: Server;
  let engine: http.Server;
  let port: number;
  let socketPath: string;
  const forwarded: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'prichal-docker-api-'));
    socketPath = path.join(dir, 'docker.sock');
    // A stand-in for dockerd: the Engine API's version call on a Unix socket.
    engine = http.createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(request.url?.endsWith('/version') ? { Version: 'stand-in' } : {}));
    });
    await new Promise<void>((resolve) => engine.listen(socketPath, resolve));
    server = new Server({ hostKeys: [hostKey.privateKey] }, (client) => {
      client
        .on('authentication', (ctx) => {
          const ok = ctx.method === 'publickey' && ctx.username === 'prichal' && ctx.key.data.equals(clientKey.blob);
          if (ok) ctx.accept();
          else ctx.reject(['publickey']);
        })
        .on('ready', () => {
          client.on('openssh.streamlocal', (accept, _reject, info) => {
            forwarded.push(info.socketPath);
            const channel = accept();
            const socket = net.connect(info.socketPath);
            channel.pipe(socket).pipe(channel);
          });
        })
        .on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    server.close();
    engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  const endpoint = (pin: string) =>
    parseDockerEndpoint(`ssh://prichal@127.0.0.1:${port}${socketPath}`, { hostKey: pin, credentials: 'docker2' });

  it('carries Engine API requests over one connection, each to the host Docker socket', async () => {
    const host = await DockerHost.connect(endpoint(fingerprint(hostKey.blob)), { privateKey: clientKey.privateKey });
    try {
      const versions = await Promise.all(Array.from({ length: 8 }, () => host.version()));
      expect(versions.map((v) => v.Version)).toEqual(Array(8).fill('stand-in'));
      expect(forwarded.length).toBeGreaterThanOrEqual(8);
      expect(new Set(forwarded)).toEqual(new Set([socketPath]));
    } finally {
      host.close();
    }
  });

  it('refuses a host presenting another key than the pinned one, naming the host and no key', async () => {
    const pin = fingerprint(strangerKey.blob);
    const refused = await DockerHost.connect(endpoint(pin), { privateKey: clientKey.privateKey }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SshError);
    const error = refused as SshError;
    expect(error.kind).toBe('host-key-mismatch');
    expect(error.message).toContain(`ssh://prichal@127.0.0.1:${port}`);
    expect(error.message).not.toContain(pin);
    expect(error.message).not.toContain(clientKey.privateKey.split('\n')[1]!);
    expect(error.cause).toBeDefined();
  });

  it('accepts the pin as the public key line too, and says so when the login key is refused', async () => {
    const refused = await DockerHost.connect(endpoint(hostKey.publicKey), { privateKey: strangerKey.privateKey }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SshError);
    expect((refused as SshError).kind).toBe('auth');
    expect((refused as SshError).message).toBe(
      `Docker host ssh://prichal@127.0.0.1:${port} refused the key for user prichal`,
    );
  });
});
