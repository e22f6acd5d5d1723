// What an inventory requirement's check is: a function of one participant and what the whole
// inventory says around it, yielding the findings it words in English and Russian. The check
// never names its requirement: audit takes the id from the catalogue entry that holds the check.
import type { FieldPath, OperatorFile, Participant } from '../inventory/index.js';

export type Severity = 'error' | 'warning';

/** One requirement not met, as its check words it; audit adds the participant, file and line. */
export interface CheckFinding {
  /** The field the finding is about, in the participant file (located to its line by audit). */
  path: FieldPath;
  /** Omitted: the requirement's severity in the catalogue. */
  severity?: Severity;
  message: string;
  evidence: string;
  fix: string;
  /** The message and the fix in Russian, where the check words them; the evidence too where it composes words of its own. */
  ru?: { message: string; fix: string; evidence?: string };
}

/** What a check may read beyond its participant. */
export interface CheckContext {
  /** operator.yaml; undefined when it does not validate (checks that need it find nothing). */
  operator: OperatorFile | undefined;
  /** The date the inventory is evaluated at, YYYY-MM-DD. */
  at: string;
  /** The kind of another participant, by id (who coordinates whom). */
  kindOf: (id: string) => Participant['kind'] | undefined;
}

export type InventoryCheck = (p: Participant, context: CheckContext) => Iterable<CheckFinding>;
