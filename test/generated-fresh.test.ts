// What is generated is committed fresh: the schemas' requirement enums are the catalogue's lists,
// and the TypeScript types are what the schemas generate. `npm run gen` writes both.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED, generateTypes } from '../src/inventory/schema/generate-types.js';
import { PROJECT_ROOT } from '../src/project.js';
import { REQUIREMENT_ENUMS, withEnum } from '../src/requirements/generate.js';

const read = (file: string) => readFile(path.join(PROJECT_ROOT, file), 'utf8');

describe('generated files', () => {
  it.each(REQUIREMENT_ENUMS)("$file: the requirement enum is the catalogue's (run npm run gen)", async (target) => {
    const text = await read(target.file);
    expect(withEnum(text, target.at, target.values)).toBe(text);
  });

  it.each(GENERATED)('$out: the types are what the schemas generate (run npm run gen)', async ({ out, schemas }) => {
    expect(await generateTypes(PROJECT_ROOT, schemas)).toBe(await read(out));
  });

  it('catches a stale enum and rewrites only that array, the rest of the file byte for byte', async () => {
    for (const { file, at, values } of REQUIREMENT_ENUMS) {
      const fresh = withEnum(await read(file), at, values);
      const stale = withEnum(fresh, at, [...values].reverse().slice(1));
      expect(stale).not.toBe(fresh);
      expect(withEnum(stale, at, values)).toBe(fresh);
    }
  });

  it('lays a short array on one line, as the formatter does, and refuses a path that is no array', () => {
    const text = '{\n  "a": {\n    "enum": [\n      "x"\n    ],\n    "b": 1\n  }\n}\n';
    expect(withEnum(text, ['a', 'enum'], ['x', 'y'])).toBe(
      '{\n  "a": {\n    "enum": ["x", "y"],\n    "b": 1\n  }\n}\n',
    );
    expect(() => withEnum(text, ['a', 'b'], ['x'])).toThrow(/no array at a\.b/);
  });
});
