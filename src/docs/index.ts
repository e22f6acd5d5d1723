// docs: the forms, acts and protocols of the regulations and the coverage statistics, from the
// inventory, the plan and probe results. Imports from inventory, plan and infra's probe types.
export * from './coordinator.js';
export * from './coverage.js';
export * from './documents.js';
export * from './html.js';
export * from './incident.js';
export * from './register.js';
