// The organisation's paperwork for the СЭД (Регламент подключения к СЭД, п. 1.1, 1.4, 2.2, 2.4):
// ORG-1 the joining and personal-data agreements, ORG-2 the support request that applies and its
// coordinating body — worded here, for audit (the checks) and validation (agreement-missing,
// coordinator-required). Who signs and which request applies are decided in sed.ts.
import type { Rule, Words } from '../inventory/index.js';
import { cite } from './regulations.js';
import type { InventoryCheck } from './requirement-check.js';
import {
  agreementsRequired,
  applicableRequest,
  missingAgreements,
  missingFields,
  needsCoordinator,
  requestFields,
  sedConnected,
  type RequestKind,
} from './sed.js';

/** ORG-1 in audit. */
export const checkAgreements: InventoryCheck = function* (p, { kindOf }) {
  if (!agreementsRequired(p, kindOf)) return;
  const missing = missingAgreements(p);
  if (!missing.length) return;
  yield {
    path: p.agreements ? ['agreements'] : ['kind'],
    message: `missing agreement: ${missing.join(', ')}`,
    evidence: `kind: ${p.kind}; agreements: ${JSON.stringify(p.agreements ?? {})}`,
    fix: `obtain the signed agreements (${cite('sed', '1.1')}, ${cite('sed', '2.2')}) and record their dates`,
    ru: {
      message: `нет соглашения: ${missing.map((m) => (m === 'joining' ? 'о присоединении' : 'об обработке персональных данных')).join(', ')}`,
      fix: `получите подписанные соглашения (${cite('sed', '1.1')}, ${cite('sed', '2.2')}) и запишите их даты`,
    },
  };
};

/** ORG-1 in validation: `agreement-missing`. */
export const agreementsPresent: Rule = (inventory, findings) => {
  const kinds = new Map(inventory.participants.map((p) => [p.value.id, p.value.kind]));
  for (const { value: p, source } of inventory.participants) {
    if (!agreementsRequired(p, (id) => kinds.get(id))) continue;
    const missing = missingAgreements(p);
    if (missing.length) {
      const fields = missing.map((m) => `agreements.${m}`).join(', ');
      findings.at(source, p.agreements ? ['agreements'] : ['kind'], 'agreement-missing', {
        en: `a ${p.kind} signs the joining and personal-data agreements (${cite('sed', '1.1')}, ${cite('sed', '2.2')}); missing: ${fields}`,
        ru: `участник вида ${p.kind} подписывает соглашение о присоединении и соглашение об обработке персональных данных (${cite('sed', '1.1')}, ${cite('sed', '2.2')}); не указано: ${fields}`,
      });
    }
  }
};

export const REQUEST_NAMES: Record<RequestKind, Words> = {
  'request-new': {
    en: 'support request «регистрации нового» абонента',
    ru: 'заявку в техническую поддержку о регистрации нового абонента',
  },
  'request-update': {
    en: 'support request «актуализации данных»',
    ru: 'заявку в техническую поддержку об актуализации данных',
  },
  'request-connector': {
    en: `connector request (${cite('sed', '2.4')})`,
    ru: `заявку о завершении работ по коннектору (${cite('sed', '2.4')})`,
  },
};

/** ORG-2 in audit: the request that applies at the date can be filled in from the file. */
export const checkSupportRequest: InventoryCheck = function* (p, { at }) {
  const request = applicableRequest(p, at);
  const gaps = missingFields(requestFields(request, p));
  if (!gaps.length) return;
  const connected = sedConnected(p, at);
  yield {
    path: ['sed'],
    message: `the ${REQUEST_NAMES[request].en} cannot be filled in: ${gaps.map((g) => g.en).join(', ')}`,
    evidence: `sed.mode: ${p.sed.mode}; connected to the СЭД: ${connected ? 'yes' : 'no'}`,
    fix: 'record the missing fields in the participant file',
    ru: {
      message: `не заполнить ${REQUEST_NAMES[request].ru}: не указано ${gaps.map((g) => g.ru).join(', ')}`,
      evidence: `sed.mode: ${p.sed.mode}; подключён к СЭД: ${connected ? 'да' : 'нет'}`,
      fix: 'укажите недостающие поля в файле участника',
    },
  };
};

/** ORG-2's coordinating body, in validation: `coordinator-required`. */
export const coordinatorPresent: Rule = (inventory, findings) => {
  for (const { value: p, source } of inventory.participants) {
    // Anchored at `kind`: the field that makes coordinatedBy required (the missing field has no line).
    if (needsCoordinator(p.kind) && !p.coordinatedBy) {
      findings.at(source, ['kind'], 'coordinator-required', {
        en: `a ${p.kind} needs coordinatedBy: the id of the body that coordinates and controls it (form field 4)`,
        ru: `участнику вида ${p.kind} нужен coordinatedBy: идентификатор органа, осуществляющего координацию и контроль (поле 4 заявки)`,
      });
    }
  }
};
