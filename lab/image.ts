// The lab's images, built from Debian packages (no registry is reachable): debootstrap a minimal
// bookworm with a recipe's packages, prepare it in a chroot, `docker import` it. The tag is a
// hash of the package list and the preparation script, so an image is rebuilt only when one of
// them changes.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { docker } from '../src/infra/index.js';
import type { Words } from '../src/words.js';

export const LAB_LABEL = 'prichal.lab';
/** The cached image carries its own label, so that `lab down` (which removes LAB_LABEL) keeps it. */
export const IMAGE_LABEL = 'prichal.lab-image';

/** What an image is made of: Debian packages, then a script run inside the chroot. */
export interface ImageRecipe {
  repository: string;
  packages: readonly string[];
  prepare: string;
}

const LAB_PACKAGES = [
  'openssh-server',
  'nftables',
  'iproute2',
  'iputils-ping',
  'curl',
  'nginx-light',
  'openssl',
  'libcap2-bin',
  'libpam-cap',
  'rabbitmq-server',
  'procps',
  'ca-certificates',
];

/**
 * The chroot lines that make sshd of a lab host: no host key baked in (each container installs
 * its fixed one), key login only, no root, room for many sessions at once; `extra` settings first.
 */
export function sshdSetup(extra: readonly string[] = []): string {
  const settings = [
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin no',
    'PubkeyAuthentication yes',
    'UseDNS no',
    ...extra,
    'MaxSessions 64',
    'MaxStartups 64:30:128',
  ];
  return `rm -f /etc/ssh/ssh_host_*\ncat > /etc/ssh/sshd_config.d/prichal.conf <<'CONF'\n${settings.join('\n')}\nCONF`;
}

// Runs inside the chroot. netops may run nft and ip (and only those) with CAP_NET_ADMIN: the
// container grants the capability, setcap hands it to the binaries, no sudo and no root login
// needed. ip drops every capability of a non-root user whose inheritable set lacks
// CAP_NET_ADMIN, so netops gets it there at login (pam_cap: capability.conf) and ip's file
// capability is inheritable.
const LAB_PREPARE = `set -e
useradd --create-home --shell /bin/bash netops
setcap cap_net_admin+ep /usr/sbin/nft
setcap cap_net_admin+ei /bin/ip
echo 'cap_net_admin netops' > /etc/security/capability.conf
grep -q pam_cap /etc/pam.d/common-auth || echo 'auth optional pam_cap.so' >> /etc/pam.d/common-auth
mkdir -p /run/sshd /etc/prichal
${sshdSetup()}
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=prichal-lab -keyout /etc/prichal/tls.key -out /etc/prichal/tls.crt 2>/dev/null
rm -f /etc/nginx/sites-enabled/default
rabbitmq-plugins enable --offline rabbitmq_management >/dev/null
apt-get clean
rm -rf /var/lib/apt/lists/*
`;

/** The image of the edges, the hub, the bus and the participant hosts, and the lab's gateway image. */
export const LAB_IMAGE: ImageRecipe = { repository: 'prichal-lab', packages: LAB_PACKAGES, prepare: LAB_PREPARE };

// Bump when the way images are assembled changes (e.g. tar keeping xattrs for setcap).
const BUILD_VERSION = 2;

export function imageTag(recipe: ImageRecipe = LAB_IMAGE): string {
  // The hash input keeps its original key names, so images already built keep their tags.
  const hash = createHash('sha256')
    .update(JSON.stringify({ PACKAGES: recipe.packages, PREPARE: recipe.prepare, BUILD_VERSION }))
    .digest('hex')
    .slice(0, 12);
  return `${recipe.repository}:${hash}`;
}

async function debianMirror(): Promise<string> {
  // Use the mirror apt already uses on this machine (deb822 or one-line sources).
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const match = /^URIs:\s*(\S+)/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm/m.exec(text);
    if (match) return match[1]!;
  }
  return 'http://deb.debian.org/debian';
}

/** The recipe's image, built unless an image with its tag exists already; returns the tag. */
export async function ensureImage(recipe: ImageRecipe, log: (words: Words) => void = () => {}): Promise<string> {
  const tag = imageTag(recipe);
  const exists = await docker(['image', 'inspect', '--format', '{{.Id}}', tag]).then(
    () => true,
    () => false,
  );
  if (exists) return tag;
  const root = await mkdtemp(path.join(tmpdir(), 'prichal-rootfs-'));
  try {
    const mirror = await debianMirror();
    log({
      en: `building ${tag}: debootstrap bookworm from ${mirror} (a minute or two)`,
      ru: `сборка образа ${tag}: debootstrap bookworm из ${mirror} (минуту-две)`,
    });
    await execa(
      'debootstrap',
      ['--variant=minbase', `--include=${recipe.packages.join(',')}`, 'bookworm', root, mirror],
      {
        timeout: 900_000,
      },
    );
    // Daemons must not start inside the chroot while packages are configured.
    await execa('chroot', [root, 'sh', '-c', recipe.prepare], { timeout: 300_000 });
    log({ en: `importing ${tag}`, ru: `импорт образа ${tag}` });
    await execa(
      'bash',
      [
        '-c',
        'set -o pipefail; tar --xattrs --xattrs-include="*" -C "$1" -c . | docker import --change "LABEL $3=image" - "$2" >/dev/null',
        'import',
        root,
        tag,
        IMAGE_LABEL,
      ],
      {
        timeout: 600_000,
      },
    );
    return tag;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export const ensureLabImage = (log?: (words: Words) => void): Promise<string> => ensureImage(LAB_IMAGE, log);
