// drift: the catalogue's requirements evaluated — audit over the inventory, live checks over
// collected state — into one CheckResult, with waivers and history. Never writes to live systems.
// Imports inventory, plan, requirements, render, infra (types and reads) and collect.
export * from './audit.js';
export * from './history.js';
export * from './live.js';
export * from './model.js';
export * from './run.js';
