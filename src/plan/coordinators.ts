// The hub's ViPNet coordinators as the plan wants them: per edge of kind vipnet-coordinator, each
// ViPNet participant whose channel ends there with its network number, node id and declared
// networks. An approved one (provisioned in a contour) must have a tunnel to exactly its networks;
// one not approved yet must have none. Prichal never writes the coordinator's configuration: this
// is what the audit compares the file with, and what the document for the ViPNet administrator says.
import {
  CONTOURS,
  type ContourName,
  type Inventory,
  type Located,
  type NetworkedParticipant,
} from '../inventory/model.js';
import type { PlannedContour, PlannedCoordinator } from './model.js';

/** A node id as the plan and the configuration's checks compare it: "0x" and 8 lowercase hex digits. */
export const normalNodeId = (id: string): string => `0x${id.replace(/^0x/i, '').toLowerCase().padStart(8, '0')}`;

export function planCoordinators(
  inventory: Inventory,
  participants: readonly Located<NetworkedParticipant>[],
  contours: Record<ContourName, PlannedContour>,
): PlannedCoordinator[] {
  const provisioned = new Set(CONTOURS.flatMap((c) => contours[c].registrations.map((r) => r.participant)));
  return (inventory.operator?.value.edges ?? [])
    .filter((e) => e.kind === 'vipnet-coordinator')
    .map((e) => ({
      edge: e.id,
      config: e.vipnet?.config ?? null,
      node: e.vipnet ? normalNodeId(e.vipnet.node) : null,
      minVersion: e.vipnet?.minVersion ?? null,
      tunnels: participants
        .filter(({ value: p }) => p.channel.type === 'vipnet' && p.channel.edge === e.id && p.channel.vipnet)
        .map(({ value: p }) => ({
          participant: p.id,
          name: p.name,
          network: p.channel.vipnet!.network,
          node: normalNodeId(p.channel.vipnet!.node),
          networks: [...p.networks].sort(),
          approved: provisioned.has(p.id),
        }))
        .sort((a, b) => (a.participant < b.participant ? -1 : a.participant > b.participant ? 1 : 0)),
    }));
}
