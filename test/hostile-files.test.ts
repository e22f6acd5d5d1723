// Hostile and broken files named *.yaml: each is a located finding with its path —
// never a raw EISDIR/ELOOP/stack overflow, never a hang on a FIFO, never an alias bomb stopping
// the run — and `--format json` stays valid JSON for all of them at once.
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/inventory/index.js';
import { prichal } from './helpers/cli.js';
import { inventoryWith, removeInventory } from './helpers/inventory.js';

let dir: string;
let findings: Finding[];
let code: number;
let output: string;

const bomb = () => {
  let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 12; i++)
    text += `a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  return text;
};

/** file → what its finding must say (code and message). */
const CASES: Record<string, [string, RegExp]> = {
  'fifo.yaml': ['file-unreadable', /not a regular file \(a FIFO/],
  'folder.yaml': ['file-unreadable', /a directory, not a file/],
  'device.yaml': ['file-unreadable', /a symbolic link that leads outside/],
  'environ.yaml': ['file-unreadable', /a symbolic link that leads outside/],
  'upward.yaml': ['file-unreadable', /a symbolic link that leads outside/],
  'loop.yaml': ['file-unreadable', /symbolic link loop/],
  'dangling.yaml': ['file-unreadable', /dangling symbolic link/],
  'empty.yaml': ['file-empty', /the file is empty/],
  'comments.yaml': ['file-empty', /the file is empty \(or holds only comments\)/],
  'utf16.yaml': ['file-unreadable', /not UTF-8 \(a UTF-16 byte-order mark\)/],
  'latin1.yaml': ['file-unreadable', /not UTF-8 \(invalid byte sequence\)/],
  'huge.yaml': ['file-unreadable', /more than the 4194304 bytes a file may have \(PRICHAL_MAX_FILE_BYTES\)/],
  'bomb.yaml': ['yaml-syntax', /Excessive alias count/],
  'unresolved.yaml': ['yaml-syntax', /Unresolved alias/],
  'deep.yaml': ['yaml-syntax', /nested too deeply to read/],
};

beforeAll(async () => {
  dir = await inventoryWith([]);
  const p = (name: string) => path.join(dir, 'participants', name);
  execFileSync('mkfifo', [p('fifo.yaml')]);
  await mkdir(p('folder.yaml'));
  await symlink('/dev/zero', p('device.yaml'));
  // A link committed in a pull request: CI's environment (its secrets) must never reach a finding.
  await symlink('/proc/self/environ', p('environ.yaml'));
  await symlink('../../../../../../../../etc/passwd', p('upward.yaml'));
  await symlink('loop.yaml', p('loop.yaml'));
  await symlink('nowhere.yaml', p('dangling.yaml'));
  await writeFile(p('empty.yaml'), '');
  await writeFile(p('comments.yaml'), '# nothing here yet\n');
  await writeFile(p('utf16.yaml'), Buffer.from('\ufeffid: x\n', 'utf16le'));
  await writeFile(p('latin1.yaml'), Buffer.from([0x69, 0x64, 0x3a, 0x20, 0xe9, 0x0a]));
  await writeFile(p('huge.yaml'), `name: "${'a'.repeat(5_000_000)}"\n`);
  await writeFile(p('bomb.yaml'), bomb());
  await writeFile(p('unresolved.yaml'), 'id: unresolved\nname: *nope\n');
  await writeFile(p('deep.yaml'), `id: deep\nname: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
  await writeFile(p('biglist.yaml'), `networks:\n${Array(70_000).fill('  - 1').join('\n')}\n`);
  const r = await prichal(['validate', '--inventory', dir, '--format', 'json'], {
    env: { PRICHAL_CANARY: 'canary-7f3a9 secret value' },
  });
  output = r.stdout + r.stderr;
  code = r.code;
  findings = (JSON.parse(r.stdout) as { errors: Finding[] }).errors;
}, 60_000);

afterAll(() => removeInventory(dir));

describe('hostile files named *.yaml', () => {
  it('end in one valid JSON document with exit 1 (no hang, no crash)', () => {
    expect(code).toBe(1);
  });

  it.each(Object.entries(CASES))('%s is a located finding with its path', (file, [expectedCode, message]) => {
    const mine = findings.filter((f) => f.file === `participants/${file}`);
    expect(mine.map((f) => f.code)).toEqual([expectedCode]);
    expect(mine[0]!.message).toMatch(message);
    expect(mine[0]!.line).toBeGreaterThanOrEqual(1);
  });

  it('a 70,000-item list is reported without overflowing the stack, capped at 100 schema errors and a count', () => {
    const mine = findings.filter((f) => f.file === 'participants/biglist.yaml');
    expect(mine.length).toBe(101);
    expect(
      mine.filter((f) => /^and 69\d{3} more schema errors in this file, not listed$/.test(f.message)),
    ).toHaveLength(1);
  });

  it('a link out of the inventory is never read: the environment behind /proc/self/environ appears nowhere', () => {
    expect(output).not.toContain('canary-7f3a9');
    expect(output).not.toContain('PRICHAL_CANARY');
    expect(output).not.toContain('root:x:0:0');
  });

  it('the sample participants are still validated beside them', () => {
    expect(findings.filter((f) => f.file === 'participants/tmn-sosh-12.yaml')).toEqual([]);
  });
});
