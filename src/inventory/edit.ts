// The one in-place YAML editor, for every command that changes a file Prichal does not own
// outright (participant files, operator.yaml, the document register, allocations.yaml): an edit
// changes the nodes it names and leaves every other byte as it was — comments, quoting, inline
// mappings, line width. Re-rendering the document (the yaml package's toString) would turn a
// one-line change into a review of the whole file.
//
// Nodes are found in the yaml package's CST (source tokens with their offsets); only the new text
// is rendered, its scalars by the package's own CST.createScalarToken, and spliced in. After every
// edit the text is parsed again and must read back as the intended data, else the edit is refused:
// a caller never gets a half-edited file.
import { isDeepStrictEqual } from 'node:util';
import { Composer, CST, Parser, parse, type Document } from 'yaml';
import { WordedError } from '../words.js';

export type EditPath = readonly (string | number)[];

/** How new nodes are written (nodes already in the file keep their own style). */
export interface NewNodeStyle {
  /**
   * Collections at this depth of the new value and deeper are written in flow style (`{ a: 1 }`,
   * `[a, b]`); 0 is the value itself. Default: block style, except inside a flow collection.
   */
  flowFrom?: number;
  /** 'double': every new string double-quoted; default 'plain' where YAML reads it back as the same string. */
  quote?: 'plain' | 'double';
}

export interface SetOptions extends NewNodeStyle {
  /** A new key goes after the first of these keys the mapping has (else after its last key). */
  after?: readonly string[];
  /** A new key goes before the mapping's first key (after the comments above it). */
  first?: boolean;
}

export class YamlEditError extends WordedError {
  override readonly name = 'YamlEditError';
}

type Collection = CST.BlockMap | CST.BlockSequence | CST.FlowCollection;
type Item = CST.CollectionItem;
type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

interface Found {
  /** The path names an entry of its parent (its value may be null: `key:`). */
  exists: boolean;
  token: CST.Token | undefined;
  item: Item | undefined;
  parent: Collection | undefined;
}

const isMapToken = (t: CST.Token | undefined): t is CST.BlockMap | CST.FlowCollection =>
  t?.type === 'block-map' || (t?.type === 'flow-collection' && t.start.type === 'flow-map-start');
const isSeqToken = (t: CST.Token | undefined): t is CST.BlockSequence | CST.FlowCollection =>
  t?.type === 'block-seq' || (t?.type === 'flow-collection' && t.start.type === 'flow-seq-start');
const isFlow = (t: Collection): t is CST.FlowCollection => t.type === 'flow-collection';
const isObject = (v: unknown): v is { [key: string]: Plain } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCollectionValue = (v: Plain): v is Plain[] | { [key: string]: Plain } => typeof v === 'object' && v !== null;

/** An entry of a collection, not a comment line kept among its items. */
const isEntry = (item: Item, seq: boolean): boolean =>
  seq
    ? item.value !== undefined || item.start.some((t) => t.type === 'seq-item-ind')
    : item.key !== undefined || item.sep !== undefined;
const entries = (c: Collection): Item[] => c.items.filter((i) => isEntry(i, isSeqToken(c)));

/** A value as the editor keeps it: JSON-like data (undefined keys dropped), or an error naming what is not. */
function plain(value: unknown, where: string): Plain {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new YamlEditError({
        en: `${where}: ${value} cannot be written`,
        ru: `${where}: значение ${value} не записывается`,
      });
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => plain(v, `${where}[${i}]`));
  if (isObject(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    const out: { [key: string]: Plain } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v, `${where}.${k}`);
    return out;
  }
  throw new YamlEditError({
    en: `${where}: a ${typeof value} cannot be written to YAML`,
    ru: `${where}: значение типа ${typeof value} не записывается в YAML`,
  });
}

const pathText = (path: EditPath) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('') || '(the document)';

/** The end offset of a token: its offset plus the length of its source, trailing comments and newlines included. */
const tokenEnd = (t: CST.Token): number => t.offset + CST.stringify(t).length;

/** The end of a value's own text: without the comments, spaces and newlines after it. */
function contentEnd(t: CST.Token, text: string): number {
  switch (t.type) {
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'alias':
      return t.offset + t.source.length;
    case 'flow-collection': {
      const close = t.end[0];
      if (close?.type !== 'flow-map-end' && close?.type !== 'flow-seq-end')
        throw new YamlEditError({ en: 'an unclosed flow collection', ru: 'незакрытая коллекция в скобках' });
      return close.offset + 1;
    }
    case 'block-map':
    case 'block-seq': {
      const last = entries(t).at(-1);
      if (!last) return t.offset;
      return itemContentEnd(last, text);
    }
    default: {
      // A block scalar: its body ends with the newline of its last line.
      const end = tokenEnd(t);
      return text[end - 1] === '\n' ? end - (text[end - 2] === '\r' ? 2 : 1) : end;
    }
  }
}

/** The end of an entry's own text: its value's, else its indicator's (`key:`, `-`). */
function itemContentEnd(item: Item, text: string): number {
  if (item.value) return contentEnd(item.value, text);
  const indicator = [...(item.sep ?? []), ...item.start].find(
    (t) => t.type === 'map-value-ind' || t.type === 'seq-item-ind',
  );
  if (indicator) return indicator.offset + indicator.source.length;
  if (item.key) return contentEnd(item.key, text);
  throw new YamlEditError({ en: 'an entry without a position', ru: 'запись без позиции' });
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
const column = (text: string, offset: number) => offset - lineStart(text, offset);
/** Only spaces before the offset on its line. */
const startsLine = (text: string, offset: number) => /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
/** The offset after the newline that ends the line holding `offset` (the text's end on the last line). */
function afterLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/** A scalar as YAML text: the package's own rendering (quoting as YAML needs it), checked to read back as the value. */
function scalarText(
  value: Exclude<Plain, Plain[] | { [key: string]: Plain }>,
  options: { quote?: 'plain' | 'double' | 'single'; inFlow: boolean; key?: boolean },
): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  const render = (type: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE') =>
    CST.createScalarToken(value, {
      type,
      inFlow: options.inFlow,
      implicitKey: options.key ?? false,
      indent: 0,
      end: [],
    }).source;
  // Line breaks escaped on one line (JSON's double quotes are YAML's): the package folds them into blank lines, which need an indentation only the file's context knows.
  if (/[\n\r\u0085\u2028\u2029]/.test(value)) return JSON.stringify(value);
  if (options.quote === 'double') return render('QUOTE_DOUBLE');
  if (options.quote === 'single') {
    const single = render('QUOTE_SINGLE');
    if (single.startsWith("'")) return single;
  }
  const text = render('PLAIN');
  // A plain `123`, `true`, `null` or `2024-03-01T…` would read back as another type: quoted then.
  return readsBack(text, value, options.inFlow) ? text : render('QUOTE_DOUBLE');
}

function readsBack(source: string, value: string, inFlow: boolean): boolean {
  try {
    const read = parse(inFlow ? `[${source}]` : `- ${source}`) as unknown;
    return Array.isArray(read) && read.length === 1 && read[0] === value;
  } catch {
    return false;
  }
}

const keyText = (key: string, inFlow: boolean) => scalarText(key, { inFlow, key: true });

/** A value in flow style: `{ a: 1, b: [x, y] }`. */
function flowText(value: Plain, quote: NewNodeStyle['quote']): string {
  if (Array.isArray(value)) return `[${value.map((v) => flowText(v, quote)).join(', ')}]`;
  if (isObject(value)) {
    const pairs = Object.entries(value).map(([k, v]) => `${keyText(k, true)}: ${flowText(v, quote)}`);
    return pairs.length ? `{ ${pairs.join(', ')} }` : '{}';
  }
  return scalarText(value, { quote, inFlow: true });
}

type Rendered = { inline: string } | { lines: string[] };

/** A new value: inline (a scalar, a flow or empty collection) or block lines at column 0. */
function render(value: Plain, depth: number, style: NewNodeStyle, inFlow: boolean): Rendered {
  if (!isCollectionValue(value)) return { inline: scalarText(value, { quote: style.quote, inFlow }) };
  const empty = Array.isArray(value) ? !value.length : !Object.keys(value).length;
  if (inFlow || empty || (style.flowFrom !== undefined && depth >= style.flowFrom))
    return { inline: flowText(value, style.quote) };
  const lines: string[] = [];
  const nested = (head: string, child: Rendered, indent: string) => {
    if ('inline' in child) lines.push(`${head} ${child.inline}`);
    else if (head === '-') lines.push(`- ${child.lines[0]}`, ...child.lines.slice(1).map((l) => `${indent}${l}`));
    else lines.push(head, ...child.lines.map((l) => `${indent}${l}`));
  };
  if (Array.isArray(value)) for (const v of value) nested('-', render(v, depth + 1, style, false), '  ');
  else
    for (const [k, v] of Object.entries(value))
      nested(`${keyText(k, false)}:`, render(v, depth + 1, style, false), '  ');
  return { lines };
}

/** The data after an edit, as the text must read back. */
function edited(
  data: unknown,
  path: EditPath,
  change: (parent: Record<string | number, unknown>, key: string | number) => void,
): unknown {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let parent = copy;
  for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
  change(parent, path.at(-1)!);
  return copy;
}

export class YamlEditor {
  #text = '';
  #data: unknown;
  #root: CST.Token | undefined;
  #hasDocument = false;
  #eol = '\n';

  /** The file's text (the name only words errors). Refused when it is not one YAML document. */
  constructor(
    text: string,
    private readonly file = 'YAML',
  ) {
    this.#load(text, undefined);
  }

  get text(): string {
    return this.#text;
  }

  /** The document as plain data. */
  get data(): unknown {
    return structuredClone(this.#data);
  }

  get(path: EditPath): unknown {
    let node: unknown = this.#data;
    for (const part of path) {
      if (typeof node !== 'object' || node === null) return undefined;
      node = (node as Record<string | number, unknown>)[part];
    }
    return node;
  }

  has(path: EditPath): boolean {
    const parent = this.get(path.slice(0, -1));
    return typeof parent === 'object' && parent !== null && Object.prototype.hasOwnProperty.call(parent, path.at(-1)!);
  }

  /**
   * Sets the value at `path`. A mapping set over a mapping (a list over a list) changes only the
   * entries that differ, each scalar in place in the quoting it had; a new key goes into its
   * mapping in the mapping's style (block or flow), missing parents are created.
   */
  set(path: EditPath, value: unknown, options: SetOptions = {}): this {
    return this.#atomic(() => this.#set(path, value, options));
  }

  /** Appends to the list at `path` (created when missing or null) in the list's style. */
  append(path: EditPath, value: unknown, options: NewNodeStyle = {}): this {
    return this.#atomic(() => this.#append(path, [value], options));
  }

  /** Appends several entries in one edit (one parse to check them, however long the list). */
  appendAll(path: EditPath, values: readonly unknown[], options: NewNodeStyle = {}): this {
    return values.length ? this.#atomic(() => this.#append(path, values, options)) : this;
  }

  /** Removes a key of a mapping or an entry of a list; the lines around it stay. */
  remove(path: EditPath): this {
    return this.#atomic(() => this.#remove(path));
  }

  /** An edit of several steps happens whole or not at all. */
  #atomic(edit: () => unknown): this {
    const before = this.#text;
    try {
      edit();
    } catch (error) {
      if (this.#text !== before) this.#load(before, undefined);
      throw error;
    }
    return this;
  }

  #set(path: EditPath, value: unknown, options: SetOptions): this {
    const next = plain(value, pathText(path));
    if (!path.length)
      throw new YamlEditError({
        en: `${this.file}: the whole document is not replaced`,
        ru: `${this.file}: документ целиком не заменяется`,
      });
    if (this.has(path) && isDeepStrictEqual(this.get(path), next)) return this;
    const found = this.#find(path);
    const current = this.get(path);
    if (found.exists && isObject(next) && Object.keys(next).length && isMapToken(found.token) && isObject(current)) {
      for (const key of Object.keys(current)) if (!(key in next)) this.#remove([...path, key]);
      const keys = Object.keys(next);
      keys.forEach((key, i) =>
        this.#set([...path, key], next[key], { ...style(options), after: keys.slice(0, i).reverse() }),
      );
      return this;
    }
    if (found.exists && Array.isArray(next) && next.length && isSeqToken(found.token) && Array.isArray(current)) {
      for (let i = current.length - 1; i >= next.length; i--) this.#remove([...path, i]);
      next.forEach((v, i) =>
        i < current.length ? this.#set([...path, i], v, style(options)) : this.#append(path, [v], style(options)),
      );
      return this;
    }
    this.#put(path, next, options);
    return this;
  }

  #append(path: EditPath, values: readonly unknown[], options: NewNodeStyle): this {
    const next = values.map((v, i) => plain(v, `${pathText(path)}[+${i}]`));
    const current = path.length ? this.get(path) : this.#data;
    // A new list: `flowFrom` counts from the entry appended, one level below the list.
    if (current === undefined || current === null)
      return this.#set(path, next, {
        ...options,
        ...(options.flowFrom !== undefined ? { flowFrom: options.flowFrom + 1 } : {}),
      });
    const found = this.#find(path);
    const seq = path.length ? found.token : this.#root;
    if (!Array.isArray(current) || !isSeqToken(seq))
      throw new YamlEditError({
        en: `${this.file}: ${pathText(path)} is not a list`,
        ru: `${this.file}: ${pathText(path)} — не список`,
      });
    this.#insert(seq, path, current.length, next, options, undefined);
    return this;
  }

  #remove(path: EditPath): this {
    if (!path.length || !this.has(path)) return this;
    const found = this.#find(path);
    const { parent, item } = found;
    if (!parent || !item) throw this.#unsupported(path);
    const expected = edited(this.#data, path, (p, k) => (Array.isArray(p) ? p.splice(k as number, 1) : delete p[k]));
    const siblings = entries(parent);
    const text = this.#text;
    if (siblings.length === 1) {
      // The last entry: the collection becomes empty, written `{}` or `[]`.
      const empty = isSeqToken(parent) ? '[]' : '{}';
      const parentPath = path.slice(0, -1);
      if (!parentPath.length) return this.#splice(parent.offset, contentEnd(parent, text), empty, expected);
      return this.#replace(parentPath, isSeqToken(parent) ? [] : {}, {});
    }
    const index = siblings.indexOf(item);
    const next = siblings[index + 1];
    const head = itemHead(item);
    if (isFlow(parent)) {
      // `a: 1, ` before the next entry, or `, c: 3` after the previous one.
      if (index === 0) return this.#splice(head, itemHead(next!), '', expected);
      return this.#splice(itemContentEnd(siblings[index - 1]!, text), itemContentEnd(item, text), '', expected);
    }
    if (startsLine(text, head))
      return this.#splice(lineStart(text, head), afterLine(text, itemContentEnd(item, text)), '', expected);
    // The first key of a list entry's mapping (`- a: 1`): the next key moves up to its place.
    if (next && index === 0 && !next.start.some((t) => t.type === 'comment'))
      return this.#splice(head, itemHead(next), '', expected);
    throw this.#unsupported(path);
  }

  #unsupported(path: EditPath): YamlEditError {
    return new YamlEditError({
      en: `${this.file}: ${pathText(path)} cannot be changed in place (an unusual layout); edit it by hand`,
      ru: `${this.file}: ${pathText(path)} не изменяется на месте (необычная разметка); исправьте вручную`,
    });
  }

  #load(text: string, expected: unknown): void {
    // One parse: the data is composed from the very tokens the edits find their nodes in.
    let tokens: CST.Token[];
    let doc: Document.Parsed;
    let data: unknown;
    try {
      tokens = [...new Parser().parse(text)];
      doc = [...new Composer({ uniqueKeys: true, prettyErrors: false }).compose(tokens, true)][0]!;
      // An alias bomb (more than 100 references) throws here, as it does for validation.
      data = doc.errors.length ? undefined : (doc.toJS() as unknown);
    } catch (error) {
      throw new YamlEditError(
        {
          en: `${this.file} is not YAML Prichal reads (${(error as Error).message.split('\n')[0]})`,
          ru: `${this.file} — не YAML, который читает Prichal (${(error as Error).message.split('\n')[0]})`,
        },
        { cause: error },
      );
    }
    const documents = tokens.filter((t): t is CST.Document => t.type === 'document');
    if (documents.length > 1)
      throw new YamlEditError({
        en: `${this.file} holds ${documents.length} YAML documents; one is expected`,
        ru: `${this.file} содержит документов YAML: ${documents.length}; ожидается один`,
      });
    if (doc.errors.length) {
      throw new YamlEditError(
        expected === undefined
          ? {
              en: `${this.file} is not valid YAML: ${doc.errors[0]!.message}`,
              ru: `${this.file} не читается как YAML: ${doc.errors[0]!.message}`,
            }
          : {
              en: `${this.file}: the edit would not be valid YAML (${doc.errors[0]!.message}); nothing changed`,
              ru: `${this.file}: после правки файл не читался бы как YAML (${doc.errors[0]!.message}); ничего не изменено`,
            },
      );
    }
    if (expected !== undefined && !isDeepStrictEqual(data, expected)) {
      throw new YamlEditError({
        en: `${this.file}: the edit would not read back as intended (an unusual layout); nothing changed`,
        ru: `${this.file}: после правки файл читался бы не так, как задумано (необычная разметка); ничего не изменено`,
      });
    }
    this.#text = text;
    this.#data = data;
    this.#hasDocument = documents.length === 1;
    this.#root = documents[0]?.value;
    this.#eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  #splice(from: number, to: number, insert: string, expected: unknown): this {
    this.#load(`${this.#text.slice(0, from)}${insert}${this.#text.slice(to)}`, expected);
    return this;
  }

  #find(path: EditPath): Found {
    let token = this.#root;
    let found: Found = { exists: path.length === 0 && token !== undefined, token, item: undefined, parent: undefined };
    for (const part of path) {
      if (!token) return { exists: false, token: undefined, item: undefined, parent: undefined };
      let item: Item | undefined;
      if (typeof part === 'string' && isMapToken(token))
        item = entries(token).find((i) => i.key && CST.resolveAsScalar(i.key, true, () => undefined)?.value === part);
      else if (typeof part === 'number' && isSeqToken(token)) item = entries(token)[part];
      if (!item) return { exists: false, token: undefined, item: undefined, parent: token as Collection };
      found = { exists: true, token: item.value, item, parent: token as Collection };
      token = item.value;
    }
    return found;
  }

  /** A value that is missing, or replaced as a whole. */
  #put(path: EditPath, value: Plain, options: SetOptions): void {
    const found = this.#find(path);
    if (found.exists) return void this.#replace(path, value, options);
    const parentPath = path.slice(0, -1);
    const key = path.at(-1)!;
    const parentValue = parentPath.length ? this.get(parentPath) : this.#data;
    if (parentValue === undefined || parentValue === null) {
      if (typeof key === 'number' && key !== 0) throw this.#unsupported(path);
      if (!parentPath.length) return void this.#appendToEmpty(key as string, value, options);
      return void this.#put(parentPath, typeof key === 'number' ? [value] : { [key]: value }, options);
    }
    const parent = parentPath.length ? this.#find(parentPath).token : this.#root;
    if (typeof key === 'string' && isMapToken(parent) && isObject(parentValue))
      return void this.#insert(parent, parentPath, key, [value], options, options);
    if (typeof key === 'number' && isSeqToken(parent) && Array.isArray(parentValue) && key === parentValue.length)
      return void this.#insert(parent, parentPath, key, [value], options, undefined);
    throw this.#unsupported(path);
  }

  /** A key added to a document with no mapping yet (empty, or comments only). */
  #appendToEmpty(key: string, value: Plain, options: NewNodeStyle): void {
    if (this.#hasDocument && this.#root) throw this.#unsupported([key]);
    const text = this.#text;
    const lines = this.#entryLines(keyText(key, false), ':', render(value, 0, options, false), '');
    const before = text && !text.endsWith('\n') ? this.#eol : '';
    this.#splice(text.length, text.length, `${before}${lines.join(this.#eol)}${this.#eol}`, { [key]: value });
  }

  /** `key: value` or `- value` as lines: inline on the line, or the block below it (a list entry's mapping starts on the dash's line). */
  #entryLines(head: string, indicator: ':' | '-', child: Rendered, indent: string): string[] {
    const first = indicator === ':' ? `${indent}${head}:` : `${indent}-`;
    if ('inline' in child) return [`${first} ${child.inline}`];
    if (indicator === '-') return [`${first} ${child.lines[0]}`, ...child.lines.slice(1).map((l) => `${indent}  ${l}`)];
    return [first, ...child.lines.map((l) => `${indent}  ${l}`)];
  }

  /** A new entry of a collection: a key of a mapping (`key`, one value) or the next entries of a list. */
  #insert(
    collection: Collection,
    collectionPath: EditPath,
    key: string | number,
    values: Plain[],
    style: NewNodeStyle,
    placement: SetOptions | undefined,
  ): void {
    const text = this.#text;
    const path = [...collectionPath, key];
    const expected = edited(this.#data, path, (p, k) => (Array.isArray(p) ? p.push(...values) : (p[k] = values[0])));
    const existing = entries(collection);
    const seq = typeof key === 'number';
    if (isFlow(collection)) {
      const entryText = seq
        ? values.map((v) => flowText(v, style.quote)).join(', ')
        : `${keyText(key, true)}: ${flowText(values[0]!, style.quote)}`;
      if (!existing.length) {
        const close = collection.end[0]!;
        return void this.#splice(
          collection.start.offset + 1,
          close.offset,
          seq ? entryText : ` ${entryText} `,
          expected,
        );
      }
      const reference = seq ? existing.at(-1)! : this.#reference(existing, placement);
      if (placement?.first && !seq)
        return void this.#splice(itemHead(existing[0]!), itemHead(existing[0]!), `${entryText}, `, expected);
      const at = itemContentEnd(reference, text);
      return void this.#splice(at, at, `, ${entryText}`, expected);
    }
    // Block: whole lines, indented as the entries already there.
    const first = existing[0]!;
    const indentAt = seq ? first.start.find((t) => t.type === 'seq-item-ind')!.offset : itemHead(first);
    const indent = ' '.repeat(column(text, indentAt));
    const lines = values.flatMap((value) =>
      this.#entryLines(seq ? '' : keyText(key, false), seq ? '-' : ':', render(value, 0, style, false), indent),
    );
    if (!seq && placement?.first && startsLine(text, itemHead(first))) {
      const at = lineStart(text, itemHead(first));
      return void this.#splice(at, at, `${lines.join(this.#eol)}${this.#eol}`, expected);
    }
    const reference = seq ? existing.at(-1)! : this.#reference(existing, placement);
    const at = afterLine(text, itemContentEnd(reference, text));
    const before = at === text.length && !text.endsWith('\n') ? this.#eol : '';
    this.#splice(at, at, `${before}${lines.join(this.#eol)}${this.#eol}`, expected);
  }

  /** The entry a new key goes after: the first of `after` the mapping has, else its last. */
  #reference(existing: Item[], placement: SetOptions | undefined): Item {
    for (const name of placement?.after ?? []) {
      const item = existing.find((i) => i.key && CST.resolveAsScalar(i.key, true, () => undefined)?.value === name);
      if (item) return item;
    }
    return existing.at(-1)!;
  }

  /** Replaces the value of an existing entry: a scalar keeps its quoting, a trailing comment stays. */
  #replace(path: EditPath, value: Plain, style: NewNodeStyle): this {
    const { item, parent, token } = this.#find(path);
    if (!item || !parent) throw this.#unsupported(path);
    const text = this.#text;
    const expected = edited(this.#data, path, (p, k) => (p[k] = value));
    const inFlow = isFlow(parent);
    // A scalar keeps the file's quoting; the style asked for applies to new nodes.
    const quote =
      token?.type === 'double-quoted-scalar'
        ? 'double'
        : token?.type === 'single-quoted-scalar'
          ? 'single'
          : token?.type === 'scalar'
            ? undefined
            : style.quote;
    const child: Rendered = isCollectionValue(value)
      ? render(value, 0, style, inFlow)
      : { inline: scalarText(value, { quote, inFlow }) };
    const inlineToken =
      token &&
      (token.type === 'scalar' ||
        token.type === 'single-quoted-scalar' ||
        token.type === 'double-quoted-scalar' ||
        token.type === 'alias' ||
        token.type === 'flow-collection');
    if ('inline' in child && inlineToken)
      return this.#splice(token.offset, contentEnd(token, text), child.inline, expected);
    // The value after its indicator (`key:` or `-`): inline on the line, or a block below it (after a comment on the key's line).
    const separators = [...(item.sep ?? []), ...(parent.type === 'block-seq' ? item.start : [])];
    const indicatorIndex = separators.findIndex((t) => t.type === 'map-value-ind' || t.type === 'seq-item-ind');
    const indicator = separators[indicatorIndex];
    if (!indicator) throw this.#unsupported(path);
    const end = token ? contentEnd(token, text) : indicator.offset + 1;
    // A comment after the indicator (`key:   # why`) stays on its line.
    const comment = separators.slice(indicatorIndex + 1).find((t) => t.type === 'comment');
    if ('inline' in child) {
      const kept = comment
        ? `${text.slice(indicator.offset + 1, comment.offset).replace(/[^ \t]/g, '') || ' '}${comment.source}`
        : '';
      return this.#splice(indicator.offset + 1, end, ` ${child.inline}${kept}`, expected);
    }
    const from = comment ? comment.offset + comment.source.length : indicator.offset + 1;
    if (indicator.type === 'seq-item-ind') {
      const indent = ' '.repeat(column(text, indicator.offset) + 2);
      return this.#splice(
        from,
        end,
        ` ${child.lines[0]}${child.lines
          .slice(1)
          .map((l) => `${this.#eol}${indent}${l}`)
          .join('')}`,
        expected,
      );
    }
    const indent = ' '.repeat(column(text, itemHead(item)) + 2);
    return this.#splice(from, end, child.lines.map((l) => `${this.#eol}${indent}${l}`).join(''), expected);
  }
}

/** Where an entry's own text starts: its key, or its dash, or its value. */
function itemHead(item: Item): number {
  const dash = item.start.find((t) => t.type === 'seq-item-ind');
  if (dash) return dash.offset;
  if (item.key) return item.key.offset;
  if (item.value) return item.value.offset;
  const indicator = item.sep?.find((t) => t.type === 'map-value-ind');
  if (indicator) return indicator.offset;
  throw new YamlEditError({ en: 'an entry without a position', ru: 'запись без позиции' });
}

const style = (options: NewNodeStyle): NewNodeStyle => ({
  ...(options.flowFrom !== undefined ? { flowFrom: options.flowFrom } : {}),
  ...(options.quote ? { quote: options.quote } : {}),
});
