/**
 * What the log checks in a record batch before it appends it, in Kafka's order
 * (`UnifiedLog.analyzeAndValidateRecords`, then `LogValidator`): a whole magic-2 batch, not
 * larger than `max.message.bytes`, with a valid CRC, a record count that agrees with its
 * offsets, and — when uncompressed — records that exactly fill the batch.
 *
 * Also the two rewrites the broker makes in a batch: the base offset it assigns (not covered
 * by the CRC) and, for `LogAppendTime` topics, the timestamp type and max timestamp (covered,
 * so the CRC is recomputed, as Kafka does).
 */
import {
  LOG_OVERHEAD,
  Offsets,
  RECORD_BATCH_HEADER_SIZE,
  computeRecordBatchCrc,
  isRecordBatchCrcValid,
} from '../protocol/records/recordBatchHeader';
import { readVarint, readVarlong, VarintError } from '../protocol/varint';
import { LogError } from './errors';

const TIMESTAMP_TYPE_BIT = 0x08;
const COMPRESSION_MASK = 0x07;

/** The facts about a valid batch that the log keeps. */
export interface CheckedBatch {
  bytes: Buffer;
  recordsCount: number;
  /** Records in the batch cover offsets base .. base + lastOffsetDelta. */
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
}

const corrupt = (reason: string) =>
  new LogError('CORRUPT_MESSAGE', `Corrupt record batch: ${reason}`);

/** Checks one record batch as a producer sent it. Throws a `LogError` when it is refused. */
export function validateBatch(bytes: Buffer, maxMessageBytes: number): CheckedBatch {
  if (bytes.length < RECORD_BATCH_HEADER_SIZE) {
    throw corrupt(
      `${bytes.length} bytes, shorter than the ${RECORD_BATCH_HEADER_SIZE}-byte header`,
    );
  }
  const magic = bytes.readInt8(Offsets.magic);
  if (magic === 0 || magic === 1) {
    throw new LogError(
      'UNSUPPORTED_FOR_MESSAGE_FORMAT',
      `Message format v${magic} is not accepted for appends; this log stores magic 2 record batches`,
    );
  }
  if (magic !== 2) throw corrupt(`unknown magic byte ${magic}`);
  const size = bytes.readInt32BE(Offsets.batchLength) + LOG_OVERHEAD;
  if (size > bytes.length)
    throw corrupt(`truncated: header says ${size} bytes, got ${bytes.length}`);
  if (size < bytes.length) {
    throw corrupt(`${bytes.length - size} bytes after the batch (one batch per append)`);
  }
  if (size > maxMessageBytes) {
    throw new LogError(
      'MESSAGE_TOO_LARGE',
      `Record batch of ${size} bytes is larger than max.message.bytes (${maxMessageBytes})`,
    );
  }
  if (!isRecordBatchCrcValid(bytes, 0, size)) throw corrupt('CRC mismatch');

  const recordsCount = bytes.readInt32BE(Offsets.recordsCount);
  const lastOffsetDelta = bytes.readInt32BE(Offsets.lastOffsetDelta);
  if (recordsCount < 1) throw corrupt(`record count ${recordsCount}; a batch holds at least one`);
  if (lastOffsetDelta !== recordsCount - 1) {
    throw corrupt(
      `record count ${recordsCount} does not match last offset delta ${lastOffsetDelta}`,
    );
  }
  if ((bytes.readInt16BE(Offsets.attributes) & COMPRESSION_MASK) === 0) {
    checkRecordsFillBatch(bytes, recordsCount);
  }
  return {
    bytes,
    recordsCount,
    lastOffsetDelta,
    baseTimestamp: Number(bytes.readBigInt64BE(Offsets.baseTimestamp)),
    maxTimestamp: Number(bytes.readBigInt64BE(Offsets.maxTimestamp)),
  };
}

/** Walks the length prefixes of uncompressed records: exactly `count` of them fill the batch. */
function checkRecordsFillBatch(bytes: Buffer, count: number): void {
  let at = RECORD_BATCH_HEADER_SIZE;
  try {
    for (let i = 0; i < count; i++) {
      const { value: length, next } = readVarint(bytes, at);
      if (length < 0) throw corrupt(`record ${i} has negative length ${length}`);
      at = next + length;
      if (at > bytes.length) throw corrupt(`record ${i} runs past the end of the batch`);
    }
  } catch (error) {
    if (error instanceof VarintError) throw corrupt(error.message);
    throw error;
  }
  if (at !== bytes.length) {
    throw corrupt(`${bytes.length - at} bytes after the ${count} records the header counts`);
  }
}

/** Writes the offset the log assigned into the batch (bytes 0..8; not covered by the CRC). */
export function writeBaseOffset(bytes: Buffer, baseOffset: number): void {
  bytes.writeBigInt64BE(BigInt(baseOffset), Offsets.baseOffset);
}

/**
 * Stamps a batch with the broker's append time (`message.timestamp.type=LogAppendTime`): the
 * timestamp-type attribute bit and the max timestamp, then the CRC they are covered by.
 * Consumers read every record's timestamp as the max timestamp of such a batch.
 */
export function stampLogAppendTime(bytes: Buffer, appendTime: number): void {
  const attributes = bytes.readInt16BE(Offsets.attributes);
  bytes.writeInt16BE(attributes | TIMESTAMP_TYPE_BIT, Offsets.attributes);
  bytes.writeBigInt64BE(BigInt(appendTime), Offsets.maxTimestamp);
  bytes.writeUInt32BE(computeRecordBatchCrc(bytes, 0, bytes.length), Offsets.crc);
}

/**
 * The first record at or after `minOffset` in a stored batch whose timestamp is ≥ `target`,
 * or undefined when the batch has none. Record timestamps are read for uncompressed
 * CreateTime batches; in a LogAppendTime batch every record has the batch's max timestamp.
 * A compressed CreateTime batch whose max timestamp qualifies answers with its first record
 * (at or after `minOffset`): its records are not decoded here (TODO: use the record batch
 * codec once it lands; Kafka returns the exact record).
 */
export function firstRecordAtOrAfter(
  bytes: Buffer,
  target: number,
  minOffset = 0,
): { offset: number; timestamp: number } | undefined {
  const baseOffset = Number(bytes.readBigInt64BE(Offsets.baseOffset));
  const maxTimestamp = Number(bytes.readBigInt64BE(Offsets.maxTimestamp));
  if (maxTimestamp < target) return undefined;
  const timestamps = recordTimestamps(bytes);
  if (!timestamps) {
    const lastOffset = baseOffset + bytes.readInt32BE(Offsets.lastOffsetDelta);
    return minOffset > lastOffset
      ? undefined
      : { offset: Math.max(baseOffset, minOffset), timestamp: maxTimestamp };
  }
  const found = timestamps.find(
    (record) => record.timestamp >= target && baseOffset + record.offsetDelta >= minOffset,
  );
  return found && { offset: baseOffset + found.offsetDelta, timestamp: found.timestamp };
}

/** Record offset deltas and timestamps of an uncompressed CreateTime batch, else undefined. */
function recordTimestamps(bytes: Buffer): { offsetDelta: number; timestamp: number }[] | undefined {
  const attributes = bytes.readInt16BE(Offsets.attributes);
  if ((attributes & COMPRESSION_MASK) !== 0 || (attributes & TIMESTAMP_TYPE_BIT) !== 0) return;
  const baseTimestamp = bytes.readBigInt64BE(Offsets.baseTimestamp);
  const count = bytes.readInt32BE(Offsets.recordsCount);
  const out: { offsetDelta: number; timestamp: number }[] = [];
  let at = RECORD_BATCH_HEADER_SIZE;
  for (let i = 0; i < count && at < bytes.length; i++) {
    const length = readVarint(bytes, at);
    const end = length.next + length.value;
    const timestampDelta = readVarlong(bytes, length.next + 1); // after the attributes byte
    const offsetDelta = readVarint(bytes, timestampDelta.next);
    out.push({
      offsetDelta: offsetDelta.value,
      timestamp: Number(baseTimestamp + timestampDelta.value),
    });
    at = end;
  }
  return out;
}
