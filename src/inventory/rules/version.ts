// Contract versions: fields added by version 2 need `version: 2` at the top of operator.yaml (the
// inventory's contract), so an inventory says which contract it follows and an older Prichal
// refuses it clearly instead of half-reading it. A version-1 inventory without them keeps
// validating; where version 2 reads a version-1 fact differently, a warning says what to write.
import { hasChannel, type Rule } from '../model.js';
import type { FieldPath, Words } from '../findings.js';
import type { Participant } from '../types.generated.js';

const OPERATOR_V2_FIELDS = ['gateways', 'hub', 'timeZone', 'language', 'certificateAuthorities', 'edoTargets', 'calendar'] as const;
const SED_V2_FIELDS = ['requestSent', 'credentialsIssued', 'connectorReady', 'switchDate', 'commissioned', 'torSed', 'medo'] as const;
const V1_KINDS: ReadonlySet<Participant['kind']> = new Set(['executive-body', 'state-institution', 'local-government', 'municipal-institution', 'rural-settlement', 'other']);

/** The version-2 fields a participant file uses, each with its path. */
function participantV2Fields(p: Participant): Array<{ path: FieldPath; what: Words }> {
  const used: Array<{ path: FieldPath; what: Words }> = [];
  const field = (path: FieldPath, name: string) => used.push({ path, what: { en: name, ru: name } });
  for (const f of SED_V2_FIELDS) if (p.sed[f] !== undefined) field(['sed', f], `sed.${f}`);
  for (const f of ['rootCertificates', 'crl'] as const) if (p.workstations[f] !== undefined) field(['workstations', f], `workstations.${f}`);
  p.signers.forEach((s, i) => s.certificate.authorityKeyId !== undefined && field(['signers', i, 'certificate', 'authorityKeyId'], 'certificate.authorityKeyId'));
  if (!V1_KINDS.has(p.kind)) used.push({ path: ['kind'], what: { en: `kind ${p.kind}`, ru: `вид участника ${p.kind}` } });
  if (!hasChannel(p)) used.push({ path: [], what: { en: 'a participant without a channel', ru: 'участник без канала связи' } });
  for (const contour of ['test', 'prod'] as const) {
    const r = p.registrations?.[contour];
    if (r?.status === 'approved') used.push({ path: ['registrations', contour, 'status'], what: { en: "status 'approved'", ru: "статус 'approved'" } });
    for (const f of ['requested', 'approved', 'registered'] as const) if (r?.[f] !== undefined) field(['registrations', contour, f], `registrations.${contour}.${f}`);
  }
  return used;
}

export const versionedFieldsDeclared: Rule = (inventory, findings) => {
  const operator = inventory.operator;
  if (!operator || (operator.value.version ?? 1) >= 2) return;
  for (const field of OPERATOR_V2_FIELDS) {
    if (operator.value[field] !== undefined) {
      findings.at(operator.source, [field], 'schema-version', { en: `${field} is a version-2 field: write 'version: 2' as the first line of operator.yaml (version 1 has no ${field})`, ru: `${field} — поле версии 2: первой строкой operator.yaml напишите 'version: 2' (в версии 1 поля ${field} нет)` });
    }
  }
  const policy = operator.value.policy;
  for (const field of ['channels', 'gostBrowsers'] as const) {
    if (policy[field] !== undefined) findings.at(operator.source, ['policy', field], 'schema-version', { en: `policy.${field} is a version-2 field: write 'version: 2' as the first line of operator.yaml`, ru: `policy.${field} — поле версии 2: первой строкой operator.yaml напишите 'version: 2'` });
  }
  if (Array.isArray(policy.certificateWarningDays)) findings.at(operator.source, ['policy', 'certificateWarningDays'], 'schema-version', { en: "a list of reminder days is version 2: write 'version: 2' as the first line of operator.yaml, or one number", ru: "список дней напоминания — версия 2: первой строкой operator.yaml напишите 'version: 2' или укажите одно число" });
  for (const { value: p, source } of inventory.participants) {
    for (const { path, what } of participantV2Fields(p)) {
      findings.at(source, path, 'schema-version', { en: `${what.en} is version 2 of the inventory contract: write 'version: 2' as the first line of operator.yaml`, ru: `${what.ru} — это версия 2 формата реестра: первой строкой operator.yaml напишите 'version: 2'` });
    }
    // Version 1 read "connected to the СЭД" from a production bus registration; version 2 reads the СЭД's own last stage.
    if (p.registrations?.prod && p.sed.credentialsIssued === undefined && p.sed.commissioned === undefined) {
      const stage = p.sed.mode === 'operator' ? 'credentialsIssued' : 'commissioned';
      findings.at(source, ['sed'], 'schema-version', {
        en: `version 2 reads the СЭД connection from the СЭД stages, not from the production registration: with 'version: 2', write sed.${stage}: <date> if this participant is connected to the СЭД`,
        ru: `версия 2 берёт подключение к СЭД из этапов СЭД, а не из промышленной регистрации: с 'version: 2' напишите sed.${stage}: <дата>, если участник подключён к СЭД`,
      }, { severity: 'warning' });
    }
  }
};
