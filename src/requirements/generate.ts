// Build script (`npm run gen`): writes what is generated from the catalogue and the schemas — the
// requirement enums of the published schemas (edited in place: the rest of each file is left
// byte for byte), then the TypeScript types generated from the schemas. test/generated-fresh.test.ts
// fails when a committed file differs from what this would write.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import { GENERATED, generateTypes } from '../inventory/schema/generate-types.js';
import { PROJECT_ROOT } from '../project.js';
import { REQUIREMENT_IDS, WAIVABLE_REQUIREMENTS } from './catalogue.js';

/** The requirement enums of the schemas (paths relative to the project root, `at` the keys down to the array). */
export const REQUIREMENT_ENUMS = [
  { file: 'src/drift/result.schema.json', at: ['definitions', 'requirement', 'enum'], values: REQUIREMENT_IDS },
  {
    file: 'src/inventory/schema/participant.schema.json',
    at: ['properties', 'waivers', 'items', 'properties', 'requirement', 'enum'],
    values: WAIVABLE_REQUIREMENTS,
  },
] as const;

const LINE_WIDTH = 120; // biome.json's: the array is laid out as the formatter would

/** `text` (a JSON document) with the array at `at` replaced by `values`; every other character kept. */
export function withEnum(text: string, at: readonly string[], values: readonly string[]): string {
  const node = parseDocument(text).getIn(at, true) as { range?: [number, number, number]; items?: unknown } | undefined;
  if (!node?.range || !Array.isArray(node.items)) throw new Error(`no array at ${at.join('.')}`);
  const [start, end] = node.range;
  const lineStart = text.lastIndexOf('\n', start) + 1;
  const lineEnd = text.indexOf('\n', end);
  const before = text.slice(lineStart, start);
  const after = text.slice(end, lineEnd < 0 ? text.length : lineEnd);
  const quoted = values.map((v) => JSON.stringify(v));
  const oneLine = `[${quoted.join(', ')}]`;
  const indent = /^\s*/.exec(before)![0];
  const array =
    before.length + oneLine.length + after.length <= LINE_WIDTH
      ? oneLine
      : `[\n${quoted.map((v) => `${indent}  ${v}`).join(',\n')}\n${indent}]`;
  const result = text.slice(0, start) + array + text.slice(end);
  // The edit must change that array and nothing else.
  const expected = JSON.parse(text) as Record<string, unknown>;
  const parent = at.slice(0, -1).reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, expected);
  parent[at.at(-1)!] = [...values];
  if (!isDeepStrictEqual(JSON.parse(result), expected)) throw new Error(`editing ${at.join('.')} changed more`);
  return result;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]);
if (isMain) {
  const update = async (file: string, next: (current: string) => string | Promise<string>) => {
    // Read right before writing: others may edit the schemas' other properties meanwhile.
    const current = await readFile(path.join(PROJECT_ROOT, file), 'utf8').catch(() => '');
    const text = await next(current);
    if (text === current) return;
    await writeFile(path.join(PROJECT_ROOT, file), text);
    console.log(`wrote ${file}`);
  };
  for (const { file, at, values } of REQUIREMENT_ENUMS) await update(file, (current) => withEnum(current, at, values));
  for (const { out, schemas } of GENERATED) await update(out, () => generateTypes(PROJECT_ROOT, schemas));
}
