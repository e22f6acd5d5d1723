// infra: adapters to live systems — SSH to edges and the hub, the firewall apply, the bus API,
// Docker, the connectivity probe, secrets; the Pulumi program, provider and engine (pulumi/).
// Imports inventory, plan, requirements, render.
export * from './bus.js';
export * from './docker.js';
export * from './docker-api.js';
export * from './edges.js';
export * from './firewall.js';
export * from './probe.js';
export * from './secrets.js';
export * from './ssh.js';
