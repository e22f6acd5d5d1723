// Coverage statistics in the shape of seed 002's tables: per coordinating body the share of
// local governments (ОМСУ, including settlement administrations) and of subordinate institutions
// connected, and their average; and district → settlement → connected. "Connected" means
// registered in the production contour; the inventory is the source.
import type { Inventory, Participant } from '../inventory/index.js';
import { markdownText } from '../escape.js';

const OMSU: ReadonlySet<Participant['kind']> = new Set(['local-government', 'rural-settlement']);
const INSTITUTIONS: ReadonlySet<Participant['kind']> = new Set(['state-institution', 'municipal-institution']);

export interface Share {
  connected: number;
  total: number;
  /** Percent with two decimals, or null when the group is empty. */
  percent: number | null;
}

export interface CoverageRow {
  /** Coordinating body id, or "" for the whole region. */
  coordinator: string;
  name: string;
  omsu: Share;
  institutions: Share;
  /** Average of the non-empty shares (seed 002: "Среднее значение подключенных к ЭДО"). */
  average: number | null;
}

export interface Coverage {
  rows: CoverageRow[];
  settlements: Array<{ district: string; connected: boolean | null; settlements: Array<{ id: string; name: string; connected: boolean }> }>;
}

const connected = (p: Participant) => Boolean(p.registrations.prod);
const round = (x: number) => Math.round(x * 100) / 100;

function share(group: Participant[]): Share {
  const c = group.filter(connected).length;
  return { connected: c, total: group.length, percent: group.length ? round((c / group.length) * 100) : null };
}

function row(coordinator: string, name: string, group: Participant[]): CoverageRow {
  const omsu = share(group.filter((p) => OMSU.has(p.kind)));
  const institutions = share(group.filter((p) => INSTITUTIONS.has(p.kind)));
  const present = [omsu.percent, institutions.percent].filter((x): x is number => x !== null);
  return { coordinator, name, omsu, institutions, average: present.length ? round(present.reduce((a, b) => a + b, 0) / present.length) : null };
}

export function coverage(inventory: Inventory): Coverage {
  const participants = inventory.participants.map((p) => p.value);
  const byId = new Map(participants.map((p) => [p.id, p]));
  const coordinators = [...new Set(participants.map((p) => p.coordinatedBy).filter((x): x is string => Boolean(x)))].sort();
  const rows = [
    row('', 'Итого по региону', participants),
    ...coordinators.map((c) => row(c, byId.get(c)?.name ?? c, participants.filter((p) => p.coordinatedBy === c))),
  ];
  const districts = [...new Set(participants.filter((p) => p.kind === 'rural-settlement').map((p) => p.district ?? 'район не указан'))].sort();
  const settlements = districts.map((district) => {
    const administration = participants.find((p) => p.kind === 'local-government' && p.district === district);
    return {
      district,
      connected: administration ? connected(administration) : null,
      settlements: participants
        .filter((p) => p.kind === 'rural-settlement' && (p.district ?? 'район не указан') === district)
        .sort((a, b) => a.name.localeCompare(b.name, 'ru'))
        .map((p) => ({ id: p.id, name: p.name, connected: connected(p) })),
    };
  });
  return { rows, settlements };
}

const pct = (x: number | null) => (x === null ? '—' : `${x.toFixed(2).replace('.', ',')}%`);
const yes = (x: boolean | null) => (x === null ? '—' : x ? 'да' : 'нет');

export function coverageMarkdown(c: Coverage): string {
  const lines = [
    '**Доля ОМСУ и подведомственных учреждений, подключённых к ЭДО** (подключение = регистрация в продуктивном контуре)',
    '',
    '| Координирующий орган | Среднее значение подключенных к ЭДО | Доля ОМСУ подключенных к ЭДО | Доля подведомственных учреждений подключенных к ЭДО |',
    '|---|---|---|---|',
    ...c.rows.map((r) => `| ${markdownText(r.name)} | ${pct(r.average)} | ${pct(r.omsu.percent)} (${r.omsu.connected}/${r.omsu.total}) | ${pct(r.institutions.percent)} (${r.institutions.connected}/${r.institutions.total}) |`),
    '',
    '**ПОДКЛЮЧЕНИЕ К СЭД СЕЛЬСКИХ ПОСЕЛЕНИЙ РАЙОНА**',
    '',
    '| Район/Сельское поселение | Подключение к СЭД |',
    '|---|---|',
  ];
  for (const d of c.settlements) {
    lines.push(`| **${markdownText(d.district)}** | ${yes(d.connected)} |`);
    for (const s of d.settlements) lines.push(`| ${markdownText(s.name)} | ${yes(s.connected)} |`);
  }
  return `${lines.join('\n')}\n`;
}
