// preview --format markdown: the change summary a pull request carries. What changes who can
// reach comes first — per participant, the flows added or removed, bus registrations, gateways,
// links and routes — then the rest. Never longer than MARKDOWN_LIMIT characters whatever the
// change: review tools cut a plan at 65,536 characters, and a reviewer stops reading long before.
// When everything does not fit: the counts, then as many items as fit, then the command that
// lists them all.
import { markdownText as md } from '../escape.js';
import type { EDGE_CHANNEL } from '../infra/pulumi/channel-resource.js';
import type { EngineResult, StepReport } from '../infra/pulumi/engine.js';
import type { GATEWAY_SHARD } from '../infra/pulumi/gateway-shard.js';
import type { BUS_REGISTRATIONS, EDGE_FIREWALL } from '../infra/pulumi/resources.js';
import { formatNumber, labels, type Lang } from '../report/index.js';
import type { Words } from '../words.js';
import { OP_RU } from './engine.render.js';

/** The longest summary, in characters, however large the change. */
export const MARKDOWN_LIMIT = 10_000;
/** Room the other changes keep when the access changes alone would fill the summary. */
const REST_ROOM = 1_500;

type Area = 'flows' | 'registrations' | 'gateways' | 'routes';
type Direction = 'add' | 'remove' | 'change';
/** How much of a participant's changes its block shows. */
type Detail = 'all' | 'sample' | 'counts';
const AREAS: readonly Area[] = ['flows', 'registrations', 'gateways', 'routes'];
const DIRECTIONS: readonly Direction[] = ['add', 'remove', 'change'];

// The resources that carry access, typed by their type constants so that a renamed type fails
// to compile (importing the constants themselves would load the Pulumi SDK into every command).
const AREA_OF: Record<
  typeof EDGE_FIREWALL | typeof BUS_REGISTRATIONS | typeof GATEWAY_SHARD | typeof EDGE_CHANNEL,
  Area
> = {
  'prichal:index:EdgeFirewall': 'flows',
  'prichal:index:BusRegistrations': 'registrations',
  'prichal:index:GatewayShard': 'gateways',
  'prichal:index:EdgeChannel': 'routes',
};
/** Operations that write; refresh, read and a state upgrade change no one's access. */
const WRITES: ReadonlySet<string> = new Set([
  'create',
  'update',
  'delete',
  'replace',
  'create-replacement',
  'delete-replaced',
]);

const WORDS = {
  title: { en: 'prichal {action}: {contour} contour', ru: 'prichal {action}: {contour} контур' },
  wouldChange: { en: '**{n} resources would change**', ru: '**Изменилось бы ресурсов: {n}**' },
  changed: { en: '**{n} resources changed**', ru: '**Изменено ресурсов: {n}**' },
  noChanges: { en: '**No changes.**', ru: '**Изменений нет.**' },
  participants: { en: 'participants whose access changes: {n}', ru: 'участников, чей доступ меняется: {n}' },
  access: { en: '### Access, by participant', ru: '### Доступ, по участникам' },
  noAccess: { en: 'No access changes.', ru: 'Доступ не меняется.' },
  columns: { en: '| | added | removed | changed |', ru: '| | добавлено | удалено | изменено |' },
  shared: {
    en: 'routes of the gateway network (no single participant)',
    ru: 'маршруты сети шлюзов (не одного участника)',
  },
  moreItems: { en: '… {n} more', ru: '… и ещё {n}' },
  moreParticipants: {
    en: '_… {n} more participants whose access changes ({m} changes) are not shown here._',
    ru: '_… здесь не показаны ещё участники, чей доступ меняется: {n} (изменений: {m})._',
  },
  rest: { en: '### Other changes', ru: '### Прочие изменения' },
  moreRest: { en: '_… {n} more not shown here._', ru: '_… здесь не показаны ещё {n}._' },
  fullList: {
    en: '_The full list ({n} changes): `{command}`._',
    ru: '_Полный список (изменений: {n}): `{command}`._',
  },
} satisfies Record<string, Words>;

const AREA_WORDS: Record<Area, { row: Words; short: Words }> = {
  flows: {
    row: { en: 'flows (firewall set elements)', ru: 'потоки (элементы множеств межсетевого экрана)' },
    short: { en: 'flows', ru: 'потоки' },
  },
  registrations: {
    row: { en: 'bus registrations', ru: 'регистрации в шине' },
    short: { en: 'registrations', ru: 'регистрации' },
  },
  gateways: { row: { en: 'gateways', ru: 'шлюзы' }, short: { en: 'gateways', ru: 'шлюзы' } },
  routes: {
    row: { en: 'links and routes', ru: 'линки и маршруты' },
    short: { en: 'links and routes', ru: 'линки и маршруты' },
  },
};
const SIGN: Record<Direction, string> = { add: '+', remove: '−', change: '~' };

interface AccessChange {
  area: Area;
  direction: Direction;
  message: string;
}

/**
 * Whether a change adds, removes or alters access: a created or deleted resource's changes all
 * do the one; otherwise the diff functions' words say it (set elements, registrations, gateways,
 * links, routes — test/engine-markdown.test.ts feeds this their real output).
 */
function direction(op: string, message: string): Direction {
  if (op === 'create') return 'add';
  if (op === 'delete') return 'remove';
  if (
    /^(set \S+: remove |remove registration |link removed: |gateway route removed: |flows removed )|: remove from host /.test(
      message,
    )
  )
    return 'remove';
  if (/^(set \S+: add |register |gateway route |flows in )|: add on host |^link (?!.*→)/.test(message)) return 'add';
  return 'change';
}

/** A change to someone's access, or undefined for the rest (SSH targets, secrets' names, the state's shape, what refresh found). */
function accessOf(step: StepReport, change: StepReport['changes'][number]): AccessChange | undefined {
  const area = (AREA_OF as Record<string, Area | undefined>)[step.type];
  if (!area || !WRITES.has(step.op)) return undefined;
  // A gateway route serves the gateway network, not one participant; still access.
  if (!change.participant && !/^gateway route /.test(change.message)) return undefined;
  return { area, direction: direction(step.op, change.message), message: change.message };
}

/** The command that lists every change: preview of the same stack and scope, as JSON. */
export function fullListCommand(options: {
  inventory: string;
  contour: string;
  participant?: string;
  refresh?: boolean;
}): string {
  const quote = (value: string) => (/^[\w./=:@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);
  return [
    'prichal preview',
    `--contour ${quote(options.contour)}`,
    ...(options.inventory !== 'inventory' ? [`--inventory ${quote(options.inventory)}`] : []),
    ...(options.participant ? [`--participant ${quote(options.participant)}`] : []),
    ...(options.refresh ? ['--refresh'] : []),
    '--format json',
  ].join(' ');
}

export function engineMarkdown(r: EngineResult, lang: Lang, fullList: string): string {
  // Remembered: a formatter is built per call, and thousands of participants repeat the same small counts.
  const formatted = new Map<number, string>();
  const n = (value: number) => {
    const known = formatted.get(value);
    if (known !== undefined) return known;
    const text = formatNumber(value, lang);
    formatted.set(value, text);
    return text;
  };
  const say = (words: Words, values: Record<string, string> = {}) =>
    words[lang].replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
  const opName = (op: string) => (lang === 'ru' ? (OP_RU[op] ?? op) : op);

  // Access changes by participant ('' for the gateway network's routes), the rest in the engine's order.
  const access = new Map<string, AccessChange[]>();
  const rest: string[] = [];
  for (const step of r.steps) {
    const head = `**${md(opName(step.op))}** ${md(`${step.type} ${step.name}`)}`;
    for (const change of step.changes) {
      const a = accessOf(step, change);
      if (!a) {
        rest.push(`- ${head}: ${md(change.message)}`);
        continue;
      }
      const key = change.participant ?? '';
      const list = access.get(key) ?? [];
      if (!list.length) access.set(key, list);
      list.push(a);
    }
    if (!step.changes.length) rest.push(`- ${head}`);
  }
  const everyChange = [...access.values()].reduce((sum, list) => sum + list.length, 0) + rest.length;
  // Natural order: tmn-sosh-9 before tmn-sosh-12.
  const participants = [...access.keys()]
    .filter((p) => p !== '')
    .sort(new Intl.Collator('en', { numeric: true }).compare);
  const order = [...participants, ...(access.has('') ? [''] : [])];

  const changedResources = r.steps.filter((s) => s.op !== 'same' && s.op !== 'upgrade').length;
  const ops = Object.entries(r.summary)
    .filter(([op, count]) => count > 0 && op !== 'same')
    .map(([op, count]) => (lang === 'ru' ? `${opName(op)}: ${n(count)}` : `${n(count)} ${op}`));
  const head = [
    `## ${say(WORDS.title, { action: r.action, contour: labels(lang).contours[r.contour] })}`,
    '',
    r.changed
      ? `${say(r.action === 'preview' ? WORDS.wouldChange : WORDS.changed, { n: n(changedResources) })}${ops.length ? ` (${ops.join(', ')})` : ''}; ${say(WORDS.participants, { n: n(participants.length) })}.`
      : WORDS.noChanges[lang],
    '',
    WORDS.access[lang],
    '',
  ];
  // The counts: every access change, area by area and direction by direction.
  const counts = (list: readonly AccessChange[], area: Area, d: Direction) =>
    list.filter((c) => c.area === area && c.direction === d).length;
  const all = [...access.values()].flat();
  const table = access.size
    ? [
        WORDS.columns[lang],
        '|---|--:|--:|--:|',
        ...AREAS.map(
          (area) => `| ${AREA_WORDS[area].row[lang]} | ${DIRECTIONS.map((d) => n(counts(all, area, d))).join(' | ')} |`,
        ),
        '',
      ]
    : [WORDS.noAccess[lang], ''];
  /**
   * A participant's block: a line of its counts, then its changes — all of them, a sample (the
   * first of each kind: a flow, a registration, a gateway, a link), or none.
   */
  const block = (participant: string, detail: Detail) => {
    const list = access.get(participant)!;
    const summary = AREAS.flatMap((area) => {
      const signs = DIRECTIONS.flatMap((d) => {
        const c = counts(list, area, d);
        return c ? [`${SIGN[d]}${n(c)}`] : [];
      });
      return signs.length ? [`${AREA_WORDS[area].short[lang]} ${signs.join(' ')}`] : [];
    });
    const items =
      detail === 'all'
        ? list
        : detail === 'sample'
          ? AREAS.flatMap((area) => list.find((c) => c.area === area) ?? [])
          : [];
    const name = participant === '' ? WORDS.shared[lang] : md(participant);
    return [
      `- **${name}**: ${summary.join('; ')}`,
      ...items.map((c) => `  - ${md(c.message)}`),
      ...(detail === 'sample' && list.length > items.length
        ? [`  - ${say(WORDS.moreItems, { n: n(list.length - items.length) })}`]
        : []),
    ];
  };
  const restHead = rest.length ? ['', WORDS.rest[lang], ''] : [];
  const join = (lines: readonly string[]) => `${lines.join('\n')}\n`;

  const whole = join([...head, ...table, ...order.flatMap((p) => block(p, 'all')), ...restHead, ...rest]);
  if (whole.length <= MARKDOWN_LIMIT) return whole;

  // Too long: the counts and the pointer to the full list stay whole; the participants take the
  // room left — every one with its counts and the first ones with a sample of their changes, or,
  // when not even everyone's counts fit, the first ones with a sample each and how many are not
  // shown — keeping some for the other changes, which come after.
  const length = (lines: readonly string[]) => lines.reduce((sum, line) => sum + line.length + 1, 0);
  const tail = ['', say(WORDS.fullList, { n: n(everyChange), command: fullList })];
  // The notes of what was left out, at their longest (every number at its total).
  const notes =
    say(WORDS.moreParticipants, { n: n(order.length), m: n(all.length) }).length +
    say(WORDS.moreRest, { n: n(rest.length) }).length +
    2;
  let restRoom = Math.min(length(rest), REST_ROOM);
  let room = MARKDOWN_LIMIT - length([...head, ...table, ...restHead, ...tail]) - notes - restRoom;
  let shown: string[] = [];
  const countsOnly = order.map((p) => block(p, 'counts'));
  if (length(countsOnly.flat()) <= room) {
    // Everyone's counts fit: the first participants get a sample of their changes while room lasts.
    room -= length(countsOnly.flat());
    let sampling = true;
    for (const [i, p] of order.entries()) {
      const sample = block(p, 'sample');
      const more = length(sample) - length(countsOnly[i]!);
      sampling &&= more <= room;
      if (sampling) room -= more;
      shown.push(...(sampling ? sample : countsOnly[i]!));
    }
  } else {
    let shownParticipants = 0;
    let shownChanges = 0;
    for (const p of order) {
      const lines = block(p, 'sample');
      if (length(lines) > room) break;
      room -= length(lines);
      shown.push(...lines);
      shownParticipants++;
      shownChanges += access.get(p)!.length;
    }
    shown.push(
      say(WORDS.moreParticipants, { n: n(order.length - shownParticipants), m: n(all.length - shownChanges) }),
    );
  }
  restRoom += room;
  const restShown: string[] = [];
  for (const line of rest) {
    if (line.length + 1 > restRoom) break;
    restRoom -= line.length + 1;
    restShown.push(line);
  }
  if (restShown.length < rest.length) restShown.push(say(WORDS.moreRest, { n: n(rest.length - restShown.length) }));
  return join([...head, ...table, ...shown, ...restHead, ...restShown, ...tail]);
}
