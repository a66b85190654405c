/**
 * What the log checks in a record batch before it appends it, in Kafka's order
 * (`UnifiedLog.analyzeAndValidateRecords`, then `LogValidator`): one whole magic-2 batch, not
 * larger than `max.message.bytes`, then the record codec's checks — CRC, offsets as a
 * producer must send them (at least one record, `lastOffsetDelta = count - 1`), and, for
 * uncompressed batches, records that exactly fill the batch. Compressed batches are not
 * decompressed on append (Kafka does; here the CRC vouches for the bytes and appends stay
 * cheap).
 *
 * And the lookup of a record by timestamp inside one stored batch.
 */
import {
  CorruptRecordBatchError,
  decodeRecordBatch,
  initCompression,
  isCompressionReady,
  LOG_OVERHEAD,
  RecordBatchOffsets as Offsets,
  RECORD_BATCH_HEADER_SIZE,
  validateRecordBatch,
} from '../protocol/records/index';
import { LogError } from './errors';

/** The facts about a valid batch that the log keeps. */
export interface CheckedBatch {
  bytes: Buffer;
  recordsCount: number;
  /** Records in the batch cover offsets base .. base + lastOffsetDelta. */
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
}

const corrupt = (reason: string, cause?: unknown) =>
  new LogError('CORRUPT_MESSAGE', `Corrupt record batch: ${reason}`, { cause });

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
  const size = bytes.readInt32BE(Offsets.batchLength) + LOG_OVERHEAD;
  if (magic === 2 && size > bytes.length) {
    throw corrupt(`truncated: the header says ${size} bytes, the request holds ${bytes.length}`);
  }
  if (magic === 2 && size < bytes.length) {
    throw corrupt(`${bytes.length - size} bytes after the batch (one batch per append)`);
  }
  if (magic === 2 && size > maxMessageBytes) {
    throw new LogError(
      'MESSAGE_TOO_LARGE',
      `Record batch of ${size} bytes is larger than max.message.bytes (${maxMessageBytes})`,
    );
  }
  try {
    validateRecordBatch(bytes, { records: 'uncompressed', asProduced: true });
  } catch (error) {
    if (error instanceof CorruptRecordBatchError) throw corrupt(error.message, error);
    throw error;
  }
  return {
    bytes,
    recordsCount: bytes.readInt32BE(Offsets.recordsCount),
    lastOffsetDelta: bytes.readInt32BE(Offsets.lastOffsetDelta),
    baseTimestamp: Number(bytes.readBigInt64BE(Offsets.baseTimestamp)),
    maxTimestamp: Number(bytes.readBigInt64BE(Offsets.maxTimestamp)),
  };
}

/** Makes sure every compression codec can decode (zstd loads WebAssembly once). */
export async function readyToDecode(): Promise<void> {
  if (!isCompressionReady()) await initCompression();
}

/**
 * The first record at or after `minOffset` in a stored batch whose timestamp is ≥ `target`,
 * or undefined when the batch has none. Call `readyToDecode()` once first.
 */
export function firstRecordAtOrAfter(
  bytes: Buffer,
  target: number,
  minOffset = 0,
): { offset: number; timestamp: number } | undefined {
  if (Number(bytes.readBigInt64BE(Offsets.maxTimestamp)) < target) return undefined;
  const lastOffset =
    Number(bytes.readBigInt64BE(Offsets.baseOffset)) + bytes.readInt32BE(Offsets.lastOffsetDelta);
  if (lastOffset < minOffset) return undefined;
  let records;
  try {
    ({ records } = decodeRecordBatch(bytes, { verifyCrc: false }));
  } catch {
    // A stored batch that does not decode: answer with its first offset rather than fail.
    const baseOffset = Number(bytes.readBigInt64BE(Offsets.baseOffset));
    return { offset: Math.max(baseOffset, minOffset), timestamp: target };
  }
  const found = records.find(
    (record) => Number(record.timestamp) >= target && Number(record.offset) >= minOffset,
  );
  return found && { offset: Number(found.offset), timestamp: Number(found.timestamp) };
}
