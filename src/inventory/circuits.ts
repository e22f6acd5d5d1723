// Where a leased line ends on its edge, as operator.yaml's `edges[].circuits` says: an 802.1Q
// sub-interface `<uplink>.<vlan>` Prichal creates, or one interface per circuit (named in the
// participant's file or derived from the circuit id). One rule for the plan, validation and docs.
import { createHash } from 'node:crypto';
import type { Edge, LeasedLine } from './types.generated.js';

/** Linux limits an interface name to 15 characters (IFNAMSIZ 16 with its terminating zero). */
export const IFNAME_MAX = 15;

/** Where a circuit ends on the edge: its interface, and in vlan mode the uplink and tag Prichal creates it from. */
export interface CircuitEnd {
  interface: string;
  vlan: { uplink: string; id: number } | null;
}

/**
 * The interface a circuit gets when the file names none: 'll' and the circuit id's letters and
 * digits, lowercased ("TMN-L2-004512" → "lltmnl2004512"); beyond 15 characters, its first seven
 * and six hex digits of the id's SHA-256, so that two long ids sharing a beginning still differ.
 */
export function derivedInterface(circuit: string): string {
  const letters = circuit.toLowerCase().replace(/[^a-z0-9]/g, '');
  const name = `ll${letters}`;
  if (name.length <= IFNAME_MAX) return name;
  return `ll${letters.slice(0, 7)}${createHash('sha256').update(circuit).digest('hex').slice(0, 6)}`;
}

/**
 * The circuit's end on an edge declaring `circuits`; undefined when the edge declares none, or a
 * vlan edge's participant gives no vlan (validation reports that: leased-line-circuit).
 */
export function circuitEnd(circuits: Edge['circuits'], line: LeasedLine | undefined): CircuitEnd | undefined {
  if (!circuits || !line) return undefined;
  if (circuits.mode === 'vlan') {
    if (!circuits.uplink || line.vlan === undefined) return undefined;
    return { interface: `${circuits.uplink}.${line.vlan}`, vlan: { uplink: circuits.uplink, id: line.vlan } };
  }
  const name = line.interface ?? (line.circuit ? derivedInterface(line.circuit) : undefined);
  return name ? { interface: name, vlan: null } : undefined;
}
