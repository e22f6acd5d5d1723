// Support (Регламент ПУ ТО, раздел 8): the production calendar holds every non-working day the
// desks observe (a Saturday public holiday closes the portal desk's Saturday hours); a desk per
// connection — the СЭД's for the support requests, the portal's own (п. 8.2) for incident notes,
// each with its contacts and hours — while an operator.yaml with one `support` keeps meaning one
// desk for both; the incident note is numbered from the document register, names the contact's
// position, and is refused for a participant with no connection to the portal.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { incidentNote, MissingDataError, renderDocument, type DocumentKind } from '../src/docs/index.js';
import type { OperatorFile } from '../src/inventory/index.js';
import { checkInventory, reactionDeadline } from '../src/requirements/index.js';
import { SCHEMA_DIR } from '../src/project.js';
import { incidentCommand } from '../src/workflows/incident.js';
import { check, operator } from './helpers/build.js';
import { prichal } from './helpers/cli.js';
import { editedInventories, SAMPLE_INVENTORY } from './helpers/inventory.js';

const AT = '2026-11-23';
const V1 = path.join(import.meta.dirname, 'fixtures', 'inventory-v1');
const edited = editedInventories();
const SOSH = 'participants/tmn-sosh-12.yaml';
const sampleOperator = async () =>
  parse(await readFile(path.join(SAMPLE_INVENTORY, 'operator.yaml'), 'utf8')) as OperatorFile;

/** Трудовой кодекс РФ, ст. 112: the non-working public holidays (MM-DD). */
const PUBLIC_HOLIDAYS = [
  '01-01',
  '01-02',
  '01-03',
  '01-04',
  '01-05',
  '01-06',
  '01-07',
  '01-08',
  '02-23',
  '03-08',
  '05-01',
  '05-09',
  '06-12',
  '11-04',
];
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** The sample's (or a copy's) documents and incident note for tmn-sosh-12, the inventory valid. */
const documents = async (dir: string) => {
  const checked = await checkInventory(dir, AT);
  expect(checked.findings.filter((f) => f.severity === 'error')).toEqual([]);
  const render = (kind: DocumentKind, id: string) =>
    renderDocument(kind, id, { inventory: checked.validation.inventory, plan: checked.plan!, at: AT }).markdown;
  const note = (registered = '2026-11-20T17:00') =>
    incidentNote(checked.validation.inventory, {
      participant: 'tmn-sosh-12',
      scope: 'full',
      description: 'форма недоступна',
      registered,
    });
  return { render, note };
};

describe('the production calendar holds every non-working day the desks observe', () => {
  it("the schema asks for the public holidays whatever the weekday, not Monday–Friday's only", async () => {
    const schema = JSON.parse(await readFile(path.join(SCHEMA_DIR, 'operator.schema.json'), 'utf8'));
    const holidays = schema.properties.calendar.properties.holidays.description as string;
    expect(holidays).not.toMatch(/fall on Monday–Friday/);
    expect(holidays).toMatch(/whatever day of the week/);
    expect(holidays).toMatch(/Saturday/);
    expect(schema.properties.calendar.description).toMatch(/closes the desks whatever day of the week/);
  });

  it('the sample calendar lists each public holiday that falls on a Saturday in the years it covers (2 January 2027)', async () => {
    const holidays = (await sampleOperator()).calendar!.holidays!;
    const years = [...new Set(holidays.map((d) => d.slice(0, 4)))];
    expect(years).toEqual(['2026', '2027']);
    const saturdays = years.flatMap((y) => PUBLIC_HOLIDAYS.map((d) => `${y}-${d}`)).filter((d) => weekday(d) === 6);
    expect(saturdays).toEqual(['2026-01-03', '2026-05-09', '2027-01-02', '2027-05-01', '2027-06-12']);
    expect(saturdays.filter((d) => !holidays.includes(d))).toEqual([]);
  });

  it("the reaction deadline over the New Year skips the desk's Saturday hours on 2 January, a public holiday", async () => {
    const calendar = (await sampleOperator()).calendar;
    // Wednesday 30 December 2026, 19:00, 4 working hours: one hour that evening; 31 December to
    // 8 January are holidays (2 January a Saturday among them); three hours from 09:00 on
    // Saturday 9 January, an ordinary Saturday.
    expect(reactionDeadline('2026-12-30T19:00', 4, calendar)).toBe('2027-01-09T12:00');
    // A Saturday holiday closes the desk; a Saturday worked (calendar.workdays) has the weekdays' hours.
    expect(reactionDeadline('2027-01-01T10:00', 8, { holidays: ['2027-01-01', '2027-01-02'] })).toBe(
      '2027-01-04T16:00',
    );
    expect(reactionDeadline('2027-01-01T10:00', 8, { holidays: ['2027-01-01'] })).toBe('2027-01-02T17:00');
    expect(reactionDeadline('2027-01-09T07:00', 12, { workdays: ['2027-01-09'] })).toBe('2027-01-09T20:00');
    expect(reactionDeadline('2027-01-09T07:00', 12, undefined)).toBe('2027-01-11T12:00');
    const { note } = await documents(SAMPLE_INVENTORY);
    expect(note('2026-12-30T19:00').reactionBy).toBe('2027-01-09T12:00');
  });
});

describe('a support desk per connection', () => {
  it('each document names its own desk: the support requests the СЭД’s, the incident note the portal’s (п. 8.2)', async () => {
    const { render, note } = await documents(SAMPLE_INVENTORY);
    for (const [kind, id] of [
      ['request-update', 'tmn-sosh-12'],
      ['request-connector', 'tmn-gorduma'],
    ] as const) {
      const markdown = render(kind, id);
      expect(markdown, kind).toContain('служба технической поддержки СЭД (sd@citto.example)');
      expect(markdown, kind).not.toContain('smev@citto.example');
    }
    const incident = note().markdown;
    expect(incident).toContain('Кому: оператору ПУ ТО, служба поддержки портала: +7 3452 56-60-60, smev@citto.example');
    expect(incident).not.toContain('sd@citto.example');
    // Without hours of its own the portal desk keeps п. 8.6's, and the note cites it.
    expect(incident).toContain('п. 8.6: пн–пт 08:00–20:00, сб 09:00–17:00');
  });

  it('an operator.yaml with one support (the shape before the split) keeps meaning one desk for both', async () => {
    const dir = await edited([
      {
        file: 'operator.yaml',
        from: /support:\n(?: {4}.*\n)+/.exec(await readFile(path.join(SAMPLE_INVENTORY, 'operator.yaml'), 'utf8'))![0],
        to: 'support: { email: help@citto.example, phone: "+7 3452 11-11-11" }\n',
      },
    ]);
    const { render, note } = await documents(dir);
    expect(render('request-update', 'tmn-sosh-12')).toContain('служба технической поддержки СЭД (help@citto.example)');
    expect(note().markdown).toContain('служба поддержки портала: +7 3452 11-11-11, help@citto.example');
    // The version-1 inventory validates as it did, and its request names its one desk.
    const v1 = await checkInventory(V1, AT);
    expect(v1.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const request = renderDocument('request-update', 'tmn-sosh-12', {
      inventory: v1.validation.inventory,
      plan: v1.plan!,
      at: AT,
    });
    expect(request.markdown).toContain('служба технической поддержки СЭД (sd@citto.example)');
  });

  it("the portal desk's declared hours count the reaction time, and the note states them", async () => {
    const dir = await edited([
      {
        file: 'operator.yaml',
        from: 'portal: { email: smev@citto.example, phone: "+7 3452 56-60-60" }',
        to: 'portal: { email: smev@citto.example, phone: "+7 3452 56-60-60", hours: { weekdays: "09:00-18:00" } }',
      },
    ]);
    const { note } = await documents(dir);
    // Friday 20 November 2026, 17:00, 4 hours: one hour to 18:00, no Saturday hours, three on Monday.
    const friday = note('2026-11-20T17:00');
    expect(friday.reactionBy).toBe('2026-11-23T12:00');
    expect(friday.markdown).toContain('в часы приёма заявок (службы поддержки портала: пн–пт 09:00–18:00)');
    expect(friday.markdown).not.toContain('п. 8.6');
    expect(reactionDeadline('2026-11-20T17:00', 4, undefined, { weekdays: '09:00-18:00' })).toBe('2026-11-23T12:00');
    expect(reactionDeadline('2026-11-21T09:00', 2, undefined, { sunday: '10:00-16:00' })).toBe('2026-11-22T12:00');
  });

  it('the shape is checked: a shared e-mail unless both desks are given, hours that open before they close, version 2', () => {
    const withSupport = (support: object, version = 2) => {
      const file = operator();
      return check({ operator: { ...file, version, operator: { ...file.operator, support } }, participants: [] });
    };
    expect(withSupport({ sed: { email: 'sd@op.example' }, portal: { email: 'smev@op.example' } })).toEqual([]);
    const missing = withSupport({ portal: { email: 'smev@op.example' } });
    expect(missing.map((f) => [f.code, f.path])).toEqual([['schema', 'operator.support']]);
    expect(missing[0]!.message).toContain("missing required field 'email'");
    expect(missing[0]!.message).toMatch(
      /serves every connection that has no desk of its own: give it, or both support\.sed and support\.portal/,
    );
    expect(missing[0]!.ru).toMatch(
      /нет обязательного поля 'email' \(адрес общей службы поддержки .* support\.sed и support\.portal\)/,
    );
    const reversed = withSupport({
      email: 'sd@op.example',
      portal: { email: 'x@op.example', hours: { weekdays: '20:00-08:00' } },
    });
    expect(reversed.map((f) => [f.code, f.path])).toEqual([['schema', 'operator.support.portal.hours.weekdays']]);
    expect(reversed[0]!.message).toContain("'20:00-08:00' closes before it opens");
    expect(reversed[0]!.ru).toContain('закрытие раньше открытия');
    const closed = withSupport({ email: 'sd@op.example', hours: {} });
    expect(closed.map((f) => [f.code, f.path])).toEqual([['schema', 'operator.support.hours']]);
    const malformed = withSupport({
      email: 'sd@op.example',
      portal: { email: 'x@op.example', hours: { saturday: '9-17' } },
    });
    expect(malformed.map((f) => [f.code, f.path])).toEqual([['schema', 'operator.support.portal.hours.saturday']]);
    const v1 = withSupport({ email: 'sd@op.example', portal: { email: 'x@op.example' } }, 1);
    expect(v1.filter((f) => f.severity === 'error').map((f) => [f.code, f.path])).toEqual([
      ['schema-version', 'operator.support.portal'],
    ]);
  });
});

describe('the incident note: a register number, the contact’s position, a connection to the portal', () => {
  const incident = (inventory: string, participant = 'tmn-sosh-12', out?: string) =>
    incidentCommand({
      inventory,
      participant,
      scope: 'full',
      description: 'форма недоступна',
      at: '2026-11-20T18:30',
      ...(out ? { out } : {}),
    });
  const entries = (text: string) => text.split('\n').filter((l) => l.startsWith('  - '));

  it('is numbered from the document register (kind incident), and the same note keeps its number', async () => {
    const dir = await edited([]);
    const register = path.join(dir, 'documents.yaml');
    const before = await readFile(register, 'utf8');
    const last = Math.max(...entries(before).map((l) => Number(/"2026\/(\d{4})"/.exec(l)![1])));
    const number = `2026/${String(last + 1).padStart(4, '0')}`;
    const first = await incident(dir, 'tmn-sosh-12', path.join(dir, 'out'));
    expect(first.number).toBe(number);
    expect(first.markdown.split('\n')[0]).toBe(`**№ ${number} от 20.11.2026**`);
    const after = await readFile(register, 'utf8');
    expect(entries(after).slice(entries(before).length)).toEqual([
      expect.stringMatching(
        new RegExp(`number: "${number}", date: "2026-11-20", participant: "tmn-sosh-12", kind: "incident"`),
      ),
    ]);
    expect((await readFile(first.files[0]!, 'utf8')).split('\n')[0]).toBe(`**№ ${number} от 20.11.2026**`);
    const again = await incident(dir);
    expect(again.number).toBe(number);
    expect(await readFile(register, 'utf8')).toBe(after);
  });

  it("names the technical specialist's position (п. 8.2), and without one is refused naming the file, line and field", async () => {
    const ok = await incident(await edited([]));
    expect(ok.markdown).toContain('инженер-программист Иванов Павел Петрович, технический специалист');
    const dir = await edited([{ file: SOSH, from: ', position: инженер-программист', to: '' }]);
    const before = await readFile(path.join(dir, 'documents.yaml'), 'utf8');
    const refused = await incident(dir).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MissingDataError);
    const line =
      (await readFile(path.join(dir, SOSH), 'utf8')).split('\n').findIndex((l) => l.startsWith('technical:')) + 1;
    expect((refused as MissingDataError).message).toContain(`${SOSH}:${line}: the technical specialist`);
    expect((refused as MissingDataError).message).toContain('has no technical.position');
    expect((refused as MissingDataError).ru).toContain('не указано: technical.position');
    expect((refused as MissingDataError).ru).toContain('требует должность, ФИО, телефон и e-mail');
    // Nothing numbered.
    expect(await readFile(path.join(dir, 'documents.yaml'), 'utf8')).toBe(before);
  });

  it('is refused for a participant with no connection to the portal, naming it and why', async () => {
    const dir = await edited([]);
    const before = await readFile(path.join(dir, 'documents.yaml'), 'utf8');
    const cases: Array<[string, RegExp, RegExp]> = [
      // The hosted СЭД from a workstation: no channel at all.
      ['gup-farmaciya', /no network channel/, /нет канала связи/],
      // A channel, the registration only requested or approved: nothing registered on the bus yet.
      [
        'onokhino-sp',
        /not registered in either contour yet \(registrations\.test\.status: requested/,
        /ещё не зарегистрированы/,
      ],
      ['obl-hospital-3', /registrations\.test\.status: approved/, /registrations\.test\.status: approved/],
    ];
    for (const [id, en, ru] of cases) {
      const refused = await incident(dir, id).catch((e: unknown) => e);
      expect(refused, id).toBeInstanceOf(MissingDataError);
      const error = refused as MissingDataError;
      expect(error.message, id).toMatch(
        new RegExp(`for ${id} \\(.+\\) is refused: the participant has no connection to the portal`),
      );
      expect(error.message, id).toMatch(en);
      expect(error.ru, id).toMatch(
        new RegExp(`для ${id} \\(.+\\) не формируется: у участника нет подключения к порталу`),
      );
      expect(error.ru, id).toMatch(ru);
      // A СЭД problem goes to the СЭД's desk.
      expect(error.message, id).toContain('sd@citto.example');
    }
    // A channel and no registration at all.
    const kaskara = 'participants/kaskara-sp.yaml';
    const text = await readFile(path.join(SAMPLE_INVENTORY, kaskara), 'utf8');
    const unregistered = await edited([{ file: kaskara, from: text.slice(text.indexOf('registrations:\n')), to: '' }]);
    const refused = await incident(unregistered, 'kaskara-sp').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MissingDataError);
    expect((refused as Error).message).toContain(
      'no web service of it is registered in either contour (no registrations)',
    );
    expect((refused as MissingDataError).ru).toContain('не зарегистрированы ни в одном контуре (нет registrations)');
    expect(await readFile(path.join(dir, 'documents.yaml'), 'utf8')).toBe(before);
  });

  it('through the CLI: --register names the register and the JSON carries the number; a refusal exits 1, in Russian', async () => {
    const dir = await edited([]);
    const register = path.join(dir, 'incidents.yaml');
    const args = ['incident', '--inventory', dir, '--scope', 'partial', '--description', 'статусы не обновляются'];
    const run = await prichal([
      ...args,
      '--participant',
      'tmn-sosh-12',
      '--at',
      '2026-11-20T18:30',
      '--register',
      register,
      '--format',
      'json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ participant: 'tmn-sosh-12', number: '2026/0001', register });
    expect(await readFile(register, 'utf8')).toContain('participant: "tmn-sosh-12", kind: "incident"');
    const refused = await prichal([...args, '--participant', 'gup-farmaciya', '--register', register, '--lang', 'ru']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/для gup-farmaciya \(.+\) не формируется: у участника нет подключения к порталу/);
    expect(refused.stderr).toContain('нет канала связи');
  });
});
