// Derives the TypeScript types (src/inventory/types.generated.ts, src/drift/result.generated.ts)
// from the JSON Schemas, the single source of truth. Run `npm run gen` after editing a schema or
// the requirement catalogue; test/generated-fresh.test.ts fails when a committed file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

const HEADER = `/* eslint-disable */
// DO NOT EDIT: generated from the JSON Schemas by \`npm run gen\`.
`;

/** The generated files: each from its schemas (paths relative to the project root). */
export const GENERATED = [
  {
    out: 'src/inventory/types.generated.ts',
    schemas: ['src/inventory/schema/operator.schema.json', 'src/inventory/schema/participant.schema.json'],
  },
  { out: 'src/drift/result.generated.ts', schemas: ['src/drift/result.schema.json'] },
] as const;

export async function generateTypes(root: string, schemas: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const file of schemas) {
    const name = path.basename(file, '.schema.json');
    const schema = JSON.parse(await readFile(path.join(root, file), 'utf8')) as JSONSchema;
    parts.push(
      await compile(schema, schema.title ?? name, {
        bannerComment: '',
        additionalProperties: false,
        unreachableDefinitions: false,
        format: true,
        style: { singleQuote: true, printWidth: 110 },
      }),
    );
  }
  return HEADER + parts.join('\n');
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]);
if (isMain) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
  for (const { out, schemas } of GENERATED) {
    await writeFile(path.join(root, out), await generateTypes(root, schemas));
    console.log(`wrote ${out}`);
  }
}
