// Long runs say how far they are on a terminal — «документы: 12/40», one line rewritten in place
// and cleared at the end — and nothing in a log, a pipe, or JSON read by a program: docs (a PDF a
// second), validate and audit (seconds on 10,000 participants), drift (the live reads).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressLine, type ProgressStreams } from '../src/cli/terminal.js';
import { PRICHAL, prichal } from './helpers/cli.js';
import { editedInventories } from './helpers/inventory.js';

const DOCUMENTS = { en: 'documents', ru: 'документы' };
const CLEAR = '\x1b[K';

/** Streams as a terminal (or not) would be, keeping what is written. */
function streams(stderrTTY: boolean, stdoutTTY: boolean): ProgressStreams & { written: string[] } {
  const written: string[] = [];
  return {
    written,
    stderr: { isTTY: stderrTTY, write: (text: string) => written.push(text) },
    stdout: { isTTY: stdoutTTY },
  };
}

describe('the progress line', () => {
  it('on a terminal: the step and its count, rewritten in place, at most every 100 ms within a step, cleared at the end', () => {
    const tty = streams(true, true);
    let clock = 0;
    const line = progressLine('ru', 'text', tty, () => clock)!;
    line.report(DOCUMENTS, 1, 3);
    clock += 10;
    line.report(DOCUMENTS, 2, 3); // too soon: not drawn
    clock += 200;
    line.report(DOCUMENTS, 3, 3);
    line.report({ en: 'rules', ru: 'правила' }, 1, 2); // a new step: drawn at once
    line.end();
    expect(tty.written).toEqual([
      `\rдокументы: 1/3${CLEAR}`,
      `\rдокументы: 3/3${CLEAR}`,
      `\rправила: 1/2${CLEAR}`,
      `\r${CLEAR}`,
    ]);
    const english = streams(true, true);
    progressLine('en', 'text', english)!.report(DOCUMENTS, 1, 40);
    expect(english.written).toEqual([`\rdocuments: 1/40${CLEAR}`]);
  });

  it('quiet when stderr is no terminal, and when JSON goes to a program; JSON on a terminal still shows it', () => {
    expect(progressLine('ru', 'text', streams(false, true))).toBeUndefined();
    expect(progressLine('ru', 'text', streams(false, false))).toBeUndefined();
    expect(progressLine('ru', 'json', streams(true, false))).toBeUndefined();
    expect(progressLine('ru', 'json', streams(true, true))).toBeDefined();
    // Nothing drawn, nothing cleared.
    const silent = streams(true, true);
    progressLine('ru', 'text', silent)!.end();
    expect(silent.written).toEqual([]);
  });
});

describe('the commands', () => {
  const edited = editedInventories();
  let dir: string;
  let out: string;
  beforeAll(async () => {
    dir = await edited([]);
    out = await mkdtemp(path.join(tmpdir(), 'prichal-progress-'));
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  /** The command under a pseudo-terminal (script(1)): stdout and stderr both a terminal. */
  const onTerminal = async (command: string) => {
    const r = await execa('script', ['-qec', command, '/dev/null'], { reject: false, timeout: 120_000 });
    return { code: r.exitCode, output: r.stdout };
  };
  const quoted = (args: string[]) => args.map((a) => `'${a}'`).join(' ');
  /** docs --all into a folder of its own, with no drift history (the acts state the channel unchecked). */
  const docsAll = (folder: string) => [
    'docs',
    '--all',
    '--inventory',
    dir,
    '--out',
    path.join(out, folder),
    '--history',
    path.join(out, 'none.jsonl'),
  ];

  it('docs --all, validate and audit draw their progress on a terminal and clear it', async () => {
    const docs = await onTerminal(quoted([PRICHAL, ...docsAll('tty-documents')]));
    const total = /документы: (\d+)\/(\d+)/.exec(docs.output);
    expect(total, docs.output).not.toBeNull();
    expect(docs.output).toContain(`\rдокументы: ${total![2]}/${total![2]}${CLEAR}`);
    expect(Number(total![2])).toBeGreaterThan(5);
    // Cleared before the result is printed.
    expect(docs.output.lastIndexOf(`\r${CLEAR}`)).toBeGreaterThan(docs.output.lastIndexOf('документы:'));

    const validate = await onTerminal(quoted([PRICHAL, 'validate', '--inventory', dir]));
    expect(validate.code, validate.output).toBe(0);
    expect(validate.output).toMatch(/\rправила: \d+\/\d+\x1b\[K/);
    expect(validate.output).toMatch(/\rразбор файлов: \d+\/\d+\x1b\[K/);

    const audit = await onTerminal(quoted([PRICHAL, 'audit', '--inventory', dir, '--at', '2026-11-23']));
    expect(audit.output).toMatch(/\rаудит: 15\/15\x1b\[K/);
    expect(audit.output).toMatch(/\r\x1b\[K/);
  });

  it('quiet in a pipe or a log, and with --format json piped to a program even on a terminal', async () => {
    const piped = await prichal(docsAll('piped-documents'));
    expect(piped.stdout).toMatch(/\.md, /);
    expect(piped.stderr).not.toMatch(/документы:|\r/);
    const audit = await prichal(['audit', '--inventory', dir, '--at', '2026-11-23']);
    expect(audit.stderr).not.toMatch(/аудит:|\r/);
    const json = await onTerminal(`${quoted([PRICHAL, 'validate', '--inventory', dir, '--format', 'json'])} | cat`);
    expect(json.output).not.toMatch(/правила:|разбор файлов:/);
    expect(JSON.parse(json.output.replace(/\r/g, ''))).toMatchObject({ ok: true });
  });
});
