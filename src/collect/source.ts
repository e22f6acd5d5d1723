// What a live source is: a name, the subjects it reads (the edges, the gateway hosts, each
// contour's bus), how it reads one (read-only; a subject that cannot be read is a value, never
// a throw), the requirements it informs and the check that turns what it read into findings.
// Sources that read edges declare commands instead of a read: every edge is read once, in one
// SSH session and one command, for all of them (edge-session.ts).
import type { ContourName, OperatorFile } from '../inventory/index.js';
import type { Plan, PlannedEdge } from '../plan/index.js';
import type { RequirementId } from '../requirements/index.js';
import { errorChain } from '../words.js';

export type Collected<T> = { ok: true; value: T } | { ok: false; error: string };

/** Why a subject could not be read, as its "not checked" reason: the error and each cause that adds to it. */
export const unreadable = (error: unknown): string => errorChain(error, 'en').join(': ');

/** A device a source reads, named as the result names it ("edge-1", "gateway host docker-2", "bus smev-test"). */
export interface Subject {
  name: string;
}
export interface EdgeSubject extends Subject {
  edge: PlannedEdge;
}

/** What one subject gave a source: its value and the commands or requests that took, or why it could not be read. */
export type Reading<S extends Subject = Subject, T = unknown> = { subject: S } & (
  | { ok: true; value: T; calls: number }
  | { ok: false; error: string }
);

/** Image and network of each contour's gateways (operator.yaml `gateways`). */
export interface GatewayOptions {
  image: string;
  network: Record<ContourName, string>;
}

/** What a source's subjects, read and check may use. */
export interface LiveContext {
  plan: Plan;
  operator: OperatorFile;
  /** Without them there is nothing to compare the gateway containers with. */
  gateways: GatewayOptions | undefined;
}

/** A finding of a live check (the result's finding, without the fields only inventory findings have). */
export interface LiveFinding {
  requirement: RequirementId;
  participant?: string;
  contour?: ContourName;
  subject: string;
  severity: 'error' | 'warning';
  message: string;
  evidence: string;
  fix: string;
  /** The message and the fix in Russian, where the check words them. */
  ru?: { message: string; fix: string };
}

/** Requirements left unchecked for a subject, and why. */
export interface LiveUnchecked {
  subject: string;
  requirements: RequirementId[];
  reason: string;
}

export interface Checked {
  findings: LiveFinding[];
  /** Beyond the subjects that could not be read (the engine lists those itself). */
  unchecked?: LiveUnchecked[];
}

interface SourceBase<S extends Subject, T> {
  /** Lowercase words joined by hyphens: it keys the result's reads and marks the source's part of an edge's command. */
  readonly name: string;
  /** The requirements its check decides; a subject it cannot read leaves them unchecked. */
  readonly informs: readonly RequirementId[];
  /** Every reading of the run at once (one contour's check may need another's). */
  check(readings: ReadonlyArray<Reading<S, T>>, context: LiveContext): Checked;
  /** What the source adds to the result's reads (counts, what it saw), as the result schema names it. */
  record?(readings: ReadonlyArray<Reading<S, T>>): Record<string, unknown>;
}

/** A source reading every planned edge, in the edge's one session and command. */
export interface EdgeSource<T = unknown> extends SourceBase<EdgeSubject, T> {
  readonly edge: {
    /**
     * Read-only shell commands, run in this order; each output goes to `parse`. The same on every
     * edge, or per edge (a file whose path operator.yaml gives for that edge; none: nothing to read there).
     */
    commands: EdgeCommands;
    /** May throw: output it cannot parse leaves the edge unread for this source only. */
    parse(outputs: readonly string[]): T;
  };
}

export type EdgeCommands = readonly string[] | ((edge: PlannedEdge, context: LiveContext) => readonly string[]);

/** The commands a source runs on one edge. */
export const commandsOn = (commands: EdgeCommands, edge: PlannedEdge, context: LiveContext): readonly string[] =>
  typeof commands === 'function' ? commands(edge, context) : commands;

/** A source reading its own subjects, one read per subject. */
export interface HostSource<S extends Subject = Subject, T = unknown> extends SourceBase<S, T> {
  subjects(context: LiveContext): S[];
  read(subject: S, context: LiveContext): Promise<Collected<T>>;
  /** Commands or API requests one read took. */
  calls(value: T): number;
}

/** A row of the table: any source, checked and recorded over any subject. */
export type LiveSource = SourceBase<Subject, unknown> &
  (Pick<EdgeSource, 'edge'> | Pick<HostSource, 'subjects' | 'read' | 'calls'>);

export const isEdgeSource = (source: LiveSource): source is LiveSource & Pick<EdgeSource, 'edge'> => 'edge' in source;
