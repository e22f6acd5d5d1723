// Commands on live systems outside Pulumi: the edge firewall, bus registrations and the probe.
import { lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ContourName, Words } from '../inventory/index.js';
import { assertPromotable, type BusState } from '../infra/bus.js';
import type { ApplyResult } from '../infra/firewall.js';
import { runProbe, type ProbeProtocol } from '../infra/probe.js';
import { probeSample } from '../plan/index.js';
import { renderEdgeRuleset } from '../render/index.js';
import { UsageError } from './errors.js';
import { applyFirewalls, busClient, hubOf, liveContext, selectEdges, type LiveContext } from './context.js';
import { inContourRu } from '../words.js';
import { makeFolder, writeAtomic } from '../files.js';

export async function firewall(options: {
  action: string;
  inventory: string;
  edge?: string;
  full?: boolean;
  verify?: 'layout' | 'full';
  log: (line: string) => void;
  lang?: 'ru' | 'en';
}): Promise<{ applied?: ApplyResult[]; rendered?: Array<{ edge: string; text: string }> }> {
  const context = await liveContext(options.inventory);
  const edges = selectEdges(context.plan, options.edge);
  if (options.action === 'render') return { rendered: edges.map((e) => renderEdgeRuleset(e)) };
  if (options.action !== 'apply')
    throw new UsageError({
      en: `firewall takes apply or render, not '${options.action}'`,
      ru: `firewall: apply или render, а не '${options.action}'`,
    });
  const applied = await applyFirewalls(edges, {
    ...(options.full ? { full: true } : {}),
    ...(options.verify ? { verify: options.verify } : {}),
  });
  for (const r of applied) {
    const what = describeApply(r);
    options.log(
      options.lang === 'en'
        ? `${r.edge}: ${what.en} in ${r.durationMs.toFixed(0)} ms`
        : `${r.edge}: ${what.ru} за ${r.durationMs.toFixed(0)} мс`,
    );
  }
  return { applied };
}

/** What an apply did, in both languages (its reason and previous table are the apply's own codes). */
export function describeApply(r: ApplyResult): Words {
  if (r.mode === 'unchanged')
    return {
      en: 'unchanged (the table is the last verified apply)',
      ru: 'без изменений (таблица — последняя проверенная применённая)',
    };
  if (r.mode === 'delta')
    return {
      en: `delta applied and verified: ${r.added} elements added, ${r.removed} removed`,
      ru: `изменения применены и проверены: добавлено элементов ${r.added}, удалено ${r.removed}`,
    };
  return {
    en: `table replaced and verified (${r.bytes} bytes; ${r.reason}; previous table ${r.previous})`,
    ru: `таблица заменена и проверена (${r.bytes} байт; причина: ${r.reason}; прежняя таблица: ${r.previous})`,
  };
}

export async function bus(options: {
  action: string;
  inventory: string;
  contour: ContourName;
  participant?: string;
  log: (line: string) => void;
  lang?: 'ru' | 'en';
}): Promise<{ state: BusState }> {
  const { plan, operator } = await liveContext(options.inventory);
  const client = await busClient(operator, options.contour);
  if (options.action === 'read') return { state: await client.read() };
  if (options.action !== 'ensure')
    throw new UsageError({
      en: `bus takes ensure or read, not '${options.action}'`,
      ru: `bus: ensure или read, а не '${options.action}'`,
    });
  const registrations = plan.contours[options.contour].registrations.filter(
    (r) => !options.participant || r.participant === options.participant,
  );
  if (options.participant && registrations.length === 0)
    throw new UsageError({
      en: `${options.participant} is not registered in the ${options.contour} contour`,
      ru: `${options.participant} не зарегистрирован ${inContourRu(options.contour)}`,
    });
  const testState = options.contour === 'prod' ? await (await busClient(operator, 'test')).read() : undefined;
  const testStatus = new Map(plan.contours.test.registrations.map((r) => [r.participant, r.status]));
  const state = await client.read();
  for (const r of registrations) {
    assertPromotable(options.contour, r.mnemonic, testStatus.get(r.participant), testState);
    await client.ensure(r, state);
    options.log(
      options.lang === 'en'
        ? `${options.contour}: ${r.mnemonic} (${r.participant}) ensured`
        : `${options.contour}: ${r.mnemonic} (${r.participant}) приведён к плану`,
    );
  }
  return { state: await client.read() };
}

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
