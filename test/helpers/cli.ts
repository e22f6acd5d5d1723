// Runs the built CLI (bin/prichal → dist) as a user would, on the project's Node; likewise the
// lab's own command (bin/prichal-lab).
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../../src/project.js';

export const PRICHAL = path.join(PROJECT_ROOT, 'bin', 'prichal');
const PRICHAL_LAB = path.join(PROJECT_ROOT, 'bin', 'prichal-lab');

export async function prichal(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; bin?: string } = {},
) {
  const result = await execa(options.bin ?? PRICHAL, args, {
    reject: false,
    cwd: options.cwd ?? PROJECT_ROOT,
    ...(options.env ? { env: options.env } : {}),
  });
  return { code: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The lab's own command (bin/prichal-lab), run the same way. */
export const prichalLab = (args: string[]) => prichal(args, { bin: PRICHAL_LAB });
