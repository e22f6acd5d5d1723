// The three phases of inventory validation: YAML (load.ts) → shape (schema-check.ts) →
// semantic rules over the whole inventory (rules/). Every finding is collected; nothing stops
// at the first problem.
import { sortFindings, type Finding, type Words } from './findings.js';
import { FileChangedError, loadInventory, type LoadedInventory, type ParseCounts } from './load.js';
import { Findings, groupBy, type Inventory, type Located, type Rule, type RuleOptions } from './model.js';
import { fileRulesContext } from './parse-cache.js';
import {
  addressesUsable,
  endpointPortsAllowed,
  endpointsInsideNetworks,
  subnetsDoNotOverlap,
} from './rules/addresses.js';
import { leasedLineCircuits, vipnetNodeInNetwork, vipnetNodesUnique } from './rules/channel.js';
import { gatewayHostsConsistent } from './rules/gateway-hosts.js';
import { idMatchesFileName, idsAreUnique } from './rules/identity.js';
import { coordinationIsAcyclic, referencesResolve } from './rules/references.js';
import { versionedFieldsDeclared } from './rules/version.js';
import { mnemonicsUniquePerContour } from './rules/registrations.js';
import { supportDeskHours } from './rules/support.js';
import { textIsPresentable } from './rules/text.js';
import { DEFAULT_TIME_ZONE, todayIn } from './dates.js';
import { checkOperatorData, checkParticipantData } from './file-check.js';
import type { OperatorFile, Participant } from './types.generated.js';
import type { Progress } from '../progress.js';

/** What validation is told beside the date: further rules, and whom to tell how far it is. */
export type ValidateOptions = Partial<RuleOptions> & { rules?: Rules; progress?: Progress };

const RULING: Words = { en: 'rules', ru: 'правила' };

/**
 * The inventory's rules in two kinds. A file rule's findings for a participant come from its own
 * file, operator.yaml and the date alone: run over any subset of the participants, it finds
 * exactly their findings (a test holds each file rule to that), so its findings are cached per
 * file with the parse (parse-cache.ts) and an unchanged file is not ruled again. An inventory rule
 * compares files (or reads operator.yaml alone) and runs every time on the whole model.
 */
export interface Rules {
  file: readonly Rule[];
  inventory: readonly Rule[];
}

export const RULES: Rules = {
  file: [idMatchesFileName, endpointsInsideNetworks, endpointPortsAllowed, addressesUsable, vipnetNodeInNetwork],
  inventory: [
    idsAreUnique,
    referencesResolve,
    coordinationIsAcyclic,
    subnetsDoNotOverlap,
    gatewayHostsConsistent,
    vipnetNodesUnique,
    leasedLineCircuits,
    mnemonicsUniquePerContour,
    supportDeskHours,
    versionedFieldsDeclared,
    textIsPresentable,
  ],
};

export interface ValidationResult {
  inventory: Inventory;
  loaded: LoadedInventory;
  /** All findings so far, errors and warnings, sorted by file and position. */
  findings: Finding[];
  /** The date the rules evaluated at: --at, else today in the operator's time zone. */
  at: string;
  /** Files parsed now and taken from the cache of unchanged files. */
  parsed?: ParseCounts;
  /** Participant files the file rules ran on now, and those whose findings came from the cache. */
  fileRules?: { run: number; cached: number };
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
  return [
    ...kept,
    {
      ...last,
      path: '',
      message: `and ${more} more schema errors in this file, not listed`,
      ru: `и ещё ошибок схемы в этом файле: ${more} (не перечислены)`,
    },
  ];
}

/** Shape-checks the loaded files and runs the rules over those that passed. */
/** `rules`: further rules after the structural ones (checkInventory adds the requirement rules). */
export function validateLoaded(
  loaded: LoadedInventory,
  loadFindings: Finding[],
  options: ValidateOptions,
): ValidationResult {
  const findings = new Findings();
  findings.add(loadFindings);

  let operator: Inventory['operator'];
  if (loaded.operator?.data !== undefined) {
    const shape = loaded.operator.shape ?? checkOperatorData(loaded.operator.source, loaded.operator.data);
    findings.add(capped(shape.findings));
    if (shape.ok) operator = { value: loaded.operator.data as OperatorFile, source: loaded.operator.source };
  }
  const participants: Located<Participant>[] = [];
  const digests = new Map<Located<Participant>, string>();
  for (const file of loaded.participants) {
    if (file.data === undefined) continue;
    const shape = file.shape ?? checkParticipantData(file.source, file.data);
    findings.add(capped(shape.findings));
    if (!shape.ok) continue;
    const participant = { value: file.data as Participant, source: file.source };
    participants.push(participant);
    if (file.digest) digests.set(participant, file.digest);
  }

  const inventory: Inventory = { root: loaded.root, operator, participants };
  // Without --at: today, in the operator's time zone (known only now that operator.yaml is read).
  const at = options.at ?? todayIn(operator?.value.timeZone ?? DEFAULT_TIME_ZONE);
  const fileRules = fileRuled(inventory, loaded, digests, [...RULES.file, ...(options.rules?.file ?? [])], at);
  findings.add(fileRules.findings);
  // The file rules as one step (cached per file), then each rule over the whole inventory.
  const inventoryRules = [...RULES.inventory, ...(options.rules?.inventory ?? [])];
  options.progress?.(RULING, 1, inventoryRules.length + 1);
  for (const [i, rule] of inventoryRules.entries()) {
    rule(inventory, findings, { at });
    options.progress?.(RULING, i + 2, inventoryRules.length + 1);
  }
  return { inventory, loaded, findings: findings.items, at, fileRules: fileRules.counts };
}

/**
 * The file rules' findings: from the cache for a file ruled before in the same context (code,
 * operator.yaml, date), the rules run over the other participants only, their findings cached.
 */
function fileRuled(
  inventory: Inventory,
  loaded: LoadedInventory,
  digests: ReadonlyMap<Located<Participant>, string>,
  rules: readonly Rule[],
  at: string,
): { findings: Finding[]; counts: { run: number; cached: number } } {
  const cache = loaded.cache;
  const context = cache ? fileRulesContext(loaded.operator?.digest, at) : '';
  const found: Finding[] = [];
  const unruled = inventory.participants.filter((p) => {
    const digest = digests.get(p);
    const hit = cache && digest ? cache.fileFindings(digest, context) : undefined;
    if (hit) for (const f of hit) found.push(f);
    return !hit;
  });
  const ruling = new Findings();
  for (const rule of rules) rule({ ...inventory, participants: unruled }, ruling, { at });
  for (const f of ruling.items) found.push(f);
  if (cache) {
    const byFile = groupBy(ruling.items, (f) => f.file);
    // A finding about a file not ruled here would break a file rule's contract; nothing is cached then.
    const ruledFiles = new Set(unruled.map((p) => p.source.file));
    if ([...byFile.keys()].every((file) => ruledFiles.has(file))) {
      for (const p of unruled) {
        const digest = digests.get(p);
        if (digest) cache.setFileFindings(digest, context, byFile.get(p.source.file) ?? []);
      }
    }
  }
  return { findings: found, counts: { run: unruled.length, cached: inventory.participants.length - unruled.length } };
}

export async function validateInventory(root: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  return validateFrom(root, options, false);
}

async function validateFrom(root: string, options: ValidateOptions, rewrite: boolean): Promise<ValidationResult> {
  const started = performance.now();
  const { inventory, findings, parsed } = await loadInventory(root, {
    ...(rewrite ? { rewriteCache: true } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  });
  const loadMs = performance.now() - started;
  let validated: ValidationResult;
  try {
    validated = validateLoaded(inventory, findings, options);
  } catch (error) {
    // The cache's entries are checked for its own shape as they are used, not parsed data for the
    // schema (that is the work the cache saves). A cached parse that passed those checks and still
    // breaks a rule (a cache edited by hand) is the cache's fault, not the inventory's: validate
    // again from the files and write the cache anew. Without cached parses the error is real.
    if (rewrite || !inventory.cache?.served || error instanceof FileChangedError) throw error;
    return validateFrom(root, options, true);
  }
  const result = { ...validated, parsed, loadMs };
  // A cache that cannot be written costs the next run its speed, never this run its result.
  await inventory.cache?.save().catch(() => undefined);
  result.findings = sortFindings(result.findings);
  return result;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
