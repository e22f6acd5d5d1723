// The external gateway provisioner (stack setting gateways: external): starts each gateway from
// the very specification the Pulumi program would emit, with the Docker CLI. Idempotent: a
// container is replaced only when its specification changed; gateways of the contour that the
// plan no longer has are removed.
import type { ContourName } from '../inventory/index.js';
import type { Plan } from '../plan/index.js';
import { dockerRunArgs, GATEWAY_LABELS, gatewaySpec, type GatewaySpec } from '../render/index.js';
import { docker, ensureContainer, inspectMany, listContainers, type ContainerState } from './docker.js';

export function contourGatewaySpecs(
  plan: Plan,
  contour: ContourName,
  options: { image: string; network: string },
): GatewaySpec[] {
  return plan.contours[contour].registrations.map((r) => gatewaySpec(r, contour, options));
}

export async function listGatewayContainers(contour?: ContourName): Promise<string[]> {
  return listContainers(
    `label=${GATEWAY_LABELS.managed}=gateway`,
    ...(contour ? [`label=${GATEWAY_LABELS.contour}=${contour}`] : []),
  );
}

export async function ensureGateways(
  specs: readonly GatewaySpec[],
  contour: ContourName,
  extraLabels: Record<string, string> = {},
  log: (line: string) => void = () => {},
): Promise<{ created: number; kept: number; removed: number }> {
  const existing = await listGatewayContainers(contour);
  const current = new Map(
    (await inspectMany<ContainerState>('container', existing)).map((c) => [c.Name.replace(/^\//, ''), c]),
  );
  let created = 0;
  for (const spec of specs) {
    const result = await ensureContainer(
      spec.name,
      dockerRunArgs(spec, extraLabels),
      current,
      extraLabels,
      async (labels) => {
        await docker(dockerRunArgs(spec, labels));
        log(`gateway ${spec.name} started at ${spec.address}`);
      },
    );
    if (result === 'created') created++;
  }
  const kept = specs.length - created;
  const planned = new Set(specs.map((s) => s.name));
  const stale = existing.filter((name) => !planned.has(name));
  if (stale.length) await docker(['rm', '-f', ...stale]);
  return { created, kept, removed: stale.length };
}
