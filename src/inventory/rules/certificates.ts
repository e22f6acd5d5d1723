// Date-dependent warnings at `--at`: signer certificates that expired or expire soon. They do
// not make the inventory invalid (audit's SIG-1 is the enforcing check); they tell the engineer early.
import { daysBetween } from '../dates.js';
import type { Rule } from '../model.js';

export const certificatesCurrent: Rule = (inventory, findings, { at }) => {
  const warnDays = inventory.operator?.value.policy.certificateWarningDays ?? 30;
  for (const { value: p, source } of inventory.participants) {
    p.signers.forEach((signer, i) => {
      const days = daysBetween(at, signer.certificate.notAfter);
      if (days >= warnDays) return;
      const message =
        days < 0
          ? `the certificate of ${signer.name} expired on ${signer.certificate.notAfter}; renew it before ${at}`
          : `the certificate of ${signer.name} expires on ${signer.certificate.notAfter}, in ${days} days (policy warns ${warnDays} days ahead)`;
      findings.at(source, ['signers', i, 'certificate', 'notAfter'], 'certificate-expiry', message, { severity: 'warning' });
    });
  }
};
