/**
 * Legacy message sets, magic 0 (Kafka < 0.10) and magic 1 (0.10.x), as old data directories
 * hold them. Layout, from Kafka's documentation ("Old Message Format"):
 *
 *   MessageSet => [offset: int64 | messageSize: int32 | Message]
 *   Message v0 => crc: uint32 | magic: int8 | attributes: int8 | key: bytes | value: bytes
 *   Message v1 => crc: uint32 | magic: int8 | attributes: int8 | timestamp: int64 |
 *                 key: bytes | value: bytes
 *
 * `bytes` is an int32 length (-1 for null) and that many bytes; the CRC is plain CRC-32 (IEEE)
 * over magic..end. Attributes: bits 0–2 the compression codec, bit 3 (magic 1) the timestamp
 * type. A compressed message is a *wrapper*: its value is a compressed inner message set.
 * Inner offsets of a magic 0 wrapper are absolute; those of a magic 1 wrapper are relative
 * (0, 1, 2…), the wrapper carrying the absolute offset of the last inner message. Under
 * LogAppendTime, inner messages take the wrapper's timestamp.
 *
 * A message set shares its first 17 bytes' layout with a record batch: offset (8), size (4),
 * 4 bytes, then the magic at byte 16. That is how one segment can hold both.
 */
import { crc32 } from 'node:zlib';
import { decompress, COMPRESSION_NAMES, DEFAULT_MAX_DECOMPRESSED_BYTES } from './compression';
import { CompressionError, CorruptRecordBatchError } from './errors';
import { CompressionType, LOG_OVERHEAD, TimestampType } from './recordBatchHeader';
import type { RecordHeader } from './recordBatch';

export interface LegacyRecord {
  magic: 0 | 1;
  offset: bigint;
  /** Milliseconds; -1n for magic 0, which has no timestamp. */
  timestamp: bigint;
  /** null for magic 0. */
  timestampType: TimestampType | null;
  key: Buffer | null;
  value: Buffer | null;
  /** Always empty: legacy messages have no headers. Here so code can treat records alike. */
  headers: readonly RecordHeader[];
  /** The codec of the wrapper this message came out of, or None. */
  compression: CompressionType;
  /** The message's stored CRC-32. */
  crc: number;
}

export interface DecodeLegacyOptions {
  /** Check each message's CRC-32 (default true). */
  verifyCrc?: boolean;
  maxDecompressedBytes?: number;
}

/** crc (4) + magic (1) + attributes (1) + key length (4) + value length (4). */
export const LEGACY_V0_MIN_SIZE = 14;
/** v0 plus the timestamp (8). */
export const LEGACY_V1_MIN_SIZE = 22;
const NO_HEADERS: readonly RecordHeader[] = Object.freeze([]);

interface Message {
  offset: bigint;
  magic: 0 | 1;
  attributes: number;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  crc: number;
  /** Offset of the value's bytes, for error positions. */
  valueStart: number;
  size: number;
}

/** Says where an error is: a byte of `bytes`, or a byte inside a wrapper's decompressed set. */
type Place = (at: number, message: string) => [string, number];

const outer: Place = (at, message) => [message, at];

/**
 * The smallest size a message of `magic` can have, or null for an unknown magic.
 * Exported for the log-entry iterator.
 */
export function legacyMinimumSize(magic: number): number | null {
  if (magic === 0) return LEGACY_V0_MIN_SIZE;
  if (magic === 1) return LEGACY_V1_MIN_SIZE;
  return null;
}

function readMessage(bytes: Buffer, pos: number, verifyCrc: boolean, place: Place): Message {
  const fail = (
    kind: ConstructorParameters<typeof CorruptRecordBatchError>[0],
    at: number,
    text: string,
  ) => {
    const [message, position] = place(at, text);
    return new CorruptRecordBatchError(kind, message, position);
  };
  if (bytes.length - pos < LOG_OVERHEAD + 5) {
    throw fail('TRUNCATED', pos, `message header needs 17 bytes, ${bytes.length - pos} available`);
  }
  const offset = bytes.readBigInt64BE(pos);
  const size = bytes.readInt32BE(pos + 8);
  const magic = bytes[pos + 16]!;
  const minimum = legacyMinimumSize(magic);
  if (minimum === null) {
    throw fail('UNSUPPORTED_MAGIC', pos + 16, `magic ${magic} is not a legacy message (0 or 1)`);
  }
  if (size < minimum) {
    throw fail(
      'INVALID_LENGTH',
      pos + 8,
      `message size ${size} is below the ${minimum}-byte minimum`,
    );
  }
  const end = pos + LOG_OVERHEAD + size;
  if (end > bytes.length) {
    throw fail(
      'TRUNCATED',
      pos + 8,
      `message of ${size} bytes, ${bytes.length - pos - LOG_OVERHEAD} available`,
    );
  }
  const crc = bytes.readUInt32BE(pos + 12);
  if (verifyCrc) {
    const computed = crc32(bytes.subarray(pos + 16, end));
    if (computed !== crc) {
      throw fail(
        'CRC_MISMATCH',
        pos + 12,
        `CRC-32 is 0x${computed.toString(16).padStart(8, '0')}, message says 0x${crc.toString(16).padStart(8, '0')}`,
      );
    }
  }
  const attributes = bytes[pos + 17]!;
  let p = pos + 18;
  let timestamp = -1n;
  if (magic === 1) {
    timestamp = bytes.readBigInt64BE(p);
    p += 8;
  }
  const readBytesField = (what: string): Buffer | null => {
    if (p + 4 > end) throw fail('INVALID_RECORD', p, `${what} length runs past the message`);
    const length = bytes.readInt32BE(p);
    p += 4;
    if (length === -1) return null;
    if (length < -1 || p + length > end) {
      throw fail('INVALID_RECORD', p - 4, `${what} length ${length} does not fit the message`);
    }
    const field = bytes.subarray(p, p + length);
    p += length;
    return field;
  };
  const key = readBytesField('key');
  const valueStart = p + 4;
  const value = readBytesField('value');
  if (p !== end) {
    throw fail(
      'INVALID_RECORD',
      pos + 8,
      `message size ${size} leaves ${end - p} bytes after its value`,
    );
  }
  return {
    offset,
    magic: magic as 0 | 1,
    attributes,
    timestamp,
    key,
    value,
    crc,
    valueStart,
    size: LOG_OVERHEAD + size,
  };
}

function toRecord(message: Message, compression: CompressionType): LegacyRecord {
  return {
    magic: message.magic,
    offset: message.offset,
    timestamp: message.timestamp,
    timestampType:
      message.magic === 0
        ? null
        : (message.attributes & 0x08) !== 0
          ? TimestampType.LogAppendTime
          : TimestampType.CreateTime,
    key: message.key,
    value: message.value,
    headers: NO_HEADERS,
    compression,
    crc: message.crc,
  };
}

/** Expands one compressed wrapper message into its inner records. */
function expandWrapper(
  wrapper: Message,
  position: number,
  options: Required<DecodeLegacyOptions>,
): LegacyRecord[] {
  const codec = (wrapper.attributes & 0x07) as CompressionType;
  if (codec > CompressionType.Zstd) {
    throw new CorruptRecordBatchError(
      'UNSUPPORTED_COMPRESSION',
      `compression codec ${codec} does not exist`,
      position + 17,
    );
  }
  if (wrapper.value === null) {
    throw new CorruptRecordBatchError(
      'INVALID_RECORD',
      'a compressed wrapper message has a null value',
      wrapper.valueStart - 4,
    );
  }
  let inner: Buffer;
  try {
    inner = decompress(codec, wrapper.value, {
      maxOutputBytes: options.maxDecompressedBytes,
      // Magic 0 LZ4 frames carry a wrong descriptor checksum (KAFKA-3160); Kafka ignores it.
      ignoreLz4HeaderChecksum: wrapper.magic === 0,
    });
  } catch (error) {
    if (!(error instanceof CompressionError) || error.kind === 'NOT_INITIALIZED') throw error;
    throw new CorruptRecordBatchError(
      'CORRUPT_COMPRESSED_DATA',
      `${COMPRESSION_NAMES[codec]} wrapper value does not decompress: ${error.message}`,
      wrapper.valueStart,
      { cause: error },
    );
  }
  const place: Place = (at, message) => [
    `${message}, at byte ${at} of the decompressed wrapper value`,
    wrapper.valueStart,
  ];
  const messages: Message[] = [];
  for (let p = 0; p < inner.length;) {
    const message = readMessage(inner, p, options.verifyCrc, place);
    if ((message.attributes & 0x07) !== CompressionType.None) {
      const [text, at] = place(p + 17, 'a compressed message inside a compressed wrapper');
      throw new CorruptRecordBatchError('INVALID_RECORD', text, at);
    }
    messages.push(message);
    p += message.size;
  }
  const logAppendTime = wrapper.magic === 1 && (wrapper.attributes & 0x08) !== 0;
  // Magic 1 inner offsets are relative; the wrapper holds the absolute offset of the last.
  const base =
    wrapper.magic === 1 && messages.length > 0
      ? wrapper.offset - messages[messages.length - 1]!.offset
      : 0n;
  return messages.map((message) => {
    const record = toRecord(message, codec);
    record.offset = base + message.offset;
    if (logAppendTime) {
      record.timestamp = wrapper.timestamp;
      record.timestampType = TimestampType.LogAppendTime;
    }
    return record;
  });
}

/**
 * Decodes the legacy message set in `bytes` (every byte of it), expanding compressed
 * wrappers. Throws `CorruptRecordBatchError` at the first bad or truncated message; to stop
 * cleanly at a truncated tail instead, walk a buffer with `iterateLogEntries`.
 */
export function decodeLegacyMessageSet(
  bytes: Uint8Array,
  options: DecodeLegacyOptions = {},
): LegacyRecord[] {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const resolved: Required<DecodeLegacyOptions> = {
    verifyCrc: options.verifyCrc ?? true,
    maxDecompressedBytes: options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
  };
  const records: LegacyRecord[] = [];
  for (let p = 0; p < buffer.length;) {
    const message = readMessage(buffer, p, resolved.verifyCrc, outer);
    const codec = (message.attributes & 0x07) as CompressionType;
    if (codec === CompressionType.None) records.push(toRecord(message, codec));
    else for (const record of expandWrapper(message, p, resolved)) records.push(record);
    p += message.size;
  }
  return records;
}
