// Signers and their certificates (Регламент подключения к СЭД, п. 1.2, 2.3; 63-ФЗ, ст. 6): the
// head's and the clerk's certificates are theirs, a certification authority's own certificate is
// never a signer's, and a reminder of N days is reached with N days left. Each case fails on the
// code before it.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KeyUsageFlags } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import {
  CertificateFileError,
  lastDayPassed,
  parseCertificate,
  readCertificate,
  type Participant,
} from '../src/inventory/index.js';
import { certificateState, checkSignerCertificates } from '../src/requirements/index.js';
import { importCertificate } from '../src/workflows/certificate.js';
import { checks } from '../src/workflows/run-checks.js';
import { check, operator, participant } from './helpers/build.js';
import { CERTIFICATES, certificateWith } from './helpers/certificates.js';
import { prichal } from './helpers/cli.js';
import { editedInventories, lineOf, SAMPLE_INVENTORY } from './helpers/inventory.js';

const AT = '2026-11-23';
const edited = editedInventories();

/** SIG-1's audit findings for one participant of an inventory folder. */
async function sig1(dir: string, id: string, at = AT) {
  const { result } = await checks({ kind: 'audit', inventory: dir, at });
  return result.findings.filter((f) => f.participant === id && f.requirement === 'SIG-1');
}
const errors = <T extends { severity: string }>(findings: T[]) => findings.filter((f) => f.severity === 'error');

/** SIG-1 of a participant object as audit decides it (operator.yaml of the builder). */
const audited = (p: object, at = AT) =>
  [
    ...checkSignerCertificates(p as Participant, {
      operator: operator() as never,
      at,
      kindOf: () => undefined,
    }),
  ].filter((f) => f.severity !== 'warning');

describe("the head's and the clerk's certificates are theirs (SIG-1)", () => {
  it("a certificate imported under the clerk's name but held by someone else is an error naming the role, the holder and the clerk, in both languages", async () => {
    const dir = await edited([]);
    // clerk.pem is Сидорова Елена Викторовна's; ishim-sosh-2's clerk is Лапина Наталья Юрьевна.
    await importCertificate({
      inventory: dir,
      participant: 'ishim-sosh-2',
      file: path.join(CERTIFICATES, 'clerk.pem'),
      role: 'clerk',
      name: 'Лапина Наталья Юрьевна',
    });
    const text = await readFile(path.join(dir, 'participants/ishim-sosh-2.yaml'), 'utf8');
    expect(text).toContain('holder: Сидорова Елена Викторовна');
    const found = errors(await sig1(dir, 'ishim-sosh-2'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      file: 'participants/ishim-sosh-2.yaml',
      line: await lineOf(dir, 'participants/ishim-sosh-2.yaml', 'holder: Сидорова Елена Викторовна'),
      message:
        "the clerk's certificate is held by Сидорова Елена Викторовна, not by the clerk Лапина Наталья Юрьевна (clerk.name)",
    });
    expect(found[0]!.ru!.message).toBe(
      'владелец сертификата делопроизводителя — Сидорова Елена Викторовна, а делопроизводитель участника — Лапина Наталья Юрьевна (clerk.name)',
    );
    expect(found[0]!.ru!.fix).toContain('prichal certificate import');

    // The same certificate as the clerk of tmn-sosh-12, whose clerk holds it: no error.
    await importCertificate({
      inventory: dir,
      participant: 'tmn-sosh-12',
      file: path.join(CERTIFICATES, 'clerk.pem'),
      role: 'clerk',
    });
    expect(errors(await sig1(dir, 'tmn-sosh-12'))).toEqual([]);
  });

  it('a head signer typed in under another name than the head is an error at the name; the sample passes', async () => {
    const dir = await edited([
      {
        file: 'participants/vinzili-gp.yaml',
        from: '  - name: Белоусов Максим Андреевич',
        to: '  - name: Кузнецов Пётр Ильич',
      },
    ]);
    const found = errors(await sig1(dir, 'vinzili-gp'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      line: await lineOf(dir, 'participants/vinzili-gp.yaml', 'Кузнецов Пётр Ильич'),
      message:
        "the head's certificate is held by Кузнецов Пётр Ильич, not by the head Белоусов Максим Андреевич (head)",
    });
    expect(found[0]!.ru!.message).toContain('владелец сертификата руководителя — Кузнецов Пётр Ильич');
    // Every signer of the sample holds its own certificate.
    const sample = await checks({ kind: 'audit', inventory: SAMPLE_INVENTORY, at: AT });
    expect(sample.result.findings.filter((f) => f.message.includes(' is held by ')).map((f) => f.message)).toEqual([]);
  });

  it("names are compared regardless of case, ё/е, extra spaces and quotes; a deputy's certificate must be the deputy's own", () => {
    const certificate = {
      serial: '01',
      thumbprint: 'a'.repeat(40),
      issuer: 'ФК',
      notBefore: '2026-01-01',
      notAfter: '2027-12-31',
    };
    const p = participant('org-a', {
      head: 'Фёдоров Пётр Семёнович',
      signers: [
        {
          name: 'Фёдоров Пётр Семёнович',
          role: 'head',
          certificate: { ...certificate, holder: 'ФЕДОРОВ  «Петр» Семенович' },
        },
        { name: 'Петрова  П. П.', role: 'clerk', certificate },
      ],
    });
    expect(audited(p)).toEqual([]);
    const deputy = {
      name: 'Орлов Олег Олегович',
      role: 'deputy',
      certificate: { ...certificate, holder: 'Петрова Анна Сергеевна' },
    };
    expect(audited({ ...p, signers: [...(p.signers as object[]), deputy] }).map((f) => [f.path, f.message])).toEqual([
      [
        ['signers', 2, 'certificate', 'holder'],
        'the certificate recorded for Орлов Олег Олегович (deputy) is held by Петрова Анна Сергеевна',
      ],
    ]);
    // A new head written into the file while the signer is still the former one's certificate.
    expect(audited({ ...p, head: 'Иванов Иван Иванович' }).map((f) => [f.path, f.message])).toEqual([
      [
        ['signers', 0, 'certificate', 'holder'],
        "the head's certificate is held by ФЕДОРОВ  «Петр» Семенович, not by the head Иванов Иван Иванович (head)",
      ],
    ]);
  });

  it('the holder is read from SN and G, where a qualified certificate of an official names the organisation in CN; else from CN', async () => {
    const official = certificateWith('head.der', {
      subject: {
        C: 'RU',
        O: 'МАОУ СОШ № 12 г. Тюмени',
        CN: 'МАОУ СОШ № 12 г. Тюмени',
        SN: 'Петрова',
        G: 'Анна Сергеевна',
      },
    });
    expect(parseCertificate('official.cer', official).certificate.holder).toBe('Петрова Анна Сергеевна');
    expect((await readCertificate(path.join(CERTIFICATES, 'head.der'))).certificate.holder).toBe(
      'Петрова Анна Сергеевна',
    );
    // Imported without --name, the signer is the person, not the school; tmn-sosh-12's head holds it.
    const dir = await edited([]);
    const file = path.join(dir, 'official.cer');
    await writeFile(file, official);
    const imported = await importCertificate({ inventory: dir, participant: 'tmn-sosh-12', file, role: 'head' });
    expect(imported.signer.name).toBe('Петрова Анна Сергеевна');
    expect(errors(await sig1(dir, 'tmn-sosh-12'))).toEqual([]);
  });
});

describe("a certification authority's own certificate is never a signer's", () => {
  it('certificate import refuses a CA certificate (basicConstraints cA) naming the file, in both languages, and writes nothing', async () => {
    const dir = await edited([]);
    const target = path.join(dir, 'participants/tmn-sosh-12.yaml');
    const before = await readFile(target, 'utf8');
    const ca = path.join(CERTIFICATES, 'test-ca.pem');
    const args = ['certificate', 'import', ca, '--participant', 'tmn-sosh-12', '--role', 'head', '--inventory', dir];
    const en = await prichal([...args, '--lang', 'en']);
    expect(en.code).toBe(2);
    expect(en.stderr).toContain(
      `${ca}: the certificate of the certification authority Федеральное казначейство itself (basicConstraints cA: TRUE), not a signer's`,
    );
    const ru = await prichal([...args, '--lang', 'ru']);
    expect(ru.code).toBe(2);
    expect(ru.stderr).toContain(
      `${ca}: сертификат самого удостоверяющего центра Федеральное казначейство (basicConstraints cA: TRUE), а не подписанта`,
    );
    expect(await readFile(target, 'utf8')).toBe(before);
    // show prints its facts, under a comment that it is no signer's entry to paste.
    const show = await prichal(['certificate', 'show', ca, '--lang', 'en']);
    expect(show.code).toBe(0);
    expect(show.stdout.split('\n')[0]).toBe(
      "# a certification authority's own certificate (basicConstraints cA: TRUE), not a signer's: certificate import refuses it",
    );
  });

  it('a certificate whose key signs certificates (keyUsage keyCertSign) is refused too, though it says cA: FALSE', async () => {
    const dir = await edited([]);
    const target = path.join(dir, 'participants/tmn-sosh-12.yaml');
    const before = await readFile(target, 'utf8');
    const file = path.join(dir, 'signing-key.der');
    await writeFile(
      file,
      certificateWith('head.der', { ca: false, keyUsage: KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign }),
    );
    const refused = importCertificate({ inventory: dir, participant: 'tmn-sosh-12', file, role: 'head' });
    await expect(refused).rejects.toBeInstanceOf(CertificateFileError);
    await expect(refused).rejects.toThrow(`${file}: the certificate of the certification authority`);
    await expect(refused).rejects.toThrow('(keyUsage keyCertSign)');
    expect(await readFile(target, 'utf8')).toBe(before);
    // The fixture as made, a signer's (cA: FALSE, no keyCertSign), is not refused.
    expect((await readCertificate(path.join(CERTIFICATES, 'head.der'))).authority).toBeUndefined();
  });
});

describe('a reminder of N days is reached with N days left', () => {
  const certificate = { notBefore: '2026-01-01', notAfter: '2026-12-23' }; // its last valid day

  it('certificateState: 30 days left warns at 30, 31 does not; each reminder and the last day inclusive', () => {
    expect(certificateState(certificate, '2026-11-23', 30)).toEqual({ state: 'expiring', days: 30, reminder: 30 });
    expect(certificateState(certificate, '2026-11-22', 30)).toEqual({ state: 'valid', days: 31 });
    expect(certificateState(certificate, '2026-12-09', [30, 14, 7])).toEqual({
      state: 'expiring',
      days: 14,
      reminder: 14,
    });
    expect(certificateState(certificate, '2026-12-23', [30, 14, 7])).toEqual({
      state: 'expiring',
      days: 0,
      reminder: 7,
    });
    expect(certificateState(certificate, '2026-12-24', [30, 14, 7])).toEqual({ state: 'expired' });
    // One rule for every "valid until" date (notAfter, a product's validUntil, a CA's accreditedUntil).
    expect([lastDayPassed('2026-12-23', '2026-12-23'), lastDayPassed('2026-12-23', '2026-12-24')]).toEqual([
      false,
      true,
    ]);
  });

  it('validation warns (certificate-expiry) and audit warns (SIG-1) with exactly 30 days left', async () => {
    const p = participant('org-a');
    (p.signers[0]!.certificate as { notAfter: string }).notAfter = '2026-12-23';
    expect(check({ participants: [p] }, '2026-11-23').map((f) => [f.code, f.message])).toEqual([
      [
        'certificate-expiry',
        'the certificate of Иванов Иван Иванович expires on 2026-12-23, in 30 days (policy warns 30 days ahead)',
      ],
    ]);
    // The sample's vinzili-gp certificates end 2027-06-01; policy [30, 14, 7].
    const found = await sig1(await edited([]), 'vinzili-gp', '2027-05-02');
    expect(found.map((f) => [f.severity, f.message])).toEqual([
      ['warning', 'the certificate of Белоусов Максим Андреевич expires in 30 days (reminder at 30 days)'],
      ['warning', 'the certificate of Рябова Татьяна Николаевна expires in 30 days (reminder at 30 days)'],
    ]);
  });
});
