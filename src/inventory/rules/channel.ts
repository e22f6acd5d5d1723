// Channel rules: ViPNet identities (the leased-line paperwork is a requirement: requirements/validation.ts).
import { circuitEnd, IFNAME_MAX } from '../circuits.js';
import { networked, repeats, type Located, type NetworkedParticipant, type Rule } from '../model.js';

export const vipnetNodeInNetwork: Rule = (inventory, findings) => {
  for (const { value: p, source } of networked(inventory)) {
    const vipnet = p.channel.vipnet;
    if (!vipnet) continue;
    // A ViPNet node id carries its network number in the upper 16 bits.
    const network = Number.parseInt(vipnet.node.slice(2), 16) >>> 16;
    if (network !== vipnet.network) {
      findings.at(source, ['channel', 'vipnet', 'node'], 'vipnet-node-mismatch', {
        en: `${vipnet.node} is in network ${network}, but vipnet.network is ${vipnet.network}`,
        ru: `узел ${vipnet.node} относится к сети ${network}, а в vipnet.network указано ${vipnet.network}`,
      });
    }
  }
};

export const vipnetNodesUnique: Rule = (inventory, findings) => {
  const withNode = networked(inventory).filter((p) => p.value.channel.vipnet);
  for (const { key: node, first, repeat } of repeats(withNode, (p) => p.value.channel.vipnet!.node.toUpperCase())) {
    findings.at(repeat.source, ['channel', 'vipnet', 'node'], 'duplicate-vipnet-node', {
      en: `ViPNet node ${node} is already declared by ${first.value.id} (${first.source.file}); each node belongs to one participant`,
      ru: `узел ViPNet ${node} уже объявлен участником ${first.value.id} (${first.source.file}); узел принадлежит одному участнику`,
    });
  }
};

/**
 * Leased lines on an edge that declares `circuits`: in vlan mode every circuit has a vlan, and its
 * sub-interface name fits Linux's 15 characters; no two circuits of an edge share an interface
 * (or a vlan, which is the same thing on one uplink).
 */
export const leasedLineCircuits: Rule = (inventory, findings) => {
  const edges = new Map((inventory.operator?.value.edges ?? []).map((e) => [e.id, e]));
  const ends: Array<{ edge: string; name: string; participant: Located<NetworkedParticipant> }> = [];
  for (const p of networked(inventory)) {
    const line = p.value.channel.leasedLine;
    const circuits = edges.get(p.value.channel.edge)?.circuits;
    if (p.value.channel.type !== 'leased-line' || !line || !circuits) continue;
    const edge = p.value.channel.edge;
    if (circuits.mode === 'vlan' && line.vlan === undefined) {
      findings.at(p.source, ['channel', 'leasedLine'], 'leased-line-circuit', {
        en: `missing required field 'vlan': edge ${edge} takes its circuits as 802.1Q sub-interfaces of ${circuits.uplink} (operator.yaml edges[].circuits)`,
        ru: `нет обязательного поля 'vlan': пограничный узел ${edge} принимает каналы как подынтерфейсы 802.1Q интерфейса ${circuits.uplink} (operator.yaml edges[].circuits)`,
      });
      continue;
    }
    const end = circuitEnd(circuits, line);
    if (!end) continue;
    const field = circuits.mode === 'vlan' ? 'vlan' : line.interface ? 'interface' : 'circuit';
    if (end.interface.length > IFNAME_MAX) {
      findings.at(p.source, ['channel', 'leasedLine', field], 'leased-line-circuit', {
        en: `the circuit's interface on ${edge} would be ${end.interface}, longer than Linux's ${IFNAME_MAX} characters`,
        ru: `интерфейс канала на ${edge} назывался бы ${end.interface} — длиннее ${IFNAME_MAX} символов, допустимых в Linux`,
      });
      continue;
    }
    ends.push({ edge, name: end.interface, participant: p });
  }
  for (const { first, repeat } of repeats(ends, (e) => `${e.edge} ${e.name}`)) {
    const line = repeat.participant.value.channel.leasedLine!;
    const mode = edges.get(repeat.edge)!.circuits!.mode;
    const field = mode === 'vlan' ? 'vlan' : line.interface ? 'interface' : 'circuit';
    findings.at(repeat.participant.source, ['channel', 'leasedLine', field], 'leased-line-circuit', {
      en: `interface ${repeat.name} on ${repeat.edge} is already the circuit of ${first.participant.value.id} (${first.participant.source.file}); each circuit has its own`,
      ru: `интерфейс ${repeat.name} на ${repeat.edge} уже занят каналом участника ${first.participant.value.id} (${first.participant.source.file}); у каждого канала свой`,
    });
  }
};
