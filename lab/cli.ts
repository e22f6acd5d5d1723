// prichal-lab (bin/prichal-lab): the local lab as a program of its own — up, down, status. The
// gateways are not the lab's: `prichal up` provisions them on the lab's Docker hosts. It uses Prichal like any user, through the stages' public modules,
// and is built like the prichal command: a table of commands with the same shared options,
// languages, JSON output and exit codes.
import { Command } from 'commander';
import {
  addCommands,
  type CommandRow,
  command,
  commanderText,
  russianHelp,
  runProgram,
  UsageError,
} from '../src/cli/index.js';
import type { Lang } from '../src/report/index.js';
import { checkInventory } from '../src/requirements/index.js';
import type { Words } from '../src/words.js';
import { type LabStatus, labDown, labStatus, labUp } from './lab.js';

interface Common {
  inventory: string;
}

/** Progress in the CLI's language, on stderr so that stdout stays clean for --format json. */
const progress =
  (lang: Lang) =>
  (words: Words): void =>
    void process.stderr.write(`${lang === 'ru' ? words.ru : words.en}\n`);

const DESCRIPTION: Words = {
  en: 'the local lab: real edges, hub, bus, endpoint hosts and decoys in Docker, for the demo, the integration tests and the benchmarks',
  ru: 'локальная лаборатория: настоящие пограничные узлы, хаб, шина, узлы участников и ложные узлы в Docker — для демонстрации, интеграционных тестов и замеров',
};

/** The Russian of the lab's own option descriptions (the shared options' are prichal's). */
const OPTIONS_RU: Readonly<Record<string, string>> = {
  'up without participant endpoint hosts (edges, hub and bus only)':
    'up без узлов точек участников (только пограничные узлы, хаб и шина)',
};

function statusText(status: LabStatus, lang: Lang): string {
  const lines = status.containers.map((c) => `${c.name.padEnd(48)} ${c.state}`);
  for (const h of status.dockerHosts) {
    const networks = h.networks.map((n) => `${n.name} ${n.subnet}`).join(', ');
    lines.push(
      lang === 'ru'
        ? `Docker-узел ${h.id}: ${h.endpoint} (ключ узла ${h.hostKey}, секрет ${h.credentials}), транзит ${h.transit}, сети шлюзов: ${networks}`
        : `Docker host ${h.id}: ${h.endpoint} (host key ${h.hostKey}, secret ${h.credentials}), transit ${h.transit}, gateway networks: ${networks}`,
    );
  }
  lines.push(
    lang === 'ru'
      ? `контейнеров: ${status.containers.length}, сетей: ${status.networks.length}`
      : `${status.containers.length} containers, ${status.networks.length} networks`,
  );
  return lines.join('\n');
}

const LAB_COMMANDS: readonly CommandRow[] = [
  command({
    name: 'up',
    description: {
      en: 'start the lab the inventory needs, or bring it up to date (idempotent: what runs unchanged is kept)',
      ru: 'запустить лабораторию, нужную реестру, или привести её в соответствие (идемпотентно: работающее без изменений остаётся)',
    },
    options: [{ flags: '--no-hosts', description: 'up without participant endpoint hosts (edges, hub and bus only)' }],
    run: async (o: Common & { hosts: boolean }, lang) => {
      const checked = await checkInventory(o.inventory);
      if (!checked.ok || !checked.plan || !checked.validation.inventory.operator) {
        throw new UsageError({
          en: `the inventory ${o.inventory} does not validate; run 'prichal validate' first`,
          ru: `реестр ${o.inventory} не проходит проверку; сначала запустите 'prichal validate'`,
        });
      }
      const topology = await labUp(checked.plan, checked.validation.inventory.operator.value, {
        log: progress(lang),
        withHosts: o.hosts,
      });
      return { action: 'up', status: await labStatus(), topology };
    },
    text: (r, lang) => statusText(r.status, lang),
  }),
  command({
    name: 'down',
    description: {
      en: 'remove what carries the lab label, and whatever runs on its networks (the cached image stays)',
      ru: 'удалить всё с меткой лаборатории и всё, что работает в её сетях (образ в кэше остаётся)',
    },
    // It removes what Docker says is the lab's: no inventory is read.
    shared: 'output',
    run: async (_o, lang) => ({ action: 'down', removed: await labDown(progress(lang)) }),
    text: (r, lang) =>
      lang === 'ru'
        ? `удалено контейнеров: ${r.removed.containers}, сетей: ${r.removed.networks}`
        : `removed ${r.removed.containers} containers and ${r.removed.networks} networks`,
  }),
  command({
    name: 'status',
    description: {
      en: "the lab's containers with their state, and its networks",
      ru: 'контейнеры лаборатории и их состояние, её сети',
    },
    shared: 'output',
    run: async () => ({ action: 'status', status: await labStatus() }),
    text: (r, lang) => statusText(r.status, lang),
  }),
];

/** The lab's own words in the Russian help; then prichal's for the shared options and commander's headings. */
function russianLabHelp(program: Command): void {
  program.description(DESCRIPTION.ru);
  for (const sub of program.commands) {
    const row = LAB_COMMANDS.find((r) => r.name === sub.name());
    if (row) sub.description(row.description.ru);
    for (const o of sub.options) o.description = OPTIONS_RU[o.description] ?? o.description;
  }
  russianHelp(program);
}

/** The `prichal-lab` program; `lang` is the language of its human output and help. */
export function buildLabProgram(lang: Lang): Command {
  const program = new Command('prichal-lab')
    .description(DESCRIPTION.en)
    .showHelpAfterError(lang === 'ru' ? '(справка: --help)' : '(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(commanderText(text, lang, 'prichal-lab')) })
    .exitOverride();
  addCommands(program, LAB_COMMANDS, lang);
  if (lang === 'ru') russianLabHelp(program);
  return program;
}

// Run when executed directly (bin/prichal-lab), not when imported by tests.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runProgram('prichal-lab', buildLabProgram, process.argv.slice(2));
}
