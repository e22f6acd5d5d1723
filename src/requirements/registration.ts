// The registration requirements of the portal/bus connection (Регламент ПУ ТО, п. 3.3 and 4.6):
// REG-1 a connection request is answered in time, BUS-2 production only after a tested test
// registration — worded here, for audit (the checks) and validation (contour-order). What they
// decide with (the lifecycle, the calendar, productionAllowed, the service test) is portal.ts.
import {
  CONTOURS,
  daysBetween,
  hasChannel,
  joinWords,
  russianDate,
  type Participant,
  type Rule,
  type Words,
} from '../inventory/index.js';
import {
  calendarYears,
  productionAllowed,
  replyDeadline,
  serviceStepGaps,
  serviceStepsAfterTest,
  serviceTestGaps,
  uncoveredYears,
} from './portal.js';
import { cite } from './regulations.js';
import type { InventoryCheck } from './requirement-check.js';
import { contractVersion } from './versions.js';

/**
 * REG-1: a request still 'requested' after its 10 working days; one with no date, whose deadline
 * cannot be counted; and a deadline counted across a year the production calendar does not cover
 * (its holidays unknown, so the date may be early).
 */
export const checkRequestsAnswered: InventoryCheck = function* (p, { operator, at }) {
  if (!hasChannel(p)) return;
  for (const contour of CONTOURS) {
    const r = p.registrations[contour];
    if (r?.status !== 'requested') continue;
    const contourRu = contour === 'test' ? 'тестовый' : 'промышленный';
    if (!r.requested) {
      yield {
        path: ['registrations', contour, 'status'],
        message: `the ${contour} request has no date (registrations.${contour}.requested): its deadline of 10 working days cannot be counted`,
        evidence: `registrations.${contour}: status requested, no requested date`,
        fix: `record the date the request letter was sent (${cite('portal', '3.1.3')}) as registrations.${contour}.requested`,
        ru: {
          message: `у заявки на ${contourRu} контур нет даты (registrations.${contour}.requested): срок ответа в 10 рабочих дней не отсчитать`,
          fix: `запишите дату отправки письма-заявки (${cite('portal', '3.1.3')}) в registrations.${contour}.requested`,
        },
      };
      continue;
    }
    const deadline = replyDeadline(r.requested, operator?.calendar);
    const uncovered = uncoveredYears(r.requested, deadline, operator?.calendar);
    if (uncovered.length)
      yield {
        path: ['registrations', contour, 'requested'],
        message: `the deadline ${deadline} of the ${contour} request of ${r.requested} is counted without holidays: the production calendar (operator.yaml calendar) does not cover ${uncovered.join(', ')}`,
        evidence: `calendar years: ${[...calendarYears(operator?.calendar)].sort().join(', ') || 'none'}`,
        fix: `add the non-working days of ${uncovered.join(', ')} to operator.yaml calendar.holidays (and transferred workdays to calendar.workdays)`,
        ru: {
          message: `срок ${russianDate(deadline)} ответа на заявку на ${contourRu} контур от ${russianDate(r.requested)} рассчитан без праздников: производственный календарь (calendar в operator.yaml) не охватывает ${uncovered.join(', ')} г.`,
          fix: `внесите нерабочие дни ${uncovered.join(', ')} г. в calendar.holidays в operator.yaml (перенесённые рабочие дни — в calendar.workdays)`,
        },
      };
    if (daysBetween(at, deadline) < 0)
      yield {
        path: ['registrations', contour, 'requested'],
        message: `the ${contour} request of ${r.requested} is unanswered past its deadline ${deadline} (10 working days)`,
        evidence: `registrations.${contour}: status requested, requested ${r.requested}`,
        fix: `answer the request (approve it, or name the gaps: ${cite('portal', '3.3')}) and record status and date`,
        ru: {
          message: `заявка на ${contourRu} контур от ${russianDate(r.requested)} без ответа после срока ${russianDate(deadline)} (10 рабочих дней)`,
          fix: `ответьте на заявку (согласуйте или назовите недостатки: ${cite('portal', '3.3')}) и запишите статус и дату`,
        },
      };
  }
};

/**
 * What the service test of п. 4.6 contradicts beside production (BUS-2, in validation and audit):
 * a test-contour step dated after the test or the switch, and a test registration recorded
 * 'tested' while a service step is failed or untested, before any production registration.
 */
function testRecordGaps(p: Participant): Array<{ path: Array<string | number>; message: Words }> {
  const gaps = serviceStepsAfterTest(p);
  const test = p.registrations?.test;
  // With a production registration, the production finding below names the open steps already.
  if (test?.status === 'tested' && !p.registrations?.prod && p.services?.length) {
    const open = serviceStepGaps(p.services);
    if (open.length) {
      const listed = joinWords(open, '; ');
      gaps.push({
        path: ['registrations', 'test', 'status'],
        message: {
          en: `the test registration is recorded 'tested' while the service test has not passed (${cite('portal', '4.6')}): ${listed.en}`,
          ru: `тестовая регистрация записана как 'tested', а испытания услуги не пройдены (${cite('portal', '4.6')}): ${listed.ru}`,
        },
      });
    }
  }
  return gaps;
}

/** BUS-2 in the inventory: a production registration needs the tested test registration and a passed service test. */
export const checkProductionAfterTest: InventoryCheck = function* (p) {
  if (!hasChannel(p)) return;
  for (const gap of testRecordGaps(p))
    yield {
      path: gap.path,
      message: gap.message.en,
      evidence: `registrations.test: ${p.registrations.test?.status ?? 'absent'}${p.registrations.test?.tested ? `, tested ${p.registrations.test.tested}` : ''}${p.registrations.prod?.switchDate ? `; prod switchDate ${p.registrations.prod.switchDate}` : ''}`,
      fix: `record the service test as it was: each step with its date and result, and the test's date and status after the last step (${cite('portal', '4.6')})`,
      ru: {
        message: gap.message.ru,
        fix: `запишите испытания как они прошли: каждый шаг с датой и результатом, дату и статус испытаний — после последнего шага (${cite('portal', '4.6')})`,
      },
    };
  if (!p.registrations.prod) return;
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
    if (!versionOne) for (const gap of testRecordGaps(p)) findings.at(source, gap.path, 'contour-order', gap.message);
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
