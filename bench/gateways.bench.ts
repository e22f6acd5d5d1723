// The gateways under `gateways: engine` (GatewayShard resources through the Docker Engine API), on
// the lab's two Docker hosts, through the workflow functions the CLI calls: N synthetic
// participants (BENCH_GATEWAY_PARTICIPANTS, default 200) in both contours, spread evenly over the
// sample's gateway hosts (docker-1 and docker-2 as the sample's lab runs them; the synthetic
// addresses lie beside the sample's, so the hosts are not rebuilt), bench vhosts and a file://
// backend of their own, so the sample's bus and state stay untouched. In one run:
//   1. the first `up` of both contours against starting the same containers directly through the
//      Engine API (DockerHost.createGateway, the same specifications, 8 at a time per host like a
//      provider's shard; BENCH_GATEWAY_DIRECT_CONCURRENCY) after removing them; the image is on
//      the hosts in both cases, its delivery measured apart;
//   2. a no-change `preview` of both contours against `drift` of the same estate;
//   3. one participant's endpoint port changed: `up --participant P` of both contours (exactly one
//      GatewayShard changes in each, checked from the engine's result) against the first `up`,
//      then the change undone by an untargeted `up`;
//   4. the program alone for BENCH_GATEWAY_PROGRAM_PARTICIPANTS (default 10,000; 0 leaves it out)
//      participants × 2 contours under the engine's mocks, in a process of its own (its peak RSS
//      is its own): wall time, peak RSS and the checkpoints' size, estimated from the resources'
//      serialized inputs and outputs and calibrated against the real checkpoints of phase 1.
// Then destroy of both stacks. A GatewayShard's delete removes its contour's labelled gateways on
// its host by shard, whichever estate they belong to: the sample's gateways it removes are started
// again from the sample's specifications at the end, with whatever an interrupted run left removed.
// Figures are printed with their targets; nothing is asserted (a benchmark reports).
//   node dist/bench/gateways.bench.js                     the whole run (needs the lab up)
//   node dist/bench/gateways.bench.js program N [test]    phase 4 alone, its figures as one JSON line
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as pulumi from '@pulumi/pulumi';
import { parse, stringify } from 'yaml';
import { mapBounded } from '../src/concurrency.js';
import { expectedGateways, type PlannedGateway } from '../src/collect/gateways.js';
import { SPEC_LABEL } from '../src/infra/docker.js';
import {
  DEFAULT_DOCKER_SOCKET,
  deliverImage,
  DockerHost,
  parseDockerEndpoint,
  withDockerHost,
  type DockerEndpoint,
  type ImageDelivery,
} from '../src/infra/docker-api.js';
import { GATEWAY_SHARD, gatewaySpecHash } from '../src/infra/pulumi/gateway-shard.js';
import { definePrichal, type ProgramResources } from '../src/infra/pulumi/program.js';
import type { EngineResult, StepReport } from '../src/infra/pulumi/engine.js';
import { readCredentials } from '../src/infra/secrets.js';
import type { ContourName } from '../src/inventory/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import { GATEWAY_LABELS } from '../src/render/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { liveContext } from '../src/workflows/context.js';
import { engineCommand } from '../src/workflows/engine.js';
import { firewall } from '../src/workflows/firewall.js';
import { checks, type ChecksTimings } from '../src/workflows/run-checks.js';
import { busAdmin, deleteUsers } from './bus-admin.js';
import { writeSyntheticInventory } from './synthetic.js';
import { met } from './measure.js';

const COUNT = Number(process.env.BENCH_GATEWAY_PARTICIPANTS ?? 200);
const PROGRAM_COUNT = Number(process.env.BENCH_GATEWAY_PROGRAM_PARTICIPANTS ?? 10_000);
const CONTOURS = ['test', 'prod'] as const;
const VHOST: Record<ContourName, string> = { test: 'bench-gateways-test', prod: 'bench-gateways-prod' };
/**
 * The direct path's containers at once per host: a provider shard's (its GATEWAY_CONCURRENCY);
 * BENCH_GATEWAY_DIRECT_CONCURRENCY sets another.
 */
const DIRECT_CONCURRENCY = Number(process.env.BENCH_GATEWAY_DIRECT_CONCURRENCY ?? 8);
/** The bench's own removals (not timed against anything): within a connection's channels at once (DockerHost's default 16). */
const REMOVE_CONCURRENCY = 16;
/** A handshake with a host under load can take long: the bench's own connections wait for it. */
const CONNECT = { connectTimeoutMs: 120_000 };
/** The synthetic participants' gateways: prichal-gw-org-NNNNN-<contour>. */
const SYNTHETIC = /^prichal-gw-org-\d{5}-(test|prod)$/;

const quiet = () => {};
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => (bytes < 1e6 ? `${(bytes / 1e3).toFixed(0)} kB` : `${(bytes / 1e6).toFixed(1)} MB`);

/** How busy the machine's CPUs are over `ms` (/proc/stat: everything but idle and I/O wait). */
async function cpuBusy(ms: number): Promise<string> {
  const sample = async () => {
    const fields = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { idle: fields[3]! + fields[4]!, total: fields.reduce((a, b) => a + b, 0) };
  };
  const before = await sample();
  await new Promise((r) => setTimeout(r, ms));
  const after = await sample();
  const load = (await readFile('/proc/loadavg', 'utf8')).split(' ')[0];
  return `CPUs ${(100 * (1 - (after.idle - before.idle) / (after.total - before.total))).toFixed(0)} % busy over ${ms / 1000} s, load average ${load}`;
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

// ---- Phase 4: the program alone, under the engine's mocks (run as `program N`) ----

interface ProgramFigures {
  participants: number;
  checkMs: number;
  buildMs: number;
  peakRssMiB: number;
  resources: number;
  gatewayShards: number;
  /** Estimated checkpoint bytes per stack: every resource's serialized inputs and outputs, compact JSON. */
  estimate: Record<ContourName, number>;
  /** Of which the gateway shards. */
  gatewayEstimate: Record<ContourName, number>;
}

/** Resources a program registers under `gateways: engine`. */
const registered = (r: ProgramResources) =>
  r.firewalls.length + r.channels.length + r.shards.length + r.gatewayShards.length;

async function programUnderMocks(count: number, contours: readonly ContourName[]): Promise<ProgramFigures> {
  // As in the program's entry point: the SDK records a stack trace on every promise.
  Error.stackTraceLimit = 0;
  const dir = await mkdtemp(path.join(tmpdir(), 'prichal-gatewaysbench-program-'));
  try {
    await writeSyntheticInventory(dir, count, { spreadGateways: true });
    const [checkMs, checked] = await timed(() => checkInventory(dir));
    const estimate = { test: 0, prod: 0 };
    const gatewayEstimate = { test: 0, prod: 0 };
    let resources = 0;
    await pulumi.runtime.setMocks(
      {
        newResource: (a) => {
          resources++;
          // The stack a resource belongs to, by its name (edge tables are the test stack's).
          const contour: ContourName = /-prod-/.test(a.name) ? 'prod' : 'test';
          const { scope: _scope, ...outputs } = a.inputs as Record<string, unknown>;
          // What the checkpoint keeps of a resource: its inputs and its outputs (the state without the run's scope).
          const entry = JSON.stringify({
            urn: `urn:pulumi:${contour}::prichal::${a.type}::${a.name}`,
            custom: true,
            id: `${a.name}-id`,
            type: a.type,
            inputs: a.inputs,
            outputs: { ...outputs, differences: [] },
          });
          estimate[contour] += entry.length;
          if (a.type === GATEWAY_SHARD) gatewayEstimate[contour] += entry.length;
          return { id: `${a.name}-id`, state: a.inputs };
        },
        call: (a) => a.inputs,
      },
      'prichal',
      'test',
      false,
    );
    const started = performance.now();
    let expected = 0;
    let gatewayShards = 0;
    for (const contour of contours) {
      const built = definePrichal({
        contour,
        plan: checked.plan!,
        operator: checked.validation.inventory.operator!.value,
        gateways: 'engine',
      });
      expected += registered(built);
      gatewayShards += built.gatewayShards.length;
    }
    // Until every resource reached the mock monitor.
    while (resources < expected) await new Promise((r) => setTimeout(r, 10));
    const buildMs = performance.now() - started;
    return {
      participants: count,
      checkMs,
      buildMs,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      resources,
      gatewayShards,
      estimate,
      gatewayEstimate,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Phase 4 in a process of its own, so that its peak RSS is the program's alone. */
async function programInChild(count: number, which: 'both' | ContourName = 'both'): Promise<ProgramFigures> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [fileURLToPath(import.meta.url), 'program', String(count), which],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ProgramFigures;
}

// ---- Phases 1–3 on the lab ----

interface Host {
  id: string;
  endpoint: DockerEndpoint;
  gateways: PlannedGateway[];
}

/** A connection of the bench's own to a host, for one piece of work. */
const onHost = <T>(h: Host, work: (docker: DockerHost) => Promise<T>) => withDockerHost(h.endpoint, work, CONNECT);

/** The gateways on a host whose names match, running or not. */
async function gatewaysOn(docker: DockerHost, names: RegExp): Promise<Array<{ name: string; running: boolean }>> {
  const listed = await docker.listContainers({
    [GATEWAY_LABELS.managed]: 'gateway',
    [GATEWAY_LABELS.participant]: true,
  });
  return listed
    .map((c) => ({ name: (c.Names[0] ?? '').replace(/^\//, ''), running: c.State === 'running' }))
    .filter((c) => names.test(c.name));
}

/**
 * Removes every synthetic gateway from the hosts. A host loaded by hundreds of gateways may drop
 * the connection: what is left is looked for again on a new one.
 */
async function removeSynthetic(hosts: readonly Host[]): Promise<number> {
  const removed = await Promise.all(
    hosts.map(async (h) => {
      let count = 0;
      for (let attempt = 1; ; attempt++) {
        try {
          return await onHost(h, async (docker) => {
            const found = await gatewaysOn(docker, SYNTHETIC);
            await mapBounded(found, REMOVE_CONCURRENCY, async (c) => {
              if (await docker.removeContainer(c.name)) count++;
            });
            return count;
          });
        } catch (error) {
          if (attempt >= 5) throw error;
          console.error(`${h.id}: removing the synthetic gateways: ${(error as Error).message}; again`);
        }
      }
    }),
  );
  return removed.reduce((a, b) => a + b, 0);
}

/** Running synthetic gateways per host, as `docker-1 200, docker-2 200`. */
async function census(hosts: readonly Host[]): Promise<string> {
  const found = await Promise.all(hosts.map((h) => onHost(h, (docker) => gatewaysOn(docker, SYNTHETIC))));
  return hosts.map((h, i) => `${h.id} ${found[i]!.filter((c) => c.running).length}`).join(', ');
}

/** How long an SSH handshake with each host takes now (a connection opened and closed). */
async function handshakes(hosts: readonly Host[]): Promise<string> {
  const times = await Promise.all(hosts.map(async (h) => (await timed(() => onHost(h, async () => {})))[0]));
  return hosts.map((h, i) => `${h.id} ${s(times[i]!)}`).join(', ');
}

/** One engine run, with the GatewayShard steps timed as they end. */
async function engineRun(
  action: 'up' | 'preview' | 'destroy',
  inventory: string,
  contour: ContourName,
  participant?: string,
): Promise<{ ms: number; result: EngineResult; gatewaySteps: StepReport[]; gatewayWindowMs: number }> {
  const started = performance.now();
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  const gatewaySteps: StepReport[] = [];
  const result = await engineCommand({
    action,
    inventory,
    contour,
    ...(participant ? { participant } : {}),
    onProgress: (step) => {
      if (step.type !== GATEWAY_SHARD) return;
      gatewaySteps.push(step);
      const end = performance.now();
      first = Math.min(first, end - (step.durationMs ?? 0));
      last = Math.max(last, end);
    },
  });
  return {
    ms: performance.now() - started,
    result,
    gatewaySteps,
    gatewayWindowMs: gatewaySteps.length ? last - first : 0,
  };
}

/** The GatewayShard steps that change something, checked against "exactly one, only P's gateway". */
function oneShard(result: EngineResult, participant: string): string {
  const shards = result.steps.filter((st) => st.type === GATEWAY_SHARD && st.op !== 'same');
  const ok = shards.length === 1 && shards[0]!.participants.length === 1 && shards[0]!.participants[0] === participant;
  const others = result.steps
    .filter((st) => st.type !== GATEWAY_SHARD)
    .map((st) => `${st.op} ${st.name}`)
    .join(', ');
  return `${ok ? 'exactly one GatewayShard changed' : 'NOT exactly one GatewayShard changed'}: ${shards.map((st) => `${st.op} ${st.name} [${st.participants.join(', ')}]`).join('; ') || 'none'}${others ? `; besides: ${others}` : ''}`;
}

/** Changes the port of one endpoint of a participant's file (the gateway's configuration follows). */
async function setEndpointPort(dir: string, participant: string, endpoint: string, port: number): Promise<void> {
  const file = path.join(dir, 'participants', `${participant}.yaml`);
  const p = parse(await readFile(file, 'utf8')) as { endpoints: Array<{ id: string; port: number }> };
  p.endpoints.find((e) => e.id === endpoint)!.port = port;
  await writeFile(file, stringify(p));
}

async function main() {
  const work = await mkdtemp(path.join(tmpdir(), 'prichal-gatewaysbench-'));
  const dir = path.join(work, 'inventory');
  const backend = path.join(work, 'state');
  const sampleOperator = await readFile(path.join(PROJECT_ROOT, 'inventory', 'operator.yaml'), 'utf8');
  const url = /url: "([^"]+)"/.exec(sampleOperator)![1]!;
  const up = new Set<ContourName>();
  const hosts: Host[] = [];
  const sampleGateways = new Map<string, PlannedGateway[]>();
  let local: DockerHost | undefined;
  try {
    // Phase 4 first: it needs no lab, and its calibration run (N) is compared with phase 1's checkpoints.
    // BENCH_GATEWAY_PROGRAM_PARTICIPANTS=0 leaves it out.
    let program: ProgramFigures | undefined;
    let calibration: ProgramFigures | undefined;
    if (PROGRAM_COUNT > 0) {
      console.log(`== the program under mocks, ${PROGRAM_COUNT} participants × 2 contours, gateways: engine`);
      program = await programInChild(PROGRAM_COUNT);
      console.log(
        `inventory check ${s(program.checkMs)}, program build ${s(program.buildMs)} (target ≤ 30 s ${met(program.buildMs <= 30_000)}; ${s(program.checkMs + program.buildMs)} with the check); ` +
          `peak RSS ${program.peakRssMiB.toFixed(0)} MiB (target ≤ 1536 MiB ${met(program.peakRssMiB <= 1536)}); ` +
          `${program.resources} resources, of which ${program.gatewayShards} gateway shards`,
      );
      const one = await programInChild(PROGRAM_COUNT, 'test');
      console.log(
        `one stack, as one prichal up builds it (test, the larger: edge tables, bus and gateway shards): program build ${s(one.buildMs)}, peak RSS ${one.peakRssMiB.toFixed(0)} MiB`,
      );
      calibration = await programInChild(COUNT);
    }

    console.log(`== ${COUNT} participants × 2 contours on the lab's gateway hosts`);
    await writeSyntheticInventory(dir, COUNT, { spreadGateways: true });
    await writeFile(
      path.join(dir, 'operator.yaml'),
      sampleOperator
        .replace('vhost: smev-test', `vhost: ${VHOST.test}`)
        .replace('vhost: smev-prod', `vhost: ${VHOST.prod}`),
    );
    for (const [contour, credentials] of [
      ['test', 'busTest'],
      ['prod', 'busProd'],
    ] as const) {
      await busAdmin('PUT', url, `/vhosts/${VHOST[contour]}`, 'busTest', {});
      const { username } = await readCredentials(credentials);
      await busAdmin('PUT', url, `/permissions/${VHOST[contour]}/${username}`, 'busTest', {
        configure: '.*',
        write: '.*',
        read: '.*',
      });
    }
    process.env.PRICHAL_PULUMI_BACKEND = `file://${backend}`;

    const { plan, operator } = await liveContext(dir);
    const declared = operator.gateways!;
    const planned = expectedGateways(plan, declared);
    for (const h of plan.gatewayHosts) {
      const pin = h.hostKey && h.credentials ? { hostKey: h.hostKey, credentials: h.credentials } : undefined;
      hosts.push({
        id: h.id,
        endpoint: parseDockerEndpoint(h.docker, pin),
        gateways: planned.filter((g) => g.host === h.id),
      });
    }
    // The sample's gateways on these hosts: destroy removes a contour's gateways on a host by
    // label and shard, whichever estate they belong to, so those it removes are started again
    // from the sample's specifications at the end (its stacks' state stays true).
    const sample = await liveContext(path.join(PROJECT_ROOT, 'inventory'));
    const samplePlanned = expectedGateways(sample.plan, sample.operator.gateways!);
    for (const h of hosts) {
      const running = new Set(
        (await onHost(h, (docker) => gatewaysOn(docker, /./))).filter((c) => c.running).map((c) => c.name),
      );
      sampleGateways.set(
        h.id,
        samplePlanned.filter((g) => g.host === h.id && running.has(g.name)),
      );
    }
    console.log(
      `hosts: ${hosts.map((h) => `${h.id} ${h.gateways.length} gateways (and ${sampleGateways.get(h.id)!.length} of the sample's)`).join(', ')}; SSH handshakes ${await handshakes(hosts)}`,
    );

    // The image: on every host in both cases. Its delivery, measured apart: as it happens when a
    // host lacks it, else under a scratch tag (the whole export streamed and loaded; the host
    // holds the layers already, so it unpacks nothing).
    local = await DockerHost.connect({ kind: 'socket', socketPath: DEFAULT_DOCKER_SOCKET });
    const deliveries: Array<[string, ImageDelivery]> = [];
    for (const h of hosts)
      deliveries.push([h.id, await onHost(h, (docker) => deliverImage(local!, docker, declared.image))]);
    if (deliveries.some(([, d]) => d.delivered))
      console.log(
        `image ${declared.image} delivered: ${deliveries.map(([id, d]) => (d.delivered ? `${id} ${mb(d.bytes)} in ${s(d.ms)}` : `${id} held it`)).join(', ')}`,
      );
    else {
      const scratch = `${declared.image.split(':')[0]}:bench-delivery`;
      const [repo, tag] = scratch.split(':') as [string, string];
      await local.api.getImage(declared.image).tag({ repo, tag });
      try {
        const timedDeliveries: string[] = [];
        for (const h of hosts) {
          const d = await onHost(h, async (docker) => {
            const delivery = await deliverImage(local!, docker, scratch);
            await docker.api.getImage(scratch).remove();
            return delivery;
          });
          timedDeliveries.push(`${h.id} ${mb(d.bytes)} in ${s(d.ms)}`);
        }
        console.log(
          `image ${declared.image}: on both hosts already; a delivery (under a scratch tag, layers already there): ${timedDeliveries.join(', ')} — not part of the figures below`,
        );
      } finally {
        await local.api.getImage(scratch).remove();
      }
    }

    // Phase 1: the direct path, then the engine's first up.
    const leftovers = await removeSynthetic(hosts);
    if (leftovers) console.log(`(removed ${leftovers} synthetic gateways an earlier run left)`);
    console.log(`the machine before: ${await cpuBusy(10_000)}`);
    const callMs: number[] = [];
    const [direct] = await timed(() =>
      Promise.all(
        hosts.map((h) =>
          onHost(h, (docker) =>
            mapBounded(h.gateways, DIRECT_CONCURRENCY, async ({ host: _host, ...spec }) => {
              const [ms] = await timed(() => docker.createGateway(spec, { [SPEC_LABEL]: gatewaySpecHash(spec) }));
              callMs.push(ms);
            }),
          ),
        ),
      ),
    );
    const directCensus = await census(hosts);
    callMs.sort((a, b) => a - b);
    console.log(
      `direct path: ${planned.length} containers created and started through the Engine API, ${DIRECT_CONCURRENCY} at a time per host: ${s(direct)} ` +
        `(create + start per container: median ${callMs[callMs.length >> 1]!.toFixed(0)} ms, 90th percentile ${callMs[Math.floor(callMs.length * 0.9)]!.toFixed(0)} ms; running: ${directCensus})`,
    );
    const [removeMs, removed] = await timed(() => removeSynthetic(hosts));
    console.log(
      `(with them running, SSH handshakes: ${await handshakes(hosts)}; removed them again: ${removed} in ${s(removeMs)})`,
    );

    const first: Partial<Record<ContourName, Awaited<ReturnType<typeof engineRun>>>> = {};
    for (const contour of CONTOURS) {
      up.add(contour);
      first[contour] = await engineRun('up', dir, contour);
      const r = first[contour]!;
      const shards = r.gatewaySteps.filter((st) => st.op === 'create');
      const shardSum = shards.reduce((a, st) => a + (st.durationMs ?? 0), 0);
      console.log(
        `first up, ${contour}: ${s(r.ms)} (engine start-up ${s(r.result.timings.startupMs)}; ${r.result.steps.length} resources created, ${shards.length} of them gateway shards: from the first one's start to the last one's end ${s(r.gatewayWindowMs)}, ${s(shardSum)} summed, ${s(shardSum / Math.max(1, shards.length))} each on average)`,
      );
    }
    const firstUp = first.test!.ms + first.prod!.ms;
    const engineCensus = await census(hosts);
    console.log(
      `the machine with the ${2 * COUNT} gateways running, the bench idle: ${await cpuBusy(10_000)} (each gateway's health check is an exec every 30 s)`,
    );
    console.log(
      `first up of both contours: ${s(firstUp)} — ratio to the direct path ${(firstUp / direct).toFixed(2)} (target ≤ 2 ${met(firstUp / direct <= 2)}); ` +
        `gateway shards' windows only: ${((first.test!.gatewayWindowMs + first.prod!.gatewayWindowMs) / direct).toFixed(2)}; running: ${engineCensus}`,
    );

    // Phase 2: no-change preview (against drift, below).
    const previews: number[] = [];
    for (const contour of CONTOURS) {
      const r = await engineRun('preview', dir, contour);
      previews.push(r.ms);
      console.log(`no-change preview, ${contour}: ${s(r.ms)} (changes: ${r.result.steps.length})`);
    }
    // Phase 3: one participant's change.
    const participant = 'org-00001';
    await setEndpointPort(dir, participant, 'connector', 8443);
    let targeted = 0;
    for (const contour of CONTOURS) {
      const r = await engineRun('up', dir, contour, participant);
      targeted += r.ms;
      console.log(`up --participant ${participant}, ${contour}: ${s(r.ms)} — ${oneShard(r.result, participant)}`);
    }
    console.log(
      `one participant's change, both contours: ${s(targeted)} — ${((100 * targeted) / firstUp).toFixed(1)} % of the first up (target ≤ 10 % ${met(targeted <= firstUp / 10)})`,
    );
    await setEndpointPort(dir, participant, 'connector', 443);
    let untargeted = 0;
    for (const contour of CONTOURS) {
      const r = await engineRun('up', dir, contour);
      untargeted += r.ms;
      console.log(`up (untargeted) undoing it, ${contour}: ${s(r.ms)} — ${oneShard(r.result, participant)}`);
    }
    console.log(
      `the same change by an untargeted up: ${s(untargeted)} (${((100 * untargeted) / firstUp).toFixed(1)} % of the first up)`,
    );

    // Phase 2, its second half: drift of the same (again unchanged) estate, after phase 3, whose
    // short runs are the more sensitive to a machine busy with anything else.
    // BENCH_GATEWAY_DRIFT=0 leaves drift out (8 minutes at 400 gateways), e.g. to re-measure phases 1 and 3.
    if (process.env.BENCH_GATEWAY_DRIFT !== '0') {
      const timings: ChecksTimings = {};
      const [driftMs, drift] = await timed(() => checks({ kind: 'drift', inventory: dir, timings }));
      const gw1 = drift.result.findings.filter((f) => f.requirement === 'GW-1' && /^org-/.test(f.participant ?? ''));
      const unchecked = drift.result.unchecked.map((u) => u.subject);
      const preview = previews[0]! + previews[1]!;
      console.log(
        `drift of the same estate: ${s(driftMs)} (validation ${s(timings.validateMs ?? 0)}, planning ${s(timings.planMs ?? 0)}, reads ${s(timings.collectMs ?? 0)}, evaluation ${s(timings.evaluateMs ?? 0)}; GW-1 findings on the synthetic gateways: ${gw1.length}${unchecked.length ? `; NOT CHECKED: ${unchecked.join(', ')}` : ''}) — ` +
          `no-change preview of both contours ÷ drift ${(preview / driftMs).toFixed(2)} (target ≤ 1.5 ${met(preview / driftMs <= 1.5)}); one contour's ${(previews[0]! / driftMs).toFixed(2)}`,
      );
    }

    // The checkpoints, and phase 4's estimate calibrated against them.
    const checkpoint = async (contour: ContourName) =>
      (await stat(path.join(backend, '.pulumi', 'stacks', 'prichal', `${contour}.json`))).size;
    const real = { test: await checkpoint('test'), prod: await checkpoint('prod') };
    console.log(`checkpoints at ${COUNT}: test ${mb(real.test)}, prod ${mb(real.prod)}`);
    if (program && calibration) {
      const factor = (real.test + real.prod) / (calibration.estimate.test + calibration.estimate.prod);
      const at = { test: program.estimate.test * factor, prod: program.estimate.prod * factor };
      console.log(
        `the serialized inputs and outputs of the same program at ${COUNT}: ${mb(calibration.estimate.test + calibration.estimate.prod)} (the checkpoints are × ${factor.toFixed(2)} that)`,
      );
      console.log(
        `state at ${PROGRAM_COUNT}, estimated (serialized inputs and outputs × ${factor.toFixed(2)}): test ${mb(at.test)}, prod ${mb(at.prod)} (target ≤ 50 MB a stack ${met(Math.max(at.test, at.prod) <= 50e6)}); ` +
          `of which the gateway shards ${mb(program.gatewayEstimate.test * factor)} and ${mb(program.gatewayEstimate.prod * factor)}`,
      );
    }
    console.log(
      `peak RSS of this process (the engine runs' programs ran in it): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    );

    for (const contour of ['prod', 'test'] as const) {
      const r = await engineRun('destroy', dir, contour);
      up.delete(contour);
      console.log(`destroy, ${contour}: ${s(r.ms)}`);
    }
    console.log(`after destroy, synthetic gateways running: ${await census(hosts)}`);
  } finally {
    // Each step on its own: one that fails leaves the others to run.
    const step = async (what: string, work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (error) {
        console.error(`cleanup: ${what}: ${(error as Error).message}`);
      }
    };
    for (const contour of ['prod', 'test'] as const)
      if (up.has(contour))
        await step(`destroy ${contour}`, () => engineCommand({ action: 'destroy', inventory: dir, contour }));
    if (hosts.length) await step('removing the synthetic gateways', () => removeSynthetic(hosts));
    for (const h of hosts)
      await step(`${h.id}: the sample's gateways`, () =>
        onHost(h, async (docker) => {
          const present = new Set((await gatewaysOn(docker, /./)).map((c) => c.name));
          const gone = (sampleGateways.get(h.id) ?? []).filter((g) => !present.has(g.name));
          for (const { host: _host, ...spec } of gone)
            await docker.createGateway(spec, { [SPEC_LABEL]: gatewaySpecHash(spec) });
          if (gone.length)
            console.log(`${h.id}: started again ${gone.length} of the sample's gateways destroy removed`);
        }),
      );
    local?.close();
    delete process.env.PRICHAL_PULUMI_BACKEND;
    for (const contour of CONTOURS)
      await step(`vhost ${VHOST[contour]}`, () => busAdmin('DELETE', url, `/vhosts/${VHOST[contour]}`, 'busTest'));
    const users = Array.from({ length: COUNT }, (_, i) => `ORG_${String(i).padStart(5, '0')}`);
    // destroy already removed them when it ran; after a failure they may remain.
    await step('bus users', () => deleteUsers(url, users, 'busTest'));
    // The test stack's edge tables held the synthetic flows: the sample's go back.
    await step('edge tables', () =>
      firewall({ action: 'apply', inventory: path.join(PROJECT_ROOT, 'inventory'), log: quiet }),
    );
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'program') {
  const which = process.argv[4] ?? 'both';
  const contours = which === 'both' ? CONTOURS : ([which] as ContourName[]);
  console.log(JSON.stringify(await programUnderMocks(Number(process.argv[3]), contours)));
} else await main();
