import { formatFinding, type Finding } from '../../inventory/index.js';
import { checkInventory } from '../../requirements/index.js';
import type { Lang } from '../../report/index.js';

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

export function validateText(result: ValidateResult, lang: Lang): string {
  const lines = [
    ...result.errors.map((f) => formatFinding({ ...f, severity: 'error' }, lang)),
    ...result.warnings.map((f) => formatFinding({ ...f, severity: 'warning' }, lang)),
  ];
  const errors = result.errors.length;
  const warnings = result.warnings.length;
  if (lang === 'ru')
    lines.push(
      result.ok
        ? `реестр корректен (предупреждений: ${warnings})`
        : `реестр некорректен: ошибок ${errors}, предупреждений ${warnings}`,
    );
  else
    lines.push(
      result.ok
        ? `inventory is valid (${warnings} warning${warnings === 1 ? '' : 's'})`
        : `inventory is invalid: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
    );
  return lines.join('\n');
}
