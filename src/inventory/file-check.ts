// Everything validation does with one file alone, whatever the others hold: parse it (positions
// kept for findings) and, for a participant file, check its shape against the schema and its
// strings (rules/text.ts). This is
// the work that runs on worker threads and that the cache keeps; the rules that compare files
// run afterwards on the whole model.
import type { Finding } from './findings.js';
import { parseSource, PARTICIPANTS_DIR } from './parse.js';
import { presentableText } from './rules/text.js';
import { checkParticipantShape } from './schema-check.js';
import type { SourceFile } from './source.js';

export interface FileCheck {
  /** The document's plain data (normalized by the shape check when it passed); undefined when it did not parse. */
  data: unknown;
  /** Parse findings. */
  findings: Finding[];
  /** A participant file's schema check (and, when it passed, its text check), when it parsed. */
  shape?: { ok: boolean; findings: Finding[] };
}

export function checkFile(file: string, text: string): FileCheck {
  const { loaded, findings } = parseSource(file, text);
  if (loaded.data === undefined || !file.startsWith(`${PARTICIPANTS_DIR}/`)) return { data: loaded.data, findings };
  return { data: loaded.data, findings, shape: checkParticipantData(loaded.source, loaded.data) };
}

/** The schema (which normalizes `data` in place when it passes), then, if it passed, the strings. */
export function checkParticipantData(source: SourceFile, data: unknown): { ok: boolean; findings: Finding[] } {
  const shape = checkParticipantShape(source, data);
  return shape.value ? { ok: true, findings: presentableText(shape.value, source) } : { ok: false, findings: shape.findings };
}
