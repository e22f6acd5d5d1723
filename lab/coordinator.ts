// The lab's ViPNet coordinator configuration: an iplir.conf for the hub's coordinator edge, written
// from the inventory by the lab's own writer (never Prichal's renderer, so that the audit is not
// checked against itself), in the layout of a coordinator's file: KOI8-R, CRLF, the coordinator's
// own section, the two filter pseudo-nodes, then one [id] per approved participant tunnelling its
// networks (host addresses only, .1 to the last but one, as administrators write them), with the
// [adapter], [misc] and [servers] sections a real file has. The edge's SSH user may read it.
import { docker } from '../src/infra/index.js';
import { cidrInterval, formatAddress } from '../src/inventory/index.js';
import type { PlannedCoordinator } from '../src/plan/index.js';

export const LAB_VIPNET_VERSION = '4.5.3-57';

/** The file's text (UTF-8 here; iconv makes it KOI8-R on the edge). */
export function labCoordinatorConfig(coordinator: PlannedCoordinator, transit: string): string {
  const id = (hex: string) => `0x${hex.slice(2).toLowerCase()}`;
  const out = [
    `# iplir.conf: координатор ${coordinator.edge} (лаборатория Prichal)`,
    '[id]',
    `id= ${id(coordinator.node!)}`,
    'name= Координатор хаба',
    'filterdefault= drop',
    `ip= ${transit}`,
    'port= 55777',
    'usefirewall= on',
    `version= ${LAB_VIPNET_VERSION}`,
    '',
    '[id]',
    'id= 0xffffffff',
    'name= Encrypted broadcasts',
    'filterdefault= drop',
    'filterudp= 2046, 2046, pass, any',
    '',
    '[id]',
    'id= 0xfffffffe',
    'name= Main Filter',
    'filterdefault= drop',
  ];
  for (const t of coordinator.tunnels.filter((x) => x.approved)) {
    out.push('', '[id]', `id= ${id(t.node)}`, `name= ${t.name}`, 'filterdefault= drop');
    for (const network of t.networks) {
      const { start, end } = cidrInterval(network);
      const range = `${formatAddress(start + 1)}-${formatAddress(end - 1)}`;
      out.push(`tunnel= ${range} to ${range}`);
    }
    out.push('port= 55777', 'proxyid= 0xfffffffe', `version= ${LAB_VIPNET_VERSION}`);
  }
  out.push(
    '',
    '[adapter]',
    'name= eth0',
    `ip= ${transit}`,
    'allowtraffic= on',
    'type= internal',
    '',
    '[misc]',
    `config_version= ${LAB_VIPNET_VERSION}`,
    'ciphertype= gost',
    '',
    '[servers]',
    `server= ${id(coordinator.node!)}, Координатор хаба`,
    '',
  );
  return out.join('\r\n');
}

/**
 * Writes the text as the coordinator's file on the edge container, KOI8-R (what it cannot hold,
 * such as «№», transliterated), readable by netops only.
 */
export async function writeLabCoordinatorConfig(container: string, file: string, text: string): Promise<void> {
  const dir = file.slice(0, file.lastIndexOf('/')) || '/';
  await docker(
    [
      'exec',
      '-i',
      container,
      'bash',
      '-c',
      `set -e; install -d -m 755 '${dir}'; iconv -f UTF-8 -t KOI8-R//TRANSLIT > '${file}.tmp'; chown root:netops '${file}.tmp'; chmod 640 '${file}.tmp'; mv '${file}.tmp' '${file}'`,
    ],
    { input: text },
  );
}
