// prichal validate: the whole inventory checked (YAML, schema, cross-file rules), its findings
// split into errors and warnings.
import type { Finding } from '../inventory/index.js';
import type { Progress } from '../progress.js';
import { checkInventory } from '../requirements/index.js';

/** A finding as validate reports it: its list (errors or warnings) says the severity. */
export type ValidateItem = Omit<Finding, 'severity'>;
export interface ValidateResult {
  ok: boolean;
  errors: ValidateItem[];
  warnings: ValidateItem[];
}

const item = ({ severity: _severity, ...rest }: Finding): ValidateItem => rest;

export async function validate(options: {
  inventory: string;
  at?: string;
  progress?: Progress;
}): Promise<ValidateResult> {
  const { findings, ok } = await checkInventory(options.inventory, options.at, undefined, options.progress);
  return {
    ok,
    errors: findings.filter((f) => f.severity === 'error').map(item),
    warnings: findings.filter((f) => f.severity === 'warning').map(item),
  };
}
