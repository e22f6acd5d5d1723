// The in-place YAML editor (src/inventory/edit.ts): each edit changes the nodes it names and
// leaves every other line byte for byte — comments, quoting, inline mappings, line width —, and
// the result reads back as the intended data. A seeded property test edits random fields of the
// sample files and compares the untouched lines; `certificate import` changes only the
// certificate's lines.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Parser, type Node } from 'yaml';
import { YamlEditError, YamlEditor, type EditPath } from '../src/inventory/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { prichal } from './helpers/cli.js';
import { editedInventories, SAMPLE_INVENTORY } from './helpers/inventory.js';

const edited = editedInventories();
const SOSH = readFileSync(path.join(SAMPLE_INVENTORY, 'participants/tmn-sosh-12.yaml'), 'utf8');
const CERTS = path.join(import.meta.dirname, 'fixtures', 'certificates');

/** The old lines an edit replaced (1-based, inclusive) and the new lines that stand for them: everything before and after is byte-identical. */
function changedLines(before: string, after: string): { old: [number, number]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { old: [head + 1, a.length - tail], added: b.slice(head, b.length - tail) };
}

const data = (text: string) => parseDocument(text).toJS() as unknown;

describe('YamlEditor on a sample participant', () => {
  const cases: Array<{ name: string; edit: (e: YamlEditor) => unknown; old: [number, number]; added: string[] }> = [
    {
      name: 'a plain scalar, in place',
      edit: (e) => e.set(['sed', 'training'], '2024-03-16'),
      old: [18, 18],
      added: ['  training: 2024-03-16'],
    },
    {
      name: 'a quoted scalar keeps its quotes',
      edit: (e) => e.set(['inn'], '7203000999'),
      old: [5, 5],
      added: ['inn: "7203000999"'],
    },
    {
      name: 'a plain scalar that would read as a number is quoted',
      edit: (e) => e.set(['district'], '123'),
      old: [6, 6],
      added: ['district: "123"'],
    },
    {
      name: 'a trailing comment stays',
      edit: (e) => e.set(['services', 0, 'appointment', 'source'], 'terminal'),
      old: [53, 53],
      added: ['    appointment: { source: terminal }   # п. 5.1: appointments come from the information system'],
    },
    {
      name: 'a key into an inline mapping, inline',
      edit: (e) => e.set(['clerk', 'fax'], '+7 3452 00-00-09'),
      old: [9, 9],
      added: [
        'clerk: { name: Сидорова Елена Викторовна, phone: "+7 3452 00-00-00", email: clerk@sosh12.example, fax: +7 3452 00-00-09 }',
      ],
    },
    {
      name: 'a key into a block mapping, after the one named',
      edit: (e) => e.set(['sed', 'torSed'], '2025-03-01', { after: ['credentialsIssued'] }),
      old: [21, 20],
      added: ['  torSed: 2025-03-01'],
    },
    {
      name: "a first key, below the file's comments",
      edit: (e) => e.set(['version'], 2, { first: true }),
      old: [2, 1],
      added: ['version: 2'],
    },
    {
      name: 'an entry appended to an inline list',
      edit: (e) => e.append(['networks'], '10.33.13.0/24'),
      old: [33, 33],
      added: ['networks: [10.33.12.0/24, 10.33.13.0/24]'],
    },
    {
      name: 'an entry appended to a block list, its mapping inline from depth 1',
      edit: (e) =>
        e.append(
          ['signers'],
          { name: 'Орлова О. О.', role: 'deputy', certificate: { serial: '01', notAfter: '2027-01-01' } },
          { flowFrom: 1 },
        ),
      old: [29, 28],
      added: ['  - name: Орлова О. О.', '    role: deputy', '    certificate: { serial: "01", notAfter: 2027-01-01 }'],
    },
    { name: 'a key of a block mapping removed', edit: (e) => e.remove(['sed', 'training']), old: [18, 18], added: [] },
    {
      name: 'a key of an inline mapping removed',
      edit: (e) => e.remove(['clerk', 'phone']),
      old: [9, 9],
      added: ['clerk: { name: Сидорова Елена Викторовна, email: clerk@sosh12.example }'],
    },
    {
      name: "the first key of a list entry's mapping removed",
      edit: (e) => e.remove(['signers', 0, 'name']),
      old: [23, 24],
      added: ['  - role: head'],
    },
    {
      name: 'the only key removed leaves an empty mapping and the comment',
      edit: (e) => e.remove(['services', 0, 'appointment', 'source']),
      old: [53, 53],
      added: ['    appointment: {}   # п. 5.1: appointments come from the information system'],
    },
    {
      name: 'a mapping set over a mapping changes only what differs',
      edit: (e) =>
        e.set(['signers', 1, 'certificate'], {
          serial: 'ABCDEF',
          thumbprint: 'f'.repeat(40),
          issuer: 'Федеральное казначейство',
          notBefore: '2026-02-01',
          notAfter: '2027-05-01',
        }),
      old: [28, 28],
      added: [
        `    certificate: { serial: "ABCDEF", thumbprint: "${'f'.repeat(40)}", issuer: Федеральное казначейство, notBefore: 2026-02-01, notAfter: 2027-05-01 }`,
      ],
    },
    {
      name: 'missing parents are created',
      edit: (e) => e.set(['services', 0, 'webService', 'client', 'version'], '1.2.3'),
      old: [54, 54],
      added: ['    webService: { wsdlReceived: 2024-03-01, eventsClient: 2024-03-05, client: { version: 1.2.3 } }'],
    },
  ];

  it.each(cases)('$name', ({ edit, old, added }) => {
    const editor = new YamlEditor(SOSH);
    edit(editor);
    expect(changedLines(SOSH, editor.text)).toEqual({ old, added });
    expect(data(editor.text)).toEqual(editor.data);
  });

  it('setting what is already there changes nothing', () => {
    const { sed } = data(SOSH) as { sed: unknown };
    const editor = new YamlEditor(SOSH)
      .set(['sed'], sed)
      .set(['signers', 0], (data(SOSH) as { signers: unknown[] }).signers[0]);
    expect(editor.text).toBe(SOSH);
  });

  it('keeps CRLF line ends, and adds lines with them', () => {
    const crlf = SOSH.replace(/\n/g, '\r\n');
    const editor = new YamlEditor(crlf)
      .set(['sed', 'torSed'], '2025-03-01')
      .append(['signers'], { name: 'X', role: 'other', certificate: { serial: '02' } }, { flowFrom: 1 });
    expect(editor.text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(editor.text.startsWith(crlf.slice(0, crlf.indexOf('  training')))).toBe(true);
  });

  it('starts a document that is empty or holds only comments', () => {
    expect(
      new YamlEditor('').append(
        ['documents'],
        { number: '2026/0001', date: '2026-11-24' },
        { flowFrom: 0, quote: 'double' },
      ).text,
    ).toBe('documents:\n  - { number: "2026/0001", date: "2026-11-24" }\n');
    expect(new YamlEditor('# header\n').set(['a'], 1).text).toBe('# header\na: 1\n');
    expect(new YamlEditor('a: 1').set(['b'], 2).text).toBe('a: 1\nb: 2\n');
  });

  it('appends to a list written as `key:`, `[]` or inline, in its style', () => {
    expect(new YamlEditor('documents:\n').append(['documents'], { n: '1' }, { flowFrom: 0 }).text).toBe(
      'documents:\n  - { n: "1" }\n',
    );
    expect(new YamlEditor('documents: []   # none yet\n').append(['documents'], { n: '1' }, { flowFrom: 0 }).text).toBe(
      'documents: [{ n: "1" }]   # none yet\n',
    );
    expect(new YamlEditor('documents: [{ n: "1" }]\n').append(['documents'], { n: '2' }).text).toBe(
      'documents: [{ n: "1" }, { n: "2" }]\n',
    );
    expect(
      new YamlEditor('# h\ndocuments:\n  - { n: "1" }   # hand note\n# end\n').append(
        ['documents'],
        { n: '2' },
        { flowFrom: 0, quote: 'double' },
      ).text,
    ).toBe('# h\ndocuments:\n  - { n: "1" }   # hand note\n  - { n: "2" }\n# end\n');
  });

  it('appends several entries in one edit, as the document register does', () => {
    expect(
      new YamlEditor('# h\ndocuments:\n  - { n: "1" }   # by hand\n').appendAll(
        ['documents'],
        [{ n: '2' }, { n: '3' }],
        { flowFrom: 0, quote: 'double' },
      ).text,
    ).toBe('# h\ndocuments:\n  - { n: "1" }   # by hand\n  - { n: "2" }\n  - { n: "3" }\n');
    expect(
      new YamlEditor('# h\n').appendAll(['documents'], [{ n: '1' }, { n: '2' }], { flowFrom: 0, quote: 'double' }).text,
    ).toBe('# h\ndocuments:\n  - { n: "1" }\n  - { n: "2" }\n');
    expect(new YamlEditor('d: [a]\n').appendAll(['d'], ['b', 'c']).text).toBe('d: [a, b, c]\n');
    expect(new YamlEditor('d: [a]\n').appendAll(['d'], []).text).toBe('d: [a]\n');
  });

  it('an edit of several steps that cannot finish changes nothing', () => {
    const text = 't:\n  - c: 1\n  - a: 1\n    # note\n    b: 2\n';
    const editor = new YamlEditor(text, 't.yaml');
    expect(() => editor.set(['t'], [{ c: 2 }, { b: 2 }])).toThrow(/cannot be changed in place/);
    expect(editor.text).toBe(text);
    expect(editor.set(['t', 0, 'c'], 2).text).toBe(text.replace('c: 1', 'c: 2'));
  });

  it('refuses a file that is not YAML or holds several documents, and a value YAML cannot hold', () => {
    expect(() => new YamlEditor('a: [1\n', 'x.yaml')).toThrow(YamlEditError);
    expect(() => new YamlEditor('a: 1\n---\nb: 2\n', 'x.yaml')).toThrow(/2 YAML documents/);
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 12 }, (_, i) => `b${i}: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]`).join('\n')}\n`;
    expect(() => new YamlEditor(bomb, 'x.yaml')).toThrow(YamlEditError);
    expect(() => new YamlEditor(`${'['.repeat(20000)}${']'.repeat(20000)}\n`, 'x.yaml')).toThrow(YamlEditError);
    expect(() => new YamlEditor(SOSH).set(['x'], () => 1)).toThrow(YamlEditError);
    expect(() => new YamlEditor(SOSH).set(['x'], Number.NaN)).toThrow(YamlEditError);
    expect(() => new YamlEditor(SOSH).append(['id'], 'x')).toThrow(/not a list/);
  });
});

// ---- The property: random edits of random fields of the sample files. ----

const SAMPLE_FILES = [
  'operator.yaml',
  'allocations.yaml',
  'documents.yaml',
  ...readdirSync(path.join(SAMPLE_INVENTORY, 'participants')).map((f) => `participants/${f}`),
].map((file) => ({ file, text: readFileSync(path.join(SAMPLE_INVENTORY, file), 'utf8') }));

interface Located {
  path: EditPath;
  node: Node;
  /** The pair holding the node, when it is a mapping's value. */
  pair?: { key: Node; value: Node | null };
  parent: Node;
}

/** Every node of a document with its path, its pair and its parent. */
function nodesOf(text: string): Located[] {
  const doc = parseDocument(text);
  const found: Located[] = [];
  const walk = (node: unknown, path: EditPath) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key) || typeof pair.key.value !== 'string' || !pair.value) continue;
        found.push({
          path: [...path, pair.key.value],
          node: pair.value as Node,
          pair: { key: pair.key as Node, value: pair.value as Node },
          parent: node,
        });
        walk(pair.value, [...path, pair.key.value]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        found.push({ path: [...path, i], node: item as Node, parent: node });
        walk(item, [...path, i]);
      });
    }
  };
  walk(doc.contents, []);
  return found;
}

const SCALARS = fc.oneof(
  fc.constantFrom(
    '',
    'true',
    'null',
    '~',
    '123',
    '0x1A',
    '1e3',
    '2024-03-01',
    'a: b',
    'a #b',
    '# not a comment',
    '- dash',
    '"quoted"',
    "it's",
    'Иванов П. П.',
    '{ brace',
    '[x]',
    'a, b',
    'key:',
    '%pct',
    '!tag',
    '&anchor',
    '*alias',
    '|',
    '>',
    ' leading',
    'trailing ',
    'multi\nline',
    'tab\there',
    'bell\u0007',
    '«ёлка»',
  ),
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.boolean(),
  fc.constant(null),
);
const KEYS = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,10}$/).map((k) => `new${k}`);
const VALUES = fc.oneof(
  { weight: 3, arbitrary: SCALARS },
  { weight: 1, arbitrary: fc.array(SCALARS, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(KEYS, SCALARS, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(KEYS, fc.oneof(SCALARS, fc.array(SCALARS, { maxLength: 2 })), { maxKeys: 2 }) },
);

type Op =
  | { kind: 'set' | 'replace' | 'merge'; path: EditPath; value: unknown }
  | { kind: 'insert'; path: EditPath; key: string; value: unknown }
  | { kind: 'append'; path: EditPath; value: unknown }
  | { kind: 'remove'; path: EditPath };

const lineOf = (lines: LineCounter, offset: number) => lines.linePos(offset).line;

/** The old lines an edit may touch: the node's own (a new block entry: none; an inline collection: its lines). */
function allowedLines(text: string, op: Op): [number, number] | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const span = (node: Node | null | undefined): [number, number] => [
    lineOf(lines, node!.range![0]),
    lineOf(lines, Math.max(node!.range![0], node!.range![1] - 1)),
  ];
  const nodeAt = (path: EditPath) => (path.length ? (doc.getIn(path, true) as Node) : (doc.contents as Node));
  if (op.kind === 'set') return span(nodeAt(op.path));
  if (op.kind === 'replace' || op.kind === 'merge') {
    // The node's lines and its key's (a block value starts below its key).
    const [from, to] = span(nodeAt(op.path));
    const pair = nodesOf(text).find((n) => JSON.stringify(n.path) === JSON.stringify(op.path))?.pair;
    return [Math.min(from, pair ? lineOf(lines, pair.key.range![0]) : from), to];
  }
  const target = nodeAt(op.path);
  if (op.kind === 'insert' || op.kind === 'append')
    return (target as { flow?: boolean }).flow ? span(target) : undefined;
  // A removed entry: its own lines; inline, or the last of its collection, or sharing its line with a dash: the collection's (and its key's).
  const parentPath = op.path.slice(0, -1);
  const parent = nodeAt(parentPath) as Node & { flow?: boolean; items: unknown[] };
  const whole = (): [number, number] => {
    const [from, to] = span(parent);
    const pair = parentPath.length
      ? nodesOf(text).find((n) => JSON.stringify(n.path) === JSON.stringify(parentPath))?.pair
      : undefined;
    return [pair ? lineOf(lines, pair.key.range![0]) : from, to];
  };
  if (parent.flow || parent.items.length === 1) return whole();
  const key = op.path.at(-1)!;
  if (typeof key === 'number') return span(nodeAt(op.path));
  const pair = (parent as unknown as { items: Array<{ key: Node; value: Node }> }).items.find(
    (p) => isScalar(p.key) && p.key.value === key,
  )!;
  const keyLine = lineOf(lines, pair.key.range![0]);
  const startsLine = /^\s*$/.test(text.split('\n')[keyLine - 1]!.slice(0, lines.linePos(pair.key.range![0]).col - 1));
  if (!startsLine) return whole();
  return [keyLine, span(pair.value)[1]];
}

/** Every comment of a text, with its offset, from the parser's tokens. */
function commentsOf(text: string): Array<{ offset: number; source: string }> {
  const found: Array<{ offset: number; source: string }> = [];
  const walk = (token: unknown) => {
    if (Array.isArray(token)) return token.forEach(walk);
    if (typeof token !== 'object' || token === null) return;
    const t = token as { type?: string; offset?: number; source?: string };
    if (t.type === 'comment') found.push({ offset: t.offset!, source: t.source! });
    for (const value of Object.values(token)) if (typeof value === 'object') walk(value);
  };
  walk([...new Parser().parse(text)]);
  return found;
}

/** The characters an edit may take away: the node set or replaced, the entry removed (key to value); none for an insertion. */
function removableRange(text: string, op: Op): [number, number] {
  const doc = parseDocument(text);
  if (op.kind === 'insert' || op.kind === 'append') return [0, 0];
  const node = doc.getIn(op.path, true) as Node;
  if (op.kind !== 'remove') return [node.range![0], node.range![1]];
  const pair = nodesOf(text).find((n) => JSON.stringify(n.path) === JSON.stringify(op.path))?.pair;
  return [pair ? pair.key.range![0] : node.range![0], node.range![2]];
}

function expectedAfter(before: unknown, op: Op): unknown {
  const copy = structuredClone(before) as Record<string | number, unknown>;
  const at = (path: EditPath) =>
    path.reduce<Record<string | number, unknown>>((node, part) => node[part] as Record<string | number, unknown>, copy);
  if (op.kind === 'set' || op.kind === 'replace' || op.kind === 'merge')
    at(op.path.slice(0, -1))[op.path.at(-1)!] = op.value;
  if (op.kind === 'insert') at(op.path)[op.key] = op.value;
  if (op.kind === 'append') (at(op.path) as unknown as unknown[]).push(op.value);
  if (op.kind === 'remove') {
    const parent = at(op.path.slice(0, -1));
    if (Array.isArray(parent)) parent.splice(op.path.at(-1) as number, 1);
    else delete parent[op.path.at(-1)!];
  }
  return copy;
}

const OPS = fc
  .record({
    file: fc.integer({ min: 0, max: SAMPLE_FILES.length - 1 }),
    pick: fc.nat(),
    commented: fc.boolean(),
    kind: fc.constantFrom('set', 'insert', 'append', 'remove', 'replace', 'merge'),
    key: KEYS,
    scalar: SCALARS,
    value: VALUES,
  })
  .map(({ file, pick, commented, kind, key, scalar, value }): { file: number; op: Op | undefined } => {
    const { text } = SAMPLE_FILES[file]!;
    const nodes = nodesOf(text);
    // Half the time a node whose line ends in a comment, where a careless edit would lose it.
    const lineHasComment = (n: Located) =>
      / #/.test(
        text.slice(
          text.lastIndexOf('\n', n.node.range![0]) + 1,
          (text.indexOf('\n', n.node.range![0]) + 1 || text.length + 1) - 1,
        ),
      );
    const of = (keep: (n: Located) => boolean) => {
      const all = nodes.filter(keep);
      const near = all.filter(lineHasComment);
      const candidates = commented && near.length ? near : all;
      return candidates.length ? candidates[pick % candidates.length] : undefined;
    };
    if (kind === 'set') {
      const n = of((x) => isScalar(x.node));
      return { file, op: n && { kind: 'set', path: n.path, value: scalar } };
    }
    if (kind === 'replace') {
      const n = of(() => true);
      return { file, op: n && { kind: 'replace', path: n.path, value } };
    }
    if (kind === 'merge') {
      // The mapping as it is, with one key changed, one removed and one added: set over it changes only those.
      const n = of((x) => isMap(x.node) && x.node.items.length > 1);
      if (!n) return { file, op: undefined };
      const current = { ...(n.node.toJSON() as Record<string, unknown>) };
      const keys = Object.keys(current);
      current[keys[pick % keys.length]!] = scalar;
      delete current[keys[(pick + 1) % keys.length]!];
      current[key] = value;
      return { file, op: { kind: 'merge', path: n.path, value: current } };
    }
    if (kind === 'insert') {
      const n = of(
        (x) =>
          isMap(x.node) &&
          !(x.node.items as Array<{ key: unknown }>).some((p) => isScalar(p.key) && p.key.value === key),
      );
      return { file, op: n && { kind: 'insert', path: n.path, key, value } };
    }
    if (kind === 'append') {
      const n = of((x) => isSeq(x.node));
      return { file, op: n && { kind: 'append', path: n.path, value } };
    }
    const n = of((x) => x.path.length > 1 || isMap(x.parent));
    return { file, op: n && { kind: 'remove', path: n.path } };
  })
  .filter((x): x is { file: number; op: Op } => x.op !== undefined);

describe('the editor, property: random edits of random fields of the sample files', () => {
  it('changes only the lines of the node edited, and the result reads back as the intended data', () => {
    fc.assert(
      fc.property(OPS, ({ file, op }) => {
        const { text } = SAMPLE_FILES[file]!;
        const editor = new YamlEditor(text, SAMPLE_FILES[file]!.file);
        if (op.kind === 'set' || op.kind === 'replace' || op.kind === 'merge') editor.set(op.path, op.value);
        else if (op.kind === 'insert') editor.set([...op.path, op.key], op.value);
        else if (op.kind === 'append') editor.append(op.path, op.value);
        else editor.remove(op.path);
        const reread = parseDocument(editor.text, { uniqueKeys: true });
        expect(reread.errors).toEqual([]);
        expect(reread.toJS()).toEqual(expectedAfter(data(text), op));
        // Every comment outside what the edit takes away is still there (the lines check cannot see a comment lost on an edited line).
        const [from, to] = removableRange(text, op);
        const kept = commentsOf(text).filter((c) => c.offset < from || c.offset >= to);
        const now = commentsOf(editor.text).map((c) => c.source);
        for (const c of kept)
          expect(now, `comment ${c.source} lost by ${op.kind} ${JSON.stringify(op.path)}`).toContain(c.source);
        const { old } = changedLines(text, editor.text);
        const allowed = allowedLines(text, op);
        // Old lines [from, to] replaced; from > to: only new lines inserted.
        if (old[0] <= old[1]) {
          expect(allowed, `${op.kind} ${JSON.stringify(op.path)} changed lines ${old} of a block entry`).toBeDefined();
          expect(old[0]).toBeGreaterThanOrEqual(allowed![0]);
          expect(old[1]).toBeLessThanOrEqual(allowed![1]);
        }
      }),
      { seed: 25, numRuns: 400 },
    );
  });
});

describe('prichal certificate import edits in place', () => {
  it('a participant file the editor cannot read is refused with exit 2 and left as it was', async () => {
    const dir = await edited([{ file: 'participants/tmn-sosh-12.yaml', from: 'head: Петрова', to: 'head: [Петрова' }]);
    const file = path.join(dir, 'participants/tmn-sosh-12.yaml');
    const before = await readFile(file, 'utf8');
    const run = await prichal([
      'certificate',
      'import',
      path.join(CERTS, 'clerk.pem'),
      '--participant',
      'tmn-sosh-12',
      '--role',
      'clerk',
      '--inventory',
      dir,
      '--lang',
      'en',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/participants\/tmn-sosh-12\.yaml is not valid YAML/);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('replacing a certificate changes only its line; a new signer only adds lines; both validate', async () => {
    const dir = await edited([]);
    const file = path.join(dir, 'participants/tmn-sosh-12.yaml');
    const before = await readFile(file, 'utf8');
    const replaced = await prichal([
      'certificate',
      'import',
      path.join(CERTS, 'clerk.pem'),
      '--participant',
      'tmn-sosh-12',
      '--role',
      'clerk',
      '--name',
      'Сидорова Елена Викторовна',
      '--inventory',
      dir,
    ]);
    expect(replaced.code, replaced.stderr).toBe(0);
    const after = await readFile(file, 'utf8');
    const line = before.split('\n').findIndex((l) => l.includes('serial: "80C84C"')) + 1;
    expect(changedLines(before, after)).toEqual({
      old: [line, line],
      added: [
        expect.stringMatching(
          /^ {4}certificate: \{ serial: "3DBF61EC0C809799AE34", thumbprint: "[0-9a-f]{40}", issuer: Федеральное казначейство, authorityKeyId: "[0-9A-F]+", notBefore: 2026-01-15, notAfter: 2026-12-15, holder: Сидорова Елена Викторовна \}$/,
        ),
      ],
    });

    const added = await prichal([
      'certificate',
      'import',
      path.join(CERTS, 'head.pem'),
      '--participant',
      'tmn-sosh-12',
      '--role',
      'deputy',
      '--name',
      'Орлов Олег Олегович',
      '--inventory',
      dir,
    ]);
    expect(added.code, added.stderr).toBe(0);
    const third = await readFile(file, 'utf8');
    const diff = changedLines(after, third);
    expect(diff.old[0]).toBeGreaterThan(diff.old[1]);
    expect(diff.added).toEqual([
      '  - name: Орлов Олег Олегович',
      '    role: deputy',
      expect.stringMatching(/^ {4}certificate: \{ serial: "?[0-9A-F]+"?, /),
    ]);
    expect((await checkInventory(dir, '2026-11-23')).ok).toBe(true);
  });
});
