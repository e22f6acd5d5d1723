// Words a person reads, in both languages the CLI speaks (English and Russian, the operator's):
// every stage writes its messages this way, the CLI picks one (cli/language.ts). Shared by all
// stages, like project.ts.

export interface Words {
  en: string;
  ru: string;
}

/** "в тестовом контуре" / "в промышленном контуре": where a contour is named inside a Russian sentence. */
export const inContourRu = (contour: 'test' | 'prod'): string =>
  contour === 'test' ? 'в тестовом контуре' : 'в промышленном контуре';

/** Several messages' words joined into one, language by language. */
export const joinWords = (items: readonly Words[], separator: string): Words => ({
  en: items.map((w) => w.en).join(separator),
  ru: items.map((w) => w.ru).join(separator),
});

/**
 * An error worded in both languages: `message` is English (logs, `--format json`), `ru` what the
 * CLI prints in Russian. Errors of the live systems' own layers (SSH, nft, the bus, Docker, the
 * engine) quote those systems and stay as they are. One that wraps another keeps it as `cause`
 * (`{ cause: error }`), which the CLI shows below it.
 */
export class WordedError extends Error {
  readonly ru: string;
  constructor(words: Words, options?: ErrorOptions) {
    super(words.en, options);
    this.ru = words.ru;
  }
}

/** What a person reads of an error in the language: a WordedError's Russian, else the message as it is. */
export const errorText = (error: unknown, lang: 'ru' | 'en'): string =>
  error instanceof WordedError && lang === 'ru' ? error.ru : error instanceof Error ? error.message : String(error);

/** The error an error wraps, if any. */
const causeOf = (error: unknown): unknown => (error instanceof Error && error.cause != null ? error.cause : undefined);

/**
 * What a failure says, top first: its message, then the first line of each cause it wraps
 * (`error.cause`, and theirs) that adds something — a cause whose words the lines above already
 * hold is left out. Messages are as their errors made them: redacted where they quote a secret.
 */
export function errorChain(error: unknown, lang: 'ru' | 'en'): string[] {
  const lines = [errorText(error, lang)];
  const seen = new Set<unknown>([error]);
  for (let cause = causeOf(error); cause !== undefined && !seen.has(cause); cause = causeOf(cause)) {
    seen.add(cause);
    const line = errorText(cause, lang).split('\n')[0]!.trim();
    if (line && !lines.some((above) => above.includes(line))) lines.push(line);
  }
  return lines;
}
