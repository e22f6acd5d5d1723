// prichal migrate as people read it: per file what changed (line, field, what), then the
// decisions left to a person, then one line of summary.
import { terminalText as t } from '../escape.js';
import { formatFinding } from '../inventory/index.js';
import type { Lang } from '../report/index.js';
import type { MigrateResult } from './migrate.js';

export function migrateText(result: MigrateResult, lang: Lang, check: boolean): string {
  const ru = lang === 'ru';
  if (!result.due)
    return ru
      ? `миграция не нужна: реестр следует версии ${result.to}`
      : `nothing to migrate: the inventory follows version ${result.to}`;
  const lines: string[] = [];
  for (const file of result.files) {
    lines.push(t(file.file));
    for (const c of file.changes) lines.push(t(`  ${ru ? 'строка' : 'line'} ${c.line}: ${ru ? c.ru : c.message}`));
  }
  if (result.decisions.length) {
    lines.push(
      ru ? `решить человеку (${result.decisions.length}):` : `for a person to decide (${result.decisions.length}):`,
    );
    for (const d of result.decisions) lines.push(`  ${formatFinding(d, lang)}`);
  }
  const files = result.files.length;
  if (check)
    lines.push(
      ru
        ? `нужна миграция с версии ${result.from} на ${result.to}: изменятся файлы (${files}); ничего не записано`
        : `a migration from version ${result.from} to ${result.to} is due: ${files} file${files === 1 ? '' : 's'} would change; nothing written`,
    );
  else
    lines.push(
      ru
        ? `реестр переведён с версии ${result.from} на ${result.to}: изменено файлов ${files}`
        : `migrated from version ${result.from} to ${result.to}: ${files} file${files === 1 ? '' : 's'} changed`,
    );
  return lines.join('\n');
}
