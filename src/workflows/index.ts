// workflows: what each command does, one module per command (or family of commands) returning
// data, with a renderer beside it (<command>.render.ts) that turns the data into text; the CLI
// only parses options and prints. Imports every stage before it.
export * from './audit.js';
export * from './bus.js';
export * from './bus.render.js';
export * from './certificate.js';
export * from './certificate.render.js';
export * from './context.js';
export * from './coverage.js';
export * from './coverage.render.js';
export * from './docs.js';
export * from './docs.render.js';
export * from './drift.js';
export * from './engine.js';
export * from './engine.render.js';
export * from './errors.js';
export * from './firewall.js';
export * from './firewall.render.js';
export * from './incident.js';
export * from './incident.render.js';
export * from './init.js';
export * from './init.render.js';
export * from './migrate.js';
export * from './migrate.render.js';
export * from './onboard.js';
export * from './onboard.render.js';
export * from './plan.js';
export * from './plan.render.js';
export * from './probe.js';
export * from './probe.render.js';
export * from './run-checks.js';
export * from './run-checks.render.js';
export * from './status.js';
export * from './status.render.js';
export * from './validate.js';
export * from './validate.render.js';
