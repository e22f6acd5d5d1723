// The lab bus's management API as its administrator, for benchmarks that set up and remove
// their own vhosts and users. A missing object (404) is not an error: cleanup may find it gone.
import { readCredentials } from '../src/infra/secrets.js';

export async function busAdmin(method: string, url: string, apiPath: string, credentials: string, body?: unknown): Promise<Response> {
  const { username, password } = await readCredentials(credentials);
  const response = await fetch(new URL(`/api${apiPath}`, url), { method, headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!response.ok && response.status !== 404) throw new Error(`${method} ${apiPath}: ${response.status}`);
  return response;
}
