// Ids: a participant's id is its file name, and ids are unique across the inventory.
import { idOfFile } from '../load.js';
import { quoted } from '../findings.js';
import { repeats, type Rule } from '../model.js';

export const idMatchesFileName: Rule = (inventory, findings) => {
  for (const { value, source } of inventory.participants) {
    const expected = idOfFile(source.file);
    if (value.id !== expected) {
      findings.at(source, ['id'], 'id-mismatch', {
        en: `id ${quoted(value.id)} must equal the file name ${quoted(expected)}`,
        ru: `id ${quoted(value.id)} должен совпадать с именем файла ${quoted(expected)}`,
      });
    }
  }
};

export const idsAreUnique: Rule = (inventory, findings) => {
  for (const { key: id, first, repeat } of repeats(inventory.participants, (p) => p.value.id)) {
    findings.at(repeat.source, ['id'], 'duplicate-id', {
      en: `id ${quoted(id)} is already used by ${first.source.file}; ids must be unique`,
      ru: `id ${quoted(id)} уже занят в ${first.source.file}; идентификаторы не повторяются`,
    });
  }
  const operator = inventory.operator;
  if (!operator) return;
  const lists = [
    ['edges', operator.value.edges],
    ['cryptoProducts', operator.value.cryptoProducts],
  ] as const;
  for (const [field, list] of lists) {
    for (const { key: id, repeat } of repeats(
      list.map((item, index) => ({ id: item.id, index })),
      (e) => e.id,
    )) {
      findings.at(operator.source, [field, repeat.index, 'id'], 'duplicate-id', {
        en: `${field} id ${quoted(id)} appears more than once`,
        ru: `id ${quoted(id)} в ${field} встречается больше одного раза`,
      });
    }
  }
};
