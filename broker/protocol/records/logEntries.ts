/**
 * Walks concatenated log entries in a buffer — a segment file, a fetch response's records, a
 * range of stored batches — without decoding records. An entry is a record batch (magic 2)
 * or a legacy message (magic 0/1, possibly a compressed wrapper); all share the prefix
 * `offset: int64 | size: int32 | 4 bytes | magic: int8`, which is how one segment can hold
 * both after a message-format upgrade.
 *
 * The walk never throws on bad data. It yields what it finds, in order:
 * - `batch` / `legacy`: a well-framed entry (CRC checked unless `verifyCrc: false`), with a
 *   zero-copy `bytes` view to pass to `decodeRecordBatch` / `decodeLegacyMessageSet` (with
 *   `verifyCrc: false`: the walk has checked it);
 * - `corrupt`: a CRC mismatch (the walk goes on: the length was plausible), or a length or
 *   magic that makes the next entry unfindable (the walk ends);
 * - `truncated`: the buffer ends inside an entry — a partial write at a segment's tail, or a
 *   fetch response cut at its byte limit. Always the last thing yielded.
 */
import { CorruptRecordBatchError } from './errors';
import { legacyMinimumSize } from './legacyMessageSet';
import { crc32 } from 'node:zlib';
import {
  LOG_OVERHEAD,
  Offsets,
  RECORD_BATCH_HEADER_SIZE,
  computeRecordBatchCrc,
  readRecordBatchHeader,
  type RecordBatchHeader,
} from './recordBatchHeader';

/** Where the magic byte sits in both layouts. */
const MAGIC_OFFSET = 16;

export type LogEntry =
  | {
      kind: 'batch';
      position: number;
      sizeInBytes: number;
      magic: 2;
      header: RecordBatchHeader;
      bytes: Buffer;
    }
  | {
      kind: 'legacy';
      position: number;
      sizeInBytes: number;
      magic: 0 | 1;
      /** The outer message's offset (for a magic 1 wrapper: its last inner message's). */
      offset: bigint;
      bytes: Buffer;
    }
  | {
      kind: 'corrupt';
      position: number;
      /** The entry's size when its length field is plausible (the walk then goes on). */
      sizeInBytes: number | null;
      error: CorruptRecordBatchError;
    }
  | {
      kind: 'truncated';
      position: number;
      /** Bytes present from `position` to the end of the buffer. */
      availableBytes: number;
      /** Bytes the entry needs, when its length field could be read. */
      requiredBytes: number | null;
    };

export interface IterateLogEntriesOptions {
  /** Where to start (default 0). */
  start?: number;
  /** Check each entry's CRC (default true). */
  verifyCrc?: boolean;
}

export function* iterateLogEntries(
  bytes: Uint8Array,
  options: IterateLogEntriesOptions = {},
): Generator<LogEntry, void, undefined> {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const verifyCrc = options.verifyCrc ?? true;
  let position = options.start ?? 0;
  while (position < buffer.length) {
    const available = buffer.length - position;
    if (available <= MAGIC_OFFSET) {
      const requiredBytes =
        available >= LOG_OVERHEAD ? buffer.readInt32BE(position + 8) + LOG_OVERHEAD : null;
      yield { kind: 'truncated', position, availableBytes: available, requiredBytes };
      return;
    }
    const length = buffer.readInt32BE(position + Offsets.batchLength);
    const magic = buffer.readInt8(position + MAGIC_OFFSET);
    const minimum =
      magic === 2 ? RECORD_BATCH_HEADER_SIZE - LOG_OVERHEAD : legacyMinimumSize(magic);
    if (minimum === null) {
      const error = new CorruptRecordBatchError(
        'UNSUPPORTED_MAGIC',
        `magic ${magic} is neither a record batch (2) nor a legacy message (0, 1)`,
        position + MAGIC_OFFSET,
      );
      yield { kind: 'corrupt', position, sizeInBytes: null, error };
      return;
    }
    if (length < minimum) {
      const hint = length === 0 && magic === 0 ? ' (a zero-filled tail?)' : '';
      const error = new CorruptRecordBatchError(
        'INVALID_LENGTH',
        `entry length ${length} is below the ${minimum}-byte minimum for magic ${magic}${hint}`,
        position + Offsets.batchLength,
      );
      yield { kind: 'corrupt', position, sizeInBytes: null, error };
      return;
    }
    const sizeInBytes = length + LOG_OVERHEAD;
    if (sizeInBytes > available) {
      yield { kind: 'truncated', position, availableBytes: available, requiredBytes: sizeInBytes };
      return;
    }
    const end = position + sizeInBytes;
    if (verifyCrc) {
      const crcAt = position + (magic === 2 ? Offsets.crc : LOG_OVERHEAD);
      const stored = buffer.readUInt32BE(crcAt);
      const computed =
        magic === 2
          ? computeRecordBatchCrc(buffer, position, sizeInBytes)
          : crc32(buffer.subarray(position + MAGIC_OFFSET, end));
      if (stored !== computed) {
        const error = new CorruptRecordBatchError(
          'CRC_MISMATCH',
          `${magic === 2 ? 'CRC-32C' : 'CRC-32'} is 0x${computed.toString(16).padStart(8, '0')}, ` +
            `entry says 0x${stored.toString(16).padStart(8, '0')}`,
          crcAt,
        );
        yield { kind: 'corrupt', position, sizeInBytes, error };
        position = end;
        continue;
      }
    }
    const bytesView = buffer.subarray(position, end);
    if (magic === 2) {
      const header = readRecordBatchHeader(buffer, position);
      yield { kind: 'batch', position, sizeInBytes, magic, header, bytes: bytesView };
    } else {
      const offset = buffer.readBigInt64BE(position);
      yield {
        kind: 'legacy',
        position,
        sizeInBytes,
        magic: magic as 0 | 1,
        offset,
        bytes: bytesView,
      };
    }
    position = end;
  }
}
