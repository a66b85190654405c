/**
 * The fixed 61-byte header of a Kafka record batch (magic 2), read without touching the
 * records. See Kafka's documentation, "Record Batch":
 *
 *   baseOffset: int64 | batchLength: int32 | partitionLeaderEpoch: int32 | magic: int8 |
 *   crc: uint32 | attributes: int16 | lastOffsetDelta: int32 | baseTimestamp: int64 |
 *   maxTimestamp: int64 | producerId: int64 | producerEpoch: int16 | baseSequence: int32 |
 *   recordsCount: int32 | records…
 *
 * `batchLength` counts the bytes after itself, so a whole batch is `batchLength + 12` bytes.
 * The CRC (CRC-32C) covers attributes through the end: the broker may rewrite baseOffset and
 * partitionLeaderEpoch without recomputing it.
 */
import { crc32c } from './crc32c';

export const RECORD_BATCH_HEADER_SIZE = 61;
/** Bytes before `batchLength` starts counting: baseOffset (8) + batchLength (4). */
export const LOG_OVERHEAD = 12;

export const Offsets = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordsCount: 57,
} as const;

export const enum CompressionType {
  None = 0,
  Gzip = 1,
  Snappy = 2,
  Lz4 = 3,
  Zstd = 4,
}

export const enum TimestampType {
  CreateTime = 0,
  LogAppendTime = 1,
}

export interface RecordBatchHeader {
  baseOffset: bigint;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  compression: CompressionType;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

/** Reads the header of the batch starting at `start`. The caller checks the length first. */
export function readRecordBatchHeader(bytes: Buffer, start = 0): RecordBatchHeader {
  const attributes = bytes.readInt16BE(start + Offsets.attributes);
  return {
    baseOffset: bytes.readBigInt64BE(start + Offsets.baseOffset),
    batchLength: bytes.readInt32BE(start + Offsets.batchLength),
    partitionLeaderEpoch: bytes.readInt32BE(start + Offsets.partitionLeaderEpoch),
    magic: bytes.readInt8(start + Offsets.magic),
    crc: bytes.readUInt32BE(start + Offsets.crc),
    attributes,
    compression: (attributes & 0x07) as CompressionType,
    timestampType: ((attributes >> 3) & 1) as TimestampType,
    isTransactional: (attributes & 0x10) !== 0,
    isControl: (attributes & 0x20) !== 0,
    lastOffsetDelta: bytes.readInt32BE(start + Offsets.lastOffsetDelta),
    baseTimestamp: bytes.readBigInt64BE(start + Offsets.baseTimestamp),
    maxTimestamp: bytes.readBigInt64BE(start + Offsets.maxTimestamp),
    producerId: bytes.readBigInt64BE(start + Offsets.producerId),
    producerEpoch: bytes.readInt16BE(start + Offsets.producerEpoch),
    baseSequence: bytes.readInt32BE(start + Offsets.baseSequence),
    recordsCount: bytes.readInt32BE(start + Offsets.recordsCount),
  };
}

/** The CRC the batch at `start` (of `size` bytes in all) should carry. */
export function computeRecordBatchCrc(
  bytes: Buffer,
  start = 0,
  size = bytes.length - start,
): number {
  return crc32c(bytes, start + Offsets.attributes, start + size);
}

/** True when the stored CRC matches the bytes it covers. */
export function isRecordBatchCrcValid(
  bytes: Buffer,
  start = 0,
  size = bytes.length - start,
): boolean {
  return bytes.readUInt32BE(start + Offsets.crc) === computeRecordBatchCrc(bytes, start, size);
}

/**
 * Writes the base offset a broker assigns on append. baseOffset is outside the CRC, so the
 * stored batch stays valid.
 */
export function setBaseOffset(bytes: Buffer, baseOffset: bigint, start = 0): void {
  bytes.writeBigInt64BE(baseOffset, start + Offsets.baseOffset);
}

/** Writes the leader epoch a broker stamps on append; also outside the CRC. */
export function setPartitionLeaderEpoch(bytes: Buffer, epoch: number, start = 0): void {
  bytes.writeInt32BE(epoch, start + Offsets.partitionLeaderEpoch);
}

/**
 * Applies `message.timestamp.type=LogAppendTime` to a batch, as Kafka's
 * DefaultRecordBatch.setMaxTimestamp does: sets the timestamp-type attribute, writes the
 * append time as maxTimestamp (each record's timestamp then reads as it), and recomputes the
 * CRC, which covers both. The batch at `start` must be `size` bytes long.
 */
export function setLogAppendTime(
  bytes: Buffer,
  appendTime: bigint,
  start = 0,
  size = bytes.readInt32BE(start + Offsets.batchLength) + LOG_OVERHEAD,
): void {
  const attributes = bytes.readInt16BE(start + Offsets.attributes);
  bytes.writeInt16BE(attributes | 0x08, start + Offsets.attributes);
  bytes.writeBigInt64BE(appendTime, start + Offsets.maxTimestamp);
  bytes.writeUInt32BE(computeRecordBatchCrc(bytes, start, size), start + Offsets.crc);
}
