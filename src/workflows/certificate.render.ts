// prichal certificate show|import as people read them: the certificate as the signers entry of
// a participant file, or what the import wrote.
import { stringify } from 'yaml';
import { terminalText as t } from '../escape.js';
import type { ReadCertificate } from '../inventory/index.js';
import { localDay, type Lang } from '../report/index.js';
import type { CertificateImport } from './certificate.js';

/**
 * The signers entry to paste: the name from the certificate, the role left for a person to choose.
 * A CA's own certificate is shown too (its facts are the CA's), under a comment saying that it is
 * no signer's, so that pasting it is not a way around import's refusal.
 */
export const certificateShowText = (read: ReadCertificate, lang: Lang): string => {
  const entry = stringify({
    name: read.certificate.holder ?? '<signer name>',
    role: '<head|clerk|deputy|other>',
    certificate: read.certificate,
  }).trimEnd();
  if (!read.authority) return entry;
  const note =
    lang === 'ru'
      ? `# сертификат самого удостоверяющего центра (${read.authority}), а не подписанта: certificate import его не примет`
      : `# a certification authority's own certificate (${read.authority}), not a signer's: certificate import refuses it`;
  return `${note}\n${entry}`;
};

// The name and issuer come from the certificate: shown escaped, never as terminal control sequences.
export const certificateImportText = (r: CertificateImport, lang: Lang): string =>
  lang === 'ru'
    ? `${r.file}: ${r.signer.role} ${t(r.signer.name)}, сертификат ${r.certificate.serial}, издатель ${t(r.certificate.issuer)}, ${localDay(r.certificate.notBefore, lang)} … ${localDay(r.certificate.notAfter, lang)}`
    : `${r.file}: ${r.signer.role} ${t(r.signer.name)}, certificate ${r.certificate.serial} of ${t(r.certificate.issuer)}, ${r.certificate.notBefore} … ${r.certificate.notAfter}`;
