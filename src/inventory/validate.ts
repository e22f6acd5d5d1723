// The three phases of inventory validation: YAML (load.ts) → shape (schema-check.ts) →
// semantic rules over the whole inventory (rules/). Every finding is collected; nothing stops
// at the first problem.
import { sortFindings, type Finding } from './findings.js';
import { loadInventory, type LoadedInventory, type ParseCounts } from './load.js';
import { Findings, type Inventory, type Located, type Rule, type RuleOptions } from './model.js';
import { addressesUsable, endpointPortsAllowed, endpointsInsideNetworks, subnetsDoNotOverlap } from './rules/addresses.js';
import { vipnetNodeInNetwork, vipnetNodesUnique } from './rules/channel.js';
import { idMatchesFileName, idsAreUnique } from './rules/identity.js';
import { referencesResolve } from './rules/references.js';
import { versionedFieldsDeclared } from './rules/version.js';
import { mnemonicsUniquePerContour } from './rules/registrations.js';
import { textIsPresentable } from './rules/text.js';
import { DEFAULT_TIME_ZONE, todayIn } from './dates.js';
import { checkOperatorData, checkParticipantData } from './file-check.js';
import type { OperatorFile, Participant } from './types.generated.js';

export const RULES: readonly Rule[] = [
  idMatchesFileName,
  idsAreUnique,
  referencesResolve,
  subnetsDoNotOverlap,
  endpointsInsideNetworks,
  endpointPortsAllowed,
  addressesUsable,
  vipnetNodeInNetwork,
  vipnetNodesUnique,
  mnemonicsUniquePerContour,
  versionedFieldsDeclared,
  textIsPresentable,
];

export interface ValidationResult {
  inventory: Inventory;
  loaded: LoadedInventory;
  /** All findings so far, errors and warnings, sorted by file and position. */
  findings: Finding[];
  /** The date the rules evaluated at: --at, else today in the operator's time zone. */
  at: string;
  /** Files parsed now and taken from the cache of unchanged files. */
  parsed?: ParseCounts;
  /** Time spent reading and parsing the files. */
  loadMs?: number;
}

/** Schema findings kept per file: a 70,000-item list of wrong values is one mistake, not 70,000 lines. */
const MAX_SHAPE_FINDINGS_PER_FILE = 100;

function capped(findings: readonly Finding[]): readonly Finding[] {
  if (findings.length <= MAX_SHAPE_FINDINGS_PER_FILE) return findings;
  const kept = findings.slice(0, MAX_SHAPE_FINDINGS_PER_FILE);
  const last = kept[kept.length - 1]!;
  const more = findings.length - kept.length;
  return [...kept, { ...last, path: '', message: `and ${more} more schema errors in this file, not listed`, ru: `и ещё ошибок схемы в этом файле: ${more} (не перечислены)` }];
}

/** Shape-checks the loaded files and runs the rules over those that passed. */
/** `rules`: further rules after the structural ones (checkInventory adds the requirement rules). */
export function validateLoaded(loaded: LoadedInventory, loadFindings: Finding[], options: Partial<RuleOptions> & { rules?: readonly Rule[] }): ValidationResult {
  const findings = new Findings();
  findings.add(loadFindings);

  let operator: Inventory['operator'];
  if (loaded.operator?.data !== undefined) {
    const shape = loaded.operator.shape ?? checkOperatorData(loaded.operator.source, loaded.operator.data);
    findings.add(capped(shape.findings));
    if (shape.ok) operator = { value: loaded.operator.data as OperatorFile, source: loaded.operator.source };
  }
  const participants: Located<Participant>[] = [];
  for (const file of loaded.participants) {
    if (file.data === undefined) continue;
    const shape = file.shape ?? checkParticipantData(file.source, file.data);
    findings.add(capped(shape.findings));
    if (shape.ok) participants.push({ value: file.data as Participant, source: file.source });
  }

  const inventory: Inventory = { root: loaded.root, operator, participants };
  // Without --at: today, in the operator's time zone (known only now that operator.yaml is read).
  const at = options.at ?? todayIn(operator?.value.timeZone ?? DEFAULT_TIME_ZONE);
  for (const rule of [...RULES, ...(options.rules ?? [])]) rule(inventory, findings, { at });
  return { inventory, loaded, findings: findings.items, at };
}

export async function validateInventory(root: string, options: Partial<RuleOptions> & { rules?: readonly Rule[] } = {}): Promise<ValidationResult> {
  const started = performance.now();
  const { inventory, findings, parsed } = await loadInventory(root);
  const loadMs = performance.now() - started;
  const result = { ...validateLoaded(inventory, findings, options), parsed, loadMs };
  result.findings = sortFindings(result.findings);
  return result;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
