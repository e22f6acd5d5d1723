// Text that people read on forms and reports: a required field holding only spaces passes the
// schema's "required" and prints as a blank cell; a name of megabytes validates slowly and
// breaks every page. Every string in the files must hold a visible character and stay within
// MAX_TEXT characters (the longest real value, a waiver reason or an organisation's full name,
// is a few hundred).
import type { FieldPath } from '../findings.js';
import type { Findings, Rule } from '../model.js';
import type { SourceFile } from '../source.js';

export const MAX_TEXT = 1000;

function walk(value: unknown, path: FieldPath, source: SourceFile, findings: Findings): void {
  if (typeof value === 'string') {
    if (value.trim() === '') findings.at(source, path, 'schema', 'must not be blank: write the value, or leave the field out where it is optional');
    else if (value.length > MAX_TEXT) findings.at(source, path, 'schema', `is ${value.length} characters long; at most ${MAX_TEXT}`);
  } else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], source, findings));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, [...path, key], source, findings);
}

export const textIsPresentable: Rule = (inventory, findings) => {
  if (inventory.operator) walk(inventory.operator.value, [], inventory.operator.source, findings);
  for (const { value, source } of inventory.participants) walk(value, [], source, findings);
};
