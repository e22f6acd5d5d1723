// prichal certificate show|import: a signer's certificate read from its file (DER or PEM) into
// the participant file, so serial, thumbprint, issuer, key identifier and dates are never typed.
import path from 'node:path';
import {
  CertificateFileError,
  formatFinding,
  readCertificate,
  SourceFile,
  withSignerCertificate,
  type ReadCertificate,
} from '../inventory/index.js';
import { checkParticipantShape } from '../inventory/schema-check.js';
import { UsageError } from './errors.js';
import { FileError, readTextOutcome, writeAtomic } from '../files.js';
import { terminalText } from '../escape.js';

const ROLES = ['head', 'clerk', 'deputy', 'other'] as const;
type Role = (typeof ROLES)[number];

export async function showCertificate(file: string): Promise<ReadCertificate> {
  return readCertificate(file);
}

/**
 * Writes the certificate into the participant's signers (by role and name; the name defaults to
 * the certificate's holder). The new file must still pass its schema, and is replaced atomically.
 * A certification authority's own certificate is refused: it is nobody's signature.
 */
export interface CertificateImport {
  participant: string;
  file: string;
  signer: { name: string; role: string };
  certificate: ReadCertificate['certificate'];
}

export async function importCertificate(options: {
  inventory: string;
  participant: string;
  file: string;
  role: string;
  name?: string;
}): Promise<CertificateImport> {
  if (!(ROLES as readonly string[]).includes(options.role))
    throw new UsageError({
      en: `--role must be one of ${ROLES.join(', ')}`,
      ru: `--role: одно из ${ROLES.join(', ')}`,
    });
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(options.participant))
    throw new UsageError({
      en: `--participant takes a participant id (lower-case letters, digits and '-'), not ${JSON.stringify(options.participant)}`,
      ru: `--participant: идентификатор участника (строчные латинские буквы, цифры и '-'), а не ${JSON.stringify(options.participant)}`,
    });
  const read = await readCertificate(options.file);
  // Refused before the participant file is read: nothing is written for a CA's certificate.
  if (read.authority) {
    // The CA's name comes from the file: shown escaped, never as terminal control sequences.
    const ca = terminalText(read.certificate.holder ?? read.certificate.issuer);
    throw new CertificateFileError({
      en: `${options.file}: the certificate of the certification authority ${ca} itself (${read.authority}), not a signer's: import the certificate the CA issued to the signer; nothing written`,
      ru: `${options.file}: сертификат самого удостоверяющего центра ${ca} (${read.authority}), а не подписанта: импортируйте сертификат, выданный УЦ подписанту; ничего не записано`,
    });
  }
  const name = options.name ?? read.certificate.holder;
  if (!name)
    throw new UsageError({
      en: `${options.file}: the certificate names no holder; give the signer's name with --name`,
      ru: `${options.file}: в сертификате не указан владелец; задайте имя подписанта через --name`,
    });
  const target = path.join(options.inventory, 'participants', `${options.participant}.yaml`);
  // Read by the file rule, inside the inventory (a link out of it is never followed).
  const current = readTextOutcome(target, { inside: options.inventory });
  if ('missing' in current)
    throw new UsageError({ en: `no participant file ${target}`, ru: `нет файла участника ${target}` });
  if ('problem' in current) throw new FileError(target, current.problem);
  const text = current.text;
  const relative = path.relative(options.inventory, target);
  // Only the certificate's line changes (or the new signer's lines are added): the in-place editor.
  const updated = withSignerCertificate(text, { role: options.role as Role, name }, read.certificate, relative);
  const source = new SourceFile(relative, updated);
  const shape = checkParticipantShape(source, source.doc.toJS());
  if (shape.findings.length)
    throw new UsageError({
      en: `the participant file would not validate after the import; nothing written:\n${shape.findings.map((f) => formatFinding(f)).join('\n')}`,
      ru: `после импорта файл участника не прошёл бы проверку; ничего не записано:\n${shape.findings.map((f) => formatFinding(f, 'ru')).join('\n')}`,
    });
  // Replaced by the file rule: a temporary file in the same folder, flushed, renamed over it.
  await writeAtomic(target, updated);
  return {
    participant: options.participant,
    file: target,
    signer: { name, role: options.role },
    certificate: read.certificate,
  };
}
