// Phase 2: shape. Each parsed file is checked against its JSON Schema with ajv (allErrors,
// strict, additionalProperties: false); every ajv error becomes a located finding whose
// message says what is accepted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';
import { isCidr, prefixLength } from './addresses.js';
import { formatPath, pathKey, quoted, type Finding, type Words } from './findings.js';
import { findingAt, type SourceFile } from './source.js';
import type { OperatorFile, Participant } from './types.generated.js';
import { SCHEMA_DIR } from '../project.js';

const readSchema = (name: string) =>
  JSON.parse(readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')) as object;
// ajv-formats is CommonJS with a default export; under NodeNext the callable is `.default`.
const addFormats = (ajvFormats as unknown as { default: FormatsPlugin }).default;

/** Formats beyond ajv-formats, each with the wording used in messages. */
const CUSTOM_FORMATS: Record<string, { test: (value: string) => boolean; accepted: Words }> = {
  cidr: {
    test: isCidr,
    accepted: {
      en: 'an IPv4 network in CIDR notation with host bits zero, e.g. 10.30.12.0/24',
      ru: 'сеть IPv4 в записи CIDR с нулевыми битами узла, например 10.30.12.0/24',
    },
  },
  link: {
    test: (v) => v === 'auto' || (isCidr(v) && prefixLength(v) === 31),
    accepted: {
      en: "'auto' or a /31 network such as 10.250.0.4/31",
      ru: "'auto' или сеть /31, например 10.250.0.4/31",
    },
  },
  hex: {
    test: (v) => /^[0-9A-Fa-f]+$/.test(v),
    accepted: { en: 'hexadecimal digits, e.g. 01D9A1', ru: 'шестнадцатеричные цифры, например 01D9A1' },
  },
  thumbprint: {
    test: (v) => /^[0-9A-Fa-f]{40}$/.test(v),
    accepted: { en: 'exactly 40 hexadecimal digits', ru: 'ровно 40 шестнадцатеричных цифр' },
  },
  'vipnet-node': {
    test: (v) => /^0x[0-9A-Fa-f]{8}$/.test(v),
    accepted: {
      en: "a 32-bit hex node id such as '0x1A0E000A'",
      ru: "32-битный идентификатор узла в шестнадцатеричной записи, например '0x1A0E000A'",
    },
  },
  version: {
    test: (v) => /^[0-9]+(\.[0-9]+){1,3}$/.test(v),
    accepted: {
      en: "a dotted version such as '5.0.13000' (quote it)",
      ru: "версия через точку, например '5.0.13000' (в кавычках)",
    },
  },
  'sha256-fingerprint': {
    test: (v) => /^SHA256:[A-Za-z0-9+/]{43}$/.test(v),
    accepted: {
      en: "'SHA256:' and 43 base64 characters, as printed by ssh-keygen -lf",
      ru: "'SHA256:' и 43 символа base64, как печатает ssh-keygen -lf",
    },
  },
};
const STANDARD_FORMATS: Record<string, Words> = {
  ipv4: { en: 'an IPv4 address such as 10.30.12.10', ru: 'адрес IPv4, например 10.30.12.10' },
  date: { en: 'a date YYYY-MM-DD', ru: 'дата в виде ГГГГ-ММ-ДД' },
  email: { en: 'an e-mail address', ru: 'адрес электронной почты' },
  uri: { en: 'a URL such as http://127.0.0.1:15672', ru: 'URL, например http://127.0.0.1:15672' },
  hostname: { en: 'a host name or an IPv4 address', ru: 'имя узла или адрес IPv4' },
};
const TYPE_RU: Record<string, string> = {
  string: 'строкой',
  number: 'числом',
  integer: 'целым числом',
  boolean: 'логическим значением (true/false)',
  object: 'словарём',
  array: 'списком',
  null: 'пустым значением',
};

function buildAjv(): Ajv {
  // strictRequired is off only because if/then branches require properties that the parent
  // object declares; every other strict check stays on.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true });
  addFormats(ajv, Object.keys(STANDARD_FORMATS) as never);
  // `x-ru`: an annotation only (the Russian wording of a field's form), known so strict mode accepts it.
  ajv.addVocabulary(['x-ru']);
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

const NETWORK_FIELDS_NOTE: Words = {
  en: 'channel and networks together (endpoints and registrations only with them): a participant with a network channel declares both; one that uses the hosted СЭД from a workstation declares none of the four',
  ru: 'channel и networks вместе (endpoints и registrations — только с ними): участник с сетевым каналом объявляет оба поля; тот, кто работает в СЭД с рабочего места, не объявляет ни одного из четырёх',
};

/** A schema node's annotations: its (English) description and, where its values have a form, `x-ru` (the form in Russian). */
type Annotated = { description?: string; 'x-ru'?: string; properties?: object } | undefined;

function describe(error: ErrorObject): Words {
  const parent = error.parentSchema as Annotated;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      // A conditional branch (if/then, no properties of its own) says why the field is required
      // there: its description, and its x-ru in Russian.
      const why = parent && !parent.properties ? parent : undefined;
      return {
        en: `missing required field '${String(params.missingProperty)}'${why?.description ? ` (${why.description})` : ''}`,
        ru: `нет обязательного поля '${String(params.missingProperty)}'${why?.['x-ru'] ? ` (${why['x-ru']})` : ''}`,
      };
    }
    case 'additionalProperties': {
      const allowed = Object.keys(parent?.properties ?? {}).join(', ');
      // The key is the file's own text (a 10 KB key, a key of invisible characters): quoted, at most 40 characters.
      const key = quoted(String(params.additionalProperty));
      return {
        en: `unknown field ${key}; accepted here: ${allowed}`,
        ru: `неизвестное поле ${key}; здесь допустимы: ${allowed}`,
      };
    }
    case 'dependencies':
      return {
        en: `${String(params.property)} needs ${NETWORK_FIELDS_NOTE.en}`,
        ru: `${String(params.property)} требует: ${NETWORK_FIELDS_NOTE.ru}`,
      };
    case 'enum': {
      const values = (params.allowedValues as unknown[]).join(', ');
      return { en: `must be one of: ${values}`, ru: `допустимые значения: ${values}` };
    }
    case 'format': {
      const format = String(params.format);
      const accepted = CUSTOM_FORMATS[format]?.accepted ?? STANDARD_FORMATS[format] ?? { en: format, ru: format };
      return { en: `must be ${accepted.en}`, ru: `ожидается ${accepted.ru}` };
    }
    case 'type': {
      const expected = String(params.type);
      const quote = expected === 'string';
      return {
        en: `must be a ${expected}${quote ? ' (quote values that YAML would read as numbers, dates or booleans)' : ''}`,
        ru: `должно быть ${TYPE_RU[expected] ?? expected}${quote ? ' (значения, которые YAML прочтёт как число, дату или логическое, берите в кавычки)' : ''}`,
      };
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      return {
        en: `has the wrong form${parent?.description ? `: ${parent.description}` : ` (expected ${pattern})`}`,
        ru: `неверный вид: ${parent?.['x-ru'] ?? `ожидается ${pattern}`}`,
      };
    }
    case 'minimum':
    case 'maximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems': {
      const limit = Number(params.limit);
      // At least one: the value is empty, and that is what to say (not "fewer than 1 characters").
      if (limit === 1 && error.keyword === 'minLength')
        return { en: withDescription('must not be empty', parent), ru: 'не должно быть пустым' };
      if (limit === 1 && error.keyword === 'minItems')
        return { en: withDescription('must not be an empty list', parent), ru: 'список не должен быть пустым' };
      const ru: Record<string, string> = {
        minimum: `должно быть не меньше ${limit}`,
        maximum: `должно быть не больше ${limit}`,
        minLength: `должно быть не короче ${countRu(limit, 'символа', 'символов')}`,
        maxLength: `должно быть не длиннее ${countRu(limit, 'символа', 'символов')}`,
        minItems: `в списке должно быть не меньше ${countRu(limit, 'элемента', 'элементов')}`,
        maxItems: `в списке должно быть не больше ${countRu(limit, 'элемента', 'элементов')}`,
      };
      return { en: withDescription(error.message ?? 'is invalid', parent), ru: ru[error.keyword]! };
    }
    case 'uniqueItems':
      return {
        en: withDescription(error.message ?? 'is invalid', parent),
        ru: `элементы списка не должны повторяться (совпадают ${String(params.j)} и ${String(params.i)}, считая с 0)`,
      };
    default:
      // Keywords the inventory schemas seldom fail on: ajv's own (English) words in both.
      return {
        en: withDescription(error.message ?? 'is invalid', parent),
        ru: `недопустимое значение: ${error.message ?? 'is invalid'}`,
      };
  }
}

/**
 * A count after «не короче», «не больше» (the genitive): «1 символа», «21 символа», but «2
 * символов», «11 символов» — the singular after a number ending in 1 other than 11, else the plural.
 */
export const countRu = (n: number, one: string, many: string): string =>
  `${n} ${n % 10 === 1 && n % 100 !== 11 ? one : many}`;

const withDescription = (message: string, parent: Annotated) =>
  `${message}${parent?.description ? ` (${parent.description})` : ''}`;

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
      const finding = findingAt(source, path, 'schema', describe(error), { key: extra });
      // The path's keys come from the file too: each shown as a finding quotes a key.
      return path.some((part) => typeof part === 'string' && pathKey(part) !== part)
        ? { ...finding, path: formatPath(path.map((part) => (typeof part === 'string' ? pathKey(part) : part))) }
        : finding;
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
