// plan: addresses, registrations, edge flows, bus naming and the probe sample, derived from the
// validated inventory. Pure; imports only from inventory. Consumed by every later stage.
export * from './allocate.js';
export * from './placement.js';
export * from './gateway-hosts.js';
export * from './model.js';
export * from './plan.js';
export * from './firewall.js';
export * from './coordinators.js';
export * from './probe.js';
export * from './bus.js';
export * from './lifecycle.js';
