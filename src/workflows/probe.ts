// prichal probe: the connectivity test protocol of one participant, through its gateway from the
// hub host operator.yaml names, and written where --out says.
import { lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import { makeFolder, writeAtomic } from '../files.js';
import { DockerHost, parseDockerEndpoint } from '../infra/docker-api.js';
import { type GatewayShell, runProbe, type ProbeProtocol } from '../infra/probe.js';
import { gatewayName } from '../render/index.js';
import type { ContourName } from '../inventory/index.js';
import { probeSample } from '../plan/index.js';
import { hubOf, liveContext, type LiveContext } from './context.js';
import { UsageError } from './errors.js';

/**
 * The connectivity test protocol of one participant: requests from the hub host operator.yaml
 * names, refusals tried inside the gateways, each reached through the Docker host the plan
 * places it on (one connection per host, closed at the end).
 */
export async function probeParticipant(
  context: LiveContext,
  contour: ContourName,
  participant: string,
): Promise<ProbeProtocol> {
  const { plan } = context;
  const registrations = new Map(plan.contours[contour].registrations.map((r) => [r.gateway, r]));
  const hosts = new Map(plan.gatewayHosts.map((h) => [h.id, h]));
  const open = new Map<string, Promise<DockerHost>>();
  const connect = (id: string) => {
    const host = hosts.get(id);
    if (!host) throw new Error(`no gateway host '${id}' in the plan`);
    const pin = host.hostKey && host.credentials ? { hostKey: host.hostKey, credentials: host.credentials } : undefined;
    if (!open.has(id)) open.set(id, DockerHost.connect(parseDockerEndpoint(host.docker, pin)));
    return open.get(id)!;
  };
  const inGateway: GatewayShell = async (source, script, timeoutMs) => {
    const owner = registrations.get(source);
    if (!owner) throw new Error(`no gateway of the ${contour} contour holds ${source}`);
    const name = gatewayName(owner.participant, contour);
    const { stdout, exitCode } = await (await connect(owner.host)).exec(name, ['bash', '-c', script], timeoutMs);
    if (exitCode !== 0) throw new Error(`the probe script in ${name} ended with exit code ${exitCode}`);
    return stdout;
  };
  try {
    return await runProbe(
      probeSample(plan, contour, participant, context.operator.policy.allowedPorts),
      hubOf(context.operator),
      inGateway,
    );
  } finally {
    for (const host of open.values()) void host.then((h) => h.close()).catch(() => {});
  }
}

/**
 * --out of probe names a file: refused before the probe runs when it is a folder or anything but
 * a regular file, or its path goes through a file (a usage error, not a failure after the probe).
 */
function protocolFile(file: string): void {
  const info = lstatSync(file, { throwIfNoEntry: false });
  const target = info?.isSymbolicLink() ? statSync(file, { throwIfNoEntry: false }) : info;
  if (target && !target.isFile())
    throw new UsageError({
      en: `--out ${file}: ${target.isDirectory() ? 'a folder' : 'not a regular file'}; give the file to write the protocol to, e.g. out/probes/<contour>-<id>.json`,
      ru: `--out ${file}: ${target.isDirectory() ? 'это каталог' : 'это не обычный файл'}; укажите файл протокола, например out/probes/<контур>-<id>.json`,
    });
  // Its folder is created when missing: the nearest existing path above it must be a folder.
  for (let parent = path.dirname(path.resolve(file)); ; parent = path.dirname(parent)) {
    const above = statSync(parent, { throwIfNoEntry: false });
    if (above && !above.isDirectory())
      throw new UsageError({
        en: `--out ${file}: the path goes through ${parent}, a file, not a folder`,
        ru: `--out ${file}: путь проходит через ${parent} — это файл, а не каталог`,
      });
    if (above || parent === path.dirname(parent)) return;
  }
}

export async function probeCommand(options: {
  inventory: string;
  contour: ContourName;
  participant: string;
  out?: string;
}): Promise<ProbeProtocol> {
  if (options.out) protocolFile(options.out);
  const context = await liveContext(options.inventory);
  const protocol = await probeParticipant(context, options.contour, options.participant);
  // Written by the file rule: a temporary file renamed into place, never half a protocol.
  if (options.out) {
    await makeFolder(path.dirname(options.out));
    await writeAtomic(options.out, `${JSON.stringify(protocol, null, 2)}\n`);
  }
  return protocol;
}
