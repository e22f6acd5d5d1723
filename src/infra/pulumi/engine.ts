// The Pulumi engine, run through the Automation API with the program inline: the CLI serves
// state, locking, diffs and ordering; the program (definePrichal) runs in this Node process
// (no language host); Prichal's resources are served by the provider plugin in bin/.
//   - Engine: the `pulumi` that setup put on PATH (PRICHAL_PULUMI), pinned to @pulumi/pulumi's
//     version; no update checks, no plugin downloads, never Pulumi Cloud.
//   - State: a self-managed backend, PRICHAL_PULUMI_BACKEND (file://, postgres://, s3://…),
//     default file://<project>/.state/pulumi (git-ignored).
//   - Secrets: the passphrase provider; the passphrase is Prichal's secret `pulumi-passphrase`.
//     SSH keys and bus credentials are read from the secret store before the engine starts and
//     handed to the program as Pulumi secrets, so nothing encrypted is committed and a fresh
//     machine with the secrets works.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { readText } from '../../files.js';
import { homedir } from 'node:os';
import path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse as parseYaml } from 'yaml';
import { LocalWorkspace, PulumiCommand, type EngineEvent, type OpType, type Stack } from '@pulumi/pulumi/automation/index.js';
import type { ContourName, OperatorFile } from '../../inventory/index.js';
import type { Plan, PlannedEdge } from '../../plan/index.js';
import { flowElement } from '../../render/index.js';
import { PROJECT_ROOT } from '../../project.js';
import { PASSPHRASE_SECRET, readSecret } from '../secrets.js';
import { definePrichal, firewallName, shardName, type GatewayMode } from './program.js';
import { BUS_REGISTRATIONS, EDGE_FIREWALL, busShardUpdate, edgeFirewallChanges, shardOf, unpackEdge, type PackedEdge, type ResourceChange } from './resources.js';
import { EngineError, StackLockedError, type LockHolder } from './errors.js';

export { EngineError, StackLockedError, type LockHolder };

export const PROJECT = 'prichal';

export type EngineAction = 'preview' | 'up' | 'refresh' | 'destroy' | 'unlock';

export interface EngineRequest {
  action: EngineAction;
  contour: ContourName;
  plan: Plan;
  operator: OperatorFile;
  gateways: GatewayMode;
  /** Only this participant's objects: the shard holding its registration, and its edge's table when its flows change. */
  participant?: string;
  /** preview/up: refresh first (read the live state). */
  refresh?: boolean;
  /** One call per resource operation, as the engine reports it. */
  onProgress?: (step: StepReport) => void;
  /** One call when the engine has started (its start-up time, for the benchmark). */
  onStarted?: () => void;
}

/** One resource operation: what, on which resource, for whom, and the changes it makes. */
export interface StepReport {
  op: OpType;
  type: string;
  name: string;
  status: 'planned' | 'done' | 'failed';
  participants: string[];
  changes: ResourceChange[];
  durationMs?: number;
}

export interface EngineResult {
  action: EngineAction;
  contour: ContourName;
  stack: string;
  backend: string;
  /** Operations by kind (create, update, delete, same, …) as the engine counted them. */
  summary: Record<string, number>;
  /** Resources that change (not "same"), in order. */
  steps: StepReport[];
  /** Changes grouped: by resource type, and by participant (shared objects under "(shared)"). */
  byType: Record<string, Record<string, number>>;
  byParticipant: Record<string, ResourceChange[]>;
  changed: boolean;
  timings: { startupMs: number; totalMs: number };
}

/** The holders named in the engine's lock error ("created by user@host (pid N) at TIME"). */
export function lockHolders(text: string): LockHolder[] {
  // The engine's text can repeat the list (message and stderr): one entry per lock.
  const unique = new Map([...text.matchAll(/created by (\S+)@(\S+) \(pid (\d+)\) at (\S+)/g)].map((m) => [m[0], { user: m[1]!, host: m[2]!, pid: Number(m[3]), since: m[4]! }]));
  return [...unique.values()];
}

export function backendUrl(): string {
  return process.env.PRICHAL_PULUMI_BACKEND || `file://${path.join(PROJECT_ROOT, '.state', 'pulumi')}`;
}

/** Backend URLs may carry a password (postgres://user:pw@…): never print it. */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]+):([^/@\s]*)@/gi, (_, scheme: string, user: string) => `${scheme}${user}:***@`);
}

/**
 * The stack setting both entry points read: `prichal:gateways` (pulumi | external) in
 * stacks/Pulumi.<contour>.yaml — who runs the gateways. Their image and networks are facts of
 * the estate, in operator.yaml. Only settings: secrets never go there.
 */
export async function stackSettings(contour: ContourName): Promise<{ gateways: GatewayMode }> {
  const file = path.join(PROJECT_ROOT, 'stacks', `Pulumi.${contour}.yaml`);
  // By the reading rule (a FIFO or a device there would hang or fill memory); absent: the defaults.
  const text = readText(file, { missing: 'undefined' }) ?? '';
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new EngineError(`${file}: not YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const config = ((parsed as { config?: Record<string, unknown> } | null)?.config ?? {}) as Record<string, unknown>;
  const gateways = (config['prichal:gateways'] ?? 'pulumi') as GatewayMode;
  if (gateways !== 'pulumi' && gateways !== 'external') throw new EngineError(`${file}: prichal:gateways must be pulumi or external, not '${String(gateways)}'`);
  return { gateways };
}

/** Credentials the program needs in this contour, by name (read once, before the engine starts). */
function credentialNames(contour: ContourName, plan: Plan, operator: OperatorFile): string[] {
  const names = new Set<string>([operator.contours[contour].bus.credentials]);
  if (contour === 'test') for (const e of plan.edges) names.add(e.ssh.credentials);
  else names.add(operator.contours.test.bus.credentials);
  return [...names];
}

const urnOf = (contour: ContourName, type: string, name: string) => `urn:pulumi:${contour}::${PROJECT}::${type}::${name}`;

/** A participant's flows on an edge, as set elements: what its share of the edge table is. */
function flowsOf(edge: PlannedEdge | undefined, participant: string): string {
  return edge ? [...edge.ingress, ...edge.egress].filter((f) => f.participant === participant).map(flowElement).sort().join('\n') : '';
}

/**
 * URNs of the resources holding one participant: the shard of its registration, and in the test
 * stack the table of its edge when its flows there change (`recorded` = the edge as the state
 * last applied it). The run is scoped to the participant (program.ts), so those resources change
 * its objects only: the shard's other registrations and the edge's other flows stay as recorded.
 */
export function participantTargets(contour: ContourName, plan: Plan, participant: string, recorded: ReadonlyMap<string, PlannedEdge> = new Map()): string[] {
  const registration = plan.contours[contour].registrations.find((r) => r.participant === participant);
  if (!registration) throw new EngineError(`${participant} has no resources in the ${contour} contour (not registered there)`);
  const out = [urnOf(contour, BUS_REGISTRATIONS, shardName(contour, shardOf(registration.mnemonic)))];
  if (contour === 'test') {
    for (const e of plan.edges) {
      const before = recorded.get(e.id);
      if (flowsOf(before, participant) !== flowsOf(e, participant)) out.push(urnOf(contour, EDGE_FIREWALL, firewallName(e.id)));
    }
  }
  return out;
}

/** The edges as the stack's state last applied them (from the deployment the backend holds). */
async function recordedEdges(stack: Stack): Promise<Map<string, PlannedEdge>> {
  const deployment = (await stack.exportStack()).deployment as { resources?: Array<{ type: string; outputs?: { edge?: PackedEdge } }> };
  const out = new Map<string, PlannedEdge>();
  for (const r of deployment.resources ?? []) if (r.type === EDGE_FIREWALL && r.outputs?.edge) out.set(r.outputs.edge.id, unpackEdge(r.outputs.edge));
  return out;
}

/**
 * The engine binary: PRICHAL_PULUMI (set by setup), else the one setup built into the cache
 * (`<cache>/prichal/pulumi-v<version>/bin/pulumi`, the version @pulumi/pulumi is pinned to), else
 * `pulumi` on PATH — so `prichal up` works from any shell once setup has run.
 */
export function enginePath(): string | undefined {
  if (process.env.PRICHAL_PULUMI) return process.env.PRICHAL_PULUMI;
  const version = PULUMI_SDK_VERSION();
  const cache = process.env.PRICHAL_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'prichal');
  const cached = path.join(cache, `pulumi-v${version}`, 'bin', 'pulumi');
  return existsSync(cached) ? cached : undefined;
}

async function pulumiCommand(binary: string | undefined): Promise<PulumiCommand> {
  // Setup pins the CLI to @pulumi/pulumi's version; the version check stays on.
  try {
    return binary ? await PulumiCommand.get({ root: path.dirname(path.dirname(binary)) }) : await PulumiCommand.get();
  } catch (error) {
    throw new EngineError(`the Pulumi engine is not installed here (${(error as Error).message}); run scripts/setup.sh, or put pulumi v${PULUMI_SDK_VERSION()} on PATH`);
  }
}

const PULUMI_SDK_VERSION = () => (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules', '@pulumi', 'pulumi', 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The checkpoint policy. A self-managed backend rewrites the whole state after every step; with
 * them skipped, the state is written once, at the end, and a run that dies records nothing of
 * what it did. That is safe only when every create tolerates objects that already exist, so the
 * re-run converges (test/integration/engine-interrupted.test.ts kills a large first apply to
 * prove it): true of Prichal's provider (edge tables, bus shards), not of @pulumi/docker, whose
 * create fails on a container name in use. So: skipped unless Prichal runs the gateways itself;
 * PRICHAL_PULUMI_CHECKPOINTS=every-step keeps them always.
 */
export function skipCheckpoints(gateways: GatewayMode): boolean {
  return gateways === 'external' && process.env.PRICHAL_PULUMI_CHECKPOINTS !== 'every-step';
}

async function openStack(request: EngineRequest): Promise<Stack> {
  const { contour, plan, operator } = request;
  const secrets = new Map<string, string>();
  for (const name of credentialNames(contour, plan, operator)) secrets.set(name, await readSecret(name));
  const passphrase = await readSecret(PASSPHRASE_SECRET);
  const backend = backendUrl();
  if (backend.startsWith('file://')) await mkdir(backend.slice('file://'.length), { recursive: true });

  const program = async () => {
    definePrichal({
      contour,
      plan,
      operator,
      gateways: request.gateways,
      secret: (name) => pulumi.secret(secrets.get(name)!),
      ...(request.participant ? { scope: request.participant } : {}),
    });
  };
  const binary = enginePath();
  const pulumiDir = binary ? path.dirname(binary) : undefined;
  const envVars: Record<string, string> = {
    PULUMI_BACKEND_URL: backend,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: 'true',
    PULUMI_SKIP_CHECKPOINTS: String(skipCheckpoints(request.gateways)),
    // The provider plugin (bin/pulumi-resource-prichal) and the engine are found on PATH.
    PATH: [path.join(PROJECT_ROOT, 'bin'), ...(pulumiDir ? [pulumiDir] : []), process.env.PATH ?? ''].join(path.delimiter),
  };
  return LocalWorkspace.createOrSelectStack(
    { stackName: contour, projectName: PROJECT, program },
    {
      pulumiCommand: await pulumiCommand(binary),
      envVars,
      secretsProvider: 'passphrase',
      projectSettings: { name: PROJECT, runtime: 'nodejs', backend: { url: backend } },
    },
  );
}

/** What one resource operation changes, and for which participants (the provider's diff functions). */
function describe(type: string, name: string, op: OpType, olds: any, news: any, plan: Plan): { participants: string[]; changes: ResourceChange[] } {
  let changes: ResourceChange[] = [];
  if (op === 'refresh') {
    // What refresh found on the live system; an object that is gone reads as such.
    changes = news ? ((news.differences ?? []) as ResourceChange[]) : [{ message: `${name} is gone from the live system` }];
  } else if (type === EDGE_FIREWALL) {
    const edge = plan.edges.find((e) => firewallName(e.id) === name);
    if (op === 'update' && olds?.edge && news?.edge) changes = edgeFirewallChanges({ ...olds, edge: unpackEdge(olds.edge) }, { ...news, edge: unpackEdge(news.edge) });
    else if (edge) changes = [...new Set([...edge.ingress, ...edge.egress].map((f) => f.participant))].map((participant) => ({ participant, message: `flows ${op === 'delete' ? 'removed with' : 'in'} the table` }));
  } else if (type === BUS_REGISTRATIONS) {
    // A delete is the update that empties the shard; a create, an update from nothing.
    if (op === 'delete' && olds?.entries) changes = busShardUpdate(olds, { ...olds, entries: [] }).changes;
    else if (news?.entries) changes = busShardUpdate(op === 'update' ? olds : undefined, news).changes;
  }
  return { participants: [...new Set(changes.map((c) => c.participant).filter((p): p is string => !!p))].sort(), changes };
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf('::') + 2);

/** Runs one engine action on one contour's stack and reports what changed. */
export async function runEngine(request: EngineRequest): Promise<EngineResult> {
  const started = performance.now();
  const stack = await openStack(request);
  const startupMs = performance.now() - started;
  request.onStarted?.();
  const target = request.participant ? participantTargets(request.contour, request.plan, request.participant, await recordedEdges(stack)) : undefined;
  const steps: StepReport[] = [];
  const begun = new Map<string, number>();
  const refreshing = new Set<string>();

  const onEvent = (event: EngineEvent) => {
    if (process.env.PRICHAL_DEBUG_EVENTS) process.stderr.write(`${JSON.stringify(event)}\n`);
    const pre = event.resourcePreEvent?.metadata;
    const done = event.resOutputsEvent?.metadata;
    const failed = event.resOpFailedEvent?.metadata;
    const meta = pre ?? done ?? failed;
    if (!meta || meta.type === 'pulumi:pulumi:Stack' || meta.type.startsWith('pulumi:providers:')) return;
    if (pre) begun.set(meta.urn, performance.now());
    const finished = !!done || !!failed;
    // A refresh (its own action, or the first phase of --refresh) announces itself as 'refresh'
    // and ends as 'same', 'update' or 'delete': its result is what it found on the live system.
    if (pre?.op === 'refresh') refreshing.add(meta.urn);
    const refreshed = finished && refreshing.delete(meta.urn);
    const op: OpType = refreshed || pre?.op === 'refresh' ? 'refresh' : meta.op;
    // A preview only plans: its pre-events are the operations. Refreshes really run (in a
    // preview too), so they and every other operation are reported when they end.
    const planned = request.action === 'preview' && op !== 'refresh';
    if (planned ? !pre : !finished) return;
    if (op === 'same') return;
    const name = nameOf(meta.urn);
    const news = op === 'refresh' ? (meta.op === 'delete' ? undefined : meta.new?.outputs) : (meta.new?.inputs ?? meta.new?.outputs);
    const { participants, changes } = describe(meta.type, name, op, meta.old?.outputs, news, request.plan);
    if (op === 'refresh' && changes.length === 0) return;
    const step: StepReport = { op, type: meta.type, name, status: failed ? 'failed' : planned ? 'planned' : 'done', participants, changes };
    const t0 = begun.get(meta.urn);
    if (finished && t0 !== undefined) step.durationMs = performance.now() - t0;
    steps.push(step);
    request.onProgress?.(step);
  };

  let summary: Record<string, number> = {};
  // The SDK records the stack of every resource registration (sourcePosition, stackTrace) in
  // the state: absolute paths of this checkout. With no stack frames to read, it records none,
  // so the state is the same from any clone. Errors keep their messages; only traces go.
  const prepareStackTrace = Error.prepareStackTrace;
  Error.prepareStackTrace = (error: Error) => `${error.name}: ${error.message}`;
  try {
    if (request.action === 'preview') {
      // --expect-no-changes is judged from this result (the caller's exit code), not by the
      // engine, which would fail the preview and lose the report of what would change.
      const r = await stack.preview({ onEvent, ...(target ? { target } : {}), ...(request.refresh ? { refresh: true } : {}) });
      summary = r.changeSummary as Record<string, number>;
    } else if (request.action === 'up') {
      const r = await stack.up({ onEvent, ...(target ? { target } : {}), ...(request.refresh ? { refresh: true } : {}) });
      summary = (r.summary.resourceChanges ?? {}) as Record<string, number>;
    } else if (request.action === 'refresh') {
      const r = await stack.refresh({ onEvent, ...(target ? { target } : {}) });
      summary = (r.summary.resourceChanges ?? {}) as Record<string, number>;
    } else if (request.action === 'unlock') {
      // Removes the stack's lock (pulumi cancel): only for a lock whose process is gone.
      await stack.cancel();
    } else {
      const r = await stack.destroy({ onEvent, ...(target ? { target } : {}) });
      summary = (r.summary.resourceChanges ?? {}) as Record<string, number>;
    }
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (text.includes('the stack is currently locked')) throw new StackLockedError(request.contour, lockHolders(text));
    throw new EngineError(redactUrl(engineMessage(error, request)));
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
  }

  const byType: EngineResult['byType'] = {};
  const byParticipant: EngineResult['byParticipant'] = {};
  for (const s of steps) {
    const ops = (byType[s.type] ??= {});
    ops[s.op] = (ops[s.op] ?? 0) + 1;
    for (const c of s.changes) (byParticipant[c.participant ?? '(shared)'] ??= []).push(c);
  }
  // Changes: any operation that writes, and for refresh anything found that differs.
  const changed = steps.some((s) => s.op !== 'same' && s.op !== 'read' && (s.op !== 'refresh' || request.action === 'refresh'));
  return {
    action: request.action,
    contour: request.contour,
    stack: request.contour,
    backend: redactUrl(backendUrl()),
    summary,
    steps,
    byType,
    byParticipant,
    changed,
    timings: { startupMs, totalMs: performance.now() - started },
  };
}

/** The engine's own error text, trimmed to what an operator needs; secrets are never part of it. */
function engineMessage(error: unknown, request: EngineRequest): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').map((l) => l.trim());
  const useful = lines.filter((l) => /error|refus|lock|fail|conflict/i.test(l) && !/^(code|stdout|stderr):?$/i.test(l));
  const detail = (useful.length ? useful : lines.filter(Boolean)).slice(0, 8).join('\n  ');
  return `pulumi ${request.action} of the ${request.contour} stack failed:\n  ${detail}`;
}
