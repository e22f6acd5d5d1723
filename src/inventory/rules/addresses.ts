// Address rules: networks never overlap each other or the operator's pools, endpoints live
// inside their participant's networks and use allowed ports.
import ipaddr from 'ipaddr.js';
import { addressValue, cidrInterval, contains, findOverlaps, type Interval } from '../addresses.js';
import type { FieldPath, Words } from '../findings.js';
import { networked, type Rule } from '../model.js';
import type { SourceFile } from '../source.js';

/** A range the overlap check keeps: an operator's pool or address (named), or a participant's network (its owner). */
interface Owned extends Interval {
  source: SourceFile;
  path: FieldPath;
  cidr: string;
  /** The participant whose network it is; undefined for the operator's ranges. */
  owner: string | undefined;
  /** How an operator's range is named in messages. */
  named: Words | undefined;
}

/** Its fields written out: spreading the interval into it made each of 20,000 objects slow to build. */
function owned(cidr: string, source: SourceFile, path: FieldPath, owner: string | undefined, named?: Words): Owned {
  const { start, end } = cidrInterval(cidr);
  return { start, end, source, path, cidr, owner, named };
}

/** How a range is named in messages: worded only for the few that overlap. */
const labelOf = (range: Owned): Words =>
  range.named ?? {
    en: `${range.cidr} of ${range.owner} (${range.source.file})`,
    ru: `сеть ${range.cidr} участника ${range.owner} (${range.source.file})`,
  };

export const subnetsDoNotOverlap: Rule = (inventory, findings) => {
  const ranges: Owned[] = [];
  const operator = inventory.operator;
  if (operator) {
    const op = operator.value;
    const add = (cidr: string, path: FieldPath, named: Words) =>
      ranges.push(owned(cidr, operator.source, path, undefined, named));
    add(op.contours.test.gatewayPool, ['contours', 'test', 'gatewayPool'], {
      en: `the test gatewayPool ${op.contours.test.gatewayPool}`,
      ru: `пул шлюзов тестового контура ${op.contours.test.gatewayPool}`,
    });
    add(op.contours.prod.gatewayPool, ['contours', 'prod', 'gatewayPool'], {
      en: `the prod gatewayPool ${op.contours.prod.gatewayPool}`,
      ru: `пул шлюзов промышленного контура ${op.contours.prod.gatewayPool}`,
    });
    add(op.linkPool, ['linkPool'], { en: `the linkPool ${op.linkPool}`, ru: `пул линков linkPool ${op.linkPool}` });
    op.edges.forEach((edge, i) =>
      add(`${edge.transit}/32`, ['edges', i, 'transit'], {
        en: `the transit address ${edge.transit} of edge ${edge.id}`,
        ru: `транзитный адрес ${edge.transit} узла ${edge.id}`,
      }),
    );
  }
  for (const { value, source } of networked(inventory)) {
    value.networks.forEach((cidr, i) => ranges.push(owned(cidr, source, ['networks', i], value.id)));
  }
  for (const [earlier, later] of findOverlaps(ranges)) {
    // Blame the participant side: the operator's pools are the fixed frame.
    const [blamed, other] =
      later.owner !== undefined || earlier.owner === undefined ? [later, earlier] : [earlier, later];
    findings.at(blamed.source, blamed.path, 'subnet-overlap', {
      en: `${labelOf(blamed).en} overlaps ${labelOf(other).en}; networks must be disjoint from each other, the gateway and link pools and edge transit addresses`,
      ru: `${labelOf(blamed).ru} пересекается с: ${labelOf(other).ru}; сети не должны пересекаться друг с другом, с пулами шлюзов и линков и с транзитными адресами узлов`,
    });
  }
};

export const endpointsInsideNetworks: Rule = (inventory, findings) => {
  for (const { value: p, source } of networked(inventory)) {
    const networks = p.networks.map(cidrInterval);
    p.endpoints.forEach((endpoint, i) => {
      const value = addressValue(endpoint.address);
      if (!networks.some((n) => contains(n, { start: value, end: value }))) {
        findings.at(source, ['endpoints', i, 'address'], 'endpoint-outside-networks', {
          en: `${endpoint.address} is outside the participant's networks (${p.networks.join(', ')}); an endpoint must be inside one of them`,
          ru: `${endpoint.address} вне сетей участника (${p.networks.join(', ')}); точка должна быть внутри одной из них`,
        });
      }
    });
  }
};

export const endpointPortsAllowed: Rule = (inventory, findings) => {
  const allowed = inventory.operator?.value.policy.allowedPorts;
  if (!allowed) return;
  const set = new Set(allowed);
  for (const { value: p, source } of networked(inventory)) {
    p.endpoints.forEach((endpoint, i) => {
      if (!set.has(endpoint.port)) {
        findings.at(source, ['endpoints', i, 'port'], 'port-not-allowed', {
          en: `port ${endpoint.port} is not allowed; policy.allowedPorts accepts ${allowed.join(', ')}`,
          ru: `порт ${endpoint.port} не разрешён; policy.allowedPorts допускает ${allowed.join(', ')}`,
        });
      }
    });
  }
};

// Special-purpose IPv4 ranges (RFC 6890's registry), as ipaddr.js classifies them: none may be
// a participant's network or endpoint — traffic to them never reaches a participant, and a rule
// for 169.254.169.254 or 127.0.0.0/8 on the edge opens something else entirely.
const SPECIAL: Record<string, Words> = {
  unspecified: { en: "'this network' 0.0.0.0/8 (RFC 1122)", ru: 'диапазоне «эта сеть» 0.0.0.0/8 (RFC 1122)' },
  broadcast: { en: 'the limited broadcast address (RFC 919)', ru: 'ограниченном широковещательном адресе (RFC 919)' },
  multicast: { en: 'multicast 224.0.0.0/4 (RFC 5771)', ru: 'групповых адресах 224.0.0.0/4 (RFC 5771)' },
  linkLocal: {
    en: 'link-local 169.254.0.0/16 (RFC 3927; the cloud metadata address 169.254.169.254 is in it)',
    ru: 'локальных адресах канала 169.254.0.0/16 (RFC 3927; в нём адрес метаданных облака 169.254.169.254)',
  },
  loopback: { en: 'loopback 127.0.0.0/8 (RFC 1122)', ru: 'адресах обратной петли 127.0.0.0/8 (RFC 1122)' },
  reserved: {
    en: 'a reserved range: documentation (RFC 5737), benchmarking (RFC 2544), IETF assignments (RFC 6890), 6to4 relay (RFC 7526) or future use (RFC 1112)',
    ru: 'зарезервированном диапазоне: документация (RFC 5737), измерения (RFC 2544), назначения IETF (RFC 6890), ретранслятор 6to4 (RFC 7526) или резерв на будущее (RFC 1112)',
  },
  as112: { en: 'AS112 DNS (RFC 7534)', ru: 'AS112 DNS (RFC 7534)' },
  amt: { en: 'AMT relay (RFC 7450)', ru: 'ретрансляторе AMT (RFC 7450)' },
};

/**
 * ipaddr.js's table of special IPv4 ranges (what its range() matches, in its order: the first
 * match names the range) as numeric intervals, built once: parsing every address with ipaddr.js
 * cost a quarter of a second for 10,000 participants.
 */
const RANGES: ReadonlyArray<{ name: string } & Interval> = Object.entries(
  (ipaddr.IPv4.prototype as unknown as { SpecialRanges: Record<string, Array<[ipaddr.IPv4, number]>> }).SpecialRanges,
).flatMap(([name, subnets]) =>
  subnets.map(([address, length]) => ({ name, ...cidrInterval(`${address.toString()}/${length}`) })),
);

/** ipaddr.js's name for the range of an address given as its 32-bit value. */
const rangeOfValue = (value: number): string =>
  RANGES.find((r) => value >= r.start && value <= r.end)?.name ?? 'unicast';

/** ipaddr.js's name for an address's range (its IPv4 range()), from the numeric table. */
export const rangeOf = (address: string): string => rangeOfValue(addressValue(address));

/** The special-purpose class of an address value, 'public' for globally routed unicast, or undefined for private use. */
function addressClass(value: number): string | undefined {
  const range = rangeOfValue(value);
  if (range === 'unicast') return 'public';
  return SPECIAL[range] ? range : undefined;
}

/** Networks and endpoints use private (or, when the operator allows, public) unicast only; an endpoint is no network's own or broadcast address. */
export const addressesUsable: Rule = (inventory, findings) => {
  const allowPublic = inventory.operator?.value.policy.allowPublicAddresses === true;
  /** `values`: the addresses judged (a network by its first and last); `what` is worded only for a finding. */
  const judge = (source: SourceFile, path: FieldPath, what: () => Words, values: readonly number[]) => {
    const classes = values.map(addressClass);
    const special = classes.find((c) => c && c !== 'public');
    if (special) {
      const named = what();
      findings.at(source, path, 'address-special', {
        en: `${named.en} is in ${SPECIAL[special]!.en}; participants use private addresses`,
        ru: `${named.ru}: адрес в ${SPECIAL[special]!.ru}; участники используют частные адреса`,
      });
    } else if (classes.includes('public') && !allowPublic) {
      const named = what();
      findings.at(
        source,
        path,
        'address-public',
        {
          en: `${named.en} is a public (globally routed) address; participants connect from private ones — set policy.allowPublicAddresses in operator.yaml if the operator accepts this`,
          ru: `${named.ru}: публичный (маршрутизируемый в интернете) адрес; участники подключаются с частных — задайте policy.allowPublicAddresses в operator.yaml, если оператор это допускает`,
        },
        { severity: 'warning' },
      );
    }
  };
  for (const { value: p, source } of networked(inventory)) {
    const networks = p.networks.map((cidr) => {
      const { start, end } = cidrInterval(cidr);
      return { cidr, start, end };
    });
    networks.forEach((n, i) =>
      judge(source, ['networks', i], () => ({ en: `network ${n.cidr}`, ru: `сеть ${n.cidr}` }), [n.start, n.end]),
    );
    p.endpoints.forEach((endpoint, i) => {
      const value = addressValue(endpoint.address);
      judge(
        source,
        ['endpoints', i, 'address'],
        () => ({ en: `endpoint address ${endpoint.address}`, ru: `адрес точки ${endpoint.address}` }),
        [value],
      );
      // /31 and /32 have no network or broadcast address (RFC 3021).
      const edge = networks.find((n) => n.end - n.start >= 3 && (value === n.start || value === n.end));
      if (edge) {
        const network = value === edge.start;
        findings.at(source, ['endpoints', i, 'address'], 'address-special', {
          en: `${endpoint.address} is the ${network ? 'network' : 'broadcast'} address of ${edge.cidr}; an endpoint needs a host address`,
          ru: `${endpoint.address} — ${network ? 'адрес самой сети' : 'широковещательный адрес'} ${edge.cidr}; точке нужен адрес узла`,
        });
      }
    });
  }
};
