// How far a long run is: the step it is in, named in both languages, and how many of the step's
// items are done. Every stage reports through this one shape (reading files, the rules, the
// audit, the live reads, the documents); the CLI draws it on a terminal and nowhere else
// (cli/terminal.ts). Shared by all stages, like words.ts.
import type { Words } from './words.js';

export type Progress = (step: Words, done: number, total: number) => void;
