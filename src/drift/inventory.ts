// Inventory validity: the validation findings every run reports under the catalogue's validity
// requirement — a file that cannot be read or parsed, a schema or cross-file error, an allocation
// problem. Without them a participant whose file is broken would simply be missing from the
// audit, and the report would look greener than the estate: reported as such, never skipped.
// Each is the participant's whose file it is in (participantOfFile), so its row, its district,
// its status and its JUnit case fail with it, and is worded in both languages as validation
// words it.
import type { Finding } from '../inventory/index.js';
import { INVENTORY_VALIDITY, REQUIREMENT_OF_CODE } from '../requirements/index.js';
import type { RequirementFinding } from './model.js';

/**
 * Validation findings that are not a requirement of their own, as validity findings with file and
 * line; `participantOf` names the participant a file is about (none: operator.yaml, allocations).
 */
export function inventoryFindings(
  findings: readonly Finding[],
  participantOf: (file: string) => string | undefined = () => undefined,
): RequirementFinding[] {
  return findings
    .filter((f) => !REQUIREMENT_OF_CODE[f.code])
    .map((f) => {
      const participant = participantOf(f.file);
      const at = f.path ? `${f.path}: ` : '';
      return {
        requirement: INVENTORY_VALIDITY,
        ...(participant !== undefined ? { participant } : {}),
        subject: f.file,
        file: f.file,
        line: Math.max(1, f.line),
        severity: f.severity,
        message: `${at}${f.message}`,
        // The code and the place, the same in every language (the evidence is never translated).
        evidence: `${f.code}, ${f.file}:${Math.max(1, f.line)}:${f.column}`,
        fix: `correct ${f.file}; 'prichal validate' lists every finding`,
        ru: {
          message: `${at}${f.ru}`,
          fix: `исправьте ${f.file}; все замечания перечисляет 'prichal validate'`,
        },
      };
    });
}
