// Derives src/inventory/types.generated.ts from the JSON Schemas, the single source of truth.
// Run `npm run gen:types` after editing a schema; test/schema-types.test.ts fails when the
// committed file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

const HEADER = `/* eslint-disable */
// DO NOT EDIT: generated from src/inventory/schema/*.schema.json by \`npm run gen:types\`.
`;

export async function generateTypes(schemaDir: string): Promise<string> {
  const parts: string[] = [];
  for (const name of ['operator', 'participant']) {
    const schema = JSON.parse(await readFile(path.join(schemaDir, `${name}.schema.json`), 'utf8')) as JSONSchema;
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
  const out = path.join(root, 'src/inventory/types.generated.ts');
  await writeFile(out, await generateTypes(path.join(root, 'src/inventory/schema')));
  console.log(`wrote ${path.relative(root, out)}`);
}
