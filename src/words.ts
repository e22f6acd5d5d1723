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
 * engine) quote those systems and stay as they are.
 */
export class WordedError extends Error {
  readonly ru: string;
  constructor(words: Words) {
    super(words.en);
    this.ru = words.ru;
  }
}

/** What a person reads of an error in the language: a WordedError's Russian, else the message as it is. */
export const errorText = (error: unknown, lang: 'ru' | 'en'): string =>
  error instanceof WordedError && lang === 'ru' ? error.ru : error instanceof Error ? error.message : String(error);
