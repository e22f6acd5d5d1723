// prichal audit and prichal drift as people read them: the verdict with its counts, then what
// could not be checked, each finding, each waived one, the trend and the files written. Their
// JSON is the result itself, as the report files hold it.
import { terminalText as t } from '../escape.js';
import type { CheckResult } from '../drift/model.js';
import {
  DEFAULT_LANG,
  labels,
  localDay,
  placeText,
  statusText as verdict,
  summary,
  wording,
  type Lang,
} from '../report/index.js';
import type { ChecksRun } from './run-checks.js';

export function checksText({
  result,
  files,
  lang = DEFAULT_LANG,
}: {
  result: CheckResult;
  files: string[];
  lang?: Lang;
}): string {
  const s = summary(result);
  const l = labels(lang);
  const ru = lang === 'ru';
  const lines = [
    `${l.report[result.kind]}: ${verdict(s.status, lang)} — ${l.errors.toLowerCase()} ${s.errors}, ${l.warnings.toLowerCase()} ${s.warnings}, ${l.waived.toLowerCase()} ${s.waived}, ${l.unchecked.toLowerCase()} ${s.unchecked}`,
  ];
  for (const u of result.unchecked)
    lines.push(`  ${ru ? 'НЕ ПРОВЕРЕНО' : 'NOT CHECKED'} ${u.subject} (${u.requirements.join(', ')}): ${u.reason}`);
  for (const f of result.findings) {
    // A finding about a file: its participant (when it is one's) and where, as every report says it.
    const place = f.file ? placeText({ file: f.file, line: f.line }) : undefined;
    lines.push(
      `  ${f.severity === 'error' ? (ru ? 'ОШИБКА' : 'ERROR') : ru ? 'ПРЕДУП' : 'WARN '} ${f.requirement.padEnd(5)} ${t(f.participant || place || f.subject).padEnd(22)} ${f.contour ? `[${l.contours[f.contour]}] ` : ''}${t(wording(f, lang).message)}${f.participant && place ? ` (${t(place)})` : ''}`,
    );
  }
  for (const f of result.waived)
    lines.push(
      `  ${ru ? 'ИСКЛЮЧЕНИЕ' : 'WAIVED'} ${f.requirement} ${t(f.participant)}: ${t(wording(f, lang).message)} (${t(f.waiver!.reason)}; ${t(f.waiver!.owner)}, ${ru ? 'до' : 'until'} ${t(localDay(f.waiver!.expires, lang))})`,
    );
  if (result.trend)
    lines.push(
      result.trend.previous
        ? `  ${l.sincePrevious.toLowerCase()}: ${l.newFindings} ${result.trend.new}, ${l.fixed} ${result.trend.fixed}, ${l.persisting} ${result.trend.persisting}`
        : `  ${l.sincePrevious.toLowerCase()}: ${l.firstRun}`,
    );
  for (const f of files) lines.push(`  ${ru ? 'записан' : 'wrote'} ${f}`);
  return lines.join('\n');
}

export const checksJson = (run: ChecksRun): CheckResult => run.result;
