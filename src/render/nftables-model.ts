// One model of an nftables table for both sides of every comparison: built from the plan
// (what must be) and parsed from `nft -j list …` (what is). Rules are printed back to nft
// syntax from their JSON expressions, so a difference reads like the rule an engineer would type.
// It sits below infra because the firewall's apply verifies with it and the engine's refresh
// compares with it; drift's edge-ruleset source (collect/) checks with the same model.
import type { PlannedEdge, Flow } from '../plan/index.js';

/** Prichal's one table on every edge; nothing else on a host is Prichal's. */
export const PRICHAL_TABLE = { family: 'inet', name: 'prichal' } as const;
/** The table as `nft` names it and as parsed listings key it: "inet prichal". */
export const PRICHAL_TABLE_KEY = `${PRICHAL_TABLE.family} ${PRICHAL_TABLE.name}`;
/** Where nft lives on the edges (Debian); netops runs it through a file capability. */
export const NFT = '/usr/sbin/nft';

export interface ChainModel {
  type?: string;
  hook?: string;
  prio?: number;
  policy?: string;
  rules: string[];
}

export interface SetModel {
  type: string[];
  flags: string[];
  /** Canonical element strings, sorted; comments are not part of the comparison. */
  elements: string[];
}

export interface TableModel {
  family: string;
  name: string;
  chains: Record<string, ChainModel>;
  sets: Record<string, SetModel>;
}

/** The forward chain of Prichal's table, in nft syntax; the template renders exactly these. */
export const FORWARD_CHAIN = {
  type: 'filter',
  hook: 'forward',
  prio: 0,
  policy: 'drop',
  rules: [
    'ct state established,related accept',
    'ct state invalid drop',
    'ip saddr . ip daddr . tcp dport @participant_to_gateway accept',
    'ip saddr . ip daddr . tcp dport @gateway_to_endpoint accept',
    'counter comment "prichal: denied"',
  ],
} as const;

const CONCAT_TYPE = ['ipv4_addr', 'ipv4_addr', 'inet_service'];

const hostOrPrefix = (value: string) => (value.endsWith('/32') ? value.slice(0, -3) : value);
export const flowElement = (f: Flow) => `${hostOrPrefix(f.source)} . ${hostOrPrefix(f.destination)} . ${f.port}`;

export function plannedTable(edge: PlannedEdge): TableModel {
  return {
    family: 'inet',
    name: 'prichal',
    chains: { forward: { ...FORWARD_CHAIN, rules: [...FORWARD_CHAIN.rules] } },
    sets: {
      participant_to_gateway: {
        type: CONCAT_TYPE,
        flags: ['interval'],
        elements: edge.ingress.map(flowElement).sort(),
      },
      gateway_to_endpoint: { type: CONCAT_TYPE, flags: [], elements: edge.egress.map(flowElement).sort() },
    },
  };
}

// ---- nft JSON → model -------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function value(v: Json): string {
  if (v === null) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(value).join(',');
  const [key, inner] = Object.entries(v)[0] ?? ['', null];
  const o = inner as Record<string, Json>;
  switch (key) {
    case 'prefix':
      return o.len === 32 ? String(o.addr) : `${String(o.addr)}/${String(o.len)}`;
    case 'range':
      return `${value((inner as Json[])[0]!)}-${value((inner as Json[])[1]!)}`;
    case 'concat':
      return (inner as Json[]).map(value).join(' . ');
    case 'set':
      return `{ ${(Array.isArray(inner) ? inner : [inner]).map(value).join(', ')} }`;
    case 'payload':
      return o.protocol
        ? `${String(o.protocol)} ${String(o.field)}`
        : `@${String(o.base)},${String(o.offset)},${String(o.len)}`;
    case 'meta':
      return `meta ${String(o.key)}`;
    case 'ct':
      return `ct ${String(o.key)}`;
    case 'elem':
      return value(o.val!);
    default:
      return JSON.stringify(v);
  }
}

function statement(s: Record<string, Json>): string {
  const [key, inner] = Object.entries(s)[0] ?? ['', null];
  const o = (inner ?? {}) as Record<string, Json>;
  switch (key) {
    case 'match': {
      const op = o.op === '==' || o.op === 'in' ? '' : `${String(o.op)} `;
      return `${value(o.left!)} ${op}${value(o.right!)}`;
    }
    case 'accept':
    case 'drop':
    case 'return':
    case 'continue':
      return key;
    case 'jump':
    case 'goto':
      return `${key} ${String(o.target)}`;
    case 'counter':
      return 'counter';
    case 'log':
      return o.prefix ? `log prefix "${String(o.prefix)}"` : 'log';
    case 'reject':
      return 'reject';
    case 'vmap':
      return `${value(o.key!)} vmap ${value(o.data!)}`;
    default:
      return `${key} ${JSON.stringify(inner)}`;
  }
}

export function ruleText(rule: { expr: Json[]; comment?: string }): string {
  const text = rule.expr.map((e) => statement(e as Record<string, Json>)).join(' ');
  return rule.comment ? `${text} comment "${rule.comment}"` : text;
}

/** Every table in an `nft -j list ruleset` (or `list table`) answer, keyed "family name". */
export function parseNftJson(text: string): Map<string, TableModel> {
  const doc = JSON.parse(text) as { nftables: Array<Record<string, Record<string, Json>>> };
  const tables = new Map<string, TableModel>();
  const table = (family: string, name: string) => {
    const key = `${family} ${name}`;
    let t = tables.get(key);
    if (!t) tables.set(key, (t = { family, name, chains: {}, sets: {} }));
    return t;
  };
  const chain = (t: TableModel, name: string) => (t.chains[name] ??= { rules: [] });
  for (const item of doc.nftables) {
    if (item.table) table(String(item.table.family), String(item.table.name));
    else if (item.chain) {
      const c = item.chain;
      const model = chain(table(String(c.family), String(c.table)), String(c.name));
      if (c.type !== undefined) {
        model.type = String(c.type);
        model.hook = String(c.hook);
        model.prio = Number(c.prio);
        model.policy = String(c.policy ?? 'accept');
      }
    } else if (item.rule) {
      const r = item.rule;
      chain(table(String(r.family), String(r.table)), String(r.chain)).rules.push(
        ruleText(r as unknown as { expr: Json[]; comment?: string }),
      );
    } else if (item.set) {
      const s = item.set;
      const type = Array.isArray(s.type) ? s.type.map(String) : [String(s.type)];
      const elements = ((s.elem as Json[] | undefined) ?? []).map(value).sort();
      table(String(s.family), String(s.table)).sets[String(s.name)] = {
        type,
        flags: ((s.flags as Json[] | undefined) ?? []).map(String).sort(),
        elements,
      };
    }
  }
  return tables;
}

// ---- comparison -------------------------------------------------------------------------

export interface TableDifference {
  kind: 'missing-table' | 'chain' | 'rules' | 'set' | 'missing-element' | 'extra-element';
  /** Where: chain or set name. */
  object: string;
  /** For missing-/extra-element: the canonical element. */
  element?: string;
  message: string;
  /** The message in Russian (the engine's refresh prints it). */
  ru: string;
}

/**
 * How the live table differs from the planned one. `layout` compares what the cheap listings
 * show (`nft list chains`, `nft -t list sets`: chain hooks and policies, set declarations) and
 * skips rules and elements, which only a full listing has.
 */
export function compareTables(
  planned: TableModel,
  live: TableModel | undefined,
  scope: 'all' | 'layout' = 'all',
): TableDifference[] {
  if (!live)
    return [
      {
        kind: 'missing-table',
        object: `${planned.family} ${planned.name}`,
        message: `table ${planned.family} ${planned.name} is missing`,
        ru: `таблицы ${planned.family} ${planned.name} нет`,
      },
    ];
  const out: TableDifference[] = [];
  for (const [name, want] of Object.entries(planned.chains)) {
    const have = live.chains[name];
    if (!have) {
      out.push({ kind: 'chain', object: name, message: `chain ${name} is missing`, ru: `цепочки ${name} нет` });
      continue;
    }
    for (const field of ['type', 'hook', 'prio', 'policy'] as const) {
      if (want[field] !== have[field])
        out.push({
          kind: 'chain',
          object: name,
          message: `chain ${name}: ${field} is ${String(have[field])}, planned ${String(want[field])}`,
          ru: `цепочка ${name}: ${field} ${String(have[field])}, по плану ${String(want[field])}`,
        });
    }
    if (scope === 'all' && want.rules.join('\n') !== have.rules.join('\n')) {
      const extra = have.rules.filter((r) => !want.rules.includes(r));
      const missing = want.rules.filter((r) => !have.rules.includes(r));
      const detail = [...extra.map((r) => `extra rule: ${r}`), ...missing.map((r) => `missing rule: ${r}`)];
      const detailRu = [...extra.map((r) => `лишнее правило: ${r}`), ...missing.map((r) => `нет правила: ${r}`)];
      out.push({
        kind: 'rules',
        object: name,
        message: `chain ${name}: ${detail.length ? detail.join('; ') : 'rules are in another order'}`,
        ru: `цепочка ${name}: ${detailRu.length ? detailRu.join('; ') : 'правила в другом порядке'}`,
      });
    }
  }
  for (const name of Object.keys(live.chains))
    if (!planned.chains[name])
      out.push({ kind: 'chain', object: name, message: `extra chain ${name}`, ru: `лишняя цепочка ${name}` });
  for (const [name, want] of Object.entries(planned.sets)) {
    const have = live.sets[name];
    if (!have) {
      out.push({ kind: 'set', object: name, message: `set ${name} is missing`, ru: `множества ${name} нет` });
      continue;
    }
    if (want.type.join() !== have.type.join() || want.flags.join() !== have.flags.join())
      out.push({
        kind: 'set',
        object: name,
        message: `set ${name}: type or flags differ`,
        ru: `множество ${name}: другой тип или флаги`,
      });
    if (scope === 'layout') continue;
    const haveSet = new Set(have.elements);
    const wantSet = new Set(want.elements);
    for (const e of want.elements)
      if (!haveSet.has(e))
        out.push({
          kind: 'missing-element',
          object: name,
          element: e,
          message: `set ${name}: missing element ${e}`,
          ru: `множество ${name}: нет элемента ${e}`,
        });
    for (const e of have.elements)
      if (!wantSet.has(e))
        out.push({
          kind: 'extra-element',
          object: name,
          element: e,
          message: `set ${name}: extra element ${e}`,
          ru: `множество ${name}: лишний элемент ${e}`,
        });
  }
  for (const name of Object.keys(live.sets))
    if (!planned.sets[name])
      out.push({ kind: 'set', object: name, message: `extra set ${name}`, ru: `лишнее множество ${name}` });
  return out;
}
