// Inventory requirements (CH-1..3, BUS-2, SIG-1, SED-1, ORG-1..2, WS-1) evaluated at a date, by the
// catalogue's checks. Each finding points at the participant file and the line of the field it
// is about, as validation's findings do.
import {
  CONTOURS,
  daysBetween,
  joinWords,
  russianDate,
  hasChannel,
  locate,
  type FieldPath,
  type Inventory,
  type NetworkedParticipant,
  type OperatorFile,
  type Participant,
} from '../inventory/index.js';
import {
  agreementsRequired,
  applicableRequest,
  channelRefusal,
  leasedLineGapSeverity,
  certificateState,
  cite,
  compareVersions,
  DEFAULT_GOST_BROWSERS,
  issuerState,
  leasedLineGaps,
  missingAgreements,
  missingFields,
  missingSigners,
  productionAllowed,
  replyDeadline,
  requestFields,
  serviceTestGaps,
  sedConnected,
  stageOrderGaps,
  systemMismatch,
  workstationGaps,
  type RequestKind,
} from '../requirements/index.js';
import type { RequirementFinding } from './model.js';

type Draft = Omit<RequirementFinding, 'participant' | 'subject' | 'file' | 'line'> & { path: FieldPath };

/** `only`: audit that participant alone (the documents check the one they certify). */
export function auditInventory(inventory: Inventory, at: string, only?: string): RequirementFinding[] {
  const out: RequirementFinding[] = [];
  const operator = inventory.operator?.value;
  const kinds = new Map(inventory.participants.map((p) => [p.value.id, p.value.kind]));
  for (const { value: p, source } of inventory.participants) {
    if (only !== undefined && p.id !== only) continue;
    const add = ({ path, ...f }: Draft) =>
      out.push({ participant: p.id, subject: source.file, file: source.file, line: locate(source, path).line, ...f });
    // The portal/bus side: only a participant with a network channel has one.
    if (hasChannel(p)) auditChannel(p, operator, at, add);
    auditSed(p, kinds, at, add);
    auditSigners(p, operator, at, add);
    if (operator) auditWorkstations(p, operator, add);
  }
  return out;
}

type Add = (f: Draft) => void;

function auditChannel(p: NetworkedParticipant, operator: OperatorFile | undefined, at: string, add: Add): void {
  const registered = Boolean(p.registrations.test || p.registrations.prod);
  const refusal = operator && registered ? channelRefusal(p.channel, operator) : undefined;
  if (refusal) {
    const path = p.channel.type === 'vipnet' ? ['channel', 'vipnet', 'product'] : ['channel', 'type'];
    add({
      requirement: 'CH-1',
      path,
      severity: 'error',
      message: refusal,
      evidence: `channel.type: ${p.channel.type}${p.channel.vipnet ? `, product ${p.channel.vipnet.product}` : ''}; registrations: ${Object.keys(p.registrations).join(', ')}`,
      fix: `connect through the ViPNet Coordinator or a dedicated leased line (${cite('portal', '9.1')}, ${cite('portal', '3.1.6.1')}) and record it`,
    });
  }
  const vipnet = p.channel.type === 'vipnet' ? p.channel.vipnet : undefined;
  if (vipnet && operator) {
    const product = operator.cryptoProducts.find((c) => c.id === vipnet.product);
    const path = ['channel', 'vipnet', 'product'];
    if (!product)
      add({
        requirement: 'CH-2',
        path,
        severity: 'error',
        message: `ViPNet product ${vipnet.product} is not in the operator's certified list`,
        evidence: `channel.vipnet.product: ${vipnet.product}`,
        fix: 'use a product from operator.yaml cryptoProducts (certified СКЗИ only)',
        ru: {
          message: `продукта ViPNet ${vipnet.product} нет в перечне сертифицированных средств оператора`,
          fix: 'используйте продукт из cryptoProducts в operator.yaml (только сертифицированные СКЗИ)',
        },
      });
    else if (daysBetween(at, product.validUntil) < 0)
      add({
        requirement: 'CH-2',
        path,
        severity: 'error',
        message: `the conformity certificate ${product.certificate} of ${product.name} expired on ${product.validUntil}`,
        evidence: `cryptoProducts ${product.id}.validUntil: ${product.validUntil}`,
        fix: 'move to a product version with a valid certificate and update operator.yaml',
        ru: {
          message: `сертификат соответствия ${product.certificate} на ${product.name} истёк ${russianDate(product.validUntil)}`,
          fix: 'перейдите на версию продукта с действующим сертификатом и обновите operator.yaml',
        },
      });
  }
  if (p.channel.type === 'leased-line') {
    const missing = leasedLineGaps(p.channel.leasedLine);
    if (missing.length)
      add({
        requirement: 'CH-3',
        path: ['channel', 'leasedLine'],
        severity: leasedLineGapSeverity(p),
        message: `leased line without ${missing.join(', ')}`,
        evidence: `channel.leasedLine: ${JSON.stringify(p.channel.leasedLine ?? {})}`,
        fix: `record the provider, circuit id and the application (${cite('portal', 'Приложение 10')})`,
        ru: {
          message: `для выделенной линии не указано: ${missing.join(', ')}`,
          fix: `укажите провайдера, идентификатор канала и заявку (${cite('portal', 'Приложение 10')})`,
        },
      });
  }
  for (const contour of CONTOURS) {
    const r = p.registrations[contour];
    if (r?.status !== 'requested' || !r.requested) continue;
    const deadline = replyDeadline(r.requested, operator?.calendar);
    if (daysBetween(at, deadline) < 0)
      add({
        requirement: 'REG-1',
        path: ['registrations', contour, 'requested'],
        severity: 'warning',
        message: `the ${contour} request of ${r.requested} is unanswered past its deadline ${deadline} (10 working days)`,
        evidence: `registrations.${contour}: status requested, requested ${r.requested}`,
        fix: `answer the request (approve it, or name the gaps: ${cite('portal', '3.3')}) and record status and date`,
        ru: {
          message: `заявка на ${contour === 'test' ? 'тестовый' : 'промышленный'} контур от ${russianDate(r.requested)} без ответа после срока ${russianDate(deadline)} (10 рабочих дней)`,
          fix: `ответьте на заявку (согласуйте или назовите недостатки: ${cite('portal', '3.3')}) и запишите статус и дату`,
        },
      });
  }
  if (p.registrations.prod && !productionAllowed(p.registrations.test?.status)) {
    add({
      requirement: 'BUS-2',
      path: ['registrations', 'prod'],
      severity: 'error',
      message: 'production registration without a tested test registration',
      evidence: `registrations.test.status: ${p.registrations.test?.status ?? 'absent'}`,
      fix: `finish the test contour (the protocol of ${cite('portal', 'Приложение 9')}) before production (${cite('portal', '4.6')})`,
      ru: {
        message: 'регистрация в промышленном контуре без испытанной регистрации в тестовом',
        fix: `завершите тестовый контур (протокол по ${cite('portal', 'Приложение 9')}) до промышленного (${cite('portal', '4.6')})`,
      },
    });
  } else if (p.registrations.prod) {
    const gaps = serviceTestGaps(p);
    if (gaps.length) {
      const open = joinWords(gaps, '; ');
      add({
        requirement: 'BUS-2',
        path: p.services?.length ? ['services'] : ['registrations', 'test'],
        severity: 'error',
        message: `production registration without a passed service test: ${open.en}`,
        evidence: `services: ${(p.services ?? []).map((s) => s.code).join(', ') || 'none'}`,
        fix: `test the form, the statuses and every option in the test contour and record each step (${cite('portal', '4.6')}–4.7)`,
        ru: {
          message: `регистрация в промышленном контуре без пройденных испытаний услуги: ${open.ru}`,
          fix: `испытайте форму, статусы и каждый вариант услуги в тестовом контуре и запишите каждый шаг (${cite('portal', '4.6')}–4.7)`,
        },
      });
    }
  }
}

/** ORG-1, ORG-2 and SED-1: the СЭД connection's agreements, its applicable request, its system and stages. */
function auditSed(p: Participant, kinds: Map<string, Participant['kind']>, at: string, add: Add): void {
  if (agreementsRequired(p, (id) => kinds.get(id))) {
    const missing = missingAgreements(p);
    if (missing.length)
      add({
        requirement: 'ORG-1',
        path: p.agreements ? ['agreements'] : ['kind'],
        severity: 'error',
        message: `missing agreement: ${missing.join(', ')}`,
        evidence: `kind: ${p.kind}; agreements: ${JSON.stringify(p.agreements ?? {})}`,
        fix: `obtain the signed agreements (${cite('sed', '1.1')}, ${cite('sed', '2.2')}) and record their dates`,
        ru: {
          message: `нет соглашения: ${missing.map((m) => (m === 'joining' ? 'о присоединении' : 'об обработке персональных данных')).join(', ')}`,
          fix: `получите подписанные соглашения (${cite('sed', '1.1')}, ${cite('sed', '2.2')}) и запишите их даты`,
        },
      });
  }
  const request = applicableRequest(p, at);
  const gaps = missingFields(requestFields(request, p));
  if (gaps.length)
    add({
      requirement: 'ORG-2',
      path: ['sed'],
      severity: 'error',
      message: `the ${REQUEST_NAMES[request]} cannot be filled in: ${gaps.join(', ')}`,
      evidence: `sed.mode: ${p.sed.mode}; connected to the СЭД: ${sedConnected(p, at) ? 'yes' : 'no'}`,
      fix: 'record the missing fields in the participant file',
    });
  const system = systemMismatch(p);
  if (system)
    add({
      requirement: 'SED-1',
      path: p.sed.system === undefined ? ['sed'] : ['sed', 'system'],
      severity: 'error',
      message: system,
      evidence: `kind: ${p.kind}; sed.system: ${p.sed.system ?? 'absent'}`,
      fix: 'record the system the participant works in, or correct its kind',
    });
  for (const gap of stageOrderGaps(p.sed)) {
    add({
      requirement: 'SED-1',
      path: ['sed', gap.field],
      severity: 'error',
      message: gap.message,
      evidence: `sed.mode: ${p.sed.mode}`,
      fix: 'correct the stage dates',
    });
  }
}

/** SIG-1: the head and the clerk hold qualified certificates from an accredited CA, valid at the date. */
function auditSigners(p: Participant, operator: OperatorFile | undefined, at: string, add: Add): void {
  const missing = missingSigners(p);
  if (missing.length)
    add({
      requirement: 'SIG-1',
      path: ['signers'],
      severity: 'error',
      message: `no qualified certificate for the ${missing.join(' and the ')}`,
      evidence: `signers: ${p.signers.map((s) => s.role).join(', ') || 'none'}`,
      fix: `obtain certificates for the head and the clerk (${cite('sed', '1.2')}, ${cite('sed', '2.3')}) and import them with prichal certificate import`,
      ru: {
        message: `нет квалифицированного сертификата: ${missing.map((m) => (m === 'head' ? 'руководитель' : m === 'clerk' ? 'делопроизводитель' : m)).join(', ')}`,
        fix: `получите сертификаты руководителя и делопроизводителя (${cite('sed', '1.2')}, ${cite('sed', '2.3')}) и импортируйте их: prichal certificate import`,
      },
    });
  const authorities = operator?.certificateAuthorities;
  p.signers.forEach((s, i) => {
    const path = ['signers', i, 'certificate', 'notAfter'];
    const evidence = `certificate ${s.certificate.serial} of ${s.name}, ${s.certificate.issuer}: ${s.certificate.notBefore} … ${s.certificate.notAfter}`;
    const state = certificateState(s.certificate, at, operator?.policy.certificateWarningDays ?? 0);
    if (state.state === 'not-yet-valid')
      add({
        requirement: 'SIG-1',
        path: ['signers', i, 'certificate', 'notBefore'],
        severity: 'error',
        message: `the certificate of ${s.name} is not valid before ${s.certificate.notBefore}`,
        evidence,
        fix: 'check the certificate dates',
        ru: {
          message: `сертификат ${s.name} действует только с ${russianDate(s.certificate.notBefore)}`,
          fix: 'проверьте даты сертификата',
        },
      });
    else if (state.state === 'expired')
      add({
        requirement: 'SIG-1',
        path,
        severity: 'error',
        message: `the certificate of ${s.name} expired on ${s.certificate.notAfter}`,
        evidence,
        fix: 'issue a new qualified certificate (63-ФЗ) and update signers',
        ru: {
          message: `сертификат ${s.name} истёк ${russianDate(s.certificate.notAfter)}`,
          fix: 'выпустите новый квалифицированный сертификат (63-ФЗ) и обновите signers',
        },
      });
    else if (state.state === 'expiring')
      add({
        requirement: 'SIG-1',
        path,
        severity: 'warning',
        message: `the certificate of ${s.name} expires in ${state.days} days (reminder at ${state.reminder} days)`,
        evidence,
        fix: 'order the renewal now',
        ru: {
          message: `сертификат ${s.name} истекает через ${state.days} дн. (напоминание за ${state.reminder} дн.)`,
          fix: 'закажите перевыпуск сейчас',
        },
      });
    if (!authorities) return;
    const issuer = issuerState(s.certificate, authorities, at);
    const issuerPath = [
      'signers',
      i,
      'certificate',
      issuer.state === 'unknown-key' || issuer.state === 'key-not-recorded' ? 'authorityKeyId' : 'issuer',
    ];
    const listed = authorities.map((a) => a.name).join(', ') || 'none';
    if (issuer.state === 'unknown-issuer')
      add({
        requirement: 'SIG-1',
        path: issuerPath,
        severity: 'error',
        message: `the certificate of ${s.name} is issued by ${s.certificate.issuer}, not an accredited CA of operator.yaml (${listed})`,
        evidence,
        fix: 'obtain a qualified certificate from an accredited CA, or add the CA to certificateAuthorities',
        ru: {
          message: `сертификат ${s.name} выдан ${s.certificate.issuer} — это не аккредитованный УЦ из operator.yaml (${listed})`,
          fix: 'получите квалифицированный сертификат в аккредитованном УЦ или добавьте УЦ в certificateAuthorities',
        },
      });
    else if (issuer.state === 'accreditation-ended')
      add({
        requirement: 'SIG-1',
        path: issuerPath,
        severity: 'error',
        message: `the accreditation of ${issuer.authority.name} ended on ${issuer.authority.accreditedUntil}`,
        evidence,
        fix: 'obtain a certificate from an accredited CA',
        ru: {
          message: `аккредитация ${issuer.authority.name} прекращена ${russianDate(issuer.authority.accreditedUntil!)}`,
          fix: 'получите сертификат в аккредитованном УЦ',
        },
      });
    else if (issuer.state === 'unknown-key')
      add({
        requirement: 'SIG-1',
        path: issuerPath,
        severity: 'error',
        message: `the certificate of ${s.name} names ${issuer.authority.name} but its authority key ${s.certificate.authorityKeyId} is not one of that CA's keys`,
        evidence,
        fix: "check the certificate's origin, or add the CA's key id to certificateAuthorities",
        ru: {
          message: `сертификат ${s.name} называет ${issuer.authority.name}, но его ключ издателя ${s.certificate.authorityKeyId} не из ключей этого УЦ`,
          fix: 'проверьте происхождение сертификата или добавьте идентификатор ключа УЦ в certificateAuthorities',
        },
      });
    else if (issuer.state === 'key-not-recorded')
      add({
        requirement: 'SIG-1',
        path: ['signers', i, 'certificate'],
        severity: 'warning',
        message: `the issuing key of ${s.name}'s certificate is not recorded, so the CA cannot be confirmed`,
        evidence,
        fix: 'import the certificate from its file: prichal certificate import',
        ru: {
          message: `ключ издателя сертификата ${s.name} не записан, поэтому УЦ не подтверждён`,
          fix: 'импортируйте сертификат из файла: prichal certificate import',
        },
      });
  });
}

/** WS-1: the workstation baseline of Требования к АРМ пользователя СЭД. */
function auditWorkstations(p: Participant, operator: OperatorFile, add: Add): void {
  const version = p.workstations.cryptoPro;
  const path = ['workstations', 'cryptoPro'];
  if (compareVersions(version, operator.policy.minCryptoPro) < 0)
    add({
      requirement: 'WS-1',
      path,
      severity: 'error',
      message: `CryptoPro CSP ${version} is below ${operator.policy.minCryptoPro}`,
      evidence: `workstations.cryptoPro: ${version}`,
      fix: `update CryptoPro CSP (5.0 recommended: ${cite('workstation')})`,
      ru: {
        message: `КриптоПро CSP ${version} ниже ${operator.policy.minCryptoPro}`,
        fix: `обновите КриптоПро CSP (рекомендуется 5.0: ${cite('workstation')})`,
      },
    });
  else if (compareVersions(version, '5.0') < 0)
    add({
      requirement: 'WS-1',
      path,
      severity: 'warning',
      message: `CryptoPro CSP ${version} is below the recommended 5.0`,
      evidence: `workstations.cryptoPro: ${version}`,
      fix: 'plan the update to CryptoPro CSP 5.0',
      ru: {
        message: `КриптоПро CSP ${version} ниже рекомендуемой версии 5.0`,
        fix: 'запланируйте обновление до КриптоПро CSP 5.0',
      },
    });
  for (const gap of workstationGaps(p.workstations, operator.policy.gostBrowsers ?? DEFAULT_GOST_BROWSERS)) {
    const present = p.workstations[gap.field] !== undefined;
    add({
      requirement: 'WS-1',
      path: present ? ['workstations', gap.field] : ['workstations'],
      severity: gap.severity,
      message: gap.message,
      evidence: `workstations: ${JSON.stringify(p.workstations)}`,
      fix: `set up the workstation (${cite('workstation')}) and record it`,
    });
  }
}

export const REQUEST_NAMES: Record<RequestKind, string> = {
  'request-new': 'support request «регистрации нового» абонента',
  'request-update': 'support request «актуализации данных»',
  'request-connector': `connector request (${cite('sed', '2.4')})`,
};
