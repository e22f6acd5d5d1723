// One result model for audit and drift; every report format is rendered from it.
import type { RequirementId } from '../requirements/index.js';
import type { CheckResult as GeneratedCheckResult, Finding, Requirement } from './result.generated.js';

export const RESULT_VERSION = 1;

/**
 * The result model is the published JSON Schema (result.schema.json): its types are generated
 * from it (result.generated.ts), so code and schema cannot drift apart. The report adds
 * `summary`; the run itself produces the rest.
 */
export type CheckResult = Omit<GeneratedCheckResult, 'summary'>;
/** A finding of audit or drift: one requirement not met, for one participant or host (validation's findings are inventory/findings.ts). */
export type RequirementFinding = Finding;
export type Unchecked = CheckResult['unchecked'][number];

// The schema's requirement enum and the catalogue's ids are the same set (checked both ways here; a test checks the order).
const _catalogueInSchema: readonly Requirement[] = [] as RequirementId[];
const _schemaInCatalogue: readonly RequirementId[] = [] as Requirement[];
void _catalogueInSchema;
void _schemaInCatalogue;

/** The project's exit codes (the CLI's table in cli/errors.ts maps named errors to them). */
export const EXIT_CODES = { ok: 0, findings: 1, usage: 2, unchecked: 3, failure: 4 } as const;

export function exitCode(result: CheckResult): number {
  if (result.unchecked.length) return EXIT_CODES.unchecked;
  return result.findings.some((f) => f.severity === 'error') ? EXIT_CODES.findings : EXIT_CODES.ok;
}

export function findingKey(f: RequirementFinding): string {
  return [f.requirement, f.participant ?? '', f.contour ?? '', f.subject, f.message].join('|');
}

export function sortRequirementFindings(findings: RequirementFinding[]): RequirementFinding[] {
  return findings.sort((a, b) => (findingKey(a) < findingKey(b) ? -1 : findingKey(a) > findingKey(b) ? 1 : 0));
}
