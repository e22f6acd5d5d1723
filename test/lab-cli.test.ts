// The lab's own command, bin/prichal-lab, speaks like prichal: help in Russian by default and in
// English with --lang en, every description worded in both, commander's usage errors as exit 2
// (one JSON document under --format json). Its commands that touch Docker are covered by the
// integration suite, whose global setup starts the lab.
import { describe, expect, it } from 'vitest';
import { buildLabProgram } from '../lab/cli.js';
import { helpDescriptions } from '../src/cli/help-ru.js';
import { prichalLab as lab } from './helpers/cli.js';

describe('prichal-lab', () => {
  it('declares every description in both languages', () => {
    const en = helpDescriptions(buildLabProgram('en'));
    const ru = helpDescriptions(buildLabProgram('ru'));
    expect(ru).toHaveLength(en.length);
    expect(en.filter((d, i) => ru[i] === d)).toEqual([]);
  });

  it('--help is Russian by default and English with --lang en', async () => {
    const ru = await lab(['up', '--help']);
    expect(ru.code).toBe(0);
    expect(ru.stdout).toMatch(/^Использование: prichal-lab up/m);
    expect(ru.stdout).toContain('без узлов точек участников');
    expect(ru.stdout).not.toMatch(/^(Usage|Options):/m);
    const en = await lab(['--help', '--lang', 'en']);
    expect(en.stdout).toMatch(/^Usage: prichal-lab/m);
    for (const command of ['up', 'down', 'status']) expect(en.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    // Gateways are not the lab's: `prichal up` provisions them.
    expect(en.stdout).not.toMatch(/^ {2}gateways /m);
  });

  it('a wrong invocation exits 2, with one JSON document under --format json', async () => {
    const unknown = await lab(['restart', '--format', 'json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({
      kind: 'UsageError',
      code: 'commander.unknownCommand',
      exitCode: 2,
    });
    const option = await lab(['up', '--no-such-option', '--lang', 'en']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/unknown option '--no-such-option'/);
  });
});
