// The gateway of one participant in one contour: its nginx configuration (rendered from
// templates/) and the container specification that every provisioner uses — the Pulumi program
// (gateways: pulumi) and the lab's Docker CLI provisioner (gateways: external) alike, so what is
// checked by drift is exactly what was started.
import { shortHash } from '../hash.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import type { ContourName } from '../inventory/index.js';
import type { PlannedRegistration } from '../plan/index.js';
import { GATEWAY_PORT } from '../plan/index.js';
import { TEMPLATES_DIR } from '../project.js';

const TEMPLATE = readFileSync(path.join(TEMPLATES_DIR, 'gateway.nginx.conf.mustache'), 'utf8');

export const GATEWAY_LABELS = {
  managed: 'prichal.managed',
  participant: 'prichal.participant',
  contour: 'prichal.contour',
  configHash: 'prichal.config-hash',
} as const;

/** The only hardening a gateway runs with: unprivileged user, no capabilities at all. */
export const GATEWAY_SECURITY = {
  user: '33:33',
  privileged: false,
  readOnlyRootFilesystem: true,
  capDrop: ['ALL'],
  capAdd: [] as string[],
  // Port 443 without CAP_NET_BIND_SERVICE: the namespaced sysctl lowers the privileged range.
  sysctls: { 'net.ipv4.ip_unprivileged_port_start': String(GATEWAY_PORT) },
  tmpfs: ['/tmp'],
} as const;

export interface GatewaySpec {
  name: string;
  participant: string;
  contour: ContourName;
  image: string;
  network: string;
  address: string;
  config: string;
  configHash: string;
  labels: Record<string, string>;
  command: string[];
  env: Record<string, string>;
  healthcheck: {
    test: string[];
    intervalSeconds: number;
    timeoutSeconds: number;
    retries: number;
    startPeriodSeconds: number;
  };
  restart: 'unless-stopped';
  security: typeof GATEWAY_SECURITY;
}

/** nginx has no quoting that survives every character: values are reduced to a safe alphabet. */
export function nginxSafe(value: unknown): string {
  return String(value).replace(/[^\p{L}\p{N} ._~%/:-]/gu, '_');
}

export function renderGatewayConfig(registration: PlannedRegistration, contour: ContourName): string {
  return Mustache.render(
    TEMPLATE,
    { participant: registration.participant, contour, listenPort: GATEWAY_PORT, endpoints: registration.endpoints },
    {},
    { escape: nginxSafe },
  );
}

export const gatewayName = (participant: string, contour: ContourName) => `prichal-gw-${participant}-${contour}`;

export function gatewaySpec(
  registration: PlannedRegistration,
  contour: ContourName,
  options: { image: string; network: string },
): GatewaySpec {
  const config = renderGatewayConfig(registration, contour);
  const configHash = shortHash(config);
  // The certificate is made at start in tmpfs: the root filesystem stays read-only and no key is baked into the image.
  const start =
    'openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=gateway -keyout /tmp/tls.key -out /tmp/tls.crt 2>/dev/null && printf "%s" "$GATEWAY_CONF" > /tmp/nginx.conf && exec nginx -c /tmp/nginx.conf -g "daemon off;"';
  return {
    name: gatewayName(registration.participant, contour),
    participant: registration.participant,
    contour,
    image: options.image,
    network: options.network,
    address: registration.gateway,
    config,
    configHash,
    labels: {
      [GATEWAY_LABELS.managed]: 'gateway',
      [GATEWAY_LABELS.participant]: registration.participant,
      [GATEWAY_LABELS.contour]: contour,
      [GATEWAY_LABELS.configHash]: configHash,
    },
    command: ['bash', '-c', start],
    env: { GATEWAY_CONF: config },
    // Docker's own default interval. Every check is an exec in the container: at 5 s, 400 gateways on
    // two cores were 80 execs a second, enough to starve the bus and sshd (docs/benchmarks.md); the
    // drift checks and probes, not the health status, are what notice a gateway that stopped.
    healthcheck: {
      test: ['CMD', 'curl', '-skf', `https://127.0.0.1:${GATEWAY_PORT}/health`],
      intervalSeconds: 30,
      timeoutSeconds: 3,
      retries: 3,
      startPeriodSeconds: 2,
    },
    restart: 'unless-stopped',
    security: GATEWAY_SECURITY,
  };
}

/** How every writable tmpfs of a gateway is mounted (read-only root, these the only writable places). */
export const GATEWAY_TMPFS_OPTIONS = 'rw,mode=1777';

/** The health check as the shell command `docker run --health-cmd` takes (Docker runs it as CMD-SHELL). */
export const healthShellCommand = (spec: GatewaySpec): string => spec.healthcheck.test.slice(1).join(' ');
