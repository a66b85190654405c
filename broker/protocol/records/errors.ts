/**
 * Errors of the record codecs. Each carries a machine-readable `kind` and, for batches, the
 * byte position where the problem was found, so that a log or an offline reader can say
 * exactly what is wrong and where. Every one of them maps to Kafka's `CORRUPT_MESSAGE` (2)
 * when a client sent the bytes; `kafkaError` says so, so that callers need no table.
 */

/** What is wrong with a record batch (or a legacy message). */
export type CorruptionKind =
  /** Fewer bytes than the header or a length field says there are. */
  | 'TRUNCATED'
  /** A length field is impossible (below the header size, negative, past a limit). */
  | 'INVALID_LENGTH'
  /** A magic byte this codec does not know (only 0, 1 and 2 exist). */
  | 'UNSUPPORTED_MAGIC'
  /** The stored CRC does not match the bytes it covers. */
  | 'CRC_MISMATCH'
  /** The attributes name a compression codec that does not exist (5, 6, 7). */
  | 'UNSUPPORTED_COMPRESSION'
  /** The compressed records do not decompress. */
  | 'CORRUPT_COMPRESSED_DATA'
  /** A record's own fields are inconsistent (its length, a varint, a key or value length). */
  | 'INVALID_RECORD'
  /** The header's record count differs from the number of records in the batch. */
  | 'RECORD_COUNT_MISMATCH'
  /**
   * Offsets that a producer may not send: offset deltas not 0, 1, 2… or a last offset delta
   * that disagrees with the count (only checked with `asProduced`; compaction leaves gaps).
   */
  | 'INVALID_OFFSETS'
  /** A control batch whose record is not a control record. */
  | 'INVALID_CONTROL_RECORD';

export class CorruptRecordBatchError extends Error {
  override readonly name = 'CorruptRecordBatchError';
  /** The Kafka error a broker answers with when a client sent these bytes. */
  readonly kafkaError = 'CORRUPT_MESSAGE' as const;

  constructor(
    readonly kind: CorruptionKind,
    /** What is wrong, without where (a reader of a file adds the file's own byte position). */
    readonly detail: string,
    /** Byte position in the buffer that was being decoded where the problem was found. */
    readonly position: number,
    options?: { cause?: unknown },
  ) {
    super(`${detail} (at byte ${position})`, options);
  }
}

/** What went wrong in a compression codec. */
export type CompressionErrorKind =
  /** The bytes are not valid data for the codec (bad magic, checksum, or block). */
  | 'CORRUPT'
  /** The decompressed data would be larger than the allowed maximum. */
  | 'TOO_LARGE'
  /** A codec id outside 0–4. */
  | 'UNSUPPORTED'
  /** zstd was used before `await initCompression()`. */
  | 'NOT_INITIALIZED';

export class CompressionError extends Error {
  override readonly name = 'CompressionError';

  constructor(
    readonly codec: string,
    readonly kind: CompressionErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${codec}: ${message}`, options);
  }
}
