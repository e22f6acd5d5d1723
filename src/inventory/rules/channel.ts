// Channel rules: ViPNet identities (the leased-line paperwork is a requirement: requirements/validation.ts).
import { networked, repeats, type Rule } from '../model.js';

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
