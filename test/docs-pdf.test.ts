// `docs --pdf` through headless Chromium (Debian's, installed by the setup): into a folder whose
// name has `#`, `?` or `%` — which a `file://` URL built by hand cuts into a fragment, a query or
// an escape — the PDF is written all the same, and a PDF not written is an error, never exit 0
//. Without Chromium this file fails loudly rather than skip.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, htmlToPdf, PdfError } from '../src/docs/html.js';
import { PRICHAL } from './helpers/cli.js';
import { editedInventories } from './helpers/inventory.js';

const edited = editedInventories();

beforeAll(() => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: scripts/setup-lab.sh installs Debian's chromium`).toBe(true);
});

describe('docs --pdf', () => {
  it.each([['out #1'], ['out ?x=1'], ['out 100% %41'], ['документы #2 ?a %20']])(
    'writes the PDF into a folder named %j',
    async (name) => {
      const dir = await edited([]);
      const out = path.join(dir, name);
      const r = await execa(
        PRICHAL,
        [
          'docs',
          '--participant',
          'tmn-sosh-12',
          '--kind',
          'request-update',
          '--pdf',
          '--inventory',
          dir,
          '--out',
          out,
          '--format',
          'json',
        ],
        { reject: false, timeout: 120_000 },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      const pdf = path.join(out, 'tmn-sosh-12.request-update.pdf');
      expect((JSON.parse(r.stdout) as { written: Array<{ files: string[] }> }).written[0]!.files).toContain(pdf);
      const bytes = await readFile(pdf);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // The document printed (a page of a few lines is some 5 KB); Chromium prints nothing at all for a page it cannot open.
      expect(bytes.length).toBeGreaterThan(10_000);
      expect((await readdir(out)).filter((f) => f.includes('.tmp'))).toEqual([]);
    },
  );

  it('a PDF Chromium did not print is an error naming it, not a success', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'prichal-pdf-test-'));
    try {
      const pdf = path.join(dir, 'x.pdf');
      const error = await htmlToPdf(path.join(dir, 'no such page.html'), pdf).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PdfError);
      expect((error as Error).message).toContain(`${pdf}: no PDF`);
      expect(existsSync(pdf)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
