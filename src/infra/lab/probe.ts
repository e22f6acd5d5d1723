// The connectivity test protocol (seed 003, Appendix 9), run from the hub side of the lab:
// every declared endpoint must answer through the edge from the participant's gateway address,
// and a sample of undeclared flows must be dropped — other ports of its hosts, a decoy host at
// an undeclared address in its network, and another participant's gateway calling it. Decoys
// and extra ports really listen, so a leaking firewall shows up as an answer, not as silence.
import type { ContourName } from '../../inventory/index.js';
import type { Plan } from '../../plan/index.js';
import { docker } from '../docker.js';
import type { LabTopology } from './topology.js';

export const PROBE_PROTOCOL_VERSION = 1;

export interface AllowedCheck {
  endpoint: string;
  address: string;
  port: number;
  protocol: 'http' | 'https';
  path: string;
  source: string;
  result: 'answered' | 'no-answer' | 'wrong-host';
  httpStatus: number;
  connectMs: number;
}

export interface DeniedCheck {
  kind: 'undeclared-port' | 'undeclared-address' | 'foreign-gateway';
  description: string;
  source: string;
  address: string;
  port: number;
  /** dropped: no TCP handshake and no refusal; anything else means the packet got through. */
  result: 'dropped' | 'answered' | 'refused';
}

export interface ProbeProtocol {
  version: typeof PROBE_PROTOCOL_VERSION;
  contour: ContourName;
  participant: string;
  name: string;
  mnemonic: string;
  edge: string;
  gateway: string;
  startedAt: string;
  finishedAt: string;
  allowed: AllowedCheck[];
  denied: DeniedCheck[];
  passed: boolean;
}

export class ProbeError extends Error {
  override readonly name = 'ProbeError';
}

interface Job {
  id: string;
  source: string;
  url: string;
}

function script(jobs: Job[], connectTimeout: number): string {
  // One curl per check, all at once; each prints id, exit code, timing and the base64 body.
  const lines = jobs.map(
    (j) =>
      `( out=$(curl -sk --interface ${j.source} --connect-timeout ${connectTimeout} --max-time ${connectTimeout + 2} -w '\\n%{http_code} %{time_connect}' '${j.url}' 2>/dev/null); rc=$?; printf '%s\\t%s\\t%s\\n' '${j.id}' "$rc" "$(printf '%s' "$out" | base64 -w0)" ) &`,
  );
  return `${lines.join('\n')}\nwait\n`;
}

export async function probe(plan: Plan, topology: LabTopology, contour: ContourName, participant: string, options: { connectTimeoutSeconds?: number } = {}): Promise<ProbeProtocol> {
  const registration = plan.contours[contour].registrations.find((r) => r.participant === participant);
  if (!registration) throw new ProbeError(`${participant} is not registered in the ${contour} contour; nothing to probe`);
  const hosts = topology.hosts.filter((h) => h.participant === participant);
  if (hosts.length === 0) throw new ProbeError(`the lab has no hosts for ${participant}; run 'prichal lab up' with this inventory`);
  const running = await docker(['inspect', '--format', '{{.State.Running}}', topology.hub.container]).catch(() => 'false');
  if (running.trim() !== 'true') throw new ProbeError(`the lab is not running (${topology.hub.container}); run 'prichal lab up'`);

  const startedAt = new Date().toISOString();
  const gw = registration.gateway;
  const jobs: Job[] = [];
  const allowedMeta = new Map<string, Omit<AllowedCheck, 'result' | 'httpStatus' | 'connectMs'>>();
  const deniedMeta = new Map<string, Omit<DeniedCheck, 'result'>>();
  const scheme = (protocol: string) => (protocol === 'http' ? 'http' : 'https');

  registration.endpoints.forEach((e, i) => {
    const id = `a${i}`;
    allowedMeta.set(id, { endpoint: e.id, address: e.address, port: e.port, protocol: e.protocol, path: e.path, source: gw });
    jobs.push({ id, source: gw, url: `${scheme(e.protocol)}://${e.address}:${e.port}${e.path}` });
  });
  const declared = new Set(registration.endpoints.map((e) => `${e.address}:${e.port}`));
  let n = 0;
  const deny = (kind: DeniedCheck['kind'], description: string, source: string, address: string, port: number) => {
    const id = `d${n++}`;
    deniedMeta.set(id, { kind, description, source, address, port });
    jobs.push({ id, source, url: `https://${address}:${port}/` });
  };
  for (const host of hosts) {
    for (const port of host.ports) {
      if (declared.has(`${host.address}:${port}`)) continue;
      deny(host.role === 'decoy' ? 'undeclared-address' : 'undeclared-port', host.role === 'decoy' ? `undeclared address ${host.address} in ${participant}'s network` : `undeclared port ${port} on ${participant}'s endpoint host`, gw, host.address, port);
    }
  }
  const other = plan.contours[contour].registrations.find((r) => r.participant !== participant && r.gateway !== gw);
  const first = registration.endpoints[0];
  if (other && first) deny('foreign-gateway', `another participant's gateway (${other.participant}) calling ${participant}`, other.gateway, first.address, first.port);

  const connectTimeout = options.connectTimeoutSeconds ?? 2;
  const output = await docker(['exec', '-i', topology.hub.container, 'bash'], { input: script(jobs, connectTimeout), timeoutMs: (connectTimeout + 10) * 1000 });
  const results = new Map<string, { rc: number; body: string; status: number; connect: number }>();
  for (const line of output.split('\n').filter(Boolean)) {
    const [id, rc, b64] = line.split('\t');
    const text = Buffer.from(b64 ?? '', 'base64').toString('utf8');
    const cut = text.lastIndexOf('\n');
    const [status, connect] = text.slice(cut + 1).split(' ');
    results.set(id!, { rc: Number(rc), body: text.slice(0, Math.max(cut, 0)), status: Number(status) || 0, connect: Number(connect) || 0 });
  }

  const allowed: AllowedCheck[] = [...allowedMeta].map(([id, meta]) => {
    const r = results.get(id);
    const answered = r !== undefined && r.rc === 0 && r.status >= 200 && r.status < 500;
    const rightHost = answered && r.body.includes(`"participant":"${participant}"`) && r.body.includes(`"address":"${meta.address}"`);
    return { ...meta, result: answered ? (rightHost ? 'answered' : 'wrong-host') : 'no-answer', httpStatus: r?.status ?? 0, connectMs: Math.round((r?.connect ?? 0) * 1000) };
  });
  const denied: DeniedCheck[] = [...deniedMeta].map(([id, meta]) => {
    const r = results.get(id);
    // curl 28 without a TCP connect time: the SYN went unanswered, i.e. dropped. 7: refused (RST came back).
    const result: DeniedCheck['result'] = !r || (r.rc === 28 && r.connect === 0) ? 'dropped' : r.rc === 7 ? 'refused' : 'answered';
    return { ...meta, result };
  });
  return {
    version: PROBE_PROTOCOL_VERSION,
    contour,
    participant,
    name: registration.name,
    mnemonic: registration.mnemonic,
    edge: registration.edge,
    gateway: gw,
    startedAt,
    finishedAt: new Date().toISOString(),
    allowed,
    denied,
    passed: allowed.every((a) => a.result === 'answered') && denied.every((d) => d.result === 'dropped'),
  };
}
