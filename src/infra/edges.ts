// SSH sessions to the operator's hosts (edges, the hub): the one way every stage connects
// (pinned host key, key from the named secret), and the planned tables applied through them.
import type { PlannedEdge } from '../plan/index.js';
import { applyEdgeFirewall, type ApplyOptions, type ApplyResult } from './firewall.js';
import { readSecret } from './secrets.js';
import { SshConnection, type SshOptions, type SshTarget } from './ssh.js';

/** A host as operator.yaml names it: where, the pinned key, and the name of the secret holding the private key. */
export type HostSsh = SshTarget & { credentials: string };

/** The key is read from the secret store by the credentials name unless given (the engine's provider gets it as a Pulumi secret). */
export async function connectHost(ssh: HostSsh, options: SshOptions = {}, privateKey?: string): Promise<SshConnection> {
  const key = privateKey ?? (await readSecret(ssh.credentials));
  return SshConnection.connect({ host: ssh.host, port: ssh.port, user: ssh.user, hostKey: ssh.hostKey }, key, options);
}

/** One connection for `work`, closed whatever happens. */
export async function withHost<T>(
  ssh: HostSsh,
  work: (conn: SshConnection) => Promise<T>,
  options: SshOptions = {},
  privateKey?: string,
): Promise<T> {
  const conn = await connectHost(ssh, options, privateKey);
  try {
    return await work(conn);
  } finally {
    conn.close();
  }
}

export const connectEdge = (edge: PlannedEdge, options: SshOptions = {}, privateKey?: string) =>
  connectHost(edge.ssh, options, privateKey);

export const withEdge = <T>(
  edge: PlannedEdge,
  work: (conn: SshConnection) => Promise<T>,
  options: SshOptions = {},
  privateKey?: string,
) => withHost(edge.ssh, work, options, privateKey);

/** Applies the planned table to each edge in turn (each atomic, verified, rolled back on failure). */
export async function applyFirewalls(
  edges: readonly PlannedEdge[],
  options: Pick<ApplyOptions, 'full' | 'verify'> = {},
): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  for (const edge of edges) results.push(await withEdge(edge, (conn) => applyEdgeFirewall(conn, edge, options)));
  return results;
}
