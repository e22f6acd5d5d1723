import { labDown, labStatus, labUp } from '../../infra/lab/lab.js';
import { UsageError } from '../errors.js';
import { checkInventory } from '../../plan/index.js';

export async function lab(options: { action: string; inventory: string; log: (line: string) => void; withHosts: boolean }) {
  switch (options.action) {
    case 'up': {
      const checked = await checkInventory(options.inventory, new Date().toISOString().slice(0, 10));
      if (!checked.ok || !checked.plan || !checked.validation.inventory.operator) {
        throw new UsageError(`the inventory ${options.inventory} does not validate; run 'prichal validate' first`);
      }
      const topology = await labUp(checked.plan, checked.validation.inventory.operator.value, { log: options.log, withHosts: options.withHosts });
      return { action: 'up', status: await labStatus(), topology };
    }
    case 'down':
      return { action: 'down', removed: await labDown(options.log) };
    case 'status':
      return { action: 'status', status: await labStatus() };
    default:
      throw new UsageError(`lab takes up, down or status, not '${options.action}'`);
  }
}

export function labText(result: Awaited<ReturnType<typeof lab>>): string {
  if (result.action === 'down') return `removed ${result.removed!.containers} containers and ${result.removed!.networks} networks`;
  if (!result.status) return '';
  const lines = result.status.containers.map((c) => `${c.name.padEnd(48)} ${c.state}`);
  lines.push(`${result.status.containers.length} containers, ${result.status.networks.length} networks`);
  return lines.join('\n');
}
