/**
 * Kafka record codecs: bytes in, objects out, and back. No I/O.
 *
 * - Record batches (magic 2): `decodeRecordBatch`, `encodeRecordBatch`, `validateRecordBatch`,
 *   `readRecordBatchHeader` (header only), and the mutators a broker applies on append
 *   (`setBaseOffset`, `setPartitionLeaderEpoch`, `setLogAppendTime`).
 * - Legacy message sets (magic 0/1): `decodeLegacyMessageSet`.
 * - A buffer of concatenated entries (segment file, fetch response): `iterateLogEntries`,
 *   which stops cleanly at a truncated tail and reports it.
 * - Compression: `compress` / `decompress` by codec id. **zstd needs `await initCompression()`
 *   once before use**; everything else is synchronous and ready on import.
 *
 * Types: int64 fields (offsets, timestamps, producer ids) are `bigint`; int32 fields are
 * `number`. Decoded keys and values of uncompressed batches are views into the input buffer.
 *
 * Errors: bad bytes raise `CorruptRecordBatchError` (`kind`, `position`; Kafka error
 * `CORRUPT_MESSAGE`); codec failures outside a batch raise `CompressionError`.
 */
export {
  CompressionType,
  TimestampType,
  LOG_OVERHEAD,
  RECORD_BATCH_HEADER_SIZE,
  Offsets as RecordBatchOffsets,
  readRecordBatchHeader,
  computeRecordBatchCrc,
  isRecordBatchCrcValid,
  setBaseOffset,
  setPartitionLeaderEpoch,
  setLogAppendTime,
  type RecordBatchHeader,
} from './recordBatchHeader';
export {
  decodeRecordBatch,
  validateRecordBatch,
  checkRecordBatchFraming,
  type RecordBatch,
  type DecodedRecord,
  type RecordHeader,
  type DecodeRecordBatchOptions,
  type ValidateRecordBatchOptions,
} from './recordBatch';
export {
  encodeRecordBatch,
  type EncodeRecordBatchOptions,
  type RecordInput,
  type RecordHeaderInput,
  type Bytes,
} from './recordBatchEncoder';
export {
  ControlRecordType,
  parseControlRecord,
  endTransactionMarker,
  type ControlRecord,
  type ControlRecordTypeName,
} from './controlRecord';
export {
  decodeLegacyMessageSet,
  type LegacyRecord,
  type DecodeLegacyOptions,
} from './legacyMessageSet';
export { iterateLogEntries, type LogEntry, type IterateLogEntriesOptions } from './logEntries';
export {
  compress,
  decompress,
  initCompression,
  isCompressionReady,
  COMPRESSION_NAMES,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  type CompressOptions,
  type DecompressOptions,
  type SnappyFormat,
} from './compression';
export {
  CorruptRecordBatchError,
  CompressionError,
  type CorruptionKind,
  type CompressionErrorKind,
} from './errors';
export { crc32c } from './crc32c';
