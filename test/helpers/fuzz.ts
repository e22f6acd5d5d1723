// Seeded mutation of inputs for the fuzz tests (test/fuzz.test.ts, test/fuzz-inputs.test.ts): a
// small PRNG, the line mutator of the first pass, and the second pass's mutators of YAML text and
// JSON values, each recording what it did so that a failure names its input.

/** mulberry32: a small seeded PRNG, so every run fuzzes the same cases. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of one case, from the run's seed, the input kind and the case's index: any case replays alone. */
export function caseSeed(seed: number, kind: string, index: number): number {
  let h = 0x811c9dc5;
  for (const c of `${seed}/${kind}/${index}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

export const picker =
  (rnd: () => number) =>
  <T>(items: readonly T[]): T =>
    items[Math.floor(rnd() * items.length)]!;

/** The first pass's tokens. */
export const TOKENS = [
  '&a ',
  '*a',
  '*b',
  '[',
  ']',
  '{',
  '}',
  ': ',
  '- ',
  '"',
  "'",
  '\t',
  '\u0000',
  '\ufeff',
  '<script>alert(1)</script>',
  '|',
  '>',
  '%YAML 1.1\n',
  '---\n',
  '...\n',
  '!!binary ',
  '!!js/function ',
  '!!python/object ',
  '0x',
  '1e999',
  '~',
  'null',
  '99999999999999999999',
  '-1',
  '2026-02-30',
  '10.0.0.0/33',
  '256.1.1.1',
  '::1',
  'a'.repeat(2000),
  '\n  nested: {a: [b, {c: d}]}\n',
  '? complex key\n',
  '<<: *a\n',
];

/** The first pass's mutator: lines dropped, doubled, swapped, tokens inserted, values retyped, the file cut. */
export function mutate(text: string, rnd: () => number, tokens: readonly string[] = TOKENS): string {
  const pick = picker(rnd);
  let lines = text.split('\n');
  const rounds = 1 + Math.floor(rnd() * 3);
  for (let r = 0; r < rounds; r++) {
    const i = Math.floor(rnd() * lines.length);
    const j = Math.floor(rnd() * lines.length);
    switch (Math.floor(rnd() * 6)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, lines[i] ?? '');
        break;
      case 2:
        [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
        break;
      case 3: {
        const line = lines[i] ?? '';
        const at = Math.floor(rnd() * (line.length + 1));
        lines[i] = line.slice(0, at) + pick(tokens) + line.slice(at);
        break;
      }
      case 4:
        // Retype a value: everything after the first ': ' becomes a token.
        lines[i] = (lines[i] ?? '').replace(/: .*$/, `: ${pick(tokens)}`);
        break;
      default:
        lines = lines.slice(0, Math.floor(rnd() * lines.length));
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Second pass.

/** What a mutator produced and what it did, in words short enough for a failure message. */
export interface Mutant<T = string> {
  value: T;
  ops: string[];
}

const HUGE = 'a'.repeat(100_000);
/** Past the default 4 MiB file limit: picked rarely (it costs a 5 MB write). */
const OVERSIZED = 'z'.repeat(5_000_000);

/** Values a field can be retyped to, for YAML (as text). */
export const YAML_VALUES: readonly string[] = [
  ...TOKENS,
  'yesterday',
  'tomorrow',
  'today',
  '2026-02-30',
  '2026-13-45',
  '0000-00-00',
  '9999-12-31',
  '2026-11-24 # edited by hand',
  '2026-11-24T25:61:00Z',
  '2026-11-24T10:00:00+99:00',
  '1970-01-01',
  '"2026/0001"',
  '2026/0001',
  '"2026/9999"',
  '"0000/0000"',
  '"2026/0001a"',
  '\u200b',
  '\u200b\u200b\u200b',
  '\u200e\u200f',
  '\u202e',
  '\u2060',
  '\u0007',
  '\u001b[2J',
  '\u0008',
  '\r',
  '\u2028',
  '\u0085',
  '[]',
  '{}',
  '[a, b]',
  '{a: 1}',
  '[[[[[[[[[[]]]]]]]]]]',
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  '.nan',
  '.inf',
  '-.inf',
  '0o777',
  '0b101',
  '12:30:00',
  '1_000',
  '+1',
  '-0',
  '1.0e+3',
  '""',
  "''",
  '" "',
  HUGE,
  '# only a comment',
  '\\',
  '%',
  '@',
  '`',
  '!',
  '&',
  '*',
  '!!str',
  '!!int 12',
  '!!float x',
  '!!timestamp 2026-02-30',
  '!!set {a}',
  '!!omap [a: 1]',
  '!!map',
  '!!seq',
  '?',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  '{__proto__: {polluted: 1}}',
  'Asia/Yekaterinberg',
  'Nowhere/Zone',
  'UTC',
  '+14:00',
  '10.210.0.10',
  '10.210.0.2',
  '10.250.0.0/31',
  '0.0.0.0',
  '255.255.255.255',
  '10.210.0.0/16',
  'fe80::1',
  '10.210.0.10/32',
];

/** Tokens inserted into a line: the values, plus structure and line breaks. */
export const YAML_TOKENS: readonly string[] = [
  ...YAML_VALUES,
  '\n',
  '\n- ',
  '\n  - ',
  '\n  ',
  ': ',
  ' # trailing comment',
  '\t\t',
  '  ',
  '- {',
  '}, ',
  OVERSIZED,
];

const show = (text: string) => {
  const chars = [...text];
  return JSON.stringify(chars.length > 40 ? `${chars.slice(0, 40).join('')}…(${chars.length} chars)` : text);
};

/**
 * The second pass's YAML mutator: the first pass's operations, plus indentation changed, a line
 * commented out, a trailing comment, a top-level key removed (its list or mapping becomes the
 * document: a register written as a bare list), 1 to 3 of them.
 */
export function mutateYaml(text: string, rnd: () => number): Mutant {
  const pick = picker(rnd);
  let lines = text.split('\n');
  const ops: string[] = [];
  const rounds = 1 + Math.floor(rnd() * 3);
  for (let r = 0; r < rounds; r++) {
    const i = Math.floor(rnd() * lines.length);
    const j = Math.floor(rnd() * lines.length);
    const line = lines[i] ?? '';
    switch (Math.floor(rnd() * 11)) {
      case 0:
        lines.splice(i, 1);
        ops.push(`drop L${i + 1}`);
        break;
      case 1:
        lines.splice(i, 0, line);
        ops.push(`double L${i + 1}`);
        break;
      case 2:
        [lines[i], lines[j]] = [lines[j] ?? '', line];
        ops.push(`swap L${i + 1}/L${j + 1}`);
        break;
      case 3:
      case 4: {
        const at = Math.floor(rnd() * (line.length + 1));
        const token = pick(YAML_TOKENS);
        lines[i] = line.slice(0, at) + token + line.slice(at);
        ops.push(`insert ${show(token)} at L${i + 1}:${at + 1}`);
        break;
      }
      case 5:
      case 6: {
        // Retype a value: a mapping's value, or a list item's.
        const value = pick(YAML_VALUES);
        const retyped = /: /.test(line)
          ? line.replace(/: .*$/, `: ${value}`)
          : line.replace(/^(\s*- ).*$/, `$1${value}`);
        // A flow mapping on one line ({ number: "…", date: … }): retype one of its fields.
        const fields = [...line.matchAll(/(\w+): ([^,}]*)/g)];
        if (fields.length > 1) {
          const f = pick(fields);
          lines[i] = line.slice(0, f.index + f[1]!.length + 2) + value + line.slice(f.index + f[0].length);
          ops.push(`retype ${f[1]} of L${i + 1} to ${show(value)}`);
        } else {
          lines[i] = retyped;
          ops.push(`retype L${i + 1} to ${show(value)}`);
        }
        break;
      }
      case 7:
        lines[i] = rnd() < 0.5 ? `  ${line}` : line.replace(/^ {1,2}/, '');
        ops.push(`${lines[i]!.length > line.length ? 'indent' : 'dedent'} L${i + 1}`);
        break;
      case 8:
        lines[i] = rnd() < 0.5 ? `# ${line}` : `${line} # hand edit`;
        ops.push(`comment L${i + 1}`);
        break;
      case 9: {
        // A top-level key removed: what it held becomes the document (a bare list, a bare mapping).
        const top = lines.findIndex((l, k) => k >= i && /^[A-Za-z_][\w-]*:\s*$/.test(l));
        if (top >= 0) {
          lines.splice(top, 1);
          lines = lines.map((l) => l.replace(/^ {2}/, ''));
          ops.push(`unwrap top-level key at L${top + 1}`);
        } else {
          lines.splice(i, 1);
          ops.push(`drop L${i + 1}`);
        }
        break;
      }
      default: {
        const cut = Math.floor(rnd() * lines.length);
        lines = lines.slice(0, cut);
        ops.push(`cut after L${cut}`);
      }
    }
  }
  return { value: lines.join('\n'), ops };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values a JSON field can be retyped to. */
function weirdJson(rnd: () => number, current: Json): Json {
  const pick = picker(rnd);
  const options: Array<() => Json> = [
    () => null,
    () => true,
    () => false,
    () => 0,
    () => -1,
    () => 1.5,
    () => 1e308,
    () => Number.MAX_SAFE_INTEGER + 2,
    () => '',
    () => ' ',
    () =>
      pick([
        'yesterday',
        'tomorrow',
        '2026-02-30',
        '2026-02-30T10:00:00Z',
        '2026-11-23T25:61:00Z',
        'not a time',
        '2026-11-23T01:31:31.644',
        '+275760-09-13T00:00:00.001Z',
        '-000001-01-01T00:00:00Z',
        '1700000000',
        '0',
        'NaN',
        'Infinity',
      ]),
    () =>
      pick([
        '\u0000\u0007\u001b[31mred',
        '\u200b\u200b',
        '\u202eevil',
        '\u2028',
        '<script>alert(1)</script>',
        '</testcase><x>',
        ']]>',
        '&amp;<',
        '%s%n',
        '${PRICHAL_SECRET_CANARY}',
        '$(id)',
        '../../../../etc/passwd',
        '__proto__',
        'constructor',
      ]),
    () => HUGE,
    () => [],
    () => ({}),
    () => [null],
    () => ({ a: { b: { c: [] } } }),
    () => ['x', 1, null, {}],
    () =>
      typeof current === 'number'
        ? String(current)
        : typeof current === 'string'
          ? Number.isNaN(Number(current))
            ? current.length
            : Number(current)
          : JSON.stringify(current),
    () => [current],
    () => ({ value: current }),
    () => (typeof current === 'string' ? current.repeat(50) : current),
    () => (typeof current === 'string' ? current.toUpperCase() : current),
    () => (typeof current === 'number' ? -current : typeof current === 'boolean' ? !current : current),
    () => (typeof current === 'number' ? current + 1 : current),
  ];
  return pick(options)();
}

function paths(
  value: Json,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object')
    for (const k of Object.keys(value)) paths(value[k]!, [...prefix, k], out);
  return out;
}

const pathText = (p: ReadonlyArray<string | number>) =>
  `$${p.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;

function parentOf(root: Json, p: ReadonlyArray<string | number>): Json {
  let node = root;
  for (const k of p.slice(0, -1)) node = (node as Record<string | number, Json>)[k]!;
  return node;
}

/**
 * The second pass's JSON mutator, on a parsed value: keys removed, values retyped (string, number,
 * null, list, mapping, huge, control and zero-width characters, broken dates and timestamps),
 * list items doubled or removed, unknown keys added, 1 to 3 times. A path is picked by depth first
 * (top-level fields most often), so that a report's own fields are hit as often as its findings'.
 */
export function mutateJson(input: unknown, rnd: () => number): Mutant<unknown> {
  const pick = picker(rnd);
  let root = structuredClone(input) as Json;
  const ops: string[] = [];
  const rounds = 1 + Math.floor(rnd() * 3);
  for (let r = 0; r < rounds; r++) {
    const all = paths(root);
    // Depth by weight: the document itself rarely, its own fields most (a report whose findings is
    // a string), then their children, then every deeper level alike.
    const deepest = Math.max(...all.map((p) => p.length));
    const weights = Array.from({ length: deepest + 1 }, (_, d) => (d === 0 ? 0.3 : d === 1 ? 3 : d === 2 ? 2 : 1));
    let roll = rnd() * weights.reduce((a, b) => a + b, 0);
    let depth = 0;
    while (depth < deepest && (roll -= weights[depth]!) >= 0) depth++;
    const candidates = all.filter((p) => p.length === depth);
    const p = pick(candidates.length ? candidates : all);
    if (p.length === 0) {
      // The document itself.
      const replaced = pick<Json>([null, [], 'text', 42, [root], { data: root }]);
      root = replaced;
      ops.push(`replace the document with ${show(JSON.stringify(replaced))}`);
      continue;
    }
    const parent = parentOf(root, p) as Record<string | number, Json>;
    const key = p.at(-1)!;
    switch (Math.floor(rnd() * 6)) {
      case 0:
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
        ops.push(`remove ${pathText(p)}`);
        break;
      case 1:
      case 2: {
        const value = weirdJson(rnd, parent[key]!);
        parent[key] = value;
        ops.push(`retype ${pathText(p)} to ${show(JSON.stringify(value) ?? 'undefined')}`);
        break;
      }
      case 3:
        if (Array.isArray(parent)) {
          parent.splice(key as number, 0, structuredClone(parent[key as number]!));
          ops.push(`double ${pathText(p)}`);
        } else {
          const name = pick([
            'unknown',
            '__proto__',
            'constructor',
            'x'.repeat(5000),
            '\u200b',
            '',
            'allowed',
            'findings',
          ]);
          // An own property even for '__proto__' (as JSON.parse makes it), not the prototype.
          Object.defineProperty(parent, name, {
            value: structuredClone(parent[key]!),
            enumerable: true,
            writable: true,
            configurable: true,
          });
          ops.push(`add key ${show(name)} beside ${pathText(p)}`);
        }
        break;
      case 4: {
        const value = parent[key]!;
        parent[key] = Array.isArray(value) ? [] : value && typeof value === 'object' ? {} : weirdJson(rnd, value);
        ops.push(`empty ${pathText(p)}`);
        break;
      }
      default: {
        // Swap with a sibling (the same field of the next item, or another field).
        const siblings = Array.isArray(parent) ? parent.map((_, i) => i) : Object.keys(parent);
        const other = pick(siblings as Array<string | number>);
        [parent[key], parent[other]] = [parent[other]!, parent[key]!];
        ops.push(`swap ${pathText(p)} with ${pathText([...p.slice(0, -1), other])}`);
      }
    }
  }
  return { value: root, ops };
}

/** JSON text, sometimes broken as text: cut, a token inserted, a byte-order mark, a second document after it. */
export function jsonText(value: unknown, rnd: () => number, ops: string[]): string {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (rnd() >= 0.2) return text;
  const pick = picker(rnd);
  const at = Math.floor(rnd() * text.length);
  switch (Math.floor(rnd() * 5)) {
    case 0:
      ops.push(`cut the text at ${at}`);
      return text.slice(0, at);
    case 1: {
      const token = pick([
        '\u0000',
        ',',
        '}',
        '{',
        '"',
        'NaN',
        '1e999',
        '\ufeff',
        '// comment',
        '\n\n',
        'x'.repeat(3000),
      ]);
      ops.push(`insert ${show(token)} at ${at}`);
      return text.slice(0, at) + token + text.slice(at);
    }
    case 2:
      ops.push('prepend a byte-order mark');
      return `\ufeff${text}`;
    case 3:
      ops.push('append a second document');
      return `${text}{}\n`;
    default:
      ops.push('empty file');
      return '';
  }
}

/**
 * A binary file's mutant (a DER certificate): bytes flipped or set to 0x00, 0x7f, 0x80, 0xff,
 * ranges removed or doubled, random bytes inserted, a long-form length claiming 4 GB, the file
 * cut, 1 to 4 times.
 */
export function mutateBytes(input: Buffer, rnd: () => number): Mutant<Buffer> {
  const pick = picker(rnd);
  let bytes = Buffer.from(input);
  const ops: string[] = [];
  const rounds = 1 + Math.floor(rnd() * 4);
  for (let r = 0; r < rounds; r++) {
    const at = Math.floor(rnd() * Math.max(1, bytes.length));
    const length = 1 + Math.floor(rnd() * 16);
    switch (Math.floor(rnd() * 7)) {
      case 0: {
        const value = pick([0x00, 0x7f, 0x80, 0xff, Math.floor(rnd() * 256)]);
        if (bytes.length) bytes[at] = value;
        ops.push(`byte ${at} = 0x${value.toString(16)}`);
        break;
      }
      case 1:
        if (bytes.length) bytes[at] = bytes[at]! ^ (1 << Math.floor(rnd() * 8));
        ops.push(`flip a bit of byte ${at}`);
        break;
      case 2:
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + length)]);
        ops.push(`remove bytes ${at}..${at + length}`);
        break;
      case 3:
        bytes = Buffer.concat([
          bytes.subarray(0, at + length),
          bytes.subarray(at, at + length),
          bytes.subarray(at + length),
        ]);
        ops.push(`double bytes ${at}..${at + length}`);
        break;
      case 4: {
        const inserted = Buffer.from(Array.from({ length }, () => Math.floor(rnd() * 256)));
        bytes = Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]);
        ops.push(`insert ${inserted.toString('hex')} at ${at}`);
        break;
      }
      case 5:
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          Buffer.from([0x84, 0xff, 0xff, 0xff, 0xff]),
          bytes.subarray(at + 1),
        ]);
        ops.push(`length 0xffffffff at ${at}`);
        break;
      default:
        bytes = bytes.subarray(0, at);
        ops.push(`cut at ${at}`);
    }
  }
  return { value: bytes, ops };
}

/** DER as PEM text (64 characters a line). */
export const pem = (der: Buffer, label = 'CERTIFICATE') =>
  `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
