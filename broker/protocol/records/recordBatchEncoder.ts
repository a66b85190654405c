/**
 * Encoding of Kafka record batches, magic 2: what a producer sends, with the header fields
 * computed (batchLength, CRC-32C, lastOffsetDelta, maxTimestamp). Defaults are the Java
 * client's for a non-idempotent producer: producerId -1, producerEpoch -1, baseSequence -1,
 * partitionLeaderEpoch -1.
 */
import { varintSize, varlongSize, writeVarint, writeVarlong } from '../varint';
import { compress, type SnappyFormat } from './compression';
import { crc32c } from './crc32c';
import {
  CompressionType,
  LOG_OVERHEAD,
  Offsets,
  RECORD_BATCH_HEADER_SIZE,
  TimestampType,
} from './recordBatchHeader';

export type Bytes = Uint8Array | string;

export interface RecordHeaderInput {
  key: string;
  value?: Bytes | null;
}

export interface RecordInput {
  key?: Bytes | null;
  value?: Bytes | null;
  headers?: readonly RecordHeaderInput[];
  /** Absolute timestamp (ms). Default: the batch's base timestamp. */
  timestamp?: bigint | number;
  /** Default: the record's index in `records`. */
  offsetDelta?: number;
}

export interface EncodeRecordBatchOptions {
  records: readonly RecordInput[];
  baseOffset?: bigint | number;
  partitionLeaderEpoch?: number;
  compression?: CompressionType;
  /** gzip 1–9, zstd 1–22; see `CompressOptions`. */
  compressionLevel?: number;
  /** Default `'xerial'`, as the Java client writes. */
  snappyFormat?: SnappyFormat;
  timestampType?: TimestampType;
  /** Default: the first record's timestamp, else `Date.now()`. Deltas are relative to it. */
  baseTimestamp?: bigint | number;
  /** Default: the largest record timestamp (the base timestamp for an empty batch). */
  maxTimestamp?: bigint | number;
  producerId?: bigint | number;
  producerEpoch?: number;
  baseSequence?: number;
  isTransactional?: boolean;
  /** A control batch; build its record with `endTransactionMarker()`. */
  isControl?: boolean;
  /** Default: the last record's offset delta (0 for an empty batch). */
  lastOffsetDelta?: number;
}

const EMPTY = Buffer.alloc(0);

function toBytes(value: Bytes | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.length);
}

interface PreparedRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: Buffer; value: Buffer | null }[];
  timestampDelta: bigint;
  offsetDelta: number;
  bodySize: number;
}

function bytesFieldSize(bytes: Buffer | null): number {
  return bytes === null ? 1 : varintSize(bytes.length) + bytes.length;
}

function writeBytesField(target: Buffer, p: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarint(target, p, -1);
  p = writeVarint(target, p, bytes.length);
  target.set(bytes, p);
  return p + bytes.length;
}

/** Encodes the records section (uncompressed) of the prepared records into `target` at `p`. */
function writeRecords(target: Buffer, p: number, records: readonly PreparedRecord[]): number {
  for (const record of records) {
    p = writeVarint(target, p, record.bodySize);
    target[p++] = 0; // attributes
    p = writeVarlong(target, p, record.timestampDelta);
    p = writeVarint(target, p, record.offsetDelta);
    p = writeBytesField(target, p, record.key);
    p = writeBytesField(target, p, record.value);
    p = writeVarint(target, p, record.headers.length);
    for (const header of record.headers) {
      p = writeBytesField(target, p, header.key);
      p = writeBytesField(target, p, header.value);
    }
  }
  return p;
}

/** Encodes one record batch. Synchronous; zstd needs `await initCompression()` first. */
export function encodeRecordBatch(options: EncodeRecordBatchOptions): Buffer {
  const inputs = options.records;
  const compression = options.compression ?? CompressionType.None;
  const timestamps = inputs.map((record) =>
    record.timestamp === undefined ? undefined : BigInt(record.timestamp),
  );
  const baseTimestamp = BigInt(
    options.baseTimestamp ?? timestamps.find((t) => t !== undefined) ?? Date.now(),
  );
  let maxTimestamp: bigint | null = null;
  let recordsSize = 0;
  const prepared: PreparedRecord[] = inputs.map((input, index) => {
    const timestamp = timestamps[index] ?? baseTimestamp;
    if (maxTimestamp === null || timestamp > maxTimestamp) maxTimestamp = timestamp;
    const key = toBytes(input.key);
    const value = toBytes(input.value);
    const headers = (input.headers ?? []).map((header) => ({
      key: toBytes(header.key) ?? EMPTY,
      value: toBytes(header.value),
    }));
    const timestampDelta = timestamp - baseTimestamp;
    const offsetDelta = input.offsetDelta ?? index;
    let bodySize =
      1 +
      varlongSize(timestampDelta) +
      varintSize(offsetDelta) +
      bytesFieldSize(key) +
      bytesFieldSize(value) +
      varintSize(headers.length);
    for (const header of headers)
      bodySize += bytesFieldSize(header.key) + bytesFieldSize(header.value);
    recordsSize += varintSize(bodySize) + bodySize;
    return { key, value, headers, timestampDelta, offsetDelta, bodySize };
  });

  let batch: Buffer;
  if (compression === CompressionType.None) {
    batch = Buffer.allocUnsafe(RECORD_BATCH_HEADER_SIZE + recordsSize);
    writeRecords(batch, RECORD_BATCH_HEADER_SIZE, prepared);
  } else {
    const section = Buffer.allocUnsafe(recordsSize);
    writeRecords(section, 0, prepared);
    const packed = compress(compression, section, {
      level: options.compressionLevel,
      snappyFormat: options.snappyFormat,
    });
    batch = Buffer.allocUnsafe(RECORD_BATCH_HEADER_SIZE + packed.length);
    batch.set(packed, RECORD_BATCH_HEADER_SIZE);
  }

  const timestampType = options.timestampType ?? TimestampType.CreateTime;
  const attributes =
    (compression & 0x07) |
    (timestampType === TimestampType.LogAppendTime ? 0x08 : 0) |
    (options.isTransactional ? 0x10 : 0) |
    (options.isControl ? 0x20 : 0);
  const lastOffsetDelta =
    options.lastOffsetDelta ??
    (prepared.length > 0 ? prepared[prepared.length - 1]!.offsetDelta : 0);

  batch.writeBigInt64BE(BigInt(options.baseOffset ?? 0), Offsets.baseOffset);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, Offsets.batchLength);
  batch.writeInt32BE(options.partitionLeaderEpoch ?? -1, Offsets.partitionLeaderEpoch);
  batch.writeInt8(2, Offsets.magic);
  batch.writeInt16BE(attributes, Offsets.attributes);
  batch.writeInt32BE(lastOffsetDelta, Offsets.lastOffsetDelta);
  batch.writeBigInt64BE(baseTimestamp, Offsets.baseTimestamp);
  batch.writeBigInt64BE(
    BigInt(options.maxTimestamp ?? maxTimestamp ?? baseTimestamp),
    Offsets.maxTimestamp,
  );
  batch.writeBigInt64BE(BigInt(options.producerId ?? -1), Offsets.producerId);
  batch.writeInt16BE(options.producerEpoch ?? -1, Offsets.producerEpoch);
  batch.writeInt32BE(options.baseSequence ?? -1, Offsets.baseSequence);
  batch.writeInt32BE(prepared.length, Offsets.recordsCount);
  batch.writeUInt32BE(crc32c(batch, Offsets.attributes), Offsets.crc);
  return batch;
}
