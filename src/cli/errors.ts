// Exit codes and the one table that maps named errors to them, and how a failure is told: its
// message, then the causes it wraps. Every command returns data; a failure is a named error
// thrown by the stage that knows what went wrong, and only here does it become an exit code.
//   0 done / valid / requirements met
//   1 findings: an invalid inventory (documents, coverage, audit, drift), requirements not met, a gate that refused (promotion, a stack locked by another run)
//   2 usage: wrong invocation, a missing folder or declaration the command needs
//   3 not everything checked (drift: a host that could not be read)
//   4 a live system failed: SSH, the firewall apply (rolled back), the bus, Docker, the engine
import { DockerError } from '../infra/docker.js';
import { FirewallApplyError } from '../infra/firewall.js';
import { BusError, PromotionRefusedError } from '../infra/bus.js';
import { EngineError, StackLockedError } from '../infra/pulumi/errors.js';
import { SecretFormatError, SecretMissingError } from '../infra/secrets.js';
import { SshError } from '../infra/ssh.js';
import { MissingDataError, RegisterError } from '../docs/index.js';
import { ProbeError } from '../plan/index.js';
import { InventoryNotFoundError } from '../requirements/index.js';
import { EXIT_CODES } from '../drift/model.js';
import { CertificateFileError, YamlEditError } from '../inventory/index.js';
import { InvalidInventoryError, UsageError } from '../workflows/errors.js';
import { FileError } from '../files.js';
import type { Lang } from '../report/index.js';
import { errorChain } from '../words.js';

export const EXIT = EXIT_CODES;

export { errorChain, UsageError };

const EXIT_BY_ERROR: ReadonlyArray<readonly [abstract new (...args: never[]) => Error, number]> = [
  [UsageError, EXIT.usage],
  [InventoryNotFoundError, EXIT.usage],
  [ProbeError, EXIT.usage],
  [SecretMissingError, EXIT.usage],
  [SecretFormatError, EXIT.usage],
  [CertificateFileError, EXIT.usage],
  [RegisterError, EXIT.usage],
  // A file given to a command that cannot be read or written by the file rule (a FIFO, a link out of its folder, a full disk).
  [FileError, EXIT.usage],
  // A file the in-place editor cannot change as asked (not YAML, an unusual layout): nothing written.
  [YamlEditError, EXIT.usage],
  [PromotionRefusedError, EXIT.findings],
  [StackLockedError, EXIT.findings],
  [MissingDataError, EXIT.findings],
  [InvalidInventoryError, EXIT.findings],
  [SshError, EXIT.failure],
  [FirewallApplyError, EXIT.failure],
  [BusError, EXIT.failure],
  [DockerError, EXIT.failure],
  [EngineError, EXIT.failure],
];

/** The exit code of a failure: by the table above; anything unnamed is a failure too. */
export function exitCodeOf(error: unknown): number {
  for (const [type, code] of EXIT_BY_ERROR) if (error instanceof type) return code;
  return EXIT.failure;
}

/** The failure as the CLI prints it on stderr: the message, each cause indented on a line of its own. */
export function failureText(error: unknown, lang: Lang): string {
  const [message, ...causes] = errorChain(error, lang);
  return [message, ...causes.map((cause) => `  ${cause}`)].join('\n');
}
