// Secrets by name: the inventory names a secret (`credentials: edge1`), never holds it.
// Looked up in the environment (PRICHAL_SECRET_EDGE1) first, then in the secrets folder
// (PRICHAL_SECRETS_DIR, default .state/secrets/<name>). Values are never logged or put in errors.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../project.js';
import { WordedError } from '../words.js';

/** The passphrase of the Pulumi state's secrets provider (a secret like the SSH keys). */
export const PASSPHRASE_SECRET = 'pulumi-passphrase';

export class SecretMissingError extends WordedError {
  override readonly name = 'SecretMissingError';
  constructor(readonly secret: string) {
    const file = path.join(secretsDir(), secret);
    super({ en: `secret '${secret}' is not set: export ${envName(secret)} or write it to ${file}`, ru: `секрет '${secret}' не задан: экспортируйте ${envName(secret)} или запишите его в ${file}` });
  }
}

export function secretsDir(): string {
  return process.env.PRICHAL_SECRETS_DIR ?? path.join(PROJECT_ROOT, '.state', 'secrets');
}

function envName(secret: string): string {
  return `PRICHAL_SECRET_${secret.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
}

export async function readSecret(name: string): Promise<string> {
  const fromEnv = process.env[envName(name)];
  if (fromEnv) return fromEnv;
  try {
    return await readFile(path.join(secretsDir(), name), 'utf8');
  } catch {
    throw new SecretMissingError(name);
  }
}

/** Bus administrator credentials are stored as "user:password". */
export async function readCredentials(name: string): Promise<{ username: string; password: string }> {
  const value = (await readSecret(name)).trim();
  const colon = value.indexOf(':');
  if (colon <= 0) throw new Error(`secret '${name}' must have the form user:password`);
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}
