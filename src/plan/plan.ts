// The plan: a pure function of the validated inventory and the recorded allocations. Same
// input, byte-identical output; every later stage (render, Pulumi program, documents, drift)
// consumes it and derives nothing again.
import { stringify } from 'yaml';
import type { Finding, Words } from '../inventory/findings.js';
import { YamlEditError, YamlEditor } from '../inventory/edit.js';
import { idOfFile, type LoadedFile } from '../inventory/load.js';
import { circuitEnd } from '../inventory/circuits.js';
import {
  CONTOURS,
  Findings,
  networked,
  type ContourName,
  type Inventory,
  type Located,
  type NetworkedParticipant,
} from '../inventory/model.js';
import { allocateLinks, type AllocationRequest, type AllocationResult, type RecordedAllocations } from './allocate.js';
import { planEdges } from './firewall.js';
import { planCoordinators } from './coordinators.js';
import { placeGatewayHosts, type GatewayHostsPlaced } from './gateway-hosts.js';
import { notProvisionedReason } from './lifecycle.js';
import { PLAN_VERSION, type Plan, type PlannedContour, type PlannedEndpoint, type PlannedLink } from './model.js';

/** The mapping keys of allocations.yaml. */
const ALLOCATION_KEYS = ['gateways', 'links', 'gatewayHosts'];

/**
 * The recorded allocations are the operator's memory of what is deployed, so they are read
 * strictly: a file that is not the expected shape, an unknown contour or key, a value that is
 * not text, and one address recorded for two participants are errors (the inventory does not
 * validate, nothing is applied); an entry for a participant the inventory no longer has is a
 * warning (`plan --save` drops it). Nothing is renumbered silently.
 */
function readRecorded(
  file: LoadedFile | undefined,
  findings: Findings,
  known: ReadonlySet<string>,
): RecordedAllocations {
  const recorded: RecordedAllocations = { gateways: { test: {}, prod: {} }, links: {}, gatewayHosts: {} };
  if (!file || file.data === undefined || file.data === null) return recorded;
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const shape =
    '`gateways: { test: { <participant>: <address> }, prod: {…} }`, `links: { <participant>: <address> }`, `gatewayHosts: { <participant>: <host id> }`';
  /** What a value is instead, as the messages name it. */
  const kindOf = (v: unknown): Words =>
    Array.isArray(v) ? { en: 'a list', ru: 'список' } : { en: typeof v, ru: typeof v };
  if (!isMap(file.data)) {
    findings.at(file.source, [], 'schema', {
      en: `must be a mapping, not ${kindOf(file.data).en}; allocations.yaml holds ${shape}`,
      ru: `должен быть словарём, а не: ${kindOf(file.data).ru}; в allocations.yaml записываются ${shape}`,
    });
    return recorded;
  }
  for (const key of Object.keys(file.data)) {
    if (!ALLOCATION_KEYS.includes(key))
      findings.at(
        file.source,
        [key],
        'schema',
        {
          en: `unknown key '${key}'; allocations.yaml holds ${shape}`,
          ru: `неизвестный ключ '${key}'; в allocations.yaml записываются ${shape}`,
        },
        { key: true },
      );
  }
  /** `shared`: many participants may hold one value (a host), so a repeated value is no error. */
  const entries = (where: (string | number)[], value: unknown, what: Words, shared = false): Record<string, string> => {
    if (value === undefined || value === null) return {};
    if (!isMap(value)) {
      findings.at(file.source, where, 'schema', {
        en: `must map participant ids to ${what.en}, not ${kindOf(value).en}`,
        ru: `должен сопоставлять идентификаторам участников ${what.ru}, а не: ${kindOf(value).ru}`,
      });
      return {};
    }
    const out: Record<string, string> = {};
    const holder = new Map<string, string>();
    for (const [id, address] of Object.entries(value)) {
      if (typeof address !== 'string') {
        findings.at(file.source, [...where, id], 'schema', {
          en: `must be ${what.en} as text, not ${typeof address}`,
          ru: `должен быть текстом (${what.ru}), а не ${typeof address}`,
        });
        continue;
      }
      if (!known.has(id))
        findings.at(
          file.source,
          [...where, id],
          'allocation-unknown',
          {
            en: `${address} is recorded for '${id}', which is not in the inventory; 'prichal plan --save' drops it`,
            ru: `${address} записан за '${id}', которого нет в реестре; 'prichal plan --save' уберёт запись`,
          },
          { severity: 'warning', key: true },
        );
      const other = shared ? undefined : holder.get(address);
      if (other !== undefined) {
        findings.at(file.source, [...where, id], 'allocation-duplicate', {
          en: `${address} is recorded for both ${other} and ${id}; one address belongs to one participant — correct the file to what is deployed`,
          ru: `${address} записан и за ${other}, и за ${id}; адрес принадлежит одному участнику — исправьте файл по тому, что развёрнуто`,
        });
        continue;
      }
      holder.set(address, id);
      out[id] = address;
    }
    return out;
  };
  const gateways = file.data.gateways;
  if (gateways !== undefined && gateways !== null && !isMap(gateways)) {
    findings.at(file.source, ['gateways'], 'schema', {
      en: `must map contours (test, prod) to allocations, not ${kindOf(gateways).en}`,
      ru: `должен сопоставлять контурам (test, prod) их распределения, а не: ${kindOf(gateways).ru}`,
    });
  } else if (isMap(gateways)) {
    for (const key of Object.keys(gateways)) {
      if (!(CONTOURS as readonly string[]).includes(key))
        findings.at(
          file.source,
          ['gateways', key],
          'schema',
          {
            en: `unknown contour '${key}'; the contours are ${CONTOURS.join(' and ')}`,
            ru: `неизвестный контур '${key}'; контуры: ${CONTOURS.join(' и ')}`,
          },
          { key: true },
        );
    }
    for (const contour of CONTOURS)
      recorded.gateways[contour] = entries(['gateways', contour], gateways[contour], {
        en: 'gateway addresses',
        ru: 'адреса шлюзов',
      });
  }
  recorded.links = entries(['links'], file.data.links, { en: '/31 links', ru: 'линки /31' });
  recorded.gatewayHosts = entries(
    ['gatewayHosts'],
    file.data.gatewayHosts,
    { en: 'gateway host ids', ru: 'идентификаторы хостов шлюзов' },
    true,
  );
  return recorded;
}

/** The registration's endpoints, each once, in id order (ids sorted first: the lookup is then a scan of a few). */
function plannedEndpoints(p: NetworkedParticipant, ids: readonly string[]): PlannedEndpoint[] {
  const sorted = [...ids].sort();
  const planned: PlannedEndpoint[] = [];
  // A participant has a few endpoints; a map only for a file that lists many (a scan per id would be quadratic).
  const byId = p.endpoints.length > 8 ? new Map(p.endpoints.map((e) => [e.id, e])) : undefined;
  for (let i = 0; i < sorted.length; i++) {
    const id = sorted[i]!;
    if (i > 0 && sorted[i - 1] === id) continue;
    const e = byId ? byId.get(id) : p.endpoints.find((x) => x.id === id);
    if (e)
      planned.push({
        id: e.id,
        purpose: e.purpose,
        address: e.address,
        port: e.port,
        protocol: e.protocol,
        path: e.path ?? '/',
      });
  }
  return planned;
}

export interface PlanResult {
  /** Undefined when there is no valid operator file to plan against. */
  plan: Plan | undefined;
  findings: Finding[];
}

/**
 * The plan's decisions and their findings: every address allocated (gateways per contour, /31
 * links), every recorded allocation checked. What `prichal validate` needs of the plan; the plan
 * itself (materializePlan) is built from it by the commands that use it.
 */
export interface Allocated {
  inventory: Inventory;
  participants: Located<NetworkedParticipant>[];
  byId: Map<string, Located<NetworkedParticipant>>;
  gateways: Record<ContourName, AllocationResult>;
  links: AllocationResult;
  /** The gateway hosts, each participant's host and the routes to the other hosts' slices. */
  gatewayHosts: Omit<GatewayHostsPlaced, 'gateways'>;
}

export interface PlanOptions {
  /** Explicit gateway moves, participant → host id (`plan --move-gateway`); checked by the caller. */
  moves?: ReadonlyMap<string, string>;
}

/** `listed`: every participant file found, read or not (an allocation for a file with an error is not "unknown"). */
export function allocatePlan(
  inventory: Inventory,
  allocationsFile?: LoadedFile,
  listed: readonly string[] = [],
  options: PlanOptions = {},
): { allocated: Allocated | undefined; findings: Finding[] } {
  const findings = new Findings();
  const operator = inventory.operator;
  if (!operator) return { allocated: undefined, findings: [] };
  // Hosted-only participants (no channel) have nothing to plan.
  const participants = networked(inventory).sort((a, b) => (a.value.id < b.value.id ? -1 : 1));
  const known = new Set([...inventory.participants.map((p) => p.value.id), ...listed.map(idOfFile)]);
  const recorded = readRecorded(allocationsFile, findings, known);
  const byId = new Map(participants.map((p) => [p.value.id, p]));

  // Records of participants still in the inventory (known) that ask for nothing now: kept reserved.
  const reservedFor = (
    records: Record<string, string>,
    requests: readonly AllocationRequest[],
  ): AllocationRequest[] => {
    const asking = new Set(requests.map((r) => r.owner));
    return Object.entries(records)
      .filter(([owner]) => known.has(owner) && !asking.has(owner))
      .map(([owner, value]) => ({ owner, recorded: value }));
  };

  const reportAllocation = (
    result: AllocationResult,
    pool: string,
    poolPath: string,
    fieldPath: (id: string) => (string | number)[],
  ) => {
    for (const owner of result.exhausted) {
      const p = byId.get(owner)!;
      findings.at(p.source, fieldPath(owner), 'pool-exhausted', {
        en: `${poolPath} ${pool} has no free address left for ${owner}; widen the pool or remove participants`,
        ru: `в ${poolPath} ${pool} не осталось свободного адреса для ${owner}; расширьте пул или уберите участников`,
      });
    }
    for (const a of result.allocations.filter((x) => x.moved)) {
      findings.at(
        byId.get(a.owner)!.source,
        fieldPath(a.owner),
        'allocation-moved',
        {
          en: `recorded allocation ${a.moved!.en}; ${a.owner} gets ${a.value} instead`,
          ru: `записанное распределение ${a.moved!.ru}; ${a.owner} получает вместо него ${a.value}`,
        },
        { severity: 'warning' },
      );
    }
  };

  const { gateways, ...gatewayHosts } = placeGatewayHosts({
    operator,
    participants,
    recorded,
    known,
    allocationsSource: allocationsFile?.source,
    moves: options.moves ?? new Map(),
    findings,
    reservedFor,
    report: (result, range, rangePath, contour) =>
      reportAllocation(result, range, rangePath, () => ['registrations', contour]),
  });

  // An explicit link in the participant file wins over the record; 'auto' takes the record.
  const leased = participants.filter((p) => p.value.channel.type === 'leased-line' && p.value.channel.leasedLine?.link);
  const linkRequests = leased.map((p) => {
    const link = p.value.channel.leasedLine!.link!;
    return { owner: p.value.id, recorded: link === 'auto' ? recorded.links[p.value.id] : link };
  });
  const links = allocateLinks(operator.value.linkPool, linkRequests, reservedFor(recorded.links, linkRequests));
  for (const a of links.allocations.filter((x) => x.moved)) {
    const p = byId.get(a.owner)!;
    if (p.value.channel.leasedLine!.link !== 'auto') {
      findings.at(p.source, ['channel', 'leasedLine', 'link'], 'subnet-overlap', {
        en: `link ${p.value.channel.leasedLine!.link} must be a free /31 inside linkPool ${operator.value.linkPool}`,
        ru: `линк ${p.value.channel.leasedLine!.link} должен быть свободной сетью /31 внутри linkPool ${operator.value.linkPool}`,
      });
      delete a.moved;
    }
  }
  reportAllocation(links, operator.value.linkPool, 'linkPool', () => ['channel', 'leasedLine', 'link']);
  return { allocated: { inventory, participants, byId, gateways, links, gatewayHosts }, findings: findings.items };
}

/** The plan from its allocations: registrations and pending ones per contour, links, edge flows. */
export function materializePlan({
  inventory,
  participants,
  byId,
  gateways,
  links: linkResult,
  gatewayHosts,
}: Allocated): Plan {
  const operator = inventory.operator!;
  const contours = {} as Record<ContourName, PlannedContour>;
  for (const contour of CONTOURS) {
    const { gatewayPool, bus } = operator.value.contours[contour];
    const pending: PlannedContour['pending'] = [];
    for (const { value: p } of participants) {
      const registration = p.registrations[contour];
      const reason = registration && notProvisionedReason(registration);
      if (registration && reason)
        pending.push({
          participant: p.id,
          mnemonic: registration.mnemonic,
          status: registration.status,
          reason: reason.en,
          reasonRu: reason.ru,
        });
    }
    contours[contour] = {
      gatewayPool,
      vhost: bus.vhost,
      pending,
      kept: gateways[contour].kept.map((a) => ({ participant: a.owner, gateway: a.value })),
      registrations: gateways[contour].allocations.map((allocation) => {
        const p = byId.get(allocation.owner)!.value;
        const registration = p.registrations[contour]!;
        return {
          participant: p.id,
          name: p.name,
          mnemonic: registration.mnemonic,
          status: registration.status,
          channel: p.channel.type,
          edge: p.channel.edge,
          gateway: allocation.value,
          networks: [...p.networks].sort(),
          endpoints: plannedEndpoints(p, registration.endpoints),
          messageTypes: [...(registration.messageTypes ?? [])].sort(),
          newAllocation: allocation.fresh,
          host: gatewayHosts.hostOf.get(p.id)!,
          ...(gatewayHosts.movedFrom.has(p.id) ? { hostMovedFrom: gatewayHosts.movedFrom.get(p.id)! } : {}),
        };
      }),
    };
  }
  const links: PlannedLink[] = linkResult.allocations.map((a) => {
    const [address] = a.value.split('/');
    const octets = address!.split('.');
    const upper = [...octets.slice(0, 3), String(Number(octets[3]) + 1)].join('.');
    const { channel, networks } = byId.get(a.owner)!.value;
    const circuits = operator.value.edges.find((e) => e.id === channel.edge)?.circuits;
    return {
      participant: a.owner,
      edge: channel.edge,
      link: a.value,
      edgeAddress: address!,
      participantAddress: upper,
      newAllocation: a.fresh,
      networks: [...networks],
      circuit: circuitEnd(circuits, channel.leasedLine) ?? null,
    };
  });
  const keptLinks = linkResult.kept.map((a) => ({ participant: a.owner, link: a.value }));
  return {
    version: PLAN_VERSION,
    contours,
    links,
    keptLinks,
    edges: planEdges(inventory, contours),
    gatewayHosts: gatewayHosts.hosts,
    gatewayRoutes: gatewayHosts.routes,
    keptGatewayHosts: gatewayHosts.keptHosts,
    coordinators: planCoordinators(inventory, participants, contours),
  };
}

/** `listed`: every participant file found, read or not (an allocation for a file with an error is not "unknown"). */
export function buildPlan(
  inventory: Inventory,
  allocationsFile?: LoadedFile,
  listed: readonly string[] = [],
): PlanResult {
  const { allocated, findings } = allocatePlan(inventory, allocationsFile, listed);
  return { plan: allocated && materializePlan(allocated), findings };
}

const ALLOCATIONS_HEADER = `# Address allocations, written by \`prichal plan --save\`. Reviewed in pull requests like any
# inventory change: a participant keeps its addresses for as long as it is in the inventory.
`;

const sorted = <T>(entries: Array<[string, T]>): Record<string, T> =>
  Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** What allocations.yaml records for a plan, every mapping sorted by key. */
function allocationsData(plan: Plan) {
  const gateways = sorted(
    CONTOURS.map((contour) => [
      contour,
      sorted(
        [...plan.contours[contour].registrations, ...plan.contours[contour].kept].map((r) => [
          r.participant,
          r.gateway,
        ]),
      ),
    ]),
  );
  const links = sorted([...plan.links, ...plan.keptLinks].map((l) => [l.participant, l.link]));
  // Hosts are recorded only once operator.yaml declares them: until then every gateway is on the one local host.
  if (plan.gatewayHosts.some((h) => h.implicit)) return { gateways, links };
  const gatewayHosts = sorted([
    ...new Map([
      ...CONTOURS.flatMap((c) => plan.contours[c].registrations.map((r): [string, string] => [r.participant, r.host])),
      ...plan.keptGatewayHosts.map((k): [string, string] => [k.participant, k.host]),
    ]),
  ]);
  return { gateways, links, gatewayHosts };
}

/** The allocations.yaml text for a plan: sorted, stable, reviewable. */
export function renderAllocations(plan: Plan): string {
  return ALLOCATIONS_HEADER + stringify(allocationsData(plan), { sortMapEntries: true });
}

/**
 * allocations.yaml after `plan --save`: the recorded file changed in place (the in-place editor:
 * a new entry in its sorted place, a dropped one removed, comments and every other line kept), or
 * written anew when there is none or its layout cannot be edited in place.
 */
export function savedAllocations(plan: Plan, current: string | undefined): string {
  if (current === undefined || !current.trim()) return renderAllocations(plan);
  const { gateways, links, gatewayHosts } = allocationsData(plan);
  try {
    const editor = new YamlEditor(current, 'allocations.yaml').set(['gateways'], gateways).set(['links'], links);
    return (gatewayHosts ? editor.set(['gatewayHosts'], gatewayHosts) : editor).text;
  } catch (error) {
    if (error instanceof YamlEditError) return renderAllocations(plan);
    throw error;
  }
}
