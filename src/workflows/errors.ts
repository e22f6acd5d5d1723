/** Wrong invocation: unknown option, bad date, missing inventory folder or declaration. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
