// What the ViPNet administrator must configure on the hub's coordinator, in Russian: per approved
// ViPNet participant its network number, node id and the tunnel ranges — exactly its declared
// networks, from the registry — and the same as the configuration's own `[id]` sections to compare
// with the file. Prichal never writes the coordinator's configuration (certified crypto is
// administered with the vendor's tools); this is the instruction, and drift (CH-6 to CH-9) checks
// the result read-only. Not an official form: the regulation gives none.
import { cidrInterval, formatAddress } from '../inventory/index.js';
import type { PlannedCoordinator } from '../plan/index.js';
import { cite } from '../requirements/index.js';
import { markdownText } from '../escape.js';
import { tunnelSections } from '../render/index.js';

const range = (cidr: string) => {
  const { start, end } = cidrInterval(cidr);
  return `${formatAddress(start)}–${formatAddress(end)}`;
};

export function coordinatorMarkdown(coordinator: PlannedCoordinator, operatorName: string): string {
  const approved = coordinator.tunnels.filter((t) => t.approved);
  const pending = coordinator.tunnels.filter((t) => !t.approved);
  const lines = [
    `*Составлено по сведениям реестра (${cite('portal', '3.1.6.1')}, ${cite('portal', '9.1')}): форма в тексте регламента не приведена*`,
    '',
    `**Туннели координатора ViPNet хаба (${markdownText(coordinator.edge)}) для участников**`,
    '',
    `${markdownText(operatorName)}. Координатор: узел ${coordinator.node ?? 'не указан в operator.yaml'}; конфигурация ${coordinator.config ?? 'не указана в operator.yaml'}.`,
    '',
    'Для каждого согласованного участника на координаторе должен быть его узел с туннелем ровно к заявленным сетям участника — не шире; фильтр по умолчанию — drop. Туннелей для других узлов быть не должно. Настройку выполняет администратор сети ViPNet средствами ПО ViPNet; соответствие проверяет prichal drift (требования CH-6–CH-9).',
    '',
    '| № | Участник | Сеть ViPNet | Узел | Туннелируемые адреса |',
    '|---|---|---|---|---|',
    ...approved.map(
      (t, i) =>
        `| ${i + 1} | ${markdownText(t.name)} | ${t.network} | ${t.node} | ${t.networks.map(range).join('; ')} |`,
    ),
    '',
  ];
  if (approved.length === 0) lines.push('Согласованных участников с каналом ViPNet на этом координаторе нет.', '');
  if (pending.length)
    lines.push(
      `Не согласованы, туннели для них не настраиваются: ${pending.map((t) => `${markdownText(t.name)} (узел ${t.node})`).join('; ')}.`,
      '',
    );
  lines.push('Разделы `[id]` для сверки с iplir.conf:', '', '```', tunnelSections(coordinator).trimEnd(), '```', '');
  return lines.join('\n');
}
