// cli: the `prichal` command — options, help, text output and the exit-code table; calls the
// workflows and prints what they return. May import every other stage.
export { buildProgram, main } from './main.js';
export { EXIT, exitCodeOf, UsageError } from './errors.js';
