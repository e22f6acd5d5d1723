// The live sources drift reads and checks, one row each: a new source is its module and a row
// here. The order is the order of the result's unchecked subjects and reads.
import { bus } from './bus.js';
import { edgeRoutes } from './edge-routes.js';
import { edgeRuleset } from './edge-ruleset.js';
import { edgeVipnet } from './edge-vipnet.js';
import { gateways } from './gateways.js';
import type { LiveSource } from './source.js';

export const SOURCES: readonly LiveSource[] = [edgeRuleset, gateways, bus, edgeRoutes, edgeVipnet];
