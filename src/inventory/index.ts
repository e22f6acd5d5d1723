// inventory: reads inventory/*.yaml, checks shape (JSON Schema) and semantic rules, and returns
// the validated model with located findings. First stage of the data flow: imports nothing
// from the other stages.
export * from './addresses.js';
export * from './circuits.js';
export * from './dates.js';
export * from './findings.js';
export * from './load.js';
export * from './model.js';
export * from './source.js';
export * from './validate.js';
export type * from './types.generated.js';
export * from './certificate.js';
export * from './edit.js';
