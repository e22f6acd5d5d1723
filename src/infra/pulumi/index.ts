// Entry point of the Pulumi program for a standard Pulumi install (Pulumi.yaml main): stack
// name = contour. `prichal up` runs the same definePrichal inline instead (engine.ts). Reads the
// inventory named by config `prichal:inventory`, refuses one that does not validate, and
// defines the resources. No secret passes through the program or the state: resources name the
// secrets they use (the inventory's `credentials`), and the provider reads them from Prichal's
// secret store when it connects. The stack-config path `prichal-secrets:<name>` (a secret copied
// into the stack's configuration, and from there into the state) is retired: a stack that still
// sets one is refused, naming the setting to remove. The gateways are Prichal's own resources
// unless `prichal:gateways` says otherwise; @pulumi/docker's (`pulumi`) are refused above their
// limit of containers a stack, before any resource is registered.
import * as pulumi from '@pulumi/pulumi';
import { checkInventory } from '../../requirements/index.js';
import { checkGatewayLimit, DEFAULT_GATEWAY_MODE, definePrichal, GATEWAY_MODES, type GatewayMode } from './program.js';
import { retiredSecretSettings } from './upgrade.js';

// @pulumi/pulumi records `new Error().stack` on every promise it creates (leak diagnostics);
// at thousands of resources that dominates time and memory (profiled under mocks at 10,000 participants). Stacks are
// off while the program is built; PRICHAL_PULUMI_STACKS=1 turns them back on for debugging.
if (!process.env.PRICHAL_PULUMI_STACKS) Error.stackTraceLimit = 0;

export default async function main(): Promise<void> {
  const stack = pulumi.getStack();
  if (stack !== 'test' && stack !== 'prod') throw new Error(`stack must be test or prod (the contour), not '${stack}'`);
  const config = new pulumi.Config('prichal');
  const inventory = config.get('inventory') ?? 'inventory';
  const gateways = (config.get('gateways') ?? DEFAULT_GATEWAY_MODE) as GatewayMode;
  if (!GATEWAY_MODES.includes(gateways))
    throw new Error(`prichal:gateways must be engine, pulumi or external, not '${gateways}'`);
  const retired = retiredSecretSettings(Object.keys(pulumi.runtime.allConfig()), stack);
  if (retired) throw new Error(retired);
  const checked = await checkInventory(inventory);
  if (!checked.ok || !checked.plan)
    throw new Error(`the inventory ${inventory} does not validate; run 'prichal validate'`);
  // Before any resource is registered: a stack @pulumi/docker cannot run is refused whole.
  checkGatewayLimit(stack, checked.plan, gateways);
  definePrichal({
    contour: stack,
    plan: checked.plan,
    operator: checked.validation.inventory.operator!.value,
    gateways,
  });
}
