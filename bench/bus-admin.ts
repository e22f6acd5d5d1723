// The lab bus's management API as its administrator, for benchmarks that set up and remove
// their own vhosts and users. A missing object (404) is not an error: cleanup may find it gone.
import { readCredentials } from '../src/infra/secrets.js';

export async function busAdmin(
  method: string,
  url: string,
  apiPath: string,
  credentials: string,
  body?: unknown,
): Promise<Response> {
  const { username, password } = await readCredentials(credentials);
  const response = await fetch(new URL(`/api${apiPath}`, url), {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok && response.status !== 404) throw new Error(`${method} ${apiPath}: ${response.status}`);
  return response;
}

/**
 * Deletes those of `users` that exist, in batches: the broker answers 400 to a bulk delete naming
 * a missing user, and closes the connection on one request for 10,000.
 */
export async function deleteUsers(url: string, users: readonly string[], credentials: string): Promise<void> {
  const existing = new Set(
    ((await (await busAdmin('GET', url, '/users?columns=name', credentials)).json()) as Array<{ name: string }>).map(
      (u) => u.name,
    ),
  );
  const present = users.filter((u) => existing.has(u));
  for (let i = 0; i < present.length; i += 500)
    await busAdmin('POST', url, '/users/bulk-delete', credentials, { users: present.slice(i, i + 500) });
}
