// Hostile input, round two, the inventory stage and the work caches: a finding quotes
// at most 40 characters of what a file holds, escaped; a validation cache of the wrong shape, an
// unknown time zone, a coordinator cycle and a name of invisible characters are findings or are
// ignored, never a crash or a pass; the parse cache follows the code; an empty PRICHAL_WORK_CACHE
// is unset and pruning removes only the cache's own files; a cache write that fails leaves the old
// cache whole; a cached file replaced by a link out of the inventory is refused on the warm run.
import { execFileSync } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/inventory/index.js';
import { cacheDir, cacheLocation, readCacheFile, writeCacheFile } from '../src/inventory/parse-cache.js';
import { parseWorkers, workerBuilt } from '../src/inventory/parse-pool.js';
import { validateInventory } from '../src/inventory/validate.js';
import { checkInventory } from '../src/requirements/index.js';
import { PROJECT_ROOT, workCacheDir } from '../src/project.js';
import { check, codes, participant } from './helpers/build.js';
import { prichal } from './helpers/cli.js';
import {
  editedInventories,
  inventoryWith,
  lineOf,
  removeInventory,
  useTemporaryWorkCache,
} from './helpers/inventory.js';

useTemporaryWorkCache();
const edited = editedInventories();
const settle = () => new Promise((r) => setTimeout(r, 2100)); // a stamp is trusted once two seconds old

/** Characters a finding must never carry raw: controls, zero-width and bidirectional ones. */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

describe('a finding quotes at most 40 characters of what a file holds, escaped', () => {
  const FILE = 'participants/dep-obr.yaml';
  const ofFile = (findings: Finding[]) => findings.filter((f) => f.file === FILE);

  it('an unknown key of 10 KB: its first 40 characters, in the message and in the path', async () => {
    const key = `k${'x'.repeat(10_000)}`;
    // An explicit key (`? key`): YAML allows an implicit one 1024 characters at most.
    const dir = await edited([{ file: FILE, from: 'inn: "7202029213"', to: `inn: "7202029213"\n? ${key}\n: 1` }]);
    const findings = ofFile((await validateInventory(dir)).findings);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f!.message).toBe(
      `unknown field "k${'x'.repeat(39)}…"; accepted here: ${f!.message.split('accepted here: ')[1]}`,
    );
    expect(f!.ru).toContain(`неизвестное поле "k${'x'.repeat(39)}…"`);
    expect(f!.path).toBe(`"k${'x'.repeat(39)}…"`);
    expect(JSON.stringify(f)).not.toContain('x'.repeat(40));
    expect(f!.line).toBe(await lineOf(dir, FILE, key.slice(0, 50)));
  });

  it('a key with control, zero-width and bidirectional characters: escaped, never raw', async () => {
    const key = 'ab\u0007c\u200bd\u202eef\u2066';
    const dir = await edited([{ file: FILE, from: 'inn: "7202029213"', to: `inn: "7202029213"\n"${key}": 1` }]);
    const [f, ...more] = ofFile((await validateInventory(dir)).findings);
    expect(more).toEqual([]);
    expect(f!.message).toMatch(/^unknown field "ab\\u0007c\\u200bd\\u202eef\\u2066"; accepted here: /);
    expect(f!.path).toBe('"ab\\u0007c\\u200bd\\u202eef\\u2066"');
    for (const text of [f!.message, f!.ru, f!.path]) expect(text).not.toMatch(HIDDEN);
  });

  it('a value a rule echoes (an edge, an endpoint name): quoted and bounded', async () => {
    const long = `e${'y'.repeat(5_000)}`;
    const dir = await edited([
      { file: FILE, from: 'edge: edge-1', to: `edge: "${long}"` },
      { file: FILE, from: 'endpoints: [intake, status]', to: 'endpoints: [intake, "st\\u200batus\\u202e"]' },
    ]);
    const findings = ofFile((await validateInventory(dir)).findings).filter((f) => f.code === 'unknown-reference');
    expect(findings.map((f) => f.path).sort()).toEqual(['channel.edge', 'registrations.test.endpoints[1]']);
    const edge = findings.find((f) => f.path === 'channel.edge')!;
    expect(edge.message).toMatch(new RegExp(`^edge "e${'y'.repeat(39)}…" is not in operator.yaml edges`));
    const endpoint = findings.find((f) => f.path !== 'channel.edge')!;
    expect(endpoint.message).toMatch(/^endpoint "st\\u200batus\\u202e" is not one of this participant's endpoints/);
    for (const f of findings) {
      expect(JSON.stringify(f)).not.toContain('y'.repeat(40));
      expect(f.message + f.ru).not.toMatch(HIDDEN);
    }
  });

  it("what the YAML parser's message quotes of the file (an alias of 10 KB) is bounded too", async () => {
    const dir = await edited([{ file: FILE, from: 'inn: "7202029213"', to: `inn: *${'z'.repeat(10_000)}` }]);
    const findings = ofFile((await validateInventory(dir)).findings);
    expect(findings.map((f) => f.code)).toEqual(['yaml-syntax']);
    expect(findings[0]!.message).toMatch(/Unresolved alias/);
    expect(findings[0]!.message.length).toBeLessThan(200);
    expect(JSON.stringify(findings)).not.toContain('z'.repeat(41));
  });
});

describe('a validation cache of the right version but the wrong shape', () => {
  let dir: string;
  let cold: Finding[];
  let coldCounts: { parsed: number; ruled: number };
  beforeAll(async () => {
    dir = await inventoryWith([
      { file: 'participants/dep-zdrav.yaml', from: 'endpoints: [referral]', to: 'endpoints: [referral, ghost]' },
    ]);
    await settle();
    const result = await validateInventory(dir);
    cold = result.findings;
    coldCounts = { parsed: result.parsed!.parsed, ruled: result.fileRules!.run };
  }, 20_000);
  afterAll(() => removeInventory(dir));

  type Stored = {
    version: string;
    entries: Record<string, unknown>;
    stamps: Record<string, unknown>;
    ruled: { context: string; findings: Record<string, unknown> };
  };
  const JUNK: unknown[] = ['text', null, [], [1, 2], 42, true, {}];
  const junk = (i: number) => JUNK[i % JUNK.length];
  const each = (record: Record<string, unknown>, value: (i: number, old: unknown) => unknown) =>
    Object.keys(record).forEach((k, i) => (record[k] = value(i, record[k])));

  const CASES: Record<string, (stored: Stored) => void> = {
    'entries that are strings, null, lists, numbers': (s) => each(s.entries, junk),
    'entries whose findings are not lists': (s) =>
      each(s.entries, (i, old) => ({ ...(old as object), findings: junk(i) })),
    'entries whose findings hold non-findings': (s) =>
      each(s.entries, (i, old) => ({ ...(old as object), findings: [junk(i), { code: 'schema' }] })),
    'entries whose shape is of another type, or says ok over data that is no mapping': (s) =>
      each(s.entries, (i, old) => ({
        ...(old as object),
        ...(i % 2
          ? { shape: junk(i) }
          : { shape: { ok: true, findings: [] }, data: ['text', null, [], 42][(i / 2) % 4] }),
      })),
    'entries whose shape says ok over a mapping that breaks the rules': (s) =>
      each(s.entries, (_, old) =>
        (old as { shape?: { ok: boolean } }).shape?.ok
          ? { ...(old as object), data: { id: 'x', channel: 5, networks: 7, endpoints: 3, registrations: 1 } }
          : old,
      ),
    'stamps of the wrong type': (s) => each(s.stamps, (i) => (i % 2 ? junk(i) : { stamp: 7, digest: ['x'] })),
    'stamps that are a string': (s) => ((s as { stamps: unknown }).stamps = 'stamps'),
    "the file rules' findings not lists": (s) => each(s.ruled.findings, junk),
    "the file rules' findings a list": (s) => ((s.ruled as { findings: unknown }).findings = [[], []]),
    'entries and ruled not mappings': (s) => {
      (s as { entries: unknown }).entries = ['x'];
      (s as { ruled: unknown }).ruled = 'ruled';
    },
  };

  for (const [name, tamper] of Object.entries(CASES)) {
    it(`${name}: ignored where wrong and rewritten, the findings as without a cache`, async () => {
      await validateInventory(dir); // a whole cache of this version first
      const location = cacheLocation(dir);
      const stored = readCacheFile(location) as Stored;
      expect(Object.keys(stored.stamps).length).toBeGreaterThan(10);
      tamper(stored);
      await writeCacheFile(location, stored);
      const tampered = await validateInventory(dir);
      expect(tampered.findings).toEqual(cold);
      // Rewritten: the next run takes every file and every file rule's findings from it.
      const warm = await validateInventory(dir);
      expect(warm.findings).toEqual(cold);
      expect(warm.parsed).toEqual({ parsed: 0, cached: coldCounts.parsed });
      expect(warm.fileRules).toEqual({ run: 0, cached: coldCounts.ruled });
    });
  }

  it('the CLI exits as without a cache (not 4) on such a cache', async () => {
    const location = cacheLocation(dir);
    const env = { ...process.env, PRICHAL_WORK_CACHE: process.env.PRICHAL_WORK_CACHE! } as Record<string, string>;
    // The CLI runs dist, whose code is not the test runner's (another cache version): its own run writes the cache tampered with.
    const first = await prichal(['validate', '--inventory', dir, '--format', 'json'], { env });
    const cliCache = readCacheFile(location) as Stored;
    each(cliCache.entries, junk);
    await writeCacheFile(location, cliCache);
    const second = await prichal(['validate', '--inventory', dir, '--format', 'json'], { env });
    expect(second.code).toBe(1);
    expect(second.stdout).toBe(first.stdout);
    expect(
      (JSON.parse(second.stdout) as { errors: Finding[] }).errors.some((f) => f.code === 'unknown-reference'),
    ).toBe(true);
  });
});

describe("operator.yaml's timeZone must be a zone this Node knows", () => {
  it('Asia/Yekaterinberg (the right form, no such zone) is a located finding, not a RangeError', async () => {
    const dir = await edited([
      { file: 'operator.yaml', from: 'timeZone: Asia/Yekaterinburg', to: 'timeZone: Asia/Yekaterinberg' },
    ]);
    const result = await validateInventory(dir);
    const zone = result.findings.filter((f) => f.path === 'timeZone');
    expect(zone).toEqual([
      expect.objectContaining({
        code: 'schema',
        severity: 'error',
        file: 'operator.yaml',
        line: await lineOf(dir, 'operator.yaml', 'timeZone:'),
        column: 11,
      }),
    ]);
    expect(zone[0]!.message).toMatch(/'Asia\/Yekaterinberg' is not a time zone known to the IANA database/);
    // The model never carries the zone: nothing downstream computes a date in it.
    expect(result.inventory.operator).toBeUndefined();
    expect(result.at).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  it('the commands that need the zone refuse with the finding (exit 1), none crashes', async () => {
    const dir = await edited([
      { file: 'operator.yaml', from: 'timeZone: Asia/Yekaterinburg', to: 'timeZone: Asia/Yekaterinberg' },
    ]);
    const work = await mkdtemp(path.join(tmpdir(), 'prichal-zone-'));
    try {
      const env = { ...process.env, PRICHAL_WORK_CACHE: path.join(work, 'cache') } as Record<string, string>;
      for (const args of [
        ['validate'],
        ['audit'],
        ['status'],
        ['docs', '--all', '--out', path.join(work, 'docs')],
        ['incident', '--participant', 'tmn-sosh-12', '--scope', 'full', '--description', 'x'],
      ]) {
        const run = await prichal([...args, '--inventory', dir, '--lang', 'en'], { env, cwd: work });
        expect(run.code, `${args[0]}: ${run.stderr}`).toBe(1);
        expect(run.stderr + run.stdout, args[0]).toMatch(
          /operator\.yaml:\d+:11 error schema timeZone: 'Asia\/Yekaterinberg' is not a time zone/,
        );
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the parse cache follows the code', () => {
  it('a change in the parse stage (a built module edited) makes the warm run parse again and give the new findings', async () => {
    expect(workerBuilt(), 'the build (dist) is missing: build first').toBe(true);
    // A copy of the built Prichal: its own code, the shared packages.
    const root = await mkdtemp(path.join(tmpdir(), 'prichal-code-'));
    try {
      await cp(path.join(PROJECT_ROOT, 'dist'), path.join(root, 'dist'), { recursive: true });
      await cp(path.join(PROJECT_ROOT, 'package.json'), path.join(root, 'package.json'));
      await cp(path.join(PROJECT_ROOT, 'src', 'inventory', 'schema'), path.join(root, 'src', 'inventory', 'schema'), {
        recursive: true,
      });
      await cp(path.join(PROJECT_ROOT, 'templates'), path.join(root, 'templates'), { recursive: true });
      await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
      const dir = await edited([
        { file: 'participants/dep-obr.yaml', from: 'inn: "7202029213"', to: 'inn: "7202029213"\ninn: "7202029213"' },
      ]);
      const env = { ...process.env, PRICHAL_WORK_CACHE: path.join(root, 'cache') } as Record<string, string>;
      /** `validate --format json` of the copy: exit 1 (the duplicate key), the findings on stdout. */
      const run = () => {
        try {
          execFileSync(
            process.execPath,
            [path.join(root, 'dist', 'src', 'cli', 'main.js'), 'validate', '--inventory', dir, '--format', 'json'],
            { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
          );
        } catch (error) {
          return JSON.parse((error as { stdout: string }).stdout) as { errors: Finding[] };
        }
        throw new Error('the inventory validated');
      };
      const duplicate = (out: { errors: Finding[] }) =>
        out.errors.filter((f) => f.code === 'duplicate-key').map((f) => f.message);
      expect(duplicate(run())).toEqual(['a mapping repeats a key; each field may appear once']);
      expect(duplicate(run())).toEqual(['a mapping repeats a key; each field may appear once']); // warm
      const parse = path.join(root, 'dist', 'src', 'inventory', 'parse.js');
      await writeFile(
        parse,
        (await readFile(parse, 'utf8')).replace(
          'a mapping repeats a key; each field may appear once',
          'a key appears twice (reworded)',
        ),
      );
      expect(duplicate(run())).toEqual(['a key appears twice (reworded)']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the work cache folder and its files', () => {
  it('PRICHAL_WORK_CACHE= (set, empty) is unset: the default folder, never the current one; so are the other settings', () => {
    const saved = { ...process.env };
    try {
      process.env.PRICHAL_WORK_CACHE = '';
      expect(workCacheDir('validation')).toBe(path.join(PROJECT_ROOT, '.state', 'cache', 'validation'));
      expect(cacheDir()).toBe(path.join(PROJECT_ROOT, '.state', 'cache', 'validation'));
      process.env.PRICHAL_WORK_CACHE = '  ';
      expect(path.isAbsolute(workCacheDir('firewall'))).toBe(true);
      process.env.PRICHAL_PARSE_WORKERS = '';
      expect(parseWorkers()).toBe(availableParallelism());
    } finally {
      process.env.PRICHAL_WORK_CACHE = saved.PRICHAL_WORK_CACHE;
      if (saved.PRICHAL_PARSE_WORKERS === undefined) delete process.env.PRICHAL_PARSE_WORKERS;
      else process.env.PRICHAL_PARSE_WORKERS = saved.PRICHAL_PARSE_WORKERS;
    }
  });

  it("pruning removes only the cache's own files (old caches beyond 16, stale temporary copies), never another *.json", async () => {
    const saved = process.env.PRICHAL_WORK_CACHE;
    const work = await mkdtemp(path.join(tmpdir(), 'prichal-prune-'));
    try {
      process.env.PRICHAL_WORK_CACHE = work;
      const folder = path.join(work, 'validation');
      await mkdir(folder, { recursive: true });
      const others = [
        'package.json',
        'notes.json',
        'report.utf16.json',
        `${'ab'.repeat(16)}.json`,
        `${'A'.repeat(32)}.utf16.json`,
        'readme.txt',
      ];
      for (const name of others) await writeFile(path.join(folder, name), '{}');
      const old = new Date(Date.now() - 86_400_000);
      const caches = Array.from({ length: 20 }, (_, i) => `${i.toString(16).padStart(32, '0')}.utf16.json`);
      for (const name of caches) {
        await writeFile(path.join(folder, name), 'x');
        await utimes(path.join(folder, name), old, old);
      }
      const staleTemporary = `.${'c'.repeat(32)}.utf16.json.123.deadbeef.tmp`;
      const freshTemporary = `.${'d'.repeat(32)}.utf16.json.456.cafebabe.tmp`;
      await writeFile(path.join(folder, staleTemporary), 'x');
      await utimes(path.join(folder, staleTemporary), old, old);
      await writeFile(path.join(folder, freshTemporary), 'x');
      const dir = await edited([]);
      await validateInventory(dir);
      const left = await readdir(folder);
      for (const name of others) expect(left, name).toContain(name);
      expect(left).toContain(path.basename(cacheLocation(dir)));
      expect(left.filter((n) => /^[0-9a-f]{32}\.utf16\.json$/.test(n))).toHaveLength(16);
      expect(left).not.toContain(staleTemporary);
      expect(left).toContain(freshTemporary);
    } finally {
      process.env.PRICHAL_WORK_CACHE = saved;
      await rm(work, { recursive: true, force: true });
    }
  });

  it('a cache write that fails midway leaves the old cache whole and no temporary file', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'prichal-cachewrite-'));
    try {
      const file = path.join(work, `${'e'.repeat(32)}.utf16.json`);
      const whole = {
        version: 'v',
        entries: Object.fromEntries(
          Array.from({ length: 5000 }, (_, i) => [
            `d${i}`,
            { file: `participants/p${i}.yaml`, data: { name: 'Участник'.repeat(40) }, findings: [] },
          ]),
        ),
      };
      await writeCacheFile(file, whole);
      const before = await readFile(file);
      // More than a megabyte is written before a value that cannot be serialized stops the write.
      const failing = { version: 'v', entries: { ...whole.entries, last: { bad: 1n } } };
      await expect(writeCacheFile(file, failing)).rejects.toThrow();
      expect((await readFile(file)).equals(before)).toBe(true);
      expect((await readdir(work)).sort()).toEqual([path.basename(file), `${path.basename(file)}.seal`]);
      // The old cache still reads: its seal was left with it.
      expect(readCacheFile(file)).toEqual(whole);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('a cache changed after Prichal wrote it (its data edited, keeping its shape) is not used: audit answers from the files', async () => {
    // The fuzz pass's cache#195: a cached parse with a participant's signers removed made audit exit 4.
    const work = await mkdtemp(path.join(tmpdir(), 'prichal-sealed-'));
    const saved = process.env.PRICHAL_WORK_CACHE;
    process.env.PRICHAL_WORK_CACHE = work;
    const dir = await inventoryWith([]);
    try {
      const cold = await checkInventory(dir, '2026-11-23');
      const location = cacheLocation(dir);
      const bytes = await readFile(location);
      const data = JSON.parse(bytes.toString('utf16le', 2)) as {
        entries: Record<string, { file: string; data: Record<string, unknown> }>;
      };
      const entry = Object.values(data.entries).find((e) => e.file === 'participants/tmn-sosh-12.yaml')!;
      delete entry.data.signers;
      // Written as another program would: same format, no seal update.
      await writeFile(location, Buffer.concat([bytes.subarray(0, 2), Buffer.from(JSON.stringify(data), 'utf16le')]));
      expect(() => readCacheFile(location)).toThrow(/changed after Prichal wrote it/);
      const warm = await checkInventory(dir, '2026-11-23');
      expect(warm.validation.parsed!.cached).toBe(0);
      expect(warm.findings).toEqual(cold.findings);
    } finally {
      process.env.PRICHAL_WORK_CACHE = saved;
      await removeInventory(dir);
      await rm(work, { recursive: true, force: true });
    }
  });
});

describe('coordinatedBy never forms a cycle', () => {
  it('A coordinated by B, B by A: a finding at each coordinatedBy naming the cycle', () => {
    const a = participant('org-a', { coordinatedBy: 'org-b' });
    const b = participant('org-b', { coordinatedBy: 'org-a' });
    const findings = check({ participants: [a, b] });
    expect(codes(findings)).toEqual(['coordinator-cycle', 'coordinator-cycle']);
    expect(findings.map((f) => [f.file, f.path])).toEqual([
      ['participants/org-a.yaml', 'coordinatedBy'],
      ['participants/org-b.yaml', 'coordinatedBy'],
    ]);
    for (const f of findings) expect(f.message).toMatch(/^coordinatedBy forms a cycle: org-a → org-b → org-a;/);
  });

  it('a longer cycle is named whole; one that only leads into it gets no finding; a chain that ends is clean', () => {
    const findings = check({
      participants: [
        participant('org-a', { coordinatedBy: 'org-b' }),
        participant('org-b', { coordinatedBy: 'org-c' }),
        participant('org-c', { coordinatedBy: 'org-a' }),
        participant('org-d', { coordinatedBy: 'org-a' }),
        participant('org-e', { coordinatedBy: 'org-f' }),
        participant('org-f'),
      ],
    });
    const cycle = findings.filter((f) => f.code === 'coordinator-cycle');
    expect(cycle.map((f) => f.file)).toEqual([
      'participants/org-a.yaml',
      'participants/org-b.yaml',
      'participants/org-c.yaml',
    ]);
    for (const f of cycle) expect(f.message).toContain('org-a → org-b → org-c → org-a');
  });

  it('in the files: located at the coordinatedBy line of each member', async () => {
    const dir = await edited([
      {
        file: 'participants/dep-zdrav.yaml',
        from: 'kind: executive-body',
        to: 'kind: executive-body\ncoordinatedBy: obl-hospital-3',
      },
    ]);
    const cycle = (await validateInventory(dir)).findings.filter((f) => f.code === 'coordinator-cycle');
    expect(cycle.map((f) => [f.file, f.line])).toEqual([
      ['participants/dep-zdrav.yaml', await lineOf(dir, 'participants/dep-zdrav.yaml', 'coordinatedBy:')],
      ['participants/obl-hospital-3.yaml', await lineOf(dir, 'participants/obl-hospital-3.yaml', 'coordinatedBy:')],
    ]);
  });
});

describe('a text of invisible characters is blank', () => {
  const BLANK = 'must not be blank: write the value, or leave the field out where it is optional';
  const INVISIBLE: Record<string, string> = {
    'zero-width spaces U+200B': '\u200b\u200b',
    'zero-width joiners U+200C U+200D': '\u200c\u200d',
    'word joiner U+2060': '\u2060',
    'byte-order mark U+FEFF': '\ufeff',
    'soft hyphen U+00AD': '\u00ad',
    'bidirectional marks U+200E U+200F': '\u200e\u200f',
    'bidirectional override U+202E and isolate U+2066': '\u202e\u2066',
    'Hangul filler U+3164': '\u3164',
    'spaces and zero-width spaces': ' \u200b \u200b ',
  };
  for (const [what, name] of Object.entries(INVISIBLE)) {
    it(`a name of ${what} is an error`, () => {
      const findings = check({ participants: [participant('org-a', { name })] });
      expect(findings.filter((f) => f.path === 'name').map((f) => [f.code, f.message])).toEqual([['schema', BLANK]]);
    });
  }

  it('a name with a visible character among invisible ones is not blank', () => {
    expect(
      check({ participants: [participant('org-a', { name: '\u200bШкола\u200b' })] }).filter((f) => f.path === 'name'),
    ).toEqual([]);
  });
});

describe('the stamp fast path never vouches for a link', () => {
  it('a participant file cached as a regular file, then replaced by a link to the same text outside the inventory: the warm run refuses it', async () => {
    const dir = await edited([]);
    const outside = await mkdtemp(path.join(tmpdir(), 'prichal-outside-'));
    try {
      const file = path.join(dir, 'participants', 'dep-obr.yaml');
      const copy = path.join(outside, 'dep-obr.yaml');
      await cp(file, copy);
      await settle();
      const cold = await validateInventory(dir);
      expect(cold.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(Object.keys((readCacheFile(cacheLocation(dir)) as { stamps: object }).stamps)).toContain(
        'participants/dep-obr.yaml',
      );
      await rm(file);
      await symlink(copy, file);
      const warm = await validateInventory(dir);
      const refused = warm.findings.filter((f) => f.file === 'participants/dep-obr.yaml');
      expect(refused.map((f) => f.code)).toEqual(['file-unreadable']);
      expect(refused[0]!.message).toMatch(/a symbolic link that leads outside/);
      expect(warm.inventory.participants.map((p) => p.value.id)).not.toContain('dep-obr');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  }, 20_000);
});
