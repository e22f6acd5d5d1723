// Signer certificates read from their files (DER or PEM, GOST R 34.10-2012 included) instead of
// typed in: serial, SHA-1 thumbprint, issuer CN, validity, the authority key identifier and the
// holder, the facts SIG-1 checks. Parsed with @peculiar/asn1-x509 (a maintained ASN.1 schema of
// RFC 5280): Node's own X509Certificate goes through OpenSSL, which cannot load GOST keys without
// its engine. Nothing here verifies a signature — GOST is not in Node's crypto — so the CA is
// identified by name and key identifier only (requirements/signers.ts says so to the user).
import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_keyUsage,
  KeyUsage,
  KeyUsageFlags,
  Name,
  type TBSCertificate as TbsCertificate,
  Time,
} from '@peculiar/asn1-x509';
import type { Participant } from './types.generated.js';
import { WordedError } from '../words.js';
import { readRegular } from '../files.js';
import { YamlEditor } from './edit.js';

export type SignerCertificate = Participant['signers'][number]['certificate'];

export class CertificateFileError extends WordedError {
  override readonly name = 'CertificateFileError';
}

const hex = (bytes: ArrayBuffer | Uint8Array) =>
  Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
    .toString('hex')
    .toUpperCase();
const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';
const OID_SN = '2.5.4.4';
const OID_G = '2.5.4.42';

/** The PEM block's bytes, or the file itself when it is DER. */
function derOf(file: string, bytes: Buffer): Buffer {
  const text = bytes.toString('latin1');
  const pem = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(text);
  if (pem) return Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64');
  if (bytes[0] === 0x30) return bytes;
  throw new CertificateFileError({
    en: `${file}: neither a PEM certificate (-----BEGIN CERTIFICATE-----) nor DER`,
    ru: `${file}: не сертификат ни в PEM (-----BEGIN CERTIFICATE-----), ни в DER`,
  });
}

function attribute(name: Name, oid: string): string | undefined {
  for (const rdn of name) for (const a of rdn) if (a.type === oid) return a.value.toString().trim() || undefined;
  return undefined;
}

/**
 * The person a certificate is issued to. A Russian qualified certificate of an official names the
 * organisation in CN and the person in SN (surname) and G (given name and patronymic), so those
 * come first; a certificate without them names its holder in CN.
 */
function holderOf(subject: Name): string | undefined {
  const surname = attribute(subject, OID_SN);
  const given = attribute(subject, OID_G);
  return surname && given ? `${surname} ${given}` : attribute(subject, OID_CN);
}

/**
 * Why the certificate is a certification authority's own (basicConstraints cA, or a key that signs
 * certificates), or undefined for an end entity's: a CA's certificate identifies the CA, never a
 * person who signs in the СЭД.
 */
function authorityMark(tbs: TbsCertificate): string | undefined {
  const constraints = extension(tbs, id_ce_basicConstraints, BasicConstraints);
  if (constraints?.cA) return 'basicConstraints cA: TRUE';
  const usage = extension(tbs, id_ce_keyUsage, KeyUsage);
  if (usage && usage.toNumber() & KeyUsageFlags.keyCertSign) return 'keyUsage keyCertSign';
  return undefined;
}

/** The certificate's extension `id` decoded, or undefined when the certificate has none. */
function extension<T>(tbs: TbsCertificate, id: string, type: new () => T): T | undefined {
  const value = tbs.extensions?.find((e) => e.extnID === id)?.extnValue;
  return value ? AsnConvert.parse(value, type) : undefined;
}

const day = (t: Time) => t.getTime().toISOString().slice(0, 10);

export interface ReadCertificate {
  /** With `holder` when the subject names one (SN and G, or CN). */
  certificate: SignerCertificate;
  /** Set on a certification authority's own certificate: what marks it as one. */
  authority?: string;
}

export function parseCertificate(file: string, bytes: Buffer): ReadCertificate {
  const der = derOf(file, bytes);
  try {
    return certificateOf(file, der);
  } catch (error) {
    if (error instanceof CertificateFileError) throw error;
    // A malformed extension or a date no calendar has is as much "not a certificate" as bad DER.
    const why = String((error as Error).message ?? error).slice(0, 200);
    throw new CertificateFileError(
      { en: `${file}: not an X.509 certificate (${why})`, ru: `${file}: не сертификат X.509 (${why})` },
      { cause: error },
    );
  }
}

function certificateOf(file: string, der: Buffer): ReadCertificate {
  const cert = AsnConvert.parse(der, Certificate);
  const tbs = cert.tbsCertificate;
  const aki = extension(tbs, id_ce_authorityKeyIdentifier, AuthorityKeyIdentifier)?.keyIdentifier;
  const holder = holderOf(tbs.subject);
  const authority = authorityMark(tbs);
  const issuer = attribute(tbs.issuer, OID_CN) ?? attribute(tbs.issuer, OID_O);
  if (!issuer)
    throw new CertificateFileError({
      en: `${file}: the issuer has no common name or organisation`,
      ru: `${file}: у издателя нет ни общего имени (CN), ни организации (O)`,
    });
  return {
    certificate: {
      serial: hex(tbs.serialNumber).replace(/^0+(?=.)/, ''),
      thumbprint: createHash('sha1').update(der).digest('hex'),
      issuer,
      ...(aki ? { authorityKeyId: hex(aki.buffer) } : {}),
      notBefore: day(tbs.validity.notBefore),
      notAfter: day(tbs.validity.notAfter),
      ...(holder ? { holder } : {}),
    },
    ...(authority ? { authority } : {}),
  };
}

/** A certificate is a few kilobytes; a file far larger is not one. */
const CERTIFICATE_LIMIT = 1024 * 1024;

/**
 * A certificate file read by the file rule: a regular file only, opened without blocking,
 * size-limited — a FIFO given to `certificate show` is refused at once, /dev/zero never fills memory.
 */
export async function readCertificate(file: string): Promise<ReadCertificate> {
  const read = readRegular(file, { limit: CERTIFICATE_LIMIT });
  if ('missing' in read) throw new CertificateFileError({ en: `${file}: no such file`, ru: `${file}: файл не найден` });
  if ('problem' in read)
    throw new CertificateFileError({ en: `${file}: ${read.problem.en}`, ru: `${file}: ${read.problem.ru}` });
  return parseCertificate(file, read.bytes);
}

/**
 * Puts a certificate into a participant file's `signers` through the in-place editor: the signer
 * with that role (and name) gets the new certificate — only the fields that differ change, on the
 * certificate's own line —, or a new signer is appended. Every other line stays byte for byte.
 * Returns the new text; the caller validates before writing.
 */
export function withSignerCertificate(
  text: string,
  signer: { role: Participant['signers'][number]['role']; name: string },
  certificate: SignerCertificate,
  file = 'the participant file',
): string {
  const editor = new YamlEditor(text, file);
  const signers = editor.get(['signers']);
  const index = Array.isArray(signers)
    ? signers.findIndex(
        (s: unknown) =>
          typeof s === 'object' &&
          s !== null &&
          (s as { role?: unknown }).role === signer.role &&
          (s as { name?: unknown }).name === signer.name,
      )
    : -1;
  // The certificate on one line, as the sample and `prichal init` write it.
  if (index >= 0) editor.set(['signers', index, 'certificate'], certificate, { flowFrom: 0 });
  else if (Array.isArray(signers) || signers === undefined || signers === null)
    editor.append(['signers'], { name: signer.name, role: signer.role, certificate }, { flowFrom: 1 });
  else throw new CertificateFileError({ en: `${file}: signers is not a list`, ru: `${file}: signers — не список` });
  return editor.text;
}
