// The validated model: plain data from the schema-checked files, each with the source it came
// from so that any downstream stage can still point at file and line.
import type { Finding, FieldPath, FindingCode, Severity, Words } from './findings.js';
import { findingAt, type SourceFile } from './source.js';
import type { OperatorFile, Participant } from './types.generated.js';

export interface Located<T> {
  value: T;
  source: SourceFile;
}

export interface Inventory {
  root: string;
  /** Undefined when operator.yaml is missing or failed its schema. */
  operator: Located<OperatorFile> | undefined;
  /** Participants that passed their schema, in file order. */
  participants: Located<Participant>[];
}

/**
 * A participant with a portal/bus connection: a network channel, its networks, endpoints and
 * registrations (the last two default to empty). A participant on the hosted СЭД alone has none:
 * plan, render and drift skip it; audit still checks its СЭД side.
 */
export type NetworkedParticipant = Participant &
  Required<Pick<Participant, 'channel' | 'networks' | 'endpoints' | 'registrations'>>;
export const hasChannel = (p: Participant): p is NetworkedParticipant => p.channel !== undefined;
/** The located participants that have a network channel. */
export function networked(inventory: Inventory): Located<NetworkedParticipant>[] {
  return inventory.participants.filter((p): p is Located<NetworkedParticipant> => hasChannel(p.value));
}

export type ContourName = 'test' | 'prod';
export const CONTOURS: readonly ContourName[] = ['test', 'prod'];

/** Collects findings for the rules; each rule is a small function that calls `at`. */
export class Findings {
  readonly items: Finding[] = [];

  at(
    source: SourceFile,
    path: FieldPath,
    code: FindingCode,
    message: Words,
    options: { severity?: Severity; key?: boolean } = {},
  ): void {
    this.items.push(findingAt(source, path, code, message, options));
  }

  /** Appends a list of any length (a spread of 70,000 findings would overflow the call stack). */
  add(findings: readonly Finding[]): void {
    for (const f of findings) this.items.push(f);
  }
}

export interface RuleOptions {
  /** The date rules evaluate at, YYYY-MM-DD. */
  at: string;
}

export type Rule = (inventory: Inventory, findings: Findings, options: RuleOptions) => void;

/**
 * The items whose key an earlier item already had, each with that first one: what the uniqueness
 * rules report. One map of first occurrences (grouping 10,000 ids into lists cost more).
 */
export function repeats<T>(
  items: Iterable<T>,
  key: (item: T) => string | undefined,
): Array<{ key: string; first: T; repeat: T }> {
  const firsts = new Map<string, T>();
  const found: Array<{ key: string; first: T; repeat: T }> = [];
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const first = firsts.get(k);
    if (first === undefined) firsts.set(k, item);
    else found.push({ key: k, first, repeat: item });
  }
  return found;
}

/** Groups items by a key, keeping the first occurrence first. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
