// Hostile input at the CLI: reads that would hang or explode (a FIFO or /dev/zero given as a
// report, a probe protocol, a certificate, the history, a secret), status reading reports and
// protocols of the wrong shape, control characters in the JUnit report, commander's own usage
// errors under --format json, and --out naming a file. Each case ends quickly with a named
// refusal (exit 2) or a noted problem — never exit 4, never a hang.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/drift/model.js';
import { HISTORY_RUNS, readHistory, recordRun } from '../src/drift/history.js';
import { FileError } from '../src/files.js';
import { readSecret, SecretMissingError } from '../src/infra/secrets.js';
import { PROJECT_ROOT } from '../src/project.js';
import { renderJunit, writeReports } from '../src/report/index.js';
import { checks, METRICS_FILE } from '../src/workflows/run-checks.js';
import { UsageError } from '../src/workflows/errors.js';
import { status } from '../src/workflows/status.js';
import { exitCodeOf } from '../src/cli/errors.js';
import { PRICHAL } from './helpers/cli.js';
import { editedInventories, SAMPLE_INVENTORY } from './helpers/inventory.js';

/** A real FIFO (coreutils' mkfifo: Node has no call for it). */
const mkfifo = (file: string) => execFileSync('mkfifo', [file]);

/** The CLI as a user runs it, killed after 20 s: a hang is a failure here, not a stuck suite. */
async function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const started = Date.now();
  const r = await execa(PRICHAL, args, {
    reject: false,
    timeout: 20_000,
    cwd: options.cwd ?? PROJECT_ROOT,
    ...(options.env ? { env: options.env } : {}),
  });
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut, ms: Date.now() - started };
}

/** Exactly one JSON document on stdout, as `--format json` promises. */
function oneJson(stdout: string): Record<string, unknown> {
  const value = JSON.parse(stdout) as unknown;
  expect(typeof value === 'object' && value !== null && !Array.isArray(value), stdout).toBe(true);
  return value as Record<string, unknown>;
}

const edited = editedInventories();
let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'prichal-hostile-cli-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const fresh = async (name: string) => {
  const dir = path.join(work, name);
  await mkdir(dir, { recursive: true });
  return dir;
};

describe('class 5: reads through the file rule — a FIFO or a device is refused at once, naming the file', () => {
  it('status --report <fifo> and /dev/zero: exit 2 naming the file, one JSON document under --format json', async () => {
    const dir = await fresh('report-fifo');
    const fifo = path.join(dir, 'all.json');
    mkfifo(fifo);
    const text = await run([
      'status',
      '--inventory',
      SAMPLE_INVENTORY,
      '--probes',
      dir,
      '--report',
      fifo,
      '--lang',
      'en',
    ]);
    expect(text.timedOut).toBe(false);
    expect(text.code, text.stderr).toBe(2);
    expect(text.stderr).toContain(`${fifo}: not a regular file`);
    const json = await run([
      'status',
      '--inventory',
      SAMPLE_INVENTORY,
      '--probes',
      dir,
      '--report',
      fifo,
      '--format',
      'json',
    ]);
    expect(json.code).toBe(2);
    expect(oneJson(json.stdout)).toMatchObject({ kind: 'UsageError', exitCode: 2 });
    const zero = await run([
      'status',
      '--inventory',
      SAMPLE_INVENTORY,
      '--probes',
      dir,
      '--report',
      '/dev/zero',
      '--lang',
      'en',
    ]);
    expect(zero.timedOut).toBe(false);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('/dev/zero: not a regular file');
  });

  it("a FIFO in the --probes folder: that participant's probe is noted unreadable, the screen still shows (exit 0)", async () => {
    const probes = await fresh('probes-fifo');
    mkfifo(path.join(probes, 'test-tmn-sosh-12.json'));
    await symlink('/dev/zero', path.join(probes, 'prod-tmn-sosh-12.json'));
    const r = await run([
      'status',
      '--inventory',
      SAMPLE_INVENTORY,
      '--probes',
      probes,
      '--report',
      path.join(probes, 'none.json'),
      '--participant',
      'tmn-sosh-12',
      '--lang',
      'en',
    ]);
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Last probe\s+.*protocol unreadable/m);
    expect(r.stdout).toContain(`unreadable: ${path.join(probes, 'test-tmn-sosh-12.json')}: not a regular file`);
    const json = await run([
      'status',
      '--inventory',
      SAMPLE_INVENTORY,
      '--probes',
      probes,
      '--report',
      path.join(probes, 'none.json'),
      '--participant',
      'tmn-sosh-12',
      '--format',
      'json',
    ]);
    expect(json.code).toBe(0);
    const body = oneJson(json.stdout) as {
      participants: Array<{ probes: Record<string, unknown> }>;
      unreadable: Array<{ file: string }>;
    };
    expect(body.participants[0]!.probes.test).toEqual({ unreadable: path.join(probes, 'test-tmn-sosh-12.json') });
    expect(body.unreadable.map((u) => path.basename(u.file)).sort()).toEqual([
      'prod-tmn-sosh-12.json',
      'test-tmn-sosh-12.json',
    ]);
  });

  it('status --probes naming a file, not a folder: a usage error', async () => {
    const dir = await fresh('probes-file');
    const file = path.join(dir, 'probes');
    await writeFile(file, '{}');
    const r = await run([
      'status',
      '--inventory',
      SAMPLE_INVENTORY,
      '--probes',
      file,
      '--report',
      path.join(dir, 'none.json'),
      '--format',
      'json',
    ]);
    expect(r.code).toBe(2);
    expect(String(oneJson(r.stdout).error)).toContain(`--probes ${file}: not a folder`);
  });

  it('certificate show / import of a FIFO or /dev/zero: exit 2 naming the file, nothing written', async () => {
    const dir = await fresh('certificate-fifo');
    const fifo = path.join(dir, 'signer.cer');
    mkfifo(fifo);
    const show = await run(['certificate', 'show', fifo, '--format', 'json']);
    expect(show.timedOut).toBe(false);
    expect(show.code).toBe(2);
    expect(oneJson(show.stdout)).toMatchObject({
      error: `${fifo}: not a regular file (a FIFO, socket or device); only regular files are read`,
      exitCode: 2,
    });
    const zero = await run(['certificate', 'show', '/dev/zero', '--lang', 'en']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('/dev/zero: not a regular file');
    const inventory = await edited([]);
    const before = await readFile(path.join(inventory, 'participants', 'tmn-sosh-12.yaml'), 'utf8');
    const imported = await run([
      'certificate',
      'import',
      fifo,
      '--inventory',
      inventory,
      '--participant',
      'tmn-sosh-12',
      '--role',
      'head',
      '--lang',
      'en',
    ]);
    expect(imported.timedOut).toBe(false);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain(`${fifo}: not a regular file`);
    expect(await readFile(path.join(inventory, 'participants', 'tmn-sosh-12.yaml'), 'utf8')).toBe(before);
  });

  it('a history.jsonl that is a FIFO or a link to /dev/zero is a FileError naming it, at once', {
    timeout: 10_000,
  }, async () => {
    const dir = await fresh('history-fifo');
    const fifo = path.join(dir, 'history.jsonl');
    mkfifo(fifo);
    await expect(readHistory(fifo)).rejects.toThrow(FileError);
    await expect(readHistory(fifo)).rejects.toThrow(`${fifo}: not a regular file`);
    const zero = path.join(dir, 'zero.jsonl');
    await symlink('/dev/zero', zero);
    await expect(readHistory(zero)).rejects.toThrow(`${zero}: not a regular file`);
  });

  it('a secret file that is a FIFO or a device is a FileError naming the file (never a hang); an empty PRICHAL_SECRETS_DIR is unset', {
    timeout: 10_000,
  }, async () => {
    const dir = await fresh('secrets');
    mkfifo(path.join(dir, 'edge1'));
    await symlink('/dev/zero', path.join(dir, 'bus-test'));
    await writeFile(path.join(dir, 'edge2'), 'the-key\n');
    const saved = process.env.PRICHAL_SECRETS_DIR;
    process.env.PRICHAL_SECRETS_DIR = dir;
    try {
      await expect(readSecret('edge1')).rejects.toThrow(`${path.join(dir, 'edge1')}: not a regular file`);
      await expect(readSecret('bus-test')).rejects.toThrow(FileError);
      await expect(readSecret('edge2')).resolves.toBe('the-key\n');
      await expect(readSecret('nothing')).rejects.toThrow(SecretMissingError);
      process.env.PRICHAL_SECRETS_DIR = '';
      await expect(readSecret('nothing')).rejects.toThrow(path.join(PROJECT_ROOT, '.state', 'secrets', 'nothing'));
    } finally {
      if (saved === undefined) delete process.env.PRICHAL_SECRETS_DIR;
      else process.env.PRICHAL_SECRETS_DIR = saved;
    }
  });
});

describe('class 6: status checks the shape of what it reads — never exit 4', () => {
  const PROTOCOL = path.join(PROJECT_ROOT, 'test', 'fixtures', 'probe-test-tmn-sosh-12.json');
  const MUTANTS: Array<[string, string, (p: Record<string, unknown>) => unknown]> = [
    ['a broken timestamp', 'tmn-sosh-12', (p) => ({ ...p, finishedAt: 'yesterday' })],
    ['a numeric timestamp', 'dep-obr', (p) => ({ ...p, finishedAt: 1_795_000_000 })],
    ['an impossible date', 'dep-zdrav', (p) => ({ ...p, finishedAt: '2026-13-45T99:99:99Z' })],
    ['no timestamp', 'onokhino-sp', (p) => ({ ...p, finishedAt: null })],
    ['passed as text', 'obl-hospital-3', (p) => ({ ...p, passed: 'yes' })],
    ['a list', 'tmn-gorduma', () => []],
    ['null', 'vinzili-gp', () => null],
    ['a number', 'kaskara-sp', () => 42],
  ];

  it(`probe protocols with ${MUTANTS.map(([what]) => what).join(', ')}: each noted unreadable for its participant, named with why (exit 0)`, async () => {
    const probes = await fresh('protocols-malformed');
    const protocol = JSON.parse(await readFile(PROTOCOL, 'utf8')) as Record<string, unknown>;
    for (const [, id, mutate] of MUTANTS)
      await writeFile(path.join(probes, `test-${id}.json`), JSON.stringify(mutate({ ...protocol, participant: id })));
    const args = [
      'status',
      '--inventory',
      SAMPLE_INVENTORY,
      '--probes',
      probes,
      '--report',
      path.join(probes, 'none.json'),
    ];
    const text = await run([...args, '--lang', 'en']);
    expect(text.code, text.stderr).toBe(0);
    for (const [, id] of MUTANTS) {
      expect(text.stdout).toMatch(new RegExp(`^${id}\\s.*test: protocol unreadable`, 'm'));
      expect(text.stdout).toContain(`unreadable: ${path.join(probes, `test-${id}.json`)}: `);
    }
    expect(text.stdout).toContain(
      `test-tmn-sosh-12.json: finishedAt must be a timestamp such as 2026-11-23T01:31:34.311Z, not the text "yesterday"`,
    );
    expect(text.stdout).toContain(`test-obl-hospital-3.json: passed must be true or false, not the text "yes"`);
    const json = await run([...args, '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const body = oneJson(json.stdout) as {
      unreadable: Array<{ file: string; reason: string; reasonRu: string }>;
      participants: Array<{ id: string; probes: Record<string, unknown> }>;
    };
    expect(body.unreadable.map((u) => path.basename(u.file)).sort()).toEqual(
      MUTANTS.map(([, id]) => `test-${id}.json`).sort(),
    );
    expect(body.participants.find((p) => p.id === 'dep-obr')!.probes.test).toEqual({
      unreadable: path.join(probes, 'test-dep-obr.json'),
    });
  });

  const GOOD = {
    version: 1,
    kind: 'all',
    generatedAt: '2026-11-23T03:00:00.000Z',
    at: '2026-11-23',
    participants: [],
    requirements: [],
    findings: [],
    waived: [],
    unchecked: [],
  };
  it.each([
    ['findings as a string', { ...GOOD, findings: 'none' }, 'findings must be a list of findings, not the text "none"'],
    ['findings as null', { ...GOOD, findings: null }, 'findings must be a list of findings, not null'],
    ['findings as an object', { ...GOOD, findings: { a: 1 } }, 'findings must be a list of findings, not an object'],
    ['a finding that is null', { ...GOOD, findings: [null] }, 'findings[0] must be an object, not null'],
    [
      'a numeric requirement',
      { ...GOOD, findings: [{ requirement: 5, severity: 'error', participant: 'dep-obr' }] },
      'findings[0].requirement must be a requirement id',
    ],
    [
      'an unknown requirement',
      { ...GOOD, findings: [{ requirement: '__proto__', severity: 'error', participant: 'dep-obr' }] },
      'findings[0].requirement must be a requirement id',
    ],
    [
      'a severity missing',
      { ...GOOD, findings: [{ requirement: 'FW-1', participant: 'dep-obr' }] },
      "findings[0].severity must be 'error' or 'warning'",
    ],
    [
      'a participant as a list',
      { ...GOOD, findings: [{ requirement: 'FW-1', severity: 'error', participant: ['dep-obr'] }] },
      'findings[0].participant must be a participant id, not a list',
    ],
    ['a broken generatedAt', { ...GOOD, generatedAt: 'last night' }, 'generatedAt must be a timestamp'],
    ['a numeric generatedAt', { ...GOOD, generatedAt: 1 }, 'generatedAt must be a timestamp'],
    ['a list', [], 'the report must be an object'],
    ['null', null, 'the report must be an object'],
    ['a string', 'report', 'the report must be an object'],
  ])('a nightly report with %s is a named refusal (a usage error, exit 2)', async (what, report, message) => {
    const dir = await fresh(`report-${what.replace(/\W+/g, '-')}`);
    const file = path.join(dir, 'all.json');
    await writeFile(file, JSON.stringify(report));
    const refused = await status({ inventory: SAMPLE_INVENTORY, probes: dir, report: file }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(UsageError);
    expect(exitCodeOf(refused)).toBe(2);
    expect((refused as Error).message).toContain(`${file}: ${message}`);
  });

  it('the CLI on a report whose findings is a string: exit 2 (not 4), named, one JSON document under --format json', async () => {
    const dir = await fresh('report-cli');
    const file = path.join(dir, 'all.json');
    await writeFile(file, JSON.stringify({ ...GOOD, findings: 'none' }));
    const text = await run(['status', '--inventory', SAMPLE_INVENTORY, '--probes', dir, '--report', file]);
    expect(text.code, text.stderr).toBe(2);
    expect(text.stderr).toContain(`${file}: findings: ожидается список нарушений, а не текст "none"`);
    const json = await run([
      'status',
      '--inventory',
      SAMPLE_INVENTORY,
      '--probes',
      dir,
      '--report',
      file,
      '--format',
      'json',
    ]);
    expect(json.code).toBe(2);
    expect(oneJson(json.stdout)).toMatchObject({ kind: 'UsageError', exitCode: 2 });
  });

  it('a report that is not JSON is named without quoting it (a link to an environment file echoes nothing of it)', async () => {
    const dir = await fresh('report-environ');
    const environ = path.join(dir, 'environ');
    await writeFile(environ, 'PRICHAL_CANARY=c4n4ry-s3cr3t\0PATH=/usr/bin\0');
    const file = path.join(dir, 'all.json');
    await symlink(environ, file);
    const r = await run([
      'status',
      '--inventory',
      SAMPLE_INVENTORY,
      '--probes',
      dir,
      '--report',
      file,
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(2);
    expect(String(oneJson(r.stdout).error)).toContain(`${file}: cannot be read as JSON`);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/c4n4ry|PRICHAL_CANARY|PATH=/);
  });

  it('a well-formed report still gives its live findings (the check is not a blanket refusal)', async () => {
    const dir = await fresh('report-good');
    const file = path.join(dir, 'all.json');
    await writeFile(
      file,
      JSON.stringify({
        ...GOOD,
        findings: [
          {
            requirement: 'FW-1',
            severity: 'error',
            participant: 'dep-obr',
            subject: 'edge-1',
            message: 'm',
            evidence: 'e',
            fix: 'f',
          },
        ],
      }),
    );
    const r = await status({ inventory: SAMPLE_INVENTORY, probes: dir, report: file, participant: 'dep-obr' });
    expect(r.liveReport).toEqual({ file, generatedAt: GOOD.generatedAt });
    expect(r.participants[0]!.findings.requirements).toContain('FW-1');
  });
});

/** Code points XML 1.0 does not allow in a document at all (Char production), lone surrogates included. */
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A strict well-formedness check, enough for the JUnit writer's output: allowed characters only,
 * every `&` a known entity or a reference to an allowed character, tags and quoted attributes
 * well formed (no `<` in a value, no attribute twice), every element closed in order, one root.
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const bad = NOT_XML.exec(xml);
  if (bad) problems.push(`forbidden character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${bad.index}`);
  const references = (text: string, where: number) => {
    for (const m of text.matchAll(/&([^;&\s]*);?/g)) {
      const ref = m[0];
      const ok = /^&(amp|lt|gt|quot|apos);$/.test(ref) || /^&#(\d+|x[0-9a-fA-F]+);$/.test(ref);
      if (!ok) problems.push(`bad reference ${JSON.stringify(ref)} at ${where + m.index}`);
      const num = /^&#(x?)([0-9a-fA-F]+);$/.exec(ref);
      if (num && NOT_XML.test(String.fromCodePoint(parseInt(num[2]!, num[1] ? 16 : 10))))
        problems.push(`reference to a forbidden character ${ref}`);
    }
  };
  let rest = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  let offset = xml.length - rest.length;
  const stack: string[] = [];
  let roots = 0;
  while (rest.length) {
    const lt = rest.indexOf('<');
    const text = lt < 0 ? rest : rest.slice(0, lt);
    if (text.includes(']]>')) problems.push(`']]>' in text at ${offset}`);
    if (!stack.length && text.trim()) problems.push(`text outside the root at ${offset}`);
    references(text, offset);
    if (lt < 0) break;
    offset += lt;
    rest = rest.slice(lt);
    const tag = /^<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(rest);
    if (!tag) {
      problems.push(`malformed tag at ${offset}: ${JSON.stringify(rest.slice(0, 40))}`);
      break;
    }
    const [whole, closing, name, attributes, empty] = tag;
    const names = [...attributes!.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*("[^"]*"|'[^']*')/g)];
    if (new Set(names.map((a) => a[1])).size !== names.length) problems.push(`an attribute twice in <${name}>`);
    for (const a of names) references(a[2]!, offset);
    if (closing) {
      if (stack.pop() !== name) problems.push(`</${name}> closes the wrong element at ${offset}`);
    } else {
      if (!stack.length) roots++;
      if (!empty) stack.push(name!);
    }
    offset += whole.length;
    rest = rest.slice(whole.length);
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

/** A real XML parser (expat, through Python) when the machine has one: the mini check above is not the only judge. */
function expatProblems(xml: string): string[] {
  try {
    execFileSync(
      'python3',
      ['-c', 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())'],
      { input: Buffer.from(xml, 'utf8'), stdio: ['pipe', 'ignore', 'pipe'] },
    );
    return [];
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') return [];
    return [
      String(e.stderr ?? e.message)
        .trim()
        .split('\n')
        .at(-1)!,
    ];
  }
}

describe('class 8: the JUnit report is valid XML whatever a name holds', () => {
  const HOSTILE = 'Петрова\u0007\u001b[31m\u0000\u000c\ufffe\uffff\ud800 & <Анна> "С." \'x\'\u0085\u007f\ttab\r\nnext';

  it('the strict check catches what the old writer produced (the check is real)', () => {
    expect(
      xmlProblems('<?xml version="1.0" encoding="UTF-8"?>\n<a b="x\u0007"><c>&bogus;</c></a>\n').length,
    ).toBeGreaterThan(0);
    expect(xmlProblems('<a><b></a></b>').length).toBeGreaterThan(0);
    expect(xmlProblems('<a x="1" x="2"/>').length).toBeGreaterThan(0);
    expect(xmlProblems('<?xml version="1.0" encoding="UTF-8"?>\n<a b="&#7;">ok &amp; &#x41;</a>\n')).toEqual([
      'reference to a forbidden character &#7;',
    ]);
    expect(xmlProblems('<?xml version="1.0" encoding="UTF-8"?>\n<a b="x&#10;y">ok &amp; &#x41;</a>\n')).toEqual([]);
  });

  it('renderJunit: forbidden characters shown as \\uXXXX, markup escaped, in every place it writes text', () => {
    const finding = (severity: 'error' | 'warning', participant: string) => ({
      requirement: 'SIG-1' as const,
      participant,
      subject: `participants/${HOSTILE}.yaml`,
      severity,
      message: `the certificate of ${HOSTILE} expired`,
      evidence: HOSTILE,
      fix: HOSTILE,
    });
    const result: CheckResult = {
      version: 1,
      kind: 'all',
      generatedAt: '2026-11-23T03:00:00.000Z',
      at: '2026-11-23',
      participants: ['dep-obr', 'dep-zdrav'],
      requirements: ['SIG-1', 'FW-1'],
      findings: [
        finding('error', 'dep-obr'),
        finding('warning', 'dep-zdrav'),
        {
          ...finding('error', ''),
          participant: undefined as unknown as string,
          requirement: 'FW-1',
          subject: `edge-${HOSTILE}`,
        },
      ],
      waived: [],
      unchecked: [{ subject: `edge-2 ${HOSTILE}`, requirements: ['FW-1'], reason: HOSTILE }],
    };
    delete (result.findings[2] as { participant?: string }).participant;
    const xml = renderJunit(result);
    expect(xmlProblems(xml)).toEqual([]);
    expect(expatProblems(xml)).toEqual([]);
    expect(xml).toContain(
      'Петрова\\u0007\\u001b[31m\\u0000\\u000c\\ufffe\\uffff\\ud800 &amp; &lt;Анна&gt; &quot;С.&quot; &#39;x&#39;\\u0085\\u007f',
    );
    // In an attribute, tab and newline survive as references (a parser would turn them into spaces).
    expect(xml).toMatch(/<failure message="[^"]*&#9;tab&#13;&#10;next/);
    expect(xml).toContain(`name="edge-Петрова\\u0007`);
  });

  it('audit --out with a signer named with control characters writes a JUnit file that parses', async () => {
    const inventory = await edited([
      {
        file: 'participants/tmn-sosh-12.yaml',
        from: '  - name: Петрова Анна Сергеевна',
        to: '  - name: "Петрова\\a\\x1b[31m\\x0c\\uFFFE Анна <b>&amp;"',
      },
    ]);
    const out = await fresh('junit-signer');
    const r = await run(['audit', '--inventory', inventory, '--out', out, '--at', '2027-06-01', '--lang', 'en']);
    expect([0, 1], r.stderr).toContain(r.code);
    const xml = await readFile(path.join(out, 'audit.junit.xml'), 'utf8');
    // The name reached the report (the check would otherwise prove nothing)…
    expect(xml).toContain('Петрова\\u0007\\u001b[31m\\u000c\\ufffe Анна &lt;b&gt;&amp;amp;');
    // …and the file is XML.
    expect(xmlProblems(xml)).toEqual([]);
    expect(expatProblems(xml)).toEqual([]);
  });
});

describe("class 9: commander's own usage errors under --format json — one JSON document, exit 2", () => {
  it.each([
    ['an unknown option', ['audit', '--format', 'json', '--bogus'], "unknown option '--bogus'"],
    ['an option without its value', ['audit', '--format', 'json', '--out'], "option '--out <dir>' argument missing"],
    ['an extra argument', ['audit', 'extra', '--format', 'json'], "too many arguments for 'audit'"],
    ['an unknown command', ['frobnicate', '--format', 'json'], "unknown command 'frobnicate'"],
    ['an unknown subcommand', ['certificate', 'frob', '--format=json'], "unknown command 'frob'"],
    [
      'a required option missing',
      ['incident', '--format', 'json', '--participant', 'dep-obr'],
      "required option '--scope <scope>' not specified",
    ],
    [
      'an invalid choice',
      ['validate', '--format', 'json', '--lang', 'xx'],
      "option '--lang <lang>' argument 'xx' is invalid",
    ],
    ['a missing argument', ['init', '--format', 'json'], "missing required argument 'id'"],
  ])('%s', async (_what, args, message) => {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(2);
    const body = oneJson(r.stdout);
    expect(body).toMatchObject({ kind: 'UsageError', exitCode: 2 });
    expect(String(body.error)).toContain(message);
    // stderr still carries commander's own words for a person.
    expect(r.stderr).not.toBe('');
  });

  it('without --format json stdout stays empty; --help is unchanged (exit 0, the help text)', async () => {
    const text = await run(['audit', '--bogus']);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe('');
    const help = await run(['audit', '--help', '--format', 'json', '--lang', 'en']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: prichal audit/);
  });
});

describe('class 9: --out naming an existing file is a usage error (exit 2), the file untouched', () => {
  // A copy of the sample (docs must never number documents in the real register) and an empty
  // secret store: were the check to go, drift and onboard could reach no live system from here.
  let inventory: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    inventory = await edited([]);
    env = {
      PRICHAL_SECRETS_DIR: await fresh('no-secrets'),
      PRICHAL_PULUMI_BACKEND: `file://${await fresh('no-state')}`,
    };
  });
  const commands: Array<[string, (out: string) => string[]]> = [
    ['audit', (out) => ['audit', '--inventory', inventory, '--out', out]],
    ['drift', (out) => ['drift', '--inventory', inventory, '--out', out]],
    ['coverage', (out) => ['coverage', '--inventory', inventory, '--out', out]],
    [
      'incident',
      (out) => [
        'incident',
        '--inventory',
        inventory,
        '--participant',
        'dep-obr',
        '--scope',
        'full',
        '--description',
        'down',
        '--out',
        out,
      ],
    ],
    ['docs', (out) => ['docs', '--inventory', inventory, '--participant', 'dep-obr', '--out', out]],
    ['onboard', (out) => ['onboard', 'dep-obr', '--inventory', inventory, '--out', out]],
  ];
  it.each(commands)('%s --out <file>', async (name, args) => {
    const dir = await fresh(`out-file-${name}`);
    const file = path.join(dir, 'reports');
    await writeFile(file, 'keep me\n');
    const text = await run([...args(file), '--lang', 'en'], { env });
    expect(text.code, text.stderr).toBe(2);
    expect(text.stderr).toContain(`--out ${file}: an existing file, not a folder`);
    const json = await run([...args(file), '--format', 'json'], { env });
    expect(json.code, json.stderr).toBe(2);
    expect(oneJson(json.stdout)).toMatchObject({ kind: 'UsageError', exitCode: 2 });
    // A path through the file is refused the same way.
    const through = await run([...args(path.join(file, 'sub')), '--format', 'json'], { env });
    expect(through.code, through.stderr).toBe(2);
    expect(String(oneJson(through.stdout).error)).toContain(`the path goes through ${file}`);
    expect(await readFile(file, 'utf8')).toBe('keep me\n');
  });

  it('probe --out <folder> is refused before anything is probed (exit 2)', async () => {
    const dir = await fresh('probe-out-folder');
    const r = await run(
      [
        'probe',
        '--inventory',
        SAMPLE_INVENTORY,
        '--contour',
        'test',
        '--participant',
        'tmn-sosh-12',
        '--out',
        dir,
        '--format',
        'json',
      ],
      { env: { PRICHAL_SECRETS_DIR: await fresh('probe-no-secrets') } },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(String(oneJson(r.stdout).error)).toContain(`--out ${dir}: a folder`);
  });

  it('a report file that is a FIFO in --out is refused by the writing rule (exit 2), never written through', async () => {
    const out = await fresh('out-fifo');
    mkfifo(path.join(out, 'audit.json'));
    const r = await run(['audit', '--inventory', SAMPLE_INVENTORY, '--out', out, '--format', 'json']);
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(2);
    expect(oneJson(r.stdout)).toMatchObject({ kind: 'FileError', exitCode: 2 });
  });

  it('reports and metrics are written by the writing rule: complete files, no temporary file left, a FIFO as prichal.prom refused', {
    timeout: 30_000,
  }, async () => {
    const offline = {
      edges: async (edges: readonly { id: string }[]) =>
        edges.map((e) => ({ edge: e.id, ok: false as const, error: 'offline' })),
      gateways: async () => ({ ok: false as const, error: 'offline' }),
      bus: async () => ({ ok: false as const, error: 'offline' }),
    } as unknown as NonNullable<Parameters<typeof checks>[0]['collectors']>;
    const out = await fresh('metrics');
    const { files } = await checks({
      kind: 'all',
      inventory: SAMPLE_INVENTORY,
      at: '2026-11-23',
      out,
      collectors: offline,
    });
    expect(files.map((f) => path.basename(f))).toEqual([
      'all.json',
      'all.junit.xml',
      'all.md',
      'all.html',
      METRICS_FILE,
    ]);
    expect((await readdir(out)).sort()).toEqual(['all.html', 'all.json', 'all.junit.xml', 'all.md', METRICS_FILE]);
    expect(await readFile(path.join(out, METRICS_FILE), 'utf8')).toContain('prichal_unchecked_subjects{kind="all"}');
    const fifoOut = await fresh('metrics-fifo');
    mkfifo(path.join(fifoOut, METRICS_FILE));
    await expect(
      checks({ kind: 'all', inventory: SAMPLE_INVENTORY, at: '2026-11-23', out: fifoOut, collectors: offline }),
    ).rejects.toThrow(FileError);
    const reportOut = await fresh('reports-fifo');
    mkfifo(path.join(reportOut, 'audit.md'));
    const result = (await checks({ kind: 'audit', inventory: SAMPLE_INVENTORY, at: '2026-11-23' })).result;
    await expect(writeReports(reportOut, result)).rejects.toThrow(
      `${path.join(reportOut, 'audit.md')}: not a regular file`,
    );
  });
});

describe('class 6: history.jsonl — malformed lines skipped, the file kept bounded', () => {
  const result = (generatedAt: string, keys: number): CheckResult => ({
    version: 1,
    kind: 'all',
    generatedAt,
    at: generatedAt.slice(0, 10),
    participants: [],
    requirements: ['FW-1'],
    findings: Array.from({ length: keys }, (_, i) => ({
      requirement: 'FW-1' as const,
      participant: `p${i}`,
      subject: 'edge-1',
      severity: 'error' as const,
      message: 'm',
      evidence: 'e',
      fix: 'f',
    })),
    waived: [],
    unchecked: [],
  });

  it('a cut line, a hand edit, a line of another shape: skipped, the trend taken from the runs that parse', async () => {
    const dir = await fresh('history-malformed');
    const file = path.join(dir, 'history.jsonl');
    const good = {
      generatedAt: '2026-11-22T03:00:00.000Z',
      kind: 'all',
      errors: 1,
      warnings: 0,
      unchecked: 0,
      keys: ['FW-1|p0||edge-1|m'],
    };
    await writeFile(
      file,
      [
        '{"generatedAt": "2026-11-20T03:00:00.000Z", "kind": "all", "err',
        'not json at all',
        'null',
        '[1,2]',
        JSON.stringify({ ...good, keys: 'FW-1|p0||edge-1|m' }),
        JSON.stringify({ ...good, generatedAt: 'yesterday' }),
        JSON.stringify({ ...good, errors: -1 }),
        JSON.stringify({ ...good, kind: 'other' }),
        JSON.stringify(good),
        '',
      ].join('\n'),
    );
    expect(await readHistory(file)).toEqual([good]);
    const recorded = await recordRun(file, result('2026-11-23T03:00:00.000Z', 2));
    expect(recorded.trend).toMatchObject({ previous: good.generatedAt, new: 1, fixed: 0, persisting: 1 });
    expect(recorded.trend!.history.map((h) => h.generatedAt)).toEqual([good.generatedAt, '2026-11-23T03:00:00.000Z']);
    // Rewritten whole (no temporary file left), with the runs that parse.
    expect(
      (await readFile(file, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).generatedAt),
    ).toEqual([good.generatedAt, '2026-11-23T03:00:00.000Z']);
    expect(await readdir(dir)).toEqual(['history.jsonl']);
  });

  it('keeps the runs the trend can use, no more (per kind), so the size limit is never reached by age', async () => {
    const dir = await fresh('history-bounded');
    const file = path.join(dir, 'history.jsonl');
    const day = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString();
    const lines = Array.from({ length: HISTORY_RUNS + 20 }, (_, i) =>
      JSON.stringify({ generatedAt: day(i), kind: 'all', errors: 0, warnings: 0, unchecked: 0, keys: [] }),
    );
    lines.push(JSON.stringify({ generatedAt: day(0), kind: 'audit', errors: 0, warnings: 0, unchecked: 0, keys: [] }));
    await writeFile(file, `${lines.join('\n')}\n`);
    await recordRun(file, result(day(HISTORY_RUNS + 20), 0));
    const kept = await readHistory(file);
    expect(kept.filter((h) => h.kind === 'all')).toHaveLength(HISTORY_RUNS + 1);
    expect(kept.filter((h) => h.kind === 'all').at(-1)!.generatedAt).toBe(day(HISTORY_RUNS + 20));
    expect(kept.filter((h) => h.kind === 'audit')).toHaveLength(1);
  });

  it('drift --all with a history that is a FIFO stops before any host is read (FileError, exit 2)', {
    timeout: 10_000,
  }, async () => {
    const dir = await fresh('history-fifo-checks');
    const fifo = path.join(dir, 'history.jsonl');
    mkfifo(fifo);
    let contacted = 0;
    const offline = {
      edges: async (edges: readonly { id: string }[]) => (
        contacted++, edges.map((e) => ({ edge: e.id, ok: false as const, error: 'offline' }))
      ),
      gateways: async () => (contacted++, { ok: false as const, error: 'offline' }),
      bus: async () => (contacted++, { ok: false as const, error: 'offline' }),
    } as unknown as NonNullable<Parameters<typeof checks>[0]['collectors']>;
    const refused = await checks({
      kind: 'all',
      inventory: SAMPLE_INVENTORY,
      at: '2026-11-23',
      history: fifo,
      collectors: offline,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(FileError);
    expect(exitCodeOf(refused)).toBe(2);
    expect(contacted).toBe(0);
  });

  it('a missing history starts empty; its folder is created', async () => {
    const dir = await fresh('history-missing');
    const file = path.join(dir, 'state', 'history.jsonl');
    expect(await readHistory(file)).toEqual([]);
    await recordRun(file, result('2026-11-23T03:00:00.000Z', 1));
    expect(existsSync(file)).toBe(true);
  });
});
