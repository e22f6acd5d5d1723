// Text that people read on forms and reports: a required field holding only spaces (or only
// zero-width, soft-hyphen, bidirectional or other invisible characters) passes the schema's
// "required" and prints as a blank cell; a name of megabytes validates slowly and
// breaks every page. Every string in the files must hold a visible character and stay within
// MAX_TEXT characters (the longest real value, a waiver reason or an organisation's full name,
// is a few hundred).
import type { Finding } from '../findings.js';
import { Findings, type Rule } from '../model.js';
import type { SourceFile } from '../source.js';

export const MAX_TEXT = 1000;

/**
 * A character that shows: anything but white space, control and format characters (zero-width
 * spaces and joiners, U+2060, U+FEFF, the soft hyphen U+00AD, bidirectional marks and overrides),
 * the other default-ignorable code points (variation selectors, Hangul fillers), combining marks
 * with nothing to combine with and the blank Braille pattern U+2800. Usually the first character
 * already shows, so a million values cost one match each.
 */
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Mn}\p{Me}\u2800]/u;

/** Whether a text has no visible character: what a form would print as an empty cell. */
export const isBlank = (value: string): boolean => !VISIBLE.test(value);

const BLANK = {
  en: 'must not be blank: write the value, or leave the field out where it is optional',
  ru: 'не может быть пустым: впишите значение или уберите необязательное поле',
};

// One path stack for the whole walk, copied only when a finding needs it: validating 10,000
// participants visits about a million values, and a fresh array per value doubled peak memory.
function walk(value: unknown, path: (string | number)[], source: SourceFile, findings: Findings): void {
  if (typeof value === 'string') {
    if (isBlank(value)) findings.at(source, [...path], 'schema', BLANK);
    else if (value.length > MAX_TEXT)
      findings.at(source, [...path], 'schema', {
        en: `is ${value.length} characters long; at most ${MAX_TEXT}`,
        ru: `длина ${value.length} символов; допустимо не больше ${MAX_TEXT}`,
      });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const entries: Iterable<[string | number, unknown]> = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, item] of entries) {
    if (typeof item !== 'string' && (item === null || typeof item !== 'object')) continue;
    path.push(key);
    walk(item, path, source, findings);
    path.pop();
  }
}

/** One file's strings; participant files are checked this way with their parse (file-check.ts), so the result is cached with it. */
export function presentableText(value: unknown, source: SourceFile): Finding[] {
  const findings = new Findings();
  walk(value, [], source, findings);
  return findings.items;
}

/** operator.yaml's strings (participants' are checked file by file, see presentableText). */
export const textIsPresentable: Rule = (inventory, findings) => {
  if (inventory.operator) walk(inventory.operator.value, [], inventory.operator.source, findings);
};
