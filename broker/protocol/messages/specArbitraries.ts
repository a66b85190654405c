/**
 * Test support: fast-check arbitraries for any Kafka message at any version, built from the
 * message definitions (`generated/specs.json`) independently of the generator, so a property test
 * compares two readings of the spec. A field the version lacks holds its default, which is what
 * decoding yields for it.
 */
import fc from 'fast-check';
import specsJson from './generated/specs.json';
import { uuidFromBytes, ZERO_UUID } from './uuid';

export interface FieldSpec {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string | boolean | number;
  ignorable?: boolean;
  flexibleVersions?: string;
  fields?: FieldSpec[];
}

export interface MessageSpec {
  name: string;
  type: string;
  apiKey?: number;
  validVersions: string;
  flexibleVersions: string;
  fields: FieldSpec[];
  commonStructs?: { name: string; fields: FieldSpec[] }[];
}

export const SPECS = specsJson as unknown as Record<string, MessageSpec>;

export function versionRange(text: string | undefined): [number, number] | null {
  if (text === undefined || text === 'none') return null;
  const plus = /^(\d+)\+$/.exec(text);
  if (plus) return [Number(plus[1]), Infinity];
  const span = /^(\d+)-(\d+)$/.exec(text);
  if (span) return [Number(span[1]), Number(span[2])];
  return [Number(text), Number(text)];
}

export function inVersions(text: string | undefined, version: number): boolean {
  const range = versionRange(text);
  return range !== null && version >= range[0] && version <= range[1];
}

export function validVersions(spec: MessageSpec): number[] {
  const [lo, hi] = versionRange(spec.validVersions)!;
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

const camel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

function structFields(spec: MessageSpec, field: FieldSpec): FieldSpec[] {
  if (field.fields) return field.fields;
  const name = field.type.replace(/^\[\]/, '');
  const common = spec.commonStructs?.find((s) => s.name === name);
  if (!common) throw new Error(`${spec.name}: no struct ${name}`);
  return common.fields;
}

const isStructType = (type: string): boolean => /^[A-Z]/.test(type.replace(/^\[\]/, ''));

/** The value a field has when absent: the spec's default, or the type's. */
export function defaultValue(spec: MessageSpec, field: FieldSpec): unknown {
  const d = field.default === undefined ? undefined : String(field.default);
  if (field.type.startsWith('[]')) return d === 'null' ? null : [];
  if (isStructType(field.type)) {
    return d === 'null' ? null : defaultStruct(spec, structFields(spec, field));
  }
  switch (field.type) {
    case 'bool':
      return d === 'true';
    case 'int64':
      return d === undefined ? 0n : BigInt(d);
    case 'string':
      return d === 'null' ? null : (d ?? '');
    case 'uuid':
      return ZERO_UUID;
    case 'bytes':
      return d === 'null' ? null : new Uint8Array(0);
    case 'records':
      return field.nullableVersions !== undefined || d === 'null' ? null : new Uint8Array(0);
    default:
      return d === undefined ? 0 : Number(d);
  }
}

function defaultStruct(spec: MessageSpec, fields: FieldSpec[]): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const field of fields) value[camel(field.name)] = defaultValue(spec, field);
  return value;
}

export interface ArbitraryOptions {
  maxArrayLength: number;
  maxStringLength: number;
}

const DEFAULT_OPTIONS: ArbitraryOptions = { maxArrayLength: 3, maxStringLength: 12 };

function primitive(type: string, options: ArbitraryOptions): fc.Arbitrary<unknown> {
  switch (type) {
    case 'bool':
      return fc.boolean();
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'int32':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'int64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'float64':
      return fc.double();
    case 'string':
      return fc.string({ unit: 'binary', maxLength: options.maxStringLength });
    case 'uuid':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map(uuidFromBytes);
    case 'bytes':
    case 'records':
      return fc.uint8Array({ maxLength: 24 }).map((bytes) => Buffer.from(bytes));
  }
  throw new Error(`no arbitrary for ${type}`);
}

function fieldArbitrary(
  spec: MessageSpec,
  field: FieldSpec,
  version: number,
  options: ArbitraryOptions,
): fc.Arbitrary<unknown> {
  if (!inVersions(field.versions, version)) return fc.constant(defaultValue(spec, field));
  const nullable = inVersions(field.nullableVersions, version);
  const isArray = field.type.startsWith('[]');
  const elemType = isArray ? field.type.slice(2) : field.type;
  const elem = isStructType(elemType)
    ? structArbitrary(spec, structFields(spec, field), version, options)
    : primitive(elemType, options);
  const value = isArray ? fc.array(elem, { maxLength: options.maxArrayLength }) : elem;
  return nullable ? fc.option(value, { nil: null }) : value;
}

function structArbitrary(
  spec: MessageSpec,
  fields: FieldSpec[],
  version: number,
  options: ArbitraryOptions,
): fc.Arbitrary<Record<string, unknown>> {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of fields)
    record[camel(field.name)] = fieldArbitrary(spec, field, version, options);
  return fc.record(record);
}

/** Arbitrary values of message `name` (e.g. "MetadataRequest") that version `version` can carry. */
export function messageArbitrary(
  name: string,
  version: number,
  options: Partial<ArbitraryOptions> = {},
): fc.Arbitrary<Record<string, unknown>> {
  const spec = SPECS[name];
  if (!spec) throw new Error(`no message ${name}`);
  return structArbitrary(spec, spec.fields, version, { ...DEFAULT_OPTIONS, ...options });
}
