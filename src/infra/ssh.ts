// SSH to edge hosts with ssh2: the host key is pinned by its SHA256 fingerprint from the
// inventory (unknown or different key: refuse), key authentication only, one connection per
// host reused for every command, timeouts on connect and on each command. Errors name host,
// command, exit code and stderr, never the key.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { Client, type ConnectConfig } from 'ssh2';

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  /** 'SHA256:<base64 without padding>' as printed by ssh-keygen -lf. */
  hostKey: string;
}

export type SshErrorKind = 'host-key-mismatch' | 'connect' | 'auth' | 'timeout' | 'command' | 'disconnected';

/** The command that failed, how it ended, and (`cause`) the error of the SSH library or socket underneath. */
export interface SshErrorDetails extends ErrorOptions {
  command?: string;
  exitCode?: number | null;
  stderr?: string;
}

export class SshError extends Error {
  override readonly name = 'SshError';
  readonly command?: string;
  readonly exitCode?: number | null;
  readonly stderr?: string;
  constructor(
    readonly kind: SshErrorKind,
    readonly host: string,
    message: string,
    details: SshErrorDetails = {},
  ) {
    super(message, 'cause' in details ? { cause: details.cause } : undefined);
    this.command = details.command;
    this.exitCode = details.exitCode;
    this.stderr = details.stderr;
  }
}

export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export interface CommandResult {
  stdout: string;
  /** stdout as bytes, for binary output (a compressed file). */
  stdoutBytes: Buffer;
  stderr: string;
  exitCode: number;
}

/**
 * How long an SSH handshake may take by default: a host starting or removing hundreds of
 * containers answers slowly (measured on the lab: past 10 s with 400 gateways starting on two
 * cores), and an apply that gives up fails the whole run. Past two minutes the host is taken as
 * unreachable. Drift, which reports an unreachable host rather than waiting for it, sets its own.
 */
export const HANDSHAKE_TIMEOUT_MS = 120_000;

export interface SshOptions {
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
}

export class SshConnection {
  private constructor(
    private readonly client: Client,
    readonly target: SshTarget,
    private readonly commandTimeoutMs: number,
  ) {}

  get label(): string {
    return `${this.target.user}@${this.target.host}:${this.target.port}`;
  }

  static connect(target: SshTarget, privateKey: string, options: SshOptions = {}): Promise<SshConnection> {
    const label = `${target.user}@${target.host}:${target.port}`;
    return new Promise((resolve, reject) => {
      const client = new Client();
      let presented: string | undefined;
      // Many short exchanges per connection (the handshake, then each command): without
      // TCP_NODELAY, Nagle's algorithm and the peer's delayed ACK hold small packets ~40 ms —
      // 90 ms per command instead of 5, and a handshake twice as long.
      const sock = net.connect({ host: target.host, port: target.port });
      sock.setNoDelay(true);
      const config: ConnectConfig = {
        sock,
        host: target.host,
        port: target.port,
        username: target.user,
        privateKey,
        readyTimeout: options.connectTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
        keepaliveInterval: 5_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          presented = fingerprint(key);
          return presented === target.hostKey;
        },
      };
      let settled = false;
      // ssh2 may emit more than one error (e.g. a timeout, then the lost socket); the first
      // decides, later ones and errors after 'ready' surface through exec() as 'disconnected'.
      const fail = (error: Error & { level?: string }) => {
        if (settled) return;
        settled = true;
        client.end();
        sock.destroy();
        if (presented !== undefined && presented !== target.hostKey) {
          reject(
            new SshError(
              'host-key-mismatch',
              label,
              `refusing ${label}: its host key is ${presented}, but the inventory pins ${target.hostKey}`,
              { cause: error },
            ),
          );
        } else if (error.level === 'client-authentication') {
          reject(new SshError('auth', label, `${label} refused the key for user ${target.user}`, { cause: error }));
        } else if (/timed out/i.test(error.message)) {
          reject(
            new SshError('timeout', label, `${label}: no SSH handshake within ${config.readyTimeout} ms`, {
              cause: error,
            }),
          );
        } else {
          reject(new SshError('connect', label, `${label}: ${error.message}`, { cause: error }));
        }
      };
      // The socket is ours, so its errors (refused, unreachable) are ours to catch.
      sock.on('error', fail);
      client
        .once('ready', () => {
          settled = true;
          resolve(new SshConnection(client, target, options.commandTimeoutMs ?? 60_000));
        })
        .on('error', fail);
      try {
        client.connect(config);
      } catch (error) {
        // A key ssh2 cannot parse is thrown, not emitted; say which secret, never its content.
        settled = true;
        sock.destroy();
        reject(
          new SshError('auth', label, `${label}: the private key cannot be used (${(error as Error).message})`, {
            cause: error,
          }),
        );
      }
    });
  }

  /**
   * Runs one command; stdin is written whole and closed. Non-zero exit is an error unless allowed.
   * `onStarted`: called once the host runs it (the channel is open and the command sent).
   */
  exec(
    command: string,
    options: { stdin?: string | Buffer; allowFailure?: boolean; timeoutMs?: number; onStarted?: () => void } = {},
  ): Promise<CommandResult> {
    const timeoutMs = options.timeoutMs ?? this.commandTimeoutMs;
    return new Promise((resolve, reject) => {
      this.client.exec(command, (error, channel) => {
        if (error)
          return reject(
            new SshError('disconnected', this.label, `${this.label}: ${error.message}`, { command, cause: error }),
          );
        options.onStarted?.();
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let settled = false;
        const timer = setTimeout(() => {
          settled = true;
          channel.close();
          reject(
            new SshError('timeout', this.label, `${this.label}: '${command}' did not finish within ${timeoutMs} ms`, {
              command,
            }),
          );
        }, timeoutMs);
        channel.on('data', (chunk: Buffer) => out.push(chunk));
        channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
        channel.on('close', (code: number | null) => {
          clearTimeout(timer);
          if (settled) return;
          settled = true;
          const bytes = Buffer.concat(out);
          const result = {
            stdout: bytes.toString('utf8'),
            stdoutBytes: bytes,
            stderr: Buffer.concat(err).toString('utf8'),
            exitCode: code ?? -1,
          };
          if (code === null || code === undefined) {
            reject(
              new SshError('disconnected', this.label, `${this.label}: connection lost while running '${command}'`, {
                command,
                exitCode: null,
                stderr: result.stderr,
              }),
            );
          } else if (code !== 0 && !options.allowFailure) {
            reject(
              new SshError(
                'command',
                this.label,
                `${this.label}: '${command}' exited ${code}: ${result.stderr.trim().slice(0, 500)}`,
                { command, exitCode: code, stderr: result.stderr },
              ),
            );
          } else resolve(result);
        });
        if (options.stdin !== undefined) channel.end(options.stdin);
        else channel.end();
      });
    });
  }

  /** Drops the TCP connection without a goodbye: what a network failure looks like (used by tests). */
  destroy(): void {
    this.client.destroy();
  }

  close(): void {
    this.client.end();
  }
}
