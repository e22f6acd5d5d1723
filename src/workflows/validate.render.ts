// prichal validate as people read it: each finding as file:line:column, then the verdict.
import { formatFinding } from '../inventory/index.js';
import type { Lang } from '../report/index.js';
import type { ValidateResult } from './validate.js';

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
