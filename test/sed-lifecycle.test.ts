// The СЭД connection in its own right (Регламент подключения к СЭД, Требования к АРМ, Организация
// ЮЗЭДО): each case is one of the faults the lifecycle issue listed, on the sample inventory or an
// edited copy, and fails on the code before it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applicableDocuments,
  coverage,
  coverageMarkdown,
  meanOfShares,
  MissingDataError,
  renderDocument,
  type DocumentKind,
} from '../src/docs/index.js';
import { readCertificate } from '../src/inventory/index.js';
import { renderEdgeRuleset } from '../src/render/index.js';
import {
  applicableRequest,
  checkInventory,
  missingFields,
  requestFields,
  type RequestKind,
} from '../src/requirements/index.js';
import { checks } from '../src/workflows/run-checks.js';
import { check, codes, operator, participant } from './helpers/build.js';
import { prichal } from './helpers/cli.js';
import { editedInventories, SAMPLE_INVENTORY } from './helpers/inventory.js';

const AT = '2026-11-23';
const CERTS = path.join(import.meta.dirname, 'fixtures', 'certificates');
const edited = editedInventories();

/** Audit findings (requirement, participant, severity, message) of an inventory folder. */
async function audit(dir: string, at = AT) {
  const { result } = await checks({ kind: 'audit', inventory: dir, at });
  return result.findings;
}
const of = (findings: Awaited<ReturnType<typeof audit>>, participant: string, requirement?: string) =>
  findings.filter((f) => f.participant === participant && (!requirement || f.requirement === requirement));

describe('the СЭД connection is not the bus', () => {
  it('a participant connected to the СЭД without any bus registration counts as connected, one with only a bus registration does not', async () => {
    // onokhino-sp: credentials issued; tmn-sosh-12: its СЭД stages removed but its production registration kept.
    const dir = await edited([
      {
        file: 'participants/onokhino-sp.yaml',
        from: '  training: 2026-12-07',
        to: '  training: 2026-10-12\n  requestSent: 2026-10-13\n  credentialsIssued: 2026-10-15',
      },
      {
        file: 'participants/tmn-sosh-12.yaml',
        from: '  requestSent: 2024-03-18\n  credentialsIssued: 2024-03-20\n',
        to: '',
      },
    ]);
    const checked = await checkInventory(dir, AT);
    const c = coverage(checked.validation.inventory, AT);
    const tyumen = c.districts.find((d) => d.district === 'Тюменский район')!;
    expect(tyumen.omsu).toEqual({ connected: 5, total: 5, percent: 100 });
    const city = c.districts.find((d) => d.district === 'г. Тюмень')!;
    expect(city.institutions).toEqual({ connected: 0, total: 1, percent: 0 });
    const school = checked.validation.inventory.participants.find((p) => p.value.id === 'tmn-sosh-12')!.value;
    expect(school.registrations?.prod).toBeDefined();
    // A school with a production registration can still be a new СЭД subscriber.
    expect(applicableRequest(school, AT)).toBe('request-new');
    expect(applicableDocuments(school, AT)).toContain('request-new');
    const onokhino = checked.validation.inventory.participants.find((p) => p.value.id === 'onokhino-sp')!.value;
    expect(applicableRequest(onokhino, AT)).toBe('request-update');
  });
});

describe('participants without a network channel', () => {
  it('validate, are not planned, rendered or registered, and are still audited on their СЭД side', async () => {
    const checked = await checkInventory(SAMPLE_INVENTORY, AT);
    expect(checked.ok).toBe(true);
    const hosted = ['ishim-sosh-2', 'obl-hospital-23', 'andreevsky-sp', 'vinzili-gp', 'tmn-gorduma', 'gup-farmaciya'];
    for (const contour of ['test', 'prod'] as const) {
      const planned = checked.plan!.contours[contour].registrations.map((r) => r.participant);
      for (const id of hosted) expect(planned).not.toContain(id);
    }
    for (const edge of checked.plan!.edges) {
      const ruleset = renderEdgeRuleset(edge).text;
      for (const id of hosted) expect(ruleset).not.toContain(id);
    }
    const dir = await edited([
      { file: 'participants/ishim-sosh-2.yaml', from: 'cryptoPro: 5.0.13000', to: 'cryptoPro: 4.0.9000' },
      {
        file: 'participants/ishim-sosh-2.yaml',
        from: '  - name: Лапина Наталья Юрьевна\n    role: clerk',
        to: '  - name: Лапина Наталья Юрьевна\n    role: deputy',
      },
    ]);
    const findings = of(await audit(dir), 'ishim-sosh-2');
    expect(findings.map((f) => f.requirement).sort()).toEqual(['SIG-1', 'WS-1']);
    expect(findings.every((f) => !f.requirement.startsWith('CH') && !f.requirement.startsWith('BUS'))).toBe(true);
  });

  it('a channel without networks (or networks without a channel) is refused at the field, saying what goes together', () => {
    const p = participant('org-a') as Record<string, unknown>;
    delete p.networks;
    delete p.endpoints;
    delete p.registrations;
    const findings = check({ participants: [p] });
    expect(codes(findings)).toEqual(['schema']);
    expect(findings[0]!.path).toBe('channel');
    expect(findings[0]!.message).toContain('channel and networks together');
    const hosted = participant('org-b') as Record<string, unknown>;
    for (const k of ['channel', 'networks', 'endpoints', 'registrations']) delete hosted[k];
    expect(check({ participants: [hosted] })).toEqual([]);
  });
});

describe('the connector path (Регламент подключения к СЭД, п. 2)', () => {
  it('writes the п. 2.4 request with the switch date, and asks no training date', async () => {
    const checked = await checkInventory(SAMPLE_INVENTORY, AT);
    const gorduma = checked.validation.inventory.participants.find((p) => p.value.id === 'tmn-gorduma')!.value;
    expect(gorduma.sed.training).toBeUndefined();
    expect(applicableDocuments(gorduma, AT)).toEqual(['request-connector']);
    const doc = renderDocument('request-connector', 'tmn-gorduma', {
      inventory: checked.validation.inventory,
      plan: checked.plan!,
      at: AT,
    });
    expect(doc.markdown).toContain('01.12.2026');
    expect(doc.markdown).toContain('ТЕЗИС 5');
    expect(doc.markdown).toContain('Составлено по сведениям реестра');
    expect(of(await audit(SAMPLE_INVENTORY), 'tmn-gorduma', 'ORG-2')).toEqual([]);
  });

  it('audit and docs agree on every participant: ORG-2 names exactly the fields the applicable request refuses for', async () => {
    // The sample, and a copy where three participants lose a field their form needs: the connector
    // request's switch date, a new subscriber's training date, an update's clerk phone.
    const kaskara = await readFile(path.join(SAMPLE_INVENTORY, 'participants/kaskara-sp.yaml'), 'utf8');
    const dir = await edited([
      { file: 'participants/tmn-gorduma.yaml', from: '  switchDate: 2026-12-01\n', to: '' },
      { file: 'participants/onokhino-sp.yaml', from: '  training: 2026-12-07\n', to: '' },
      {
        file: 'participants/kaskara-sp.yaml',
        from: /clerk: \{ name: [^,]*, phone: "[^"]*",/.exec(kaskara)![0],
        to: 'clerk: { name: Клерк Каскары,',
      },
    ]);
    let disagreements = 0;
    let refused = 0;
    for (const root of [SAMPLE_INVENTORY, dir]) {
      const checked = await checkInventory(root, AT);
      const findings = await audit(root);
      for (const { value: p } of checked.validation.inventory.participants) {
        const kind: RequestKind = applicableRequest(p, AT);
        let docMissing: string[] = [];
        try {
          renderDocument(kind as DocumentKind, p.id, {
            inventory: checked.validation.inventory,
            plan: checked.plan!,
            at: AT,
          });
        } catch (error) {
          expect(error).toBeInstanceOf(MissingDataError);
          docMissing = (error as MissingDataError).fields;
        }
        const org2 = of(findings, p.id, 'ORG-2');
        const auditMissing = org2.length ? org2[0]!.message.split(': ').slice(1).join(': ').split(', ') : [];
        expect(auditMissing, p.id).toEqual(docMissing);
        expect(docMissing, p.id).toEqual(missingFields(requestFields(kind, p)).map((f) => f.en));
        if (auditMissing.join() !== docMissing.join()) disagreements++;
        if (docMissing.length) refused++;
      }
    }
    expect(disagreements).toBe(0);
    // The broken copy really broke three requests (the sample itself is complete).
    expect(refused).toBe(3);
  });
});

describe('organisation kinds of the participant list', () => {
  it('state unitary enterprises and regional non-profits coordinated by an executive body sign no agreement', async () => {
    const dir = await edited([
      { file: 'participants/gup-farmaciya.yaml', from: 'kind: state-unitary-enterprise', to: 'kind: state-nonprofit' },
    ]);
    for (const root of [SAMPLE_INVENTORY, dir]) {
      const checked = await checkInventory(root, AT);
      expect(
        checked.findings.filter((f) => f.code === 'agreement-missing' && f.file.includes('gup-farmaciya')),
      ).toEqual([]);
      expect(of(await audit(root), 'gup-farmaciya', 'ORG-1')).toEqual([]);
    }
  });

  it("validates the coordinator's kind: a settlement is coordinated by its municipal district, not by a school", async () => {
    const dir = await edited([
      {
        file: 'participants/andreevsky-sp.yaml',
        from: 'coordinatedBy: tmn-district-admin',
        to: 'coordinatedBy: tmn-sosh-12',
      },
    ]);
    const checked = await checkInventory(dir, AT);
    const finding = checked.findings.find((f) => f.code === 'coordinator-kind')!;
    expect(finding).toMatchObject({
      file: 'participants/andreevsky-sp.yaml',
      path: 'coordinatedBy',
      severity: 'error',
    });
    expect(finding.message).toContain('municipal-district');
    const school = await edited([
      { file: 'participants/tmn-sosh-12.yaml', from: 'coordinatedBy: tmn-city-admin', to: 'coordinatedBy: dep-obr' },
    ]);
    expect((await checkInventory(school, AT)).findings.map((f) => f.code)).toContain('coordinator-kind');
  });

  it("an urban settlement is listed as г.п. under its district and does not take over the district's row", async () => {
    const checked = await checkInventory(SAMPLE_INVENTORY, AT);
    const c = coverage(checked.validation.inventory, AT);
    const district = c.settlements.find((d) => d.district === 'Тюменский район')!;
    expect(district.settlements[0]).toMatchObject({ id: 'vinzili-gp', type: 'г.п.' });
    // The district's row is its administration's (tmn-district-admin), connected to ГИС «ТОР СЭД» since 2025.
    const withoutDistrictTorSed = await edited([
      { file: 'participants/tmn-district-admin.yaml', from: '  torSed: 2025-02-20\n', to: '' },
    ]);
    const c2 = coverage((await checkInventory(withoutDistrictTorSed, AT)).validation.inventory, AT);
    expect(c2.settlements[0]!.torSed).toBe(false);
  });
});

describe('signers (п. 1.2, 2.3)', () => {
  it('signers: [] is a SIG-1 error naming the head and the clerk', async () => {
    const text = await readFile(path.join(SAMPLE_INVENTORY, 'participants/vinzili-gp.yaml'), 'utf8');
    const dir = await edited(
      [{ file: 'participants/vinzili-gp.yaml', to: text.replace(/signers:\n[\s\S]*$/, 'signers: []\n') }].map((e) => ({
        ...e,
      })),
    );
    const sig = of(await audit(dir), 'vinzili-gp', 'SIG-1');
    expect(sig).toHaveLength(1);
    expect(sig[0]).toMatchObject({ severity: 'error' });
    expect(sig[0]!.message).toContain('head and the clerk');
  });

  it('a certificate from a CA the operator does not accredit, or from an unknown key of an accredited one, is an error; reminders warn from the largest', async () => {
    const rogue = (await readCertificate(path.join(CERTS, 'rogue.der'))).certificate;
    const dir = await edited([
      {
        file: 'participants/gup-farmaciya.yaml',
        from: 'issuer: Федеральное казначейство, authorityKeyId: "8468C46C2CE336D2E6F20A82B01A5677008AD099"',
        to: `issuer: ${rogue.issuer}, authorityKeyId: "${rogue.authorityKeyId}"`,
      },
      {
        file: 'participants/obl-hospital-23.yaml',
        from: 'authorityKeyId: "8468C46C2CE336D2E6F20A82B01A5677008AD099"',
        to: `authorityKeyId: "${rogue.authorityKeyId}"`,
      },
    ]);
    const findings = await audit(dir, AT);
    expect(of(findings, 'gup-farmaciya', 'SIG-1').map((f) => f.message)).toEqual([
      expect.stringContaining('not an accredited CA'),
    ]);
    expect(of(findings, 'obl-hospital-23', 'SIG-1').map((f) => f.message)).toEqual([
      expect.stringContaining('is not one of that CA'),
    ]);
    // The sample's certificates end 2027-06-01 and more: 10 days before → the 14-day reminder (policy [30, 14, 7]).
    const late = await audit(SAMPLE_INVENTORY, '2027-05-22');
    const reminder = of(late, 'vinzili-gp', 'SIG-1');
    expect(reminder.map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect(reminder[0]!.message).toContain('expires in 10 days (reminder at 14 days)');
  });

  it('reads serial, thumbprint, issuer, key identifier, validity and holder from GOST certificate files, DER and PEM alike', async () => {
    const der = await readFile(path.join(CERTS, 'head.der'));
    const fromDer = await readCertificate(path.join(CERTS, 'head.der'));
    const fromPem = await readCertificate(path.join(CERTS, 'head.pem'));
    expect(fromPem).toEqual(fromDer);
    expect(fromDer.certificate.thumbprint).toBe(createHash('sha1').update(der).digest('hex'));
    expect(fromDer.certificate).toMatchObject({
      issuer: 'Федеральное казначейство',
      authorityKeyId: '8468C46C2CE336D2E6F20A82B01A5677008AD099',
      notBefore: '2026-02-01',
      notAfter: '2027-05-01',
    });
    expect(fromDer.certificate.holder).toBe('Петрова Анна Сергеевна');
    // The serial as OpenSSL prints it (the fixture script made it with OpenSSL's GOST engine).
    expect(fromDer.certificate.serial).toMatch(/^[0-9A-F]{20}$/);
  });

  it('prichal certificate import writes the certificate into the file, keeping its comments, and the result validates', async () => {
    const dir = await edited([]);
    const run = await prichal([
      'certificate',
      'import',
      path.join(CERTS, 'clerk.pem'),
      '--participant',
      'ishim-sosh-2',
      '--role',
      'clerk',
      '--name',
      'Лапина Наталья Юрьевна',
      '--inventory',
      dir,
      '--format',
      'json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const text = await readFile(path.join(dir, 'participants/ishim-sosh-2.yaml'), 'utf8');
    expect(text).toContain('# A school on the hosted СЭД');
    // In the quoting the file had for the certificate it replaced.
    expect(text).toContain('serial: "3DBF61EC0C809799AE34"');
    expect(text.match(/role: clerk/g)).toHaveLength(1);
    expect((await checkInventory(dir, AT)).ok).toBe(true);
    const garbage = await prichal(['certificate', 'show', path.join(SAMPLE_INVENTORY, 'operator.yaml')]);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toContain('не сертификат ни в PEM');
  });
});

describe('workstations (Требования к АРМ пользователя СЭД)', () => {
  it('the GOST-TLS browser and the root certificates are required, the CRL is a warning', async () => {
    const dir = await edited([
      {
        file: 'participants/andreevsky-sp.yaml',
        from: 'browser: chromium-gost, rootCertificates: true, crl: true',
        to: 'browser: firefox',
      },
    ]);
    const ws = of(await audit(dir), 'andreevsky-sp', 'WS-1');
    const bySeverity = (severity: string) =>
      ws
        .filter((f) => f.severity === severity)
        .map((f) => f.message)
        .sort();
    expect(bySeverity('error')).toEqual([
      expect.stringContaining('browser firefox is not one with GOST TLS'),
      expect.stringContaining('root certificates'),
    ]);
    expect(bySeverity('warning')).toEqual([expect.stringContaining('revocation list')]);
  });

  it('an executive body works in Directum RX, not «Бюрократ»', async () => {
    const dir = await edited([
      { file: 'participants/dep-obr.yaml', from: 'system: Directum RX', to: 'system: Бюрократ' },
    ]);
    const sed = of(await audit(dir), 'dep-obr', 'SED-1');
    expect(sed).toHaveLength(1);
    expect(sed[0]!.message).toContain("works in 'Directum RX'");
    expect(of(await audit(SAMPLE_INVENTORY), 'dep-obr', 'SED-1')).toEqual([]);
  });
});

describe('coverage in the shape of Организация ЮЗЭДО', () => {
  it("reproduces the document's means from its shares (Пермский край: 100,00 and 97,21 → 98,61)", () => {
    const rows: Array<[number, number, number]> = [
      [100, 97.21, 98.61],
      [91.67, 100, 95.84],
      [99.04, 87.12, 93.08],
      [83.87, 97.27, 90.57],
      [100, 71.09, 85.55],
      [49.63, 23.02, 36.33],
    ];
    for (const [omsu, institutions, mean] of rows)
      expect(meanOfShares(omsu, institutions), `${omsu} / ${institutions}`).toBe(mean);
  });

  it('prints the ЭДО table per district, the targets with the gap, and the settlements table headed «ГИС ТОР СЭД»', async () => {
    const dir = await edited([
      {
        file: 'operator.yaml',
        from: 'certificateAuthorities:',
        to: 'edoTargets: { 2026: 95, 2030: 100 }\ncertificateAuthorities:',
      },
    ]);
    const checked = await checkInventory(dir, AT);
    const markdown = coverageMarkdown(coverage(checked.validation.inventory, AT));
    expect(markdown).toContain('| Ишимский район | 100,00% |');
    expect(markdown).toContain('цель 95%, среднее по региону 87,50%; отставание 7,50%');
    expect(markdown).toContain('ПОДКЛЮЧЕНИЕ К ГИС ТОР СЭД');
    expect(markdown).not.toMatch(/Подключение к СЭД\b/);
    expect(markdown).toContain('в доли ОМСУ не входят');
  });
});

describe('contract version 2', () => {
  it('version-2 participant fields in a version-1 inventory say what to write; a v1 production participant is told how the СЭД connection is read now', () => {
    const v1 = { ...operator(), version: 1 };
    const p = participant('org-a');
    const staged = check({ operator: v1, participants: [p] });
    expect(staged.filter((f) => f.code === 'schema-version' && f.severity === 'error').map((f) => f.path)).toEqual([
      'sed.requestSent',
      'sed.credentialsIssued',
    ]);
    const plain = participant('org-b', {
      sed: { mode: 'operator', journals: [{ name: 'Входящие', numberFormat: 'ВХ-{n:5}' }] },
    });
    const warned = check({ operator: v1, participants: [plain] });
    expect(codes(warned)).toEqual([]);
    expect(warned.map((f) => [f.code, f.severity, f.path])).toEqual([['schema-version', 'warning', 'sed']]);
    expect(warned[0]!.message).toContain('write sed.credentialsIssued');
  });
});
