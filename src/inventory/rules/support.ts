// The support desks' hours (operator.yaml operator.support: the shared desk, sed, portal): the
// schema holds each day's form, HH:MM-HH:MM; here, that each opens before it closes and that some
// day is open — a desk that never opens would leave the incident note's reaction deadline
// (Регламент ПУ ТО, п. 8.4) uncountable.
import { hoursRange } from '../dates.js';
import { quoted, type FieldPath } from '../findings.js';
import type { Rule } from '../model.js';

export const supportDeskHours: Rule = (inventory, findings) => {
  const operator = inventory.operator;
  if (!operator) return;
  const support = operator.value.operator.support;
  const desks: Array<{ at: FieldPath; hours: typeof support.hours }> = [
    { at: [], hours: support.hours },
    { at: ['sed'], hours: support.sed?.hours },
    { at: ['portal'], hours: support.portal?.hours },
  ];
  for (const { at, hours } of desks) {
    if (!hours) continue;
    const path: FieldPath = ['operator', 'support', ...at, 'hours'];
    const days = Object.entries(hours).filter((e): e is [string, string] => typeof e[1] === 'string');
    if (!days.length)
      findings.at(operator.source, path, 'schema', {
        en: 'no day is open, so the desk would never take a request; give weekdays, saturday or sunday (HH:MM-HH:MM), or leave hours out',
        ru: 'ни один день не указан, и служба никогда не принимала бы заявки; укажите weekdays, saturday или sunday (ЧЧ:ММ-ЧЧ:ММ) или уберите hours',
      });
    for (const [day, text] of days) {
      const [from, to] = hoursRange(text);
      if (from >= to)
        findings.at(operator.source, [...path, day], 'schema', {
          en: `${quoted(text)} closes before it opens; write the opening first, e.g. 08:00-20:00`,
          ru: `${quoted(text)}: закрытие раньше открытия; сначала укажите время открытия, например 08:00-20:00`,
        });
    }
  }
};
