// Errors that wrap another keep it as `cause`, and the CLI tells the chain once: the message,
// then on an indented line of its own each cause that adds something the lines above do not say.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorChain, failureText } from '../src/cli/errors.js';
import { FileError, makeFolder } from '../src/files.js';
import { CertificateFileError, parseCertificate } from '../src/inventory/index.js';
import { WordedError } from '../src/words.js';
import { PRICHAL } from './helpers/cli.js';
import { inventoryWith, removeInventory } from './helpers/inventory.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'prichal-causes-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a wrapped error keeps its cause', () => {
  it('a folder that cannot be made keeps the system error under the file rule’s words', async () => {
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'x');
    const error = await makeFolder(path.join(file, 'reports')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).message).toContain('a path through something that is not a folder');
    expect((error as FileError).cause).toMatchObject({ code: 'ENOTDIR' });
  });

  it('a certificate that does not parse keeps the parser’s error', () => {
    const error = (() => {
      try {
        return parseCertificate('signer.cer', Buffer.from([0x30, 0x03, 0x02, 0x01]));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CertificateFileError);
    expect((error as CertificateFileError).cause).toBeInstanceOf(Error);
  });
});

describe('the chain as the CLI tells it', () => {
  const disk = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const file = new FileError('out/all.json', { en: 'the disk is full', ru: 'диск заполнен' }, { cause: disk });
  const top = new WordedError({ en: 'the reports were not written', ru: 'отчёты не записаны' }, { cause: file });

  it('the message, then each cause once, indented, leaving out one the lines above already say', () => {
    expect(errorChain(top, 'en')).toEqual([
      'the reports were not written',
      'out/all.json: the disk is full',
      'ENOSPC: no space left on device, write',
    ]);
    expect(failureText(top, 'en')).toBe(
      'the reports were not written\n  out/all.json: the disk is full\n  ENOSPC: no space left on device, write',
    );
    // In Russian the worded causes speak Russian; the system's own message stays as it is.
    expect(failureText(top, 'ru')).toBe(
      'отчёты не записаны\n  out/all.json: диск заполнен\n  ENOSPC: no space left on device, write',
    );
  });

  it('a cause that only repeats its wrapper, an error without one, and a loop add no line', () => {
    const repeated = new WordedError(
      { en: 'bus GET /users: unreachable (fetch failed)', ru: 'шина недоступна (fetch failed)' },
      { cause: new Error('fetch failed') },
    );
    expect(failureText(repeated, 'en')).toBe('bus GET /users: unreachable (fetch failed)');
    expect(failureText(new Error('boom'), 'en')).toBe('boom');
    const loop = new Error('first');
    const second = new Error('second', { cause: loop });
    loop.cause = second;
    expect(errorChain(loop, 'en')).toEqual(['first', 'second']);
  });

  it('prichal prints the cause under the message, and lists it in the JSON of a failure', async () => {
    const inventory = await inventoryWith([{ file: 'allocations.yaml', from: '    dep-zdrav: 10.220.0.3\n', to: '' }]);
    try {
      // ulimit -f 0: the write of allocations.yaml fails with EFBIG (Node ignores SIGXFSZ).
      const run = (format: string) =>
        execa(
          'bash',
          [
            '-c',
            `ulimit -f 0; exec "$0" plan --save --inventory "$1" --at 2026-11-23 --lang en --format ${format}`,
            PRICHAL,
            inventory,
          ],
          { reject: false, env: { PRICHAL_VALIDATION_CACHE: 'off' } },
        );
      const text = await run('text');
      expect(text.exitCode).toBe(2);
      expect(text.stderr).toMatch(/^prichal: \S+allocations\.yaml: larger than the file-size limit\n {2}EFBIG: \S.*$/m);
      expect(text.stderr.match(/EFBIG/g)).toHaveLength(1);
      const json = await run('json');
      expect(JSON.parse(json.stdout)).toMatchObject({
        kind: 'FileError',
        causes: [expect.stringMatching(/^EFBIG: /)],
        exitCode: 2,
      });
    } finally {
      await removeInventory(inventory);
    }
  });
});
