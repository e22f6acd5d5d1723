// A thin wrapper over the Docker CLI (execa): every lab and gateway operation goes through
// here, so that errors carry the command and Docker's own message.
import { shortHash } from '../hash.js';
import { execa } from 'execa';

export class DockerError extends Error {
  override readonly name = 'DockerError';
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
  ) {
    super(
      `docker ${args.slice(0, 3).join(' ')} failed (exit ${exitCode ?? '?'}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
  }
}

export async function docker(
  args: readonly string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const result = await execa('docker', args, {
    reject: false,
    ...(options.input === undefined ? {} : { input: options.input }),
    timeout: options.timeoutMs ?? 120_000,
  });
  if (result.exitCode !== 0) throw new DockerError(args, result.exitCode, String(result.stderr ?? ''));
  return String(result.stdout ?? '');
}

/** `docker <kind> inspect` for many objects in one call; missing ones are left out, not errors. */
export async function inspectMany<T>(kind: 'container' | 'network' | 'image', names: readonly string[]): Promise<T[]> {
  if (names.length === 0) return [];
  const result = await execa('docker', [kind, 'inspect', ...names], { reject: false });
  // inspect exits 1 when any name is missing but still prints the ones it found.
  const out = String(result.stdout ?? '').trim();
  return out ? (JSON.parse(out) as T[]) : [];
}

/** Names of the containers (running or not) matching every filter (`label=…`, `network=…`), sorted. */
export async function listContainers(...filters: string[]): Promise<string[]> {
  return (await docker(['ps', '-a', ...filters.flatMap((f) => ['--filter', f]), '--format', '{{.Names}}']))
    .split('\n')
    .filter(Boolean)
    .sort();
}

export async function listByLabel(kind: 'container' | 'network', label: string): Promise<string[]> {
  if (kind === 'container') return listContainers(`label=${label}`);
  return (await docker(['network', 'ls', '--filter', `label=${label}`, '--format', '{{.Name}}']))
    .split('\n')
    .filter(Boolean)
    .sort();
}

/** Label holding the hash of the specification a container was created from. */
export const SPEC_LABEL = 'prichal.spec-hash';

export interface ContainerState {
  Name: string;
  State: { Running: boolean; Status: string };
  Config: { Labels: Record<string, string> };
}

/**
 * Keeps a running container whose spec-hash label matches `spec`; otherwise removes it and
 * calls `create` with the labels (the spec hash included) the new container must carry.
 */
export async function ensureContainer(
  name: string,
  spec: unknown,
  current: ReadonlyMap<string, ContainerState>,
  labels: Record<string, string>,
  create: (labelArgs: Record<string, string>) => Promise<void>,
): Promise<'kept' | 'created'> {
  const hash = shortHash(JSON.stringify(spec));
  const existing = current.get(name);
  if (existing?.State.Running && existing.Config.Labels[SPEC_LABEL] === hash) return 'kept';
  if (existing) await docker(['rm', '-f', name]);
  await create({ ...labels, [SPEC_LABEL]: hash });
  return 'created';
}

export const labelArgs = (labels: Record<string, string>): string[] =>
  Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
