// Gateway hosts (operator.yaml gateways.hosts): ids unique; every host but the first (the primary,
// on the contours' Docker networks) reached via its transit address and holding, per contour with
// registrations, a slice of that contour's gateway pool that no other slice overlaps.
import { cidrInterval, contains, findOverlaps, type Interval } from '../addresses.js';
import { quoted, type FieldPath } from '../findings.js';
import { CONTOURS, networked, repeats, type ContourName, type Rule } from '../model.js';

interface Slice extends Interval {
  host: string;
  cidr: string;
  path: FieldPath;
}

export const gatewayHostsConsistent: Rule = (inventory, findings) => {
  const operator = inventory.operator;
  const hosts = operator?.value.gateways?.hosts;
  if (!operator || !hosts) return;
  const at = (path: FieldPath, code: 'duplicate-id' | 'subnet-overlap' | 'schema', en: string, ru: string) =>
    findings.at(operator.source, ['gateways', 'hosts', ...path], code, { en, ru });

  for (const { key: id, repeat } of repeats(
    hosts.map((host, index) => ({ id: host.id, index })),
    (h) => h.id,
  ))
    at(
      [repeat.index, 'id'],
      'duplicate-id',
      `gateways.hosts id ${quoted(id)} appears more than once`,
      `id ${quoted(id)} в gateways.hosts встречается больше одного раза`,
    );

  // A contour whose registrations may need a gateway on any host needs a slice on every other host.
  const registered = new Set<ContourName>(
    networked(inventory).flatMap(({ value }) => CONTOURS.filter((c) => value.registrations[c])),
  );
  const slices: Record<ContourName, Slice[]> = { test: [], prod: [] };
  hosts.forEach((host, i) => {
    if (i === 0) {
      for (const contour of CONTOURS)
        if (host.slices?.[contour])
          at(
            [i, 'slices', contour],
            'schema',
            `the first host (${host.id}) is the primary: its gateways take the pool outside every slice, so it has no slice; slices are for the other hosts`,
            `первый хост (${host.id}) — основной: его шлюзы берут адреса пула вне всех срезов, поэтому среза у него нет; срезы задаются остальным хостам`,
          );
      return;
    }
    if (!host.transit)
      at(
        [i, 'transit'],
        'schema',
        `missing required field 'transit': every host but the first is reached via its transit address (the edges and the hub route its slices there)`,
        `нет обязательного поля 'transit': каждый хост, кроме первого, доступен через транзитный адрес (пограничные узлы и хаб направляют туда его срезы)`,
      );
    for (const contour of CONTOURS) {
      const cidr = host.slices?.[contour];
      if (!cidr) {
        if (registered.has(contour))
          at(
            [i, 'slices', contour],
            'schema',
            `missing required field 'slices.${contour}': the ${contour} contour has registrations, and host ${host.id} takes its gateway addresses from its slice of contours.${contour}.gatewayPool`,
            `нет обязательного поля 'slices.${contour}': в контуре ${contour} есть регистрации, а хост ${host.id} берёт адреса шлюзов из своего среза contours.${contour}.gatewayPool`,
          );
        continue;
      }
      const pool = operator.value.contours[contour].gatewayPool;
      const slice = { ...cidrInterval(cidr), host: host.id, cidr, path: [i, 'slices', contour] };
      if (!contains(cidrInterval(pool), slice))
        at(
          slice.path,
          'subnet-overlap',
          `slice ${cidr} of host ${host.id} must be inside contours.${contour}.gatewayPool ${pool}`,
          `срез ${cidr} хоста ${host.id} должен быть внутри contours.${contour}.gatewayPool ${pool}`,
        );
      slices[contour].push(slice);
    }
  });
  for (const contour of CONTOURS)
    for (const [earlier, later] of findOverlaps(slices[contour]))
      at(
        later.path,
        'subnet-overlap',
        `slice ${later.cidr} of host ${later.host} overlaps slice ${earlier.cidr} of host ${earlier.host}; each host's slice is its own`,
        `срез ${later.cidr} хоста ${later.host} пересекается со срезом ${earlier.cidr} хоста ${earlier.host}; у каждого хоста свой срез`,
      );
};
