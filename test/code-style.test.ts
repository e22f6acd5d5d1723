// The formatter and the linter are part of the suite: a file Biome would reformat, an explicit
// `any` or an unused import fails CI like any other test (the configuration is biome.json).
import { readdirSync, readFileSync } from 'node:fs';
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

  // A comment gives the reason; a tracker number or a design note readers do not have is no reason.
  it('no code, schema or script cites a tracker number or a design file users do not have', () => {
    const roots = ['src', 'lab', 'bench', 'scripts', 'test', 'templates', 'stacks', '.ci'];
    const cited = /\bissues? #?\d+|\b(?:requirements|architecture|style)\.md\b|\(inventory\.md\)/i;
    const offending: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!['fixtures', 'golden', 'node_modules'].includes(entry.name)) walk(file);
        } else if (entry.isFile() && file !== import.meta.filename) {
          readFileSync(file, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (cited.test(line)) offending.push(`${path.relative(PROJECT_ROOT, file)}:${i + 1}: ${line.trim()}`);
            });
        }
      }
    };
    for (const root of roots) walk(path.join(PROJECT_ROOT, root));
    expect(offending).toEqual([]);
  });
});
