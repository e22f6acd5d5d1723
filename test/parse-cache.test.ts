// Validation's per-file work in parallel and cached: worker threads give exactly what
// the main thread gives, an unchanged file is not parsed again, an edited one is, and findings
// (file, line, column) are the same cold and warm.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../src/inventory/load.js';
import { cacheLocation, readCacheFile, stampOf, writeCacheFile } from '../src/inventory/parse-cache.js';
import { statSync } from 'node:fs';
import { parseAll, PARALLEL_FROM, workerBuilt } from '../src/inventory/parse-pool.js';
import { validateInventory } from '../src/inventory/validate.js';
import { inventoryWith, useTemporaryWorkCache } from './helpers/inventory.js';
import { checkInventory } from '../src/requirements/index.js';

useTemporaryWorkCache();

describe('parseAll', () => {
  it('on worker threads gives exactly what the main thread gives, in order, for good and broken files', async () => {
    expect(workerBuilt(), 'the compiled worker (dist/src/inventory/parse-worker.js) is missing: build first').toBe(
      true,
    );
    const kinds = [
      (i: number) => `id: p${i}\nname: "Участник ${i}"\n`,
      (i: number) => `id: p${i}\nid: again\n`,
      (i: number) => `id: [p${i}\n`,
      (i: number) => `# only a comment ${i}\n`,
      (i: number) => `id: p${i}\nkind: nonsense\nnetworks: 42\n`,
    ];
    const jobs = Array.from({ length: PARALLEL_FROM + 50 }, (_, i) => ({
      file: `participants/p${i}.yaml`,
      text: kinds[i % kinds.length]!(i),
    }));
    const inline = await parseAll(jobs, 0);
    const parallel = await parseAll(jobs, 2);
    expect(parallel).toEqual(inline);
    expect(inline.filter((p) => p.findings.some((f) => f.code === 'duplicate-key'))).toHaveLength(50);
    expect(inline.filter((p) => p.shape && !p.shape.ok).length).toBeGreaterThan(50);
  });
});

describe('the cache of unchanged files', () => {
  it('parses every file once, then none; an edited file again; findings unchanged cold and warm', async () => {
    const dir = await inventoryWith([
      { file: 'participants/tmn-sosh-12.yaml', from: 'mnemonic: TMN_SOSH12', to: 'mnemonic: [TMN_SOSH12' },
    ]);
    try {
      const files = (await loadInventory(dir, { cache: false })).parsed.parsed;
      const cold = await validateInventory(dir);
      expect(cold.parsed).toEqual({ parsed: files, cached: 0 });
      const broken = cold.findings.filter((f) => f.file === 'participants/tmn-sosh-12.yaml');
      expect(broken.length).toBeGreaterThan(0);

      const warm = await validateInventory(dir);
      expect(warm.parsed).toEqual({ parsed: 0, cached: files });
      expect(warm.findings).toEqual(cold.findings);

      const file = path.join(dir, 'participants', 'dep-obr.yaml');
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replace(/^name: .*$/m, 'name: "Департамент образования и науки (переименован)"'),
      );
      const edited = await validateInventory(dir);
      expect(edited.parsed).toEqual({ parsed: 1, cached: files - 1 });
      expect(edited.inventory.participants.find((p) => p.value.id === 'dep-obr')!.value.name).toMatch(/переименован/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a cache file is written piece by piece and reads back as what was written (UTF-16LE, Cyrillic, more than a megabyte)', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(path.join(tmpdir(), 'prichal-cachefile-'));
    try {
      const entries = Object.fromEntries(
        Array.from({ length: 20000 }, (_, i) => [
          `d${i}`,
          {
            file: `participants/p${i}.yaml`,
            data: { name: `Участник «${i}» \u2028 "кавычки"`, list: [i, null, true] },
            findings: [],
          },
        ]),
      );
      const content = {
        version: '5/x',
        entries,
        empty: {},
        nothing: null,
        list: [1, 'два'],
        gone: undefined,
        ruled: { context: 'c', findings: { d1: [] } },
      };
      const file = path.join(dir, 'cache.utf16.json');
      await writeCacheFile(file, content);
      expect((await readFile(file)).length).toBeGreaterThan(2 * 1024 * 1024);
      expect(readCacheFile(file)).toEqual(JSON.parse(JSON.stringify(content)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a cache that cannot be read is ignored and rewritten', async () => {
    const dir = await inventoryWith([]);
    try {
      await validateInventory(dir);
      await writeFile(cacheLocation(dir), '{ not json');
      const again = await validateInventory(dir);
      expect(again.parsed!.cached).toBe(0);
      expect((await validateInventory(dir)).parsed!.parsed).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('stamps: an unchanged file is not read again', () => {
    const settle = () => new Promise((r) => setTimeout(r, 2100)); // a stamp is trusted once two seconds old
    /** The cache of the inventory in `dir`. */
    const cacheOf = (dir: string) => {
      const file = cacheLocation(dir);
      return { file, data: readCacheFile(file) as { stamps: Record<string, { stamp: string; digest: string }> } };
    };

    it('records a stamp per settled file; an edit that keeps size and modification time is still seen (its ctime moved)', async () => {
      const dir = await inventoryWith([]);
      try {
        await settle();
        await validateInventory(dir);
        const stamps = cacheOf(dir).data.stamps;
        expect(Object.keys(stamps)).toContain('operator.yaml');
        const file = path.join(dir, 'participants', 'dep-obr.yaml');
        const { stat } = await import('node:fs/promises');
        const { execFileSync } = await import('node:child_process');
        const before = await stat(file, { bigint: true });
        const text = await readFile(file, 'utf8');
        // Same length, the very same mtime (touch -r restores it to the nanosecond): only the status-change time tells.
        execFileSync('touch', ['-r', file, `${file}.times`]);
        await writeFile(file, text.replace('Департамент', 'Депортамент'));
        execFileSync('touch', ['-r', `${file}.times`, file]);
        const after = await stat(file, { bigint: true });
        expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
        const edited = await validateInventory(dir);
        expect(edited.parsed!.parsed).toBe(1);
        expect(edited.inventory.participants.find((p) => p.value.id === 'dep-obr')!.value.name).toMatch(/Депортамент/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('locates findings in a vouched-for file by reading it then, and refuses to locate them in a text the cache did not parse', async () => {
      // dep-zdrav.yaml names an endpoint it does not have: an inventory rule's finding (ran every time, located then).
      const dir = await inventoryWith([
        { file: 'participants/dep-zdrav.yaml', from: 'endpoints: [referral]', to: 'endpoints: [referral, ghost]' },
      ]);
      try {
        await settle();
        // Certificates expire by 2027-12-01: every signer gets a certificate-expiry warning (a file rule's finding, cached).
        const cold = await checkInventory(dir, '2027-12-01');
        expect(cold.findings.filter((f) => f.code === 'certificate-expiry').length).toBeGreaterThan(3);
        expect(cold.findings.filter((f) => f.code === 'unknown-reference').map((f) => f.file)).toEqual([
          'participants/dep-zdrav.yaml',
        ]);
        const warm = await checkInventory(dir, '2027-12-01');
        expect(warm.validation.parsed!.parsed).toBe(0);
        expect(warm.validation.fileRules).toEqual({ run: 0, cached: cold.validation.fileRules!.run });
        expect(warm.findings).toEqual(cold.findings);
        // dep-zdrav.yaml edited without its stamp moving (as an edit within the clock's granularity
        // would be): the cache vouches for the old text, the finding's position needs the new one, and
        // validation stops rather than guess.
        const file = path.join(dir, 'participants', 'dep-zdrav.yaml');
        await writeFile(
          file,
          (await readFile(file, 'utf8')).replace(
            'endpoints: [referral, ghost]',
            '# edited\nendpoints: [referral, ghost]',
          ),
        );
        const { file: location, data } = cacheOf(dir);
        data.stamps['participants/dep-zdrav.yaml']!.stamp = stampOf(statSync(file));
        await writeCacheFile(location, data);
        await expect(checkInventory(dir, '2027-12-01')).rejects.toThrow(
          /participants\/dep-zdrav\.yaml changed while the inventory was being validated/,
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it("a stamp vouches only for its own file's parse: one swapped for another file's is not trusted (the file is read)", async () => {
      const dir = await inventoryWith([]);
      try {
        await settle();
        const cold = await checkInventory(dir, '2027-12-01');
        const { file, data } = cacheOf(dir);
        data.stamps['participants/dep-obr.yaml']!.digest = data.stamps['participants/tmn-sosh-12.yaml']!.digest;
        await writeCacheFile(file, data);
        const tampered = await checkInventory(dir, '2027-12-01');
        expect(tampered.findings).toEqual(cold.findings);
        expect(
          tampered.validation.inventory.participants.find((p) => p.source.file === 'participants/dep-obr.yaml')!.value
            .id,
        ).toBe('dep-obr');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
