// Validation's per-file work in parallel and cached (issue 15): worker threads give exactly what
// the main thread gives, an unchanged file is not parsed again, an edited one is, and findings
// (file, line, column) are the same cold and warm.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../src/inventory/load.js';
import { parseAll, PARALLEL_FROM, workerBuilt } from '../src/inventory/parse-pool.js';
import { validateInventory } from '../src/inventory/validate.js';
import { inventoryWith } from './helpers/inventory.js';
import { checkInventory } from '../src/requirements/index.js';

let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'prichal-cache-'));
  process.env.PRICHAL_WORK_CACHE = cacheDir;
});
afterAll(async () => {
  delete process.env.PRICHAL_WORK_CACHE;
  await rm(cacheDir, { recursive: true, force: true });
});

describe('parseAll', () => {
  it('on worker threads gives exactly what the main thread gives, in order, for good and broken files', async () => {
    expect(workerBuilt(), 'the compiled worker (dist/src/inventory/parse-worker.js) is missing: build first').toBe(true);
    const kinds = [
      (i: number) => `id: p${i}\nname: "Участник ${i}"\n`,
      (i: number) => `id: p${i}\nid: again\n`,
      (i: number) => `id: [p${i}\n`,
      (i: number) => `# only a comment ${i}\n`,
      (i: number) => `id: p${i}\nkind: nonsense\nnetworks: 42\n`,
    ];
    const jobs = Array.from({ length: PARALLEL_FROM + 50 }, (_, i) => ({ file: `participants/p${i}.yaml`, text: kinds[i % kinds.length]!(i) }));
    const inline = await parseAll(jobs, 0);
    const parallel = await parseAll(jobs, 2);
    expect(parallel).toEqual(inline);
    expect(inline.filter((p) => p.findings.some((f) => f.code === 'duplicate-key'))).toHaveLength(50);
    expect(inline.filter((p) => p.shape && !p.shape.ok).length).toBeGreaterThan(50);
  });
});

describe('the cache of unchanged files', () => {
  it('parses every file once, then none; an edited file again; findings unchanged cold and warm', async () => {
    const dir = await inventoryWith([{ file: 'participants/tmn-sosh-12.yaml', from: 'mnemonic: TMN_SOSH12', to: 'mnemonic: [TMN_SOSH12' }]);
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
      await writeFile(file, (await readFile(file, 'utf8')).replace(/^name: .*$/m, 'name: "Департамент образования и науки (переименован)"'));
      const edited = await validateInventory(dir);
      expect(edited.parsed).toEqual({ parsed: 1, cached: files - 1 });
      expect(edited.inventory.participants.find((p) => p.value.id === 'dep-obr')!.value.name).toMatch(/переименован/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a cache that cannot be read is ignored and rewritten', async () => {
    const dir = await inventoryWith([]);
    try {
      await validateInventory(dir);
      const { readdir } = await import('node:fs/promises');
      for (const name of await readdir(path.join(cacheDir, 'validation'))) await writeFile(path.join(cacheDir, 'validation', name), '{ not json');
      const again = await validateInventory(dir);
      expect(again.parsed!.cached).toBe(0);
      expect((await validateInventory(dir)).parsed!.parsed).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('stamps: an unchanged file is not read again', () => {
    const settle = () => new Promise((r) => setTimeout(r, 2100)); // a stamp is trusted once two seconds old
    const cacheOf = async () => {
      const { readdir } = await import('node:fs/promises');
      const names = (await readdir(path.join(cacheDir, 'validation'))).filter((n) => n.endsWith('.json'));
      const read = await Promise.all(names.map(async (n) => ({ file: path.join(cacheDir, 'validation', n), text: await readFile(path.join(cacheDir, 'validation', n), 'utf8') })));
      // The test before this one leaves caches that are not JSON.
      return read.filter((c) => c.text.startsWith('{"')).map((c) => ({ file: c.file, data: JSON.parse(c.text) as { stamps: Record<string, { stamp: string; digest: string }> } }));
    };

    it('records a stamp per settled file; an edit that keeps size and modification time is still seen (its ctime moved)', async () => {
      const dir = await inventoryWith([]);
      try {
        await settle();
        await validateInventory(dir);
        const stamps = (await cacheOf()).map((c) => c.data.stamps).find((s) => s['participants/dep-obr.yaml'])!;
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

    it("locates findings in a vouched-for file by reading it then, and refuses to locate them in a text the cache did not parse", async () => {
      const dir = await inventoryWith([]);
      try {
        await settle();
        // Certificates expire by 2027-12-01: every signer gets a certificate-expiry warning at its line.
        const cold = await checkInventory(dir, '2027-12-01');
        expect(cold.findings.filter((f) => f.code === 'certificate-expiry').length).toBeGreaterThan(3);
        const warm = await checkInventory(dir, '2027-12-01');
        expect(warm.validation.parsed!.parsed).toBe(0);
        expect(warm.findings).toEqual(cold.findings);
        // A cache that vouches for dep-obr.yaml with another file's parse (a tampered or corrupt cache):
        // the text read to locate the finding does not digest to it, and validation stops rather than guess.
        const { file, data } = (await cacheOf()).find((c) => c.data.stamps['participants/dep-obr.yaml'])!;
        data.stamps['participants/dep-obr.yaml']!.digest = data.stamps['participants/tmn-sosh-12.yaml']!.digest;
        await writeFile(file, JSON.stringify(data));
        await expect(checkInventory(dir, '2027-12-01')).rejects.toThrow(/participants\/dep-obr\.yaml changed while the inventory was being validated/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
