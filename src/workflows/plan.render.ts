// prichal plan as people read it: the findings, the gateway hosts (when operator.yaml declares
// them) with the routes to their slices and any gateway moves, then per contour its registrations
// and pending participants, the leased-line links, and what is not yet recorded.
import { ALLOCATIONS_FILE, CONTOURS, formatFinding } from '../inventory/index.js';
import { labels, type Lang } from '../report/index.js';
import { inContourRu } from '../words.js';
import type { Plan } from '../plan/index.js';
import type { PlanCommandResult } from './plan.js';

export function planText(result: PlanCommandResult, lang: Lang): string {
  const ru = lang === 'ru';
  const lines: string[] = result.findings.map((f) => formatFinding(f, lang));
  const plan = result.plan;
  if (plan) {
    // With no hosts declared every gateway is on the one local host: nothing to say about hosts.
    const hosts = !plan.gatewayHosts.some((h) => h.implicit);
    if (hosts) lines.push(...gatewayHostLines(plan, ru));
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
        const host = hosts ? ` ${ru ? 'хост' : 'host'} ${r.host}` : '';
        lines.push(
          `  ${r.participant.padEnd(24)} ${r.mnemonic.padEnd(14)} ${r.status.padEnd(10)} ${ru ? 'шлюз' : 'gw'} ${r.gateway.padEnd(13)}${fresh}${host} ${r.edge}  ${r.networks.join(',')} -> ${endpoints}`,
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

/** The gateway hosts with how many participants each holds, the routes to their slices, and the gateways moved. */
function gatewayHostLines(plan: Plan, ru: boolean): string[] {
  const registrations = CONTOURS.flatMap((c) => plan.contours[c].registrations);
  const holds = new Map<string, Set<string>>();
  for (const { participant, host } of [
    ...registrations.map((r) => ({ participant: r.participant, host: r.host })),
    ...plan.keptGatewayHosts,
  ])
    holds.set(host, (holds.get(host) ?? new Set()).add(participant));
  const lines = [ru ? `хосты шлюзов: ${plan.gatewayHosts.length}` : `gateway hosts: ${plan.gatewayHosts.length}`];
  plan.gatewayHosts.forEach((h, i) => {
    const count = holds.get(h.id)?.size ?? 0;
    const capacity = h.capacity === undefined ? '' : `/${h.capacity}`;
    const role = i === 0 ? (ru ? 'основной' : 'primary') : `${ru ? 'через' : 'via'} ${h.transit ?? '?'}`;
    lines.push(`  ${h.id.padEnd(24)} ${h.docker}  ${ru ? 'участников' : 'participants'} ${count}${capacity}  ${role}`);
  });
  for (const r of plan.gatewayRoutes)
    lines.push(`  ${ru ? 'маршрут' : 'route'} ${r.contour} ${r.slice} ${ru ? 'через' : 'via'} ${r.via} (${r.host})`);
  const moved = new Map(registrations.flatMap((r) => (r.hostMovedFrom ? [[r.participant, r]] : [])));
  for (const r of moved.values())
    lines.push(
      ru
        ? `  перенос шлюзов ${r.participant}: ${r.hostMovedFrom} -> ${r.host}`
        : `  gateways of ${r.participant} move: ${r.hostMovedFrom} -> ${r.host}`,
    );
  return lines;
}
