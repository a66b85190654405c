/**
 * Kafka record codecs: bytes in, objects out, and back. No I/O.
 *
 * - Record batches (magic 2): `decodeRecordBatch`, `encodeRecordBatch`, `validateRecordBatch`,
 *   `scanRecordBatch` (the same walk handing out one reused cursor instead of objects: no
 *   allocation per record, ~10× the records/s of `decodeRecordBatch` once the CRC is checked),
 *   `readRecordBatchHeader` (header only), and the mutators a broker applies on append
 *   (`setBaseOffset`, `setPartitionLeaderEpoch`, `setLogAppendTime`).
 * - Legacy message sets (magic 0/1): `decodeLegacyMessageSet`.
 * - A buffer of concatenated entries (segment file, fetch response): `iterateLogEntries`,
 *   which stops cleanly at a truncated tail and reports it.
 * - Compression: `compress` / `decompress` by codec id. **zstd needs `await initCompression()`
 *   once before use** (its WebAssembly module loads asynchronously); everything else is
 *   synchronous and ready on import. A zstd call before that throws `CompressionError` of kind
 *   `NOT_INITIALIZED` — a programming error, never reported as corrupt data.
 *
 * Types: int64 fields (offsets, timestamps, producer ids) are `bigint`; int32 fields are
 * `number`. Decoded keys and values of uncompressed batches are views into the input buffer
 * (no copy): keep it alive and unmodified while you use them.
 *
 * Errors: bad bytes raise `CorruptRecordBatchError` with a `kind` (TRUNCATED, CRC_MISMATCH,
 * RECORD_COUNT_MISMATCH, …), the byte `position` where it was found, and
 * `kafkaError: 'CORRUPT_MESSAGE'`; codec failures outside a batch raise `CompressionError`.
 *
 * Typical uses:
 *
 *   // A broker accepting a produced batch (cost for an uncompressed batch: a CRC pass and an
 *   // allocation-free walk of the records; 'all' would also decompress compressed ones):
 *   validateRecordBatch(bytes, { asProduced: true, records: 'uncompressed' });
 *   setBaseOffset(bytes, logEndOffset);
 *
 *   // Reading a segment or a fetch response:
 *   for (const entry of iterateLogEntries(bytes)) {
 *     if (entry.kind === 'batch') use(decodeRecordBatch(entry.bytes, { verifyCrc: false }));
 *     else if (entry.kind === 'legacy') use(decodeLegacyMessageSet(entry.bytes));
 *     else report(entry); // 'corrupt' (with .error) or 'truncated' (always last)
 *   }
 *
 *   // A producer:
 *   await initCompression();
 *   const batch = encodeRecordBatch({ records: [{ key: 'k', value: 'v' }], compression: CompressionType.Zstd });
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
  scanRecordBatch,
  RecordCursor,
  validateRecordBatch,
  checkRecordBatchFraming,
  type RecordBatch,
  type DecodedRecord,
  type RecordHeader,
  type DecodeRecordBatchOptions,
  type ScanRecordBatchOptions,
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
