// What commands that touch live systems share: a validated plan (refusing invalid input),
// secrets by name, connections to edges and the bus.
import type { ContourName, OperatorFile } from '../inventory/index.js';
import { BusClient } from '../infra/bus.js';
import type { HostSsh } from '../infra/edges.js';
import { collidingSecretNames, PASSPHRASE_SECRET, readCredentials } from '../infra/secrets.js';
import type { Plan, PlannedEdge } from '../plan/index.js';
import { UsageError } from './errors.js';
import { checkInventory } from '../requirements/index.js';

export interface LiveContext {
  plan: Plan;
  operator: OperatorFile;
}

export async function liveContext(inventory: string): Promise<LiveContext> {
  const checked = await checkInventory(inventory);
  const operator = checked.validation.inventory.operator?.value;
  if (!checked.ok || !checked.plan || !operator) {
    const errors = checked.findings.filter((f) => f.severity === 'error');
    throw new UsageError({
      en: `refusing to touch live systems: the inventory does not validate (${errors.length} errors; first: ${errors[0] ? `${errors[0].file}:${errors[0].line} ${errors[0].code}` : 'none'}); run 'prichal validate'`,
      ru: `действующие системы не изменяются: реестр не проходит проверку (ошибок: ${errors.length}; первая: ${errors[0] ? `${errors[0].file}:${errors[0].line} ${errors[0].code}` : 'нет'}); запустите 'prichal validate'`,
    });
  }
  refuseCollidingSecretNames(operator);
  return { plan: checked.plan, operator };
}

/** The secret names an operator file declares (and the engine's passphrase): none may read another's variable. */
function refuseCollidingSecretNames(operator: OperatorFile): void {
  const names = [
    PASSPHRASE_SECRET,
    ...operator.edges.map((e) => e.ssh.credentials),
    ...(operator.hub ? [operator.hub.ssh.credentials] : []),
    ...Object.values(operator.contours).map((c) => c.bus.credentials),
  ];
  const clashes = collidingSecretNames(names);
  if (!clashes.length) return;
  const list = clashes.map((c) => `${c.names.map((n) => `'${n}'`).join(', ')} → ${c.variable}`).join('; ');
  throw new UsageError({
    en: `refusing to touch live systems: operator.yaml names secrets that read one environment variable (${list}): one would get the other's value; rename one of them`,
    ru: `действующие системы не изменяются: в operator.yaml имена секретов, которые читаются из одной переменной окружения (${list}): один получил бы значение другого; переименуйте один из них`,
  });
}

export function selectEdges(plan: Plan, id: string | undefined): PlannedEdge[] {
  if (!id) return plan.edges;
  const edge = plan.edges.find((e) => e.id === id);
  if (!edge)
    throw new UsageError({
      en: `no edge '${id}' in the inventory; edges: ${plan.edges.map((e) => e.id).join(', ')}`,
      ru: `в реестре нет пограничного узла '${id}'; узлы: ${plan.edges.map((e) => e.id).join(', ')}`,
    });
  return [edge];
}

export { applyFirewalls, connectEdge, withEdge } from '../infra/edges.js';

export async function busClient(operator: OperatorFile, contour: ContourName): Promise<BusClient> {
  const bus = operator.contours[contour].bus;
  const { username, password } = await readCredentials(bus.credentials);
  return new BusClient({ url: bus.url, vhost: bus.vhost, username, password });
}

/** The hub host probes start from; an operator file without one cannot probe. */
export function hubOf(operator: OperatorFile): HostSsh {
  if (!operator.hub)
    throw new UsageError({
      en: 'operator.yaml names no hub host (hub: { ssh: … }, version 2): probes start there',
      ru: 'в operator.yaml не указан узел хаба (hub: { ssh: … }, версия 2): пробы запускаются с него',
    });
  return operator.hub.ssh;
}

/** Image and network of each contour's gateways as operator.yaml declares them. */
export function gatewaysOf(operator: OperatorFile): NonNullable<OperatorFile['gateways']> {
  if (!operator.gateways)
    throw new UsageError({
      en: 'operator.yaml declares no gateways (gateways: { image, network: { test, prod } }, version 2)',
      ru: 'в operator.yaml не объявлены шлюзы (gateways: { image, network: { test, prod } }, версия 2)',
    });
  return operator.gateways;
}

export function parseContour(value: string): ContourName {
  if (value !== 'test' && value !== 'prod')
    throw new UsageError({
      en: `--contour must be test or prod, not '${value}'`,
      ru: `--contour: test или prod, а не '${value}'`,
    });
  return value;
}
