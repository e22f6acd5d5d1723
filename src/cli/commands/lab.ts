// Lab-only commands: the local lab, and gateways started in it (stack setting gateways:
// external; in an operator's estate another party runs them). The only CLI file that imports the lab.
import type { ContourName } from '../../inventory/index.js';
import { contourGatewaySpecs, ensureGateways } from '../../infra/gateways.js';
import { LAB_LABEL } from '../../infra/lab/image.js';
import { labDown, labStatus, labUp } from '../../infra/lab/lab.js';
import { UsageError } from '../errors.js';
import type { Lang } from '../../report/index.js';
import { checkInventory } from '../../requirements/index.js';
import { gatewaysOf, liveContext } from '../../workflows/context.js';

/**
 * Gateways in "external" mode, in the lab: started from the same specification the Pulumi
 * program emits, with the image and network operator.yaml declares, by the Docker CLI.
 */
export async function gateways(options: { inventory: string; contour: ContourName; log: (line: string) => void }) {
  const { plan, operator } = await liveContext(options.inventory);
  const declared = gatewaysOf(operator);
  const specs = contourGatewaySpecs(plan, options.contour, {
    image: declared.image,
    network: declared.network[options.contour],
  });
  return ensureGateways(specs, options.contour, { [LAB_LABEL]: 'true' }, options.log);
}

export async function lab(options: {
  action: string;
  inventory: string;
  log: (line: string) => void;
  withHosts: boolean;
}) {
  switch (options.action) {
    case 'up': {
      const checked = await checkInventory(options.inventory);
      if (!checked.ok || !checked.plan || !checked.validation.inventory.operator) {
        throw new UsageError({
          en: `the inventory ${options.inventory} does not validate; run 'prichal validate' first`,
          ru: `реестр ${options.inventory} не проходит проверку; сначала запустите 'prichal validate'`,
        });
      }
      const topology = await labUp(checked.plan, checked.validation.inventory.operator.value, {
        log: options.log,
        withHosts: options.withHosts,
      });
      return { action: 'up', status: await labStatus(), topology };
    }
    case 'down':
      return { action: 'down', removed: await labDown(options.log) };
    case 'status':
      return { action: 'status', status: await labStatus() };
    default:
      throw new UsageError({
        en: `lab takes up, down or status, not '${options.action}'`,
        ru: `lab: up, down или status, а не '${options.action}'`,
      });
  }
}

export function labText(result: Awaited<ReturnType<typeof lab>>, lang: Lang): string {
  const ru = lang === 'ru';
  if (result.action === 'down')
    return ru
      ? `удалено контейнеров: ${result.removed!.containers}, сетей: ${result.removed!.networks}`
      : `removed ${result.removed!.containers} containers and ${result.removed!.networks} networks`;
  if (!result.status) return '';
  const lines = result.status.containers.map((c) => `${c.name.padEnd(48)} ${c.state}`);
  lines.push(
    ru
      ? `контейнеров: ${result.status.containers.length}, сетей: ${result.status.networks.length}`
      : `${result.status.containers.length} containers, ${result.status.networks.length} networks`,
  );
  return lines.join('\n');
}
