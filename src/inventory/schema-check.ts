// Phase 2: shape. Each parsed file is checked against its JSON Schema with ajv (allErrors,
// strict, additionalProperties: false); every ajv error becomes a located finding whose
// message says what is accepted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';
import { isCidr, prefixLength } from './addresses.js';
import type { Finding } from './findings.js';
import { findingAt, type SourceFile } from './source.js';
import type { OperatorFile, Participant } from './types.generated.js';
import { SCHEMA_DIR } from '../project.js';

const readSchema = (name: string) => JSON.parse(readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')) as object;
// ajv-formats is CommonJS with a default export; under NodeNext the callable is `.default`.
const addFormats = (ajvFormats as unknown as { default: FormatsPlugin }).default;

/** Formats beyond ajv-formats, each with the wording used in messages. */
const CUSTOM_FORMATS: Record<string, { test: (value: string) => boolean; accepted: string }> = {
  cidr: { test: isCidr, accepted: 'an IPv4 network in CIDR notation with host bits zero, e.g. 10.30.12.0/24' },
  link: {
    test: (v) => v === 'auto' || (isCidr(v) && prefixLength(v) === 31),
    accepted: "'auto' or a /31 network such as 10.250.0.4/31",
  },
  hex: { test: (v) => /^[0-9A-Fa-f]+$/.test(v), accepted: 'hexadecimal digits, e.g. 01D9A1' },
  thumbprint: { test: (v) => /^[0-9A-Fa-f]{40}$/.test(v), accepted: 'exactly 40 hexadecimal digits' },
  'vipnet-node': { test: (v) => /^0x[0-9A-Fa-f]{8}$/.test(v), accepted: "a 32-bit hex node id such as '0x1A0E000A'" },
  version: { test: (v) => /^[0-9]+(\.[0-9]+){1,3}$/.test(v), accepted: "a dotted version such as '5.0.13000' (quote it)" },
  'sha256-fingerprint': {
    test: (v) => /^SHA256:[A-Za-z0-9+/]{43}$/.test(v),
    accepted: "'SHA256:' and 43 base64 characters, as printed by ssh-keygen -lf",
  },
};
const STANDARD_FORMATS: Record<string, string> = {
  ipv4: 'an IPv4 address such as 10.30.12.10',
  date: 'a date YYYY-MM-DD',
  email: 'an e-mail address',
  uri: 'a URL such as http://127.0.0.1:15672',
  hostname: 'a host name or an IPv4 address',
};

function buildAjv(): Ajv {
  // strictRequired is off only because if/then branches require properties that the parent
  // object declares; every other strict check stays on.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true });
  addFormats(ajv, Object.keys(STANDARD_FORMATS) as never);
  for (const [name, format] of Object.entries(CUSTOM_FORMATS)) ajv.addFormat(name, format.test);
  return ajv;
}

// Each schema is compiled when first needed: an inventory whose files all come from the parse
// cache needs neither.
let ajv: Ajv | undefined;
let operatorValidator: ValidateFunction<OperatorFile> | undefined;
let participantValidator: ValidateFunction<Participant> | undefined;
const compile = <T>(name: string) => (ajv ??= buildAjv()).compile<T>(readSchema(name));

function pathOf(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^[0-9]+$/.test(part) ? Number(part) : part));
}

const NETWORK_FIELDS_NOTE =
  'channel and networks together (endpoints and registrations only with them): a participant with a network channel declares both; one that uses the hosted СЭД from a workstation declares none of the four';

function describe(error: ErrorObject): string {
  const parent = error.parentSchema as { description?: string } | undefined;
  switch (error.keyword) {
    case 'required':
      return `missing required field '${(error.params as { missingProperty: string }).missingProperty}'`;
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {}).join(', ');
      return `unknown field '${(error.params as { additionalProperty: string }).additionalProperty}'; accepted here: ${allowed}`;
    }
    case 'dependencies': {
      const { property } = error.params as { property: string };
      return `${property} needs ${NETWORK_FIELDS_NOTE}`;
    }
    case 'enum':
      return `must be one of: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'format': {
      const format = (error.params as { format: string }).format;
      return `must be ${CUSTOM_FORMATS[format]?.accepted ?? STANDARD_FORMATS[format] ?? format}`;
    }
    case 'type': {
      const expected = (error.params as { type: string }).type;
      const hint = expected === 'string' ? ' (quote values that YAML would read as numbers, dates or booleans)' : '';
      return `must be a ${expected}${hint}`;
    }
    case 'pattern':
      return `has the wrong form${parent?.description ? `: ${parent.description}` : ` (expected ${String((error.params as { pattern: string }).pattern)})`}`;
    default:
      return `${error.message ?? 'is invalid'}${parent?.description ? ` (${parent.description})` : ''}`;
  }
}

function toFindings(source: SourceFile, errors: ErrorObject[] | null | undefined): Finding[] {
  // 'if' only repeats that a 'then' branch failed; the 'then' error itself is the useful one.
  return (errors ?? [])
    .filter((error) => error.keyword !== 'if')
    .map((error) => {
      const path = pathOf(error.instancePath);
      const extra = error.keyword === 'additionalProperties';
      if (extra) path.push((error.params as { additionalProperty: string }).additionalProperty);
      // A missing companion field has no line: point at the field that needs it.
      if (error.keyword === 'dependencies') path.push((error.params as { property: string }).property);
      return findingAt(source, path, 'schema', describe(error), { key: extra });
    });
}

export function checkOperatorShape(source: SourceFile, data: unknown): { value?: OperatorFile; findings: Finding[] } {
  const validate = (operatorValidator ??= compile<OperatorFile>('operator'));
  return validate(data) ? { value: data, findings: [] } : { findings: toFindings(source, validate.errors) };
}

export function checkParticipantShape(source: SourceFile, data: unknown): { value?: Participant; findings: Finding[] } {
  const validate = (participantValidator ??= compile<Participant>('participant'));
  if (!validate(data)) return { findings: toFindings(source, validate.errors) };
  // A participant with a channel may leave out its (empty) endpoints and registrations.
  if (data.channel) {
    data.endpoints ??= [];
    data.registrations ??= {};
  }
  return { value: data, findings: [] };
}
