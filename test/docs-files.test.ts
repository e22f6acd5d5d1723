// The files `docs`, `coverage` and `incident` read and write go by the file rule (src/files.ts):
// a probe protocol that is a FIFO or a device is refused at once,
// naming it, never waited on; a document, the coverage statistics or an incident note is written
// through a temporary file renamed over it, never through a link that leads out of its folder.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { PRICHAL } from './helpers/cli.js';
import { editedInventories, SAMPLE_INVENTORY } from './helpers/inventory.js';

// biome-ignore lint/suspicious/noExplicitAny: the test edits parsed JSON in place, at any depth.
type Loose = Record<string, any>;

const edited = editedInventories();

/** The CLI with a deadline: a run that waits on a FIFO is killed, and then fails the test. */
async function run(args: string[]) {
  const r = await execa(PRICHAL, [...args, '--lang', 'en'], { reject: false, timeout: 30_000 });
  return { code: r.timedOut ? 'timed out' : r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

describe('probe protocols docs reads (--probes)', () => {
  it.each([
    ['a FIFO', (file: string) => execFileSync('mkfifo', [file]), /not a regular file \(a FIFO/],
    ['a link to /dev/zero', (file: string) => execFileSync('ln', ['-s', '/dev/zero', file]), /not a regular file/],
    ['a folder', (file: string) => execFileSync('mkdir', [file]), /a directory, not a file/],
  ])('%s named like a protocol is refused at once, naming it, and nothing is written', async (_name, make, why) => {
    const dir = await edited([]);
    const probes = path.join(dir, 'probes');
    await mkdir(probes);
    const file = path.join(probes, 'test-tmn-sosh-12.json');
    make(file);
    const out = path.join(dir, 'out');
    const r = await run(['docs', '--participant', 'tmn-sosh-12', '--inventory', dir, '--out', out, '--probes', probes]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: `);
    expect(r.stderr).toMatch(why);
    expect(r.stderr).toContain('not read as a probe protocol');
    expect(await readFile(path.join(dir, 'documents.yaml'), 'utf8')).toBe(
      await readFile(path.join(SAMPLE_INVENTORY, 'documents.yaml'), 'utf8'),
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('a probe protocol with a field the documents print broken is refused, naming the field (exit 2, not a crash)', () => {
  const fixture = path.join(import.meta.dirname, 'fixtures', 'probe-test-tmn-sosh-12.json');
  it.each([
    ['a denied check of no known kind', (p: Loose) => (p.denied[0].kind = 'tomorrow'), 'denied[0].kind'],
    ['a denied check that is null', (p: Loose) => (p.denied[1] = null), 'denied[1] must be an object'],
    ['a start time that is no time', (p: Loose) => (p.startedAt = 'yesterday'), 'startedAt must be a date and time'],
    ['an allowed check without its port', (p: Loose) => delete p.allowed[0].port, 'allowed[0].port'],
  ])('%s', async (_name, change, field) => {
    const dir = await edited([]);
    const probes = path.join(dir, 'probes');
    await mkdir(probes);
    const protocol = JSON.parse(await readFile(fixture, 'utf8')) as Loose;
    change(protocol);
    const file = path.join(probes, 'test-tmn-sosh-12.json');
    await writeFile(file, JSON.stringify(protocol));
    const r = await run([
      'docs',
      '--participant',
      'tmn-sosh-12',
      '--kind',
      'protocol',
      '--inventory',
      dir,
      '--out',
      path.join(dir, 'out'),
      '--probes',
      probes,
    ]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${file}: not a probe protocol Prichal can use: ${field}`);
  });

  it('a file that is not JSON is refused without quoting it', async () => {
    const dir = await edited([]);
    const probes = path.join(dir, 'probes');
    await mkdir(probes);
    const file = path.join(probes, 'test-tmn-sosh-12.json');
    await writeFile(file, 'canary-4711\n');
    const r = await run([
      'docs',
      '--participant',
      'tmn-sosh-12',
      '--kind',
      'protocol',
      '--inventory',
      dir,
      '--out',
      path.join(dir, 'out'),
      '--probes',
      probes,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: not valid JSON`);
    expect(r.stderr).not.toContain('canary');
  });
});

describe('files docs, coverage and incident write (defect 9)', () => {
  /** A link in the output folder to a file outside it: written through, it would change that file. */
  async function linkOut(dir: string, out: string, name: string) {
    const outside = path.join(dir, 'outside.txt');
    await writeFile(outside, 'not to be changed\n');
    await mkdir(out, { recursive: true });
    await symlink(outside, path.join(out, name));
    return outside;
  }

  it('docs: a document whose name is a link out of the output folder is not written through it', async () => {
    const dir = await edited([]);
    const out = path.join(dir, 'out');
    const outside = await linkOut(dir, out, 'tmn-sosh-12.request-update.md');
    const r = await run([
      'docs',
      '--participant',
      'tmn-sosh-12',
      '--kind',
      'request-update',
      '--inventory',
      dir,
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${path.join(out, 'tmn-sosh-12.request-update.md')}: a symbolic link that leads out of its folder`,
    );
    expect(await readFile(outside, 'utf8')).toBe('not to be changed\n');
  });

  it('coverage --out: coverage.md as a link out of the folder is not written through', async () => {
    const dir = await edited([]);
    const out = path.join(dir, 'out');
    const outside = await linkOut(dir, out, 'coverage.md');
    const r = await run(['coverage', '--inventory', dir, '--out', out, '--at', '2026-11-23']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(out, 'coverage.md')}: a symbolic link that leads out of its folder`);
    expect(await readFile(outside, 'utf8')).toBe('not to be changed\n');
  });

  it('incident --out: the note as a link out of the folder is not written through', async () => {
    const dir = await edited([]);
    const out = path.join(dir, 'out');
    const outside = await linkOut(dir, out, 'tmn-sosh-12.incident-20261120-1830.md');
    const r = await run([
      'incident',
      '--participant',
      'tmn-sosh-12',
      '--scope',
      'partial',
      '--description',
      'статусы не обновляются',
      '--at',
      '2026-11-20T18:30',
      '--inventory',
      dir,
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${path.join(out, 'tmn-sosh-12.incident-20261120-1830.md')}: a symbolic link that leads out of its folder`,
    );
    expect(await readFile(outside, 'utf8')).toBe('not to be changed\n');
  });

  it('writes documents, statistics and notes whole, and leaves no temporary file', async () => {
    const dir = await edited([]);
    const out = path.join(dir, 'out');
    const docs = await run([
      'docs',
      '--participant',
      'tmn-sosh-12',
      '--kind',
      'request-update',
      '--inventory',
      dir,
      '--out',
      out,
    ]);
    expect(docs.code, docs.stderr).toBe(0);
    const coverage = await run(['coverage', '--inventory', dir, '--out', out, '--at', '2026-11-23']);
    expect(coverage.code, coverage.stderr).toBe(0);
    const incident = await run([
      'incident',
      '--participant',
      'tmn-sosh-12',
      '--scope',
      'full',
      '--description',
      'не работает',
      '--at',
      '2026-11-20T18:30',
      '--inventory',
      dir,
      '--out',
      out,
    ]);
    expect(incident.code, incident.stderr).toBe(0);
    const files = execFileSync('ls', ['-A', out], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    expect(files).toEqual([
      'coverage.html',
      'coverage.json',
      'coverage.md',
      'tmn-sosh-12.incident-20261120-1830.html',
      'tmn-sosh-12.incident-20261120-1830.md',
      'tmn-sosh-12.request-update.html',
      'tmn-sosh-12.request-update.md',
    ]);
    expect(await readFile(path.join(out, 'tmn-sosh-12.request-update.md'), 'utf8')).toMatch(
      /^\*\*№ \d{4}\/\d{4} от \d\d\.\d\d\.\d{4}\*\*\n/,
    );
    expect(JSON.parse(await readFile(path.join(out, 'coverage.json'), 'utf8'))).toHaveProperty('region');
  });
});
