import { formatFinding, type Finding, type Words } from '../inventory/index.js';
import { WordedError } from '../words.js';

export { WordedError };

/** Wrong invocation: unknown option, bad date, missing inventory folder or declaration. Exit 2. */
export class UsageError extends WordedError {
  override readonly name = 'UsageError';
}

/**
 * The inventory does not validate, so a command whose output would stand on it (documents,
 * coverage statistics) refuses: exit 1, with the findings, located, in every output format.
 */
export class InvalidInventoryError extends WordedError {
  override readonly name = 'InvalidInventoryError';
  constructor(
    readonly findings: readonly Finding[],
    consequence: Words,
  ) {
    const errors = findings.filter((f) => f.severity === 'error');
    const list = (lang: 'ru' | 'en') => errors.map((f) => `  ${formatFinding(f, lang)}`).join('\n');
    super({
      en: `the inventory does not validate; ${consequence.en} (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${list('en')}`,
      ru: `реестр не проходит проверку; ${consequence.ru} (ошибок: ${errors.length}):\n${list('ru')}`,
    });
  }
}
