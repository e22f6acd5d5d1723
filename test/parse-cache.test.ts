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
});
