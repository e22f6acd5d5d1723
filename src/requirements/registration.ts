// The registration requirements of the portal/bus connection (Регламент ПУ ТО, п. 3.3 and 4.6):
// REG-1 a connection request is answered in time, BUS-2 production only after a tested test
// registration — worded here, for audit (the checks) and validation (contour-order). What they
// decide with (the lifecycle, the calendar, productionAllowed, the service test) is portal.ts.
import { CONTOURS, daysBetween, hasChannel, joinWords, russianDate, type Rule } from '../inventory/index.js';
import { productionAllowed, replyDeadline, serviceTestGaps } from './portal.js';
import { cite } from './regulations.js';
import type { InventoryCheck } from './requirement-check.js';
import { contractVersion } from './versions.js';

/** REG-1: a request still 'requested' after its 10 working days. */
export const checkRequestsAnswered: InventoryCheck = function* (p, { operator, at }) {
  if (!hasChannel(p)) return;
  for (const contour of CONTOURS) {
    const r = p.registrations[contour];
    if (r?.status !== 'requested' || !r.requested) continue;
    const deadline = replyDeadline(r.requested, operator?.calendar);
    if (daysBetween(at, deadline) < 0)
      yield {
        path: ['registrations', contour, 'requested'],
        message: `the ${contour} request of ${r.requested} is unanswered past its deadline ${deadline} (10 working days)`,
        evidence: `registrations.${contour}: status requested, requested ${r.requested}`,
        fix: `answer the request (approve it, or name the gaps: ${cite('portal', '3.3')}) and record status and date`,
        ru: {
          message: `заявка на ${contour === 'test' ? 'тестовый' : 'промышленный'} контур от ${russianDate(r.requested)} без ответа после срока ${russianDate(deadline)} (10 рабочих дней)`,
          fix: `ответьте на заявку (согласуйте или назовите недостатки: ${cite('portal', '3.3')}) и запишите статус и дату`,
        },
      };
  }
};

/** BUS-2 in the inventory: a production registration needs the tested test registration and a passed service test. */
export const checkProductionAfterTest: InventoryCheck = function* (p) {
  if (!hasChannel(p) || !p.registrations.prod) return;
  if (!productionAllowed(p.registrations.test?.status)) {
    yield {
      path: ['registrations', 'prod'],
      message: 'production registration without a tested test registration',
      evidence: `registrations.test.status: ${p.registrations.test?.status ?? 'absent'}`,
      fix: `finish the test contour (the protocol of ${cite('portal', 'Приложение 9')}) before production (${cite('portal', '4.6')})`,
      ru: {
        message: 'регистрация в промышленном контуре без испытанной регистрации в тестовом',
        fix: `завершите тестовый контур (протокол по ${cite('portal', 'Приложение 9')}) до промышленного (${cite('portal', '4.6')})`,
      },
    };
    return;
  }
  const gaps = serviceTestGaps(p);
  if (!gaps.length) return;
  const open = joinWords(gaps, '; ');
  yield {
    path: p.services?.length ? ['services'] : ['registrations', 'test'],
    message: `production registration without a passed service test: ${open.en}`,
    evidence: `services: ${(p.services ?? []).map((s) => s.code).join(', ') || 'none'}`,
    fix: `test the form, the statuses and every option in the test contour and record each step (${cite('portal', '4.6')}–4.7)`,
    ru: {
      message: `регистрация в промышленном контуре без пройденных испытаний услуги: ${open.ru}`,
      fix: `испытайте форму, статусы и каждый вариант услуги в тестовом контуре и запишите каждый шаг (${cite('portal', '4.6')}–4.7)`,
    },
  };
};

/**
 * BUS-2 in validation: `contour-order`. A version-1 file needed only the test registration
 * 'tested'; what version 2 adds (the service test step by step) is a warning there (versions.ts).
 */
export const productionAfterTest: Rule = (inventory, findings) => {
  const versionOne = contractVersion(inventory.operator?.value) < 2;
  for (const { value: p, source } of inventory.participants) {
    if (!p.registrations?.prod) continue;
    const test = p.registrations.test;
    if (!productionAllowed(test?.status)) {
      findings.at(source, ['registrations', 'prod'], 'contour-order', {
        en: `a prod registration needs the test registration to be 'tested' first (${cite('portal', '4.6')}); test is ${test ? `'${test.status}'` : 'absent'}`,
        ru: `для промышленной регистрации тестовая сначала должна быть в статусе 'tested' (${cite('portal', '4.6')}); тестовая ${test ? `в статусе '${test.status}'` : 'отсутствует'}`,
      });
    } else if (!versionOne) {
      const gaps = serviceTestGaps(p);
      if (gaps.length) {
        const open = joinWords(gaps, '; ');
        findings.at(source, ['registrations', 'prod'], 'contour-order', {
          en: `a prod registration needs the service test passed in the test contour (${cite('portal', '4.6')}–4.7): ${open.en}`,
          ru: `для промышленной регистрации нужны пройденные испытания услуги в тестовом контуре (${cite('portal', '4.6')}–4.7): ${open.ru}`,
        });
      }
    }
  }
};
