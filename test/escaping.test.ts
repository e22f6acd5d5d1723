// Markup injection: every renderer escapes for its own format through one helper per
// format (src/escape.ts), fed here the same hostile strings — a script tag, an image with
// onerror, a pipe, a newline that would forge a line, a terminal escape.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { marked } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../src/drift/run.js';
import { htmlText, markdownText, terminalText } from '../src/escape.js';
import { renderJunit, writeReports } from '../src/report/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { prichal } from './helpers/cli.js';
import { inventoryWith, removeInventory } from './helpers/inventory.js';

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'a | b',
  'x\ninventory is valid',
  '\u001b[31mred',
];
const LIVE_TAG = /<script|<img|onerror=(?!\S*&)/;
let dir: string;
let out: string;

beforeAll(async () => {
  // A district and a settlement name, and a waiver's reason and owner, all hostile.
  dir = await inventoryWith([
    {
      file: 'participants/onokhino-sp.yaml',
      from: 'district: Тюменский район',
      to: `district: ${JSON.stringify(HOSTILE[0])}`,
    },
    {
      file: 'participants/onokhino-sp.yaml',
      from: 'name: Администрация Онохинского муниципального образования',
      to: `name: ${JSON.stringify(`${HOSTILE[1]} ${HOSTILE[2]} ${HOSTILE[3]}`)}`,
    },
    {
      file: 'participants/tmn-sosh-12.yaml',
      from: 'services:',
      to: `waivers:\n  - { requirement: WS-1, reason: ${JSON.stringify(HOSTILE.join(' '))}, owner: ${JSON.stringify(`${HOSTILE[2]}${HOSTILE[4]}`)}, expires: 2026-12-31 }\nservices:`,
    },
  ]);
  out = await mkdtemp(path.join(tmpdir(), 'prichal-escaping-'));
});
afterAll(async () => {
  await removeInventory(dir);
  await rm(out, { recursive: true, force: true });
});

/** Markdown table rows: each row a line of its own with the header's number of cells. */
function tableRowsIntact(markdown: string): void {
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\|---/.test(lines[i]!)) continue;
    const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
    const width = cells(lines[i - 1]!);
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++)
      expect(cells(lines[j]!), lines[j]).toBe(width);
  }
}

describe('the escaping helpers', () => {
  it.each(HOSTILE)(
    '%j: HTML has no tag, Markdown no break or live HTML, the terminal no raw control character',
    (value) => {
      expect(htmlText(value)).not.toMatch(/[<>]/);
      const md = markdownText(value);
      expect(md).not.toMatch(/\n|(?<!\\)\|/);
      expect(marked.parse(`| a |\n|---|\n| ${md} |`, { async: false })).not.toMatch(LIVE_TAG);
      expect(terminalText(value)).not.toMatch(/[\u0000-\u001f]/);
    },
  );
});

describe('renderers fed hostile inventory text', () => {
  it('coverage: Markdown rows intact, HTML without a live tag, the name shown as text', async () => {
    const r = await prichal(['coverage', '--inventory', dir, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const markdown = await readFile(path.join(out, 'coverage.md'), 'utf8');
    tableRowsIntact(markdown);
    const html = await readFile(path.join(out, 'coverage.html'), 'utf8');
    expect(html).not.toMatch(LIVE_TAG);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('audit reports: Markdown rows intact, HTML and JUnit without a live tag, the waiver reason kept as text', async () => {
    const checked = await checkInventory(dir, '2026-11-23');
    const result = await runChecks({
      kind: 'audit',
      at: '2026-11-23',
      inventory: checked.validation.inventory,
      plan: checked.plan!,
      validation: checked.findings,
    });
    expect(result.waived.map((f) => f.waiver!.reason)).toEqual([HOSTILE.join(' ')]);
    const files = await writeReports(path.join(out, 'audit'), result);
    const markdown = await readFile(files.find((f) => f.endsWith('.md'))!, 'utf8');
    tableRowsIntact(markdown);
    expect(marked.parse(markdown, { async: false })).not.toMatch(LIVE_TAG);
    // The page's one script is its own filter code, the last thing in the body; nothing else may be live.
    const html = await readFile(files.find((f) => f.endsWith('.html'))!, 'utf8');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.replace(/<script>[^<]*<\/script>\n<\/body><\/html>\n$/, '')).not.toMatch(LIVE_TAG);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(renderJunit(result)).not.toMatch(LIVE_TAG);
  });

  it('documents: Markdown rows intact and HTML without a live tag in every document written for the participant', async () => {
    const docs = path.join(out, 'documents');
    const r = await prichal(['docs', '--participant', 'onokhino-sp', '--inventory', dir, '--out', docs]);
    const written = (await readdir(docs, { recursive: true })).filter((f) => /\.(md|html)$/.test(f));
    expect(written.length, r.stderr).toBeGreaterThan(0);
    for (const file of written) {
      const content = await readFile(path.join(docs, file), 'utf8');
      if (file.endsWith('.md')) tableRowsIntact(content);
      else expect(content, file).not.toMatch(LIVE_TAG);
    }
  });

  it('the terminal: a value cannot print a line of its own, and escapes are shown, not executed', async () => {
    const r = await prichal(['audit', '--inventory', dir, '--at', '2026-11-23', '--lang', 'en']);
    const waived = r.stdout.split('\n').filter((l) => l.includes('WAIVED'));
    expect(waived).toHaveLength(1);
    expect(waived[0]).toContain('x\\u000ainventory is valid');
    expect(waived[0]).toContain('\\u001b[31mred');
    expect(r.stdout.split('\n').some((l) => l.startsWith('inventory is valid'))).toBe(false);
  });
});
