// For engine tests that look at a stack's state from outside, as an operator would with the
// engine's own CLI (the binary setup built): import a checkpoint, export one (secrets left
// encrypted), and run prichal against a backend of the test's own.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { enginePath, type EngineResult } from '../../src/infra/pulumi/engine.js';
import type { Deployment } from '../../src/infra/pulumi/upgrade.js';
import { PROJECT_ROOT } from '../../src/project.js';
import { prichal } from '../helpers/cli.js';
import { SAMPLE_INVENTORY } from '../helpers/inventory.js';

/** The engine's CLI on one backend with one passphrase, in a scratch project folder. */
export async function engineCli(backend: string, passphrase: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'prichal-cli-'));
  await writeFile(path.join(dir, 'Pulumi.yaml'), 'name: prichal\nruntime: nodejs\n');
  const env = {
    PULUMI_BACKEND_URL: backend,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: 'true',
  };
  const run = async (args: string[]) =>
    (await execa(enginePath() ?? 'pulumi', [...args, '--non-interactive'], { cwd: dir, env })).stdout;
  return {
    /** Creates the stack and imports a checkpoint file into it. */
    async importStack(stack: string, file: string) {
      await run(['stack', 'init', stack, '--secrets-provider', 'passphrase']);
      await run(['stack', 'import', '--stack', stack, '--file', file]);
    },
    /** The stack's checkpoint (`pulumi stack export`: secrets as the backend holds them, encrypted). */
    async exportStack(stack: string): Promise<Deployment> {
      return (JSON.parse(await run(['stack', 'export', '--stack', stack])) as { deployment: Deployment }).deployment;
    },
    async close() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs prichal with its own backend (and, when given, passphrase and secrets folder); JSON parsed
 * when there is any. With `project`, the prichal of that copy of the project, run from it.
 */
export function engineRun(env: Record<string, string>, project?: string) {
  const where = project ? { bin: path.join(project, 'bin', 'prichal'), cwd: project } : {};
  return async (args: string[], inventory = SAMPLE_INVENTORY) => {
    const r = await prichal([...args, '--inventory', inventory, '--format', 'json'], { env, ...where });
    let json: EngineResult | undefined;
    try {
      json = r.stdout.trim().startsWith('{') ? (JSON.parse(r.stdout) as EngineResult) : undefined;
    } catch {
      json = undefined;
    }
    return { ...r, json };
  };
}

/** Every file of a file:// backend, concatenated (checkpoints, their backups and history): where a leaked secret would show. */
export async function backendText(dir: string): Promise<string> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    files.filter((f) => f.isFile()).map((f) => readFile(path.join(f.parentPath, f.name), 'utf8')),
  );
  return texts.join('\n');
}

/**
 * A copy of the installed project at another path: what a second clone would run. Without
 * `stacks`, the copy gets an empty stacks folder for the test to write its own settings into.
 */
export async function copyProject(dir: string, options: { stacks?: boolean } = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const entries = [
    'bin',
    'dist',
    'package.json',
    'templates',
    'inventory',
    ...(options.stacks === false ? [] : ['stacks']),
  ];
  for (const entry of entries)
    await cp(path.join(PROJECT_ROOT, entry), path.join(dir, entry), { recursive: true, verbatimSymlinks: true });
  await mkdir(path.join(dir, 'src', 'inventory'), { recursive: true });
  await cp(path.join(PROJECT_ROOT, 'src', 'inventory', 'schema'), path.join(dir, 'src', 'inventory', 'schema'), {
    recursive: true,
  });
  await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  await symlink(path.join(PROJECT_ROOT, '.tools'), path.join(dir, '.tools'));
  if (options.stacks === false) await mkdir(path.join(dir, 'stacks'));
  return dir;
}
