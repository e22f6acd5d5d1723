// The hub's ViPNet coordinator, read-only: its iplir.conf (the path operator.yaml gives per
// coordinator edge), read in the edge's one session with the ruleset and the routes, parsed
// tolerantly, compared with the plan's tunnels (render/vipnet-model.ts): CH-6 the approved
// participant's node is there, CH-7 its tunnel ranges are its declared networks, CH-8 no tunnel
// for a node not approved or not in the inventory, CH-9 no permissive filter default and no
// version under the policy. Prichal never writes this file.
//
// The file travels base64-encoded: its bytes are KOI8-R, and its comment lines could otherwise
// imitate the session's marker lines. Only a regular file is read (a FIFO would hang the
// session), at most 64 MiB of it.
import type { PlannedCoordinator } from '../plan/index.js';
import { judgedBy, type RequirementId } from '../requirements/index.js';
import {
  decodeIplirConf,
  parseIplirConf,
  vipnetDifferences,
  type IplirConf,
  type VipnetDifference,
} from '../render/index.js';
import type { EdgeSource, LiveFinding, LiveUnchecked } from './source.js';

const MAX_BYTES = 64 * 1024 * 1024;

/** The shell command that prints the file base64-encoded, refusing anything but a regular file. */
export function coordinatorReadCommand(path: string): string {
  const quoted = `'${path.replace(/'/g, `'\\''`)}'`;
  return `f=${quoted}; if [ ! -f "$f" ] || [ -p "$f" ]; then echo "$f: not a regular file" >&2; exit 1; fi; head -c ${MAX_BYTES} -- "$f" | base64 -w0`;
}

const coordinatorOf = (coordinators: readonly PlannedCoordinator[], edge: string) =>
  coordinators.find((c) => c.edge === edge);

/** What a coordinator edge gave: its parsed configuration, or nothing (an edge that is no coordinator, or one without a config path). */
export type CoordinatorRead = IplirConf | null;

export const edgeVipnet: EdgeSource<CoordinatorRead> = {
  name: 'edge-vipnet',
  informs: judgedBy('edge-vipnet'),
  edge: {
    commands: (edge, { plan }) => {
      const config = coordinatorOf(plan.coordinators, edge.id)?.config;
      return config ? [coordinatorReadCommand(config)] : [];
    },
    parse: ([encoded]) =>
      encoded === undefined ? null : parseIplirConf(decodeIplirConf(Buffer.from(encoded, 'base64'))),
  },
  check: (readings, { plan }) => {
    const findings: LiveFinding[] = [];
    const unchecked: LiveUnchecked[] = [];
    for (const r of readings) {
      const coordinator = coordinatorOf(plan.coordinators, r.subject.edge.id);
      if (!coordinator || !r.ok) continue;
      if (!coordinator.config || !r.value) {
        unchecked.push({
          subject: r.subject.name,
          requirements: [...edgeVipnet.informs],
          reason: `operator.yaml gives no vipnet.config for the coordinator ${coordinator.edge}: its tunnels are not audited`,
        });
        continue;
      }
      findings.push(...vipnetDifferences(coordinator, r.value).map((d) => finding(coordinator, d)));
    }
    return { findings, unchecked };
  },
  record: (readings) => ({
    coordinators: Object.fromEntries(
      readings.flatMap((r) =>
        r.ok && r.value
          ? [
              [
                r.subject.name,
                {
                  nodes: r.value.nodes.filter((n) => n.kind === 'node').length,
                  tunnels: r.value.nodes.reduce((n, node) => n + node.tunnels.length, 0),
                  problems: r.value.problems.map((p) => `${p.line}: ${p.message}`),
                },
              ],
            ]
          : [],
      ),
    ),
  }),
};

const FIX: Record<VipnetDifference['kind'], { en: string; ru: string }> = {
  'node-missing': {
    en: "have the ViPNet administrator link the participant's node with the hub's coordinator ('prichal coordinator' says what to configure)",
    ru: "попросите администратора сети ViPNet связать узел участника с координатором (что настроить — 'prichal coordinator')",
  },
  'tunnel-wider': {
    en: "have the ViPNet administrator narrow the tunnel to the declared networks; if more are needed, declare them in the participant's file and have them approved",
    ru: 'попросите администратора сети ViPNet сузить туннель до заявленных сетей; если нужны другие сети — внесите их в файл участника и согласуйте',
  },
  'tunnel-narrower': {
    en: "have the ViPNet administrator tunnel the declared networks in full ('prichal coordinator')",
    ru: "попросите администратора сети ViPNet туннелировать заявленные сети полностью ('prichal coordinator')",
  },
  'tunnel-unapproved': {
    en: "have the ViPNet administrator remove the tunnel until the participant's connection is approved",
    ru: 'попросите администратора сети ViPNet убрать туннель до согласования подключения участника',
  },
  'tunnel-foreign': {
    en: 'have the ViPNet administrator remove the tunnel, or add the participant to the inventory and have its connection approved',
    ru: 'попросите администратора сети ViPNet убрать туннель или внесите участника в реестр и согласуйте подключение',
  },
  'filter-permissive': {
    en: 'set filterdefault= drop and let through only what the connection needs',
    ru: 'установите filterdefault= drop и разрешите только то, что нужно для подключения',
  },
  'version-low': {
    en: "update the ViPNet software to the policy's version",
    ru: 'обновите ПО ViPNet до версии, которую требует политика',
  },
};

function finding(coordinator: PlannedCoordinator, d: VipnetDifference): LiveFinding {
  return {
    requirement: d.requirement as RequirementId,
    ...(d.participant ? { participant: d.participant } : {}),
    subject: coordinator.edge,
    severity: d.severity,
    message: d.message,
    evidence: `${coordinator.config}: ${d.evidence}`,
    fix: FIX[d.kind].en,
    ru: { message: d.ru, fix: FIX[d.kind].ru },
  };
}
