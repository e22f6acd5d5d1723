// Everything validation does with one file alone, whatever the others hold: parse it (positions
// kept for findings) and, for a participant file, check its shape against the schema and its
// strings (rules/text.ts). This is
// the work that runs on worker threads and that the cache keeps; the rules that compare files
// run afterwards on the whole model.
import { isTimeZone } from './dates.js';
import { quoted, type Finding } from './findings.js';
import { OPERATOR_FILE, parseSource, PARTICIPANTS_DIR } from './parse.js';
import { presentableText } from './rules/text.js';
import { checkOperatorShape, checkParticipantShape } from './schema-check.js';
import { findingAt, type SourceFile } from './source.js';

export interface FileCheck {
  /** The document's plain data (normalized by the shape check when it passed); undefined when it did not parse. */
  data: unknown;
  /** Parse findings. */
  findings: Finding[];
  /**
   * The schema check of a participant file (and, when it passed, its text check) or of
   * operator.yaml, when it parsed. Kept with the parse, so that an unchanged inventory needs
   * no schema at all (compiling both costs about half a second).
   */
  shape?: { ok: boolean; findings: Finding[] };
}

export function checkFile(file: string, text: string): FileCheck {
  const { loaded, findings } = parseSource(file, text);
  if (loaded.data === undefined) return { data: loaded.data, findings };
  if (file.startsWith(`${PARTICIPANTS_DIR}/`))
    return { data: loaded.data, findings, shape: checkParticipantData(loaded.source, loaded.data) };
  if (file === OPERATOR_FILE)
    return { data: loaded.data, findings, shape: checkOperatorData(loaded.source, loaded.data) };
  return { data: loaded.data, findings };
}

/**
 * operator.yaml's schema, and then its time zone: a name of the right form that this Node does
 * not know (`Asia/Yekaterinberg`) fails the shape like a wrong value, located at timeZone, so no
 * command ever computes a date in it (Intl throws a RangeError). Known zones are Node's ICU data,
 * part of the parse cache's key (parse-cache.ts).
 */
export function checkOperatorData(source: SourceFile, data: unknown): { ok: boolean; findings: Finding[] } {
  const shape = checkOperatorShape(source, data);
  const zone = shape.value?.timeZone;
  if (zone !== undefined && !isTimeZone(zone)) {
    return {
      ok: false,
      findings: [
        findingAt(source, ['timeZone'], 'schema', {
          en: `${quoted(zone)} is not a time zone known to the IANA database; write one such as Asia/Yekaterinburg (Tyumen), Asia/Omsk or Europe/Moscow`,
          ru: `${quoted(zone)} — такого часового пояса нет в базе IANA; укажите существующий, например Asia/Yekaterinburg (Тюмень), Asia/Omsk или Europe/Moscow`,
        }),
      ],
    };
  }
  return { ok: shape.value !== undefined, findings: shape.findings };
}

/** The schema (which normalizes `data` in place when it passes), then, if it passed, the strings. */
export function checkParticipantData(source: SourceFile, data: unknown): { ok: boolean; findings: Finding[] } {
  const shape = checkParticipantShape(source, data);
  return shape.value
    ? { ok: true, findings: presentableText(shape.value, source) }
    : { ok: false, findings: shape.findings };
}
