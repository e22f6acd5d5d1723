// drift: the catalogue's requirements evaluated — audit over the inventory, each live source's
// check over what it read — into one CheckResult, with waivers and history. Never writes to
// live systems. Imports inventory, plan, requirements, render, infra (types) and collect.
export * from './audit.js';
export * from './evidence.js';
export * from './history.js';
export * from './model.js';
export * from './run.js';
