// The Pulumi engine, run through the Automation API with the program inline: the CLI serves
// state, locking, diffs and ordering; the program (definePrichal) runs in this Node process
// (no language host); Prichal's resources are served by the provider plugin in bin/.
//   - Engine: the `pulumi` that setup put on PATH (PRICHAL_PULUMI), pinned to @pulumi/pulumi's
//     version; no update checks, no plugin downloads, never Pulumi Cloud.
//   - State: a self-managed backend, PRICHAL_PULUMI_BACKEND (file://, postgres://, s3://…),
//     default file://<project>/.state/pulumi (git-ignored).
//   - Secrets: none in the state. Resources name the secrets they use; the provider reads them
//     from the secret store when it connects (credentials by reference). The secrets a run needs
//     are checked to exist before the engine starts. The passphrase provider (Prichal's secret
//     `pulumi-passphrase`) stays the stack's secrets provider: the engine requires one.
//   - A stack is opened tolerating a concurrent first run (created by whichever comes first,
//     selected by the other); the engine's lock then decides who runs: the other is refused with
//     the lock's holder, or waits for it (--wait-lock).
//   - A state written by an earlier resource model is upgraded first (upgrade.ts).
//   - Gateways: Prichal's own GatewayShard resources unless the stack says otherwise
//     (stackSettings); a stack whose gateways @pulumi/docker cannot run is refused first.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { makeFolder, readText } from '../../files.js';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { execa, ExecaError } from 'execa';
import { parse as parseYaml } from 'yaml';
import {
  CommandError,
  LocalWorkspace,
  PulumiCommand,
  Stack,
  StackAlreadyExistsError,
  StackNotFoundError,
  type EngineEvent,
  type OpType,
} from '@pulumi/pulumi/automation/index.js';
import type { ContourName, OperatorFile } from '../../inventory/index.js';
import type { Plan, PlannedEdge } from '../../plan/index.js';
import { channelLink, flowElement, isEmptyChannel, plannedChannel } from '../../render/index.js';
import {
  EDGE_CHANNEL,
  edgeChannelChanges,
  packLink,
  unpackChannel,
  type EdgeChannelInputs,
  type EdgeChannelState,
  type PackedChannel,
} from './channel-resource.js';
import { PROJECT_ROOT } from '../../project.js';
import type { Words } from '../../words.js';
import { PASSPHRASE_SECRET, readSecret } from '../secrets.js';
import {
  checkGatewayLimit,
  DEFAULT_GATEWAY_MODE,
  definePrichal,
  channelName,
  firewallName,
  GATEWAY_MODES,
  gatewayShardName,
  shardName,
  type GatewayMode,
} from './program.js';
import { GATEWAY_SHARD, gatewayShardUpdate, type GatewayShardInputs, type GatewayShardState } from './gateway-shard.js';
import {
  BUS_REGISTRATIONS,
  EDGE_FIREWALL,
  busShardUpdate,
  edgeFirewallChanges,
  shardOf,
  unpackEdge,
  type BusShardInputs,
  type BusShardState,
  type EdgeFirewallInputs,
  type PackedEdge,
  type ResourceChange,
  change,
} from './resources.js';
import { EngineError, StackLockedError, isStale, type LockHolder } from './errors.js';
import {
  StateUpgradeError,
  retiredSecretSettings,
  upgradeBusShard,
  upgradeDeployment,
  upgradeEdgeFirewall,
  type Deployment,
} from './upgrade.js';

export { EngineError, StackLockedError, type LockHolder };

export const PROJECT = 'prichal';

export type EngineAction = 'preview' | 'up' | 'refresh' | 'destroy' | 'unlock';

/** A report step's operation: the engine's, or `upgrade` (the state of an earlier model rewritten before the action, upgrade.ts). */
export type StepOp = OpType | 'upgrade';

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
  /** Another run holds the stack: wait up to this long for it (checking every few seconds) instead of refusing at once. */
  waitLockMs?: number;
  /** One call each time a run waits for the lock (--wait-lock): who holds it, and how long this run will still wait. */
  onLockWait?: (holders: LockHolder[], remainingMs: number) => void;
}

/** One resource operation: what, on which resource, for whom, and the changes it makes. */
export interface StepReport {
  op: StepOp;
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
  const unique = new Map(
    [...text.matchAll(/created by (\S+)@(\S+) \(pid (\d+)\) at (\S+)/g)].map((m) => [
      m[0],
      { user: m[1]!, host: m[2]!, pid: Number(m[3]), since: m[4]! },
    ]),
  );
  return [...unique.values()];
}

export function backendUrl(): string {
  return process.env.PRICHAL_PULUMI_BACKEND || `file://${path.join(PROJECT_ROOT, '.state', 'pulumi')}`;
}

/** Backend URLs may carry a password (postgres://user:pw@…): never print it. */
export function redactUrl(text: string): string {
  return text.replace(
    /([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]+):([^/@\s]*)@/gi,
    (_, scheme: string, user: string) => `${scheme}${user}:***@`,
  );
}

/**
 * The stack setting both entry points read: `prichal:gateways` (engine | pulumi | external) in
 * stacks/Pulumi.<contour>.yaml — who runs the gateways: Prichal's own provider (`engine`, also
 * when the setting is absent), @pulumi/docker (`pulumi`, up to PULUMI_GATEWAY_LIMIT containers a
 * stack) or another party (`external`). Their image, networks and hosts are facts of the estate,
 * in operator.yaml. Only settings: secrets never go there (the retired `prichal-secrets:<name>`
 * is refused, naming what to do instead).
 */
export async function stackSettings(
  contour: ContourName,
  dir = path.join(PROJECT_ROOT, 'stacks'),
): Promise<{ gateways: GatewayMode }> {
  const file = path.join(dir, `Pulumi.${contour}.yaml`);
  // By the reading rule (a FIFO or a device there would hang or fill memory); absent: the defaults.
  const text = readText(file, { missing: 'undefined' }) ?? '';
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new EngineError(`${file}: not YAML (${(error as Error).message.split('\n')[0]})`, { cause: error });
  }
  const config = ((parsed as { config?: Record<string, unknown> } | null)?.config ?? {}) as Record<string, unknown>;
  const retired = retiredSecretSettings(Object.keys(config), contour);
  if (retired) throw new EngineError(`${file}: ${retired}`);
  const gateways = (config['prichal:gateways'] ?? DEFAULT_GATEWAY_MODE) as GatewayMode;
  if (!GATEWAY_MODES.includes(gateways))
    throw new EngineError(`${file}: prichal:gateways must be engine, pulumi or external, not '${String(gateways)}'`);
  return { gateways };
}

/** The secrets this contour's resources name (the provider reads them; they are checked to exist before the engine starts). */
export function credentialNames(
  contour: ContourName,
  plan: Plan,
  operator: OperatorFile,
  gateways: GatewayMode = DEFAULT_GATEWAY_MODE,
): string[] {
  const names = new Set<string>([operator.contours[contour].bus.credentials]);
  if (contour === 'test') for (const e of plan.edges) names.add(e.ssh.credentials);
  else names.add(operator.contours.test.bus.credentials);
  // The SSH keys of the Docker hosts that hold this contour's gateways.
  if (gateways === 'engine') {
    const used = new Set(plan.contours[contour].registrations.map((r) => r.host));
    for (const h of plan.gatewayHosts) if (used.has(h.id) && h.credentials) names.add(h.credentials);
  }
  return [...names];
}

const urnOf = (contour: ContourName, type: string, name: string) =>
  `urn:pulumi:${contour}::${PROJECT}::${type}::${name}`;

/** A participant's flows on an edge, as set elements: what its share of the edge table is. */
function flowsOf(edge: PlannedEdge | undefined, participant: string): string {
  return edge
    ? [...edge.ingress, ...edge.egress]
        .filter((f) => f.participant === participant)
        .map(flowElement)
        .sort()
        .join('\n')
    : '';
}

/**
 * URNs of the resources holding one participant: the shard of its registration, and in the test
 * stack the table of its edge when its flows there change (`recorded` = the edge as the state
 * last applied it). The run is scoped to the participant (program.ts), so those resources change
 * its objects only: the shard's other registrations and the edge's other flows stay as recorded.
 */
export function participantTargets(
  contour: ContourName,
  plan: Plan,
  participant: string,
  recorded: ReadonlyMap<string, PlannedEdge> = new Map(),
  gateways: GatewayMode = DEFAULT_GATEWAY_MODE,
  recordedChannel: RecordedChannels = { edges: new Set(), links: new Map() },
): string[] {
  const registration = plan.contours[contour].registrations.find((r) => r.participant === participant);
  if (!registration)
    throw new EngineError(`${participant} has no resources in the ${contour} contour (not registered there)`);
  const out = [urnOf(contour, BUS_REGISTRATIONS, shardName(contour, shardOf(registration.mnemonic)))];
  if (gateways === 'engine')
    out.push(urnOf(contour, GATEWAY_SHARD, gatewayShardName(contour, registration.host, shardOf(participant))));
  if (contour === 'test') {
    for (const e of plan.edges) {
      const before = recorded.get(e.id);
      if (flowsOf(before, participant) !== flowsOf(e, participant))
        out.push(urnOf(contour, EDGE_FIREWALL, firewallName(e.id)));
    }
    // Its link, where the edge's channel last applied differs from the plan (both edges when it moves);
    // and the channel of an edge carrying its flows that the state does not have yet, created whole
    // like a new table: without its routes to the gateway hosts the participant's traffic stops there.
    const channels = new Set<string>();
    const before = recordedChannel.links.get(participant);
    const planned = plan.links.find((l) => l.participant === participant && l.circuit);
    const now = planned ? packLink(channelLink(planned as Parameters<typeof channelLink>[0])) : undefined;
    if (before?.edge !== planned?.edge || before?.link !== now)
      for (const edge of [before?.edge, planned?.edge]) if (edge) channels.add(edge);
    for (const e of plan.edges)
      if (!recordedChannel.edges.has(e.id) && flowsOf(e, participant) && !isEmptyChannel(plannedChannel(plan, e.id)))
        channels.add(e.id);
    for (const edge of [...channels].sort()) out.push(urnOf(contour, EDGE_CHANNEL, channelName(edge)));
  }
  return out;
}

/** A participant's link as an edge's channel last applied it: the edge and the packed link. */
export interface RecordedLink {
  edge: string;
  link: string;
}

/** The edges' channels as the stack's state last applied them: which edges have one, and each participant's link. */
export interface RecordedChannels {
  edges: ReadonlySet<string>;
  links: ReadonlyMap<string, RecordedLink>;
}

function recordedChannels(deployment: Deployment | undefined): RecordedChannels {
  const edges = new Set<string>();
  const links = new Map<string, RecordedLink>();
  for (const r of deployment?.resources ?? []) {
    if (r.type !== EDGE_CHANNEL || !r.outputs?.channel) continue;
    const edge = String(r.outputs.edge);
    edges.add(edge);
    for (const link of (r.outputs.channel as PackedChannel).links) links.set(link.split(' ')[0]!, { edge, link });
  }
  return { edges, links };
}

/** The edges as the stack's state last applied them (from the deployment the backend holds, whatever model wrote it). */
function recordedEdges(deployment: Deployment | undefined): Map<string, PlannedEdge> {
  const out = new Map<string, PlannedEdge>();
  for (const r of deployment?.resources ?? []) {
    if (r.type !== EDGE_FIREWALL || !r.outputs?.edge) continue;
    const edge = unpackEdge(upgradeEdgeFirewall(r.outputs).props.edge);
    out.set(edge.id, edge);
  }
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
  const cache =
    process.env.PRICHAL_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'prichal');
  const cached = path.join(cache, `pulumi-v${version}`, 'bin', 'pulumi');
  return existsSync(cached) ? cached : undefined;
}

async function pulumiCommand(binary: string | undefined): Promise<PulumiCommand> {
  // Setup pins the CLI to @pulumi/pulumi's version; the version check stays on.
  try {
    return binary ? await PulumiCommand.get({ root: path.dirname(path.dirname(binary)) }) : await PulumiCommand.get();
  } catch (error) {
    throw new EngineError(
      `the Pulumi engine is not installed here (${(error as Error).message}); run scripts/setup.sh, or put pulumi v${PULUMI_SDK_VERSION()} on PATH`,
      { cause: error },
    );
  }
}

const PULUMI_SDK_VERSION = () =>
  (
    JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules', '@pulumi', 'pulumi', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

/**
 * The checkpoint policy. A self-managed backend rewrites the whole state after every step; with
 * them skipped, the state is written once, at the end, and a run that dies records nothing of
 * what it did. That is safe only when every create tolerates objects that already exist, so the
 * re-run converges (test/integration/engine-interrupted.test.ts kills a large first apply to
 * prove it): true of Prichal's provider (edge tables, bus shards, gateway shards, which adopt a
 * container already running their specification), not of @pulumi/docker, whose create fails on
 * a container name in use. So: skipped unless @pulumi/docker runs the gateways;
 * PRICHAL_PULUMI_CHECKPOINTS=every-step keeps them always.
 */
export function skipCheckpoints(gateways: GatewayMode): boolean {
  return gateways !== 'pulumi' && process.env.PRICHAL_PULUMI_CHECKPOINTS !== 'every-step';
}

/** One contour's stack, opened: the Automation API's handle, and what runs the CLI directly (export, import). */
interface OpenStack {
  stack: Stack;
  /** Runs the engine's CLI on this stack's workspace (its backend, passphrase and project). */
  cli: (args: string[]) => Promise<string>;
  /** The workspace's scratch folder (the Automation API makes one per run): removed when the run ends. */
  workDir: string;
  /** The checkpoint as it was when the stack was opened (read in parallel with selecting the stack); used once. */
  opened?: Promise<Exported | undefined>;
}

type Exported = { version: number; deployment: Deployment };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);

/**
 * Lock contention as the engine reports it: a lock held by another run, or one that vanished
 * between the engine's listing of the locks and its reading of it (two runs taking the lock at
 * the same instant: each sees the other's, both let go).
 */
export function lockContention(text: string): boolean {
  if (text.includes('the stack is currently locked')) return true;
  // The lock listed, then gone when read: the file backend names its path, the PostgreSQL one only "no rows".
  return (
    (/\.pulumi\/locks\//.test(text) && /not ?found|no such file|does not exist/i.test(text)) ||
    (/could not list bucket/.test(text) && /code=NotFound|no rows in result set/.test(text))
  );
}

/**
 * The engine's PostgreSQL backend creates its table (`CREATE TABLE IF NOT EXISTS pulumi_state`)
 * when it opens a database; two runs opening a new database at the same instant can collide in
 * PostgreSQL's catalogue ("duplicate key value violates unique constraint pg_type_typname_nsp_index").
 * The table exists a moment later: such a failure is tried again.
 */
export function backendRace(text: string): boolean {
  return /failed to create table pulumi_state/.test(text) && /duplicate key|already exists/.test(text);
}

/**
 * A lock taken a moment ago. Two runs that collide take their locks within milliseconds of each
 * other; the engine records the time to the second, so "a moment" is 1.5 s. Only holders on this
 * host are judged by it (their clock is this host's).
 */
const fresh = (holder: LockHolder, at: number) => at - Date.parse(holder.since) < 1500;

/**
 * What a run refused by the stack's lock does next. Two runs that take the lock at the same
 * instant can both let go of it (each writes its lock, then sees the other's): the holder named
 * is then a run of this host that took the lock a moment ago and has already given up, or no
 * holder could be read (its lock vanished while the engine read it) — and the stack's state is
 * as it was, since neither ran. Such a refusal gets one more look (after a random pause), so one
 * of the two goes through. A holder still running, one that has held the lock for a while, or one
 * that ran and changed the state (`stateChanged`) is never second-guessed: the run waits for it
 * (--wait-lock, while time remains) or is refused.
 */
export function lockDecision(
  holders: LockHolder[],
  at: {
    refusedAt: number;
    looked: boolean;
    remainingMs: number;
    gone: (holder: LockHolder) => boolean;
    stateChanged?: () => Promise<boolean>;
  },
): Promise<'look-again' | 'wait' | 'refuse'> {
  const otherwise = at.remainingMs > 0 ? 'wait' : 'refuse';
  if (at.looked || !(holders.length === 0 || holders.some((h) => fresh(h, at.refusedAt) && at.gone(h))))
    return Promise.resolve(otherwise);
  return (at.stateChanged ? at.stateChanged() : Promise.resolve(false)).then((changed) =>
    changed ? otherwise : 'look-again',
  );
}

/**
 * Selects the contour's stack, creating it when it does not exist yet. Two first runs at the same
 * instant both find no stack: one creates it, the other's create fails — the stack exists (it
 * selects it), or its creator holds the lock while writing it (it looks again after a short
 * pause) — never the engine's "already exists". A lock that stays (a run holding a stack that is
 * still being created, or one that died doing so) is the lock's error, judged like any other.
 */
async function selectOrCreate(workspace: LocalWorkspace, name: string): Promise<Stack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await Stack.select(name, workspace);
    } catch (error) {
      if (!(error instanceof StackNotFoundError)) throw error;
    }
    try {
      return await Stack.create(name, workspace);
    } catch (error) {
      if (error instanceof StackAlreadyExistsError && attempt < 5) continue;
      if (!lockContention(String((error as Error).message)) || attempt >= 3) throw error;
      await sleep(between(200, 500));
    }
  }
}

async function openStack(request: EngineRequest): Promise<OpenStack> {
  const { contour, plan, operator } = request;
  // Credentials by reference: the provider reads them when it connects. A missing one is named
  // here, before the engine starts and before anything changes (the values are not kept).
  for (const name of credentialNames(contour, plan, operator, request.gateways)) await readSecret(name);
  const passphrase = await readSecret(PASSPHRASE_SECRET);
  const backend = backendUrl();
  if (backend.startsWith('file://')) await makeFolder(backend.slice('file://'.length));

  const program = async () => {
    definePrichal({
      contour,
      plan,
      operator,
      gateways: request.gateways,
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
    PATH: [path.join(PROJECT_ROOT, 'bin'), ...(pulumiDir ? [pulumiDir] : []), process.env.PATH ?? ''].join(
      path.delimiter,
    ),
  };
  const command = await pulumiCommand(binary);
  const workspace = await LocalWorkspace.create({
    program,
    pulumiCommand: command,
    envVars,
    secretsProvider: 'passphrase',
    projectSettings: { name: PROJECT, runtime: 'nodejs', backend: { url: backend } },
  });
  const cli = async (args: string[]) =>
    (
      await execa(command.command, [...args, '--stack', contour, '--non-interactive'], {
        cwd: workspace.workDir,
        env: { ...envVars, PULUMI_AUTOMATION_API: 'true' },
      })
    ).stdout;
  // The checkpoint is read in parallel with selecting the stack: a stack that does not exist yet has none.
  const opened = exportDeployment(cli).catch((error: Error) => {
    if (/no stack named/.test(error.message)) return undefined;
    throw error;
  });
  opened.catch(() => undefined);
  try {
    const stack = await selectOrCreate(workspace, contour);
    return { stack, cli, opened, workDir: workspace.workDir };
  } catch (error) {
    await opened.catch(() => undefined);
    await rm(workspace.workDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The stack's checkpoint as the backend holds it (`pulumi stack export`, secrets left encrypted:
 * nothing is decrypted into this process); undefined for a stack with no resources yet.
 */
async function exportDeployment(cli: OpenStack['cli']): Promise<Exported | undefined> {
  const exported = JSON.parse(await cli(['stack', 'export'])) as { version: number; deployment?: Deployment };
  return exported.deployment ? { version: exported.version, deployment: exported.deployment } : undefined;
}

/**
 * Upgrades a checkpoint written by an earlier resource model (upgradeDeployment: registrations
 * merged into shards, the bus secrets named, @pulumi/docker gateways released to the gateway
 * shards that adopt them), then imports it. The import takes the stack's lock,
 * and only a checkpoint that is still the backend's is replaced: read again just before, and
 * started over if another run wrote it meanwhile. Nothing changes on any live system. Returns the
 * checkpoint the action will run on, and what was upgraded.
 */
async function upgradeState(
  open: OpenStack,
  request: EngineRequest,
): Promise<{ deployment: Deployment | undefined; changes: ResourceChange[] }> {
  for (let attempt = 1; ; attempt++) {
    // The checkpoint read at opening serves the first look only: a later one (after waiting for a lock) reads it again.
    const opened = attempt === 1 ? open.opened : undefined;
    delete open.opened;
    const exported = opened ? await opened : await exportDeployment(open.cli);
    if (!exported) return { deployment: undefined, changes: [] };
    let upgrade: ReturnType<typeof upgradeDeployment>;
    try {
      upgrade = upgradeDeployment(exported.deployment, request.contour, request.operator, request.gateways);
    } catch (error) {
      if (error instanceof StateUpgradeError)
        throw new EngineError(
          `the ${request.contour} stack's state cannot be upgraded to today's resource model: ${error.message}`,
          { cause: error },
        );
      throw error;
    }
    if (!upgrade) return { deployment: exported.deployment, changes: [] };
    const current = await exportDeployment(open.cli);
    if (JSON.stringify(current) !== JSON.stringify(exported)) {
      if (attempt >= 5)
        throw new EngineError(
          `the ${request.contour} stack's state keeps changing while it is being upgraded; run again when no other run is using it`,
        );
      continue;
    }
    // A private folder for the file the CLI imports (it holds the checkpoint, secrets still encrypted).
    const dir = await mkdtemp(path.join(tmpdir(), 'prichal-upgrade-'));
    try {
      const file = path.join(dir, 'deployment.json');
      await writeFile(file, JSON.stringify({ version: exported.version, deployment: upgrade.deployment }), {
        mode: 0o600,
      });
      await open.cli(['stack', 'import', '--file', file]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // As the backend now holds it (the engine's own serialization, for comparisons later in the run).
    return {
      deployment: (await exportDeployment(open.cli))?.deployment ?? upgrade.deployment,
      changes: upgrade.changes,
    };
  }
}

/** A line of what an upgrade of the state's shape changed, resource by resource (upgrade.ts). */
const stateUpgraded = (note: Words): ResourceChange => change({ en: `state: ${note.en}`, ru: `состояние: ${note.ru}` });

/** A resource's properties in an engine event: untyped JSON, narrowed below by the resource's type. */
type EventProps = Record<string, unknown>;

/** What one resource operation changes, and for which participants (the provider's diff functions, on today's shape of the state). */
export function describeOperation(
  type: string,
  name: string,
  op: OpType,
  olds: EventProps | undefined,
  news: EventProps | undefined,
  plan: Plan,
): { participants: string[]; changes: ResourceChange[] } {
  let changes: ResourceChange[] = [];
  if (op === 'refresh') {
    // What refresh found on the live system; an object that is gone reads as such.
    changes = news
      ? ((news.differences ?? []) as ResourceChange[])
      : [change({ en: `${name} is gone from the live system`, ru: `${name} больше нет в действующей системе` })];
  } else if (type === EDGE_FIREWALL) {
    const edge = plan.edges.find((e) => firewallName(e.id) === name);
    if (op === 'update' && olds?.edge && news?.edge) {
      const before = upgradeEdgeFirewall(olds);
      changes = [
        ...edgeFirewallChanges(
          { ...before.props, edge: unpackEdge(before.props.edge) },
          { ...(news as unknown as EdgeFirewallInputs), edge: unpackEdge(news.edge as PackedEdge) },
        ),
        ...before.upgraded.map(stateUpgraded),
      ];
    } else if (edge)
      changes = [...new Set([...edge.ingress, ...edge.egress].map((f) => f.participant))].map((participant) =>
        change(
          op === 'delete'
            ? { en: 'flows removed with the table', ru: 'потоки удаляются вместе с таблицей' }
            : { en: 'flows in the table', ru: 'потоки в таблице' },
          participant,
        ),
      );
  } else if (type === EDGE_CHANNEL) {
    const edge = (news?.edge ?? olds?.edge) as string | undefined;
    const channelOf = (props: EventProps | undefined) =>
      props?.channel && edge
        ? { ...(props as unknown as EdgeChannelState), channel: unpackChannel(edge, props.channel as PackedChannel) }
        : undefined;
    const before = channelOf(olds);
    const after = channelOf(news);
    if (op === 'delete' && before)
      changes = edgeChannelChanges(before, { ...before, channel: { ...before.channel, links: [], gatewayRoutes: [] } });
    else if (after) changes = edgeChannelChanges(op === 'update' ? before : undefined, after as EdgeChannelInputs);
  } else if (type === GATEWAY_SHARD) {
    changes = gatewayShardChanges(op, olds as GatewayShardState | undefined, news as GatewayShardInputs | undefined);
  } else if (type === BUS_REGISTRATIONS) {
    const shard = news as unknown as BusShardInputs | undefined;
    const names = shard?.bus
      ? { bus: shard.bus.credentials, ...(shard.testBus ? { testBus: shard.testBus.credentials } : {}) }
      : undefined;
    const before = olds ? upgradeBusShard(olds, names) : undefined;
    // A delete is the update that empties the shard; a create, an update from nothing.
    if (op === 'delete' && before?.props.entries)
      changes = busShardUpdate(before.props as unknown as BusShardState, {
        ...(before.props as unknown as BusShardInputs),
        entries: [],
      }).changes;
    else if (shard?.entries)
      changes = [
        ...busShardUpdate(op === 'update' ? (before?.props as unknown as BusShardState) : undefined, shard).changes,
        ...(op === 'update' ? (before?.upgraded ?? []).map(stateUpgraded) : []),
      ];
  }
  return {
    participants: [...new Set(changes.map((c) => c.participant).filter((p): p is string => !!p))].sort(),
    changes,
  };
}

/** A gateway shard's operation, gateway by gateway: a create is an update from nothing, a delete one to no gateways. */
export function gatewayShardChanges(
  op: OpType,
  olds: GatewayShardState | undefined,
  news: GatewayShardInputs | undefined,
): ResourceChange[] {
  if (op === 'delete') return olds?.gateways ? gatewayShardUpdate(olds, { ...olds, gateways: [] }).changes : [];
  if (!news?.gateways) return [];
  return gatewayShardUpdate(op === 'update' || op === 'replace' ? olds : undefined, news).changes;
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf('::') + 2);

/**
 * Runs one engine action on one contour's stack and reports what changed. A stack whose gateways
 * @pulumi/docker cannot run (gateways: pulumi above its limit) is refused first, before the
 * engine starts: preview, up and refresh alike (destroy, which builds no program, stays the way out).
 */
export async function runEngine(request: EngineRequest): Promise<EngineResult> {
  if (request.action !== 'destroy' && request.action !== 'unlock')
    checkGatewayLimit(request.contour, request.plan, request.gateways);
  const started = performance.now();
  let open: OpenStack | undefined;
  let startupMs = 0;
  /** The checkpoint as this run last read it: a lock's holder that changed it meanwhile ran (lockDecision). */
  let seen: string | undefined;
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
    const news =
      op === 'refresh'
        ? meta.op === 'delete'
          ? undefined
          : meta.new?.outputs
        : (meta.new?.inputs ?? meta.new?.outputs);
    const { participants, changes } = describeOperation(meta.type, name, op, meta.old?.outputs, news, request.plan);
    if (op === 'refresh' && changes.length === 0) return;
    const step: StepReport = {
      op,
      type: meta.type,
      name,
      status: failed ? 'failed' : planned ? 'planned' : 'done',
      participants,
      changes,
    };
    const t0 = begun.get(meta.urn);
    if (finished && t0 !== undefined) step.durationMs = performance.now() - t0;
    steps.push(step);
    request.onProgress?.(step);
  };

  /** The action itself, on the stack as it is now (its state of today's model). */
  const act = async (): Promise<Record<string, number>> => {
    if (!open) {
      // Opening may meet the lock too (a stack being created by another run): judged below like the action's.
      open = await openStack(request);
      startupMs = performance.now() - started;
      request.onStarted?.();
    }
    const { stack } = open;
    if (request.action === 'unlock') {
      // Removes the stack's lock (pulumi cancel): only for a lock whose process is gone.
      await stack.cancel();
      return {};
    }
    const upgraded = await upgradeState(open, request);
    seen = JSON.stringify(upgraded.deployment ?? null);
    if (upgraded.changes.length) {
      const step: StepReport = {
        op: 'upgrade',
        type: 'pulumi:pulumi:Stack',
        name: `${PROJECT}-${request.contour}`,
        status: 'done',
        participants: [...new Set(upgraded.changes.map((c) => c.participant).filter((p): p is string => !!p))].sort(),
        changes: upgraded.changes,
      };
      steps.push(step);
      request.onProgress?.(step);
    }
    const target = request.participant
      ? participantTargets(
          request.contour,
          request.plan,
          request.participant,
          recordedEdges(upgraded.deployment),
          request.gateways,
          recordedChannels(upgraded.deployment),
        )
      : undefined;
    const options = { onEvent, ...(target ? { target } : {}) };
    if (request.action === 'preview') {
      // --expect-no-changes is judged from this result (the caller's exit code), not by the
      // engine, which would fail the preview and lose the report of what would change.
      return (await stack.preview({ ...options, ...(request.refresh ? { refresh: true } : {}) }))
        .changeSummary as Record<string, number>;
    }
    if (request.action === 'up')
      return ((await stack.up({ ...options, ...(request.refresh ? { refresh: true } : {}) })).summary.resourceChanges ??
        {}) as Record<string, number>;
    if (request.action === 'refresh')
      return ((await stack.refresh(options)).summary.resourceChanges ?? {}) as Record<string, number>;
    return ((await stack.destroy(options)).summary.resourceChanges ?? {}) as Record<string, number>;
  };

  let summary: Record<string, number> = {};
  // The SDK records the stack of every resource registration (sourcePosition, stackTrace) in
  // the state: absolute paths of this checkout. With no stack frames to read, it records none,
  // so the state is the same from any clone. Errors keep their messages; only traces go.
  const prepareStackTrace = Error.prepareStackTrace;
  Error.prepareStackTrace = (error: Error) => `${error.name}: ${error.message}`;
  const waitUntil = request.waitLockMs !== undefined ? Date.now() + request.waitLockMs : undefined;
  let looked = false;
  let raced = 0;
  try {
    for (;;) {
      try {
        summary = await act();
        break;
      } catch (error) {
        // Prichal's own errors (a missing secret, a refused upgrade…) as they are; the engine's CLI's, judged here.
        if (!(error instanceof CommandError) && !(error instanceof ExecaError)) throw error;
        const text = error.message;
        if (backendRace(text) && raced++ < 5) {
          await sleep(between(200, 600));
          continue;
        }
        // Not kept as the cause: the engine's own message can carry the backend's password, and
        // only the redacted words may reach a terminal or a log.
        if (request.action === 'unlock' || !lockContention(text))
          throw new EngineError(redactUrl(engineMessage(error, request)));
        const holders = lockHolders(text);
        const refusedAt = Date.now();
        const staleAtRefusal = holders.map(isStale);
        // A refusal that may be two runs letting go of the lock together waits a random moment before judging (lockDecision).
        if (!looked && (holders.length === 0 || holders.some((h) => fresh(h, refusedAt))))
          await sleep(between(300, 800));
        const stateChanged =
          open && seen !== undefined
            ? async () => JSON.stringify((await exportDeployment(open!.cli))?.deployment ?? null) !== seen
            : undefined;
        const next = await lockDecision(holders, {
          refusedAt,
          looked,
          remainingMs: waitUntil === undefined ? 0 : waitUntil - Date.now(),
          gone: isStale,
          ...(stateChanged ? { stateChanged } : {}),
        });
        looked = true;
        if (next === 'look-again') continue;
        if (next === 'refuse') throw new StackLockedError(request.contour, holders, request.waitLockMs, staleAtRefusal);
        const remaining = waitUntil! - Date.now();
        request.onLockWait?.(holders, remaining);
        await sleep(Math.min(remaining, between(1500, 3000)));
      }
    }
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    if (open) await rm(open.workDir, { recursive: true, force: true });
  }

  const byType: EngineResult['byType'] = {};
  const byParticipant: EngineResult['byParticipant'] = {};
  for (const s of steps) {
    const ops = (byType[s.type] ??= {});
    ops[s.op] = (ops[s.op] ?? 0) + 1;
    for (const c of s.changes) (byParticipant[c.participant ?? '(shared)'] ??= []).push(c);
  }
  // Changes: any operation that writes, and for refresh anything found that differs. An upgrade
  // of the state's shape changes nothing on a live system: it is reported, not counted.
  const changed = steps.some(
    (s) =>
      s.op !== 'same' && s.op !== 'read' && s.op !== 'upgrade' && (s.op !== 'refresh' || request.action === 'refresh'),
  );
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
