// A participant's gateway in one contour as @pulumi/docker resources (stack setting
// gateways: pulumi): exactly the GatewaySpec the other provisioners run. Kept where it works: a
// machine that can obtain the Docker provider plugin, and at most PULUMI_GATEWAY_LIMIT containers
// a stack (program.ts: each costs about 0.6 MiB in the Node SDK); the default, gateways: engine,
// has neither constraint.
import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { GATEWAY_TMPFS_OPTIONS, type GatewaySpec } from '../../render/index.js';

export interface GatewayArgs {
  spec: GatewaySpec;
  network: pulumi.Input<string>;
}

/** The container inputs for a spec: a pure function, tested against the spec under mocks. */
export function containerArgs(spec: GatewaySpec, network: pulumi.Input<string>): docker.ContainerArgs {
  const s = spec.security;
  return {
    name: spec.name,
    image: spec.image,
    labels: Object.entries(spec.labels).map(([label, value]) => ({ label, value })),
    networksAdvanced: [{ name: network, ipv4Address: spec.address }],
    user: s.user,
    privileged: s.privileged,
    readOnly: s.readOnlyRootFilesystem,
    tmpfs: Object.fromEntries(s.tmpfs.map((t) => [t, GATEWAY_TMPFS_OPTIONS])),
    capabilities: { drops: [...s.capDrop], adds: [...s.capAdd] },
    sysctls: { ...s.sysctls },
    restart: spec.restart,
    healthcheck: {
      tests: spec.healthcheck.test,
      interval: `${spec.healthcheck.intervalSeconds}s`,
      timeout: `${spec.healthcheck.timeoutSeconds}s`,
      retries: spec.healthcheck.retries,
      startPeriod: `${spec.healthcheck.startPeriodSeconds}s`,
    },
    envs: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    command: spec.command,
    mustRun: true,
  };
}

export class Gateway extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super('prichal:gateway:Gateway', name, {}, opts);
    this.container = new docker.Container(`${name}-container`, containerArgs(args.spec, args.network), {
      parent: this,
    });
    this.registerOutputs({ container: this.container.id });
  }
}
