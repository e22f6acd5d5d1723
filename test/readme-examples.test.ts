// Every YAML example in the README and in docs/ is what it says: a participant file validates as
// one in a copy of the sample inventory, a fragment of a participant or operator file validates
// merged into the sample's file (through the in-place editor), Prometheus rules pass promtool. An
// example of none of these kinds fails the test, so a new one cannot go unchecked.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { YamlEditor } from '../src/inventory/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { PROJECT_ROOT } from '../src/project.js';
import { editedInventories } from './helpers/inventory.js';

const AT = '2026-11-23';
const edited = editedInventories();
const schemaFields = (name: string) =>
  new Set(
    Object.keys(
      (
        JSON.parse(
          readFileSync(path.join(PROJECT_ROOT, 'src', 'inventory', 'schema', `${name}.schema.json`), 'utf8'),
        ) as { properties: object }
      ).properties,
    ),
  );
const PARTICIPANT_FIELDS = schemaFields('participant');
const OPERATOR_FIELDS = schemaFields('operator');
/** The sample participant a fragment is merged into. */
const HOST = 'participants/tmn-sosh-12.yaml';

function markdownFiles(): string[] {
  const docs = path.join(PROJECT_ROOT, 'docs');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : [],
    );
  return [path.join(PROJECT_ROOT, 'README.md'), ...(existsSync(docs) ? walk(docs) : [])];
}

/** Every ```yaml block with its file and line. */
function yamlExamples(): Array<{ where: string; text: string }> {
  return markdownFiles().flatMap((file) => {
    const lines = readFileSync(file, 'utf8').split('\n');
    const found: Array<{ where: string; text: string }> = [];
    for (let i = 0; i < lines.length; i++) {
      if (!/^```ya?ml\s*$/.test(lines[i]!)) continue;
      const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
      found.push({
        where: `${path.relative(PROJECT_ROOT, file)}:${i + 1}`,
        text: `${lines.slice(i + 1, end).join('\n')}\n`,
      });
      i = end;
    }
    return found;
  });
}

/** The errors of an inventory, and its findings about one file. */
async function validated(dir: string, file: string) {
  const { findings } = await checkInventory(dir, AT);
  return { errors: findings.filter((f) => f.severity === 'error'), about: findings.filter((f) => f.file === file) };
}

async function mergedInto(file: string, fragment: Record<string, unknown>): Promise<string> {
  const dir = await edited([]);
  const editor = new YamlEditor(await readFile(path.join(dir, file), 'utf8'), file);
  for (const [key, value] of Object.entries(fragment)) editor.set([key], value);
  await writeFile(path.join(dir, file), editor.text);
  return dir;
}

const EXAMPLES = yamlExamples();

describe('the YAML examples of the README and docs/', () => {
  it('are found (the docs have a participant file, a participant fragment and Prometheus rules)', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(3);
  });

  it.each(EXAMPLES)('$where is valid as what it is', async ({ where, text }) => {
    const data = parse(text) as Record<string, unknown>;
    expect(typeof data, where).toBe('object');
    const keys = Object.keys(data);
    if (typeof data.id === 'string') {
      // A whole participant file: in place of the sample's file of that id.
      const file = `participants/${data.id}.yaml`;
      const dir = await edited([{ file, to: text }]);
      const { errors, about } = await validated(dir, file);
      expect(errors, where).toEqual([]);
      expect(
        about.filter((f) => f.code === 'schema-version'),
        where,
      ).toEqual([]);
    } else if (keys.includes('operator') && keys.includes('contours')) {
      const dir = await edited([{ file: 'operator.yaml', to: text }]);
      expect((await validated(dir, 'operator.yaml')).errors, where).toEqual([]);
    } else if (keys.every((k) => PARTICIPANT_FIELDS.has(k))) {
      const dir = await mergedInto(HOST, data);
      const { errors, about } = await validated(dir, HOST);
      expect(errors, where).toEqual([]);
      expect(
        about.filter((f) => f.code === 'schema-version'),
        where,
      ).toEqual([]);
    } else if (keys.every((k) => OPERATOR_FIELDS.has(k))) {
      const dir = await mergedInto('operator.yaml', data);
      expect((await validated(dir, 'operator.yaml')).errors, where).toEqual([]);
    } else if (keys.length === 1 && keys[0] === 'groups') {
      // Prometheus alerting rules: promtool (Debian's prometheus package) checks them.
      const dir = await mkdtemp(path.join(tmpdir(), 'prichal-rules-'));
      try {
        await writeFile(path.join(dir, 'rules.yml'), text);
        const run = await execa('promtool', ['check', 'rules', path.join(dir, 'rules.yml')], { reject: false });
        expect(run.exitCode, `${where}: ${run.stdout}${run.stderr}`).toBe(0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    } else {
      expect.fail(
        `${where}: a YAML example of no known kind (participant or operator file or fragment, Prometheus rules): add its check here`,
      );
    }
  });
});
