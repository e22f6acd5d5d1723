// The registration lifecycle of Регламент ПУ ТО (п. 3.1.3–4.6): approval before provisioning,
// dates that agree, the 10-working-day reply deadline on the operator's production calendar.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applicableDocuments,
  DocumentRefusedError,
  MissingDataError,
  incidentNote,
  renderDocument,
  type DocumentKind,
} from '../src/docs/index.js';
import { prichal } from './helpers/cli.js';
import { addWorkingDays, checkInventory, reactionDeadline, replyDeadline } from '../src/requirements/index.js';
import { checks } from '../src/workflows/run-checks.js';
import { check, codes, participant } from './helpers/build.js';
import { editedInventories, SAMPLE_INVENTORY } from './helpers/inventory.js';

const AT = '2026-11-23';
const edited = editedInventories();

describe('approval before provisioning', () => {
  it('a requested registration gets no flows, gateway or bus user, and the plan says why; approved, it does', async () => {
    const checked = await checkInventory(SAMPLE_INVENTORY, AT);
    const test = checked.plan!.contours.test;
    expect(test.registrations.map((r) => r.participant)).not.toContain('onokhino-sp');
    expect(test.pending).toEqual([
      {
        participant: 'onokhino-sp',
        mnemonic: 'TMR_ONOKHINO',
        status: 'requested',
        reason: expect.stringContaining('not approved'),
        reasonRu: expect.stringContaining('не согласована'),
      },
    ]);
    const flows = checked.plan!.edges.flatMap((e) => [...e.ingress, ...e.egress]);
    expect(flows.some((f) => f.participant === 'onokhino-sp')).toBe(false);

    const dir = await edited([
      {
        file: 'participants/onokhino-sp.yaml',
        from: '    status: requested\n',
        to: '    status: approved\n    approved: 2026-11-20\n',
      },
    ]);
    const approved = await checkInventory(dir, AT);
    expect(approved.ok).toBe(true);
    expect(approved.plan!.contours.test.registrations.map((r) => r.participant)).toContain('onokhino-sp');
    expect(approved.plan!.contours.test.pending).toEqual([]);
    // The documents that apply follow: no test protocol for a registration that was never provisioned.
    const onokhino = checked.validation.inventory.participants.find((p) => p.value.id === 'onokhino-sp')!.value;
    expect(applicableDocuments(onokhino, AT)).toEqual(['request-new']);
    const approvedOnokhino = approved.validation.inventory.participants.find(
      (p) => p.value.id === 'onokhino-sp',
    )!.value;
    expect(applicableDocuments(approvedOnokhino, AT)).toEqual(['request-new', 'protocol']);
  });
});

describe('dates that contradict each other', () => {
  it('a production switch before the test, a stage dated beyond the status, or stages out of order are errors at the field', () => {
    const switched = participant('org-a');
    (switched.registrations.prod as Record<string, unknown>).switchDate = '2026-01-05';
    const findings = check({ participants: [switched] });
    expect(codes(findings)).toEqual(['registration-dates']);
    expect(findings[0]).toMatchObject({ path: 'registrations.prod.switchDate' });
    expect(findings[0]!.message).toContain('before the test of 2026-01-10');

    const beyond = participant('org-b');
    Object.assign(beyond.registrations.test, { status: 'approved', approved: '2026-01-02' });
    delete (beyond.registrations as Record<string, unknown>).prod;
    expect(check({ participants: [beyond] }).map((f) => [f.code, f.path])).toEqual([
      ['registration-dates', 'registrations.test.tested'],
    ]);

    const reversed = participant('org-c');
    Object.assign(reversed.registrations.test, { requested: '2026-01-09', approved: '2026-01-03' });
    expect(check({ participants: [reversed] }).map((f) => [f.code, f.path])).toEqual([
      ['registration-dates', 'registrations.test.approved'],
    ]);
  });
});

describe('the reply deadline (п. 3.3) on the production calendar', () => {
  it('counts 10 working days, skipping weekends and holidays and counting transferred working days', () => {
    // Friday 2026-10-30; Wednesday 2026-11-04 is a holiday.
    expect(addWorkingDays('2026-10-30', 10, undefined)).toBe('2026-11-13');
    expect(replyDeadline('2026-10-30', { holidays: ['2026-11-04'] })).toBe('2026-11-16');
    expect(replyDeadline('2026-10-30', { holidays: ['2026-11-04'], workdays: ['2026-11-07'] })).toBe('2026-11-13');
  });

  it('an unanswered request past its deadline is an audit warning (REG-1), not before', async () => {
    // onokhino-sp's request of 2026-11-16 (Monday): deadline 2026-11-30.
    const before = await checks({ kind: 'audit', inventory: SAMPLE_INVENTORY, at: '2026-11-30' });
    expect(before.result.findings.filter((f) => f.requirement === 'REG-1')).toEqual([]);
    const after = await checks({ kind: 'audit', inventory: SAMPLE_INVENTORY, at: '2026-12-01' });
    const reg = after.result.findings.filter((f) => f.requirement === 'REG-1');
    expect(reg.map((f) => [f.participant, f.severity])).toEqual([['onokhino-sp', 'warning']]);
    expect(reg[0]!.message).toContain('deadline 2026-11-30');
  });
});

describe('documents never state what the audit contradicts', () => {
  const render = async (dir: string, kind: DocumentKind, id: string) => {
    const checked = await checkInventory(dir, AT);
    return renderDocument(kind, id, { inventory: checked.validation.inventory, plan: checked.plan!, at: AT });
  };

  it('the connection act is refused, naming the findings, over an internet channel or with an expired СКЗИ certificate', async () => {
    const internet = await edited([
      { file: 'participants/tmn-sosh-12.yaml', from: 'type: vipnet', to: 'type: internet' },
    ]);
    expect((await checkInventory(internet, AT)).ok).toBe(true);
    const refused = await render(internet, 'act', 'tmn-sosh-12').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DocumentRefusedError);
    expect((refused as Error).message).toContain('CH-1');
    const expired = await edited([
      { file: 'operator.yaml', from: 'validUntil: 2027-12-31', to: 'validUntil: 2026-01-31' },
    ]);
    const refused2 = await render(expired, 'act', 'tmn-sosh-12').catch((e: unknown) => e);
    expect((refused2 as DocumentRefusedError).findings.map((f) => f.requirement)).toEqual(['CH-2']);
    // Through the CLI: exit 1, and the refusal names the finding.
    const cli = await prichal([
      'docs',
      '--participant',
      'tmn-sosh-12',
      '--kind',
      'act',
      '--inventory',
      internet,
      '--out',
      path.join(internet, 'out'),
    ]);
    expect(cli.code).toBe(1);
    expect(cli.stdout + cli.stderr).toContain('не формируется, пока аудит находит ошибки');
    // The sample's act is written.
    expect((await render(SAMPLE_INVENTORY, 'act', 'tmn-sosh-12')).markdown).toContain('АКТ о подключении');
  });

  it('only the support request says "по форме"; the forms the regulation does not print say they are compiled from the register', async () => {
    for (const kind of ['act', 'protocol', 'leased-line'] as const) {
      const id = kind === 'leased-line' ? 'tmn-city-admin' : 'tmn-sosh-12';
      const checked = await checkInventory(SAMPLE_INVENTORY, AT);
      const probe = JSON.parse(
        await readFile(path.join(import.meta.dirname, 'fixtures', `probe-test-${id}.json`), 'utf8'),
      );
      const doc = renderDocument(kind, id, {
        inventory: checked.validation.inventory,
        plan: checked.plan!,
        at: AT,
        probes: { test: probe },
      });
      expect(doc.markdown.split('\n')[0]).toMatch(
        /^\*Составлено по сведениям реестра \(Регламент ПУ ТО, Приложение (3|9|10): форма в тексте регламента не приведена\)\*$/,
      );
      expect(doc.markdown).not.toMatch(/^\*\*Приложение/m);
    }
    expect((await render(SAMPLE_INVENTORY, 'request-update', 'tmn-sosh-12')).markdown.split('\n')[0]).toContain(
      'По форме заявки',
    );
  });
});

describe('the leased-line application while the line is being ordered', () => {
  it('is written without a circuit id or application number, which are warnings until a registration is approved and errors after', async () => {
    // A new participant on a leased line, its request just sent: provider known, no circuit, no application yet.
    const base = await readFile(path.join(SAMPLE_INVENTORY, 'participants/tmn-city-admin.yaml'), 'utf8');
    const ordering = base
      .replace(/circuit: [^,]+, /, '')
      .replace(/, application: "[^"]*"/, '')
      .replace(/status: tested[^\n]*/, 'status: requested\n    requested: 2026-11-20')
      .replace(/\n    tested: [^\n]*/, '')
      .replace(/\n  prod:[\s\S]*?(?=\n[a-z]|$)/, '');
    const dir = await edited([{ file: 'participants/tmn-city-admin.yaml', to: ordering }]);
    const checked = await checkInventory(dir, AT);
    const ll = checked.findings.filter((f) => f.code === 'leased-line-incomplete');
    expect(ll.map((f) => f.severity)).toEqual(['warning']);
    expect(checked.ok).toBe(true);
    const doc = renderDocument('leased-line', 'tmn-city-admin', {
      inventory: checked.validation.inventory,
      plan: checked.plan!,
      at: AT,
    });
    expect(doc.markdown).toContain('будет назначен оператором связи');
    const approved = await edited([
      {
        file: 'participants/tmn-city-admin.yaml',
        to: ordering.replace('status: requested', 'status: approved\n    approved: 2026-11-23'),
      },
    ]);
    const after = await checkInventory(approved, AT);
    expect(after.findings.filter((f) => f.code === 'leased-line-incomplete').map((f) => f.severity)).toEqual(['error']);
  });
});

describe('CH-1 as an operator policy (Регламент ПУ ТО, п. 9.1, 3.1.6.1)', () => {
  it('a ViPNet Client where the policy names the Coordinator is refused with the reason; the sample is compliant', async () => {
    const client = await edited([
      {
        file: 'participants/onokhino-sp.yaml',
        from: 'product: vipnet-coordinator-hw-4',
        to: 'product: vipnet-client-4',
      },
    ]);
    const ch1 = (await checks({ kind: 'audit', inventory: client, at: AT })).result.findings.filter(
      (f) => f.requirement === 'CH-1',
    );
    expect(ch1.map((f) => f.participant)).toEqual(['onokhino-sp']);
    expect(ch1[0]!.message).toContain('ПАК ViPNet Coordinator');
    expect(ch1[0]!.message).toContain('policy.channels.vipnetProducts');
    // Without the policy, the default reading accepts every certified product of cryptoProducts.
    const lenient = await edited([
      {
        file: 'participants/onokhino-sp.yaml',
        from: 'product: vipnet-coordinator-hw-4',
        to: 'product: vipnet-client-4',
      },
      {
        file: 'operator.yaml',
        from: '  channels: { vipnetProducts: [vipnet-coordinator-hw-4], leasedLine: true, internet: false }\n',
        to: '',
      },
    ]);
    expect(
      (await checks({ kind: 'audit', inventory: lenient, at: AT })).result.findings.filter(
        (f) => f.requirement === 'CH-1',
      ),
    ).toEqual([]);
    const sample = (await checks({ kind: 'audit', inventory: SAMPLE_INVENTORY, at: AT })).result;
    expect(sample.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('services and their test (п. 4.6–4.7, 5–7)', () => {
  it('production needs every step of every service passed in the test contour, not only the tested flag', async () => {
    const failed = await edited([
      {
        file: 'participants/tmn-sosh-12.yaml',
        from: '- { step: rating, date: 2024-03-20, result: passed',
        to: '- { step: rating, date: 2024-03-20, result: failed',
      },
    ]);
    const checked = await checkInventory(failed, AT);
    const order = checked.findings.filter((f) => f.code === 'contour-order');
    expect(order).toHaveLength(1);
    expect(order[0]!.message).toContain('rating failed');
    const bus2 = (await checks({ kind: 'audit', inventory: failed, at: AT })).result.findings.filter(
      (f) => f.requirement === 'BUS-2',
    );
    expect(bus2.map((f) => f.participant)).toEqual(['tmn-sosh-12']);
    // A later passing run of the step counts.
    const retested = await edited([
      {
        file: 'participants/tmn-sosh-12.yaml',
        from: '- { step: rating, date: 2024-03-20, result: passed',
        to: '- { step: rating, date: 2024-03-19, result: failed, tester: x }\n      - { step: rating, date: 2024-03-20, result: passed',
      },
    ]);
    expect((await checkInventory(retested, AT)).ok).toBe(true);
    // No services: the flag needs the date of the test.
    const flagOnly = participant('org-a');
    expect(codes(check({ participants: [flagOnly] }))).toEqual([]);
    delete (flagOnly.registrations.test as { tested?: string }).tested;
    const flagged = check({ participants: [flagOnly] });
    expect(codes(flagged)).toEqual(['contour-order']);
    expect(flagged[0]!.message).toContain('registrations.test.tested');
  });

  it('the Appendix 9 protocol shows the service test steps, with the network probe as its annex in local time', async () => {
    const checked = await checkInventory(SAMPLE_INVENTORY, AT);
    const probe = JSON.parse(
      await readFile(path.join(import.meta.dirname, 'fixtures', 'probe-test-tmn-sosh-12.json'), 'utf8'),
    );
    const doc = renderDocument('protocol', 'tmn-sosh-12', {
      inventory: checked.validation.inventory,
      plan: checked.plan!,
      at: AT,
      probes: { test: probe },
    });
    for (const step of ['подача заявления через форму', 'обновление статусов', 'запись на приём', 'оценка качества'])
      expect(doc.markdown).toContain(step);
    expect(doc.markdown).toContain('20.03.2024');
    expect(doc.markdown).toMatch(
      /Техническое приложение: проверка сетевого доступа\*\* \(\d\d\.\d\d\.\d{4} \d\d:\d\d — /,
    );
    expect(doc.markdown).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });
});

describe('the document register', () => {
  it('numbers each document once per participant, kind and content: a re-run reuses the number, a changed document gets a new one', async () => {
    const dir = await edited([]);
    const out = path.join(dir, 'out');
    const docsRun = (inventory = dir) =>
      prichal(['docs', '--all', '--inventory', inventory, '--out', out, '--format', 'json']);
    await docsRun();
    const first = await readFile(path.join(dir, 'documents.yaml'), 'utf8');
    const numberOf = async (file: string) => (await readFile(path.join(out, file), 'utf8')).split('\n')[0];
    const act = await numberOf('tmn-sosh-12.act.md');
    expect(act).toMatch(/^\*\*№ \d{4}\/\d{4} от \d\d\.\d\d\.\d{4}\*\*$/);
    await docsRun();
    expect(await readFile(path.join(dir, 'documents.yaml'), 'utf8')).toBe(first);
    expect(await numberOf('tmn-sosh-12.act.md')).toBe(act);
    // The head changes: the act and the request are new documents, the others keep their numbers.
    // The head's certificate changes with her name (one held by someone else is an audit error, refusing the act).
    const text = await readFile(path.join(dir, 'participants/tmn-sosh-12.yaml'), 'utf8');
    await writeFile(
      path.join(dir, 'participants/tmn-sosh-12.yaml'),
      text
        .replace('head: Петрова Анна Сергеевна', 'head: Петрова Анна Сергеевна-Иванова')
        .replace('- name: Петрова Анна Сергеевна', '- name: Петрова Анна Сергеевна-Иванова'),
    );
    await docsRun();
    expect(await numberOf('tmn-sosh-12.act.md')).not.toBe(act);
    const entries = (await readFile(path.join(dir, 'documents.yaml'), 'utf8'))
      .split('\n')
      .filter((l) => l.startsWith('  - '));
    expect(entries.length - first.split('\n').filter((l) => l.startsWith('  - ')).length).toBe(2);
  });

  it('a malformed register is refused, naming the file, and nothing is written', async () => {
    const dir = await edited([{ file: 'documents.yaml', to: 'documents: { not: a list }\n' }]);
    const r = await prichal(['docs', '--all', '--inventory', dir, '--out', path.join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('documents.yaml');
    expect(await readFile(path.join(dir, 'documents.yaml'), 'utf8')).toBe('documents: { not: a list }\n');
  });
});

describe('the incident note (п. 8.2–8.6)', () => {
  it('counts the reaction time in the desk hours of п. 8.6 on the production calendar', () => {
    // Friday 18:30, 4 working hours: 1.5 h on Friday (to 20:00), 2.5 h on Saturday from 09:00.
    expect(reactionDeadline('2026-11-20T18:30', 4, undefined)).toBe('2026-11-21T11:30');
    // Saturday 16:00, 8 hours: 1 h on Saturday, none on Sunday, 7 h on Monday from 08:00.
    expect(reactionDeadline('2026-11-21T16:00', 8, undefined)).toBe('2026-11-23T15:00');
    // Before opening, on a holiday eve: Tuesday 2026-11-03 07:00, 8 hours → 16:00; with Wednesday a holiday, a 16-hour clock skips it.
    expect(reactionDeadline('2026-11-03T07:00', 8, undefined)).toBe('2026-11-03T16:00');
    expect(reactionDeadline('2026-11-03T19:00', 4, { holidays: ['2026-11-04'] })).toBe('2026-11-05T11:00');
  });

  it('writes the note with the priority, the reaction time, the technical specialist, and says that «Средний» and «Обыкновенный» are one level', async () => {
    const checked = await checkInventory(SAMPLE_INVENTORY, AT);
    const note = incidentNote(checked.validation.inventory, {
      participant: 'tmn-sosh-12',
      service: '7200000000161234567',
      scope: 'partial',
      description: 'статусы не обновляются',
      registered: '2026-11-20T18:30',
    });
    expect(note.priority).toContain('Средний');
    expect(note.reactionBy).toBe('2026-11-21T15:30');
    expect(note.markdown).toContain('Иванов Павел Петрович, технический специалист');
    expect(note.markdown).toContain('21.11.2026 15:30');
    expect(note.markdown).toMatch(/«Средний», п\. 8\.4 — «Обыкновенный»; это один уровень/);
    expect(note.markdown).toContain('(екатеринбургское время, UTC+5)');
    expect(note.markdown).not.toContain('Asia/');
    expect(note.markdown).not.toContain('календарь не охватывает');
    // Past the calendar's years (the sample lists 2026–2027): the deadline says it knows no holidays there.
    const late = incidentNote(checked.validation.inventory, {
      participant: 'tmn-sosh-12',
      scope: 'partial',
      description: 'ошибка в заявлении от 2028-03-01',
      registered: '2028-03-06T10:00',
    });
    expect(late.markdown).toContain('календарь не охватывает 2028 г.');
    expect(late.markdown).toContain('ошибка в заявлении от 01.03.2028');
    // A copy: the note is numbered from its inventory's register.
    const cli = await prichal([
      'incident',
      '--inventory',
      await edited([]),
      '--participant',
      'tmn-sosh-12',
      '--scope',
      'full',
      '--description',
      'форма недоступна',
      '--at',
      '2026-11-20T18:30',
      '--format',
      'json',
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ participant: 'tmn-sosh-12', reactionBy: '2026-11-21T11:30' });
  });
});

describe('the act and the protocol say only what happened, in the documents’ own words', () => {
  const context = async (dir: string, at = AT) => {
    const checked = await checkInventory(dir, at);
    return { inventory: checked.validation.inventory, plan: checked.plan!, at };
  };
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e as MissingDataError;
    }
    throw new Error('expected the document to be refused');
  };

  it('under a policy that admits the open internet, the act never calls the channel protected (п. 9.1)', async () => {
    const dir = await edited([
      { file: 'participants/tmn-sosh-12.yaml', from: 'type: vipnet', to: 'type: internet' },
      { file: 'operator.yaml', from: 'internet: false }', to: 'internet: true }' },
    ]);
    const c = await context(dir);
    const act = renderDocument('act', 'tmn-sosh-12', c).markdown;
    expect(act).not.toContain('защищён');
    expect(act).toContain('сеть Интернет без средства криптографической защиты информации');
    expect(act).toContain('не соответствует');
  });

  it('no act for a production registration only approved, nor before its switch date; the main job does not attempt one', async () => {
    const approved = await edited([
      { file: 'participants/tmn-sosh-12.yaml', from: '    status: registered\n', to: '    status: approved\n' },
    ]);
    const c = await context(approved);
    const early = refusal(() => renderDocument('act', 'tmn-sosh-12', c));
    expect(early.fields).toEqual(['registrations.prod.status']);
    expect(early.ru).toContain("в статусе 'approved'");
    const p = c.inventory.participants.find((x) => x.value.id === 'tmn-sosh-12')!.value;
    expect(applicableDocuments(p, AT)).not.toContain('act');

    const future = await edited([
      { file: 'participants/tmn-sosh-12.yaml', from: 'switchDate: 2024-04-01', to: 'switchDate: 2026-12-01' },
    ]);
    const f = await context(future);
    const scheduled = refusal(() => renderDocument('act', 'tmn-sosh-12', f));
    expect(scheduled.fields).toEqual(['registrations.prod.switchDate']);
    expect(scheduled.ru).toContain('01.12.2026');
    // On the switch date itself the act is written.
    expect(renderDocument('act', 'tmn-sosh-12', await context(future, '2026-12-01')).markdown).toContain('01.12.2026');
  });

  it('writes «промышленный», the Russian purpose, the time zone by its Russian name, and dates inside references as dates', async () => {
    const c = await context(SAMPLE_INVENTORY);
    const probe = JSON.parse(
      await readFile(path.join(import.meta.dirname, 'fixtures', 'probe-test-tmn-city-admin.json'), 'utf8'),
    );
    const act = renderDocument('act', 'tmn-city-admin', c).markdown;
    const protocol = renderDocument('protocol', 'tmn-city-admin', { ...c, probes: { test: probe } }).markdown;
    for (const doc of [act, protocol]) {
      expect(doc).not.toMatch(/продуктивн/i);
      expect(doc).not.toMatch(/portal-intake|sed-connector/);
      expect(doc).not.toMatch(/\b\d{4}-\d\d-\d\d\b/);
    }
    expect(act).toContain('| Шлюз в промышленном контуре |');
    expect(act).toContain('приём заявлений с Портала услуг');
    expect(act).toContain('коннектор СЭД');
    expect(act).toContain('Прил. 10 № 45 от 10.10.2023');
    expect(protocol).toContain('екатеринбургское время, UTC+5');
    expect(protocol).not.toContain('Asia/');
  });

  it('an endpoint whose purpose the documents cannot name in Russian needs its title', async () => {
    const untitled = await edited([
      { file: 'participants/tmn-city-admin.yaml', from: 'purpose: portal-intake', to: 'purpose: child-benefits' },
    ]);
    const c = await context(untitled);
    const error = refusal(() => renderDocument('act', 'tmn-city-admin', c));
    expect(error.fields).toEqual(["endpoints[1].title (the Russian name of purpose 'child-benefits')"]);
    const titled = await edited([
      {
        file: 'participants/tmn-city-admin.yaml',
        from: 'purpose: portal-intake',
        to: 'purpose: child-benefits, title: приём заявлений о пособиях',
      },
    ]);
    expect(renderDocument('act', 'tmn-city-admin', await context(titled)).markdown).toContain(
      '| приём заявлений о пособиях |',
    );
  });

  it('a protocol is not dated before the test it records', async () => {
    const c = await context(SAMPLE_INVENTORY);
    const probe = JSON.parse(
      await readFile(path.join(import.meta.dirname, 'fixtures', 'probe-test-tmn-city-admin.json'), 'utf8'),
    ) as { finishedAt: string };
    const day = probe.finishedAt.slice(0, 10);
    const before = new Date(Date.parse(`${day}T00:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10);
    const early = refusal(() =>
      renderDocument('protocol', 'tmn-city-admin', { ...c, at: before, probes: { test: probe as never } }),
    );
    expect(early.message).toContain(`cannot be dated ${before}`);
  });
});

describe('the portal lifecycle as recorded', () => {
  const service = (tests: object[]) => ({
    code: '7200000000161234567',
    name: 'Услуга',
    options: [],
    tests,
  });
  const passed = (date: string) => [
    { step: 'form', date, result: 'passed', tester: 'Сидоров С. С.' },
    { step: 'statuses', date, result: 'passed', tester: 'Сидоров С. С.' },
  ];

  it('a test-contour step dated after the production switch, or after the test’s date, is an error (BUS-2)', async () => {
    const tests = passed('2026-01-09');
    const late = participant('org-late', { services: [service(tests)] });
    Object.assign(late.registrations.prod, { switchDate: '2026-01-12' });
    expect(codes(check({ participants: [late] }))).toEqual([]);
    tests[1]!.date = '2026-01-15';
    const afterSwitch = check({ participants: [late] });
    expect(afterSwitch.map((f) => [f.code, f.path])).toEqual([['contour-order', 'services[0].tests[1].date']]);
    expect(afterSwitch[0]!.message).toContain('after registrations.prod.switchDate (2026-01-12)');
    tests[1]!.date = '2026-01-11';
    const afterTest = check({ participants: [late] });
    expect(afterTest.map((f) => f.code)).toEqual(['contour-order']);
    expect(afterTest[0]!.message).toContain('after registrations.test.tested (2026-01-10)');
  });

  it('a test registration recorded tested with a failed step and no production registration is an error', () => {
    const failing = participant('org-failed', {
      services: [
        service([
          ...passed('2026-01-09').slice(0, 1),
          { step: 'statuses', date: '2026-01-09', result: 'failed', tester: 'Сидоров С. С.' },
        ]),
      ],
    });
    delete (failing.registrations as Record<string, unknown>).prod;
    const findings = check({ participants: [failing] });
    expect(findings.map((f) => [f.code, f.path])).toEqual([['contour-order', 'registrations.test.status']]);
    expect(findings[0]!.message).toContain('statuses failed');
  });

  it('a stage dated after today is an error, and is not provisioned', async () => {
    const future = participant('org-future');
    delete (future.registrations as Record<string, unknown>).prod;
    Object.assign(future.registrations.test, { status: 'approved', approved: '2026-12-20' });
    delete (future.registrations.test as { tested?: string }).tested;
    const findings = check({ participants: [future] }, '2026-12-07');
    expect(findings.map((f) => [f.code, f.path])).toEqual([['registration-dates', 'registrations.test.approved']]);
    expect(findings[0]!.message).toContain('after today (2026-12-07)');
    expect(codes(check({ participants: [future] }, '2026-12-20'))).toEqual([]);
    // Through the sample: the live commands refuse the inventory rather than provision it.
    const dir = await edited([
      {
        file: 'participants/onokhino-sp.yaml',
        from: '    status: requested\n',
        to: '    status: approved\n    approved: 2026-11-30\n',
      },
    ]);
    const checked = await checkInventory(dir, AT);
    expect(checked.ok).toBe(false);
    expect(checked.findings.map((f) => f.code)).toContain('registration-dates');
  });

  it('a request without its date is a REG-1 finding; a deadline across a year the calendar lacks says so', async () => {
    const undated = await edited([
      { file: 'participants/onokhino-sp.yaml', from: '    requested: 2026-11-16', to: '    # requested: 2026-11-16' },
    ]);
    const reg = (await checks({ kind: 'audit', inventory: undated, at: AT })).result.findings.filter(
      (f) => f.requirement === 'REG-1',
    );
    expect(reg.map((f) => [f.participant, f.severity])).toEqual([['onokhino-sp', 'warning']]);
    expect(reg[0]!.message).toContain('has no date');
    expect(reg[0]!.ru?.message).toContain('нет даты');

    // A request of 2027-12-24: its deadline falls in 2028, which the sample's calendar does not list.
    const late = await edited([
      { file: 'participants/onokhino-sp.yaml', from: '    requested: 2026-11-16', to: '    requested: 2027-12-24' },
    ]);
    const uncovered = (await checks({ kind: 'audit', inventory: late, at: '2027-12-27' })).result.findings.filter(
      (f) => f.requirement === 'REG-1',
    );
    expect(uncovered.map((f) => f.message)).toEqual([expect.stringContaining('does not cover 2028')]);
    expect(uncovered[0]!.ru?.message).toContain('не охватывает 2028 г.');
  });
});
