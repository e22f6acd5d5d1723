// The channel requirements (Регламент ПУ ТО, п. 9.1 and 3.1.6.1): CH-1 the channel is one the
// operator accepts, CH-2 its ViPNet product is certified, CH-3 a leased line is documented —
// decided and worded here, for audit (the checks) and for validation (leased-line-incomplete).
import {
  hasChannel,
  lastDayPassed,
  russianDate,
  type OperatorFile,
  type Participant,
  type Rule,
  type Words,
} from '../inventory/index.js';
import { provisioned } from '../plan/lifecycle.js';
import { cite } from './regulations.js';
import type { InventoryCheck } from './requirement-check.js';

/**
 * CH-1, the operator's reading of Регламент ПУ ТО, п. 9.1 and 3.1.6.1 (policy.channels, whose
 * defaults the schema states): the channel is refused, with the reason, or accepted (undefined).
 */
export function channelRefusal(
  channel: NonNullable<Participant['channel']>,
  operator: OperatorFile,
): Words | undefined {
  const policy = operator.policy.channels ?? {};
  switch (channel.type) {
    case 'internet':
      return policy.internet === true
        ? undefined
        : {
            en: `${cite('portal', '9.1')} requires a VPN; an open internet channel is refused by the operator's policy (policy.channels.internet: false, the default)`,
            ru: `${cite('portal', '9.1')} требует VPN; открытый канал через Интернет политика оператора не допускает (policy.channels.internet: false, по умолчанию)`,
          };
    case 'leased-line':
      return policy.leasedLine === false
        ? {
            en: `the operator's policy does not accept dedicated leased lines (policy.channels.leasedLine: false)`,
            ru: 'политика оператора не допускает выделенные линии (policy.channels.leasedLine: false)',
          }
        : undefined;
    case 'vipnet': {
      const accepted = policy.vipnetProducts ?? operator.cryptoProducts.map((c) => c.id);
      const product = channel.vipnet?.product;
      return product && !accepted.includes(product)
        ? {
            en: `ViPNet product ${product} is not accepted for the channel: ${cite('portal', '3.1.6.1')} connects through the ПАК ViPNet Coordinator (policy.channels.vipnetProducts: ${accepted.join(', ') || 'none'})`,
            ru: `продукт ViPNet ${product} не допускается для канала: по ${cite('portal', '3.1.6.1')} подключение идёт через ПАК ViPNet Coordinator (policy.channels.vipnetProducts: ${accepted.join(', ') || 'пусто'})`,
          }
        : undefined;
    }
  }
}

/** CH-1: checked once the participant has a registration (an unregistered channel is still being chosen). */
export const checkChannelAccepted: InventoryCheck = function* (p, { operator }) {
  if (!hasChannel(p) || !operator || !(p.registrations.test || p.registrations.prod)) return;
  const refusal = channelRefusal(p.channel, operator);
  if (!refusal) return;
  const product = p.channel.vipnet?.product;
  const registrations = Object.keys(p.registrations).join(', ');
  yield {
    path: p.channel.type === 'vipnet' ? ['channel', 'vipnet', 'product'] : ['channel', 'type'],
    message: refusal.en,
    evidence: `channel.type: ${p.channel.type}${product ? `, product ${product}` : ''}; registrations: ${registrations}`,
    fix: `connect through the ViPNet Coordinator or a dedicated leased line (${cite('portal', '9.1')}, ${cite('portal', '3.1.6.1')}) and record it`,
    ru: {
      message: refusal.ru,
      evidence: `channel.type: ${p.channel.type}${product ? `, продукт ${product}` : ''}; регистрации: ${registrations}`,
      fix: `подключитесь через ViPNet Coordinator или выделенную линию (${cite('portal', '9.1')}, ${cite('portal', '3.1.6.1')}) и запишите это в файл участника`,
    },
  };
};

/** CH-2: the ViPNet product is in the operator's certified list, its certificate valid at the date. */
export const checkChannelProductCertified: InventoryCheck = function* (p, { operator, at }) {
  const vipnet = p.channel?.type === 'vipnet' ? p.channel.vipnet : undefined;
  if (!vipnet || !operator) return;
  const product = operator.cryptoProducts.find((c) => c.id === vipnet.product);
  const path = ['channel', 'vipnet', 'product'];
  if (!product)
    yield {
      path,
      message: `ViPNet product ${vipnet.product} is not in the operator's certified list`,
      evidence: `channel.vipnet.product: ${vipnet.product}`,
      fix: 'use a product from operator.yaml cryptoProducts (certified СКЗИ only)',
      ru: {
        message: `продукта ViPNet ${vipnet.product} нет в перечне сертифицированных средств оператора`,
        fix: 'используйте продукт из cryptoProducts в operator.yaml (только сертифицированные СКЗИ)',
      },
    };
  else if (lastDayPassed(product.validUntil, at))
    yield {
      path,
      message: `the conformity certificate ${product.certificate} of ${product.name} expired on ${product.validUntil}`,
      evidence: `cryptoProducts ${product.id}.validUntil: ${product.validUntil}`,
      fix: 'move to a product version with a valid certificate and update operator.yaml',
      ru: {
        message: `сертификат соответствия ${product.certificate} на ${product.name} истёк ${russianDate(product.validUntil)}`,
        fix: 'перейдите на версию продукта с действующим сертификатом и обновите operator.yaml',
      },
    };
};

/** CH-3: what a leased line's paperwork lacks (provider, circuit, the Appendix 10 application). */
export function leasedLineGaps(
  line: { provider?: string; circuit?: string; application?: string } | undefined,
): Array<'provider' | 'circuit' | 'application'> {
  return (['provider', 'circuit', 'application'] as const).filter((k) => !line?.[k]);
}

/**
 * CH-3's weight: while the line is being ordered (no registration approved yet) its paperwork may
 * be incomplete — the Appendix 10 application is written from it — so a gap is a warning; once a
 * registration is approved (the line is then provisioned), an error.
 */
export function leasedLineGapSeverity(p: Participant): 'error' | 'warning' {
  const registrations = p.registrations ?? {};
  return [registrations.test, registrations.prod].some((r) => r && provisioned(r.status)) ? 'error' : 'warning';
}

/** CH-3 in audit. */
export const checkLeasedLineDocumented: InventoryCheck = function* (p) {
  if (p.channel?.type !== 'leased-line') return;
  const missing = leasedLineGaps(p.channel.leasedLine);
  if (!missing.length) return;
  yield {
    path: ['channel', 'leasedLine'],
    severity: leasedLineGapSeverity(p),
    message: `leased line without ${missing.join(', ')}`,
    evidence: `channel.leasedLine: ${JSON.stringify(p.channel.leasedLine ?? {})}`,
    fix: `record the provider, circuit id and the application (${cite('portal', 'Приложение 10')})`,
    ru: {
      message: `для выделенной линии не указано: ${missing.join(', ')}`,
      fix: `укажите провайдера, идентификатор канала и заявку (${cite('portal', 'Приложение 10')})`,
    },
  };
};

/** CH-3 in validation: `leased-line-incomplete`, for a leased line whose record is there but incomplete. */
export const leasedLineDocumented: Rule = (inventory, findings) => {
  for (const { value: p, source } of inventory.participants) {
    if (p.channel?.type !== 'leased-line' || !p.channel.leasedLine) continue;
    const missing = leasedLineGaps(p.channel.leasedLine);
    const severity = leasedLineGapSeverity(p);
    if (!missing.length) continue;
    const error = severity === 'error';
    findings.at(
      source,
      ['channel', 'leasedLine'],
      'leased-line-incomplete',
      {
        en: `a leased line needs provider, circuit and the Appendix 10 application (${cite('portal', 'Приложение 10')}); missing: ${missing.join(', ')} (${error ? 'a registration is approved, so the line is provisioned' : 'a warning until a registration is approved'})`,
        ru: `для выделенной линии нужны провайдер, идентификатор канала и заявка по ${cite('portal', 'Приложение 10')}; не указано: ${missing.join(', ')} (${error ? 'регистрация согласована, линия подключается' : 'предупреждение, пока регистрация не согласована'})`,
      },
      { severity },
    );
  }
};
