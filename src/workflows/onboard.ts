// prichal onboard ID [--promote]: the engineer's whole path for one participant — validate,
// plan, apply the test contour through the engine (its edge table, registration and gateway), probe, write the test
// protocol; with --promote, production and the connection act.
import path from 'node:path';
import { makeFolder, writeAtomic } from '../files.js';
import type { ProbeProtocol } from '../infra/probe.js';
import type { EngineResult, StepReport } from '../infra/pulumi/engine.js';
import { joinWords, type ContourName, type Words } from '../inventory/index.js';
import { DEFAULT_LANG, type Lang } from '../report/index.js';
import { checkInventory, cite, productionAllowed, serviceTestGaps } from '../requirements/index.js';
import { errorText } from '../words.js';
import { liveContext } from './context.js';
import { writeDocuments } from './docs.js';
import { UsageError, WordedError } from './errors.js';
import { probeParticipant } from './probe.js';

/** What an engine run did, for onboard's step line: counts by operation, or that nothing changed. */
function engineSummary(r: EngineResult): Words {
  const ops = Object.entries(r.summary).filter(([op, n]) => n > 0 && op !== 'same');
  if (!r.changed || !ops.length)
    return { en: `stack ${r.stack}: nothing to change`, ru: `стек ${r.stack}: изменений нет` };
  const ru: Record<string, string> = { create: 'создано', update: 'изменено', delete: 'удалено', replace: 'заменено' };
  return {
    en: `stack ${r.stack}: ${ops.map(([op, n]) => `${n} ${op}`).join(', ')}`,
    ru: `стек ${r.stack}: ${ops.map(([op, n]) => `${ru[op] ?? op} ${n}`).join(', ')}`,
  };
}

/** Each step done (in English, as the JSON records them) and whether production was reached. */
export interface OnboardResult {
  participant: string;
  promoted: boolean;
  steps: Array<{ step: string; detail: string }>;
}

/**
 * The engineer's whole path for one participant. Every step is idempotent, so a failed run is
 * resumed by running the same command again once the cause is fixed. The firewall and the bus
 * go through the engine — `up --participant ID`, under the stack's lock, with its progress
 * (`onEngineStep`) and summary — like any other change of a stack; only the gateways are started
 * directly (until they go through the engine).
 */
export async function onboard(options: {
  inventory: string;
  participant: string;
  promote: boolean;
  out: string;
  log: (line: string) => void;
  lang?: Lang;
  onEngineStep?: (step: StepReport) => void;
}): Promise<OnboardResult> {
  const steps: OnboardResult['steps'] = [];
  const protocols = new Map<string, ProbeProtocol>();
  const id = options.participant;
  const lang = options.lang ?? DEFAULT_LANG;
  const ru = lang === 'ru';
  const say = (words: Words) => (ru ? words.ru : words.en);
  const resume = `prichal onboard ${id}${options.promote ? ' --promote' : ''}${options.inventory !== 'inventory' ? ` --inventory ${options.inventory}` : ''}`;
  // Steps and details are recorded in English (the JSON result); the log speaks the CLI's language.
  const run = async <T>(step: Words, work: () => Promise<T>, detail: (value: T) => Words): Promise<T> => {
    try {
      const value = await work();
      const words = detail(value);
      steps.push({ step: step.en, detail: words.en });
      options.log(`✓ ${say(step)}: ${say(words)}`);
      return value;
    } catch (error) {
      const message = errorText(error, lang);
      options.log(ru ? `✗ ${step.ru}: не выполнено: ${message}` : `✗ ${step.en} failed: ${message}`);
      options.log(
        ru ? `  устраните причину и продолжите командой: ${resume}` : `  fix the cause, then resume with: ${resume}`,
      );
      throw error;
    }
  };
  const same = (text: string): Words => ({ en: text, ru: text });
  const contourWords = (contour: ContourName): Words =>
    contour === 'test' ? { en: 'test', ru: 'тестовый контур' } : { en: 'prod', ru: 'промышленный контур' };

  const context = await run(
    { en: 'validate', ru: 'проверка реестра' },
    () => liveContext(options.inventory),
    () => ({ en: 'the inventory is valid', ru: 'реестр корректен' }),
  );
  const checked = await checkInventory(options.inventory);
  const inventory = checked.validation.inventory;
  const participant = inventory.participants.find((p) => p.value.id === id)?.value;
  if (!participant)
    throw new UsageError({
      en: `no participant '${id}' in ${options.inventory}`,
      ru: `в ${options.inventory} нет участника '${id}'`,
    });
  if (!participant.channel)
    throw new UsageError({
      en: `${id} has no network channel: it uses the hosted СЭД and has nothing to provision (add channel, networks, endpoints and registrations to connect it to the portal)`,
      ru: `у ${id} нет сетевого канала: он работает в СЭД с рабочего места, подключать по сети нечего (чтобы подключить его к порталу, добавьте channel, networks, endpoints и registrations)`,
    });
  const test = context.plan.contours.test.registrations.find((r) => r.participant === id);
  if (!test)
    throw new UsageError({
      en: `${id} has no test registration; add registrations.test first`,
      ru: `у ${id} нет регистрации в тестовом контуре; сначала добавьте registrations.test`,
    });
  const edge = context.plan.edges.find((e) => e.id === test.edge)!;
  await run(
    { en: 'plan', ru: 'план' },
    async () => test,
    (r) => {
      const endpoints = r.endpoints.map((e) => `${e.address}:${e.port}`).join(', ');
      return {
        en: `test gateway ${r.gateway} on ${r.edge}; endpoints ${endpoints}; mnemonic ${r.mnemonic}`,
        ru: `тестовый шлюз ${r.gateway} на ${r.edge}; точки ${endpoints}; мнемоника ${r.mnemonic}`,
      };
    },
  );

  const applyContour = async (contour: ContourName) => {
    const where = contourWords(contour);
    // The participant's edge table belongs to the test stack (it carries both contours' flows):
    // production runs the test stack for the table, then its own for the bus.
    const { engineCommand } = await import('./engine.js');
    const up = (stack: ContourName) =>
      engineCommand({
        action: 'up',
        inventory: options.inventory,
        contour: stack,
        participant: id,
        ...(options.onEngineStep ? { onProgress: options.onEngineStep } : {}),
      });
    const command = (stack: ContourName) => `prichal up --contour ${stack} --participant ${id}`;
    if (contour === 'test') {
      await run(
        {
          en: `firewall ${edge.id}, bus and gateway test: ${command('test')}`,
          ru: `межсетевой экран ${edge.id}, шина и шлюз, тестовый контур: ${command('test')}`,
        },
        () => up('test'),
        engineSummary,
      );
    } else {
      await run(
        { en: `firewall ${edge.id}: ${command('test')}`, ru: `межсетевой экран ${edge.id}: ${command('test')}` },
        () => up('test'),
        engineSummary,
      );
      await run(
        { en: `bus and gateway prod: ${command('prod')}`, ru: `шина и шлюз, промышленный контур: ${command('prod')}` },
        () => up('prod'),
        engineSummary,
      );
    }
    const protocol = await run(
      { en: `probe ${contour}`, ru: `проба, ${where.ru}` },
      async () => {
        const result = await probeParticipant(context, contour, id);
        protocols.set(`${contour}-${id}`, result);
        await makeFolder(path.join(options.out, 'probes'));
        await writeAtomic(
          path.join(options.out, 'probes', `${contour}-${id}.json`),
          `${JSON.stringify(result, null, 2)}\n`,
        );
        if (!result.passed) {
          const failures = [
            ...result.allowed.filter((a) => a.result !== 'answered').map((a) => `${a.address}:${a.port} ${a.result}`),
            ...result.denied
              .filter((d) => d.result !== 'dropped')
              .map((d) =>
                d.result === 'not-run'
                  ? `${d.address}:${d.port} not tried from ${d.source} (${d.reason})`
                  : `${d.address}:${d.port} not dropped`,
              ),
          ].join('; ');
          throw new WordedError({
            en: `the connectivity test failed: ${failures}`,
            ru: `проверка связности не пройдена: ${failures}`,
          });
        }
        return result;
      },
      (r) => ({
        en: `${r.allowed.length} endpoints answered, ${r.denied.length} undeclared flows dropped`,
        ru: `ответили точки: ${r.allowed.length}, отброшены необъявленные потоки: ${r.denied.length}`,
      }),
    );
    return protocol;
  };

  await applyContour('test');
  const docsOut = path.join(options.out, 'documents');
  const documentContext = { ...context, inventory, at: checked.at };
  await run(
    { en: 'test protocol', ru: 'протокол испытаний' },
    () => writeDocuments(documentContext, [id], ['protocol'], { out: docsOut, probes: protocols, pdf: false }),
    (r) => {
      const files = r.written.flatMap((w) => w.files).join(', ');
      return { en: files || r.errors.join('; '), ru: files || r.errorsRu.join('; ') };
    },
  );
  if (options.promote) {
    if (!productionAllowed(participant.registrations?.test?.status)) {
      const status = participant.registrations?.test?.status;
      options.log(
        ru
          ? `✗ перевод отклонён: тестовая регистрация в статусе '${status}'; укажите registrations.test.status: tested (с датой подписанного протокола), добавьте registrations.prod и продолжите командой: ${resume}`
          : `✗ promote refused: the test registration is '${status}'; set registrations.test.status: tested (with the date of the signed protocol) and add registrations.prod, then resume with: ${resume}`,
      );
      throw new UsageError({
        en: `promotion of ${id} refused: test registration is not 'tested' (${cite('portal', '4.6')})`,
        ru: `перевод ${id} в промышленный контур отклонён: тестовая регистрация не в статусе 'tested' (${cite('portal', '4.6')})`,
      });
    }
    const serviceGaps = serviceTestGaps(participant);
    if (serviceGaps.length) {
      const open = joinWords(serviceGaps, '; ');
      options.log(
        ru
          ? `✗ перевод отклонён: испытания услуги не пройдены (${cite('portal', '4.6')}): ${open.ru}; запишите каждый шаг в services[].tests и продолжите командой: ${resume}`
          : `✗ promote refused: the service test has not passed (${cite('portal', '4.6')}): ${open.en}; record each step under services[].tests, then resume with: ${resume}`,
      );
      throw new UsageError({
        en: `promotion of ${id} refused: service test not passed`,
        ru: `перевод ${id} в промышленный контур отклонён: испытания услуги не пройдены`,
      });
    }
    if (!participant.registrations?.prod)
      throw new UsageError({
        en: `${id} has no prod registration to promote to; add registrations.prod`,
        ru: `у ${id} нет промышленной регистрации для перевода; добавьте registrations.prod`,
      });
    await applyContour('prod');
    await run(
      { en: 'connection act', ru: 'акт подключения' },
      async () => {
        const r = await writeDocuments(documentContext, [id], ['act'], { out: docsOut, probes: protocols, pdf: false });
        if (r.errors.length) throw new Error(r.errors.join('; '));
        return r;
      },
      (r) => same(r.written.flatMap((w) => w.files).join(', ')),
    );
  }
  return { participant: id, promoted: options.promote, steps };
}
