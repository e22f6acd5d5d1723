// A parsed YAML file that still knows where every node came from, so that any later phase
// can name file, line and column for a field path without carrying positions in the model.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { formatPath, type FieldPath, type Finding, type FindingCode, type Severity, type Words } from './findings.js';

export function parseWithPositions(text: string): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return { doc, lines };
}

/**
 * One inventory file. Its syntax tree is built again only when a finding needs a position:
 * keeping 10,000 trees alive costs more memory than the whole rest of validation, and a valid
 * file never needs one.
 */
export class SourceFile {
  #tree: { doc: Document.Parsed; lines: LineCounter } | undefined;
  #text: string | (() => string);

  constructor(
    /** Relative to the inventory root, forward slashes. */
    readonly file: string,
    /** The text, or how to read it when first needed (a file the parse cache vouches for is not read unless a finding needs a position). */
    text: string | (() => string),
  ) {
    this.#text = text;
  }

  get text(): string {
    if (typeof this.#text === 'function') this.#text = this.#text();
    return this.#text;
  }

  get doc(): Document.Parsed {
    return (this.#tree ??= parseWithPositions(this.text)).doc;
  }

  get lines(): LineCounter {
    return (this.#tree ??= parseWithPositions(this.text)).lines;
  }
}

export interface Position {
  line: number;
  column: number;
}

/**
 * Position of the node at `path`; with `key`, of the mapping key instead of its value (used for
 * unknown fields). Falls back to the deepest existing ancestor so that a missing field points
 * at the mapping that should hold it.
 */
export function locate(source: SourceFile, path: FieldPath, key = false): Position {
  let node: unknown = source.doc.contents;
  let best: Node | Pair | null = (source.doc.contents as Node | null) ?? null;
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
      if (pair && i === path.length - 1 && (key || startsOnLaterLine(source, pair)))
        return positionOf(source, pair.key as Node);
      next = pair?.value;
    } else if (isSeq(node) && typeof part === 'number') {
      next = node.items[part];
    }
    if (next === undefined || next === null || !(isMap(next) || isSeq(next) || isScalar(next) || isPair(next))) break;
    node = next;
    best = next as Node;
  }
  return best ? positionOf(source, best) : { line: 1, column: 1 };
}

/** A block mapping or sequence value starts on the line after its key; the key is the better anchor. */
function startsOnLaterLine(source: SourceFile, pair: Pair): boolean {
  const keyStart = (pair.key as Node | null)?.range?.[0];
  const valueStart = (pair.value as Node | null)?.range?.[0];
  if (keyStart === undefined || valueStart === undefined) return false;
  return source.lines.linePos(valueStart).line !== source.lines.linePos(keyStart).line;
}

function positionOf(source: SourceFile, node: Node | Pair): Position {
  const range = 'range' in node ? node.range : undefined;
  const offset = range?.[0] ?? 0;
  const { line, col } = source.lines.linePos(offset);
  return { line, column: col };
}

export function findingAt(
  source: SourceFile,
  path: FieldPath,
  code: FindingCode,
  message: Words,
  options: { severity?: Severity; key?: boolean } = {},
): Finding {
  const { line, column } = locate(source, path, options.key ?? false);
  return {
    code,
    severity: options.severity ?? 'error',
    file: source.file,
    line,
    column,
    path: formatPath(path),
    message: message.en,
    ru: message.ru,
  };
}
