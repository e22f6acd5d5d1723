// The published schemas document every property (whether generated files are fresh: generated-fresh.test.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_DIR } from '../src/project.js';

describe('schemas', () => {
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
