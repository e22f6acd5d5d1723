// One inventory file's text → its plain data and its YAML findings (yaml-syntax, duplicate-key,
// file-empty), positions kept. Pure and per file: the main thread and the parse workers both
// call it (parse-pool.ts).
import { isScalar } from 'yaml';
import { quoteFromFile } from '../files.js';
import type { Finding, Words } from './findings.js';
import { parseWithPositions, SourceFile } from './source.js';

export const OPERATOR_FILE = 'operator.yaml';
export const PARTICIPANTS_DIR = 'participants';
export const ALLOCATIONS_FILE = 'allocations.yaml';

export interface LoadedFile {
  source: SourceFile;
  /** Plain data of the document; undefined when the file did not parse. */
  data: unknown;
  /** A participant file's schema check, done with its parse (file-check.ts). */
  shape?: { ok: boolean; findings: Finding[] };
  /** The digest of its path and text, when it came through the parse cache (parse-cache.ts). */
  digest?: string;
}

/** The parser's message for a person: a stack overflow means a structure nested too deeply. */
function yamlMessage(message: string): Words {
  if (/Maximum call stack size exceeded/.test(message)) {
    return {
      en: 'not valid YAML: nested too deeply to read (thousands of levels of lists or mappings); inventory files nest a few levels',
      ru: 'не читается как YAML: вложенность слишком глубока (тысячи уровней списков или словарей); файлы реестра вложены на несколько уровней',
    };
  }
  // The parser's own words (the yaml library's, in English) follow the Russian lead-in.
  const text = fromParser(message.split('\n')[0]!);
  return { en: `not valid YAML: ${text}`, ru: `не читается как YAML: ${text}` };
}

/**
 * The parser's message with what it quotes of the file (a tag, an alias, a directive: `Unresolved
 * tag: !<10 KB>`) bounded as a finding quotes a value: any word longer than 40 characters or
 * holding control, zero-width or bidirectional characters is quoted, escaped (quoteFromFile).
 */
function fromParser(message: string): string {
  return message.replace(/[^ ]+/g, (word) =>
    word.length > 40 || /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Z}]/u.test(word) ? quoteFromFile(word) : word,
  );
}

/** A finding about a file as a whole (it has no field to point at). */
export const fileError = (code: Finding['code'], file: string, message: Words): Finding => ({
  code,
  severity: 'error',
  file,
  line: 1,
  column: 1,
  path: '',
  message: message.en,
  ru: message.ru,
});

const DUPLICATE_KEY: Words = {
  en: 'a mapping repeats a key; each field may appear once',
  ru: 'ключ повторяется в словаре; каждое поле указывается один раз',
};
const EMPTY_FILE: Words = {
  en: 'the file is empty (or holds only comments); it needs the fields of its schema',
  ru: 'файл пуст (или содержит только комментарии); в нём должны быть поля его схемы',
};

export function parseSource(file: string, text: string): { loaded: LoadedFile; findings: Finding[] } {
  const source = new SourceFile(file, text);
  let parsed: ReturnType<typeof parseWithPositions>;
  try {
    parsed = parseWithPositions(text);
  } catch (error) {
    return {
      loaded: { source, data: undefined },
      findings: [fileError('yaml-syntax', file, yamlMessage((error as Error).message))],
    };
  }
  const { doc, lines } = parsed;
  const findings: Finding[] = doc.errors.map((error) => {
    const { line, col } = lines.linePos(error.pos[0]);
    const duplicate = error.code === 'DUPLICATE_KEY';
    const words = duplicate ? DUPLICATE_KEY : yamlMessage(error.message);
    return {
      code: duplicate ? 'duplicate-key' : 'yaml-syntax',
      severity: 'error',
      file,
      line,
      column: col,
      path: '',
      message: words.en,
      ru: words.ru,
    } satisfies Finding;
  });
  if (findings.length === 0 && (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null))) {
    findings.push(fileError('file-empty', file, EMPTY_FILE));
  }
  let data: unknown;
  if (findings.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // An alias to nothing, or aliases expanding past 100 references (an alias bomb).
      findings.push(fileError('yaml-syntax', file, yamlMessage((error as Error).message)));
    }
  }
  return { loaded: { source, data }, findings };
}
