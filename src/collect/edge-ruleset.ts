// The edge's ruleset (`nft -j list ruleset`), checked against the planned table: FW-1
// default-deny, FW-2 nothing accepted beyond the declared flows, FW-3 the table as planned.
// Parsing and comparison are the shared table model (render's nftables-model), which the
// firewall's apply also verifies with.
import { judgedBy } from '../requirements/index.js';
import { addressValue, cidrInterval, CONTOURS, isIPv4, type Interval } from '../inventory/index.js';
import type { Plan, PlannedEdge } from '../plan/index.js';
import {
  compareTables,
  FORWARD_CHAIN,
  NFT,
  parseNftJson,
  plannedTable,
  PRICHAL_TABLE_KEY,
  type TableModel,
} from '../render/index.js';
import type { EdgeSource, LiveFinding } from './source.js';

/** Every table of the edge's ruleset, keyed "family name". */
export type EdgeRuleset = Map<string, TableModel>;

export const edgeRuleset: EdgeSource<EdgeRuleset> = {
  name: 'edge-ruleset',
  informs: judgedBy('edge-ruleset'),
  edge: { commands: [`${NFT} -j list ruleset`], parse: ([listing]) => parseNftJson(listing ?? '') },
  check(readings, { plan }) {
    const ownerOf = ownerIndex(plan);
    return { findings: readings.flatMap((r) => (r.ok ? checkEdge(r.subject.edge, r.value, ownerOf) : [])) };
  },
};

function checkEdge(
  edge: PlannedEdge,
  tables: EdgeRuleset,
  ownerOf: (text: string) => string | undefined,
): LiveFinding[] {
  const out: LiveFinding[] = [];
  const base = { subject: edge.id } as const;
  const planned = plannedTable(edge);
  const live = tables.get(PRICHAL_TABLE_KEY);
  const forward = live?.chains.forward;
  if (!forward || forward.hook !== 'forward' || forward.policy !== 'drop') {
    out.push({
      ...base,
      requirement: 'FW-1',
      severity: 'error',
      message: `no default-deny: ${forward ? `chain forward has policy ${forward.policy}` : "Prichal's forward chain is missing"}`,
      evidence: forward
        ? `inet prichal forward: type ${forward.type} hook ${forward.hook} priority ${forward.prio}; policy ${forward.policy}`
        : 'table inet prichal: absent',
      fix: "re-apply the edge firewall: 'prichal firewall apply --edge " + edge.id + "'",
    });
  }
  for (const d of compareTables(planned, live)) {
    const participant = d.element ? ownerOf(d.element) : undefined;
    out.push({
      ...base,
      ...(participant ? { participant } : {}),
      requirement: 'FW-3',
      severity: 'error',
      message: d.message,
      evidence: `live table inet prichal on ${edge.id}`,
      fix: `re-apply the planned table ('prichal firewall apply --edge ${edge.id}'); change the inventory instead of the host`,
    });
  }
  // FW-2: whatever accepts traffic beyond the declared pairs.
  if (live) {
    for (const [name, set] of Object.entries(live.sets)) {
      const declared = new Set(planned.sets[name]?.elements ?? []);
      for (const element of set.elements.filter((e) => !declared.has(e))) {
        const participant = ownerOf(element);
        out.push({
          ...base,
          ...(participant ? { participant } : {}),
          requirement: 'FW-2',
          severity: 'error',
          message: `accepts an undeclared flow ${element}`,
          evidence: `set ${name} element ${element}`,
          fix: 'remove the element; declare the flow in the inventory if it is needed',
        });
      }
    }
    for (const rule of forward?.rules ?? []) {
      if (FORWARD_CHAIN.rules.includes(rule as never) || !/\baccept\b/.test(rule)) continue;
      const participant = ownerOf(rule);
      out.push({
        ...base,
        ...(participant ? { participant } : {}),
        requirement: 'FW-2',
        severity: 'error',
        message: `an accepting rule outside the declared flows: ${rule}`,
        evidence: `inet prichal forward: ${rule}`,
        fix: 'remove the rule; declare the flow in the inventory if it is needed',
      });
    }
  }
  for (const [key, table] of tables) {
    if (key === PRICHAL_TABLE_KEY) continue;
    for (const [chainName, chain] of Object.entries(table.chains)) {
      for (const rule of chain.rules) {
        const participant = ownerOf(rule);
        if (!participant || !/\baccept\b/.test(rule)) continue;
        out.push({
          ...base,
          participant,
          requirement: 'FW-2',
          severity: 'error',
          message: `a rule outside Prichal's table accepts participant traffic: ${rule}`,
          evidence: `${key} ${chainName}: ${rule}`,
          fix: 'remove the rule; participant traffic is governed by table inet prichal only',
        });
      }
    }
  }
  return out;
}

/** Who owns an address or network: attributes set elements and rules to participants. */
function ownerIndex(plan: Plan): (text: string) => string | undefined {
  const exact = new Map<string, string>();
  const networks: Array<{ interval: Interval; participant: string }> = [];
  for (const c of CONTOURS) {
    for (const r of plan.contours[c].registrations) {
      exact.set(r.gateway, r.participant);
      for (const e of r.endpoints) exact.set(e.address, r.participant);
      for (const n of r.networks) {
        exact.set(n, r.participant);
        networks.push({ interval: cidrInterval(n), participant: r.participant });
      }
    }
  }
  return (text) => {
    for (const token of text.split(/[\s,{}]+/)) {
      const owner = exact.get(token);
      if (owner) return owner;
      const address = token.split('/')[0]!;
      if (!isIPv4(address)) continue;
      const value = addressValue(address);
      const hit = networks.find((n) => n.interval.start <= value && value <= n.interval.end);
      if (hit) return hit.participant;
    }
    return undefined;
  };
}
