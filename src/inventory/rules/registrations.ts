// Contour registrations: mnemonics are unique per contour, and production comes only after a
// successful test (seed 003 §4.6).
import { CONTOURS, groupBy, type Rule } from '../model.js';

export const mnemonicsUniquePerContour: Rule = (inventory, findings) => {
  for (const contour of CONTOURS) {
    const registered = inventory.participants.filter((p) => p.value.registrations[contour]);
    for (const [mnemonic, group] of groupBy(registered, (p) => p.value.registrations[contour]!.mnemonic)) {
      for (const { source } of group.slice(1)) {
        findings.at(
          source,
          ['registrations', contour, 'mnemonic'],
          'duplicate-mnemonic',
          `mnemonic ${mnemonic} is already registered in the ${contour} contour by ${group[0]!.value.id}; mnemonics are unique per contour`,
        );
      }
    }
  }
};

export const productionAfterTest: Rule = (inventory, findings) => {
  for (const { value: p, source } of inventory.participants) {
    if (!p.registrations.prod) continue;
    const test = p.registrations.test;
    if (test?.status !== 'tested') {
      findings.at(
        source,
        ['registrations', 'prod'],
        'contour-order',
        `a prod registration needs the test registration to be 'tested' first (seed 003 §4.6); test is ${test ? `'${test.status}'` : 'absent'}`,
      );
    }
  }
};
