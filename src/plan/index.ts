// plan: addresses, registrations and (later) rules derived from the validated inventory.
// Pure; imports only from inventory. Consumed by render, infra, docs, drift and cli.
export * from './allocate.js';
export * from './model.js';
export * from './plan.js';
export * from './firewall.js';
export * from './check.js';
export * from './probe.js';
