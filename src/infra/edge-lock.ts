// Prichal's lock on an operator's host (~/.prichal/lock, flock): every apply there (the firewall's
// table, the channel's links and routes) runs under it, every drift read after it.
import type { SshConnection } from './ssh.js';

/** Prichal's directory on a host, relative to the SSH user's home. */
export const HOST_DIR = '.prichal';
const DIR = HOST_DIR;
const LOCK_WAIT_S = 300;

/**
 * Runs a command that reads or changes Prichal's state on the host under the host's lock
 * (~/.prichal/lock, flock). Every process the command starts inherits the lock, so a command
 * orphaned by a lost connection (sshd lets it finish) holds it until it ends: the next apply
 * waits, then sees what the orphan did, and two operators' applies never interleave.
 */
export function locked(conn: SshConnection, command: string, options: Parameters<SshConnection['exec']>[1] = {}) {
  return conn.exec(
    `mkdir -p ${DIR} && exec 9>>${DIR}/lock && { flock -w ${LOCK_WAIT_S} 9 || { echo "another apply has held ${DIR}/lock on this host for ${LOCK_WAIT_S} s" >&2; exit 75; }; } && { ${command}
}`,
    options,
  );
}

/**
 * Runs a read-only command once no apply holds the host's lock (a shared hold of
 * ~/.prichal/lock, when Prichal has applied there), for drift. A listing taken while a large
 * table commits can fail, and a nightly drift run during an apply would report the edge as not
 * checked. The lock file is opened for reading: drift never writes on a host.
 */
export function readAfterApplies(conn: SshConnection, command: string) {
  return conn.exec(
    `if [ -e ${DIR}/lock ]; then exec 9<${DIR}/lock && flock -s -w ${LOCK_WAIT_S} 9 || { echo "an apply has held ${DIR}/lock on this host for ${LOCK_WAIT_S} s" >&2; exit 75; }; fi; ${command}`,
  );
}
