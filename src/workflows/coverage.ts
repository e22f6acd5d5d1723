// prichal coverage: the coverage statistics in the shape of the tables of «Организация ЮЗЭДО»
// (per district the shares connected to ЭДО, the targets by year), printed and, with --out,
// written as Markdown, HTML and JSON.
import path from 'node:path';
import { coverage, coverageMarkdown, documentHtml, type Coverage } from '../docs/index.js';
import { makeFolder, writeAtomic } from '../files.js';
import { checkInventory } from '../requirements/index.js';
import { InvalidInventoryError } from './errors.js';

/** The statistics, and the Markdown the text output and the files show (always in Russian: the form's own words). */
export interface CoverageResult {
  coverage: Coverage;
  markdown: string;
}

export async function coverageCommand(options: {
  inventory: string;
  out?: string;
  at?: string;
}): Promise<CoverageResult> {
  const checked = await checkInventory(options.inventory, options.at);
  // A participant whose file cannot be read would be missing from the shares: no statistics then.
  if (!checked.ok)
    throw new InvalidInventoryError(checked.findings, {
      en: 'no statistics: a participant that cannot be read would be missing from every share',
      ru: 'статистика не считается: участник, который не читается, выпал бы из каждой доли',
    });
  const result = coverage(checked.validation.inventory, checked.at);
  const markdown = coverageMarkdown(result);
  if (options.out) {
    await makeFolder(options.out);
    await writeAtomic(path.join(options.out, 'coverage.md'), markdown);
    await writeAtomic(path.join(options.out, 'coverage.html'), documentHtml('Статистика подключения к ЭДО', markdown));
    await writeAtomic(path.join(options.out, 'coverage.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
  return { coverage: result, markdown };
}
