// The `prichal` command: decides the language, builds the program from the command table
// (program.ts, commands.ts), runs it, and turns what stopped it into stderr text, one JSON
// document under --format json, and an exit code (errors.ts). May import every other stage.
import { type Command, CommanderError } from 'commander';
import type { Lang } from '../report/index.js';
import { InvalidInventoryError } from '../workflows/errors.js';
import { errorChain, EXIT, exitCodeOf, failureText } from './errors.js';
import { cliLanguage } from './language.js';
import { buildProgram } from './program.js';

export { buildProgram };

const jsonRequested = (argv: readonly string[]) =>
  argv.some((a, i) => a === '--format=json' || (a === '--format' && argv[i + 1] === 'json'));

/** commander's own usage error (unknown option or command, missing value or option, extra argument): it printed it on stderr. */
function usageFailure(error: CommanderError, argv: readonly string[]): number {
  // --help and --version end through here with exit code 0.
  if (error.exitCode === 0) return EXIT.ok;
  // Under --format json, stdout carries it as one JSON document too.
  if (jsonRequested(argv)) {
    const message =
      error.code === 'commander.help'
        ? 'no command given (run with --help for usage)'
        : error.message.replace(/^error: /, '');
    process.stdout.write(
      `${JSON.stringify({ error: message, kind: 'UsageError', code: error.code, exitCode: EXIT.usage }, null, 2)}\n`,
    );
  }
  return EXIT.usage;
}

/** What stopped a command: on stderr with its causes, and under --format json one JSON document on stdout. */
function failure(error: unknown, argv: readonly string[], lang: Lang, name: string): number {
  process.stderr.write(`${name}: ${failureText(error, lang)}\n`);
  // A script never parses an empty output: stdout still carries what stopped the command (and for
  // an invalid inventory, its located findings).
  if (jsonRequested(argv)) {
    const causes = errorChain(error, 'en').slice(1);
    const body =
      error instanceof InvalidInventoryError
        ? { error: 'the inventory does not validate', findings: error.findings }
        : {
            error: error instanceof Error ? error.message : String(error),
            kind: error instanceof Error ? error.name : 'Error',
            ...(causes.length ? { causes } : {}),
          };
    process.stdout.write(`${JSON.stringify({ ...body, exitCode: exitCodeOf(error) }, null, 2)}\n`);
  }
  return exitCodeOf(error);
}

/** Runs a program built in the CLI's language on argv; its exit code. `name` prefixes what stopped it on stderr. */
export async function runProgram(name: string, build: (lang: Lang) => Command, argv: string[]): Promise<number> {
  // A write over the file-size limit (ulimit -f) then fails with EFBIG and is reported like a
  // full disk, the old file left whole, instead of the process dying of SIGXFSZ.
  process.on('SIGXFSZ', () => undefined);
  const lang = await cliLanguage(argv);
  try {
    await build(lang).parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    return error instanceof CommanderError ? usageFailure(error, argv) : failure(error, argv, lang, name);
  }
}

export const main = (argv: string[]): Promise<number> => runProgram('prichal', buildProgram, argv);

// Run when executed directly (bin/prichal), not when imported by tests.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
