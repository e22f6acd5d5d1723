// The hub's ViPNet coordinator, compared read-only with the plan: what its configuration
// (iplir.conf, parsed by iplir-conf.ts) tunnels, and for whom. Prichal never writes certified
// crypto configuration; this says what differs, and tunnelSections renders what the ViPNet
// administrator must configure, in the file's own `[id]` form for comparison.
//
// A tunnel line is `tunnel= <real first>-<real last> to <virtual first>-<virtual last>`: the real
// addresses (the left side) are the hosts behind the node that reach the hub through it, so they
// are what is compared with the participant's declared networks. A declared network's own network
// and broadcast addresses may be left out of a range (administrators often write .1–.254 for a
// /24); any address outside the declared networks is a wider tunnel.
import { addressValue, cidrInterval, formatAddress, prefixLength, type Interval } from '../inventory/addresses.js';
import type { PlannedCoordinator, PlannedTunnel } from '../plan/index.js';
import { compareVersions, formatNodeId, type IplirConf, type IplirNode } from './iplir-conf.js';

export type VipnetRequirement = 'CH-6' | 'CH-7' | 'CH-8' | 'CH-9';

export interface VipnetDifference {
  participant?: string;
  requirement: VipnetRequirement;
  severity: 'error' | 'warning';
  kind:
    | 'node-missing'
    | 'tunnel-wider'
    | 'tunnel-narrower'
    | 'tunnel-unapproved'
    | 'tunnel-foreign'
    | 'filter-permissive'
    | 'version-low';
  message: string;
  ru: string;
  /** The lines of the configuration it stands on, with their numbers. */
  evidence: string;
}

/** Sorted, merged intervals. */
function union(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.start <= last.end + 1) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** The parts of `a` that `b` does not cover (both merged). */
function minus(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const i of a) {
    let start = i.start;
    for (const j of b) {
      if (j.end < start || j.start > i.end) continue;
      if (j.start > start) out.push({ start, end: j.start - 1 });
      start = Math.max(start, j.end + 1);
      if (start > i.end) break;
    }
    if (start <= i.end) out.push({ start, end: i.end });
  }
  return out;
}

const rangeText = (i: Interval) =>
  i.start === i.end ? formatAddress(i.start) : `${formatAddress(i.start)}-${formatAddress(i.end)}`;

/** What a tunnel must cover of a declared network: all of it, less its network and broadcast addresses (≤ /30). */
function required(cidr: string): Interval {
  const i = cidrInterval(cidr);
  return prefixLength(cidr) <= 30 ? { start: i.start + 1, end: i.end - 1 } : i;
}

const tunnelLines = (node: IplirNode) => node.tunnels.map((t) => `${t.line}: tunnel= ${t.text}`);
const lineOf = (node: IplirNode) => `${node.line}: [id] id= ${node.idText}`;

/**
 * How the coordinator's configuration differs from the plan: per approved participant its node
 * present (CH-6) and its tunnel ranges equal to its networks (CH-7); no tunnel for a node the
 * inventory lacks or has not approved (CH-8); no permissive filter default, no version under the
 * policy (CH-9). The coordinator's own section and the filter pseudo-nodes are not participants.
 */
export function vipnetDifferences(coordinator: PlannedCoordinator, conf: IplirConf): VipnetDifference[] {
  const out: VipnetDifference[] = [];
  const byId = new Map<string, IplirNode>();
  for (const node of conf.nodes) if (node.kind === 'node') byId.set(formatNodeId(node.id), node);
  const planned = new Map(coordinator.tunnels.map((t) => [t.node, t]));

  for (const tunnel of coordinator.tunnels) {
    if (!tunnel.approved) continue;
    const node = byId.get(tunnel.node);
    if (!node) {
      out.push({
        participant: tunnel.participant,
        requirement: 'CH-6',
        severity: 'error',
        kind: 'node-missing',
        message: `node ${tunnel.node} (network ${tunnel.network}) has no section in the coordinator's configuration`,
        ru: `узла ${tunnel.node} (сеть ${tunnel.network}) нет в конфигурации координатора`,
        evidence: `no [id] with id= ${tunnel.node}`,
      });
      continue;
    }
    out.push(...rangeDifferences(tunnel, node));
  }

  for (const node of conf.nodes) {
    if (node.kind !== 'node') continue;
    const id = formatNodeId(node.id);
    if (id === coordinator.node || node.tunnels.length === 0) continue;
    const tunnel = planned.get(id);
    if (tunnel?.approved) continue;
    const ranges = node.tunnels.map((t) =>
      rangeText({ start: addressValue(t.from.first), end: addressValue(t.from.last) }),
    );
    out.push(
      tunnel
        ? {
            participant: tunnel.participant,
            requirement: 'CH-8',
            severity: 'error',
            kind: 'tunnel-unapproved',
            message: `node ${id} tunnels ${ranges.join(', ')} although the participant is not approved (no registration provisioned)`,
            ru: `узел ${id} туннелирует ${ranges.join(', ')}, хотя подключение участника не согласовано`,
            evidence: [lineOf(node), ...tunnelLines(node)].join('; '),
          }
        : {
            requirement: 'CH-8',
            severity: 'error',
            kind: 'tunnel-foreign',
            message: `node ${id}${node.name ? ` (${node.name})` : ''} tunnels ${ranges.join(', ')} and is no participant of the inventory`,
            ru: `узел ${id}${node.name ? ` («${node.name}»)` : ''} туннелирует ${ranges.join(', ')}, но в реестре такого участника нет`,
            evidence: [lineOf(node), ...tunnelLines(node)].join('; '),
          },
    );
  }

  for (const node of conf.nodes) {
    const id = formatNodeId(node.id);
    const tunnel = planned.get(id);
    const whose = tunnel ? { participant: tunnel.participant } : {};
    const what =
      node.kind === 'main-filter'
        ? { en: 'the main filter (all protected nodes)', ru: 'основной фильтр (все защищённые узлы)' }
        : node.kind === 'broadcast-filter'
          ? { en: 'the filter of encrypted broadcasts', ru: 'фильтр широковещательных пакетов' }
          : { en: `node ${id}`, ru: `узел ${id}` };
    if (node.filterDefault?.toLowerCase() === 'pass' && (node.kind === 'main-filter' || tunnel?.approved || !tunnel))
      out.push({
        ...whose,
        requirement: 'CH-9',
        severity: 'error',
        kind: 'filter-permissive',
        message: `${what.en} lets everything through by default (filterdefault= pass)`,
        ru: `${what.ru} по умолчанию пропускает всё (filterdefault= pass)`,
        evidence: `${lineOf(node)}; filterdefault= ${node.filterDefault}`,
      });
    if (
      coordinator.minVersion &&
      node.version &&
      (id === coordinator.node || tunnel?.approved) &&
      compareVersions(node.version, coordinator.minVersion) < 0
    )
      out.push({
        ...whose,
        requirement: 'CH-9',
        severity: 'warning',
        kind: 'version-low',
        message: `${id === coordinator.node ? 'the coordinator' : what.en} runs ViPNet ${node.version}, below the policy's ${coordinator.minVersion}`,
        ru: `${id === coordinator.node ? 'координатор' : what.ru}: версия ViPNet ${node.version} ниже требуемой ${coordinator.minVersion}`,
        evidence: `${lineOf(node)}; version= ${node.version}`,
      });
  }
  return out;
}

/** The addresses `exclude_from_tunnels=` takes out of the node's tunnels ("a-b" or one address); unreadable ones are ignored. */
function excluded(node: IplirNode): Interval[] {
  const out: Interval[] = [];
  for (const value of node.other.exclude_from_tunnels ?? []) {
    const [first, last = first] = value.split('-').map((x) => x.trim());
    try {
      out.push({ start: addressValue(first!), end: addressValue(last!) });
    } catch {
      // Not an address range: the parser keeps it, the comparison cannot use it.
    }
  }
  return union(out);
}

/** An approved participant's tunnel ranges against its networks: wider is an error, narrower a warning. */
function rangeDifferences(tunnel: PlannedTunnel, node: IplirNode): VipnetDifference[] {
  const covered = minus(
    union(node.tunnels.map((t) => ({ start: addressValue(t.from.first), end: addressValue(t.from.last) }))),
    excluded(node),
  );
  const allowed = union(tunnel.networks.map(cidrInterval));
  const needed = union(tunnel.networks.map(required));
  const extra = minus(covered, allowed);
  const lacking = minus(needed, covered);
  const evidence = [lineOf(node), ...tunnelLines(node)].join('; ') || lineOf(node);
  const out: VipnetDifference[] = [];
  if (extra.length)
    out.push({
      participant: tunnel.participant,
      requirement: 'CH-7',
      severity: 'error',
      kind: 'tunnel-wider',
      message: `node ${tunnel.node} tunnels ${extra.map(rangeText).join(', ')} beyond the declared ${tunnel.networks.join(', ')}`,
      ru: `узел ${tunnel.node} туннелирует ${extra.map(rangeText).join(', ')} сверх заявленных сетей ${tunnel.networks.join(', ')}`,
      evidence,
    });
  if (lacking.length)
    out.push({
      participant: tunnel.participant,
      requirement: 'CH-7',
      severity: 'warning',
      kind: 'tunnel-narrower',
      message: `node ${tunnel.node} does not tunnel ${lacking.map(rangeText).join(', ')} of the declared ${tunnel.networks.join(', ')}`,
      ru: `узел ${tunnel.node} не туннелирует ${lacking.map(rangeText).join(', ')} из заявленных сетей ${tunnel.networks.join(', ')}`,
      evidence,
    });
  return out;
}

/** The `[id]` sections the coordinator must have for the approved participants, for the ViPNet administrator to compare. */
export function tunnelSections(coordinator: PlannedCoordinator): string {
  return coordinator.tunnels
    .filter((t) => t.approved)
    .map((t) =>
      [
        '[id]',
        `id= ${t.node}`,
        // One line, nothing that closes the code block a document shows it in.
        `name= ${t.name.replace(/[\r\n`]/g, ' ')}`,
        ...t.networks.map((n) => {
          const i = cidrInterval(n);
          const range = `${formatAddress(i.start)}-${formatAddress(i.end)}`;
          return `tunnel= ${range} to ${range}`;
        }),
        'filterdefault= drop',
        '',
      ].join('\n'),
    )
    .join('\n');
}
