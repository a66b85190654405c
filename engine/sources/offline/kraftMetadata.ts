/**
 * Decoding of KRaft `__cluster_metadata` record values: a frame version, a record type and a
 * record version (unsigned varints, Kafka's MetadataRecordSerde), then the record's body, read
 * by walking that type's field table (kraftMetadataSchemas.ts).
 *
 * What cannot be read is never guessed: an unknown type, a version newer than the table or an
 * unknown frame version keeps its header and the body raw (base64) with a note saying why; an
 * unknown tagged field is kept as `{tag, bytes}`; a body cut short or with bytes left over is
 * `undecodable` with the reason.
 */
import { Reader } from '../../../broker/protocol/messages/reader';
import { METADATA_RECORD_SPECS, type FieldSpec, type FieldType } from './kraftMetadataSchemas';

/** The only frame version Kafka writes and reads (AbstractApiMessageSerde). */
const FRAME_VERSION = 1;

export type MetadataFieldValue =
  | number
  | string
  | boolean
  | null
  | { redacted: true; length: number }
  | MetadataFieldValue[]
  | { [name: string]: MetadataFieldValue };

export interface UnknownTaggedField {
  tag: number;
  /** base64 */
  bytes: string;
}

// A type, not an interface: the engine API sends it as a plain JSON object (index signature).
export type ClusterMetadataRecord = {
  kind: 'clusterMetadata';
  frameVersion: number;
  type: number;
  typeName: string;
  version: number;
  /** The body's fields, when this reader knows the type at this version. */
  fields?: Record<string, MetadataFieldValue>;
  unknownTaggedFields?: UnknownTaggedField[];
  /** Why the body was left raw. */
  note?: string;
  /** The raw body (base64), when it was not decoded. */
  body?: string;
};

export type ClusterMetadataResult = ClusterMetadataRecord | { kind: 'undecodable'; reason: string };

/** The type's name, or `unknown (N)`. */
export function metadataRecordTypeName(type: number): string {
  return METADATA_RECORD_SPECS[type]?.name ?? `unknown (${type})`;
}

export function decodeClusterMetadata(value: Buffer): ClusterMetadataResult {
  const reader = new Reader(value);
  let frameVersion: number, type: number, version: number;
  try {
    frameVersion = reader.unsignedVarint();
    type = reader.unsignedVarint();
    version = reader.unsignedVarint();
  } catch (error) {
    return { kind: 'undecodable', reason: `record header: ${(error as Error).message}` };
  }
  const typeName = metadataRecordTypeName(type);
  const header = { kind: 'clusterMetadata' as const, frameVersion, type, typeName, version };
  const raw = (note: string): ClusterMetadataRecord =>
    typeHoldsSecrets(type)
      ? { ...header, note: `${note}; the body holds credentials and is not shown` }
      : { ...header, note, body: value.subarray(reader.offset).toString('base64') };
  if (frameVersion !== FRAME_VERSION) {
    return raw(
      `frame version ${frameVersion} is not one this reader knows (only ${FRAME_VERSION})`,
    );
  }
  const spec = METADATA_RECORD_SPECS[type];
  if (!spec) return raw(`record type ${type} is not one this reader knows`);
  if ('withdrawn' in spec) {
    return raw(`${spec.name} was withdrawn before any Kafka release; its body is not decoded`);
  }
  if (version > spec.maxVersion) {
    return raw(`version ${version} of ${spec.name} is newer than this reader knows`);
  }
  try {
    const unknownTaggedFields: UnknownTaggedField[] = [];
    const fields = readStruct(reader, spec.fields, version, unknownTaggedFields);
    if (reader.remaining > 0) {
      throw new Error(`${reader.remaining} byte(s) left over after the last field`);
    }
    return {
      ...header,
      fields,
      ...(unknownTaggedFields.length > 0 ? { unknownTaggedFields } : {}),
    };
  } catch (error) {
    return {
      kind: 'undecodable',
      reason: `${spec.name} v${version}: ${(error as Error).message}`,
    };
  }
}

/** A struct: its untagged fields in order, then its tagged-field section. */
function readStruct(
  reader: Reader,
  fields: FieldSpec[],
  version: number,
  unknownTaggedFields: UnknownTaggedField[],
): Record<string, MetadataFieldValue> {
  const present = fields.filter((field) => (field.since ?? 0) <= version);
  const result: Record<string, MetadataFieldValue> = {};
  for (const field of present) {
    if (field.tag === undefined) result[field.name] = readField(reader, field, version);
  }
  for (let count = reader.unsignedVarint(); count > 0; count--) {
    const tag = reader.unsignedVarint();
    const end = reader.taggedFieldEnd();
    const field = present.find((candidate) => candidate.tag === tag);
    if (!field) {
      unknownTaggedFields.push({
        tag,
        bytes: reader.buffer.subarray(reader.offset, end).toString('base64'),
      });
      reader.offset = end;
      continue;
    }
    // A tagged field is read from its own bytes only, so a wrong size cannot run into the next.
    const own = new Reader(reader.buffer.subarray(reader.offset, end));
    result[field.name] = readField(own, field, version);
    if (own.remaining > 0) {
      throw new Error(`tagged field ${field.name} has ${own.remaining} byte(s) left over`);
    }
    reader.offset = end;
  }
  return result;
}

function readField(reader: Reader, field: FieldSpec, version: number): MetadataFieldValue {
  const nullable = field.nullable === true;
  const type: FieldType = field.type;
  if (typeof type === 'object') {
    const count = reader.arrayLength(true, nullable);
    if (count < 0) return null;
    const elements: MetadataFieldValue[] = [];
    // Unknown tags inside an element would lose their place in a flat list; there are none in
    // any known version, so they are an error here rather than silently dropped.
    const nested: UnknownTaggedField[] = [];
    for (let i = 0; i < count; i++) elements.push(readStruct(reader, type.array, version, nested));
    if (nested.length > 0) {
      throw new Error(`unknown tagged field ${nested[0]!.tag} inside ${field.name}`);
    }
    return elements;
  }
  switch (type) {
    case 'int8':
      return reader.int8();
    case 'int16':
      return reader.int16();
    case 'uint16':
      return reader.uint16();
    case 'int32':
      return reader.int32();
    case 'int64':
      return int64(reader.int64());
    case 'float64':
      return reader.float64();
    case 'bool':
      return reader.bool();
    case 'uuid':
      return reader.uuid();
    case 'string':
      return nullable ? reader.nullableString(true) : reader.string(true);
    case 'bytes': {
      const bytes = nullable ? reader.nullableBytes(true) : reader.bytes(true);
      if (bytes === null) return null;
      return field.secret ? { redacted: true, length: bytes.length } : bytes.toString('base64');
    }
    case '[]int32':
      return reader.int32Array(true, nullable);
    case '[]uuid':
      return reader.uuidArray(true, nullable);
    case '[]string':
      return reader.stringArray(true, nullable);
  }
}

/** Epochs, ids and timestamps fit a double; anything larger is kept exact as text. */
function int64(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/**
 * Whether a metadata record value is of a type that carries credentials (SCRAM keys), decoded
 * or not: its raw bytes must not be shown either, or redacting the decoded fields would be for
 * nothing.
 */
export function holdsSecrets(value: Buffer): boolean {
  try {
    const reader = new Reader(value);
    reader.unsignedVarint();
    return typeHoldsSecrets(reader.unsignedVarint());
  } catch {
    return false;
  }
}

function typeHoldsSecrets(type: number): boolean {
  const spec = METADATA_RECORD_SPECS[type];
  return spec !== undefined && 'fields' in spec && spec.fields.some((field) => field.secret);
}

const SUMMARY_LIMIT = 240;

/**
 * One line for a table cell: the type name and its top-level fields as `name=value`, e.g.
 * `TopicRecord name=orders topicId=…`; lists of structs as their count.
 */
export function summarizeClusterMetadata(record: ClusterMetadataResult): string {
  if (record.kind === 'undecodable') return `undecodable: ${record.reason}`;
  const head = `${record.typeName} v${record.version}`;
  if (!record.fields) return `${head} (${record.note ?? 'not decoded'})`;
  const parts = [record.typeName];
  for (const [name, value] of Object.entries(record.fields)) {
    parts.push(`${name}=${summarizeValue(value)}`);
  }
  const line = parts.join(' ');
  return line.length > SUMMARY_LIMIT ? `${line.slice(0, SUMMARY_LIMIT - 1)}…` : line;
}

function summarizeValue(value: MetadataFieldValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (value.some((element) => typeof element === 'object' && element !== null)) {
      return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
    }
    return `[${value.join(',')}]`;
  }
  if (typeof value === 'object') {
    return 'redacted' in value ? `<${String(value.length)} bytes, not shown>` : '{…}';
  }
  return String(value);
}
