// Signer certificates the committed GOST fixtures (test/fixtures/certificates, made by its
// generate.sh) do not cover: a fixture re-encoded with another subject or other extensions — a
// holder named in SN and G under an organisation's CN, a CA marked only by its key usage. The
// signature then no longer matches; nothing in Prichal verifies one (GOST is not in Node's
// crypto), and a new GOST certificate would need OpenSSL's GOST engine on every test machine.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  Extension,
  Extensions,
  id_ce_basicConstraints,
  id_ce_keyUsage,
  KeyUsage,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';

export const CERTIFICATES = path.join(import.meta.dirname, '..', 'fixtures', 'certificates');

const OIDS = { C: '2.5.4.6', O: '2.5.4.10', CN: '2.5.4.3', SN: '2.5.4.4', G: '2.5.4.42' } as const;

export interface CertificateChange {
  /** The subject's attributes, in this order (each its own RDN, as CAs write them). */
  subject?: Partial<Record<keyof typeof OIDS, string>>;
  /** Key usage bits (KeyUsageFlags), in place of the fixture's. */
  keyUsage?: number;
  /** basicConstraints' cA, in place of the fixture's; null leaves the extension out. */
  ca?: boolean | null;
}

/** The DER of fixture `file` (a .der or .pem of test/fixtures/certificates) with `change` applied. */
export function certificateWith(file: string, change: CertificateChange): Buffer {
  const bytes = readFileSync(path.join(CERTIFICATES, file));
  const pem = /-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/.exec(bytes.toString('latin1'));
  const parsed = AsnConvert.parse(pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : bytes, Certificate);
  const tbs = parsed.tbsCertificate;
  if (change.subject)
    tbs.subject = new Name(
      Object.entries(change.subject).map(
        ([key, value]) =>
          new RelativeDistinguishedName([
            new AttributeTypeAndValue({
              type: OIDS[key as keyof typeof OIDS],
              value: new AttributeValue({ utf8String: value }),
            }),
          ]),
      ),
    );
  const replaced = (id: string, value: ArrayBuffer | undefined) => {
    const kept = (tbs.extensions ?? []).filter((e) => e.extnID !== id);
    const added = value ? [new Extension({ extnID: id, critical: true, extnValue: new OctetString(value) })] : [];
    tbs.extensions = new Extensions([...kept, ...added]);
  };
  if (change.keyUsage !== undefined) replaced(id_ce_keyUsage, AsnConvert.serialize(new KeyUsage(change.keyUsage)));
  if (change.ca !== undefined)
    replaced(
      id_ce_basicConstraints,
      change.ca === null ? undefined : AsnConvert.serialize(new BasicConstraints({ cA: change.ca })),
    );
  // A new Certificate: the parsed one keeps the fixture's own TBS bytes, which would be written back.
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: parsed.signatureAlgorithm,
    signatureValue: parsed.signatureValue,
  });
  return Buffer.from(AsnConvert.serialize(certificate));
}
