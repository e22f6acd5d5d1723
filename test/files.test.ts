// The one reading rule and the one writing rule (src/files.ts): every file Prichal reads
// is a regular file opened without blocking and within a size limit (inside the inventory, never
// through a link leading out of it); every file it writes goes to a temporary file in the same
// folder and is renamed over the target, never through a link out of its folder, never over a
// file of another kind, and a failed write leaves the old file whole.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envSetting, FileError, quoteFromFile, readText, readTextOutcome, writeAtomic } from '../src/files.js';
import { PROJECT_ROOT } from '../src/project.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'prichal-files-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the reading rule', () => {
  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const started = performance.now();
    expect(() => readText(fifo)).toThrow(FileError);
    expect(() => readText(fifo)).toThrow(/pipe: not a regular file/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses a device such as /dev/zero without reading it', () => {
    expect(() => readText('/dev/zero')).toThrow(/not a regular file/);
  });

  it('refuses a file over the size limit', async () => {
    const big = path.join(dir, 'big');
    await writeFile(big, 'x'.repeat(2_000));
    expect(() => readText(big, { limit: 1_000 })).toThrow(/2000 bytes, more than the 1000 bytes/);
    expect(readText(big, { limit: 2_000 })).toHaveLength(2_000);
  });

  it('inside a folder, follows a link that stays in it and refuses one that leaves it, naming neither target text', async () => {
    const root = path.join(dir, 'inventory');
    await mkdir(root);
    await writeFile(path.join(root, 'real.yaml'), 'inside\n');
    await symlink('real.yaml', path.join(root, 'near.yaml'));
    await symlink('/proc/self/environ', path.join(root, 'environ.yaml'));
    expect(readTextOutcome(path.join(root, 'near.yaml'), { inside: root })).toMatchObject({ text: 'inside\n' });
    const outcome = readTextOutcome(path.join(root, 'environ.yaml'), { inside: root });
    expect(outcome).toEqual({
      problem: expect.objectContaining({ en: expect.stringMatching(/symbolic link that leads outside/) }),
    });
  });

  it('a missing file is an error naming it, or undefined when the caller allows it', () => {
    expect(() => readText(path.join(dir, 'nothing'))).toThrow(/nothing: no such file/);
    expect(readText(path.join(dir, 'nothing'), { missing: 'undefined' })).toBeUndefined();
  });
});

describe('the writing rule', () => {
  it('replaces the file whole and leaves no temporary file', async () => {
    const file = path.join(dir, 'store.yaml');
    await writeAtomic(file, 'one\n');
    await writeAtomic(file, async (write) => {
      await write('two\n');
      await write(Buffer.from('three\n'));
    });
    expect(await readFile(file, 'utf8')).toBe('two\nthree\n');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a write that fails midway leaves the old file whole and removes its temporary file', async () => {
    const file = path.join(dir, 'kept.yaml');
    await writeFile(file, 'old\n');
    const failing = writeAtomic(file, async (write) => {
      await write('half of the new');
      throw new Error('the producer failed');
    });
    await expect(failing).rejects.toThrow(/kept\.yaml: cannot be written \(the producer failed\)/);
    expect(await readFile(file, 'utf8')).toBe('old\n');
    expect((await readdir(dir)).filter((n) => n.includes('kept.yaml') && n.endsWith('.tmp'))).toEqual([]);
  });

  it('a full disk (a file-size limit in a real process) is an error naming the file; the old file stays', async () => {
    const file = path.join(dir, 'limited.yaml');
    await writeFile(file, 'old\n');
    const node = process.execPath;
    const script = `import('${path.join(PROJECT_ROOT, 'dist', 'src', 'files.js')}').then((m) => m.writeAtomic(process.argv[1], 'x'.repeat(100000))).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(3); })`;
    const run = await execa('bash', ['-c', 'ulimit -f 1; exec "$0" -e "$1" "$2"', node, script, file], {
      reject: false,
    });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/limited\.yaml: larger than the file-size limit/);
    expect(await readFile(file, 'utf8')).toBe('old\n');
    expect((await readdir(dir)).filter((n) => n.includes('limited.yaml') && n.endsWith('.tmp'))).toEqual([]);
  });

  it('never writes through a link that leaves its folder, dangling or not', async () => {
    const folder = path.join(dir, 'linked');
    const elsewhere = path.join(dir, 'elsewhere');
    await mkdir(folder);
    await mkdir(elsewhere);
    await symlink(path.join(elsewhere, 'created.yaml'), path.join(folder, 'dangling.yaml'));
    await writeFile(path.join(elsewhere, 'victim.yaml'), 'victim\n');
    await symlink(path.join(elsewhere, 'victim.yaml'), path.join(folder, 'out.yaml'));
    await expect(writeAtomic(path.join(folder, 'dangling.yaml'), 'x')).rejects.toThrow(
      /dangling\.yaml: a symbolic link that leads out of its folder/,
    );
    await expect(stat(path.join(elsewhere, 'created.yaml'))).rejects.toThrow(/ENOENT/);
    await expect(writeAtomic(path.join(folder, 'out.yaml'), 'x')).rejects.toThrow(/leads out of its folder/);
    expect(await readFile(path.join(elsewhere, 'victim.yaml'), 'utf8')).toBe('victim\n');
  });

  it('writes through a link to a file in the same folder (the link stays a link)', async () => {
    const folder = path.join(dir, 'near');
    await mkdir(folder);
    await writeFile(path.join(folder, 'target.yaml'), 'old\n');
    await symlink('target.yaml', path.join(folder, 'alias.yaml'));
    await writeAtomic(path.join(folder, 'alias.yaml'), 'new\n');
    expect(await readFile(path.join(folder, 'target.yaml'), 'utf8')).toBe('new\n');
  });

  it('never over a FIFO, a folder, or a file of another kind', async () => {
    const fifo = path.join(dir, 'out-pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(writeAtomic(fifo, 'x')).rejects.toThrow(/not a regular file/);
    await expect(writeAtomic(dir, 'x')).rejects.toThrow(/not a regular file/);
    const participant = path.join(dir, 'participant.yaml');
    await writeFile(participant, 'id: tmn-sosh-12\n');
    const register = {
      replaces: (text: string) =>
        text.startsWith('documents:') ? undefined : { en: 'not a document register', ru: 'не журнал документов' },
    };
    await expect(writeAtomic(participant, 'documents: []\n', register)).rejects.toThrow(
      /participant\.yaml: not a document register/,
    );
    expect(await readFile(participant, 'utf8')).toBe('id: tmn-sosh-12\n');
  });
});

describe('settings and quotes', () => {
  it('an environment variable set but empty is unset', () => {
    process.env.PRICHAL_TEST_SETTING = '';
    expect(envSetting('PRICHAL_TEST_SETTING')).toBeUndefined();
    process.env.PRICHAL_TEST_SETTING = '/x';
    expect(envSetting('PRICHAL_TEST_SETTING')).toBe('/x');
    delete process.env.PRICHAL_TEST_SETTING;
  });

  it('a quote from a file is at most 40 characters, escaped', () => {
    expect(quoteFromFile('a'.repeat(10_000))).toBe(`"${'a'.repeat(40)}…"`);
    expect(quoteFromFile('x\u0000\u200by\n')).toBe('"x\\u0000\\u200by\\n"');
  });
});
