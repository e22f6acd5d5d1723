// Renders an edge's complete `table inet prichal` from the plan. Participant policy lives in
// two concatenated sets, so the forward chain has the same few rules for 10 or 10,000
// participants and the kernel matches each packet with one set lookup.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import type { Flow, PlannedEdge } from '../plan/index.js';
import { isCanonicalCidr } from '../inventory/addresses.js';
import { TEMPLATES_DIR } from '../project.js';
import { FORWARD_CHAIN, PRICHAL_TABLE } from './nftables-model.js';

const TEMPLATE = readFileSync(path.join(TEMPLATES_DIR, 'nftables.nft.mustache'), 'utf8');

/**
 * A comment nft takes as written: at most 120 characters of A-Z a-z 0-9 space . _ : / - with no
 * space leading, trailing or doubled. One pass over the characters, where two regular
 * expressions ran per label (100,000 labels: 60 -> 25 ms on a fresh process's first render, about
 * equal once compiled).
 */
export function isPlainComment(text: string): boolean {
  if (text.length > 120) return false;
  let afterSpace = true; // a leading space is not plain
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (afterSpace) return false;
      afterSpace = true;
      continue;
    }
    afterSpace = false;
    const plain =
      (c >= 48 && c <= 58) /* 0-9 : */ ||
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 46 ||
      c === 95 ||
      c === 47 ||
      c === 45; /* . _ / - */
    if (!plain) return false;
  }
  return !afterSpace || text.length === 0;
}

/**
 * nft has no escape sequences inside quoted strings, so a comment is reduced to characters
 * that cannot end the string, the statement or the line: letters, digits, space and . _ : / -
 * Quotes, newlines, ';', '{', '}' and '#' never reach the ruleset. nft caps comments at 128 bytes.
 */
export function nftComment(text: string): string {
  // The common case (plain ASCII labels of ids) needs no rewriting; 100,000 labels per ruleset.
  if (isPlainComment(text)) return `"${text}"`;
  const safe = text
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._:/-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  let out = '';
  for (const ch of safe) {
    if (Buffer.byteLength(out + ch) > 120) break;
    out += ch;
  }
  return `"${out}"`;
}

/**
 * nft clears host bits without a word (10.0.0.5/24 is stored as 10.0.0.0/24), so a prefix that
 * is not canonical would load "successfully" as something else than planned. Validation refuses
 * such networks; this guard keeps a plan built another way from ever reaching a host.
 */
function canonical(edge: string, value: string): string {
  if (value.includes('/') && !isCanonicalCidr(value))
    throw new Error(`edge ${edge}: ${value} has host bits set; nft would store another prefix than planned`);
  return value;
}

/** Prichal's two sets, in the order the template writes them. */
export const SET_NAMES = ['participant_to_gateway', 'gateway_to_endpoint'] as const;
export type SetName = (typeof SET_NAMES)[number];
const isSetName = (name: string): name is SetName => (SET_NAMES as readonly string[]).includes(name);
/** Both sets, empty. */
export const noElements = (): Record<SetName, string[]> => ({ participant_to_gateway: [], gateway_to_endpoint: [] });

/** Each set's elements exactly as the ruleset writes them (key and comment), in plan order. */
export function renderedElements(edge: PlannedEdge): Record<SetName, string[]> {
  // Each address is checked where it is written: a set of those already checked cost more than
  // the check (0.05 of 0.13 s at 100,000 elements).
  const element = (f: Flow, label: string) =>
    `${canonical(edge.id, f.source)} . ${canonical(edge.id, f.destination)} . ${f.port} comment ${nftComment(label)}`;
  return {
    participant_to_gateway: edge.ingress.map((f) => element(f, `${f.participant} ${f.contour}`)),
    gateway_to_endpoint: edge.egress.map((f) => element(f, `${f.participant} ${f.contour} ${f.endpoint ?? ''}`)),
  };
}

export interface RenderedRuleset {
  edge: string;
  text: string;
}

const ELEMENT_INDENT = '\t\t\t';
/** A set's elements block: one join, no string per line (100,000 lines). */
export const elementBlock = (lines: string[]) =>
  lines.length ? `${ELEMENT_INDENT}${lines.join(`,\n${ELEMENT_INDENT}`)},` : '';

/** The elements of a block (elementBlock's inverse), as slices of it. */
export const blockElements = (block: string): string[] =>
  block ? block.slice(ELEMENT_INDENT.length, -1).split(`,\n${ELEMENT_INDENT}`) : [];

/**
 * The complete table. The element blocks are joined here rather than looped over in the
 * template: 100,000 elements through Mustache's section loop cost five times as much.
 */
export function renderEdgeRuleset(
  edge: PlannedEdge,
  elements: Record<SetName, string[]> = renderedElements(edge),
): RenderedRuleset {
  const view = {
    edge: nftComment(edge.id).slice(1, -1),
    kind: edge.kind,
    participantCount: edge.participants.length,
    ingressCount: edge.ingress.length,
    egressCount: edge.egress.length,
    ingressElements: elementBlock(elements.participant_to_gateway),
    egressElements: elementBlock(elements.gateway_to_endpoint),
    forwardRules: FORWARD_CHAIN.rules,
  };
  return {
    edge: edge.id,
    text: Mustache.render(TEMPLATE, view, {}, { escape: (value: string) => nftComment(String(value)).slice(1, -1) }),
  };
}

/** Wraps a table definition into one transaction that replaces exactly Prichal's table. */
export function replaceTableTransaction(tableText: string): string {
  const { family, name } = PRICHAL_TABLE;
  return `table ${family} ${name}\ndelete table ${family} ${name}\n${tableText}`;
}

/**
 * The table's layout: everything but the elements (chains, rules, set declarations, the
 * template's version). Two plans with one layout differ only in set elements, which a delta
 * can change; a different layout needs the table replaced.
 */
export function rulesetLayout(edge: PlannedEdge): string {
  return renderEdgeRuleset({ ...edge, participants: [], ingress: [], egress: [] }).text;
}

/** The elements of each set in a ruleset this module rendered (the inverse of `elementBlock`). */
export function elementsOfRuleset(text: string): Record<SetName, string[]> {
  const out = noElements();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const set = /^\tset (\w+) \{$/.exec(line);
    if (set) current = isSetName(set[1]!) ? out[set[1]] : undefined;
    else if (current && line.startsWith(ELEMENT_INDENT) && line.endsWith(','))
      current.push(line.slice(ELEMENT_INDENT.length, -1));
    else if (line === '\t}') current = undefined;
  }
  return out;
}

/** An element's key: what nft matches on (a comment is not part of it). */
const keyOf = (line: string) => {
  const at = line.indexOf(' comment ');
  return at < 0 ? line : line.slice(0, at);
};

export interface SetDelta {
  /** Element lines (key and comment) to create. */
  add: string[];
  /** Element keys to delete. */
  remove: string[];
}
export type RulesetDelta = Record<SetName, SetDelta>;

/** The window of elements between a common head and tail compared as sets: what to add, which keys to remove. */
function windowDelta(was: readonly string[], is: readonly string[]): SetDelta {
  const had = new Set(was);
  const has = new Set(is);
  return { add: is.filter((l) => !had.has(l)), remove: was.filter((l) => !has.has(l)).map(keyOf) };
}

/** Below this many characters a stretch is split into its elements and compared as a set. */
const SMALL_STRETCH = 1 << 14;
/** Where in an unequal stretch an anchor is tried, in turn. */
const ANCHOR_AT = [0.5, 0.45, 0.55, 0.3, 0.7, 0.1, 0.9];

/**
 * elementsDelta for one set given as element blocks (elementBlock), without comparing 100,000
 * element strings: equal stretches are found by comparing text (a flat string compare runs at
 * memcmp speed), unequal ones are halved at an anchor, an element of the old stretch found in the
 * new one near where it was; only small unequal stretches are split into elements. Anchors split
 * both sides consistently because a block is in plan order, by key, and keys are unique. An
 * element never holds a tab or a newline (nftComment), so "\t\t\t" only starts elements.
 */
export function blockDelta(before: string, after: string, small = SMALL_STRETCH): SetDelta {
  const was: string[] = [];
  const is: string[] = [];
  const stretch = (text: string, start: number, end: number) =>
    end > start ? blockElements(text.slice(start, end)) : [];
  // [start, end): whole elements, from an element's first tab to just after its comma.
  const visit = (as: number, ae: number, bs: number, be: number): void => {
    if (ae - as === be - bs && before.slice(as, ae) === after.slice(bs, be)) return;
    const split = () => {
      for (const e of stretch(before, as, ae)) was.push(e);
      for (const e of stretch(after, bs, be)) is.push(e);
    };
    if (ae - as < small || be - bs < small) return split();
    // The anchor: the element at the middle, or (when that one changed) at another fraction.
    for (const fraction of ANCHOR_AT) {
      const newline = before.indexOf('\n', as + Math.floor((ae - as) * fraction));
      if (newline < 0 || newline >= ae) continue;
      const anchor = before.slice(newline + 1, before.indexOf(',', newline) + 1);
      // Where it should be in the new stretch, give or take the stretches' difference in length.
      const expected = bs + (newline + 1 - as);
      const reach = Math.abs(be - bs - (ae - as)) + small;
      const found = after.indexOf(anchor, Math.max(bs, expected - reach));
      if (found < 0 || found > expected + reach || found + anchor.length > be) continue;
      visit(as, newline, bs, Math.max(bs, found - 1));
      visit(newline + 1 + anchor.length + 1, ae, found + anchor.length + 1, be);
      return;
    }
    split();
  };
  visit(0, before.length, 0, after.length);
  return windowDelta(was, is);
}

/** What turns the `before` elements into the `after` ones; a changed comment is a remove and an add of one key. */
export function elementsDelta(before: Record<SetName, string[]>, after: Record<SetName, string[]>): RulesetDelta {
  const delta = {} as RulesetDelta;
  for (const name of SET_NAMES) {
    // Both lists are in plan order, so a small change leaves a long common head and tail:
    // only the window between them is compared as sets.
    const [b, a] = [before[name], after[name]];
    let head = 0;
    while (head < b.length && head < a.length && b[head] === a[head]) head++;
    let tail = 0;
    while (tail < b.length - head && tail < a.length - head && b[b.length - 1 - tail] === a[a.length - 1 - tail])
      tail++;
    delta[name] = windowDelta(b.slice(head, b.length - tail), a.slice(head, a.length - tail));
  }
  return delta;
}

/**
 * The elements a host's record describes: its base ruleset (the last full apply) with the
 * journal of deltas applied since. `created` are the journal's additions, kept apart so the
 * base stays in plan order (which makes the next delta cheap to compute).
 */
/**
 * What a record describes: its base table's elements, either as a list per set (the host's
 * record, read back) or as the element blocks as rendered (the client's record copy: the delta
 * compares these texts and needs no list), and the elements its journal created since.
 */
export type RecordElements = { created: Record<SetName, string[]> } & (
  | { base: Record<SetName, string[]>; blocks?: undefined }
  | { blocks: Record<SetName, string>; base?: undefined }
);

const JOURNAL_LINE = /^(create|delete) element \S+ \S+ (\w+) \{ (.*) \}$/;

export function recordElements(baseText: string, journal: string): Extract<RecordElements, { base: object }> {
  const base = elementsOfRuleset(baseText);
  const created = noElements();
  const deleted = new Set<string>();
  for (const line of journal.split('\n')) {
    const m = JOURNAL_LINE.exec(line);
    if (!m || !isSetName(m[2]!)) continue;
    const set = m[2];
    const items = m[3]!.split(', ');
    if (m[1] === 'create') created[set].push(...items);
    else {
      const keys = new Set(items);
      // A key the journal created and now deletes again is not the base's.
      const fromJournal = created[set].filter((l) => keys.has(keyOf(l)));
      created[set] = created[set].filter((l) => !keys.has(keyOf(l)));
      for (const l of fromJournal) keys.delete(keyOf(l));
      for (const k of keys) deleted.add(`${set} ${k}`);
    }
  }
  if (deleted.size)
    for (const set of SET_NAMES) base[set] = base[set].filter((l) => !deleted.has(`${set} ${keyOf(l)}`));
  return { base, created };
}

/** The delta from what a record describes to the planned elements. */
export function recordDelta(
  record: RecordElements,
  after: Record<SetName, string[]>,
  afterBlocks?: Record<SetName, string>,
): RulesetDelta {
  const blocks = record.blocks;
  const delta =
    blocks && afterBlocks
      ? (Object.fromEntries(SET_NAMES.map((set) => [set, blockDelta(blocks[set], afterBlocks[set])])) as RulesetDelta)
      : elementsDelta(
          record.base ??
            (Object.fromEntries(SET_NAMES.map((set) => [set, blockElements(blocks![set])])) as Record<
              SetName,
              string[]
            >),
          after,
        );
  for (const set of SET_NAMES) {
    if (!record.created[set].length) continue;
    // A journal-created element the plan keeps is live already; one it drops must go.
    const planned = new Set(delta[set].add);
    const live = new Set(record.created[set]);
    delta[set] = {
      add: delta[set].add.filter((l) => !live.has(l)),
      remove: [...delta[set].remove, ...record.created[set].filter((l) => !planned.has(l)).map(keyOf)],
    };
  }
  return delta;
}

export const deltaSize = (delta: RulesetDelta) =>
  SET_NAMES.reduce((n, s) => n + delta[s].add.length + delta[s].remove.length, 0);

const elementCommand = (verb: 'create' | 'delete', set: SetName, items: string[]) =>
  items.length ? `${verb} element ${PRICHAL_TABLE.family} ${PRICHAL_TABLE.name} ${set} { ${items.join(', ')} }\n` : '';

/**
 * The delta as one nft transaction. `delete` fails on an element that is not there and `create`
 * on one that already is, so the kernel refuses the whole batch when the live set is not what
 * the delta was computed from: nothing changes and the caller falls back to a full replace.
 */
export function deltaTransaction(delta: RulesetDelta): string {
  return (
    SET_NAMES.map((s) => elementCommand('delete', s, delta[s].remove)).join('') +
    SET_NAMES.map((s) => elementCommand('create', s, delta[s].add)).join('')
  );
}

/**
 * A check-only transaction (`nft -c`: the kernel evaluates it, then aborts) that succeeds only if
 * every added element is present and every removed one is absent: the delta's exact read-back,
 * without listing 100,000 elements.
 */
export function deltaCheck(delta: RulesetDelta): string {
  const stillRemoved = (s: SetName) => {
    const added = new Set(delta[s].add.map(keyOf));
    return delta[s].remove.filter((k) => !added.has(k));
  };
  return (
    SET_NAMES.map((s) => elementCommand('delete', s, delta[s].add.map(keyOf))).join('') +
    SET_NAMES.map((s) => elementCommand('create', s, stillRemoved(s))).join('')
  );
}
