// Contour registrations: mnemonics are unique per contour (production after test is a
// requirement: requirements/validation.ts).
import { CONTOURS, networked, repeats, type Rule } from '../model.js';
import { inContourRu } from '../../words.js';

export const mnemonicsUniquePerContour: Rule = (inventory, findings) => {
  for (const contour of CONTOURS) {
    const registered = networked(inventory).filter((p) => p.value.registrations[contour]);
    for (const { key: mnemonic, first, repeat } of repeats(
      registered,
      (p) => p.value.registrations[contour]!.mnemonic,
    )) {
      findings.at(repeat.source, ['registrations', contour, 'mnemonic'], 'duplicate-mnemonic', {
        en: `mnemonic ${mnemonic} is already registered in the ${contour} contour by ${first.value.id}; mnemonics are unique per contour`,
        ru: `мнемоника ${mnemonic} уже зарегистрирована ${inContourRu(contour)} участником ${first.value.id}; в контуре мнемоники не повторяются`,
      });
    }
  }
};
