// The lab's second Docker host (docker-2, holding a routed slice) through Prichal's Engine API
// client: reached over SSH with its pinned host key (another pin is refused), the sample's gateway
// image delivered to it from the machine's Docker with its digest checked, a gateway created there
// from its specification on the host's own gateway network, answering the hub through the plan's
// route to the slice, then removed — nothing of the test's left behind. And `prichal-lab up` keeps
// the hosts it already runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerHostFacts, type DockerHostFacts } from '../../lab/docker-host.js';
import { type LabDockerHost, labTopology } from '../../lab/topology.js';
import { docker } from '../../src/infra/docker.js';
import { deliverImage, DockerHost, type DockerEndpoint, parseDockerEndpoint } from '../../src/infra/docker-api.js';
import { SshError } from '../../src/infra/ssh.js';
import { cidrInterval, formatAddress, type OperatorFile } from '../../src/inventory/index.js';
import type { Plan } from '../../src/plan/index.js';
import { gatewaySpec, type GatewaySpec } from '../../src/render/index.js';
import { prichalLab } from '../helpers/cli.js';
import { loadSample } from './lab.js';

/** Marks what this test creates on the second host, so that it can remove exactly that. */
const TEST_LABEL = 'prichal.test';

let plan: Plan;
let operator: OperatorFile;
let host: LabDockerHost;
let facts: DockerHostFacts;
let remote: DockerHost;
let local: DockerHost;

const endpointOf = (hostKey: string): DockerEndpoint =>
  parseDockerEndpoint(facts.endpoint, { hostKey, credentials: facts.credentials });

beforeAll(async () => {
  ({ plan, operator } = await loadSample());
  host = labTopology(plan, operator).dockerHosts.find((h) => h.id === 'docker-2')!;
  facts = await dockerHostFacts(host);
  remote = await DockerHost.connect(endpointOf(facts.hostKey));
  local = await DockerHost.connect(parseDockerEndpoint('unix:///var/run/docker.sock'));
});

afterAll(async () => {
  if (remote) {
    for (const c of await remote.listContainers({ [TEST_LABEL]: true })) await remote.removeContainer(c.Id);
    remote.close();
  }
  local?.close();
});

describe("the lab's second Docker host (docker-2)", () => {
  it('answers the Engine API over SSH with its pinned host key', async () => {
    const version = await remote.version();
    expect(version.Version).toMatch(/^20\.10\./);
    expect(facts.endpoint).toBe(`ssh://${host.user}@127.0.0.1:${host.sshPort}`);
  });

  it('is refused when another host key is pinned, the error naming the host and no key', async () => {
    const otherKey = operator.hub!.ssh.hostKey;
    const error = await DockerHost.connect(endpointOf(otherKey)).then(
      (h) => (h.close(), undefined),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SshError);
    expect((error as SshError).kind).toBe('host-key-mismatch');
    expect((error as SshError).message).toContain(facts.endpoint);
    expect((error as SshError).message).not.toContain(otherKey);
  });

  it("receives the sample's gateway image through the Engine API, with the machine's digest", async () => {
    const image = operator.gateways!.image;
    const id = await local.imageId(image);
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Start without it, so that the delivery really streams the image.
    if (await remote.imageId(image)) await remote.api.getImage(image).remove({ force: true });
    const delivery = await deliverImage(local, remote, image);
    expect(delivery).toMatchObject({ image, id, delivered: true });
    expect(delivery.bytes).toBeGreaterThan(10_000_000);
    process.stderr.write(
      `[docker-host] delivered ${image}: ${(delivery.bytes / 1e6).toFixed(0)} MB in ${(delivery.ms / 1000).toFixed(1)} s\n`,
    );
    expect(await remote.imageId(image)).toBe(id);
    // Delivered already: nothing is sent again.
    expect(await deliverImage(local, remote, image)).toMatchObject({ delivered: false, bytes: 0 });
  });

  it('runs a gateway from its specification on its own gateway network, reachable via its transit address', async () => {
    const registration = plan.contours.test.registrations[0]!;
    const network = host.networks.find((n) => n.contour === 'test')!;
    // An address of the host's own test network that the plan gives no gateway (the slice's top end).
    const address = formatAddress(cidrInterval(network.subnet).end - 10);
    const spec: GatewaySpec = gatewaySpec({ ...registration, gateway: address }, 'test', {
      image: operator.gateways!.image,
      network: network.name,
    });
    await remote.removeContainer(spec.name);
    const id = await remote.createGateway(spec, { [TEST_LABEL]: 'docker-host' });
    try {
      const deadline = Date.now() + 60_000;
      let state = (await remote.inspectContainer(spec.name))!.State;
      while (state.Health?.Status !== 'healthy' && Date.now() < deadline) {
        expect(state.Running).toBe(true);
        await new Promise((r) => setTimeout(r, 500));
        state = (await remote.inspectContainer(spec.name))!.State;
      }
      expect(state.Health?.Status).toBe('healthy');
      const inspected = (await remote.inspectContainer(spec.name))!;
      expect(inspected.Id).toBe(id);
      expect(inspected.NetworkSettings.Networks[network.name]?.IPAddress).toBe(address);
      expect(inspected.Config.User).toBe(spec.security.user);
      expect(inspected.HostConfig.ReadonlyRootfs).toBe(true);
      expect(inspected.HostConfig.CapDrop).toEqual(['ALL']);
      const listed = await remote.listContainers({ 'prichal.managed': 'gateway', [TEST_LABEL]: 'docker-host' });
      expect(listed.map((c) => c.Id)).toEqual([id]);

      // The hub reaches the slice via the host's transit address (the plan's gateway route).
      const answer = await docker([
        'exec',
        'prichal-lab-hub',
        'curl',
        '-sk',
        '--max-time',
        '5',
        `https://${address}:443/health`,
      ]);
      expect(answer.trim()).toBe('ok');
    } finally {
      expect(await remote.removeContainer(spec.name)).toBe(true);
    }
    expect(await remote.inspectContainer(spec.name)).toBeUndefined();
    expect(await remote.listContainers({ [TEST_LABEL]: true })).toEqual([]);
  });

  it('is kept by a second `prichal-lab up`, and `status` tells how to reach it', async () => {
    const before = JSON.parse(await docker(['inspect', host.container]))[0];
    const up = await prichalLab(['up', '--format', 'json', '--lang', 'en']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain(`docker host ${host.id} (${host.container}): kept`);
    const after = JSON.parse(await docker(['inspect', host.container]))[0];
    expect(after.Id).toBe(before.Id);
    expect(after.State.StartedAt).toBe(before.State.StartedAt);
    expect(JSON.parse(up.stdout).topology.dockerHosts).toContainEqual(
      expect.objectContaining({ id: host.id, networks: host.networks }),
    );

    const status = await prichalLab(['status', '--format', 'json', '--lang', 'en']);
    expect(status.code).toBe(0);
    const hosts = JSON.parse(status.stdout).status.dockerHosts as DockerHostFacts[];
    expect(hosts.map((h) => h.id)).toEqual(operator.gateways!.hosts!.map((h) => h.id));
    expect(hosts).toContainEqual({ ...facts, state: 'running' });
  });
});
