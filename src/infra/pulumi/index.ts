// Entry point of the Pulumi program for a standard Pulumi install (Pulumi.yaml main): stack
// name = contour. `prichal up` runs the same definePrichal inline instead (engine.ts). Reads the
// inventory named by config `prichal:inventory`, refuses one that does not validate, and
// defines the resources. Secrets (SSH keys, bus credentials) come from stack secrets
// `prichal-secrets:<name>` when set, else from Prichal's secret store, by the inventory's
// `credentials` names.
import * as pulumi from '@pulumi/pulumi';
import { checkInventory } from '../../requirements/index.js';
import { readSecret } from '../secrets.js';
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
  const checked = await checkInventory(inventory);
  if (!checked.ok || !checked.plan) throw new Error(`the inventory ${inventory} does not validate; run 'prichal validate'`);
  const secrets = new pulumi.Config('prichal-secrets');
  definePrichal({
    contour: stack,
    plan: checked.plan,
    operator: checked.validation.inventory.operator!.value,
    gateways,
    secret: (name) => secrets.getSecret(name) ?? pulumi.secret(readSecret(name)),
  });
}
