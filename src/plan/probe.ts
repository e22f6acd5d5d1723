// What the connectivity test protocol (Appendix 9 of the portal regulation) checks for one
// participant in one contour, from the plan alone: every declared endpoint must answer through
// the participant's gateway (a request to the gateway's location for it, which the gateway
// proxies from its own address across the edge), and a sample of undeclared flows from the
// gateway's address must be dropped — other ports of its endpoint hosts, an undeclared address
// in each of its networks, and another participant's gateway calling it. Pure; infra/probe.ts
// runs it. An estate that wants leaks to show as answers rather than silence (the lab does)
// listens on exactly these.
import { addressValue, cidrInterval, formatAddress, type ContourName } from '../inventory/index.js';
import { GATEWAY_PORT } from './firewall.js';
import type { Plan, PlannedRegistration } from './model.js';
import { inContourRu, WordedError } from '../words.js';

/** Ports probed on every endpoint host besides the allowed ones: plain web ports a leak would open. */
export const PROBE_EXTRA_PORTS = [80, 8080] as const;

export interface AllowedProbe {
  endpoint: string;
  address: string;
  port: number;
  protocol: 'http' | 'https';
  path: string;
  source: string;
  /** The gateway's location for the endpoint: what the probe requests (the gateway proxies it). */
  via: string;
}

export interface DeniedProbe {
  kind: 'undeclared-port' | 'undeclared-address' | 'foreign-gateway';
  description: string;
  source: string;
  address: string;
  port: number;
}

export interface ProbeSample {
  registration: PlannedRegistration;
  contour: ContourName;
  allowed: AllowedProbe[];
  denied: DeniedProbe[];
}

export class ProbeError extends WordedError {
  override readonly name = 'ProbeError';
}

/**
 * Where a gateway serves an endpoint: `/<endpoint id>/` on its port (the location its nginx
 * configuration gives the endpoint; ids are lower-case letters, digits and '-', safe in a URL).
 */
export const gatewayLocation = (gateway: string, endpoint: string) => `https://${gateway}:${GATEWAY_PORT}/${endpoint}/`;

/**
 * The undeclared address probed in a network: the highest host address below the last one
 * (often the router) that nothing declares.
 */
export function undeclaredAddress(cidr: string, declared: ReadonlySet<number>): string | undefined {
  const { start, end } = cidrInterval(cidr);
  for (let v = end - 2; v > start + 1; v--) if (!declared.has(v)) return formatAddress(v);
  return undefined;
}

export function probeSample(
  plan: Plan,
  contour: ContourName,
  participant: string,
  allowedPorts: readonly number[],
): ProbeSample {
  const registration = plan.contours[contour].registrations.find((r) => r.participant === participant);
  if (!registration)
    throw new ProbeError({
      en: `${participant} is not registered in the ${contour} contour; nothing to probe`,
      ru: `${participant} не зарегистрирован ${inContourRu(contour)}; проверять нечего`,
    });
  const gw = registration.gateway;
  const allowed: AllowedProbe[] = registration.endpoints.map((e) => ({
    endpoint: e.id,
    address: e.address,
    port: e.port,
    protocol: e.protocol,
    path: e.path,
    source: gw,
    via: gatewayLocation(gw, e.id),
  }));
  const denied: DeniedProbe[] = [];
  const declaredPorts = new Map<string, Set<number>>();
  for (const e of registration.endpoints)
    declaredPorts.set(e.address, (declaredPorts.get(e.address) ?? new Set()).add(e.port));
  const sampled = [...new Set([...allowedPorts, ...PROBE_EXTRA_PORTS])].sort((a, b) => a - b);
  for (const [address, ports] of declaredPorts) {
    for (const port of sampled)
      if (!ports.has(port))
        denied.push({
          kind: 'undeclared-port',
          description: `undeclared port ${port} on ${participant}'s endpoint host`,
          source: gw,
          address,
          port,
        });
  }
  const declared = new Set([...declaredPorts.keys()].map(addressValue));
  for (const network of registration.networks) {
    const address = undeclaredAddress(network, declared);
    if (!address) continue;
    for (const port of sampled)
      denied.push({
        kind: 'undeclared-address',
        description: `undeclared address ${address} in ${participant}'s network`,
        source: gw,
        address,
        port,
      });
  }
  const other = plan.contours[contour].registrations.find((r) => r.participant !== participant && r.gateway !== gw);
  const first = registration.endpoints[0];
  if (other && first)
    denied.push({
      kind: 'foreign-gateway',
      description: `another participant's gateway (${other.participant}) calling ${participant}`,
      source: other.gateway,
      address: first.address,
      port: first.port,
    });
  return { registration, contour, allowed, denied };
}
