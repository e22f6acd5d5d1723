// workflows: what each command does, as functions that return data (validate → plan → act or
// check → report); the CLI only parses options and prints. Imports every stage before it.
export * from './checks.js';
export * from './context.js';
export * from './documents.js';
export * from './engine.js';
export * from './errors.js';
export * from './live.js';
