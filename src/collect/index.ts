// collect: reads the live state — edge rulesets over SSH, gateway containers from Docker, bus
// registrations from the management API — and checks it against the plan, one module per
// source (the table: sources.ts). Reads only, never writes; a device that cannot be read is a
// value ("not checked"), so one dead host never stops a fleet-wide run.
export * from './bus.js';
export * from './edge-ruleset.js';
export * from './edge-session.js';
export * from './gateways.js';
export * from './read.js';
export * from './source.js';
export * from './sources.js';
