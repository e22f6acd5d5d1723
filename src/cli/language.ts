// Which language the CLI speaks to people: --lang, else the `language` of operator.yaml in the
// --inventory folder, else Russian (the operator's). Decided before the command runs, so that
// its output and an error that stops it read alike; JSON output is the same in either.
import { parse } from 'yaml';
import { OPERATOR_FILE, readInventoryText } from '../inventory/index.js';
import { DEFAULT_LANG, isLang, type Lang } from '../report/index.js';

/** The value of an option in argv, as commander accepts it (`--name value` or `--name=value`). */
function optionValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i]!.startsWith(`${name}=`)) return argv[i]!.slice(name.length + 1);
  }
  return undefined;
}

export async function cliLanguage(argv: readonly string[]): Promise<Lang> {
  const asked = optionValue(argv, '--lang');
  if (isLang(asked)) return asked;
  // An unreadable or broken operator.yaml is validation's to report; here it only means the default.
  const read = await readInventoryText(optionValue(argv, '--inventory') ?? 'inventory', OPERATOR_FILE).catch(
    () => undefined,
  );
  if (!read || !('text' in read)) return DEFAULT_LANG;
  try {
    const language = (parse(read.text, { maxAliasCount: 100 }) as { language?: unknown } | null)?.language;
    return isLang(language) ? language : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
}

// commander words its own usage errors in English; these are the ones a user meets, in Russian
// (the leading "error: " stays for commanderText to replace).
const COMMANDER_RU: Array<[RegExp, string]> = [
  [/^error: unknown option '([^']*)'/m, "error: неизвестный параметр '$1'"],
  [/^error: unknown command '([^']*)'/m, "error: неизвестная команда '$1'"],
  [/^error: required option '([^']*)' not specified/m, "error: не указан обязательный параметр '$1'"],
  [/^error: option '([^']*)' argument missing/m, "error: у параметра '$1' нет значения"],
  [
    /^error: option '([^']*)' argument '([^']*)' is invalid\. Allowed choices are ([^\n]*)\./m,
    "error: недопустимое значение '$2' параметра '$1'; допустимы: $3",
  ],
  [/^error: missing required argument '([^']*)'/m, "error: не указан обязательный аргумент '$1'"],
  [
    /^error: too many arguments for '([^']*)'\. Expected (\d+) arguments? but got (\d+): ([^\n]*)\./m,
    "error: лишние аргументы команды '$1': ожидается $2, получено $3: $4",
  ],
  [/^\(Did you mean one of ([^\n]*)\?\)/m, '(возможно, имелось в виду одно из: $1)'],
  [/^\(Did you mean ([^\n]*)\?\)/m, '(возможно, имелось в виду $1)'],
];

/**
 * commander's error text in the language (help text itself stays as declared), prefixed like
 * every other failure the program prints: `prichal: …` in place of commander's "error: ".
 */
export function commanderText(text: string, lang: Lang, program: string): string {
  const said = lang === 'ru' ? COMMANDER_RU.reduce((out, [pattern, ru]) => out.replace(pattern, ru), text) : text;
  return said.replace(/^error: /m, `${program}: `);
}
