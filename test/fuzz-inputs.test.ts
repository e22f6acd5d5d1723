// The second fuzz pass: every input Prichal reads besides the participant files — the
// document register, allocations.yaml, probe protocols, the nightly report given to `status`,
// operator.yaml, the validation cache, a signer's certificate file and the environment — 300
// seeded mutants of each, through the functions the CLI calls, and a sample of each through the
// real CLI with --format json.
//
// A mutant is the sample's file with lines dropped, doubled, swapped, indented, commented out,
// tokens inserted and values retyped (YAML), or keys removed, values retyped (string, number,
// null, list, mapping, huge, control and zero-width characters, dates like 2026-02-30 and
// 'yesterday', broken timestamps) and the text cut (JSON), or bytes flipped, removed, doubled and
// inserted (a DER certificate, also as PEM); some cases put in the file's place a
// FIFO, a folder, a link to /proc/self/environ, to another process's environment holding the
// canary, to /dev/zero (through the CLI only: in-process it would fill the test's memory), a
// dangling link or a link loop. The environment cases set empty and odd values of every variable
// the code reads.
//
// A canary secret is in the environment of every run. Each case must end in a result or a named
// refusal (in-process: an error that exitCodeOf maps to 1 or 2; the CLI: exit 0, 1 or 2), each
// command within 5 s, under --format json with exactly one JSON document on stdout, with the
// canary in no output, report, document or cache written, nothing written into the working
// directory or through a link out of its folder, and no temporary file left behind. What a run
// wrote, the next run takes: a register docs saved, docs accepts; allocations plan --save wrote
// validate.
//
// Replay: a case is named `<kind>#<index>`; its PRNG seed is caseSeed(SEED, kind, index), so it
// does not depend on any other case. FUZZ_CASE=register#17 runs that one case only (in-process
// and, when it is in the CLI sample, through the CLI), FUZZ_CASE=register that kind's cases.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plan, type PlanCommandResult } from '../src/workflows/plan.js';
import { planText } from '../src/workflows/plan.render.js';
import { validate } from '../src/workflows/validate.js';
import { validateText } from '../src/workflows/validate.render.js';
import { exitCodeOf } from '../src/cli/errors.js';
import { checksText } from '../src/workflows/run-checks.render.js';
import { statusText } from '../src/workflows/status.render.js';
import { checks } from '../src/workflows/run-checks.js';
import { importCertificate, showCertificate } from '../src/workflows/certificate.js';
import { coverageCommand } from '../src/workflows/coverage.js';
import { docs } from '../src/workflows/docs.js';
import { status } from '../src/workflows/status.js';
import { errorText } from '../src/words.js';
import { PROJECT_ROOT } from '../src/project.js';
import { PRICHAL } from './helpers/cli.js';
import { caseSeed, jsonText, mutateBytes, mutateJson, mutateYaml, pem, picker, random } from './helpers/fuzz.js';
import { SAMPLE_INVENTORY } from './helpers/inventory.js';

const SEED = 20261207;
const PER_KIND = 300;
const AT = '2026-11-23';
/** No command may run longer than this. */
const LIMIT_MS = 5_000;
/** A CLI run still going after this is killed (and reported as a hang). */
const KILL_MS = LIMIT_MS + 1_500;
const ONLY = process.env.FUZZ_CASE;
/** FUZZ_TRACE=FILE: each command's case, name and time appended to FILE (to find a case that stops the run). */
const TRACE = process.env.FUZZ_TRACE;
const trace = (line: string) => {
  if (TRACE) appendFileSync(TRACE, `${new Date().toISOString()} ${line}\n`);
};

const KINDS = ['register', 'allocations', 'probe', 'report', 'operator', 'cache', 'certificate', 'env'] as const;
type Kind = (typeof KINDS)[number];

const HOSTILE = [
  'fifo',
  'directory',
  'self-environ',
  'canary-environ',
  'dev-zero',
  'dangling-link',
  'link-loop',
] as const;
type Hostile = (typeof HOSTILE)[number];
/** Cases 13, 53, 93, …: the file replaced by something that is not one (the environment has no file). */
const hostileOf = (kind: Kind, i: number): Hostile | undefined =>
  kind !== 'env' && i % 40 === 13 ? HOSTILE[Math.floor(i / 40) % HOSTILE.length] : undefined;
/**
 * Environment cases 77, 177, 277: the work cache in /proc, where Node's recursive mkdir never
 * returns (it spins in a thread of its pool). In-process that thread would be lost for the rest of
 * the run, so these run through the CLI only, where a hang is killed.
 */
const wedging = (kind: Kind, i: number) => kind === 'env' && i % 100 === 77;
/** Through the CLI: every 50th case (every 30th of the environment), the hostile files that block, fill memory or hold the environment, and the wedging ones. */
const viaCli = (kind: Kind, i: number) =>
  i % (kind === 'env' ? 30 : 50) === 0 ||
  ['fifo', 'dev-zero', 'self-environ', 'directory'].includes(hostileOf(kind, i) ?? '') ||
  wedging(kind, i);
/** /dev/zero only through the CLI: read whole in-process, it would take the test's memory with it. */
const inProcess = (kind: Kind, i: number) => hostileOf(kind, i) !== 'dev-zero' && !wedging(kind, i);
const kindSelected = (kind: Kind) => ONLY === undefined || ONLY === kind || ONLY.startsWith(`${kind}#`);
const selected = (kind: Kind, i: number) => ONLY === undefined || ONLY === kind || ONLY === `${kind}#${i}`;

/** The canary: a secret in the environment of every run, never to be seen again. */
const CANARY = `cnry${randomBytes(9).toString('hex')}`;
const CANARY_ENV = { PRICHAL_SECRET_CANARY: `${CANARY}-secret`, CANARY_TOKEN: `${CANARY}-token` };
/** The test's own environment as /proc/self/environ holds it (set before the canary): its entries must not show either. */
const SELF_ENVIRON = readFileSync('/proc/self/environ', 'latin1')
  .split('\0')
  .filter((e) => e.length >= 10 && /^[A-Za-z_]\w*=/.test(e))
  .map((e) => e.slice(0, 24));
const CANARIES = [CANARY, 'PRICHAL_SECRET_CANARY', 'CANARY_TOKEN', ...SELF_ENVIRON];
/** The test's environment before any case: restored after the run, and the base of every CLI run's. */
const savedEnv = { ...process.env };
const leaked = (text: string) => CANARIES.find((c) => text.includes(c));
/** The canaries as bytes, in UTF-8 and in UTF-16LE (the validation cache's encoding), as one pattern over a file read as latin1. */
const CANARY_PATTERN = new RegExp(
  CANARIES.flatMap((c) =>
    [Buffer.from(c, 'utf8'), Buffer.from(c, 'utf16le')].map((b) =>
      b.toString('latin1').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    ),
  ).join('|'),
);
const leakedBytes = (bytes: Buffer) => {
  const m = CANARY_PATTERN.exec(bytes.toString('latin1'));
  return m
    ? CANARIES.find(
        (c) =>
          m[0] === Buffer.from(c, 'utf8').toString('latin1') || m[0] === Buffer.from(c, 'utf16le').toString('latin1'),
      )
    : undefined;
};

/** Participants whose documents the register cases number (a school, bodies with a protocol and an act, a leased line, a connector). */
const DOC_PARTICIPANTS = [
  'tmn-sosh-12',
  'dep-obr',
  'tmn-city-admin',
  'onokhino-sp',
  'tmn-gorduma',
  'obl-hospital-3',
  'vinzili-gp',
];
const PROBED = ['tmn-sosh-12', 'tmn-city-admin'];

// ---------------------------------------------------------------------------------------------
// The inputs and where they live.

interface Stage {
  root: string;
  inv: string;
  probes: string;
  report: string;
  register: string;
  out: string;
  cache: string;
  cwd: string;
  /** Outside every folder a command is given: where a dangling link points. */
  outside: string;
}

function stageOf(root: string): Stage {
  return {
    root,
    inv: path.join(root, 'inv'),
    probes: path.join(root, 'probes'),
    report: path.join(root, 'reports', 'all.json'),
    register: path.join(root, 'reg', 'documents.yaml'),
    out: path.join(root, 'out'),
    cache: path.join(root, 'cache'),
    cwd: path.join(root, 'cwd'),
    outside: path.join(root, 'outside-target'),
  };
}

interface Base {
  /** Certificate fixtures (DER), by file name. */
  certificates: Record<string, Buffer>;
  operator: string;
  allocations: string;
  register: string;
  probes: Record<string, unknown>;
  report: unknown;
  importInto: string;
}
let base: Base;
/** The participant whose signers `certificate import` changes. */
const IMPORT_INTO = 'tmn-sosh-12';

/** The files every stage starts from, path relative to the stage → content. */
function pristine(extra: Record<string, Buffer | string> = {}): Record<string, Buffer | string> {
  return {
    'inv/operator.yaml': base.operator,
    'inv/allocations.yaml': base.allocations,
    'inv/documents.yaml': base.register,
    'reg/documents.yaml': base.register,
    'reports/all.json': `${JSON.stringify(base.report, null, 2)}\n`,
    // What `certificate import` writes into.
    [`inv/participants/${IMPORT_INTO}.yaml`]: base.importInto,
    ...Object.fromEntries(
      PROBED.map((id) => [`probes/test-${id}.json`, `${JSON.stringify(base.probes[id], null, 2)}\n`]),
    ),
    ...extra,
  };
}

async function makeStage(root: string): Promise<Stage> {
  const stage = stageOf(root);
  await mkdir(root, { recursive: true });
  await cp(SAMPLE_INVENTORY, stage.inv, { recursive: true });
  for (const dir of [stage.probes, path.dirname(stage.report), path.dirname(stage.register), stage.cache, stage.cwd])
    await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(pristine())) await writeFile(path.join(root, file), content);
  return stage;
}

/** Folders whose every entry is known: anything else in them was left by a case. */
const WATCHED = ['inv', 'probes', 'reports', 'reg', 'certs'];

/** The stamp of each input file as restore() last left it. */
const restoredAs = new Map<string, string>();
const statKey = (info: { ino: number; size: number; mtimeMs: number; ctimeMs: number }) =>
  `${info.ino}/${info.size}/${info.mtimeMs}/${info.ctimeMs}`;

/**
 * Puts the stage back as it was before a case: each input file as the sample has it (rewritten
 * only where it changed, so that the validation cache keeps vouching by its stamps), anything a
 * case left in the watched folders removed, the output folder and the working directory emptied.
 */
async function restore(stage: Stage, files: Record<string, Buffer | string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(stage.root, file);
    const info = await lstat(full).catch(() => undefined);
    // Unchanged since this function wrote it: nothing to do (no read, the stamp stays).
    if (info?.isFile() && restoredAs.get(full) === statKey(info)) continue;
    const wanted = Buffer.isBuffer(content) ? content : Buffer.from(content);
    if (!(info?.isFile() && (await readFile(full)).equals(wanted))) {
      await rm(full, { recursive: true, force: true });
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, wanted);
    }
    restoredAs.set(full, statKey(await lstat(full)));
  }
  const known = new Set(Object.keys(files));
  for (const dir of WATCHED) {
    for (const name of await readdir(path.join(stage.root, dir)).catch(() => [] as string[])) {
      const rel = `${dir}/${name}`;
      if (known.has(rel) || (dir === 'inv' && name === 'participants')) continue;
      await rm(path.join(stage.root, rel), { recursive: true, force: true });
    }
  }
  await rm(stage.out, { recursive: true, force: true });
  await mkdir(stage.out, { recursive: true });
  // The working directory is emptied, not replaced: the in-process cases run in it.
  for (const name of await readdir(stage.cwd)) await rm(path.join(stage.cwd, name), { recursive: true, force: true });
  await rm(stage.outside, { recursive: true, force: true });
}

/** Every regular file under a folder (links are not followed) changed since `since` (ms since the epoch). */
async function filesUnder(dir: string, since: number): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && ((await lstat(full).catch(() => undefined))?.ctimeMs ?? Infinity) >= since)
        out.push(full);
    }
  };
  await walk(dir);
  return out;
}

/**
 * What a case wrote that it must not have: the canary in a file written (the inputs hold none),
 * a temporary file left, a file through a dangling link, anything in the working directory.
 */
async function writtenProblems(stage: Stage, since: number, options: { cwdMayChange: boolean }): Promise<string[]> {
  const problems: string[] = [];
  for (const file of await filesUnder(stage.root, since)) {
    const rel = path.relative(stage.root, file);
    if (/\.tmp$/.test(file)) problems.push(`left a temporary file ${rel}`);
    const canary = leakedBytes(await readFile(file).catch(() => Buffer.alloc(0)));
    if (canary) problems.push(`canary ${JSON.stringify(canary)} in the written file ${rel}`);
  }
  if (existsSync(stage.outside)) problems.push('wrote a file through a link that leaves its folder (outside-target)');
  const inCwd = await readdir(stage.cwd).catch(() => []);
  if (inCwd.length && !options.cwdMayChange) problems.push(`wrote into the working directory: ${inCwd.join(', ')}`);
  return problems;
}

/** A process whose environment holds the canary: a link to its /proc/<pid>/environ is another process's secrets. */
let canaryHolder: ChildProcess;

/** Puts the hostile thing where the file was. */
async function placeHostile(file: string, hostile: Hostile, stage: Stage): Promise<void> {
  await rm(file, { recursive: true, force: true });
  await mkdir(path.dirname(file), { recursive: true });
  switch (hostile) {
    case 'fifo':
      await execa('mkfifo', [file]);
      break;
    case 'directory':
      await mkdir(path.join(file, 'inside.yaml'), { recursive: true });
      break;
    case 'self-environ':
      await symlink('/proc/self/environ', file);
      break;
    case 'canary-environ':
      await symlink(`/proc/${canaryHolder.pid}/environ`, file);
      break;
    case 'dev-zero':
      await symlink('/dev/zero', file);
      break;
    case 'dangling-link':
      await symlink(stage.outside, file);
      break;
    case 'link-loop':
      await symlink(path.basename(file), file);
      break;
  }
}

/**
 * A FIFO blocks whoever opens it without O_NONBLOCK until the other end opens. In-process that
 * would stop the test for good: after the time limit this process opens the other end (again and
 * again), so a blocked read ends (as a case over the limit) instead of hanging the run.
 */
function fifoWatchdog(fifo: string): ChildProcess {
  const script = `
    const fs = require('node:fs');
    const { O_WRONLY, O_RDONLY, O_NONBLOCK } = fs.constants;
    const file = process.argv[1];
    const buffer = Buffer.alloc(65536);
    const loop = () => {
      try { fs.closeSync(fs.openSync(file, O_WRONLY | O_NONBLOCK)); } catch {}
      try { const fd = fs.openSync(file, O_RDONLY | O_NONBLOCK); try { while (fs.readSync(fd, buffer) > 0); } catch {} fs.closeSync(fd); } catch {}
      setTimeout(loop, 20);
    };
    setTimeout(loop, ${LIMIT_MS + 200});`;
  return spawn(process.execPath, ['-e', script, fifo], { stdio: 'ignore' });
}

// ---------------------------------------------------------------------------------------------
// The cases.

interface Case {
  kind: Kind;
  index: number;
  name: string;
  ops: string[];
  /** Stage-relative file → content written for this case. */
  files: Record<string, string | Buffer>;
  /** The input file a hostile case replaces. */
  target?: string;
  hostile?: Hostile;
  env?: Record<string, string>;
  /** The participant a command is about. */
  participant: string | 'all';
  /** docs: the register by --register (else the inventory's documents.yaml). */
  registerOption: boolean;
  /** status: one participant's screen. */
  single: boolean;
}

/** Values of the variables the code reads ('<file>', '<missing>', '<long>' and '<fifo>' become paths in the stage: a regular file, a missing folder, a name too long, a FIFO). */
const ENV_VALUES: Record<string, readonly string[]> = {
  PRICHAL_WORK_CACHE: [
    '',
    ' ',
    '\t',
    '\n',
    '/dev/null',
    '/proc/self/environ',
    '<file>',
    '<missing>',
    '<long>',
    '<fifo>',
  ],
  PRICHAL_MAX_FILE_BYTES: [
    '',
    ' ',
    '-1',
    'abc',
    '1',
    '0',
    '2',
    '100',
    '1e3',
    '0x10',
    '99999999999999999999',
    'Infinity',
    '-Infinity',
    'NaN',
    '4194304.5',
    ' 64 ',
    '\u200b',
    '1_000',
  ],
  PRICHAL_VALIDATION_CACHE: ['', ' ', 'off', 'OFF', 'on', '0', 'false', ' off', '\u200b'],
  PRICHAL_PARSE_WORKERS: ['', ' ', '-1', '0', '1', '64', 'abc', '1.5', '99999999', 'Infinity'],
  PRICHAL_SECRETS_DIR: ['', ' ', '/proc/self', '/dev/null', '<missing>'],
  PRICHAL_SECRET_EDGE1: ['', 'not a key'],
  PRICHAL_SECRET_BUSTEST: ['', ':', 'user:'],
  PRICHAL_CACHE_DIR: ['', '/dev/null'],
  XDG_CACHE_HOME: ['', '/dev/null'],
  PRICHAL_PULUMI: ['', '/dev/null'],
  PRICHAL_PULUMI_BACKEND: ['', 'file://'],
  PRICHAL_PULUMI_STACKS: ['', '1'],
  PRICHAL_PULUMI_CHECKPOINTS: ['', 'every-step'],
  PRICHAL_DEBUG_EVENTS: ['', '1'],
  DEBUG_LOCK: ['', '1'],
  LANG: ['', 'C', 'POSIX', 'tr_TR.UTF-8', 'ru_RU.KOI8-R', 'xx_YY', 'en_US.UTF-8'],
  LC_ALL: ['', 'C', 'tr_TR.UTF-8', 'ru_RU.KOI8-R', 'xx_YY'],
  LANGUAGE: ['', 'ru:en', 'zz'],
  TZ: [
    '',
    'UTC',
    'Nowhere/Zone',
    'Asia/Yekaterinberg',
    ':/etc/localtime',
    'America/St_Johns',
    'Pacific/Kiritimati',
    'Etc/GMT+12',
    '<+14>-14',
  ],
  HOME: ['', '/nonexistent', '/dev/null'],
};

function generate(kind: Kind, index: number, cacheBase?: unknown): Case {
  const rnd = random(caseSeed(SEED, kind, index));
  const pick = picker(rnd);
  const c: Case = {
    kind,
    index,
    name: `${kind}#${index}`,
    ops: [],
    files: {},
    participant: pick(DOC_PARTICIPANTS),
    registerOption: true,
    single: false,
  };
  const yaml = (text: string) => {
    const m = mutateYaml(text, rnd);
    c.ops.push(...m.ops);
    return m.value;
  };
  const json = (value: unknown) => {
    const m = mutateJson(value, rnd);
    c.ops.push(...m.ops);
    return jsonText(m.value, rnd, c.ops);
  };
  switch (kind) {
    case 'register':
      c.registerOption = rnd() >= 0.2;
      c.target = c.registerOption ? 'reg/documents.yaml' : 'inv/documents.yaml';
      if (rnd() < 1 / 15) c.participant = 'all';
      c.files[c.target] = yaml(base.register);
      break;
    case 'allocations':
      c.target = 'inv/allocations.yaml';
      c.files[c.target] = yaml(base.allocations);
      break;
    case 'operator':
      c.target = 'inv/operator.yaml';
      c.files[c.target] = yaml(base.operator);
      c.participant = pick(['tmn-sosh-12', 'tmn-city-admin', 'onokhino-sp']);
      break;
    case 'probe': {
      c.participant = pick(PROBED);
      // Mostly the test protocol; a quarter as the prod one (its content still says test unless mutated).
      const contour = rnd() < 0.25 ? 'prod' : 'test';
      c.target = `probes/${contour}-${c.participant}.json`;
      c.files[c.target] = json(base.probes[c.participant]);
      c.single = rnd() < 0.3;
      break;
    }
    case 'report':
      c.target = 'reports/all.json';
      c.files[c.target] = json(base.report);
      c.single = rnd() < 0.3;
      c.participant = pick(PROBED);
      break;
    case 'certificate': {
      const name = pick(Object.keys(base.certificates));
      const m = mutateBytes(base.certificates[name]!, rnd);
      c.ops.push(`${name}: ${m.ops.join(', ')}`);
      // Half as DER, half as PEM (of the mutated DER, or the PEM text mutated as lines).
      const form = pick(['der', 'pem', 'pem-text'] as const);
      c.target = `certs/signer.${form === 'der' ? 'der' : 'pem'}`;
      if (form === 'pem-text') c.ops.splice(-1, 1, `${name} as PEM`);
      c.files[c.target] =
        form === 'der' ? m.value : form === 'pem' ? pem(m.value) : yaml(pem(base.certificates[name]!));
      c.single = rnd() < 0.5;
      break;
    }
    case 'cache': {
      c.target = 'cache/validation/CACHE';
      const text = json(cacheBase);
      // The cache is UTF-16LE after a byte-order mark; a tenth of the cases write it as UTF-8.
      c.files[c.target] =
        rnd() < 0.1
          ? (c.ops.push('written as UTF-8'), text)
          : Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      break;
    }
    case 'env': {
      const names = Object.keys(ENV_VALUES);
      const env: Record<string, string> = {};
      for (let n = 1 + Math.floor(rnd() * 4); n > 0; n--) {
        const name = pick(names);
        env[name] = pick(ENV_VALUES[name]!);
      }
      // Most cases touch the variables of the file rule and the cache.
      if (rnd() < 0.6) env.PRICHAL_WORK_CACHE = pick(ENV_VALUES.PRICHAL_WORK_CACHE!);
      if (rnd() < 0.4) env.PRICHAL_MAX_FILE_BYTES = pick(ENV_VALUES.PRICHAL_MAX_FILE_BYTES!);
      if (wedging(kind, index)) env.PRICHAL_WORK_CACHE = pick(['/proc/self', '/proc', '/proc/1']);
      c.env = env;
      c.ops.push(...Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)}`));
      c.single = rnd() < 0.3;
      break;
    }
  }
  const hostile = hostileOf(kind, index);
  if (hostile) {
    c.hostile = hostile;
    delete c.files[c.target!];
    c.ops = [`${c.target} replaced by ${hostile}`];
  }
  return c;
}

/** The environment values that name paths, made concrete for a stage. */
function concreteEnv(env: Record<string, string> | undefined, stage: Stage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env ?? {})) {
    out[k] =
      v === '<file>'
        ? path.join(stage.root, 'reports', 'all.json')
        : v === '<missing>'
          ? path.join(stage.root, 'missing', 'deep')
          : v === '<long>'
            ? path.join(stage.root, 'x'.repeat(300))
            : v === '<fifo>'
              ? path.join(stage.root, 'env-fifo')
              : v;
  }
  return out;
}

/** Whether a value would be a path relative to the working directory (then writing there is what it asks for). */
const PATH_VARIABLES = ['PRICHAL_WORK_CACHE', 'PRICHAL_CACHE_DIR', 'XDG_CACHE_HOME', 'PRICHAL_SECRETS_DIR', 'HOME'];
const relativeIn = (env: Record<string, string>) =>
  Object.entries(env).some(([k, v]) => PATH_VARIABLES.includes(k) && v.trim() !== '' && !path.isAbsolute(v));

/** Where a stage-relative input file is ('cache/validation/CACHE': the stage's validation cache file). */
const fileIn = (stage: Stage, rel: string, cacheFile: string) =>
  rel === 'cache/validation/CACHE' ? cacheFile : path.join(stage.root, rel);

/** Writes a case's input into the stage. */
async function stageCase(stage: Stage, c: Case, cacheFile: string): Promise<void> {
  const at = (rel: string) => fileIn(stage, rel, cacheFile);
  for (const [rel, content] of Object.entries(c.files)) {
    await rm(at(rel), { recursive: true, force: true });
    await mkdir(path.dirname(at(rel)), { recursive: true });
    await writeFile(at(rel), content);
  }
  if (c.hostile) await placeHostile(at(c.target!), c.hostile, stage);
  if (Object.values(c.env ?? {}).includes('<fifo>') && !existsSync(path.join(stage.root, 'env-fifo')))
    await execa('mkfifo', [path.join(stage.root, 'env-fifo')]);
}

// ---------------------------------------------------------------------------------------------
// In-process: the workflows the CLI calls.

type ValidateResult = Awaited<ReturnType<typeof validate>>;

interface Step {
  step: string;
  run: () => Promise<unknown>;
  /** What the CLI prints from the result (text output). */
  text?: (result: never) => string[];
  /**
   * A second run over what the step before it wrote, run only when that step succeeded (and, given
   * a function, when it says so of that step's result); then it must succeed too — a register docs
   * saved is a register docs accepts — and pass `check`.
   */
  again?: boolean | ((previous: never) => boolean);
  /** What must hold of the result (words saying what does not), for a second run. */
  check?: (result: never) => string | undefined;
}

function steps(c: Case, stage: Stage): Step[] {
  const inventory = stage.inv;
  const register = c.registerOption ? { register: stage.register } : {};
  const docsStep = (options: { kind?: string } = {}): Step => ({
    step: 'docs',
    run: () =>
      docs({
        inventory,
        ...(c.participant === 'all' ? { all: true } : { all: false, participant: c.participant }),
        out: stage.out,
        pdf: false,
        probes: stage.probes,
        ...register,
        ...options,
      }),
  });
  const statusStep: Step = {
    step: 'status',
    run: () =>
      status({
        inventory,
        probes: stage.probes,
        report: stage.report,
        at: AT,
        ...(c.single ? { participant: c.participant === 'all' ? 'tmn-sosh-12' : c.participant } : {}),
      }),
    text: (r: Parameters<typeof statusText>[0]) => [
      statusText(r, c.single),
      statusText({ ...r, lang: r.lang === 'ru' ? 'en' : 'ru' }, c.single),
    ],
  };
  const validateStep: Step = {
    step: 'validate',
    run: () => validate({ inventory, at: AT }),
    text: (r: Parameters<typeof validateText>[0]) => [validateText(r, 'ru'), validateText(r, 'en')],
  };
  const planStep = (save: boolean): Step => ({
    step: save ? 'plan --save' : 'plan',
    run: () => plan({ inventory, at: AT, save }),
    text: (r: Parameters<typeof planText>[0]) => [planText(r, 'ru'), planText(r, 'en')],
  });
  const auditStep: Step = {
    step: 'audit --out',
    run: () => checks({ kind: 'audit', inventory, at: AT, out: path.join(stage.out, 'reports') }),
    text: (r: Parameters<typeof checksText>[0]) => [checksText(r), checksText({ ...r, lang: 'en' })],
  };
  switch (c.kind) {
    case 'register':
      return [docsStep(), { ...docsStep(), step: 'docs again', again: true }];
    case 'allocations':
      // What plan --save wrote validates.
      return [
        validateStep,
        planStep(true),
        {
          ...validateStep,
          step: 'validate after plan --save',
          again: (r: PlanCommandResult) => r.saved !== undefined,
          check: (r: ValidateResult) =>
            r.ok
              ? undefined
              : `the allocations.yaml plan --save wrote does not validate: ${JSON.stringify(r).slice(0, 300)}`,
        },
      ];
    case 'operator':
      return [
        validateStep,
        planStep(false),
        auditStep,
        statusStep,
        docsStep(),
        { step: 'coverage', run: () => coverageCommand({ inventory, at: AT }) },
      ];
    case 'probe':
      return [statusStep, docsStep({ kind: 'protocol' })];
    case 'report':
      return [statusStep];
    case 'cache':
      return [validateStep, auditStep];
    case 'certificate': {
      const file = path.join(stage.root, c.target!);
      const show: Step = { step: 'certificate show', run: () => showCertificate(file) };
      // Import into the head's signer (its name from the certificate, or given).
      const importStep: Step = {
        step: 'certificate import',
        run: () =>
          importCertificate({
            inventory,
            participant: IMPORT_INTO,
            file,
            role: 'head',
            ...(c.single ? { name: 'Иванов Иван Иванович' } : {}),
          }),
      };
      return [show, importStep];
    }
    case 'env': {
      // validate, and one of the other four in turn.
      const others = [planStep(true), auditStep, statusStep, docsStep()];
      return [validateStep, others[c.index % 4]!];
    }
  }
}

/** Runs one case in-process; returns what went wrong, each naming the case and its input. */
async function runInProcess(
  c: Case,
  stage: Stage,
  cacheFile: string,
): Promise<{ problems: string[]; refused: number; invalid: number }> {
  const problems: string[] = [];
  let refused = 0;
  let invalid = 0;
  await stageCase(stage, c, cacheFile);
  const env = concreteEnv(c.env, stage);
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  // Coarse file times lag the clock by a tick: a margin, so that nothing the case writes is missed.
  const since = Date.now() - 50;
  const watchdogs = [
    c.hostile === 'fifo' ? fileIn(stage, c.target!, cacheFile) : undefined,
    Object.values(env).find((v) => v.endsWith('env-fifo')),
  ]
    .filter((f): f is string => f !== undefined)
    .map(fifoWatchdog);
  try {
    let previous: { result: unknown } | undefined = { result: undefined };
    for (const { step, run, text, again, check } of steps(c, stage)) {
      if (again && (!previous || (typeof again === 'function' && !again(previous.result as never)))) continue;
      previous = undefined;
      const started = performance.now();
      trace(`${c.name} ${step} (${c.ops.join('; ')})`);
      const outputs: string[] = [];
      try {
        const result = await run();
        if (
          (result as { ok?: unknown } | undefined)?.ok === false ||
          ((result as { errors?: unknown[] } | undefined)?.errors?.length ?? 0) > 0
        )
          invalid++;
        const json = JSON.stringify(result);
        JSON.parse(json);
        outputs.push(json, ...(text ? text(result as never) : []));
        previous = { result };
        const wrong = check?.(result as never);
        if (wrong) problems.push(`${step}: ${wrong}`);
      } catch (error) {
        refused++;
        const code = exitCodeOf(error);
        if (again)
          problems.push(
            `${step}: refuses what the run before it wrote: ${(error as Error)?.name}: ${String((error as Error)?.message ?? error).slice(0, 300)}`,
          );
        else if (code !== 1 && code !== 2) {
          const e = error as Error;
          problems.push(
            `${step}: ${e?.name ?? typeof error}: ${String(e?.message ?? error).slice(0, 300)} — exit ${code} [${(
              e?.stack ?? ''
            )
              .split('\n')
              .slice(1, 4)
              .map((l) => l.trim())
              .join(' / ')}]`,
          );
        }
        outputs.push(errorText(error, 'en'), errorText(error, 'ru'));
      }
      const ms = performance.now() - started;
      trace(`${c.name} ${step} ${Math.round(ms)} ms`);
      if (ms > LIMIT_MS) problems.push(`${step}: took ${Math.round(ms)} ms`);
      const canary = outputs.map(leaked).find((x) => x !== undefined);
      if (canary) problems.push(`${step}: canary ${JSON.stringify(canary)} in its output`);
    }
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    for (const w of watchdogs) w.kill('SIGKILL');
  }
  problems.push(...(await writtenProblems(stage, since, { cwdMayChange: relativeIn(env) })));
  return { problems: problems.map((p) => `${c.name} (${c.ops.join('; ')}): ${p}`), refused, invalid };
}

// ---------------------------------------------------------------------------------------------
// Through the CLI.

function commands(c: Case, stage: Stage): string[][] {
  const common = ['--inventory', stage.inv, '--format', 'json'];
  const who = c.participant === 'all' ? ['--all'] : ['--participant', c.participant];
  const register = c.registerOption ? ['--register', stage.register] : [];
  const docsCommand = (extra: string[] = []) => [
    'docs',
    ...who,
    ...register,
    '--out',
    stage.out,
    '--probes',
    stage.probes,
    ...extra,
    ...common,
  ];
  const statusCommand = [
    'status',
    '--probes',
    stage.probes,
    '--report',
    stage.report,
    '--at',
    AT,
    ...(c.single ? ['--participant', c.participant === 'all' ? 'tmn-sosh-12' : c.participant] : []),
    ...common,
  ];
  switch (c.kind) {
    case 'register':
      return [docsCommand()];
    case 'allocations':
      return [
        ['validate', '--at', AT, ...common],
        ['plan', '--save', '--at', AT, ...common],
      ];
    case 'operator':
      // validate, and one more command in turn (every command costs a Node start-up).
      return [
        ['validate', '--at', AT, ...common],
        [['audit', '--at', AT, '--out', path.join(stage.out, 'reports'), ...common], statusCommand, docsCommand()][
          Math.floor(c.index / 10) % 3
        ]!,
      ];
    case 'probe':
      return [statusCommand, docsCommand(['--kind', 'protocol'])];
    case 'report':
      return [statusCommand];
    case 'cache':
      return [['validate', '--at', AT, ...common]];
    case 'certificate': {
      const file = path.join(stage.root, c.target!);
      return [
        ['certificate', 'show', file, '--format', 'json'],
        [
          'certificate',
          'import',
          file,
          '--participant',
          IMPORT_INTO,
          '--role',
          'head',
          ...(c.single ? ['--name', 'Иванов Иван Иванович'] : []),
          ...common,
        ],
      ];
    }
    case 'env':
      return [
        ['validate', '--at', AT, ...common],
        [
          ['plan', '--save', '--at', AT, ...common],
          statusCommand,
          docsCommand(),
          ['audit', '--at', AT, '--out', path.join(stage.out, 'reports'), ...common],
        ][Math.floor(c.index / 10) % 4]!,
      ];
  }
}

/**
 * The environment of a CLI run: the test's own as it was before any case changed it (the in-process
 * cases change process.env while the CLI sample runs beside them), the canary and the stage's cache.
 */
const cliEnv = (stage: Stage): Record<string, string> => ({
  ...(savedEnv as Record<string, string>),
  ...CANARY_ENV,
  PRICHAL_WORK_CACHE: stage.cache,
});

async function runCli(c: Case, stage: Stage, cacheFile: string): Promise<string[]> {
  const problems: string[] = [];
  await stageCase(stage, c, cacheFile);
  const env = { ...cliEnv(stage), ...concreteEnv(c.env, stage) };
  const since = Date.now() - 50;
  for (const args of commands(c, stage)) {
    const started = performance.now();
    trace(`${c.name} CLI ${args.join(' ')} (${c.ops.join('; ')})`);
    const r = await execa(PRICHAL, args, {
      reject: false,
      cwd: stage.cwd,
      env,
      extendEnv: false,
      timeout: KILL_MS,
      forceKillAfterDelay: 500,
      maxBuffer: 64 * 1024 * 1024,
    });
    const ms = performance.now() - started;
    const what = `prichal ${args[0]}`;
    const stderr = String(r.stderr).trim().split('\n').slice(-3).join(' / ').slice(0, 400);
    if (r.timedOut || ms > LIMIT_MS)
      problems.push(`${what}: ${r.timedOut ? 'killed after' : 'took'} ${Math.round(ms)} ms`);
    else if (![0, 1, 2].includes(r.exitCode ?? -1)) problems.push(`${what}: exit ${r.exitCode ?? r.signal}: ${stderr}`);
    if (!r.timedOut) {
      try {
        JSON.parse(String(r.stdout));
      } catch {
        problems.push(
          `${what}: stdout is not one JSON document (${JSON.stringify(String(r.stdout).slice(0, 120))}; exit ${r.exitCode}; stderr: ${stderr})`,
        );
      }
    }
    const canary = leaked(`${r.stdout}\n${r.stderr}`);
    if (canary)
      problems.push(
        `${what}: canary ${JSON.stringify(canary)} in its ${String(r.stdout).includes(canary) ? 'stdout' : 'stderr'}`,
      );
  }
  problems.push(...(await writtenProblems(stage, since, { cwdMayChange: relativeIn(env) })));
  return problems.map((p) => `${c.name} (${c.ops.join('; ')}) via CLI: ${p}`);
}

// ---------------------------------------------------------------------------------------------

let work: string;
let savedCwd: string;

/** The base report: what `audit --out` wrote for the sample, with live findings as `drift --all` adds them. */
async function baseReport(stage: Stage): Promise<unknown> {
  await checks({ kind: 'audit', inventory: stage.inv, at: AT, out: path.join(stage.root, 'audit') });
  const report = JSON.parse(await readFile(path.join(stage.root, 'audit', 'audit.json'), 'utf8')) as {
    kind: string;
    findings: Array<Record<string, unknown>>;
    unchecked: unknown[];
    waived: unknown[];
  };
  report.kind = 'all';
  const live = (requirement: string, participant: string, contour: string, severity: string) => ({
    participant,
    contour,
    subject: `edge-1 ${participant}`,
    requirement,
    severity,
    message: `${requirement} finding of ${participant}`,
    evidence: 'set gateway_to_endpoint lacks 10.33.12.10 . 8443',
    fix: 'prichal firewall apply --edge edge-1',
  });
  report.findings.push(
    live('FW-1', 'tmn-sosh-12', 'test', 'error'),
    live('GW-1', 'tmn-city-admin', 'test', 'warning'),
    live('BUS-1', 'tmn-sosh-12', 'prod', 'error'),
  );
  report.waived.push({
    ...live('FW-2', 'tmn-city-admin', 'test', 'error'),
    waiver: { requirement: 'FW-2', reason: 'ordered', owner: 'Иванов', expires: '2026-12-31' },
  });
  report.unchecked.push({ subject: 'edge-2', reason: 'ssh: connection refused', requirements: ['FW-1', 'FW-2'] });
  await rm(path.join(stage.root, 'audit'), { recursive: true, force: true });
  return report;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'prichal-fuzz2-'));
  savedCwd = process.cwd();
  Object.assign(process.env, CANARY_ENV);
  canaryHolder = spawn('sleep', ['3600'], {
    env: { ...CANARY_ENV, PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: 'ignore',
  });
  const probes = Object.fromEntries(
    PROBED.map((id) => [
      id,
      JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', `probe-test-${id}.json`), 'utf8')),
    ]),
  );
  base = {
    operator: await readFile(path.join(SAMPLE_INVENTORY, 'operator.yaml'), 'utf8'),
    allocations: await readFile(path.join(SAMPLE_INVENTORY, 'allocations.yaml'), 'utf8'),
    register: await readFile(path.join(SAMPLE_INVENTORY, 'documents.yaml'), 'utf8'),
    probes,
    report: undefined,
    importInto: await readFile(path.join(SAMPLE_INVENTORY, 'participants', `${IMPORT_INTO}.yaml`), 'utf8'),
    certificates: Object.fromEntries(
      ['head.der', 'clerk.der', 'rogue.der'].map((n) => [
        n,
        readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'certificates', n)),
      ]),
    ),
  };
  const first = await makeStage(path.join(work, 'base'));
  process.env.PRICHAL_WORK_CACHE = first.cache;
  base.report = await baseReport(first);
}, 60_000);

afterAll(async () => {
  process.chdir(savedCwd);
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  if (canaryHolder.pid) canaryHolder.kill('SIGKILL');
  await rm(work, { recursive: true, force: true });
});

/** The validation cache of a stage: made by validating it once (in-process or by the CLI), then read as the base of the cache mutants. */
async function cacheOf(stage: Stage, cli: boolean): Promise<{ file: string; json: unknown }> {
  if (cli)
    await execa(PRICHAL, ['validate', '--inventory', stage.inv, '--at', AT, '--format', 'json'], {
      reject: false,
      cwd: stage.cwd,
      env: cliEnv(stage),
      extendEnv: false,
    });
  else await validate({ inventory: stage.inv, at: AT });
  const dir = path.join(stage.cache, 'validation');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  if (names.length !== 1) throw new Error(`expected one validation cache in ${dir}, found ${names.join(', ')}`);
  const file = path.join(dir, names[0]!);
  const bytes = await readFile(file);
  return { file, json: JSON.parse(bytes.toString('utf16le', 2)) };
}

/**
 * The CLI sample, started before the in-process cases and run beside them (they use one core, the
 * CLI's processes the other): kinds one after another, each in a stage of its own.
 */
async function cliSample(): Promise<Record<Kind, string[]>> {
  const out = {} as Record<Kind, string[]>;
  for (const kind of KINDS.filter(kindSelected)) {
    const stage = await makeStage(path.join(work, `cli-${kind}`));
    const cache = await cacheOf(stage, true);
    const files = pristine(
      kind === 'cache' ? { [path.relative(stage.root, cache.file)]: await readFile(cache.file) } : {},
    );
    const problems: string[] = [];
    for (let i = 0; i < PER_KIND; i++) {
      if (!viaCli(kind, i) || !selected(kind, i)) continue;
      await restore(stage, files);
      problems.push(...(await runCli(generate(kind, i, cache.json), stage, cache.file)));
    }
    await restore(stage, files);
    out[kind] = problems;
  }
  return out;
}

let cli: Promise<Record<Kind, string[]> | Error>;

describe(`second fuzz pass: ${PER_KIND} seeded mutants per input kind (seed ${SEED}; case <kind>#<index> replays with FUZZ_CASE)`, () => {
  beforeAll(() => {
    cli = cliSample().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  });

  it('the canary is where the hostile links lead, and found in output and in files (UTF-8 and UTF-16)', async () => {
    expect(readFileSync(`/proc/${canaryHolder.pid}/environ`, 'latin1')).toContain(CANARY_ENV.CANARY_TOKEN);
    expect(leaked(`… ${CANARY_ENV.PRICHAL_SECRET_CANARY} …`)).toBe(CANARY);
    expect(leakedBytes(Buffer.from(`x${CANARY_ENV.CANARY_TOKEN}`, 'utf16le'))).toBe(CANARY);
    expect(leakedBytes(Buffer.from(`{"key": "CANARY_TOKEN=…"}`))).toBe('CANARY_TOKEN');
    expect(leakedBytes(Buffer.from('nothing here'))).toBeUndefined();
  });

  for (const kind of KINDS) {
    it.skipIf(!kindSelected(kind))(
      `${kind}: every mutant ends in a result or a named refusal, within ${LIMIT_MS / 1000} s, with no canary, no stray write`,
      async () => {
        const stage = await makeStage(path.join(work, kind));
        process.env.PRICHAL_WORK_CACHE = stage.cache;
        process.chdir(stage.cwd);
        try {
          const cache = await cacheOf(stage, false);
          const files = pristine(
            kind === 'cache' ? { [path.relative(stage.root, cache.file)]: await readFile(cache.file) } : {},
          );
          const problems: string[] = [];
          let refused = 0;
          let invalid = 0;
          let ran = 0;
          for (let i = 0; i < PER_KIND; i++) {
            if (!inProcess(kind, i) || !selected(kind, i)) continue;
            await restore(stage, files);
            const c = generate(kind, i, cache.json);
            const r = await runInProcess(c, stage, cache.file);
            problems.push(...r.problems);
            refused += r.refused ? 1 : 0;
            invalid += r.invalid && !r.refused ? 1 : 0;
            ran++;
          }
          await restore(stage, files);
          // How hostile the mutants were, for the log: cases refused by some command (a named error), cases with findings or errors in a result.
          console.log(
            `${kind}: ${ran} cases in-process, ${refused} refused, ${invalid} more with findings, ${problems.length} problems`,
          );
          expect(problems).toEqual([]);
        } finally {
          process.chdir(savedCwd);
        }
      },
      240_000,
    );
  }

  it('a sample of every kind through the CLI (--format json): exit 0, 1 or 2, one JSON document on stdout, within the limit, no canary', async () => {
    const result = await cli;
    if (result instanceof Error) throw result;
    expect(result).toEqual(Object.fromEntries(KINDS.filter(kindSelected).map((k) => [k, []])));
  }, 400_000);
});
