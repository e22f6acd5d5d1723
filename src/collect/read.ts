// Reads every source of a table at once: the edge sources' commands in one session per edge,
// every other source's subjects one read each (bounded). Nothing here throws for a device: what
// cannot be read is a reading that says why.
import { mapBounded } from '../concurrency.js';
import { readEdges, type EdgePart, type EdgeRead, type EdgeSession } from './edge-session.js';
import type { PlannedEdge } from '../plan/index.js';
import {
  commandsOn,
  isEdgeSource,
  unreadable,
  type Collected,
  type EdgeSource,
  type EdgeSubject,
  type HostSource,
  type LiveContext,
  type LiveSource,
  type Reading,
  type Subject,
} from './source.js';

/** One read of one subject, as a replacement gives it. */
export type SourceRead = (subject: never, context: LiveContext) => Promise<Collected<unknown>>;

/**
 * Reads replaced (benchmarks: a recorded snapshot; tests: an offline estate): a source's read by
 * the source's name, or with `edges` the one session per edge the edge sources share.
 */
export interface Collectors {
  edges?: EdgeSession;
  [source: string]: EdgeSession | SourceRead | undefined;
}

export const LIVE_COLLECTORS = { edges: readEdges } satisfies Collectors;

export interface SourceReadings {
  source: LiveSource;
  readings: Reading[];
}

export interface ReadOptions {
  collectors?: Collectors;
  /** Devices read at a time per source (edges: sessions at a time). */
  concurrency?: number;
  progress?: (done: number, total: number, what: string) => void;
}

type SharedSource = LiveSource & Pick<EdgeSource, 'edge'>;

export async function readSources(
  sources: readonly LiveSource[],
  context: LiveContext,
  options: ReadOptions = {},
): Promise<{ sources: SourceReadings[]; sshCommandsPerEdge: Record<string, number> }> {
  const collectors = options.collectors ?? {};
  const concurrency = options.concurrency ?? 8;
  const edges = context.plan.edges;
  const edgeSubjects: EdgeSubject[] = edges.map((edge) => ({ name: edge.id, edge }));
  const subjectsOf = (s: LiveSource): Subject[] => (isEdgeSource(s) ? edgeSubjects : s.subjects(context));
  const shared = sources.filter((s) => isEdgeSource(s) && !collectors[s.name]) as SharedSource[];
  const own = sources.filter((s) => !shared.includes(s as SharedSource));
  const ownSubjects = new Map(own.map((s) => [s, subjectsOf(s)]));
  const total = (shared.length ? edges.length : 0) + [...ownSubjects.values()].reduce((n, s) => n + s.length, 0);
  let done = 0;
  const tick = (what: string) => options.progress?.(++done, total, what);
  const session = collectors.edges ?? readEdges;
  const [edgeReads, ...ownReadings] = await Promise.all([
    shared.length
      ? session(edges, {
          parts: (edge: PlannedEdge) => edgeParts(shared, edge, context),
          concurrency,
          onDone: () => tick('edge'),
        })
      : Promise.resolve([]),
    ...own.map((s) =>
      mapBounded(ownSubjects.get(s)!, concurrency, async (subject) => {
        const reading = await readOne(s, subject, context, collectors[s.name] as SourceRead | undefined);
        tick(subject.name);
        return reading;
      }),
    ),
  ]);
  const byEdge = new Map(edgeReads.map((r) => [r.edge, r]));
  const sshCommandsPerEdge: Record<string, number> = {};
  for (const r of edgeReads) if (r.ok) sshCommandsPerEdge[r.edge] = r.value.sshCommands;
  return {
    sources: sources.map((source) => {
      const i = own.indexOf(source);
      if (i >= 0) return { source, readings: ownReadings[i]! };
      return {
        source,
        readings: edgeSubjects.map((s) => edgePartReading(source as SharedSource, s, context, byEdge.get(s.name))),
      };
    }),
    sshCommandsPerEdge,
  };
}

async function readOne(
  source: LiveSource,
  subject: Subject,
  context: LiveContext,
  replaced: SourceRead | undefined,
): Promise<Reading> {
  try {
    // An edge source is read here only when replaced; otherwise in the edge's session.
    const read = replaced
      ? await (replaced as (s: Subject, c: LiveContext) => Promise<Collected<unknown>>)(subject, context)
      : await (source as HostSource).read(subject, context);
    if (!read.ok) return { subject, ok: false, error: read.error };
    const calls = isEdgeSource(source)
      ? commandsOn(source.edge.commands, (subject as EdgeSubject).edge, context).length
      : source.calls(read.value);
    return { subject, ok: true, value: read.value, calls };
  } catch (error) {
    return { subject, ok: false, error: unreadable(error) };
  }
}

/** What the edge sources run on an edge, in the order of the table. */
export function edgeParts(sources: readonly LiveSource[], edge: PlannedEdge, context: LiveContext): EdgePart[] {
  return sources.flatMap((s) =>
    isEdgeSource(s) ? [{ source: s.name, commands: commandsOn(s.edge.commands, edge, context) }] : [],
  );
}

/** An edge source's reading of one edge, from what the edge's session gave. */
function edgePartReading(
  source: SharedSource,
  subject: EdgeSubject,
  context: LiveContext,
  read: (Collected<EdgeRead> & { edge: string }) | undefined,
): Reading {
  const commands = commandsOn(source.edge.commands, subject.edge, context);
  // Nothing to read on this edge (no coordinator there, say): whether the edge answered is not its business.
  if (commands.length === 0) return { subject, ok: true, value: source.edge.parse([]), calls: 0 };
  if (!read) return { subject, ok: false, error: 'the edge was not read' };
  if (!read.ok) return { subject, ok: false, error: read.error };
  const part = read.value.parts[source.name];
  if (!part) return { subject, ok: false, error: `the edge's command gave nothing for ${source.name}` };
  if (!part.ok) return { subject, ok: false, error: part.error };
  try {
    return { subject, ok: true, value: source.edge.parse(part.value), calls: commands.length };
  } catch (error) {
    return {
      subject,
      ok: false,
      error: `${commands.join('; ')}: output not understood (${unreadable(error)})`,
    };
  }
}

/** What the result records of a source's reads. */
export function readsOf(readings: readonly Reading[]): { subjects: string[]; unreadable: string[]; calls: number } {
  return {
    subjects: readings.map((r) => r.subject.name),
    unreadable: readings.flatMap((r) => (r.ok ? [] : [r.subject.name])),
    calls: readings.reduce((sum, r) => sum + (r.ok ? r.calls : 0), 0),
  };
}
