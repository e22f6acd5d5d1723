// Channel rules: ViPNet identities (the leased-line paperwork is a requirement: requirements/validation.ts).
import { groupBy, networked, type Rule } from '../model.js';

export const vipnetNodeInNetwork: Rule = (inventory, findings) => {
  for (const { value: p, source } of networked(inventory)) {
    const vipnet = p.channel.vipnet;
    if (!vipnet) continue;
    // A ViPNet node id carries its network number in the upper 16 bits.
    const network = Number.parseInt(vipnet.node.slice(2), 16) >>> 16;
    if (network !== vipnet.network) {
      findings.at(
        source,
        ['channel', 'vipnet', 'node'],
        'vipnet-node-mismatch',
        { en: `${vipnet.node} is in network ${network}, but vipnet.network is ${vipnet.network}`, ru: `узел ${vipnet.node} относится к сети ${network}, а в vipnet.network указано ${vipnet.network}` },
      );
    }
  }
};

export const vipnetNodesUnique: Rule = (inventory, findings) => {
  const withNode = networked(inventory).filter((p) => p.value.channel.vipnet);
  for (const [node, group] of groupBy(withNode, (p) => p.value.channel.vipnet!.node.toUpperCase())) {
    for (const { source } of group.slice(1)) {
      findings.at(
        source,
        ['channel', 'vipnet', 'node'],
        'duplicate-vipnet-node',
        {
          en: `ViPNet node ${node} is already declared by ${group[0]!.value.id} (${group[0]!.source.file}); each node belongs to one participant`,
          ru: `узел ViPNet ${node} уже объявлен участником ${group[0]!.value.id} (${group[0]!.source.file}); узел принадлежит одному участнику`,
        },
      );
    }
  }
};
