// prichal plan as people read it: the findings, then per contour its registrations and pending
// participants, the leased-line links, and what is not yet recorded.
import { ALLOCATIONS_FILE, CONTOURS, formatFinding } from '../inventory/index.js';
import { labels, type Lang } from '../report/index.js';
import { inContourRu } from '../words.js';
import type { PlanCommandResult } from './plan.js';

export function planText(result: PlanCommandResult, lang: Lang): string {
  const ru = lang === 'ru';
  const lines: string[] = result.findings.map((f) => formatFinding(f, lang));
  const plan = result.plan;
  if (plan) {
    for (const contour of CONTOURS) {
      const c = plan.contours[contour];
      const name = ru ? labels(lang).contours[contour] : contour;
      lines.push(
        ru
          ? `контур ${name} (vhost ${c.vhost}, шлюзы из ${c.gatewayPool}): зарегистрировано ${c.registrations.length}`
          : `contour ${contour} (vhost ${c.vhost}, gateways from ${c.gatewayPool}): ${c.registrations.length} registered`,
      );
      for (const r of c.registrations) {
        const endpoints = r.endpoints.map((e) => `${e.address}:${e.port}`).join(', ');
        const fresh = (r.newAllocation ? (ru ? ' (новый)' : ' (new)') : '').padEnd(ru ? 8 : 6);
        lines.push(
          `  ${r.participant.padEnd(24)} ${r.mnemonic.padEnd(14)} ${r.status.padEnd(10)} ${ru ? 'шлюз' : 'gw'} ${r.gateway.padEnd(13)}${fresh} ${r.edge}  ${r.networks.join(',')} -> ${endpoints}`,
        );
      }
      if (c.pending.length)
        lines.push(
          ru
            ? `  не развёрнуты ${inContourRu(contour)}: ${c.pending.length}`
            : `  not provisioned in ${contour}: ${c.pending.length}`,
        );
      for (const p of c.pending)
        lines.push(
          `  ${p.participant.padEnd(24)} ${p.mnemonic.padEnd(14)} ${p.status.padEnd(10)} ${ru ? p.reasonRu : p.reason}`,
        );
    }
    lines.push(ru ? `линки выделенных линий: ${plan.links.length}` : `leased-line links: ${plan.links.length}`);
    for (const l of plan.links)
      lines.push(
        `  ${l.participant.padEnd(24)} ${l.link.padEnd(16)} ${l.edge} ${l.edgeAddress} <-> ${l.participantAddress}${l.newAllocation ? (ru ? ' (новый)' : ' (new)') : ''}`,
      );
    const fresh =
      CONTOURS.flatMap((c) => plan.contours[c].registrations).filter((r) => r.newAllocation).length +
      plan.links.filter((l) => l.newAllocation).length;
    if (fresh && !result.saved)
      lines.push(
        ru
          ? `новых распределений, ещё не записанных: ${fresh}; выполните 'prichal plan --save' и зафиксируйте ${ALLOCATIONS_FILE} в git`
          : `${fresh} new allocation(s) not yet recorded; run 'prichal plan --save' and commit ${ALLOCATIONS_FILE}`,
      );
  }
  if (result.saved) lines.push(ru ? `записан ${result.saved}` : `wrote ${result.saved}`);
  if (!result.ok)
    lines.push(
      ru
        ? 'реестр некорректен: исправьте ошибки выше до применения'
        : 'inventory is invalid: fix the errors above before applying',
    );
  return lines.join('\n');
}
