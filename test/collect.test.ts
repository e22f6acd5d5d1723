// The live sources as a table, without the lab: the edge command's framing run by a real shell,
// reads replaced by offline or recorded ones, what the engine makes of them, and the table's
// rows themselves.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  edgeCommand,
  isEdgeSource,
  readSources,
  SOURCES,
  splitEdgeOutput,
  type Collectors,
  type EdgePart,
  type EdgeSession,
  type EdgeSource,
  type LiveContext,
} from '../src/collect/index.js';
import { runChecks, type DriftOptions } from '../src/drift/run.js';
import type { Inventory } from '../src/inventory/index.js';
import type { Plan } from '../src/plan/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import { renderJson } from '../src/report/index.js';
import { checkInventory, LIVE_REQUIREMENTS } from '../src/requirements/index.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

let plan: Plan;
let inventory: Inventory;
let context: LiveContext;

beforeAll(async () => {
  const checked = await checkInventory(SAMPLE_INVENTORY, '2026-11-23');
  plan = checked.plan!;
  inventory = checked.validation.inventory;
  const operator = inventory.operator!.value;
  context = { plan, operator, gateways: operator.gateways };
});

/** Runs the edge command here, as the edge's shell would. */
async function runHere(parts: readonly EdgePart[]) {
  const r = await execa('sh', ['-c', edgeCommand(parts)]);
  return splitEdgeOutput(r.stdout, r.stderr, parts);
}

const drift = (options: DriftOptions) =>
  runChecks({ kind: 'drift', at: '2026-11-23', inventory, plan, validation: [], drift: options });

const offline: Collectors = {
  edges: async (edges) => edges.map((e) => ({ edge: e.id, ok: false as const, error: 'offline' })),
  gateways: async () => ({ ok: false as const, error: 'docker offline' }),
  bus: async () => ({ ok: false as const, error: 'bus offline' }),
};

describe("an edge's one command", () => {
  it("gives each part its outputs in order, a failed command only its own part's error, output with or without a final newline", async () => {
    const parts = [
      { source: 'first', commands: ['echo \'{"a":1}\'', "printf '[1,\\n2]'"] },
      { source: 'failing', commands: ['echo fine', "echo 'no such tool' >&2; exit 127", 'echo never'] },
      { source: 'last', commands: ['true'] },
    ];
    expect(await runHere(parts)).toEqual({
      first: { ok: true, value: ['{"a":1}', '[1,\n2]'] },
      failing: { ok: false, error: "'echo 'no such tool' >&2; exit 127' exited 127: no such tool" },
      last: { ok: true, value: [''] },
    });
  });

  it('reads a part that never ran (the command cut short) as not finished, not as empty', () => {
    const parts = [{ source: 'cut', commands: ['cat big'] }];
    expect(splitEdgeOutput('#prichal cut 0\n{"half', '', parts)).toEqual({
      cut: { ok: false, error: "'cat big' did not finish" },
    });
    expect(splitEdgeOutput('', '', parts).cut).toMatchObject({ ok: false });
  });
});

describe('reading the table', () => {
  it('an edge source whose command fails is unread on that edge; the edge sources sharing the session are not', async () => {
    const good: EdgeSource<string> = {
      name: 'good',
      informs: [],
      edge: { commands: ['a'], parse: ([out]) => out! },
      check: () => ({ findings: [] }),
    };
    const bad: EdgeSource<string> = {
      name: 'bad',
      informs: ['FW-3'],
      edge: {
        commands: ['b'],
        parse: () => {
          throw new Error('not JSON');
        },
      },
      check: () => ({ findings: [] }),
    };
    const sessions: string[][] = [];
    const session: EdgeSession = async (edges, { parts, onDone }) =>
      edges.map((e) => {
        sessions.push(parts.map((p) => p.source));
        onDone?.();
        return {
          edge: e.id,
          ok: true as const,
          value: { parts: { good: { ok: true, value: ['out'] }, bad: { ok: true, value: ['x'] } }, sshCommands: 1 },
        };
      });
    const ticks: string[] = [];
    const read = await readSources([good, bad], context, {
      collectors: { edges: session },
      progress: (done, total) => ticks.push(`${done}/${total}`),
    });
    expect(sessions).toEqual(plan.edges.map(() => ['good', 'bad']));
    expect(ticks).toEqual(plan.edges.map((_, i) => `${i + 1}/${plan.edges.length}`));
    expect(read.sshCommandsPerEdge).toEqual(Object.fromEntries(plan.edges.map((e) => [e.id, 1])));
    const [goodReads, badReads] = read.sources.map((s) => s.readings);
    expect(goodReads!.every((r) => r.ok && r.value === 'out' && r.calls === 1)).toBe(true);
    expect(badReads!.map((r) => !r.ok && r.error)).toEqual(plan.edges.map(() => 'b: output not understood (not JSON)'));
  });

  it('offline: every subject of every source unread, drift says not checked in the order of the table, exit 3', async () => {
    const result = await drift({ gateways: context.gateways, collectors: offline });
    const informing = SOURCES.filter((s) => s.informs.length);
    expect(result.unchecked).toEqual(
      informing.flatMap((s) => {
        const subjects = isEdgeSource(s) ? plan.edges.map((e) => e.id) : s.subjects(context).map((x) => x.name);
        const reason = isEdgeSource(s) ? 'offline' : s.name === 'gateways' ? 'docker offline' : 'bus offline';
        return subjects.map((subject) => ({ subject, requirements: [...s.informs], reason }));
      }),
    );
    expect(result.unchecked.map((u) => u.subject)).toEqual([
      'edge-1',
      'edge-2',
      'docker',
      'bus smev-test',
      'bus smev-prod',
    ]);
    expect(result.findings).toEqual([]);
    expect(result.reads).toMatchObject({ sshCommandsPerEdge: {}, dockerCalls: 0, busRequests: {} });
    expect(result.reads?.sources?.['edge-ruleset']).toEqual({
      subjects: ['edge-1', 'edge-2'],
      unreadable: ['edge-1', 'edge-2'],
      calls: 0,
    });
    expect(Object.keys(result.reads?.sources ?? {})).toEqual(SOURCES.map((s) => s.name));
  });

  it('a recorded snapshot of a source replaces its read by name; the result records each source and follows the schema', async () => {
    const operator = inventory.operator!.value;
    const recorded: Collectors = {
      ...offline,
      gateways: async () => ({ ok: true as const, value: { containers: [], dockerCalls: 2 } }),
    };
    const result = await drift({ gateways: operator.gateways, collectors: recorded });
    expect(result.reads?.dockerCalls).toBe(2);
    expect(result.reads?.sources?.gateways).toEqual({ subjects: ['docker'], unreadable: [], calls: 2 });
    // Every planned gateway is missing from the recorded (empty) Docker host.
    const planned = plan.contours.test.registrations.length + plan.contours.prod.registrations.length;
    expect(result.findings.filter((f) => f.message === 'gateway container is missing')).toHaveLength(planned);
    const ajv = new Ajv({ allErrors: true, strict: true });
    (ajvFormats as unknown as { default: (a: Ajv) => void }).default(ajv);
    const validate = ajv.compile(
      JSON.parse(await readFile(path.join(PROJECT_ROOT, 'src/drift/result.schema.json'), 'utf8')),
    );
    expect(validate(JSON.parse(renderJson(result))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('without the gateways operator.yaml declares, Docker is not read and GW-1 is not checked, once', async () => {
    const result = await drift({ gateways: undefined, collectors: offline });
    expect(result.unchecked.filter((u) => u.subject === 'docker')).toEqual([
      {
        subject: 'docker',
        requirements: ['GW-1'],
        reason:
          'operator.yaml declares no gateways (image and network per contour), so there is nothing to compare the containers with',
      },
    ]);
    expect(result.reads?.sources?.gateways).toEqual({ subjects: [], unreadable: [], calls: 0 });
  });
});

describe('the table', () => {
  it('names each source once, in words a marker line and a JSON key can carry', () => {
    const names = SOURCES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("informs exactly the catalogue's live requirements between its rows (INV-1 is every run's, from validation)", () => {
    expect(new Set([...SOURCES.flatMap((s) => s.informs), 'INV-1'])).toEqual(new Set(LIVE_REQUIREMENTS));
  });
});
