// Contract versions of operator.yaml: fields added by version 2 need `version: 2` at the top, so
// a file says which contract it follows and an older Prichal refuses it clearly instead of
// half-reading it. A version-1 file without them keeps validating unchanged.
import type { Rule } from '../model.js';

const VERSION_2_FIELDS = ['gateways', 'hub', 'timeZone'] as const;

export const versionedFieldsDeclared: Rule = (inventory, findings) => {
  const operator = inventory.operator;
  if (!operator || (operator.value.version ?? 1) >= 2) return;
  for (const field of VERSION_2_FIELDS) {
    if (operator.value[field] !== undefined) {
      findings.at(operator.source, [field], 'schema-version', `${field} is a version-2 field: write 'version: 2' as the first line of operator.yaml (version 1 has no ${field})`);
    }
  }
};
