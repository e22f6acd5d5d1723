// The connectivity test protocol (Appendix 9 of the portal regulation): the sample of
// plan/probe.ts, one curl per check, all at once. What must answer is requested from the hub host
// operator.yaml names (over SSH like the edges) at the gateway's location for each endpoint: the
// gateway proxies it from its own address across the edge, so a stopped or misplaced gateway
// fails the check. What must be dropped is tried from inside the gateway container that owns the
// source address (through its Docker host's Engine API): only there does a leaked answer come
// back to the prober — a hub borrowing the gateway's address would see the answer routed to the
// real gateway and take a leak for a drop. Runs only when an engineer asks for it; it is the one
// command that sends traffic to participant addresses.
import type { ContourName } from '../inventory/index.js';
import type { AllowedProbe, DeniedProbe, ProbeSample } from '../plan/index.js';
import { withHost, type HostSsh } from './edges.js';
import { quoteFromFile } from '../files.js';
import { errorChain } from '../words.js';

export const PROBE_PROTOCOL_VERSION = 1;

export interface AllowedCheck extends AllowedProbe {
  result: 'answered' | 'no-answer' | 'wrong-host';
  httpStatus: number;
  connectMs: number;
}

export interface DeniedCheck extends DeniedProbe {
  /**
   * dropped: no TCP handshake and no refusal; answered or refused: the packet got through;
   * not-run: the gateway holding the source address could not run it (`reason` says why).
   */
  result: 'dropped' | 'answered' | 'refused' | 'not-run';
  reason?: string;
}

/**
 * Runs a shell script inside the gateway container that holds a source address (as the
 * container's own user) and returns what it printed; rejects when that gateway cannot run it.
 */
export type GatewayShell = (source: string, script: string, timeoutMs: number) => Promise<string>;

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

interface Job {
  id: string;
  url: string;
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function script(jobs: Job[], connectTimeout: number): string {
  // One curl per check, all at once; each prints id, exit code, timing and the base64 body.
  const lines = jobs.map(
    (j) =>
      `( out=$(curl -sk --connect-timeout ${connectTimeout} --max-time ${connectTimeout + 2} -w '\\n%{http_code} %{time_connect}' ${shellQuote(j.url)} 2>/dev/null); rc=$?; printf '%s\\t%s\\t%s\\n' '${j.id}' "$rc" "$(printf '%s' "$out" | base64 -w0)" ) &`,
  );
  return `${lines.join('\n')}\nwait\n`;
}

/**
 * Whether the answer came from the declared host. Hosts that say who they are (a JSON body with
 * `participant` and `address`, as the lab's endpoint hosts do) are held to it; any other answer
 * counts as the endpoint's.
 */
function rightHost(body: string, participant: string, address: string): boolean {
  try {
    const said = JSON.parse(body) as { participant?: unknown; address?: unknown };
    if (typeof said.participant !== 'string' || typeof said.address !== 'string') return true;
    return said.participant === participant && said.address === address;
  } catch {
    return true;
  }
}

export async function runProbe(
  sample: ProbeSample,
  hub: HostSsh,
  inGateway: GatewayShell,
  options: { connectTimeoutSeconds?: number } = {},
): Promise<ProbeProtocol> {
  const { registration, contour } = sample;
  const allowedJobs: Job[] = sample.allowed.map((a, i) => ({ id: `a${i}`, url: a.via }));
  const deniedBySource = new Map<string, Job[]>();
  sample.denied.forEach((d, i) =>
    deniedBySource.set(d.source, [
      ...(deniedBySource.get(d.source) ?? []),
      { id: `d${i}`, url: `https://${d.address}:${d.port}/` },
    ]),
  );
  const connectTimeout = options.connectTimeoutSeconds ?? 2;
  const timeoutMs = (connectTimeout + 20) * 1000;
  const startedAt = new Date().toISOString();
  const notRun = new Map<string, string>();
  const outputs = await Promise.all([
    withHost(
      hub,
      async (conn) => (await conn.exec('bash -s', { stdin: script(allowedJobs, connectTimeout), timeoutMs })).stdout,
    ),
    ...[...deniedBySource].map(([source, jobs]) =>
      inGateway(source, script(jobs, connectTimeout), timeoutMs).catch((error: unknown) => {
        const reason = errorChain(error, 'en').join(': ');
        for (const j of jobs) notRun.set(j.id, reason);
        return '';
      }),
    ),
  ]);
  const results = new Map<string, { rc: number; body: string; status: number; connect: number }>();
  for (const line of outputs.join('\n').split('\n').filter(Boolean)) {
    const [id, rc, b64] = line.split('\t');
    const text = Buffer.from(b64 ?? '', 'base64').toString('utf8');
    const cut = text.lastIndexOf('\n');
    const [status, connect] = text.slice(cut + 1).split(' ');
    results.set(id!, {
      rc: Number(rc),
      body: text.slice(0, Math.max(cut, 0)),
      status: Number(status) || 0,
      connect: Number(connect) || 0,
    });
  }
  const allowed: AllowedCheck[] = sample.allowed.map((a, i) => {
    const r = results.get(`a${i}`);
    const answered = r !== undefined && r.rc === 0 && r.status >= 200 && r.status < 500;
    const result = answered
      ? rightHost(r.body, registration.participant, a.address)
        ? 'answered'
        : 'wrong-host'
      : 'no-answer';
    return { ...a, result, httpStatus: r?.status ?? 0, connectMs: Math.round((r?.connect ?? 0) * 1000) };
  });
  const denied: DeniedCheck[] = sample.denied.map((d, i) => {
    const reason = notRun.get(`d${i}`);
    if (reason !== undefined) return { ...d, result: 'not-run', reason };
    const r = results.get(`d${i}`);
    // curl 28 without a TCP connect time: the SYN went unanswered, i.e. dropped. 7: refused (RST came back).
    const result: DeniedCheck['result'] =
      !r || (r.rc === 28 && r.connect === 0) ? 'dropped' : r.rc === 7 ? 'refused' : 'answered';
    return { ...d, result };
  });
  return {
    version: PROBE_PROTOCOL_VERSION,
    contour,
    participant: registration.participant,
    name: registration.name,
    mnemonic: registration.mnemonic,
    edge: registration.edge,
    gateway: registration.gateway,
    startedAt,
    finishedAt: new Date().toISOString(),
    allowed,
    denied,
    passed: allowed.every((a) => a.result === 'answered') && denied.every((d) => d.result === 'dropped'),
  };
}

/**
 * What makes a recorded probe protocol (`probe --out`) unusable, or undefined when it is one: every
 * field the test protocol prints is checked, a field named by its path (read by `docs` and `status`).
 */
export function probeProblem(
  data: unknown,
  expected?: { contour: ContourName; participant: string },
): string | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const isText = (v: unknown) => typeof v === 'string';
  const isPort = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
  // An instant as the probe records it (ISO 8601 with a zone), one Date can read.
  const isInstant = (v: unknown) =>
    typeof v === 'string' &&
    /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(v) &&
    Number.isFinite(Date.parse(v));
  const oneOf =
    (...values: string[]) =>
    (v: unknown) =>
      typeof v === 'string' && values.includes(v);
  const rules = {
    allowed: {
      endpoint: isText,
      address: isText,
      port: isPort,
      protocol: oneOf('http', 'https'),
      path: isText,
      source: isText,
      result: oneOf('answered', 'no-answer', 'wrong-host'),
      httpStatus: Number.isFinite,
      connectMs: Number.isFinite,
    },
    denied: {
      kind: oneOf('undeclared-port', 'undeclared-address', 'foreign-gateway'),
      description: isText,
      source: isText,
      address: isText,
      port: isPort,
      result: oneOf('dropped', 'answered', 'refused', 'not-run'),
    },
  } as const;
  if (!isObject(data)) return 'not a JSON object';
  if (data.version !== PROBE_PROTOCOL_VERSION)
    return `version is ${data.version === undefined ? 'missing' : quoteFromFile(JSON.stringify(data.version) ?? String(data.version))}, expected ${PROBE_PROTOCOL_VERSION}`;
  if (expected && (data.contour !== expected.contour || data.participant !== expected.participant))
    return `it records ${quoteFromFile(String(data.participant))} in ${quoteFromFile(String(data.contour))}, not ${expected.participant} in ${expected.contour}`;
  for (const field of ['name', 'mnemonic', 'edge', 'gateway'] as const)
    if (!isText(data[field])) return `${field} must be a string`;
  for (const field of ['startedAt', 'finishedAt'] as const)
    if (!isInstant(data[field])) return `${field} must be a date and time (ISO 8601 with a zone)`;
  if (typeof data.passed !== 'boolean') return 'passed must be true or false';
  for (const list of ['allowed', 'denied'] as const) {
    const items = data[list];
    if (!Array.isArray(items)) return `${list} must be a list`;
    for (const [i, item] of items.entries()) {
      if (!isObject(item)) return `${list}[${i}] must be an object`;
      for (const [field, valid] of Object.entries(rules[list]))
        if (!(valid as (v: unknown) => boolean)(item[field]))
          return `${list}[${i}].${field} is missing or not what a probe records`;
    }
  }
  return undefined;
}
