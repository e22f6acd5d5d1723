// Contour registrations: mnemonics are unique per contour (production after test is a
// requirement: requirements/validation.ts).
import { CONTOURS, groupBy, networked, type Rule } from '../model.js';
import { inContourRu } from '../../words.js';

export const mnemonicsUniquePerContour: Rule = (inventory, findings) => {
  for (const contour of CONTOURS) {
    const registered = networked(inventory).filter((p) => p.value.registrations[contour]);
    for (const [mnemonic, group] of groupBy(registered, (p) => p.value.registrations[contour]!.mnemonic)) {
      for (const { source } of group.slice(1)) {
        findings.at(
          source,
          ['registrations', contour, 'mnemonic'],
          'duplicate-mnemonic',
          {
            en: `mnemonic ${mnemonic} is already registered in the ${contour} contour by ${group[0]!.value.id}; mnemonics are unique per contour`,
            ru: `мнемоника ${mnemonic} уже зарегистрирована ${inContourRu(contour)} участником ${group[0]!.value.id}; в контуре мнемоники не повторяются`,
          },
        );
      }
    }
  }
};
