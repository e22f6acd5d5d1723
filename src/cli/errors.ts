// The few named errors the CLI maps to exit codes (inventory.md): 1 invalid input, 2 usage.

export const EXIT = { ok: 0, findings: 1, usage: 2, unchecked: 3 } as const;

/** Wrong invocation: unknown option, bad date, missing inventory folder. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
