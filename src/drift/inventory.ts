// INV-1: the validation findings every run reports under its own requirement — a file that
// cannot be read or parsed, a schema or cross-file error, an allocation problem. Without them a
// participant whose file is broken would simply be missing from the audit, and the report would
// look greener than the estate (requirements.md: "reported as such, never skipped").
import type { Finding } from '../inventory/index.js';
import { REQUIREMENT_OF_CODE } from '../requirements/index.js';
import type { RequirementFinding } from './model.js';

/** Validation findings that are not a requirement of their own, as INV-1 findings with file and line. */
export function inventoryFindings(findings: readonly Finding[]): RequirementFinding[] {
  return findings
    .filter((f) => !REQUIREMENT_OF_CODE[f.code])
    .map((f) => ({
      requirement: 'INV-1',
      subject: f.file,
      file: f.file,
      line: Math.max(1, f.line),
      severity: f.severity,
      message: `${f.path ? `${f.path}: ` : ''}${f.message}`,
      evidence: `${f.code} at ${f.file}:${f.line}:${f.column}`,
      fix: `correct ${f.file}; 'prichal validate' lists every finding`,
    }));
}
