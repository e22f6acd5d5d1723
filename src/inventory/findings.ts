// Findings are the one currency of validation: every phase pushes them, nothing throws.

import { terminalText } from '../escape.js';
import { quoteFromFile } from '../files.js';

export const FINDING_CODES = [
  'yaml-syntax',
  'file-unreadable',
  'file-empty',
  'duplicate-key',
  'schema',
  'id-mismatch',
  'duplicate-id',
  'unknown-reference',
  'subnet-overlap',
  'endpoint-outside-networks',
  'address-special',
  'vipnet-node-mismatch',
  'duplicate-vipnet-node',
  'duplicate-mnemonic',
  'port-not-allowed',
  'contour-order',
  'coordinator-required',
  'agreement-missing',
  'leased-line-incomplete',
  'leased-line-circuit',
  'pool-exhausted',
  'allocation-duplicate',
  'schema-version',
  'coordinator-kind',
  'sed-path',
  'registration-dates',
  'coordinator-cycle',
  // what `prichal migrate` leaves to a person (its output only, never validation's)
  'migration-decision',
  // warnings
  'allocation-moved',
  'allocation-unknown',
  'address-public',
  'file-missing',
  'certificate-expiry',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];
export type Severity = 'error' | 'warning';

/** One problem, located: the shape printed by `--format json` (docs/inventory.md). */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** Path relative to the inventory root, with forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Dotted field path, e.g. channel.vipnet.node or endpoints[0].port; empty for the whole file. */
  path: string;
  /** What is wrong and what is accepted (English: the JSON contract's field). */
  message: string;
  /** The same in Russian, the operator's language: what the CLI prints by default (`--lang`). */
  ru: string;
}

/** A finding's message as every rule writes it: in both languages the CLI speaks. */
export { joinWords, type Words } from '../words.js';

export type FieldPath = readonly (string | number)[];

/** A key or value that reads as itself: letters, digits and a little punctuation, at most 40 characters. */
const PLAIN = /^[\p{L}\p{N}._\/@:+-]{1,40}$/u;

/**
 * A key or value from a file, as a finding quotes it: a plain one in single quotes as written
 * ('colour'), anything else (long, blank, with spaces, quotes, control, zero-width or
 * bidirectional characters) as at most 40 characters, escaped (quoteFromFile): a finding never
 * echoes a file at length, nor characters that hide or rearrange what a terminal shows.
 */
export function quoted(value: string): string {
  return PLAIN.test(value) ? `'${value}'` : quoteFromFile(value);
}

/** A path segment from a file (an unknown key) as a finding's path shows it: plain as written, else quoted. */
export const pathKey = (key: string): string => (PLAIN.test(key) ? key : quoteFromFile(key));

export function formatPath(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

const SEVERITY_RU: Record<Severity, string> = { error: 'ошибка', warning: 'предупреждение' };

/** `file:line:column severity code path: message`, in the language asked for (codes and paths stay as written). */
export function formatFinding(f: Finding, lang: 'ru' | 'en' = 'en'): string {
  const where = `${f.file}:${f.line}:${f.column}`;
  const severity = lang === 'ru' ? SEVERITY_RU[f.severity] : f.severity;
  return terminalText(
    `${where} ${severity} ${f.code} ${f.path ? `${f.path}: ` : ''}${lang === 'ru' ? f.ru : f.message}`,
  );
}
