// The data flow as imports: every module imports only from its own stage or the stages before
// it (inventory → plan → requirements → render → infra → collect → drift → report/docs →
// workflows → cli). The lab (lab/) is a user of Prichal: nothing under src/ imports it, and it
// reaches src/ only through a stage's public module (src/<stage>/index.ts) or a shared root file.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/project.js';

const SRC = path.join(PROJECT_ROOT, 'src');
const LAB = path.join(PROJECT_ROOT, 'lab');
const ORDER = [
  'inventory',
  'plan',
  'requirements',
  'render',
  'infra',
  'collect',
  'drift',
  'report|docs',
  'workflows',
  'cli',
];
const rank = (stage: string) => ORDER.findIndex((s) => s.split('|').includes(stage));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Stage of a file under src/ (root files such as project.ts are shared helpers: -1). */
function stageOf(file: string): string | undefined {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length > 1 ? rel[0] : undefined;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g),
    ...text.matchAll(/import\('(\.[^']+)'\)/g),
  ].map((m) => path.resolve(path.dirname(file), m[1]!));
}

describe('layering', () => {
  const files = sources(SRC);

  it('imports flow one way along the data flow', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = stageOf(file);
      if (!from) continue;
      for (const target of imports(file)) {
        const to = stageOf(target);
        if (!to) continue;
        expect(rank(from), `unknown stage ${from}`).toBeGreaterThanOrEqual(0);
        expect(rank(to), `unknown stage ${to}`).toBeGreaterThanOrEqual(0);
        if (rank(to) > rank(from)) upward.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('keeps the lab out of production code: nothing under src/ imports lab/', () => {
    const users = files
      .filter((f) => imports(f).some((t) => t === LAB || t.startsWith(`${LAB}${path.sep}`)))
      .map((f) => path.relative(SRC, f));
    expect(users).toEqual([]);
  });

  it("the lab uses Prichal like any user: only the stages' public modules and shared root files", () => {
    const labFiles = sources(LAB);
    expect(labFiles.length).toBeGreaterThan(0);
    const isPublic = (target: string) => {
      const rel = path.relative(SRC, target).split(path.sep);
      return rel.length === 1 || (rel.length === 2 && rel[1] === 'index.js');
    };
    const deep = labFiles.flatMap((f) =>
      imports(f)
        .filter((t) => t.startsWith(`${SRC}${path.sep}`) && !isPublic(t))
        .map((t) => `${path.relative(PROJECT_ROOT, f)} → ${path.relative(PROJECT_ROOT, t)}`),
    );
    expect(deep).toEqual([]);
  });

  it('has no import cycle between modules, the lab included', () => {
    const modules = [...files, ...sources(LAB)];
    const graph = new Map(
      modules.map((f) => [
        f,
        imports(f)
          .map((t) => t.replace(/\.js$/, '.ts'))
          .filter((t) => t !== f),
      ]),
    );
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map((x) => path.relative(SRC, x)).join(' → '));
        return;
      }
      state.set(f, 'visiting');
      for (const t of graph.get(f) ?? []) if (graph.has(t)) visit(t, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of modules) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
