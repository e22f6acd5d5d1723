// The lab's second Docker host: a container running Debian's dockerd, reached as an operator's
// gateway host would be — SSH on 127.0.0.1 with a host key fixed per lab (so an inventory can
// pin it), a user in the docker group, the Engine API through the Docker socket. It stands on the
// transit network and routes between it and its own gateway networks.
//
// `--privileged` is refused on these machines; dockerd runs with SYS_ADMIN and NET_ADMIN, no
// AppArmor or seccomp profile, the host's cgroups, and its data root in an exec-able tmpfs
// (Docker's tmpfs is noexec by default, which fails every inner start). overlay2 works on that
// tmpfs, so inner containers share their image's layers (vfs would copy the image per container).
import { readdir, readFile, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { docker, fingerprint, type ContainerState } from '../src/infra/index.js';
import { type ImageRecipe, sshdSetup } from './image.js';
import { HOSTKEYS_DIR, type LabDockerHost, type LabTopology } from './topology.js';

export const DOCKER_HOST_IMAGE: ImageRecipe = {
  repository: 'prichal-lab-docker-host',
  packages: ['docker.io', 'openssh-server', 'iproute2', 'ca-certificates', 'procps'],
  // Runs inside the chroot. The SSH user reaches the Docker socket through the docker group, by
  // local streamlocal forwarding, which OpenSSH refuses unless local TCP forwarding is allowed too.
  prepare: `set -e
getent group docker >/dev/null || groupadd --system docker
useradd --create-home --shell /bin/bash --groups docker prichal
mkdir -p /run/sshd
${sshdSetup(['AllowStreamLocalForwarding local', 'AllowTcpForwarding local', 'X11Forwarding no'])}
apt-get clean
rm -rf /var/lib/apt/lists/*
`,
};

/** Label on the host's container: what a client needs to reach it, read back by `status`. */
export const DOCKER_HOST_LABEL = 'prichal.lab.docker-host';

/** What `status` tells of a Docker host: how to reach it and where its gateways live. */
export interface DockerHostFacts {
  id: string;
  container: string;
  /** The Engine API's endpoint: ssh://user@127.0.0.1:port (the Docker socket over SSH). */
  endpoint: string;
  /** The SHA-256 fingerprint of its fixed host key, to pin. */
  hostKey: string;
  /** The secret holding the private key that logs in. */
  credentials: string;
  transit: string;
  networks: LabDockerHost['networks'];
}

export type DockerHostStatus = DockerHostFacts & { state: string };

/** The host key's fingerprint (`SHA256:…`), read from its public half. */
export async function hostKeyFingerprint(id: string): Promise<string> {
  const file = path.join(HOSTKEYS_DIR, `${id}.pub`);
  const line = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new Error(`no lab host key for ${id}: expected ${file} (generate one with ssh-keygen -t ed25519)`, {
      cause: error,
    });
  });
  return fingerprint(Buffer.from(line.trim().split(/\s+/)[1] ?? '', 'base64'));
}

export async function dockerHostFacts(host: LabDockerHost): Promise<DockerHostFacts> {
  return {
    id: host.id,
    container: host.container,
    endpoint: `ssh://${host.user}@127.0.0.1:${host.sshPort}`,
    hostKey: await hostKeyFingerprint(host.id),
    credentials: host.credentials,
    transit: host.transit,
    networks: host.networks,
  };
}

/** The Docker hosts among the lab's containers, from the facts their label holds. */
export function dockerHostStatuses(containers: readonly ContainerState[]): DockerHostStatus[] {
  return containers.flatMap((c) => {
    // Labels is null on a container started without any (one run by hand on a lab network).
    const facts = c.Config.Labels?.[DOCKER_HOST_LABEL];
    return facts ? [{ ...(JSON.parse(facts) as DockerHostFacts), state: c.State.Status }] : [];
  });
}

// Inner containers' cgroups sit under their own parent: with the host's cgroup namespace they are
// the machine's, and a killed dockerd leaves them behind (empty) for `removeCgroupLeftovers`.
const cgroupParent = (container: string) => `/${container}`;

/** The container holding dockerd, created like the lab's other containers through `ensure` (kept while its spec holds). */
export async function ensureDockerHost(
  host: LabDockerHost,
  topology: LabTopology,
  image: string,
  publicKey: string,
  ensure: (name: string, spec: unknown, create: (labels: string[]) => Promise<void>) => Promise<'kept' | 'created'>,
): Promise<'kept' | 'created'> {
  const facts = await dockerHostFacts(host);
  const dockerd = [
    'dockerd',
    '--storage-driver=overlay2',
    '--iptables=false',
    '--bridge=none',
    `--cgroup-parent=${cgroupParent(host.container)}`,
  ].join(' ');
  // sshd and dockerd side by side: when either ends, the container ends, and `up` recreates it.
  const start = [
    'set -e',
    `install -m 600 /lab-keys/${host.id} /etc/ssh/ssh_host_ed25519_key`,
    `install -m 644 /lab-keys/${host.id}.pub /etc/ssh/ssh_host_ed25519_key.pub`,
    `install -d -o ${host.user} -g ${host.user} -m 700 /home/${host.user}/.ssh`,
    `printf '%s\\n' "$AUTHORIZED_KEY" > /home/${host.user}/.ssh/authorized_keys`,
    `chown ${host.user}:${host.user} /home/${host.user}/.ssh/authorized_keys`,
    `chmod 600 /home/${host.user}/.ssh/authorized_keys`,
    `${dockerd} &`,
    '/usr/sbin/sshd -D -e &',
    'wait -n',
  ].join('\n');
  const run = [
    '--hostname',
    host.id,
    '--label',
    `${DOCKER_HOST_LABEL}=${JSON.stringify(facts)}`,
    '--network',
    topology.mgmt.name,
    '-p',
    `127.0.0.1:${host.sshPort}:22`,
    '--init',
    '--cap-add',
    'SYS_ADMIN',
    '--cap-add',
    'NET_ADMIN',
    // runc enters an inner container's namespaces for exec and health checks; when its process
    // runs as another user (a gateway's www-data), that takes ptrace access to it.
    '--cap-add',
    'SYS_PTRACE',
    '--security-opt',
    'apparmor=unconfined',
    '--security-opt',
    'seccomp=unconfined',
    '--cgroupns',
    'host',
    '-v',
    '/sys/fs/cgroup:/sys/fs/cgroup:rw',
    '--tmpfs',
    '/var/lib/docker:exec',
    '--sysctl',
    'net.ipv4.ip_forward=1',
    '-v',
    `${HOSTKEYS_DIR}:/lab-keys:ro`,
    '-e',
    `AUTHORIZED_KEY=${publicKey.trim()}`,
    image,
    'bash',
    '-c',
    start,
  ];
  // Routes are applied on every `up` (readyDockerHost), outside the spec: a new participant must
  // not recreate the host, which would lose every image and container in its tmpfs.
  const spec = { run, transit: host.transit, networks: host.networks };
  return ensure(host.container, spec, async (labels) => {
    await removeCgroupLeftovers(host.container);
    await docker(['create', '--name', host.container, ...labels, ...run]);
    await docker(['network', 'connect', '--ip', host.transit, topology.transit.name, host.container]);
    await docker(['start', host.container]);
  });
}

/**
 * Waits until dockerd answers on its socket inside (`docker version`), then makes sure its
 * gateway networks exist and its routes are the topology's (stale ones removed). Returns the
 * Engine's version.
 */
export async function readyDockerHost(host: LabDockerHost, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let version: string | undefined;
  for (;;) {
    try {
      version = (await docker(['exec', host.container, 'docker', 'version', '--format', '{{.Server.Version}}'])).trim();
      break;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`the lab's Docker host ${host.container}: dockerd did not answer within ${timeoutMs} ms`, {
          cause: error,
        });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const networks = host.networks.map(
    (n) =>
      `docker network inspect ${n.name} >/dev/null 2>&1 || docker network create --subnet ${n.subnet} ${n.name} >/dev/null`,
  );
  await docker(['exec', '-i', host.container, 'bash', '-e'], { input: `${networks.join('\n')}\n` });
  const present = JSON.parse(
    await docker(['exec', host.container, 'ip', '-j', '-4', 'route', 'show', 'proto', 'static']),
  ) as Array<{ dst: string }>;
  const wanted = new Set(host.routes.map((r) => r.destination));
  const batch = [
    ...present.filter((r) => !wanted.has(r.dst)).map((r) => `route del ${r.dst} proto static`),
    ...host.routes.map((r) => `route replace ${r.destination} via ${r.via} proto static`),
  ];
  if (batch.length)
    await docker(['exec', '-i', host.container, 'ip', '-batch', '-'], { input: `${batch.join('\n')}\n` });
  return version;
}

/** Empty cgroups a Docker host's inner containers left on the machine when their dockerd was killed (`docker rm -f`). */
export async function removeCgroupLeftovers(container: string): Promise<void> {
  const removeTree = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) if (e.isDirectory()) await removeTree(path.join(dir, e.name));
    await rmdir(dir).catch(() => {});
  };
  // cgroup v1 has a hierarchy per controller; v2 one unified tree.
  const roots = [
    '/sys/fs/cgroup',
    ...(await readdir('/sys/fs/cgroup').catch(() => [])).map((c) => `/sys/fs/cgroup/${c}`),
  ];
  for (const root of roots) await removeTree(path.join(root, cgroupParent(container)));
}
