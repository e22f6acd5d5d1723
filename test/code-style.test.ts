// The formatter and the linter are part of the suite: a file Biome would reformat, an explicit
// `any` or an unused import fails CI like any other test (the configuration is biome.json).
import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/project.js';

const BIOME = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'biome');

describe('code style', () => {
  it('biome ci passes: formatted at width 120, no explicit any, no unused import', async () => {
    const run = await execa(BIOME, ['ci', '--colors=off', '--max-diagnostics=20'], {
      cwd: PROJECT_ROOT,
      reject: false,
    });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/Checked \d+ files/);
  }, 60_000);
});
