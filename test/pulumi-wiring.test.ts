// The Pulumi program's wiring under pulumi.runtime.setMocks: resources per participant, names,
// container security, addresses from the plan, secrets kept secret, and pulumi-mode gateways
// carrying exactly the specification the external provisioner runs.
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkInventory } from '../src/requirements/index.js';
import type { OperatorFile } from '../src/inventory/index.js';
import type { Plan } from '../src/plan/index.js';
import { gatewaySpec } from '../src/render/index.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/project.js';

// The compiled program (see vitest.config.ts): what the engine runs.
const PROGRAM = path.join(PROJECT_ROOT, 'dist/src/infra/pulumi/program.js');

interface Captured {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const captured: Captured[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        captured.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'prichal',
    'test',
    false,
  );
});

async function build(contour: 'test' | 'prod', gateways: 'pulumi' | 'external') {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  const plan = checked.plan as Plan;
  const operator = checked.validation.inventory.operator!.value as OperatorFile;
  const { definePrichal } = (await import(PROGRAM)) as typeof import('../src/infra/pulumi/program.js');
  const before = captured.length;
  const resources = definePrichal({ contour, plan, operator, gateways, secret: (name) => pulumi.secret(`secret-of-${name}`) });
  // Let registrations settle.
  await new Promise((r) => setTimeout(r, 50));
  return { plan, operator, resources, created: captured.slice(before) };
}

describe('Pulumi program under mocks', () => {
  it('creates per participant one gateway (component + container), its registration in its mnemonic\'s shard, and one firewall per edge in the test stack', async () => {
    const { plan, created } = await build('test', 'pulumi');
    const count = (type: string) => created.filter((c) => c.type === type).length;
    const n = plan.contours.test.registrations.length;
    expect(count('prichal:gateway:Gateway')).toBe(n);
    expect(count('docker:index/container:Container')).toBe(n);
    expect(count('docker:index/network:Network')).toBe(1);
    const shards = created.filter((c) => c.type === 'prichal:index:BusRegistrations');
    const entries = shards.flatMap((c) => (c.inputs.entries as Array<{ participant: string; mnemonic: string }>).map((e) => ({ ...e, shard: c.inputs.shard })));
    expect(entries.map((e) => e.participant).sort()).toEqual(plan.contours.test.registrations.map((r) => r.participant).sort());
    const { shardOf } = (await import(path.join(path.dirname(PROGRAM), 'resources.js'))) as typeof import('../src/infra/pulumi/resources.js');
    for (const e of entries) expect(e.shard).toBe(shardOf(e.mnemonic));
    expect(new Set(shards.map((c) => c.inputs.shard)).size).toBe(shards.length);
    expect(count('prichal:index:EdgeFirewall')).toBe(plan.edges.length);
    // The provider plugin's resources carry only their properties: no provider code, no checkout path.
    for (const c of created.filter((x) => x.type.startsWith('prichal:index:'))) expect(JSON.stringify(c.inputs)).not.toContain(PROJECT_ROOT);
    // 2 resources per participant per contour (its gateway), plus the shared network, firewalls and shards.
    expect((created.length - 1 - plan.edges.length - shards.length) / n).toBe(2);
  });

  it('emits @pulumi/docker containers with exactly the gateway specification, hardened', async () => {
    const { plan, operator, created } = await build('prod', 'pulumi');
    const containers = created.filter((c) => c.type === 'docker:index/container:Container');
    expect(containers.map((c) => c.inputs.name).sort()).toEqual(plan.contours.prod.registrations.map((r) => `prichal-gw-${r.participant}-prod`).sort());
    for (const r of plan.contours.prod.registrations) {
      const spec = gatewaySpec(r, 'prod', { image: operator.gateways!.image, network: operator.gateways!.network.prod });
      const c = containers.find((x) => x.inputs.name === spec.name)!.inputs as Record<string, any>;
      expect(c.image).toBe(spec.image);
      expect(c.networksAdvanced[0].ipv4Address).toBe(r.gateway);
      expect(c.user).toBe('33:33');
      expect(c.privileged).toBe(false);
      expect(c.readOnly).toBe(true);
      expect(c.capabilities).toEqual({ drops: ['ALL'], adds: [] });
      expect(c.sysctls).toEqual({ 'net.ipv4.ip_unprivileged_port_start': '443' });
      expect(Object.fromEntries(c.labels.map((l: { label: string; value: string }) => [l.label, l.value]))).toEqual(spec.labels);
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

  it('keeps SSH keys and bus credentials secret', async () => {
    const { resources } = await build('test', 'external');
    expect(resources.firewalls).toHaveLength(2);
    const outputs = (r: unknown) => r as Record<string, pulumi.Output<unknown>>;
    for (const f of resources.firewalls) {
      expect(await pulumi.isSecret(outputs(f).privateKey!)).toBe(true);
      expect(await pulumi.isSecret(outputs(f).edge!)).toBe(false);
    }
    for (const r of resources.shards) expect(await pulumi.isSecret(outputs(r).credentials!)).toBe(true);
  });
});
