// The options every command shares and the values the CLI checks before a command runs (a date,
// an output folder): a wrong one is a usage error, never a failure half-way through.
import { statSync } from 'node:fs';
import path from 'node:path';
import { LANGS } from '../report/index.js';
import type { Format, OptionSpec } from './command-spec.js';
import { UsageError } from './errors.js';

const FORMAT_OPTION: OptionSpec = {
  flags: '--format <format>',
  description: 'output format',
  choices: ['text', 'json'],
  default: 'text',
};

/** --format of a command: text and json, and markdown where the command renders it (preview's summary for a pull request). */
export const formatOption = (formats: readonly Format[]): OptionSpec =>
  formats.includes('markdown')
    ? {
        ...FORMAT_OPTION,
        description:
          'output format; markdown: a change summary for a pull request, access changes first, at most 10,000 characters',
        choices: formats,
      }
    : FORMAT_OPTION;

// Read before the command runs (cliLanguage); declared on every command so that each accepts it.
export const LANG_OPTION: OptionSpec = {
  flags: '--lang <lang>',
  description:
    "language of the human output and the Markdown/HTML reports (default: operator.yaml's language, else ru); JSON is the same in both",
  choices: LANGS,
};
export const INVENTORY_OPTION: OptionSpec = {
  flags: '--inventory <dir>',
  description: 'inventory folder',
  default: 'inventory',
};

/** The options of every command reading an inventory: --inventory, --format, --lang. */
export interface Common {
  inventory: string;
  format: Format;
}

/** --at: a date YYYY-MM-DD; without it, commands use today in the operator's time zone. */
export function parseDate(value: string): string {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(value)) ||
    new Date(value).toISOString().slice(0, 10) !== value
  ) {
    throw new UsageError({
      en: `--at must be a date YYYY-MM-DD, got '${value}'`,
      ru: `--at: дата ГГГГ-ММ-ДД, а не '${value}'`,
    });
  }
  return value;
}

/** `{ at }` for a workflow's options when --at was given (checked), else nothing. */
export const atOption = (at: string | undefined): { at?: string } => (at ? { at: parseDate(at) } : {});

/**
 * A file option (drift's --metrics): refused as a usage error, before anything runs, when it names
 * an existing folder or a path through a file — never after a whole night's run.
 */
export function outFile(file: string | undefined, option: string): string | undefined {
  if (file === undefined) return undefined;
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError({
      en: `${option} ${file}: an existing folder; give the file to write`,
      ru: `${option} ${file}: это существующий каталог; укажите файл для записи`,
    });
  outFolder(path.dirname(file), option);
  return file;
}

/**
 * A folder option (--out of audit, drift, coverage, incident, docs, onboard): refused as a usage
 * error, before anything runs, when it names an existing file or a path through one — never a
 * crash half-way through writing the reports.
 */
export function outFolder(dir: string | undefined, option = '--out'): string | undefined {
  if (dir === undefined) return undefined;
  const info = statSync(dir, { throwIfNoEntry: false });
  if (info) {
    if (info.isDirectory()) return dir;
    throw new UsageError({
      en: `${option} ${dir}: an existing file, not a folder; give a folder to write into`,
      ru: `${option} ${dir}: это существующий файл, а не каталог; укажите каталог для записи`,
    });
  }
  // Missing: it is created, so the nearest existing folder above it must be a folder.
  for (let parent = path.dirname(path.resolve(dir)); ; parent = path.dirname(parent)) {
    const above = statSync(parent, { throwIfNoEntry: false });
    if (above && !above.isDirectory())
      throw new UsageError({
        en: `${option} ${dir}: the path goes through ${parent}, a file, not a folder`,
        ru: `${option} ${dir}: путь проходит через ${parent} — это файл, а не каталог`,
      });
    if (above || parent === path.dirname(parent)) return dir;
  }
}
