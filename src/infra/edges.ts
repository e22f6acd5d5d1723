// Sessions to edge hosts: the one way every stage connects (pinned host key, key from the
// named secret) and applies the planned table.
import type { PlannedEdge } from '../plan/index.js';
import { applyEdgeFirewall, type ApplyResult } from './firewall.js';
import { readSecret } from './secrets.js';
import { SshConnection, type SshOptions } from './ssh.js';

/** The key is read from the secret store by the edge's credentials name unless given (the engine's provider gets it as a Pulumi secret). */
export async function connectEdge(edge: PlannedEdge, options: SshOptions = {}, privateKey?: string): Promise<SshConnection> {
  const key = privateKey ?? (await readSecret(edge.ssh.credentials));
  return SshConnection.connect({ host: edge.ssh.host, port: edge.ssh.port, user: edge.ssh.user, hostKey: edge.ssh.hostKey }, key, options);
}

/** One connection for `work`, closed whatever happens. */
export async function withEdge<T>(edge: PlannedEdge, work: (conn: SshConnection) => Promise<T>, options: SshOptions = {}, privateKey?: string): Promise<T> {
  const conn = await connectEdge(edge, options, privateKey);
  try {
    return await work(conn);
  } finally {
    conn.close();
  }
}

/** Applies the planned table to each edge in turn (each atomic, verified, rolled back on failure). */
export async function applyFirewalls(edges: readonly PlannedEdge[]): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  for (const edge of edges) results.push(await withEdge(edge, (conn) => applyEdgeFirewall(conn, edge)));
  return results;
}
