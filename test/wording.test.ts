// What people read by default is Russian (English under --lang en) and says what it means: the
// engine's detail lines, the audit findings CH-1, SED-1, ORG-2 and WS-1 (message, evidence, fix,
// dates as ДД.ММ.ГГГГ), the documents' refusals and the kinds they name, one error prefix, --help
// whatever its width and with each option only where it applies, plan's statuses under column
// headings, init's template, and the schema's length messages. (The lab's progress: lab-progress.test.ts.)
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildLabProgram } from '../lab/cli.js';
import { buildProgram } from '../src/cli/main.js';
import { auditInventory } from '../src/drift/audit.js';
import { MissingDataError, renderDocument, type DocumentContext, type DocumentKind } from '../src/docs/index.js';
import { describeOperation, type StepReport } from '../src/infra/pulumi/engine.js';
import { gatewayShardUpdate, type GatewayShardInputs } from '../src/infra/pulumi/gateway-shard.js';
import { firewallName } from '../src/infra/pulumi/program.js';
import { EDGE_FIREWALL, busShardUpdate, packEdge, type ResourceChange } from '../src/infra/pulumi/resources.js';
import { countRu } from '../src/inventory/schema-check.js';
import { wording } from '../src/report/index.js';
import { checkInventory } from '../src/requirements/index.js';
import { docsText } from '../src/workflows/docs.render.js';
import { stepText } from '../src/workflows/engine.render.js';
import { init } from '../src/workflows/init.js';
import { plan } from '../src/workflows/plan.js';
import { planText } from '../src/workflows/plan.render.js';
import { prichal, prichalLab } from './helpers/cli.js';
import { editedInventories, SAMPLE_INVENTORY } from './helpers/inventory.js';

const edited = editedInventories();
const AT = '2026-11-23';
/** Words of an English sentence: a Russian text that still has them was not translated. */
const ENGLISH = /\b(the|is|are|not|no|and|of|for|with|only|must|delete|fill|run|when|then|missing|cannot)\b/i;
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;

const sampleContext = async (): Promise<DocumentContext> => {
  const checked = await checkInventory(SAMPLE_INVENTORY, AT);
  return { inventory: checked.validation.inventory, plan: checked.plan!, at: checked.at };
};

describe('live commands: the engine says each change in the language', () => {
  it("prints the edge's flows, a registration and a gateway in Russian, and in English under --lang en", async () => {
    const checked = await checkInventory(SAMPLE_INVENTORY, AT);
    const samplePlan = checked.plan!;
    const edge = samplePlan.edges[0]!;
    const flows = describeOperation(
      EDGE_FIREWALL,
      firewallName(edge.id),
      'create',
      undefined,
      { edge: packEdge(edge) },
      samplePlan,
    ).changes;
    const bus = { url: 'http://127.0.0.1:15672', vhost: 'test', credentials: 'busTest' };
    const registration = busShardUpdate(undefined, {
      contour: 'test',
      shard: '00',
      entries: [{ participant: 'dep-zdrav', mnemonic: 'TMN_ZDRAV', messageTypes: ['urn:x#Request'], testStatus: null }],
      bus,
      testBus: null,
    }).changes;
    const shard: GatewayShardInputs = {
      contour: 'test',
      host: { id: 'docker-1', docker: 'unix:///var/run/docker.sock', hostKey: null, credentials: null },
      shard: '00',
      image: 'prichal-gateway:1',
      network: 'prichal-gw-test',
      gateways: [{ participant: 'dep-zdrav', address: '10.210.0.5', endpoints: [], configHash: 'a', specHash: 'b' }],
    };
    const gateway = gatewayShardUpdate(undefined, shard).changes;
    const step = (changes: ResourceChange[]): StepReport => ({
      op: 'create',
      type: EDGE_FIREWALL,
      name: 'x',
      status: 'planned',
      participants: [],
      changes,
    });
    const ru = [flows, registration, gateway].map((changes) => stepText(step(changes), 'ru')).join('\n');
    expect(ru).toContain('потоки в таблице');
    expect(ru).toContain('dep-zdrav: зарегистрировать TMN_ZDRAV');
    expect(ru).toContain('dep-zdrav: шлюз prichal-gw-dep-zdrav-test: создать на хосте docker-1 с адресом 10.210.0.5');
    expect(ru).not.toMatch(/flows in|register |gateway |add on host/);
    const en = [flows, registration, gateway].map((changes) => stepText(step(changes), 'en')).join('\n');
    expect(en).toContain('flows in the table');
    expect(en).toContain('dep-zdrav: register TMN_ZDRAV');
    expect(en).toContain('gateway prichal-gw-dep-zdrav-test: add on host docker-1 at 10.210.0.5');
    // A change recorded before the Russian (an earlier state's live differences): its English, not a blank.
    expect(stepText(step([{ message: 'set x: missing element y' }]), 'ru')).toContain('set x: missing element y');
  });
});

describe('audit findings CH-1, SED-1, ORG-2 and WS-1 in Russian', () => {
  it('word message, fix and composed evidence in Russian, dates as ДД.ММ.ГГГГ; English stays in the JSON fields', async () => {
    const dir = await edited([
      { file: 'participants/onokhino-sp.yaml', from: 'type: vipnet', to: 'type: internet' },
      { file: 'participants/dep-obr.yaml', from: 'system: Directum RX', to: 'system: Бюрократ' },
      // The request sent before the training it follows (п. 1.3, 1.4).
      { file: 'participants/tmn-sosh-12.yaml', from: 'requestSent: 2024-03-18', to: 'requestSent: 2024-03-10' },
      // No training date: the «регистрации нового» request it sends cannot be filled in.
      { file: 'participants/vinzili-gp.yaml', from: '  training: 2026-12-14\n', to: '' },
      {
        file: 'participants/andreevsky-sp.yaml',
        from: 'browser: chromium-gost, rootCertificates: true, crl: true',
        to: 'browser: firefox',
      },
    ]);
    const checked = await checkInventory(dir, AT);
    const findings = auditInventory(checked.validation.inventory, AT).filter((f) =>
      ['CH-1', 'SED-1', 'ORG-2', 'WS-1'].includes(f.requirement),
    );
    const found = (requirement: string, participant: string) =>
      findings.filter((f) => f.requirement === requirement && f.participant === participant);
    expect(found('CH-1', 'onokhino-sp')).toHaveLength(1);
    expect(found('SED-1', 'dep-obr')).toHaveLength(1);
    expect(found('SED-1', 'tmn-sosh-12')).toHaveLength(1);
    expect(found('ORG-2', 'vinzili-gp')).toHaveLength(1);
    expect(found('WS-1', 'andreevsky-sp')).toHaveLength(3);
    for (const f of findings) {
      const said = wording(f, 'ru');
      const where = `${f.requirement} ${f.participant}: ${said.message} | ${said.evidence} | ${said.fix}`;
      expect(f.ru, where).toBeDefined();
      for (const text of [said.message, said.fix]) {
        expect(text, where).toMatch(/[а-яё]/i);
        expect(text.replace(/'[^']*'|\([^)]*\)/g, ''), where).not.toMatch(ENGLISH);
      }
      expect(`${said.message} ${said.evidence}`, where).not.toMatch(ISO_DATE);
      // The English is what the JSON and --lang en keep.
      expect(f.message, where).toMatch(ENGLISH);
    }
    const [stages] = found('SED-1', 'tmn-sosh-12');
    expect(stages!.message).toContain('(2024-03-10) is before');
    expect(stages!.ru!.message).toContain('(10.03.2024)');
    expect(stages!.ru!.message).toContain('15.03.2024');
    const [request] = found('ORG-2', 'vinzili-gp');
    expect(request!.ru!.message).toContain('sed.training (поле 7)');
    expect(wording(request!, 'ru').evidence).toBe('sed.mode: operator; подключён к СЭД: нет');
    expect(wording(request!, 'en').evidence).toBe('sed.mode: operator; connected to the СЭД: no');
    expect(wording(found('CH-1', 'onokhino-sp')[0]!, 'ru').evidence).toMatch(
      /^channel\.type: internet(, продукт \S+)?; регистрации: test/,
    );
    expect(found('WS-1', 'andreevsky-sp').map((f) => f.ru!.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('браузер firefox'),
        expect.stringContaining('корневых сертификатов'),
        expect.stringContaining('списка отозванных сертификатов'),
      ]),
    );
  });

  it('the Markdown report in Russian shows the Russian evidence', async () => {
    const dir = await edited([{ file: 'participants/vinzili-gp.yaml', from: '  training: 2026-12-14\n', to: '' }]);
    const out = path.join(dir, 'out');
    const run = await prichal(['audit', '--inventory', dir, '--at', AT, '--out', out]);
    expect(run.code).toBe(1);
    const markdown = await readFile(path.join(out, 'audit.md'), 'utf8');
    expect(markdown).toContain('подключён к СЭД: нет');
    expect(markdown).not.toContain('connected to the СЭД');
  });
});

describe('docs: refusals and document kinds in Russian, one error prefix', () => {
  const refusal = (fn: () => unknown): MissingDataError => {
    try {
      fn();
    } catch (error) {
      if (error instanceof MissingDataError) return error;
      throw error;
    }
    throw new Error('expected a MissingDataError');
  };

  it('names every missing field in Russian in the Russian message, in English in the English one', async () => {
    const context = await sampleContext();
    const render = (kind: DocumentKind, id: string) => () => renderDocument(kind, id, context);
    const protocol = refusal(render('protocol', 'dep-obr'));
    expect(protocol.ru).toContain('результаты проверки связности (prichal probe)');
    expect(protocol.message).toContain('connectivity probe results (prichal probe)');
    // ishim-sosh-2 works in the hosted СЭД from a workstation: no channel.
    const noChannel = refusal(render('act', 'ishim-sosh-2'));
    expect(noChannel.ru).toContain('channel (участник работает в СЭД оператора, сетевого канала у него нет)');
    expect(noChannel.message).toContain('channel (this participant uses the hosted СЭД');
    const request = refusal(render('request-new', 'ishim-district-admin'));
    expect(request.fieldsRu).toEqual(['sed.training (поле 7)']);
    expect(request.fields).toEqual(['sed.training (7)']);
    const leased = refusal(render('leased-line', 'tmn-sosh-12'));
    for (const error of [protocol, noChannel, request, leased]) {
      const listed = error.ru.slice(error.ru.indexOf('не хватает:'));
      expect(listed.replace(/'[^']*'|prichal \w+( --\w+)?/g, ''), error.ru).not.toMatch(ENGLISH);
    }
  });

  it('prints the written documents under their Russian titles and refusals with the prefix every failure has', () => {
    const result = {
      written: [{ participant: 'dep-obr', kind: 'protocol' as const, files: ['out/dep-obr.protocol.md'] }],
      errors: ['Акт for dep-obr cannot be written; missing: registrations.prod'],
      errorsRu: ['Акт для dep-obr не формируется; не хватает: registrations.prod'],
      register: 'inventory/documents.yaml',
    };
    const ru = docsText(result, 'ru');
    expect(ru).toContain('dep-obr — Протокол тестирования: out/dep-obr.protocol.md');
    expect(ru).not.toMatch(/ protocol:/);
    expect(ru).toContain('prichal: Акт для dep-obr не формируется');
    expect(ru).not.toContain('ошибка');
    expect(docsText(result, 'en')).toContain('prichal: Акт for dep-obr cannot be written');
  });

  it("commander's usage errors carry the same prefix as every other failure, in prichal and the lab", async () => {
    const ru = await prichal(['validate', '--bogus']);
    expect(ru.code).toBe(2);
    expect(ru.stderr).toMatch(/^prichal: неизвестный параметр '--bogus'$/m);
    expect(ru.stderr).not.toMatch(/ошибка|error:/);
    const en = await prichal(['validate', '--bogus', '--lang', 'en']);
    expect(en.stderr).toMatch(/^prichal: unknown option '--bogus'$/m);
    const failure = await prichal(['validate', '--at', '2026-02-30']);
    expect(failure.stderr).toMatch(/^prichal: --at:/m);
    const lab = await prichalLab(['up', '--bogus']);
    expect(lab.stderr).toMatch(/^prichal-lab: неизвестный параметр '--bogus'$/m);
  });
});

/** Every command of a program, itself included. */
const commandsOf = (command: Command): Command[] => [command, ...command.commands.flatMap(commandsOf)];
const optionsOf = (program: Command, name: string) =>
  program.commands.find((c) => c.name() === name)!.options.map((o) => o.long);

describe('--help', () => {
  it("translates commander's «(default: …)» and «(choices: …)» at any width, for every command of prichal and the lab", () => {
    const left: string[] = [];
    for (const program of [buildProgram('ru'), buildLabProgram('ru')])
      for (const command of commandsOf(program))
        for (const width of [40, 50, 60, 70, 80, 90, 100, 120, 160]) {
          command.configureOutput({ getOutHelpWidth: () => width });
          const help = command.helpInformation();
          if (/default:|choices:|display help/.test(help)) left.push(`${command.name()} at ${width}`);
        }
    expect(left).toEqual([]);
    const drift = buildProgram('ru').commands.find((c) => c.name() === 'drift')!;
    expect(drift.helpInformation().replace(/\s+/g, ' ')).toContain('(варианты: "text", "json", по умолчанию: "text")');
  });

  it('lists each option only for the commands it applies to', () => {
    for (const lang of ['ru', 'en'] as const) {
      const program = buildProgram(lang);
      expect(optionsOf(program, 'preview')).toEqual(
        expect.arrayContaining(['--contour', '--participant', '--refresh', '--expect-no-changes', '--wait-lock']),
      );
      expect(optionsOf(program, 'preview')).not.toContain('--yes');
      expect(optionsOf(program, 'up')).toEqual(expect.arrayContaining(['--refresh', '--yes', '--participant']));
      expect(optionsOf(program, 'up')).not.toContain('--expect-no-changes');
      for (const option of ['--yes', '--refresh', '--expect-no-changes'])
        expect(optionsOf(program, 'refresh')).not.toContain(option);
      expect(optionsOf(program, 'destroy')).toContain('--yes');
      for (const option of ['--refresh', '--expect-no-changes'])
        expect(optionsOf(program, 'destroy')).not.toContain(option);
      // The lab's down and status read Docker, never an inventory.
      const lab = buildLabProgram(lang);
      expect(optionsOf(lab, 'up')).toContain('--inventory');
      for (const name of ['down', 'status']) expect(optionsOf(lab, name)).not.toContain('--inventory');
    }
  });

  it('refuses an option where it does not apply (exit 2)', async () => {
    // An inventory that is not there: nothing could reach the engine even if the option were taken.
    const run = await prichal(['preview', '--contour', 'test', '--yes', '--inventory', '/nonexistent/inventory']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("неизвестный параметр '--yes'");
  });
});

describe('plan, init and the schema messages', () => {
  it('plan prints statuses in Russian under column headings', async () => {
    const result = await plan({ inventory: SAMPLE_INVENTORY, at: AT, save: false });
    const ru = planText(result, 'ru');
    expect(ru).toMatch(/^ {2}участник +мнемоника +статус +шлюз +хост +узел +сети -> точки$/m);
    expect(ru).toMatch(/^ {2}участник +мнемоника +статус +почему$/m);
    expect(ru).toMatch(/^ {2}участник +линк +узел +адрес узла <-> адрес участника$/m);
    expect(ru).toMatch(/^ {2}хост +Docker +участников +роль$/m);
    expect(ru).toMatch(/ испытан /);
    expect(ru).toMatch(/ заявка /);
    // A raw status only where it is quoted as the value to write ('approved').
    expect(ru).not.toMatch(/(^|\s)(requested|approved|registered|tested)(\s|$)/m);
    const en = planText(result, 'en');
    expect(en).toMatch(/^ {2}participant +mnemonic +status +gateway +host +edge +networks -> endpoints$/m);
    expect(en).toMatch(/ tested /);
  });

  it("init's template is commented in Russian and lists the statuses in order with their meaning", async () => {
    const dir = await edited([]);
    const { file } = await init({ inventory: dir, id: 'new-school', force: false });
    const text = await readFile(file, 'utf8');
    const comments = text
      .split('\n')
      .slice(1)
      .map((line) => /#(.*)$/.exec(line.replace(/"[^"]*"/g, '""'))?.[1]?.trim())
      .filter((c): c is string => !!c);
    expect(comments.length).toBeGreaterThan(30);
    expect(comments.filter((c) => ENGLISH.test(c.replace(/`[^`]*`/g, '')))).toEqual([]);
    for (const [status, meaning] of [
      ['requested', 'письмо-заявка отправлено'],
      ['approved', 'владелец портала согласовал'],
      ['registered', 'веб-сервис зарегистрирован в контуре'],
      ['tested', 'испытания пройдены'],
    ])
      expect(text).toMatch(new RegExp(`#\\s+${status}\\s+— ${meaning}`));
  });

  it('an empty field «не должно быть пустым»; a count after «не короче» in its Russian form', async () => {
    const name = (await readFile(path.join(SAMPLE_INVENTORY, 'participants/dep-obr.yaml'), 'utf8')).match(
      /^name: .*$/m,
    )![0];
    const dir = await edited([{ file: 'participants/dep-obr.yaml', from: name, to: 'name: ""' }]);
    const checked = await checkInventory(dir, AT);
    const empty = checked.findings.find((f) => f.file === 'participants/dep-obr.yaml' && f.path === 'name');
    expect(empty?.ru).toBe('не должно быть пустым');
    expect(empty?.message).toMatch(/^must not be empty/);
    expect([1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111].map((n) => countRu(n, 'символа', 'символов'))).toEqual([
      '1 символа',
      '2 символов',
      '4 символов',
      '5 символов',
      '11 символов',
      '12 символов',
      '21 символа',
      '22 символов',
      '25 символов',
      '101 символа',
      '111 символов',
    ]);
  });
});
