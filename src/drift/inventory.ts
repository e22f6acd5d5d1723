// Inventory validity: the validation findings every run reports under the catalogue's validity
// requirement — a file that cannot be read or parsed, a schema or cross-file error, an allocation
// problem. Without them a participant whose file is broken would simply be missing from the
// audit, and the report would look greener than the estate: reported as such, never skipped.
import type { Finding } from '../inventory/index.js';
import { INVENTORY_VALIDITY, REQUIREMENT_OF_CODE } from '../requirements/index.js';
import type { RequirementFinding } from './model.js';

/** Validation findings that are not a requirement of their own, as validity findings with file and line. */
export function inventoryFindings(findings: readonly Finding[]): RequirementFinding[] {
  return findings
    .filter((f) => !REQUIREMENT_OF_CODE[f.code])
    .map((f) => ({
      requirement: INVENTORY_VALIDITY,
      subject: f.file,
      file: f.file,
      line: Math.max(1, f.line),
      severity: f.severity,
      message: `${f.path ? `${f.path}: ` : ''}${f.message}`,
      evidence: `${f.code} at ${f.file}:${f.line}:${f.column}`,
      fix: `correct ${f.file}; 'prichal validate' lists every finding`,
    }));
}
