// The verdict of a run: counts, the status line and the exit code, the same in every format.
import { exitCode, type CheckResult } from '../drift/model.js';

export function summary(result: CheckResult) {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.length - errors;
  const status = result.unchecked.length
    ? 'PARTIAL: not everything could be checked'
    : errors
      ? 'FINDINGS'
      : 'COMPLIANT';
  return {
    errors,
    warnings,
    waived: result.waived.length,
    unchecked: result.unchecked.length,
    status,
    exitCode: exitCode(result),
  };
}
