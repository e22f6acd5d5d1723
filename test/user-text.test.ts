// What users read never says "seed" (the regulations are cited by their titles, from the one
// table in src/regulations.ts): every command's --help, the reports in both languages, the
// documents, the status screen, the README, the pages of docs/ and the templates are scanned.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/project.js';
import { prichal } from './helpers/cli.js';
import { inventoryWith } from './helpers/inventory.js';
import { buildProgram } from '../src/cli/main.js';
import { helpDescriptions, HELP_RU } from '../src/cli/help-ru.js';

const FORBIDDEN = /seed/i;
let dir: string;

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

const offending = (texts: Array<[string, string]>) =>
  texts
    .filter(([, text]) => FORBIDDEN.test(text))
    .map(
      ([where, text]) =>
        `${where}: …${text.slice(Math.max(0, text.search(FORBIDDEN) - 40), text.search(FORBIDDEN) + 40)}…`,
    );

beforeAll(async () => {
  dir = await inventoryWith([
    { file: 'participants/ishim-district-admin.yaml', from: 'cryptoPro: 5.0.13000', to: 'cryptoPro: 4.0.9975' },
  ]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('user-facing text', () => {
  it('no command help says "seed"', async () => {
    const top = await prichal(['--help']);
    const commands = [...top.stdout.matchAll(/^ {2}([a-z-]+)(?: \[options\]| <|\s)/gm)]
      .map((m) => m[1]!)
      .filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(15);
    const texts: Array<[string, string]> = [['prichal --help', top.stdout]];
    for (const command of commands)
      texts.push([`prichal ${command} --help`, (await prichal([command, '--help'])).stdout]);
    expect(offending(texts)).toEqual([]);
  });

  it('--help is Russian by default and English with --lang en; every description the commands declare has its Russian wording', async () => {
    const missing = helpDescriptions(buildProgram('en')).filter((d) => HELP_RU[d] === undefined);
    expect(missing).toEqual([]);
    const ru = await prichal(['firewall', '--help']);
    expect(ru.stdout).toMatch(/^Использование: prichal firewall/m);
    expect(ru.stdout).toContain('только этот пограничный узел');
    expect(ru.stdout).not.toMatch(/^(Usage|Options):/m);
    const en = await prichal(['firewall', '--help', '--lang', 'en']);
    expect(en.stdout).toMatch(/^Usage: prichal firewall/m);
    expect(en.stdout).toContain('only this edge');
  });

  it('no report (Russian or English), document or status screen says "seed"', async () => {
    const out = path.join(dir, 'out');
    const texts: Array<[string, string]> = [];
    for (const lang of ['ru', 'en']) {
      const audit = await prichal([
        'audit',
        '--inventory',
        dir,
        '--out',
        path.join(out, lang),
        '--lang',
        lang,
        '--at',
        '2026-11-23',
      ]);
      texts.push([`audit --lang ${lang}`, audit.stdout + audit.stderr]);
    }
    const docs = await prichal(['docs', '--all', '--inventory', dir, '--out', path.join(out, 'documents')]);
    texts.push(['docs --all', docs.stdout + docs.stderr]);
    const status = await prichal(['status', '--inventory', dir]);
    expect(status.code, status.stderr).toBe(0);
    texts.push(['status', status.stdout + status.stderr]);
    const files = await filesUnder(out);
    expect(files.filter((f) => f.endsWith('.html')).length).toBeGreaterThan(5);
    for (const file of files.filter((f) => /\.(md|html|json|xml)$/.test(f)))
      texts.push([path.relative(dir, file), await readFile(file, 'utf8')]);
    expect(offending(texts)).toEqual([]);
  });

  it('the README, docs/ and the templates never say "seed"', async () => {
    const files = [
      path.join(PROJECT_ROOT, 'README.md'),
      ...(await filesUnder(path.join(PROJECT_ROOT, 'docs'))),
      ...(await filesUnder(path.join(PROJECT_ROOT, 'templates'))),
    ];
    expect(
      offending(
        await Promise.all(
          files.map(async (f) => [path.relative(PROJECT_ROOT, f), await readFile(f, 'utf8')] as [string, string]),
        ),
      ),
    ).toEqual([]);
  });
});
