// render: text artefacts from the plan (nftables rulesets, gateway specifications). Pure;
// imports from plan and inventory only. Consumed by infra, collect and drift.
export * from './nftables.js';
export * from './nftables-model.js';
export * from './gateway.js';
export * from './channel-model.js';
export * from './iplir-conf.js';
export * from './vipnet-model.js';
export * from './channel.js';
