// The TypeScript types are generated from the JSON Schemas; the committed file must be current.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED, generateTypes } from '../src/inventory/schema/generate-types.js';
import { PROJECT_ROOT, SCHEMA_DIR } from '../src/project.js';
import { REQUIREMENT_IDS } from '../src/requirements/index.js';

describe('generated types', () => {
  it('match what the schemas generate (run npm run gen:types after a schema change)', async () => {
    for (const { out, schemas } of GENERATED) {
      const committed = await readFile(path.join(PROJECT_ROOT, out), 'utf8');
      expect(await generateTypes(PROJECT_ROOT, schemas), out).toBe(committed);
    }
  });

  it("publish exactly the catalogue's requirement ids in the result schema", async () => {
    const schema = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'src/drift/result.schema.json'), 'utf8')) as {
      definitions: { requirement: { enum: string[] } };
    };
    expect(schema.definitions.requirement.enum).toEqual(REQUIREMENT_IDS);
  });

  it('documents every schema property with a description', async () => {
    const missing: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (!node || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      for (const [name, child] of Object.entries(
        (schema.properties as Record<string, Record<string, unknown>>) ?? {},
      )) {
        if (!child.description && !child.$ref) missing.push(`${where}.${name}`);
        walk(child, `${where}.${name}`);
      }
      if (schema.items) walk(schema.items, `${where}[]`);
      for (const [name, def] of Object.entries((schema.definitions as object) ?? {})) {
        if (!(def as { description?: string }).description) missing.push(`${where}#${name}`);
        walk(def, `${where}#${name}`);
      }
    };
    for (const name of ['operator', 'participant'])
      walk(JSON.parse(await readFile(path.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')), name);
    expect(missing).toEqual([]);
  });
});
