import { formatFinding, type Finding } from '../inventory/index.js';

/** Wrong invocation: unknown option, bad date, missing inventory folder or declaration. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The inventory does not validate, so a command whose output would stand on it (documents,
 * coverage statistics) refuses: exit 1, with the findings, located, in every output format.
 */
export class InvalidInventoryError extends Error {
  override readonly name = 'InvalidInventoryError';
  constructor(
    readonly findings: readonly Finding[],
    consequence: string,
  ) {
    const errors = findings.filter((f) => f.severity === 'error');
    super(`the inventory does not validate; ${consequence} (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${errors.map((f) => `  ${formatFinding(f)}`).join('\n')}`);
  }
}
