// prichal plan as people read it: the findings, the gateway hosts (when operator.yaml declares
// them) with the routes to their slices and any gateway moves, then per contour its registrations
// and pending participants, the leased-line links, and what is not yet recorded. Each list is a
// table under its column headings; a status reads in the language (in Russian its word, in
// English the status itself).
import { ALLOCATIONS_FILE, CONTOURS, formatFinding } from '../inventory/index.js';
import { labels, type Lang } from '../report/index.js';
import { inContourRu } from '../words.js';
import { REGISTRATION_STATUS_RU, type Plan, type RegistrationStatus } from '../plan/index.js';
import type { PlanCommandResult } from './plan.js';
import { textTable } from './text-table.js';

export function planText(result: PlanCommandResult, lang: Lang): string {
  const ru = lang === 'ru';
  const lines: string[] = result.findings.map((f) => formatFinding(f, lang));
  const plan = result.plan;
  if (plan) {
    // With no hosts declared every gateway is on the one local host: nothing to say about hosts.
    const hosts = !plan.gatewayHosts.some((h) => h.implicit);
    if (hosts) lines.push(...gatewayHostLines(plan, ru));
    const status = (s: string) => (ru ? (REGISTRATION_STATUS_RU[s as RegistrationStatus] ?? s) : s);
    const marked = (isNew: boolean | undefined) => (isNew ? (ru ? ' (новый)' : ' (new)') : '');
    for (const contour of CONTOURS) {
      const c = plan.contours[contour];
      const name = ru ? labels(lang).contours[contour] : contour;
      lines.push(
        ru
          ? `контур ${name} (vhost ${c.vhost}, шлюзы из ${c.gatewayPool}): зарегистрировано ${c.registrations.length}`
          : `contour ${contour} (vhost ${c.vhost}, gateways from ${c.gatewayPool}): ${c.registrations.length} registered`,
      );
      if (c.registrations.length)
        lines.push(
          ...textTable(
            ru
              ? ['участник', 'мнемоника', 'статус', 'шлюз', ...(hosts ? ['хост'] : []), 'узел', 'сети -> точки']
              : [
                  'participant',
                  'mnemonic',
                  'status',
                  'gateway',
                  ...(hosts ? ['host'] : []),
                  'edge',
                  'networks -> endpoints',
                ],
            c.registrations.map((r) => [
              r.participant,
              r.mnemonic,
              status(r.status),
              `${r.gateway}${marked(r.newAllocation)}`,
              ...(hosts ? [r.host] : []),
              r.edge,
              `${r.networks.join(',')} -> ${r.endpoints.map((e) => `${e.address}:${e.port}`).join(', ')}`,
            ]),
            '  ',
          ),
        );
      if (c.pending.length)
        lines.push(
          ru
            ? `  не развёрнуты ${inContourRu(contour)}: ${c.pending.length}`
            : `  not provisioned in ${contour}: ${c.pending.length}`,
          ...textTable(
            ru ? ['участник', 'мнемоника', 'статус', 'почему'] : ['participant', 'mnemonic', 'status', 'why'],
            c.pending.map((p) => [p.participant, p.mnemonic, status(p.status), ru ? p.reasonRu : p.reason]),
            '  ',
          ),
        );
    }
    lines.push(ru ? `линки выделенных линий: ${plan.links.length}` : `leased-line links: ${plan.links.length}`);
    if (plan.links.length)
      lines.push(
        ...textTable(
          ru
            ? ['участник', 'линк', 'узел', 'адрес узла <-> адрес участника']
            : ['participant', 'link', 'edge', 'edge address <-> participant address'],
          plan.links.map((l) => [
            l.participant,
            l.link,
            l.edge,
            `${l.edgeAddress} <-> ${l.participantAddress}${marked(l.newAllocation)}`,
          ]),
          '  ',
        ),
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
  lines.push(
    ...textTable(
      ru ? ['хост', 'Docker', 'участников', 'роль'] : ['host', 'Docker', 'participants', 'role'],
      plan.gatewayHosts.map((h, i) => [
        h.id,
        h.docker,
        `${holds.get(h.id)?.size ?? 0}${h.capacity === undefined ? '' : `/${h.capacity}`}`,
        i === 0 ? (ru ? 'основной' : 'primary') : `${ru ? 'через' : 'via'} ${h.transit ?? '?'}`,
      ]),
      '  ',
    ),
  );
  for (const r of plan.gatewayRoutes)
    lines.push(
      ru
        ? `  маршрут, ${labels('ru').contours[r.contour]} контур: ${r.slice} через ${r.via} (${r.host})`
        : `  route ${r.contour} ${r.slice} via ${r.via} (${r.host})`,
    );
  const moved = new Map(registrations.flatMap((r) => (r.hostMovedFrom ? [[r.participant, r]] : [])));
  for (const r of moved.values())
    lines.push(
      ru
        ? `  перенос шлюзов ${r.participant}: ${r.hostMovedFrom} -> ${r.host}`
        : `  gateways of ${r.participant} move: ${r.hostMovedFrom} -> ${r.host}`,
    );
  return lines;
}
