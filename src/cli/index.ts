// cli: the `prichal` command — the command table, the builder that makes commander commands of
// it, help in Russian, and the one place failures become exit codes; calls the workflows and
// prints what they return. May import every other stage.
export { buildProgram, main, runProgram } from './main.js';
export { EXIT, errorChain, exitCodeOf, failureText, UsageError } from './errors.js';
export { command, type CommandGroup, type CommandRow, type CommandSpec } from './command-spec.js';
export { addCommands } from './program.js';
// For programs built on the same conventions (the lab's): commander's words and the help in Russian.
export { commanderText } from './language.js';
export { russianHelp } from './help-ru.js';
