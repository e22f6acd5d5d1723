// requirements: the one catalogue of requirements (ids, sources cited by title, pure checks),
// right above the model and the plan; imports inventory and plan. Used by validation (through
// checkInventory), audit, drift, the bus adapter's promotion gate and the documents.
export * from './catalogue.js';
export * from './check.js';
export * from './checks.js';
export * from './regulations.js';
export * from './sed.js';
export * from './validation.js';
export * from './portal.js';
export * from './versions.js';
