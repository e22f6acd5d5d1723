// The Pulumi program's wiring under pulumi.runtime.setMocks: resources per participant, names,
// container security, addresses from the plan, credentials by reference (resources name their
// secrets and carry none), the retired `prichal-secrets:<name>` stack config refused, and
// pulumi-mode gateways carrying exactly the specification the external provisioner runs; the
// standard entry point (index.ts) runs the gateways through the engine when the stack does not
// say, and refuses @pulumi/docker's above their limit before registering anything.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkInventory } from '../src/requirements/index.js';
import type { OperatorFile } from '../src/inventory/index.js';
import type { Plan } from '../src/plan/index.js';
import { gatewaySpec } from '../src/render/index.js';
import { SAMPLE_INVENTORY, useTemporaryWorkCache } from './helpers/inventory.js';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/project.js';
import { captureResources, type Captured } from './helpers/pulumi-mocks.js';
import { writeSyntheticInventory } from '../bench/synthetic.js';

// biome-ignore lint/suspicious/noExplicitAny: the test edits parsed JSON in place, at any depth.
type Loose = Record<string, any>;

// The compiled program (see vitest.config.ts): what the engine runs.
const PROGRAM = path.join(PROJECT_ROOT, 'dist/src/infra/pulumi/program.js');

let captured: Captured[] = [];

beforeAll(async () => {
  captured = await captureResources();
});

async function build(contour: 'test' | 'prod', gateways: 'pulumi' | 'external') {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  const plan = checked.plan as Plan;
  const operator = checked.validation.inventory.operator!.value as OperatorFile;
  const { definePrichal } = (await import(PROGRAM)) as typeof import('../src/infra/pulumi/program.js');
  const before = captured.length;
  const resources = definePrichal({ contour, plan, operator, gateways });
  // Let registrations settle.
  await new Promise((r) => setTimeout(r, 50));
  return { plan, operator, resources, created: captured.slice(before) };
}

describe('Pulumi program under mocks', () => {
  it("creates per participant one gateway (component + container), its registration in its mnemonic's shard, and one firewall per edge in the test stack", async () => {
    const { plan, created } = await build('test', 'pulumi');
    const count = (type: string) => created.filter((c) => c.type === type).length;
    const n = plan.contours.test.registrations.length;
    expect(count('prichal:gateway:Gateway')).toBe(n);
    expect(count('docker:index/container:Container')).toBe(n);
    expect(count('docker:index/network:Network')).toBe(1);
    const shards = created.filter((c) => c.type === 'prichal:index:BusRegistrations');
    const entries = shards.flatMap((c) =>
      (c.inputs.entries as Array<{ participant: string; mnemonic: string }>).map((e) => ({
        ...e,
        shard: c.inputs.shard,
      })),
    );
    expect(entries.map((e) => e.participant).sort()).toEqual(
      plan.contours.test.registrations.map((r) => r.participant).sort(),
    );
    const { shardOf } = (await import(
      path.join(path.dirname(PROGRAM), 'resources.js')
    )) as typeof import('../src/infra/pulumi/resources.js');
    for (const e of entries) expect(e.shard).toBe(shardOf(e.mnemonic));
    expect(new Set(shards.map((c) => c.inputs.shard)).size).toBe(shards.length);
    expect(count('prichal:index:EdgeFirewall')).toBe(plan.edges.length);
    // One channel per edge: every sample edge routes to the gateway hosts, edge-2 holds the leased lines.
    expect(count('prichal:index:EdgeChannel')).toBe(plan.edges.length);
    // The provider plugin's resources carry only their properties: no provider code, no checkout path.
    for (const c of created.filter((x) => x.type.startsWith('prichal:index:')))
      expect(JSON.stringify(c.inputs)).not.toContain(PROJECT_ROOT);
    // 2 resources per participant per contour (its gateway), plus the shared network, firewalls, channels and shards.
    expect((created.length - 1 - 2 * plan.edges.length - shards.length) / n).toBe(2);
  });

  it('emits @pulumi/docker containers with exactly the gateway specification, hardened', async () => {
    const { plan, operator, created } = await build('prod', 'pulumi');
    const containers = created.filter((c) => c.type === 'docker:index/container:Container');
    expect(containers.map((c) => c.inputs.name).sort()).toEqual(
      plan.contours.prod.registrations.map((r) => `prichal-gw-${r.participant}-prod`).sort(),
    );
    for (const r of plan.contours.prod.registrations) {
      const spec = gatewaySpec(r, 'prod', {
        image: operator.gateways!.image,
        network: operator.gateways!.network.prod,
      });
      const c = containers.find((x) => x.inputs.name === spec.name)!.inputs as Loose;
      expect(c.image).toBe(spec.image);
      expect(c.networksAdvanced[0].ipv4Address).toBe(r.gateway);
      expect(c.user).toBe('33:33');
      expect(c.privileged).toBe(false);
      expect(c.readOnly).toBe(true);
      expect(c.capabilities).toEqual({ drops: ['ALL'], adds: [] });
      expect(c.sysctls).toEqual({ 'net.ipv4.ip_unprivileged_port_start': '443' });
      expect(Object.fromEntries(c.labels.map((l: { label: string; value: string }) => [l.label, l.value]))).toEqual(
        spec.labels,
      );
      expect(c.envs).toEqual([`GATEWAY_CONF=${spec.config}`]);
      expect(c.command).toEqual(spec.command);
      expect(c.healthcheck.tests).toEqual(spec.healthcheck.test);
    }
    // The prod stack does not own the edges.
    expect(created.filter((c) => c.name.startsWith('firewall-'))).toEqual([]);
  });

  it('creates no Docker resources in external mode', async () => {
    const { created } = await build('test', 'external');
    expect(created.filter((c) => c.type.startsWith('docker:'))).toEqual([]);
    expect(created.filter((c) => c.name.startsWith('bus-test-'))).not.toEqual([]);
  });

  it('names the secrets its resources use and carries none (credentials by reference)', async () => {
    for (const contour of ['test', 'prod'] as const) {
      const { operator, resources, created } = await build(contour, 'external');
      const ours = created.filter((c) => c.type.startsWith('prichal:index:'));
      // No Pulumi secret anywhere in the inputs, nor a property that used to hold one.
      for (const c of ours) {
        expect(JSON.stringify(c.inputs)).not.toContain('4dabf18193072939515e22adb298388d');
        expect(Object.keys(c.inputs)).not.toContain('privateKey');
        expect(Object.keys(c.inputs)).not.toContain('credentials');
      }
      for (const f of created.filter((c) => c.type === 'prichal:index:EdgeFirewall')) {
        const edge = f.inputs.edge as { id: string; ssh: { credentials: string } };
        expect(edge.ssh.credentials).toBe(operator.edges.find((e) => e.id === edge.id)!.ssh.credentials);
      }
      for (const s of created.filter((c) => c.type === 'prichal:index:BusRegistrations')) {
        expect((s.inputs.bus as { credentials: string }).credentials).toBe(operator.contours[contour].bus.credentials);
        expect(s.inputs.testBus === null ? null : (s.inputs.testBus as { credentials: string }).credentials).toBe(
          contour === 'prod' ? operator.contours.test.bus.credentials : null,
        );
      }
      const outputs = (r: unknown) => r as Record<string, pulumi.Output<unknown>>;
      for (const r of [...resources.firewalls, ...resources.shards])
        expect(await pulumi.isSecret(outputs(r).differences!)).toBe(false);
    }
  });

  it('refuses the retired stack config prichal-secrets:<name> (a secret copied into config and state), naming what to do instead', async () => {
    const index = (await import(
      path.join(path.dirname(PROGRAM), 'index.js')
    )) as typeof import('../src/infra/pulumi/index.js');
    pulumi.runtime.setAllConfig({
      'prichal:inventory': SAMPLE_INVENTORY,
      'prichal:gateways': 'external',
      'prichal-secrets:edge1': 'a copied key',
    });
    try {
      await expect(index.default()).rejects.toThrow(
        /stack test sets prichal-secrets:edge1: this path is retired\..*PRICHAL_SECRET_EDGE1 or \$PRICHAL_SECRETS_DIR\/edge1.*pulumi config rm prichal-secrets:edge1 --stack test/s,
      );
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  });
});

describe('the standard entry point (Pulumi.yaml)', () => {
  // 1,501 synthetic participants are parsed once: in a work cache of this block's own.
  useTemporaryWorkCache();

  it('runs the gateways through the engine when the stack does not say; @pulumi/docker refused above its limit before any resource', async () => {
    const index = (await import(
      path.join(path.dirname(PROGRAM), 'index.js')
    )) as typeof import('../src/infra/pulumi/index.js');
    const { PULUMI_GATEWAY_LIMIT } = (await import(PROGRAM)) as typeof import('../src/infra/pulumi/program.js');
    const dir = await mkdtemp(path.join(tmpdir(), 'prichal-entry-'));
    try {
      // One more test registration than @pulumi/docker may run in one stack.
      await writeSyntheticInventory(dir, PULUMI_GATEWAY_LIMIT + 1, { testOnly: true });
      pulumi.runtime.setAllConfig({ 'prichal:inventory': dir, 'prichal:gateways': 'pulumi' });
      const before = captured.length;
      await expect(index.default()).rejects.toThrow(
        /the test stack would run 1501 gateway containers through @pulumi\/docker .*limit of 1500 per stack.*prichal:gateways: engine/s,
      );
      await new Promise((r) => setTimeout(r, 50));
      expect(captured.length).toBe(before);
      // Not said: the engine's gateway shards, no Docker resource.
      pulumi.runtime.setAllConfig({ 'prichal:inventory': dir });
      await index.default();
      await new Promise((r) => setTimeout(r, 200));
      const created = captured.slice(before);
      expect(created.filter((c) => c.type === 'prichal:index:GatewayShard').length).toBeGreaterThan(0);
      expect(created.filter((c) => c.type.startsWith('docker:'))).toEqual([]);
      const held = created
        .filter((c) => c.type === 'prichal:index:GatewayShard')
        .flatMap((c) => (c.inputs.gateways as Array<{ participant: string }>).map((g) => g.participant));
      expect(held).toHaveLength(PULUMI_GATEWAY_LIMIT + 1);
    } finally {
      pulumi.runtime.setAllConfig({});
      await rm(dir, { recursive: true, force: true });
    }
  });
});
