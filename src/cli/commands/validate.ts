import { formatFinding, type Finding } from '../../inventory/index.js';
import { checkInventory } from '../../requirements/index.js';

type Item = Omit<Finding, 'severity'>;
export interface ValidateResult {
  ok: boolean;
  errors: Item[];
  warnings: Item[];
}

const item = ({ severity: _severity, ...rest }: Finding): Item => rest;

export async function validate(options: { inventory: string; at?: string }): Promise<ValidateResult> {
  const { findings, ok } = await checkInventory(options.inventory, options.at);
  return {
    ok,
    errors: findings.filter((f) => f.severity === 'error').map(item),
    warnings: findings.filter((f) => f.severity === 'warning').map(item),
  };
}

export function validateText(result: ValidateResult): string {
  const lines = [
    ...result.errors.map((f) => formatFinding({ ...f, severity: 'error' })),
    ...result.warnings.map((f) => formatFinding({ ...f, severity: 'warning' })),
  ];
  lines.push(
    result.ok
      ? `inventory is valid (${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'})`
      : `inventory is invalid: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}, ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}`,
  );
  return lines.join('\n');
}
