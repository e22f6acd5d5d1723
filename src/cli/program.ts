// The builder: the command table (commands.ts) as commander commands — the shared options, each
// row's arguments and options, an action that runs the row and prints its result on stdout —
// and, in Russian, the help translated (help-ru.ts).
import { Command, Option } from 'commander';
import { DEFAULT_LANG, type Lang } from '../report/index.js';
import type { CommandGroup, CommandRow, Format, OptionSpec } from './command-spec.js';
import { COMMANDS, PROGRAM_DESCRIPTION } from './commands.js';
import { russianHelp } from './help-ru.js';
import { commanderText } from './language.js';
import { formatOption, INVENTORY_OPTION, LANG_OPTION } from './options.js';

function option(spec: OptionSpec): Option {
  const made = new Option(spec.flags, spec.description);
  if (spec.choices) made.choices([...spec.choices]);
  if (spec.default !== undefined) made.default(spec.default);
  if (spec.required) made.makeOptionMandatory();
  return made;
}

/** A row as a command under `parent`: its shared options first, then its own; its action prints and sets the exit code. */
function addCommand(parent: Command, row: CommandRow, lang: Lang): void {
  const command = parent.command(row.name).description(row.description.en);
  const format = formatOption(row.formats);
  const shared = row.shared === 'all' ? [INVENTORY_OPTION, format, LANG_OPTION] : [format, LANG_OPTION];
  for (const spec of [...shared, ...row.options]) command.addOption(option(spec));
  for (const argument of row.arguments) command.argument(argument.name, argument.description);
  command.action(async (...params: unknown[]) => {
    // commander passes the arguments in order, then the options, then the command.
    const values = { ...command.opts() };
    for (const [i, argument] of row.arguments.entries()) values[argument.name.replace(/[<>[\].]/g, '')] = params[i];
    const { output, exitCode } = await row.execute(values, lang, values.format as Format);
    process.stdout.write(`${output}\n`);
    process.exitCode = exitCode;
  });
}

/** Adds the table's commands (and groups of commands) to a program. */
export function addCommands(program: Command, table: ReadonlyArray<CommandRow | CommandGroup>, lang: Lang): void {
  for (const row of table) {
    if (!('commands' in row)) {
      addCommand(program, row, lang);
      continue;
    }
    const group = program.command(row.name).description(row.description.en);
    for (const sub of row.commands) addCommand(group, sub, lang);
  }
}

/** The `prichal` program; `lang` is the language of its human output and help (cliLanguage: --lang, operator.yaml, Russian). */
export function buildProgram(lang: Lang = DEFAULT_LANG): Command {
  const program = new Command('prichal')
    .description(PROGRAM_DESCRIPTION.en)
    .showHelpAfterError(lang === 'ru' ? '(справка: --help)' : '(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(commanderText(text, lang, 'prichal')) })
    .exitOverride();
  addCommands(program, COMMANDS, lang);
  if (lang === 'ru') russianHelp(program);
  return program;
}
