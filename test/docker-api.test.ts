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
import { gatewaySpec } from '../src/render/index.js';
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
  it('carry the whole specification: hardening, health check, configuration, labels, network and address', async () => {
    const { plan } = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
    if (!plan) throw new Error('the sample inventory does not plan');
    for (const contour of CONTOURS) {
      for (const registration of plan.contours[contour].registrations) {
        const spec = gatewaySpec(registration, contour, {
          image: 'prichal/gateway:bookworm',
          network: `gw-${contour}`,
        });
        const options = gatewayCreateOptions(spec, { 'prichal.test': 'true' });
        const host = options.HostConfig!;
        expect(options).toMatchObject({ name: spec.name, Image: spec.image, Cmd: spec.command, User: '33:33' });
        expect(options.Labels).toEqual({ ...spec.labels, 'prichal.test': 'true' });
        expect(options.Env).toEqual([`GATEWAY_CONF=${spec.config}`]);
        expect(host).toMatchObject({
          NetworkMode: `gw-${contour}`,
          Privileged: false,
          ReadonlyRootfs: true,
          Tmpfs: { '/tmp': 'rw,mode=1777' },
          CapDrop: ['ALL'],
          CapAdd: [],
          Sysctls: { 'net.ipv4.ip_unprivileged_port_start': '443' },
          RestartPolicy: { Name: 'unless-stopped' },
        });
        expect(options.NetworkingConfig?.EndpointsConfig?.[`gw-${contour}`]?.IPAMConfig?.IPv4Address).toBe(
          registration.gateway,
        );
        // Docker runs a one-string health check as CMD-SHELL; durations in nanoseconds.
        expect(options.Healthcheck).toEqual({
          Test: ['CMD-SHELL', 'curl -skf https://127.0.0.1:443/health'],
          Interval: 30e9,
          Timeout: 3e9,
          Retries: 3,
          StartPeriod: 2e9,
        });
      }
    }
  });
});

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
