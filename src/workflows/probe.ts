// prichal probe: the connectivity test protocol of one participant, run on the hub host
// operator.yaml names, and written where --out says.
import { lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import { makeFolder, writeAtomic } from '../files.js';
import { runProbe, type ProbeProtocol } from '../infra/probe.js';
import type { ContourName } from '../inventory/index.js';
import { probeSample } from '../plan/index.js';
import { hubOf, liveContext, type LiveContext } from './context.js';
import { UsageError } from './errors.js';

/** The connectivity test protocol of one participant, run on the hub host operator.yaml names. */
export async function probeParticipant(
  context: LiveContext,
  contour: ContourName,
  participant: string,
): Promise<ProbeProtocol> {
  return runProbe(
    probeSample(context.plan, contour, participant, context.operator.policy.allowedPorts),
    hubOf(context.operator),
  );
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
