// Coverage statistics in the shape of Организация ЮЗЭДО's tables, each reading the system it
// names:
// - connection to electronic document exchange (ЭДО) per district (муниципальный район or
//   городской округ): the share of local governments (ОМСУ), the share of their subordinate
//   institutions and the mean of the two, as the document computes it (Пермский край: 100,00 and
//   97,21 → 98,61). Connected to ЭДО = connected to the regional СЭД (the last stage of its path)
//   or to ГИС «ТОР СЭД». Regional bodies and institutions are not in these shares (the target is
//   «ОМСУ и их подведомственные организации») and are counted apart;
// - «Подключение к ГИС ТОР СЭД» per district, with its urban (г.п.) and rural (с.п.) settlements;
// - the target series by year, with the gap at the date's year.
// The inventory is the source; the date is --at (default today in the operator's time zone).
import { russianDate, type Inventory, type Participant } from '../inventory/index.js';
import { markdownText } from '../escape.js';
import {
  DISTRICTS,
  edoConnected,
  LOCAL_GOVERNMENTS,
  MUNICIPAL_SUBORDINATE,
  SETTLEMENTS,
  torSedConnected,
} from '../requirements/index.js';

/** Организация ЮЗЭДО: «Доля электронного юридически значимого документооборота …», 2021–2030, percent. */
export const DEFAULT_EDO_TARGETS: Readonly<Record<string, number>> = {
  2021: 11,
  2022: 18,
  2023: 25,
  2024: 32,
  2025: 39,
  2026: 46,
  2027: 53,
  2028: 68,
  2029: 84,
  2030: 100,
};

export interface Share {
  connected: number;
  total: number;
  /** Percent with two decimals, or null when the group is empty. */
  percent: number | null;
}

export interface DistrictRow {
  /** District name, or "Итого по региону". */
  district: string;
  omsu: Share;
  institutions: Share;
  /** «Среднее значение подключенных к ЭДО»: the mean of the two shares (the one present when the other group is empty). */
  average: number | null;
}

export interface SettlementRow {
  id: string;
  name: string;
  /** г.п. (urban) or с.п. (rural). */
  type: 'г.п.' | 'с.п.';
  torSed: boolean;
}

export interface Coverage {
  at: string;
  region: DistrictRow;
  districts: DistrictRow[];
  /** Executive and other state bodies and their organisations: outside the municipal shares. */
  regional: Share;
  settlements: Array<{ district: string; torSed: boolean | null; settlements: SettlementRow[] }>;
  targets: Array<{ year: number; percent: number }>;
  /** The target of the date's year and how far the region's mean is below it (0 when met). */
  target: { year: number; percent: number; gap: number } | null;
}

export const UNKNOWN_DISTRICT = 'район не указан';

/** Percent of c in t in hundredths (integer), so that means round like the source document's. */
const hundredths = (c: number, t: number) => Math.round((c * 10000) / t);

function share(group: readonly Participant[], connected: (p: Participant) => boolean): Share {
  const c = group.filter(connected).length;
  return { connected: c, total: group.length, percent: group.length ? hundredths(c, group.length) / 100 : null };
}

/**
 * The mean of two shares as Организация ЮЗЭДО prints it: from the shares' two decimals, half up
 * ((100,00 + 97,21) / 2 = 98,605 → 98,61). In hundredths, so binary fractions cannot round it down.
 */
export function meanOfShares(a: number | null, b: number | null): number | null {
  const present = [a, b].filter((x): x is number => x !== null).map((x) => Math.round(x * 100));
  if (!present.length) return null;
  return Math.round(present.reduce((s, x) => s + x, 0) / present.length) / 100;
}

function row(district: string, group: readonly Participant[], connected: (p: Participant) => boolean): DistrictRow {
  const omsu = share(
    group.filter((p) => LOCAL_GOVERNMENTS.has(p.kind)),
    connected,
  );
  const institutions = share(
    group.filter((p) => MUNICIPAL_SUBORDINATE.has(p.kind)),
    connected,
  );
  return { district, omsu, institutions, average: meanOfShares(omsu.percent, institutions.percent) };
}

/** A participant's district: its own field, else a district administration's own name, else its coordinator's district. */
export function districtResolver(participants: readonly Participant[]): (p: Participant) => string {
  const byId = new Map(participants.map((p) => [p.id, p]));
  const memo = new Map<string, string>();
  const resolve = (p: Participant, seen: Set<string>): string => {
    const known = memo.get(p.id);
    if (known !== undefined) return known;
    let district = p.district ?? (DISTRICTS.has(p.kind) ? p.name : undefined);
    const coordinator = p.coordinatedBy === undefined ? undefined : byId.get(p.coordinatedBy);
    if (district === undefined && coordinator && !seen.has(coordinator.id))
      district = resolve(coordinator, seen.add(p.id));
    memo.set(p.id, district ?? UNKNOWN_DISTRICT);
    return district ?? UNKNOWN_DISTRICT;
  };
  return (p) => resolve(p, new Set());
}

export function coverage(inventory: Inventory, at: string): Coverage {
  const participants = inventory.participants.map((p) => p.value);
  const connected = (p: Participant) => edoConnected(p, at);
  const districtOf = districtResolver(participants);
  const municipal = participants.filter((p) => LOCAL_GOVERNMENTS.has(p.kind) || MUNICIPAL_SUBORDINATE.has(p.kind));
  const names = [...new Set(municipal.map(districtOf))].sort((a, b) => a.localeCompare(b, 'ru'));
  const region = row('Итого по региону', municipal, connected);

  const settlementDistricts = [...new Set(participants.filter((p) => SETTLEMENTS.has(p.kind)).map(districtOf))].sort(
    (a, b) => a.localeCompare(b, 'ru'),
  );
  const settlements = settlementDistricts.map((district) => {
    const administration = participants.find((p) => DISTRICTS.has(p.kind) && districtOf(p) === district);
    return {
      district,
      torSed: administration ? torSedConnected(administration, at) : null,
      settlements: participants
        .filter((p) => SETTLEMENTS.has(p.kind) && districtOf(p) === district)
        .sort((a, b) =>
          a.kind === b.kind ? a.name.localeCompare(b.name, 'ru') : a.kind === 'urban-settlement' ? -1 : 1,
        )
        .map(
          (p): SettlementRow => ({
            id: p.id,
            name: p.name,
            type: p.kind === 'urban-settlement' ? 'г.п.' : 'с.п.',
            torSed: torSedConnected(p, at),
          }),
        ),
    };
  });

  const series = inventory.operator?.value.edoTargets ?? DEFAULT_EDO_TARGETS;
  const targets = Object.entries(series)
    .map(([year, percent]) => ({ year: Number(year), percent }))
    .sort((a, b) => a.year - b.year);
  const year = Number(at.slice(0, 4));
  const current = targets.find((t) => t.year === year);
  return {
    at,
    region,
    districts: names.map((d) =>
      row(
        d,
        municipal.filter((p) => districtOf(p) === d),
        connected,
      ),
    ),
    regional: share(
      participants.filter(
        (p) => !LOCAL_GOVERNMENTS.has(p.kind) && !MUNICIPAL_SUBORDINATE.has(p.kind) && p.kind !== 'other',
      ),
      connected,
    ),
    settlements,
    targets,
    target: current
      ? { ...current, gap: Math.max(0, Math.round((current.percent - (region.average ?? 0)) * 100) / 100) }
      : null,
  };
}

const pct = (x: number | null) => (x === null ? '—' : `${x.toFixed(2).replace('.', ',')}%`);
const yes = (x: boolean | null) => (x === null ? '—' : x ? 'да' : 'нет');
const count = (s: Share) => `${pct(s.percent)} (${s.connected}/${s.total})`;

export function coverageMarkdown(c: Coverage): string {
  const lines = [
    `**Доля ОМСУ и подведомственных учреждений, подключённых к ЭДО** на ${russianDate(c.at)}`,
    '',
    'Подключение к ЭДО: к региональной СЭД (выданы учётные данные или введён в эксплуатацию коннектор) или к ГИС «ТОР СЭД».',
    '',
    '| Район / городской округ | Среднее значение подключенных к ЭДО | Доля ОМСУ подключенных к ЭДО | Доля подведомственных учреждений подключенных к ЭДО |',
    '|---|---|---|---|',
    ...[c.region, ...c.districts].map(
      (r) => `| ${markdownText(r.district)} | ${pct(r.average)} | ${count(r.omsu)} | ${count(r.institutions)} |`,
    ),
    '',
    `Региональные органы власти и их подведомственные организации (в доли ОМСУ не входят): подключено к ЭДО ${count(c.regional)}.`,
    '',
    '**Целевые значения: доля юридически значимого электронного документооборота, %**',
    '',
    `| Год | ${c.targets.map((t) => t.year).join(' | ')} |`,
    `|---|${c.targets.map(() => '---').join('|')}|`,
    `| Цель | ${c.targets.map((t) => String(t.percent).replace('.', ',')).join(' | ')} |`,
    '',
    c.target
      ? `На ${c.target.year} год: цель ${String(c.target.percent).replace('.', ',')}%, среднее по региону ${pct(c.region.average)}; ${c.target.gap > 0 ? `отставание ${pct(c.target.gap)}` : 'цель достигнута'}.`
      : `Цель на ${c.at.slice(0, 4)} год не задана (edoTargets в operator.yaml).`,
    '',
    '**ПОДКЛЮЧЕНИЕ К ГИС ТОР СЭД ПОСЕЛЕНИЙ РАЙОНА**',
    '',
    '| Район/Поселение | Подключение к ГИС ТОР СЭД |',
    '|---|---|',
  ];
  for (const d of c.settlements) {
    lines.push(`| **${markdownText(d.district)}** | ${yes(d.torSed)} |`);
    for (const s of d.settlements) lines.push(`| ${markdownText(s.name)} (${s.type}) | ${yes(s.torSed)} |`);
  }
  return `${lines.join('\n')}\n`;
}
