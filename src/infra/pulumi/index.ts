// Entry point of the Pulumi program (Pulumi.yaml main): stack name = contour. Reads the
// inventory named by config `prichal:inventory`, refuses one that does not validate, and
// defines the resources. Secrets (SSH keys, bus credentials) come from stack secrets named as
// the inventory's `credentials`. The engine cannot be built on this machine yet (issue 4).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pulumi from '@pulumi/pulumi';
import { checkInventory } from '../../cli/pipeline.js';
import { imageTag } from '../lab/image.js';
import { definePrichal, type GatewayMode } from './program.js';

// @pulumi/pulumi records `new Error().stack` on every promise it creates (leak diagnostics);
// at thousands of resources that dominates time and memory (profiled: issue 4 note). Stacks are
// off while the program is built; PRICHAL_PULUMI_STACKS=1 turns them back on for debugging.
if (!process.env.PRICHAL_PULUMI_STACKS) Error.stackTraceLimit = 0;

export default async function main(): Promise<void> {
  const stack = pulumi.getStack();
  if (stack !== 'test' && stack !== 'prod') throw new Error(`stack must be test or prod (the contour), not '${stack}'`);
  const config = new pulumi.Config('prichal');
  const inventory = config.get('inventory') ?? 'inventory';
  const gateways = (config.get('gateways') ?? 'pulumi') as GatewayMode;
  if (gateways !== 'pulumi' && gateways !== 'external') throw new Error(`prichal:gateways must be pulumi or external, not '${gateways}'`);
  const checked = await checkInventory(inventory, new Date().toISOString().slice(0, 10));
  if (!checked.ok || !checked.plan) throw new Error(`the inventory ${inventory} does not validate; run 'prichal validate'`);
  const secrets = new pulumi.Config('prichal-secrets');
  definePrichal({
    contour: stack,
    plan: checked.plan,
    operator: checked.validation.inventory.operator!.value,
    gateways,
    image: config.get('gatewayImage') ?? imageTag(),
    secret: (name) => secrets.requireSecret(name),
    modules: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'),
  });
}
