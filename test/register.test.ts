// The document register as a small transactional store: read strictly, a
// refusal naming the file, the line and the field and changing nothing; never written over a file
// of another kind; changed under an exclusive lock that eight concurrent runs share without giving
// a number twice or losing an entry; saved before any document is written; appended to, so
// comments and hand edits stay byte for byte. Every case runs the built CLI on a copy of the sample.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import lockfile from 'proper-lockfile';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import fc from 'fast-check';
import {
  DocumentRegister,
  parseRegister,
  parseRegisterYaml,
  RegisterError,
  type RegisterEntry,
} from '../src/docs/index.js';
import { PRICHAL, prichal } from './helpers/cli.js';
import { editedInventories, SAMPLE_INVENTORY } from './helpers/inventory.js';

const edited = editedInventories();
const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});
const scratchDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'prichal-register-'));
  scratch.push(dir);
  return dir;
};

const SAMPLE_REGISTER = await readFile(path.join(SAMPLE_INVENTORY, 'documents.yaml'), 'utf8');
const DIGEST = `sha256:${'a'.repeat(64)}`;
const entry = (number: string, participant = 'tmn-sosh-12', date = '2026-11-24') =>
  `  - { number: "${number}", date: ${date}, participant: "${participant}", kind: act, digest: "${DIGEST}" }`;

/** `docs` with a deadline: a run that waits on a FIFO is killed, and then fails the test. */
async function docs(dir: string, extra: string[] = [], out = path.join(dir, 'out')) {
  const r = await execa(PRICHAL, ['docs', '--all', '--inventory', dir, '--out', out, ...extra], {
    reject: false,
    timeout: 30_000,
  });
  return { code: r.timedOut ? 'timed out' : r.exitCode, stdout: r.stdout, stderr: r.stderr, out };
}
const documentsIn = async (out: string) =>
  existsSync(out) ? (await readdir(out)).filter((f) => /\.(md|html|pdf)$/.test(f)) : [];

/** Number lines of the written documents: `<participant>.<kind>` → `YYYY/NNNN`. */
async function numbersIn(out: string): Promise<Map<string, string>> {
  const numbers = new Map<string, string>();
  for (const file of (await readdir(out)).filter((f) => f.endsWith('.md'))) {
    const first = (await readFile(path.join(out, file), 'utf8')).split('\n')[0]!;
    numbers.set(file.replace(/\.md$/, ''), /№ (\d{4}\/\d{4,})/.exec(first)![1]!);
  }
  return numbers;
}

describe('the register is read strictly: a refusal names the file, the line and the field', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a bare list', `# header\n${entry('2026/0001').slice(2)}\n`, /^R\.yaml:2: a bare list: .*'documents:'/],
    ['a participant file', 'version: 2\nid: tmn-sosh-12\n', /^R\.yaml:1: unknown key "version": .*another file/],
    ['not YAML', 'documents: [\n', /^R\.yaml:2: not YAML \(/],
    ['documents a mapping', 'documents: { not: a list }\n', /^R\.yaml:1: documents: not a list/],
    ['an entry a string', 'documents:\n  - 2026/0001\n', /^R\.yaml:2: documents\[0\]: not a mapping/],
    [
      'an unknown field',
      `documents:\n${entry('2026/0001')}\n  - { number: "2026/0002", date: 2026-11-24, participant: p, kind: act, digest: "${DIGEST}", signed: yes }\n`,
      /^R\.yaml:3: documents\[1\]: unknown field "signed"/,
    ],
    [
      'a missing field',
      'documents:\n  - { number: "2026/0001", date: 2026-11-24 }\n',
      /^R\.yaml:2: documents\[0\]: missing participant, kind, digest/,
    ],
    [
      'a number not YYYY/NNNN',
      `documents:\n${entry('26-1')}\n`,
      /^R\.yaml:2: documents\[0\]\.number: "26-1" is not a number YYYY\/NNNN/,
    ],
    [
      'a date that does not exist',
      `documents:\n  - number: "2026/0001"\n    date: 2026-02-30\n    participant: p\n    kind: act\n    digest: "${DIGEST}"\n`,
      /^R\.yaml:3: documents\[0\]\.date: "2026-02-30" is not a date YYYY-MM-DD/,
    ],
    [
      'a comment inside a quoted date',
      `documents:\n${entry('2026/0001', 'p', '"2026-11-24 # fixed"')}\n`,
      /^R\.yaml:2: documents\[0\]\.date: "2026-11-24 # fixed" is not a date/,
    ],
    [
      'a number where a string belongs',
      `documents:\n  - { number: "2026/0001", date: 2026-11-24, participant: 12, kind: act, digest: "${DIGEST}" }\n`,
      /^R\.yaml:2: documents\[0\]\.participant: must be a string/,
    ],
    [
      'a malformed digest',
      `documents:\n  - { number: "2026/0001", date: 2026-11-24, participant: p, kind: act, digest: md5 }\n`,
      /^R\.yaml:2: documents\[0\]\.digest: "md5" is not a digest/,
    ],
  ];
  it.each(cases)('%s', (_name, text, message) => {
    let error: unknown;
    try {
      parseRegister('R.yaml', text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RegisterError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/nothing was numbered$/);
    expect((error as RegisterError).ru).toMatch(/^R\.yaml:\d+: .*ничего не пронумеровано$/);
  });

  it('accepts the sample register, an empty file and an empty list', () => {
    const entries = parseRegister('R.yaml', SAMPLE_REGISTER).entries;
    expect(entries.length).toBeGreaterThan(0);
    // Numbered in order, one per entry, from the year's first.
    expect(entries.map((e) => e.number)).toEqual(entries.map((_, i) => `2026/${String(i + 1).padStart(4, '0')}`));
    expect(parseRegister('R.yaml', '').entries).toEqual([]);
    expect(parseRegister('R.yaml', '# nothing yet\n').entries).toEqual([]);
    expect(parseRegister('R.yaml', 'documents: []\n').entries).toEqual([]);
    expect(parseRegister('R.yaml', 'documents:\n').entries).toEqual([]);
  });
});

describe('docs refuses a register it cannot trust, and changes nothing', () => {
  it('--register naming a participant file: refused, the participant file untouched, no document written (defect 1)', async () => {
    const dir = await edited([]);
    const file = path.join(dir, 'participants', 'tmn-sosh-12.yaml');
    const before = await readFile(file, 'utf8');
    const r = await docs(dir, ['--register', file, '--lang', 'en']);
    expect(r.code).toBe(2);
    const line = before.split('\n').findIndex((l) => /^\w/.test(l)) + 1;
    expect(r.stderr).toContain(`${file}:${line}: unknown key "${/^(\w+):/m.exec(before)![1]}"`);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await documentsIn(r.out)).toEqual([]);
  });

  it('a register written as a bare list: refused at its line, its 30 entries kept, no document written (defect 2)', async () => {
    const bare = SAMPLE_REGISTER.replace('documents:\n', '').replace(/^ {2}- /gm, '- ');
    const dir = await edited([{ file: 'documents.yaml', to: bare }]);
    const r = await docs(dir, ['--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'documents.yaml')}:3: a bare list`);
    expect(await readFile(path.join(dir, 'documents.yaml'), 'utf8')).toBe(bare);
    expect(await documentsIn(r.out)).toEqual([]);
  });

  it('one number given to two documents (a merge of two branches): refused naming both lines (defect 4)', async () => {
    // Branch A numbered the next number for one participant, branch B for another; git merged both lines.
    const count = parseRegister('R.yaml', SAMPLE_REGISTER).entries.length;
    const next = `2026/${String(count + 1).padStart(4, '0')}`;
    const merged = `${SAMPLE_REGISTER}${entry(next, 'tmn-sosh-12')}\n${entry(next, 'dep-obr')}\n`;
    const dir = await edited([{ file: 'documents.yaml', to: merged }]);
    const r = await docs(dir, ['--lang', 'en']);
    expect(r.code).toBe(2);
    const lines = SAMPLE_REGISTER.split('\n').length;
    expect(r.stderr).toContain(
      `${path.join(dir, 'documents.yaml')}:${lines + 1}: documents[${count + 1}].number: number ${next} is given twice, at lines ${lines} and ${lines + 1}`,
    );
    expect(await readFile(path.join(dir, 'documents.yaml'), 'utf8')).toBe(merged);
    expect(await documentsIn(r.out)).toEqual([]);
  });

  it('a FIFO or a device as the register is refused at once, naming it, never waited on nor read to exhaustion (defect 7)', async () => {
    const dir = await edited([{ file: 'documents.yaml', to: null }]);
    execFileSync('mkfifo', [path.join(dir, 'documents.yaml')]);
    const fifo = await docs(dir, ['--lang', 'en']);
    expect(fifo.code).toBe(2);
    expect(fifo.stderr).toContain(
      `${path.join(dir, 'documents.yaml')}: the document register cannot be read: not a regular file (a FIFO`,
    );
    const elsewhere = path.join(await scratchDir(), 'register.yaml');
    execFileSync('mkfifo', [elsewhere]);
    const named = await docs(dir, ['--register', elsewhere, '--lang', 'en']);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(`${elsewhere}: the document register cannot be read: not a regular file`);
    const zero = await docs(dir, ['--register', '/dev/zero', '--lang', 'en']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('/dev/zero: the document register cannot be read: not a regular file');
    expect(zero.stderr).not.toContain('undefined');
    expect(await documentsIn(fifo.out)).toEqual([]);
  });
});

describe('numbers are recorded before any document carries them (defect 5)', () => {
  // Root ignores permissions: there the register (or its folder) is made immutable instead.
  const root = process.getuid?.() === 0;
  const freeze = async (target: string) => (root ? execFileSync('chattr', ['+i', target]) : chmod(target, 0o555));
  const thaw = async (target: string) => (root ? execFileSync('chattr', ['-i', target]) : chmod(target, 0o755));

  it.each([
    ['the register file cannot be replaced', 'file'],
    ['the register folder is read-only', 'folder'],
  ])('%s: the run fails naming the register, and no document is written', async (_name, what) => {
    const dir = await edited([]);
    const folder = await scratchDir();
    const register = path.join(folder, 'documents.yaml');
    // A register that knows none of today's documents: every one needs a new number.
    await writeFile(register, '# a new register\ndocuments: []\n');
    const out = path.join(await scratchDir(), 'out');
    const target = what === 'file' ? register : folder;
    await freeze(target);
    try {
      const r = await docs(dir, ['--register', register, '--lang', 'en'], out);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(register);
      expect(await documentsIn(out)).toEqual([]);
      expect(await readFile(register, 'utf8')).toBe('# a new register\ndocuments: []\n');
    } finally {
      await thaw(target);
    }
  });
});

describe('comments and hand edits are kept byte for byte (defect 6)', () => {
  it('new entries are appended, quoted; the next run reads the register and reuses every number', async () => {
    const handEdited = SAMPLE_REGISTER
      // A date corrected by hand, with the reason in a trailing comment; a block-style entry; a note between entries.
      .replace(
        /(number: "2026\/0001", )date: 2026-11-24,(.*)\}$/m,
        '$1date: 2026-11-25,$2} # дата исправлена: подписан 25.11',
      )
      .replace(/^( {2}- \{ number: "2026\/0002".*)$/m, '  # ветка main, ноябрь\n$1')
      .replace(
        /^ {2}- \{ number: "2026\/0003", date: 2026-11-24, participant: "dep-obr", kind: protocol, digest: "(sha256:[0-9a-f]+)" \}$/m,
        '  - number: "2026/0003"\n    date: 2026-11-26 # перенесено\n    participant: dep-obr\n    kind: protocol\n    digest: "$1"',
      );
    expect(handEdited).toContain('# дата исправлена');
    expect(handEdited).toContain('date: 2026-11-26 # перенесено');
    // The head of one participant changes: its request and act need new numbers. The head's
    // certificate changes with her name (one held by someone else is an audit error, refusing the act).
    const dir = await edited([
      { file: 'documents.yaml', to: handEdited },
      {
        file: 'participants/tmn-sosh-12.yaml',
        from: 'head: Петрова Анна Сергеевна',
        to: 'head: Петрова Анна Сергеевна-Иванова',
      },
      {
        file: 'participants/tmn-sosh-12.yaml',
        from: '- name: Петрова Анна Сергеевна',
        to: '- name: Петрова Анна Сергеевна-Иванова',
      },
    ]);
    const first = await docs(dir);
    expect(first.code, first.stderr).toBe(1); // the protocols lack probe results, as on the sample
    const after = await readFile(path.join(dir, 'documents.yaml'), 'utf8');
    expect(after.startsWith(handEdited)).toBe(true);
    const added = after.slice(handEdited.length).split('\n').filter(Boolean);
    expect(added).toHaveLength(2);
    for (const line of added)
      expect(line).toMatch(
        /^ {2}- \{ number: "2026\/\d{4}", date: "\d{4}-\d\d-\d\d", participant: "tmn-sosh-12", kind: "(request-update|act)", digest: "sha256:[0-9a-f]{64}" \}$/,
      );
    const numbers = await numbersIn(first.out);
    const second = await docs(dir);
    expect(second.code, second.stderr).toBe(1);
    expect(await readFile(path.join(dir, 'documents.yaml'), 'utf8')).toBe(after);
    expect(await numbersIn(second.out)).toEqual(numbers);
  });
});

describe('changes under an exclusive lock (defect 3)', () => {
  it('eight concurrent docs runs give every document its own number and keep every entry', async () => {
    const dir = await edited([{ file: 'documents.yaml', to: null }]);
    const ids = [
      'andreevsky-sp',
      'dep-obr',
      'dep-zdrav',
      'gup-farmaciya',
      'ishim-district-admin',
      'ishim-sosh-2',
      'kaskara-sp',
      'obl-hospital-23',
    ];
    const out = path.join(dir, 'out');
    const runs = await Promise.all(
      ids.map((id) => prichal(['docs', '--participant', id, '--inventory', dir, '--out', out, '--format', 'json'])),
    );
    const written: Array<{ participant: string; kind: string }> = [];
    for (const r of runs) {
      expect([0, 1], r.stderr).toContain(r.code);
      written.push(...(JSON.parse(r.stdout) as { written: Array<{ participant: string; kind: string }> }).written);
    }
    expect(written.length).toBeGreaterThan(8);
    const entries = (parse(await readFile(path.join(dir, 'documents.yaml'), 'utf8')) as { documents: RegisterEntry[] })
      .documents;
    // Every run's entries kept, each number given once: 0001…N.
    expect(entries).toHaveLength(written.length);
    const year = entries[0]!.number.slice(0, 4);
    expect(entries.map((e) => e.number).sort()).toEqual(
      written.map((_, i) => `${year}/${String(i + 1).padStart(4, '0')}`),
    );
    // Every document carries the number the register records for it.
    const numbers = await numbersIn(out);
    expect(numbers.size).toBe(written.length);
    for (const e of entries) expect(numbers.get(`${e.participant}.${e.kind}`)).toBe(e.number);
    expect(existsSync(path.join(dir, 'documents.yaml.lock'))).toBe(false);
  });

  it('a lock left by a killed run is taken over once stale', async () => {
    const dir = await edited([]);
    const lock = path.join(dir, 'documents.yaml.lock');
    await mkdir(lock);
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    const r = await docs(dir);
    expect(r.code, r.stderr).toBe(1);
    expect((await numbersIn(r.out)).size).toBeGreaterThan(0);
    expect(existsSync(lock)).toBe(false);
  });

  it('a waiting writer goes on when the lock is released, and gives up with a clear error when it is not', async () => {
    const dir = await scratchDir();
    const file = path.join(dir, 'documents.yaml');
    const release = await lockfile.lock(file, { realpath: false, lockfilePath: `${file}.lock` });
    let error: unknown;
    const started = Date.now();
    await DocumentRegister.transaction(file, (r) => r.assign('p', 'act', 'x', '2026-12-01'), { wait: 600 }).catch(
      (e: unknown) => (error = e),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(RegisterError);
    expect((error as Error).message).toMatch(
      /another run is changing the document register \(its lock .*documents\.yaml\.lock is held\) and did not finish within 1 s/,
    );
    expect(existsSync(file)).toBe(false);
    // A writer waits for a lock held a moment, then numbers.
    setTimeout(() => void release(), 1_500);
    const numbered = await DocumentRegister.transaction(file, (r) => r.assign('p', 'act', 'x', '2026-12-01'));
    expect(numbered.number).toBe('2026/0001');
    expect(parseRegister(file, await readFile(file, 'utf8')).entries).toEqual([numbered]);
  });

  it('the register is never written over a file that is not one, even one swapped in behind the lock (defect 1)', async () => {
    const dir = await scratchDir();
    const file = path.join(dir, 'documents.yaml');
    await writeFile(file, 'documents: []\n');
    const participant = await readFile(path.join(SAMPLE_INVENTORY, 'participants', 'tmn-sosh-12.yaml'), 'utf8');
    let error: unknown;
    await DocumentRegister.transaction(file, async (r) => {
      r.assign('p', 'act', 'x', '2026-12-01');
      // Someone (without the lock) writes a participant file there.
      await writeFile(file, participant);
    }).catch((e: unknown) => (error = e));
    expect(error).toBeInstanceOf(RegisterError);
    expect((error as Error).message).toContain(`${file}: not a document register, it is not replaced`);
    expect(await readFile(file, 'utf8')).toBe(participant);
  });
});

describe('a protocol is never dated before the test it records', () => {
  it('the same protocol from a probe re-run on a later day gets a new number dated that day; the same day keeps it', async () => {
    const dir = await scratchDir();
    const file = path.join(dir, 'documents.yaml');
    const first = await DocumentRegister.transaction(file, (r) =>
      r.assign('p', 'protocol', 'same text', '2026-12-01', '2026-12-01'),
    );
    const sameDay = await DocumentRegister.transaction(file, (r) =>
      r.assign('p', 'protocol', 'same text', '2026-12-01', '2026-12-01'),
    );
    expect(sameDay).toEqual(first);
    const later = await DocumentRegister.transaction(file, (r) =>
      r.assign('p', 'protocol', 'same text', '2026-12-05', '2026-12-05'),
    );
    expect(later).toMatchObject({ number: '2026/0002', date: '2026-12-05' });
    // The probe's time in the annex (with the zone's Russian name) is no part of the content.
    const annex = (time: string) =>
      `| 1 | x |\n\n**Техническое приложение** (07.12.2026 ${time} — 07.12.2026 ${time}, екатеринбургское время, UTC+5)\n`;
    const morning = await DocumentRegister.transaction(file, (r) =>
      r.assign('q', 'protocol', annex('09:00'), '2026-12-07', '2026-12-07'),
    );
    expect(
      await DocumentRegister.transaction(file, (r) =>
        r.assign('q', 'protocol', annex('18:25'), '2026-12-07', '2026-12-07'),
      ),
    ).toEqual(morning);
    // A document that records no day (an act, a request) keeps its number whatever the day.
    const act = await DocumentRegister.transaction(file, (r) => r.assign('p', 'act', 'act text', '2026-12-01'));
    expect(await DocumentRegister.transaction(file, (r) => r.assign('p', 'act', 'act text', '2026-12-05'))).toEqual(
      act,
    );
  });
});

describe('the line reader agrees with the YAML parser', () => {
  // Values as a hand or a merge may leave them: mostly right for their field, sometimes YAML's
  // non-strings or odd characters; quoted either way or plain.
  const odd = fc.oneof(
    fc.constantFrom(
      '2026/12',
      '2026-02-30',
      '2026-11-24 # x',
      'null',
      'true',
      'False',
      '~',
      '123',
      '0x1F',
      '1e5',
      '.inf',
      '',
      ' ',
      'a:b',
      'a, b',
      '{x}',
      "it's",
      'a"b',
      'a\\b',
      '#',
      'тест',
    ),
    fc.string({ maxLength: 6 }),
  );
  const field = (...right: string[]) =>
    fc
      .tuple(
        fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...right) }, { weight: 1, arbitrary: odd }),
        fc.constantFrom('plain', 'double', 'single'),
      )
      .map(([v, style]) =>
        style === 'double' ? JSON.stringify(v) : style === 'single' ? `'${v.replace(/'/g, "''")}'` : v,
      );
  const entryLine = fc
    .tuple(
      field('2026/0001', '2026/0002', '2026/0003', '2026/0004', '2026/0005', '2026/0006', '2026/0007', '2026/0008'),
      field('2026-11-24', '2026-02-28', '2024-02-29'),
      field('tmn-sosh-12', 'dep-obr', 'p', 'null', '12'),
      field('act', 'request-update', 'protocol'),
      field(DIGEST),
      fc.constantFrom('', '', ' # note', '#x'),
    )
    .map(([n, d, p, k, g, c]) => `  - { number: ${n}, date: ${d}, participant: ${p}, kind: ${k}, digest: ${g} }${c}`);
  const line = fc.oneof(
    { weight: 8, arbitrary: entryLine },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '# comment',
        '  # indented comment',
        'documents:',
        'documents: # c',
        '- { number: "2026/0009", date: 2026-11-24, participant: p, kind: act, digest: x }',
        'other: 1',
        '    - { number: "2026/0008", date: 2026-11-24, participant: p, kind: act, digest: y }',
      ),
    },
  );
  it('gives the same entries or the same refusal for any register of such lines', () => {
    const outcome = (read: () => { entries: readonly RegisterEntry[] }) => {
      try {
        return { entries: read().entries };
      } catch (error) {
        return { refusal: (error as Error).message };
      }
    };
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), fc.boolean(), fc.boolean(), (lines, header, crlf) => {
        const text = [...(header ? ['# header', 'documents:'] : ['documents:']), ...lines].join(crlf ? '\r\n' : '\n');
        expect(outcome(() => parseRegister('R.yaml', text))).toEqual(outcome(() => parseRegisterYaml('R.yaml', text)));
      }),
      { numRuns: 3000, seed: 20261206 },
    );
  });
});
