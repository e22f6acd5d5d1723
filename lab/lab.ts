// `prichal-lab up|down|status`: the real local infrastructure that the demo, the integration
// tests and the benchmarks run against. Idempotent: up creates what is missing or changed and
// leaves the rest running; down removes exactly the containers and networks carrying LAB_LABEL.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { mapBounded } from '../src/concurrency.js';
import type { Plan } from '../src/plan/index.js';
import type { OperatorFile } from '../src/inventory/index.js';
import type { Words } from '../src/words.js';
import {
  docker,
  ensureContainer as ensureSpecContainer,
  inspectMany,
  labelArgs,
  listByLabel,
  listContainers,
  PASSPHRASE_SECRET,
  readSecret,
  secretsDir,
  type ContainerState,
} from '../src/infra/index.js';
import {
  DOCKER_HOST_IMAGE,
  type DockerHostStatus,
  dockerHostStatuses,
  ensureDockerHost,
  hostKeyFingerprint,
  readyDockerHost,
  removeCgroupLeftovers,
} from './docker-host.js';
import { labCoordinatorConfig, writeLabCoordinatorConfig } from './coordinator.js';
import { ensureImage, ensureLabImage, LAB_LABEL } from './image.js';
import {
  HOSTKEYS_DIR,
  LabDeclarationError,
  labTopology,
  type LabHost,
  type LabRouter,
  type LabTopology,
} from './topology.js';

export interface LabStatus {
  containers: Array<{ name: string; state: string }>;
  networks: string[];
  /** The lab's Docker hosts besides the machine's own: how to reach each, where its gateways live. */
  dockerHosts: DockerHostStatus[];
}

/** What the lab says while it works, in both languages: the caller prints the one it speaks. */
type Log = (words: Words) => void;

/** The lab only ever talks to loopback: an inventory pointing elsewhere is refused, not probed. */
export function assertLoopbackOnly(operator: OperatorFile): void {
  const bad: string[] = [];
  for (const e of operator.edges) if (!e.ssh.host.startsWith('127.')) bad.push(`edge ${e.id} ssh.host ${e.ssh.host}`);
  for (const [name, c] of Object.entries(operator.contours)) {
    const host = new URL(c.bus.url).hostname;
    if (!host.startsWith('127.')) bad.push(`contour ${name} bus.url ${c.bus.url}`);
  }
  if (operator.hub && !operator.hub.ssh.host.startsWith('127.')) bad.push(`hub ssh.host ${operator.hub.ssh.host}`);
  if (bad.length) throw new Error(`the lab serves only 127.0.0.0/8; this inventory points at ${bad.join(', ')}`);
}

async function ensureSecretFile(name: string, create: () => Promise<string>): Promise<void> {
  const file = path.join(secretsDir(), name);
  if (existsSync(file)) return;
  await mkdir(secretsDir(), { recursive: true, mode: 0o700 });
  await writeFile(file, await create(), { mode: 0o600 });
}

async function ensureLabSecrets(operator: OperatorFile, topology: LabTopology): Promise<void> {
  // SSH client keys of the hosts Prichal logs in to (edges, hub, Docker hosts), the public half beside each.
  const logins = [
    ...operator.edges.map((e) => e.ssh.credentials),
    ...(operator.hub ? [operator.hub.ssh.credentials] : []),
    ...topology.dockerHosts.map((h) => h.credentials),
  ];
  for (const credentials of new Set(logins)) {
    await ensureSecretFile(credentials, async () => {
      const tmp = path.join(secretsDir(), `.${credentials}.tmp`);
      await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `prichal-lab-${credentials}`, '-f', tmp]);
      const key = await readFile(tmp, 'utf8');
      await writeFile(path.join(secretsDir(), `${credentials}.pub`), await readFile(`${tmp}.pub`, 'utf8'));
      await execa('rm', ['-f', tmp, `${tmp}.pub`]);
      return key;
    });
  }
  for (const contour of Object.values(operator.contours)) {
    await ensureSecretFile(
      contour.bus.credentials,
      async () => `prichal-${contour.bus.credentials.toLowerCase()}:${randomBytes(18).toString('base64url')}`,
    );
  }
  // The passphrase of the lab's Pulumi state (the engine's passphrase secrets provider).
  await ensureSecretFile(PASSPHRASE_SECRET, async () => randomBytes(24).toString('base64url'));
}

function nginxConfig(host: LabHost, httpPorts: Set<number>): string {
  const servers = host.ports.map((port) => {
    const tls = httpPorts.has(port) ? '' : ' ssl';
    return `server { listen ${port}${tls}; ssl_certificate /etc/prichal/tls.crt; ssl_certificate_key /etc/prichal/tls.key; access_log off; default_type application/json; location / { return 200 '{"lab":"${host.role}","participant":"${host.participant}","address":"${host.address}","port":${port}}\\n'; } }`;
  });
  return `worker_processes 1; pid /run/nginx.pid; error_log stderr warn; events { worker_connections 64; } http { ${servers.join(' ')} }`;
}

export async function labUp(
  plan: Plan,
  operator: OperatorFile,
  options: { log?: Log; withHosts?: boolean } = {},
): Promise<LabTopology> {
  const log = options.log ?? (() => {});
  assertLoopbackOnly(operator);
  const topology = labTopology(plan, operator, { withHosts: options.withHosts ?? true });
  const image = await ensureLabImage(log);
  const dockerHostImage = await ensureImage(DOCKER_HOST_IMAGE, log);
  // The gateway image operator.yaml names is the lab image (nginx from Debian), under that name.
  await docker(['tag', image, operator.gateways!.image]);
  await ensureLabSecrets(operator, topology);

  // Networks: lab networks this topology no longer has go first (a renamed network would
  // otherwise hold its subnet); then create what is missing; one whose subnet changed is recreated.
  const wantedNetworkNames = new Set(topology.networks.map((n) => n.name));
  for (const n of await listByLabel('network', LAB_LABEL)) {
    if (wantedNetworkNames.has(n)) continue;
    for (const c of await listContainers(`network=${n}`))
      await docker(['network', 'disconnect', '-f', n, c]).catch(() => {});
    await docker(['network', 'rm', n]);
  }
  const MASQ = 'com.docker.network.bridge.enable_ip_masquerade';
  const existingNetworks = new Map(
    (
      await inspectMany<{ Name: string; IPAM: { Config: Array<{ Subnet: string }> }; Options: Record<string, string> }>(
        'network',
        topology.networks.map((n) => n.name),
      )
    ).map((n) => [n.Name, n]),
  );
  for (const network of topology.networks) {
    const existing = existingNetworks.get(network.name);
    if (
      existing?.IPAM.Config[0]?.Subnet === network.subnet &&
      (existing.Options?.[MASQ] ?? 'true') === String(network.masquerade)
    )
      continue;
    if (existing) {
      for (const c of await listByLabel('container', LAB_LABEL))
        await docker(['network', 'disconnect', '-f', network.name, c]).catch(() => {});
      await docker(['network', 'rm', network.name]);
    }
    await docker([
      'network',
      'create',
      '--label',
      `${LAB_LABEL}=true`,
      '--subnet',
      network.subnet,
      '-o',
      `${MASQ}=${network.masquerade}`,
      ...(network.internal ? ['--internal'] : []),
      network.name,
    ]);
  }

  const names = [
    topology.bus.container,
    topology.hub.container,
    ...topology.edges.map((e) => e.container),
    ...topology.routers.map((r) => r.container),
    ...topology.hosts.map((h) => h.container),
    ...topology.dockerHosts.map((h) => h.container),
  ];
  const current = new Map(
    (await inspectMany<ContainerState>('container', names)).map((c) => [c.Name.replace(/^\//, ''), c]),
  );
  // Converge: lab containers that this topology no longer has are removed first — they may hold
  // addresses the new ones take (a participant network's router address) — and the gateways an
  // earlier lab started on the machine's Docker with its label too (Prichal's own carry no lab label).
  const wanted = new Set(names);
  const stale = (await inspectMany<ContainerState>('container', await listByLabel('container', LAB_LABEL)))
    .filter((c) => !wanted.has(c.Name.replace(/^\//, '')))
    .map((c) => c.Name.replace(/^\//, ''));
  if (stale.length) await docker(['rm', '-f', ...stale]);

  let created = 0;
  const count = (result: 'kept' | 'created') => void (result === 'created' && created++);
  // Every lab container carries the lab label (what `lab down` removes) and its spec hash.
  const ensureContainer = (name: string, spec: unknown, create: (labels: string[]) => Promise<void>) =>
    ensureSpecContainer(name, spec, current, { [LAB_LABEL]: 'true' }, (labels) => create(labelArgs(labels)));

  // The bus: RabbitMQ with the management API on loopback, one vhost per contour.
  const busSpec = { image, vhosts: [operator.contours.test.bus.vhost, operator.contours.prod.bus.vhost] };
  count(
    await ensureContainer(topology.bus.container, busSpec, async (labels) => {
      await docker([
        'run',
        '-d',
        '--name',
        topology.bus.container,
        '--hostname',
        'prichal-bus',
        ...labels,
        '--network',
        topology.mgmt.name,
        '-p',
        `127.0.0.1:${topology.bus.apiPort}:15672`,
        image,
        'rabbitmq-server',
      ]);
    }),
  );

  /**
   * An SSH host of the lab (an edge, the hub): sshd with its fixed host key (named after the host),
   * published on loopback, NET_ADMIN, on the management network and at its address on transit.
   */
  const createSshHost = async (
    host: { container: string; name: string; sshPort: number; transit: string },
    labels: readonly string[],
    extra: readonly string[] = [],
  ): Promise<void> => {
    const start = `install -m 600 /lab-keys/${host.name} /etc/ssh/ssh_host_ed25519_key && install -m 644 /lab-keys/${host.name}.pub /etc/ssh/ssh_host_ed25519_key.pub && exec /usr/sbin/sshd -D -e`;
    await docker([
      'create',
      '--name',
      host.container,
      '--hostname',
      host.name,
      ...labels,
      '--network',
      topology.mgmt.name,
      '-p',
      `127.0.0.1:${host.sshPort}:22`,
      '--cap-add',
      'NET_ADMIN',
      ...extra,
      '-v',
      `${HOSTKEYS_DIR}:/lab-keys:ro`,
      image,
      'bash',
      '-c',
      start,
    ]);
    await docker(['network', 'connect', '--ip', host.transit, topology.transit.name, host.container]);
  };

  // Edges: SSH on loopback with the pinned host key, nft for netops, routes to the gateway hosts' ranges.
  await mapBounded(topology.edges, 4, async (edge) => {
    const keyFile = path.join(HOSTKEYS_DIR, edge.id);
    if (!existsSync(keyFile))
      throw new Error(
        `no lab host key for ${edge.id}: expected ${keyFile} (generate one with ssh-keygen -t ed25519 and pin its fingerprint in operator.yaml)`,
      );
    const inventoryEdge = operator.edges.find((e) => e.id === edge.id)!;
    const publicKey = await readSecret(`${inventoryEdge.ssh.credentials}.pub`);
    const spec = { image, edge, publicKey };
    count(
      await ensureContainer(edge.container, spec, async (labels) => {
        await createSshHost(
          { container: edge.container, name: edge.id, sshPort: edge.sshPort, transit: edge.transit },
          labels,
          ['--sysctl', 'net.ipv4.ip_forward=1'],
        );
        for (const a of edge.attachments)
          await docker(['network', 'connect', '--ip', a.address, a.network, edge.container]);
        await docker(['start', edge.container]);
        // No route to the gateway hosts: those are Prichal's to set (the edge's channel).
        await docker(
          [
            'exec',
            '-i',
            edge.container,
            'bash',
            '-c',
            'set -e; install -d -o netops -g netops -m 700 /home/netops/.ssh; cat > /home/netops/.ssh/authorized_keys; chown netops:netops /home/netops/.ssh/authorized_keys; chmod 600 /home/netops/.ssh/authorized_keys',
          ],
          { input: publicKey },
        );
      }),
    );
  });

  // The hub's ViPNet coordinators: the configuration the audit reads, written from the inventory
  // by the lab's own writer, again on every `up` (a test that edits it is undone by the next).
  for (const coordinator of plan.coordinators) {
    const edge = topology.edges.find((e) => e.id === coordinator.edge);
    if (!edge || !coordinator.config || !coordinator.node) continue;
    await writeLabCoordinatorConfig(
      edge.container,
      coordinator.config,
      labCoordinatorConfig(coordinator, edge.transit),
    );
  }

  // Leased-line routers: on the participant's networks, forwarding; then the veth /31 to the edge.
  await mapBounded(topology.routers, 4, async (router) => {
    const [first, ...rest] = router.attachments;
    count(
      await ensureContainer(router.container, { image, router }, async (labels) => {
        await docker([
          'create',
          '--name',
          router.container,
          '--hostname',
          router.container,
          ...labels,
          '--network',
          first!.network,
          '--ip',
          first!.address,
          '--cap-add',
          'NET_ADMIN',
          '--sysctl',
          'net.ipv4.ip_forward=1',
          image,
          'sleep',
          'infinity',
        ]);
        for (const a of rest) await docker(['network', 'connect', '--ip', a.address, a.network, router.container]);
        await docker(['start', router.container]);
      }),
    );
    await ensureRouterLink(router);
  });

  // The hub: routes to the participant networks via their edges and to the gateways via their
  // hosts; reached over SSH like the edges (pinned host key, netops with the hub credentials' key).
  const hubSsh = operator.hub!.ssh;
  const hubKeyFile = path.join(HOSTKEYS_DIR, 'hub');
  if (!existsSync(hubKeyFile)) throw new Error(`no lab host key for the hub: expected ${hubKeyFile}`);
  const hubPublicKey = await readSecret(`${hubSsh.credentials}.pub`);
  const hubSpec = { image, hub: topology.hub, publicKey: hubPublicKey };
  count(
    await ensureContainer(topology.hub.container, hubSpec, async (labels) => {
      await createSshHost(
        {
          container: topology.hub.container,
          name: 'hub',
          sshPort: topology.hub.sshPort,
          transit: topology.hub.address,
        },
        labels,
      );
      await docker(['start', topology.hub.container]);
      const script = [
        ...topology.hub.routes.map((r) => `ip route replace ${r.destination} via ${r.via}`),
        'install -d -o netops -g netops -m 700 /home/netops/.ssh',
        `printf '%s\n' '${hubPublicKey.trim()}' > /home/netops/.ssh/authorized_keys`,
        'chown netops:netops /home/netops/.ssh/authorized_keys; chmod 600 /home/netops/.ssh/authorized_keys',
      ].join('\n');
      await docker(['exec', '-i', topology.hub.container, 'bash', '-e'], { input: script });
    }),
  );

  // The Docker hosts: dockerd in a container each, the Engine API over SSH on loopback.
  const dockerHostResults = await mapBounded(topology.dockerHosts, 2, async (host) => {
    const pinned = operator.gateways?.hosts?.find((h) => h.id === host.id)?.hostKey;
    const fixed = await hostKeyFingerprint(host.id);
    if (pinned !== fixed)
      throw new LabDeclarationError(
        `gateway host ${host.id}: operator.yaml pins ${pinned ?? 'no host key'}, the lab's fixed key for it is ${fixed}`,
      );
    const result = await ensureDockerHost(
      host,
      topology,
      dockerHostImage,
      await readSecret(`${host.credentials}.pub`),
      ensureContainer,
    );
    count(result);
    return result;
  });

  // Endpoint hosts and decoys: nginx on the declared and sample ports, default route via the edge.
  const httpPorts = new Map<string, Set<number>>();
  for (const r of [...plan.contours.test.registrations, ...plan.contours.prod.registrations]) {
    for (const e of r.endpoints)
      if (e.protocol === 'http') httpPorts.set(e.address, (httpPorts.get(e.address) ?? new Set()).add(e.port));
  }
  await mapBounded(topology.hosts, 6, async (host) => {
    const config = nginxConfig(host, httpPorts.get(host.address) ?? new Set());
    count(
      await ensureContainer(host.container, { image, host, config }, async (labels) => {
        const start = `ip route replace default via ${host.router} && printf '%s' "$NGINX_CONF" > /etc/nginx/lab.conf && exec nginx -c /etc/nginx/lab.conf -g 'daemon off;'`;
        await docker([
          'run',
          '-d',
          '--name',
          host.container,
          ...labels,
          '--network',
          host.network,
          '--ip',
          host.address,
          '--cap-add',
          'NET_ADMIN',
          '-e',
          `NGINX_CONF=${config}`,
          image,
          'bash',
          '-c',
          start,
        ]);
      }),
    );
  });

  const [, dockerVersions] = await Promise.all([
    waitForBus(topology, operator, log),
    Promise.all(topology.dockerHosts.map((host) => readyDockerHost(host))),
  ]);
  topology.dockerHosts.forEach((host, i) =>
    log({
      en: `docker host ${host.id} (${host.container}): ${dockerHostResults[i]}, dockerd ${dockerVersions[i]} ready`,
      ru: `Docker-узел ${host.id} (${host.container}): ${dockerHostResults[i] === 'created' ? 'создан' : 'оставлен как был'}, dockerd ${dockerVersions[i]} готов`,
    }),
  );
  log({
    en: `lab up: ${names.length} containers (${created} created, ${names.length - created} kept), ${topology.networks.length} networks`,
    ru: `лаборатория запущена: контейнеров ${names.length} (создано ${created}, оставлено ${names.length - created}), сетей ${topology.networks.length}`,
  });
  return topology;
}

/** The PID of a running container's first process: where its network namespace is. */
async function containerPid(container: string): Promise<string> {
  return (await docker(['inspect', '-f', '{{.State.Pid}}', container])).trim();
}

/**
 * The veth pair between a leased-line router and its edge, made again when either end is gone (a
 * restarted container's namespace takes its end, and the kernel its peer with it). The edge's end
 * gets the circuit's interface name and nothing else; the router's end, `link0`, the
 * participant's /31 address and its default route.
 */
async function ensureRouterLink(router: LabRouter): Promise<void> {
  const has = (container: string, name: string) =>
    execa('docker', ['exec', container, 'ip', 'link', 'show', 'dev', name], { reject: false }).then(
      (r) => r.exitCode === 0,
    );
  if ((await has(router.edgeContainer, router.interface)) && (await has(router.container, 'link0'))) return;
  await execa('docker', ['exec', router.edgeContainer, 'ip', 'link', 'del', 'dev', router.interface], {
    reject: false,
  });
  await execa('docker', ['exec', router.container, 'ip', 'link', 'del', 'dev', 'link0'], { reject: false });
  const [edgePid, routerPid] = await Promise.all([containerPid(router.edgeContainer), containerPid(router.container)]);
  const tag = randomBytes(4).toString('hex');
  const [a, b] = [`pe${tag}`, `pr${tag}`];
  await execa('ip', ['link', 'add', a, 'type', 'veth', 'peer', 'name', b]);
  try {
    await execa('ip', ['link', 'set', a, 'netns', edgePid, 'name', router.interface]);
    await execa('ip', ['link', 'set', b, 'netns', routerPid, 'name', 'link0']);
  } catch (error) {
    await execa('ip', ['link', 'del', a], { reject: false });
    await execa('ip', ['link', 'del', b], { reject: false });
    throw error;
  }
  await docker([
    'exec',
    router.container,
    'bash',
    '-c',
    `set -e; ip address add ${router.address} dev link0; ip link set link0 up; ip route replace default via ${router.edgeAddress} dev link0`,
  ]);
}

/**
 * rabbitmqctl reading a password from `docker exec -i`'s stdin: on a busy Docker engine the
 * input is now and then not delivered ("Password is not provided via argument or stdin", seen
 * once in a CI run after a heavy test); the command is idempotent, so it is tried again.
 */
async function withPasswordOnStdin(args: string[], password: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await docker(args, { input: password });
      return;
    } catch (error) {
      if (attempt >= 3 || !/Password is not provided/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

async function waitForBus(topology: LabTopology, operator: OperatorFile, log: Log): Promise<void> {
  const container = topology.bus.container;
  await docker(['exec', container, 'rabbitmqctl', 'await_startup', '--timeout', '120'], { timeoutMs: 150_000 });
  const vhosts = (await docker(['exec', container, 'rabbitmqctl', '-q', 'list_vhosts', 'name', '--no-table-headers']))
    .split('\n')
    .map((s) => s.trim());
  const users = (await docker(['exec', container, 'rabbitmqctl', '-q', 'list_users', '--no-table-headers']))
    .split('\n')
    .map((s) => s.split(/\s+/)[0]);
  for (const contour of Object.values(operator.contours)) {
    if (!vhosts.includes(contour.bus.vhost))
      await docker(['exec', container, 'rabbitmqctl', '-q', 'add_vhost', contour.bus.vhost]);
    const [username, password] = (await readSecret(contour.bus.credentials)).trim().split(/:(.*)/s) as [string, string];
    // The password goes through stdin, never a command line that `ps` would show. It is set on
    // every run, so a lab reused from another checkout (other secrets) still accepts this one's.
    if (!users.includes(username)) {
      await withPasswordOnStdin(['exec', '-i', container, 'rabbitmqctl', '-q', 'add_user', username], password);
      await docker(['exec', container, 'rabbitmqctl', '-q', 'set_user_tags', username, 'administrator']);
      users.push(username);
    } else {
      await withPasswordOnStdin(['exec', '-i', container, 'rabbitmqctl', '-q', 'change_password', username], password);
    }
    await docker([
      'exec',
      container,
      'rabbitmqctl',
      '-q',
      'set_permissions',
      '-p',
      contour.bus.vhost,
      username,
      '.*',
      '.*',
      '.*',
    ]);
  }
  log({ en: 'bus ready', ru: 'шина готова' });
}

export async function labDown(log: Log = () => {}): Promise<{ containers: number; networks: number }> {
  const networks = await listByLabel('network', LAB_LABEL);
  // The lab's containers, and whatever was started on its networks (gateways from their own provisioner).
  const attached = await Promise.all(networks.map((n) => listContainers(`network=${n}`)));
  const containers = [...new Set([...(await listByLabel('container', LAB_LABEL)), ...attached.flat()])];
  const dockerHosts = dockerHostStatuses(await inspectMany<ContainerState>('container', containers));
  if (containers.length) await docker(['rm', '-f', ...containers]);
  for (const host of dockerHosts) await removeCgroupLeftovers(host.container);
  for (const n of networks) await docker(['network', 'rm', n]);
  log({
    en: `lab down: removed ${containers.length} containers and ${networks.length} networks`,
    ru: `лаборатория остановлена: удалено контейнеров ${containers.length}, сетей ${networks.length}`,
  });
  return { containers: containers.length, networks: networks.length };
}

export async function labStatus(): Promise<LabStatus> {
  const names = await listByLabel('container', LAB_LABEL);
  const states = await inspectMany<ContainerState>('container', names);
  return {
    containers: states
      .map((c) => ({ name: c.Name.replace(/^\//, ''), state: c.State.Status }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    networks: await listByLabel('network', LAB_LABEL),
    dockerHosts: dockerHostStatuses(states),
  };
}
