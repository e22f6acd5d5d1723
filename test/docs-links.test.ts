// The documentation holds together: every relative link in README.md and docs/ leads to a file
// that exists, every #anchor to a heading of its page (GitHub's slugs, Cyrillic headings too),
// every page of docs/ is reachable from the README, every command and option of `prichal` and
// `prichal-lab` is documented, and the requirements the pages name are the catalogue's — all of
// them in the reports page's table. The checker is tested on broken pages
// first, so a green run means the links were really checked.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { marked, type Token, type Tokens } from 'marked';
import { afterAll, describe, expect, it } from 'vitest';
import { buildLabProgram } from '../lab/cli.js';
import { buildProgram } from '../src/cli/main.js';
import { PROJECT_ROOT } from '../src/project.js';
import { REQUIREMENT_IDS } from '../src/requirements/index.js';

/** README.md and every Markdown file under docs/ of a project. */
function pagesOf(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : [],
    );
  const docs = path.join(root, 'docs');
  return [path.join(root, 'README.md'), ...(existsSync(docs) ? walk(docs) : [])];
}

/** A heading's text as GitHub renders it: code spans, links and emphasis reduced to their words. */
function plainText(tokens: Token[]): string {
  return tokens
    .map((t) => {
      if (t.type === 'html') return '';
      if ('tokens' in t && t.tokens) return plainText(t.tokens);
      return 'text' in t ? String(t.text) : '';
    })
    .join('')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

/** GitHub's slug: lower case, only letters, marks, digits, `_`, `-` and spaces kept, each space a `-`. */
function githubSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

interface Page {
  file: string;
  anchors: Set<string>;
  links: string[];
}

function readPage(file: string): Page {
  const tokens = marked.lexer(readFileSync(file, 'utf8'));
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const links: string[] = [];
  marked.walkTokens(tokens, (token) => {
    if (token.type === 'heading') {
      const slug = githubSlug(plainText((token as Tokens.Heading).tokens));
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      // A repeated heading gets -1, -2… as on GitHub.
      anchors.add(count ? `${slug}-${count}` : slug);
    } else if (token.type === 'link' || token.type === 'image') {
      links.push((token as Tokens.Link | Tokens.Image).href);
    } else if (token.type === 'html') {
      for (const m of token.text.matchAll(/\s(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
    }
  });
  return { file, anchors, links };
}

/** Web addresses are not fetched (the tests run offline); only links into the project are checked. */
const isWebAddress = (link: string) => /^[a-z][a-z0-9+.-]*:/i.test(link);

/** Every relative link of the pages that leads nowhere, as `page: link (why)`. */
function brokenLinks(root: string, files: string[]): string[] {
  const pages = new Map(files.map((f) => [f, readPage(f)]));
  const pageAt = (file: string) => {
    if (!pages.has(file) && file.endsWith('.md') && existsSync(file)) pages.set(file, readPage(file));
    return pages.get(file);
  };
  const broken: string[] = [];
  for (const file of files) {
    for (const link of pages.get(file)!.links) {
      if (isWebAddress(link)) continue;
      const where = `${path.relative(root, file)}: ${link}`;
      const hash = link.indexOf('#');
      const target = decodeURIComponent(hash < 0 ? link : link.slice(0, hash));
      const anchor = hash < 0 ? undefined : decodeURIComponent(link.slice(hash + 1));
      const resolved = target ? path.resolve(path.dirname(file), target) : file;
      if (path.relative(root, resolved).startsWith('..')) {
        broken.push(`${where} (outside the project)`);
        continue;
      }
      if (!existsSync(resolved)) {
        broken.push(`${where} (no such file)`);
        continue;
      }
      if (anchor === undefined) continue;
      const page = pageAt(resolved);
      if (!page) broken.push(`${where} (an anchor into a file that is not a Markdown page)`);
      else if (!page.anchors.has(anchor)) broken.push(`${where} (no such heading)`);
    }
  }
  return broken;
}

/** The pages of docs/ that no chain of links from README.md reaches. */
function unreachablePages(root: string, files: string[]): string[] {
  const reached = new Set<string>();
  const queue = [path.join(root, 'README.md')];
  while (queue.length) {
    const file = queue.pop()!;
    if (reached.has(file) || !existsSync(file)) continue;
    reached.add(file);
    for (const link of readPage(file).links) {
      if (isWebAddress(link)) continue;
      const target = decodeURIComponent(link.split('#')[0]!);
      if (target.endsWith('.md')) queue.push(path.resolve(path.dirname(file), target));
    }
  }
  return files.filter((f) => !reached.has(f)).map((f) => path.relative(root, f));
}

/** Each command of a program that runs something, as `name sub`, with its options' long flags. */
function commandsOf(program: Command, prefix = ''): Array<{ command: string; options: string[] }> {
  return program.commands
    .filter((c) => c.name() !== 'help')
    .flatMap((c) => {
      const name = `${prefix}${c.name()}`;
      return c.commands.length
        ? commandsOf(c, `${name} `)
        : [{ command: name, options: c.options.flatMap((o) => (o.long ? [o.long] : [])) }];
    });
}

/** The commands and options a page leaves out. */
function undocumented(page: string, program: Command, invocation: string): string[] {
  const text = readFileSync(path.join(PROJECT_ROOT, 'docs', page), 'utf8');
  return commandsOf(program).flatMap(({ command, options }) => [
    ...(text.includes(`${invocation} ${command}`) ? [] : [`${invocation} ${command}`]),
    ...options.filter((o) => !text.includes(o)).map((o) => `${invocation} ${command} ${o}`),
  ]);
}

describe('the link checker', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'prichal-docs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds a missing file, a missing heading and a link out of the project; accepts GitHub slugs', () => {
    writeFileSync(
      path.join(root, 'README.md'),
      [
        '# Пример: `prichal up` и «шлюзы»',
        '## Notes',
        '## Notes',
        '<a id="kept"></a>',
        '[ok](#пример-prichal-up-и-шлюзы) [ok](#notes-1) [ok](#kept) [ok](other.md#the-stateless-path-the-commands-that-bypass-the-engine)',
        '[web](https://example.org/nowhere) `[in code](gone.md)`',
        '[gone](gone.md) [bad](other.md#nowhere) [out](../elsewhere.md) [bad](#notes-2)',
        '',
      ].join('\n\n'),
    );
    writeFileSync(
      path.join(root, 'other.md'),
      '# Other\n\n## The stateless path: the commands that bypass the engine\n\n| a | [back](README.md#notes) |\n|---|---|\n| [gone](gone.md) | x |\n',
    );
    const files = [path.join(root, 'README.md'), path.join(root, 'other.md')];
    expect(brokenLinks(root, files)).toEqual([
      'README.md: gone.md (no such file)',
      'README.md: other.md#nowhere (no such heading)',
      'README.md: ../elsewhere.md (outside the project)',
      'README.md: #notes-2 (no such heading)',
      'other.md: gone.md (no such file)',
    ]);
  });

  it('slugs headings as GitHub does', () => {
    expect(githubSlug('Joining the СЭД: two ways, and participants without a network channel')).toBe(
      'joining-the-сэд-two-ways-and-participants-without-a-network-channel',
    );
    expect(githubSlug("Every change of a resource's shape ships its upgrade")).toBe(
      'every-change-of-a-resources-shape-ships-its-upgrade',
    );
    expect(githubSlug('Versions and prichal migrate')).toBe('versions-and-prichal-migrate');
    expect(githubSlug('A — B')).toBe('a--b');
  });
});

describe('README.md and docs/', () => {
  const files = pagesOf(PROJECT_ROOT);

  it('are there: the README and the topic pages', () => {
    const names = files.map((f) => path.relative(PROJECT_ROOT, f));
    for (const page of [
      'README.md',
      'docs/README.md',
      'docs/operator-guide.md',
      'docs/inventory.md',
      'docs/engine.md',
      'docs/lab.md',
      'docs/reports.md',
      'docs/benchmarks.md',
      'docs/design.md',
    ])
      expect(names).toContain(page);
  });

  it('the README stays short: at most 200 lines', () => {
    expect(readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(
      200,
    );
  });

  it('every relative link and anchor resolves', () => {
    expect(brokenLinks(PROJECT_ROOT, files)).toEqual([]);
  });

  it('every page of docs/ is reachable from the README', () => {
    expect(unreachablePages(PROJECT_ROOT, files)).toEqual([]);
  });

  it('the operator guide documents every command of prichal with its options, the lab page every one of prichal-lab', () => {
    expect(undocumented('operator-guide.md', buildProgram('en'), 'prichal')).toEqual([]);
    expect(undocumented('lab.md', buildLabProgram('en'), 'bin/prichal-lab')).toEqual([]);
  });

  it('name only requirements of the catalogue, and the reports page lists every one', () => {
    const prefixes = [...new Set(REQUIREMENT_IDS.map((id) => id.split('-')[0]!))].join('|');
    const named = new Set(
      files.flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(new RegExp(`\\b(?:${prefixes})-\\d+\\b`, 'g'))].map((m) => m[0]),
      ),
    );
    const known = new Set<string>(REQUIREMENT_IDS);
    expect([...named].filter((id) => !known.has(id))).toEqual([]);
    const table = [
      ...readFileSync(path.join(PROJECT_ROOT, 'docs', 'reports.md'), 'utf8').matchAll(/^\| ([A-Z]+-\d+) \|/gm),
    ].map((m) => m[1]);
    expect(table.sort()).toEqual([...REQUIREMENT_IDS].sort());
  });
});
