// One result model for audit and drift; every report format is rendered from it.
import type { ContourName } from '../inventory/index.js';
import type { RequirementId } from '../requirements/index.js';

export const RESULT_VERSION = 1;

export interface Finding {
  requirement: RequirementId;
  /** Participant concerned; absent for host-level findings (an edge's chain policy). */
  participant?: string;
  contour?: ContourName;
  /** The object the finding is about: edge id, container name, bus user, inventory file. */
  subject: string;
  /** Inventory findings: the participant file (relative to the inventory root) and the line of the field. */
  file?: string;
  line?: number;
  severity: 'error' | 'warning';
  message: string;
  /** What was read: the rule text, the container field, the API object, the inventory value. */
  evidence: string;
  fix: string;
  waiver?: { reason: string; owner: string; expires: string };
}

export interface Unchecked {
  subject: string;
  requirements: RequirementId[];
  reason: string;
}

export interface CheckResult {
  version: typeof RESULT_VERSION;
  kind: 'audit' | 'drift' | 'all';
  generatedAt: string;
  /** Date inventory requirements were evaluated at. */
  at: string;
  participants: string[];
  requirements: RequirementId[];
  findings: Finding[];
  /** Findings covered by a valid waiver: listed, not counted. */
  waived: Finding[];
  /** What could not be read: never reported as compliant. */
  unchecked: Unchecked[];
  /** Reads the collection took (drift): proves the constant-reads design. */
  reads?: { sshCommandsPerEdge: Record<string, number>; dockerCalls: number; busRequests: Record<string, number> };
  trend?: { previous?: string; new: number; fixed: number; persisting: number; history: Array<{ generatedAt: string; errors: number; warnings: number; unchecked: number }> };
}

/** The project's exit codes (the CLI's table in cli/errors.ts maps named errors to them). */
export const EXIT_CODES = { ok: 0, findings: 1, usage: 2, unchecked: 3, failure: 4 } as const;

export function exitCode(result: CheckResult): number {
  if (result.unchecked.length) return EXIT_CODES.unchecked;
  return result.findings.some((f) => f.severity === 'error') ? EXIT_CODES.findings : EXIT_CODES.ok;
}

export function findingKey(f: Finding): string {
  return [f.requirement, f.participant ?? '', f.contour ?? '', f.subject, f.message].join('|');
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (findingKey(a) < findingKey(b) ? -1 : findingKey(a) > findingKey(b) ? 1 : 0));
}
