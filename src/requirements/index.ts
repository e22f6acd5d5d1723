// requirements: the one catalogue of requirements (ids, sources cited by title, the checks and
// their words), right above the model and the plan; imports inventory and plan. Used by
// validation (through checkInventory), audit, drift, the bus adapter's promotion gate and the
// documents.
export * from './catalogue.js';
export * from './channel.js';
export * from './organisation.js';
export * from './portal.js';
export * from './registration.js';
export * from './regulations.js';
export * from './requirement-check.js';
export * from './sed.js';
export * from './signers.js';
export * from './support.js';
export * from './validate-and-plan.js';
export * from './validation.js';
export * from './versions.js';
export * from './workstation.js';
