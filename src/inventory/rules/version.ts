// Contract versions: fields added by version 2 need `version: 2` at the top of operator.yaml (the
// inventory's contract), so an inventory says which contract it follows and an older Prichal
// refuses it clearly instead of half-reading it. A version-1 inventory without them keeps
// validating; where version 2 reads a version-1 field differently, the requirement rules warn
// (requirements/versions.ts) and `prichal migrate` rewrites the inventory.
import { hasChannel, type Rule } from '../model.js';
import type { FieldPath, Words } from '../findings.js';
import type { Participant } from '../types.generated.js';

/** operator.yaml's fields version 1 did not have (dotted; a test compares them with the version-1 schema). */
export const OPERATOR_V2_FIELDS = [
  'gateways',
  'hub',
  'timeZone',
  'language',
  'certificateAuthorities',
  'edoTargets',
  'calendar',
  'policy.channels',
  'policy.gostBrowsers',
  'policy.allowPublicAddresses',
  'edges[].circuits',
  'edges[].vipnet',
  'policy.channelEvidenceDays',
  'operator.support.hours',
  'operator.support.sed',
  'operator.support.portal',
  'reports',
] as const;
/** A participant file's fields version 1 did not have (`[]`: every entry of a list). */
export const PARTICIPANT_V2_FIELDS = [
  ...(
    ['requestSent', 'credentialsIssued', 'connectorReady', 'switchDate', 'commissioned', 'torSed', 'medo'] as const
  ).map((f) => `sed.${f}`),
  'clerk.position',
  'technical.position',
  'workstations.rootCertificates',
  'workstations.crl',
  'signers[].certificate.authorityKeyId',
  'signers[].certificate.holder',
  'services[].appointment',
  'services[].webService',
  'services[].tests',
  'channel.leasedLine.interface',
  'endpoints[].title',
  ...(['test', 'prod'] as const).flatMap((c) =>
    (['requested', 'approved', 'registered'] as const).map((f) => `registrations.${c}.${f}`),
  ),
] as const;
export const V1_KINDS: ReadonlySet<Participant['kind']> = new Set([
  'executive-body',
  'state-institution',
  'local-government',
  'municipal-institution',
  'rural-settlement',
  'other',
]);

/** The concrete paths of a dotted field with `[]` in `data`: each present one. */
function present(data: unknown, field: string): FieldPath[] {
  let paths: Array<{ path: (string | number)[]; node: unknown }> = [{ path: [], node: data }];
  for (const part of field.split('.')) {
    const list = part.endsWith('[]');
    const key = list ? part.slice(0, -2) : part;
    paths = paths.flatMap(({ path, node }) => {
      const next = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
      if (next === undefined) return [];
      if (!list) return [{ path: [...path, key], node: next }];
      return Array.isArray(next) ? next.map((item, i) => ({ path: [...path, key, i], node: item })) : [];
    });
  }
  return paths.map((p) => p.path);
}

/** The version-2 fields a participant file uses, each with its path. */
function participantV2Fields(p: Participant): Array<{ path: FieldPath; what: Words }> {
  const used: Array<{ path: FieldPath; what: Words }> = [];
  for (const field of PARTICIPANT_V2_FIELDS) {
    const name = field.replace(/\[\]/g, '');
    for (const path of present(p, field)) used.push({ path, what: { en: name, ru: name } });
  }
  if (!V1_KINDS.has(p.kind))
    used.push({ path: ['kind'], what: { en: `kind ${p.kind}`, ru: `вид участника ${p.kind}` } });
  if (!hasChannel(p))
    used.push({ path: [], what: { en: 'a participant without a channel', ru: 'участник без канала связи' } });
  for (const contour of ['test', 'prod'] as const) {
    if (p.registrations?.[contour]?.status === 'approved')
      used.push({
        path: ['registrations', contour, 'status'],
        what: { en: "status 'approved'", ru: "статус 'approved'" },
      });
  }
  return used;
}

export const versionedFieldsDeclared: Rule = (inventory, findings) => {
  const operator = inventory.operator;
  if (!operator || (operator.value.version ?? 1) >= 2) return;
  for (const field of OPERATOR_V2_FIELDS) {
    for (const path of present(operator.value, field)) {
      findings.at(operator.source, path, 'schema-version', {
        en: `${field} is a version-2 field: write 'version: 2' as the first line of operator.yaml (version 1 has no ${field})`,
        ru: `${field} — поле версии 2: первой строкой operator.yaml напишите 'version: 2' (в версии 1 поля ${field} нет)`,
      });
    }
  }
  const policy = operator.value.policy;
  if (Array.isArray(policy.certificateWarningDays))
    findings.at(operator.source, ['policy', 'certificateWarningDays'], 'schema-version', {
      en: "a list of reminder days is version 2: write 'version: 2' as the first line of operator.yaml, or one number",
      ru: "список дней напоминания — версия 2: первой строкой operator.yaml напишите 'version: 2' или укажите одно число",
    });
  for (const { value: p, source } of inventory.participants) {
    for (const { path, what } of participantV2Fields(p)) {
      findings.at(source, path, 'schema-version', {
        en: `${what.en} is version 2 of the inventory contract: write 'version: 2' as the first line of operator.yaml`,
        ru: `${what.ru} — это версия 2 формата реестра: первой строкой operator.yaml напишите 'version: 2'`,
      });
    }
  }
};
