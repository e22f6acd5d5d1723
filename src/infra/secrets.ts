// Secrets by name: the inventory names a secret (`credentials: edge1`), never holds it.
// Looked up in the environment (PRICHAL_SECRET_EDGE1) first, then in the secrets folder
// (PRICHAL_SECRETS_DIR, default .state/secrets/<name>). Values are never logged or put in errors.
import path from 'node:path';
import { PROJECT_ROOT } from '../project.js';
import { WordedError } from '../words.js';
import { envSetting, FileError, readTextOutcome } from '../files.js';

/** The passphrase of the Pulumi state's secrets provider (a secret like the SSH keys). */
export const PASSPHRASE_SECRET = 'pulumi-passphrase';

export class SecretMissingError extends WordedError {
  override readonly name = 'SecretMissingError';
  constructor(readonly secret: string) {
    const file = path.join(secretsDir(), secret);
    super({
      en: `secret '${secret}' is not set: export ${envName(secret)} or write it to ${file}`,
      ru: `секрет '${secret}' не задан: экспортируйте ${envName(secret)} или запишите его в ${file}`,
    });
  }
}

/** Where secret files live: PRICHAL_SECRETS_DIR (set but empty means unset), else .state/secrets. */
export function secretsDir(): string {
  return envSetting('PRICHAL_SECRETS_DIR') ?? path.join(PROJECT_ROOT, '.state', 'secrets');
}

/** A secret whose value does not have the form its use needs (never quoted: it is a secret). */
export class SecretFormatError extends WordedError {
  override readonly name = 'SecretFormatError';
}

function envName(secret: string): string {
  return `PRICHAL_SECRET_${secret.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
}

/** The environment variable a secret is read from: PRICHAL_SECRET_ + its name upper-cased, every character but letters and digits as _. */
export const secretVariable = envName;

/**
 * Secret names that read one environment variable (`bus-test`, `bus_test`, `Bus-Test`): one of
 * them would silently get the other's value. Each clash with its variable and its names, sorted.
 */
export function collidingSecretNames(names: Iterable<string>): Array<{ variable: string; names: string[] }> {
  const byVariable = new Map<string, Set<string>>();
  for (const name of names) byVariable.set(envName(name), (byVariable.get(envName(name)) ?? new Set()).add(name));
  return [...byVariable]
    .filter(([, set]) => set.size > 1)
    .map(([variable, set]) => ({ variable, names: [...set].sort() }))
    .sort((a, b) => (a.variable < b.variable ? -1 : 1));
}

/**
 * A secret's value: the environment variable (set but empty means unset), else its file, read by
 * the file rule — a regular file only, opened without blocking, size-limited: a FIFO or a device
 * in the secrets folder is a FileError naming the file (never its content), not a hang.
 */
export async function readSecret(name: string): Promise<string> {
  const fromEnv = envSetting(envName(name));
  if (fromEnv !== undefined) return fromEnv;
  const file = path.join(secretsDir(), name);
  const read = readTextOutcome(file, { limit: 1024 * 1024 });
  if ('missing' in read) throw new SecretMissingError(name);
  if ('problem' in read) throw new FileError(file, read.problem);
  return read.text;
}

/** Bus administrator credentials are stored as "user:password". */
export async function readCredentials(name: string): Promise<{ username: string; password: string }> {
  const value = (await readSecret(name)).trim();
  const colon = value.indexOf(':');
  if (colon <= 0)
    throw new SecretFormatError({
      en: `secret '${name}' must have the form user:password`,
      ru: `секрет '${name}' должен иметь вид пользователь:пароль`,
    });
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}
