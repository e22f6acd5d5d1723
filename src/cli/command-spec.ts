// The shape of a row of the command table (commands.ts): what a command is called and says, the
// arguments and options it takes, the workflow it runs, how its result is printed and which exit
// code a result that came back means. program.ts turns the rows into commander commands.
import type { Lang } from '../report/index.js';
import type { Words } from '../words.js';
import { EXIT } from './errors.js';

/** What --format takes: text and json everywhere, markdown where a command renders it. */
export type Format = 'text' | 'json' | 'markdown';

/** An option; its description is English, its Russian in help-ru.ts. */
export interface OptionSpec {
  /** commander's flags: '--at <date>', '--save'. */
  flags: string;
  description: string;
  default?: string | boolean;
  required?: boolean;
  choices?: readonly string[];
}

/** A positional argument: '<id>' reaches the workflow's options as `id`. */
export interface ArgumentSpec {
  name: string;
  description: string;
}

/** A command as the table declares it, typed by its options (arguments included) and its result. */
export interface CommandSpec<O, R> {
  name: string;
  description: Words;
  arguments?: readonly ArgumentSpec[];
  /** The options every command shares: --inventory, --format and --lang (the default), or only --format and --lang. */
  shared?: 'all' | 'output';
  options?: readonly OptionSpec[];
  /** Runs the workflow with what the options say; `lang` is the language of the human output. */
  run(options: O, lang: Lang): Promise<R>;
  /** The result as people read it (--format text). */
  text(result: R, lang: Lang, options: O): string;
  /** The result as --format json prints it; the result itself unless given. */
  json?(result: R): unknown;
  /** The result as --format markdown prints it; a command without it offers text and json only. */
  markdown?(result: R, lang: Lang, options: O): string;
  /** The exit code of a result (EXIT.ok unless given); a failure's comes from errors.ts. */
  exitCode?(result: R, options: O): number;
}

/** What the builder needs of a command: its declaration, and a run that returns what to print and the exit code. */
export interface CommandRow {
  name: string;
  description: Words;
  arguments: readonly ArgumentSpec[];
  shared: 'all' | 'output';
  options: readonly OptionSpec[];
  /** The values --format takes. */
  formats: readonly Format[];
  execute(options: Record<string, unknown>, lang: Lang, format: Format): Promise<{ output: string; exitCode: number }>;
}

/** Commands under one name (certificate show | import). */
export interface CommandGroup {
  name: string;
  description: Words;
  commands: readonly CommandRow[];
}

/** A row of the table from a command's declaration (its types end here: the builder sees rows alike). */
export function command<O, R>(spec: CommandSpec<O, R>): CommandRow {
  return {
    name: spec.name,
    description: spec.description,
    arguments: spec.arguments ?? [],
    shared: spec.shared ?? 'all',
    options: spec.options ?? [],
    formats: spec.markdown ? ['text', 'json', 'markdown'] : ['text', 'json'],
    async execute(parsed, lang, format) {
      // commander's values are what the row declares: its options, defaults and arguments by name.
      const options = parsed as O;
      const result = await spec.run(options, lang);
      const output =
        format === 'json'
          ? JSON.stringify(spec.json ? spec.json(result) : result, null, 2)
          : format === 'markdown' && spec.markdown
            ? spec.markdown(result, lang, options)
            : spec.text(result, lang, options);
      return { output, exitCode: spec.exitCode?.(result, options) ?? EXIT.ok };
    },
  };
}
