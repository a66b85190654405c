/**
 * Decoding and validation of Kafka record batches, magic 2 (Kafka ≥ 0.11). Layout: Kafka's
 * documentation, "Record Batch" and "Record":
 *
 *   Record => length: varint | attributes: int8 | timestampDelta: varlong |
 *             offsetDelta: varint | keyLength: varint | key | valueLength: varint | value |
 *             headerCount: varint | [headerKeyLength: varint | headerKey |
 *                                    headerValueLength: varint | headerValue]
 *
 * Types: Kafka's int64 fields (offsets, timestamps) are `bigint`, as in the header; int32
 * fields are `number`. Keys, values and header values of an uncompressed batch are views
 * of the input, not copies: keep the input alive and unmodified while you use them.
 *
 * Every problem is a `CorruptRecordBatchError` naming what is wrong and the byte where it was
 * found (for records inside compressed data: the start of the compressed records, with the
 * position inside the decompressed data in the message).
 */
import { readVarint, readVarlong } from '../varint';
import { decompress, COMPRESSION_NAMES, DEFAULT_MAX_DECOMPRESSED_BYTES } from './compression';
import { parseControlRecord, type ControlRecord } from './controlRecord';
import { CompressionError, CorruptRecordBatchError, type CorruptionKind } from './errors';
import {
  CompressionType,
  LOG_OVERHEAD,
  Offsets,
  RECORD_BATCH_HEADER_SIZE,
  computeRecordBatchCrc,
  readRecordBatchHeader,
  TimestampType,
  type RecordBatchHeader,
} from './recordBatchHeader';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface DecodedRecord {
  /** Record attributes (unused by Kafka so far; 0). */
  attributes: number;
  offsetDelta: number;
  timestampDelta: bigint;
  /** baseOffset + offsetDelta. */
  offset: bigint;
  /** baseTimestamp + timestampDelta, or the batch's maxTimestamp under LogAppendTime. */
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: readonly RecordHeader[];
  /** Only in control batches: the decoded control record (transaction marker…). */
  control?: ControlRecord;
}

export interface RecordBatch extends RecordBatchHeader {
  /** Bytes the batch occupies in a log or a fetch response: `batchLength + 12`. */
  sizeInBytes: number;
  /** baseOffset + lastOffsetDelta. */
  lastOffset: bigint;
  records: DecodedRecord[];
}

export interface DecodeRecordBatchOptions {
  /** Check the CRC-32C before decoding (default true). Skip it only for bytes already checked. */
  verifyCrc?: boolean;
  /** Refuse compressed records that expand past this (default 1 GiB). */
  maxDecompressedBytes?: number;
}

export interface ScanRecordBatchOptions extends DecodeRecordBatchOptions {
  /**
   * The batch's header, when the caller has read it already (`iterateLogEntries` gives it
   * with each entry): not read again (its four int64 fields are a batch's largest fixed cost).
   */
  header?: RecordBatchHeader;
}

/**
 * One record as `scanRecordBatch` sees it: positions in `data` instead of objects, so that a
 * scan allocates nothing per record. The same instance is reused for every record: read what
 * you need inside the callback, and keep `key()` / `value()` results (views of `data`), not
 * the cursor.
 */
export class RecordCursor {
  /** The bytes holding the records: the batch itself, or its decompressed records. */
  data: Buffer = Buffer.alloc(0);
  /** Position of the record in its batch (0, 1, 2…). */
  index = 0;
  offsetDelta = 0;
  /** As a number: exact up to ±2^53 ms, which no real timestamp delta reaches. */
  timestampDelta = 0;
  /** Start of the key in `data`, and its length (-1 for a null key). */
  keyStart = 0;
  keyLength = -1;
  valueStart = 0;
  valueLength = -1;
  headerCount = 0;
  /** Start of the first header in `data`. */
  headersStart = 0;

  key(): Buffer | null {
    return this.keyLength < 0 ? null : view(this.data, this.keyStart, this.keyLength);
  }

  value(): Buffer | null {
    return this.valueLength < 0 ? null : view(this.data, this.valueStart, this.valueLength);
  }

  /** The headers, decoded (allocates). The scan has already checked their lengths. */
  headers(): RecordHeader[] {
    const headers: RecordHeader[] = [];
    let p = this.headersStart;
    for (let h = 0; h < this.headerCount; h++) {
      const keyLength = zigzag(this.data, p, this.data.length);
      p = cursor;
      const key = this.data.toString('utf8', p, p + keyLength);
      p += keyLength;
      const valueLength = zigzag(this.data, p, this.data.length);
      p = cursor;
      headers.push({ key, value: valueLength < 0 ? null : view(this.data, p, valueLength) });
      if (valueLength > 0) p += valueLength;
    }
    return headers;
  }
}

export interface ValidateRecordBatchOptions {
  /**
   * How far to look into the records:
   * - `'all'` (default): walk every record, decompressing compressed batches, as Kafka does
   *   with a produced batch;
   * - `'uncompressed'`: walk the records of uncompressed batches only (cheap: no allocation);
   * - `'none'`: framing, magic and CRC only.
   */
  records?: 'all' | 'uncompressed' | 'none';
  /**
   * Also require what a producer must send (Kafka's LogValidator): at least one record and
   * `lastOffsetDelta = count - 1` (from the header, always), and offset deltas 0, 1, 2… (in
   * the records, so only where `records` has them walked). Off for batches read from a log,
   * where compaction leaves gaps and even empty batches.
   */
  asProduced?: boolean;
  maxDecompressedBytes?: number;
}

/** The smallest possible record: length, attributes, two deltas, key, value, headers. */
const MIN_RECORD_SIZE = 7;
const EMPTY_HEADERS: readonly RecordHeader[] = Object.freeze([]);

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Checks that a magic 2 batch starts at `start` and fits in `bytes`; returns its size.
 * Does not check the CRC.
 */
export function checkRecordBatchFraming(bytes: Uint8Array, start = 0): number {
  const available = bytes.length - start;
  if (available < RECORD_BATCH_HEADER_SIZE) {
    throw new CorruptRecordBatchError(
      'TRUNCATED',
      `record batch header needs ${RECORD_BATCH_HEADER_SIZE} bytes, ${available} available`,
      start,
    );
  }
  const buffer = asBuffer(bytes);
  const magic = buffer.readInt8(start + Offsets.magic);
  if (magic !== 2) {
    throw new CorruptRecordBatchError(
      'UNSUPPORTED_MAGIC',
      `magic ${magic} is not a record batch (magic 2)` +
        (magic === 0 || magic === 1 ? '; decode it as a legacy message set' : ''),
      start + Offsets.magic,
    );
  }
  const batchLength = buffer.readInt32BE(start + Offsets.batchLength);
  if (batchLength < RECORD_BATCH_HEADER_SIZE - LOG_OVERHEAD) {
    throw new CorruptRecordBatchError(
      'INVALID_LENGTH',
      `batch length ${batchLength} is below the ${RECORD_BATCH_HEADER_SIZE - LOG_OVERHEAD}-byte minimum`,
      start + Offsets.batchLength,
    );
  }
  const size = batchLength + LOG_OVERHEAD;
  if (size > available) {
    throw new CorruptRecordBatchError(
      'TRUNCATED',
      `batch of ${size} bytes, only ${available} available`,
      start + Offsets.batchLength,
    );
  }
  return size;
}

function checkCrc(buffer: Buffer, start: number, size: number): void {
  const stored = buffer.readUInt32BE(start + Offsets.crc);
  const computed = computeRecordBatchCrc(buffer, start, size);
  if (stored !== computed) {
    throw new CorruptRecordBatchError(
      'CRC_MISMATCH',
      `CRC-32C is 0x${computed.toString(16).padStart(8, '0')}, batch says 0x${stored.toString(16).padStart(8, '0')}`,
      start + Offsets.crc,
    );
  }
}

/**
 * The records section of a batch, decompressed if needed: `data[start, end)`, and where to
 * report problems.
 */
interface RecordsSection {
  data: Buffer;
  start: number;
  end: number;
  compressed: boolean;
  /** Position (in the caller's buffer) of the start of the records section. */
  position: number;
}

function recordsSection(
  buffer: Buffer,
  start: number,
  size: number,
  attributes: number,
  maxDecompressedBytes: number,
): RecordsSection {
  const codec = (attributes & 0x07) as CompressionType;
  const position = start + RECORD_BATCH_HEADER_SIZE;
  const end = start + size;
  if (codec === CompressionType.None) {
    return { data: buffer, start: position, end, compressed: false, position };
  }
  if (codec > CompressionType.Zstd) {
    throw new CorruptRecordBatchError(
      'UNSUPPORTED_COMPRESSION',
      `compression codec ${codec} does not exist`,
      start + Offsets.attributes,
    );
  }
  try {
    const data = decompress(codec, buffer.subarray(position, end), {
      maxOutputBytes: maxDecompressedBytes,
    });
    return { data, start: 0, end: data.length, compressed: true, position };
  } catch (error) {
    if (!(error instanceof CompressionError)) throw error;
    if (error.kind === 'NOT_INITIALIZED') throw error; // a programming error, not bad data
    throw new CorruptRecordBatchError(
      'CORRUPT_COMPRESSED_DATA',
      `${COMPRESSION_NAMES[codec]} records do not decompress: ${error.message}`,
      position,
      { cause: error },
    );
  }
}

function recordError(
  section: RecordsSection,
  at: number,
  message: string,
  kind: CorruptionKind = 'INVALID_RECORD',
): CorruptRecordBatchError {
  if (!section.compressed) return new CorruptRecordBatchError(kind, message, at);
  return new CorruptRecordBatchError(
    kind,
    `${message}, at byte ${at} of the decompressed records`,
    section.position,
  );
}

/**
 * `data[start, start + length)` as a Buffer sharing its memory. `Buffer.from(arrayBuffer, …)`
 * is about a third cheaper than `subarray` on Node 20, and this runs for every key and value.
 */
function view(data: Buffer, start: number, length: number): Buffer {
  return Buffer.from(data.buffer, data.byteOffset + start, length);
}

/** Where the last `zigzag` / `smallVarlong` call stopped; a module variable, so reads allocate nothing. */
let cursor = 0;

/**
 * Reads the zigzag varint at `p`, which must end by `end`, and leaves `cursor` after it;
 * NaN when it is malformed or runs past `end`. One- and two-byte varints (values up to
 * ±4095, so most lengths) are read inline.
 */
function zigzag(data: Buffer, p: number, end: number): number {
  if (p < end) {
    const b0 = data[p]!;
    if (b0 < 0x80) {
      cursor = p + 1;
      return (b0 >>> 1) ^ -(b0 & 1);
    }
    if (p + 1 < end) {
      const b1 = data[p + 1]!;
      if (b1 < 0x80) {
        const raw = (b0 & 0x7f) | (b1 << 7);
        cursor = p + 2;
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
  }
  let decoded;
  try {
    decoded = readVarint(data, p);
  } catch {
    return NaN;
  }
  if (decoded.next > end) return NaN;
  cursor = decoded.next;
  return decoded.value;
}

/**
 * Reads a zigzag varlong of at most 7 bytes (|value| < 2^48) as a number, leaving `cursor`
 * after it; NaN when it is longer (or runs past `end`), for `readVarlong` to take over.
 * Timestamp deltas are small, so this is the path every record takes.
 */
function smallVarlong(data: Buffer, p: number, end: number): number {
  let raw = 0;
  let scale = 1;
  const stop = Math.min(end, p + 7);
  for (let i = p; i < stop; i++) {
    const byte = data[i]!;
    raw += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      cursor = i + 1;
      return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    }
    scale *= 128;
  }
  return NaN;
}

/**
 * The fast part of `walkRecords`: visits records of the common shape — every varint one or
 * two bytes long, no headers — in a tight loop, and stops at the first record that is not
 * (or is malformed), for the full walk to take over from there and report any problem with
 * its exact message. Checks what the full walk checks for such a record. Returns the index
 * of the record to go on with, and leaves `cursor` at its start. A call per field, as the
 * full walk makes, cost three times this loop.
 */
function walkPlainRecords(
  data: Buffer,
  p: number,
  end: number,
  count: number,
  asProduced: boolean,
  visit: ((record: RecordCursor) => void) | null,
  cursorObject: RecordCursor | null,
): number {
  let index = 0;
  for (; index < count && p < end; index++) {
    // Record length: one or two bytes.
    let q = p;
    let b = data[q]!;
    let length: number;
    if (b < 0x80) {
      length = (b >>> 1) ^ -(b & 1);
      q += 1;
    } else {
      if (q + 1 >= end) break;
      const b1 = data[q + 1]!;
      if (b1 >= 0x80) break;
      const raw = (b & 0x7f) | (b1 << 7);
      length = (raw >>> 1) ^ -(raw & 1);
      q += 2;
    }
    const bodyEnd = q + length;
    if (length < MIN_RECORD_SIZE - 1 || bodyEnd > end) break;
    q += 1; // attributes: a record holds at least six bytes, so this and the next are inside
    // Timestamp delta, offset delta, key length, value length, header count: each one or
    // two bytes, inside the record.
    b = data[q]!;
    let timestampDelta: number;
    if (b < 0x80) {
      timestampDelta = (b >>> 1) ^ -(b & 1);
      q += 1;
    } else {
      if (q + 1 >= bodyEnd || (b = (b & 0x7f) | (data[q + 1]! << 7)) >= 0x4000) break;
      timestampDelta = (b >>> 1) ^ -(b & 1);
      q += 2;
    }
    if (q >= bodyEnd) break;
    b = data[q]!;
    let offsetDelta: number;
    if (b < 0x80) {
      offsetDelta = (b >>> 1) ^ -(b & 1);
      q += 1;
    } else {
      if (q + 1 >= bodyEnd || (b = (b & 0x7f) | (data[q + 1]! << 7)) >= 0x4000) break;
      offsetDelta = (b >>> 1) ^ -(b & 1);
      q += 2;
    }
    if (asProduced && offsetDelta !== index) break;
    if (q >= bodyEnd) break;
    b = data[q]!;
    let keyLength: number;
    if (b < 0x80) {
      keyLength = (b >>> 1) ^ -(b & 1);
      q += 1;
    } else {
      if (q + 1 >= bodyEnd || (b = (b & 0x7f) | (data[q + 1]! << 7)) >= 0x4000) break;
      keyLength = (b >>> 1) ^ -(b & 1);
      q += 2;
    }
    if (keyLength < -1 || q + keyLength > bodyEnd) break;
    const keyStart = q;
    if (keyLength > 0) q += keyLength;
    if (q >= bodyEnd) break;
    b = data[q]!;
    let valueLength: number;
    if (b < 0x80) {
      valueLength = (b >>> 1) ^ -(b & 1);
      q += 1;
    } else {
      if (q + 1 >= bodyEnd || (b = (b & 0x7f) | (data[q + 1]! << 7)) >= 0x4000) break;
      valueLength = (b >>> 1) ^ -(b & 1);
      q += 2;
    }
    if (valueLength < -1 || q + valueLength > bodyEnd) break;
    const valueStart = q;
    if (valueLength > 0) q += valueLength;
    // No headers: a zero header count ends the record.
    if (q + 1 !== bodyEnd || data[q] !== 0) break;
    if (visit !== null && cursorObject !== null) {
      cursorObject.index = index;
      cursorObject.offsetDelta = offsetDelta;
      cursorObject.timestampDelta = timestampDelta;
      cursorObject.keyStart = keyStart;
      cursorObject.keyLength = keyLength;
      cursorObject.valueStart = valueStart;
      cursorObject.valueLength = valueLength;
      cursorObject.headerCount = 0;
      cursorObject.headersStart = bodyEnd;
      visit(cursorObject);
    }
    p = bodyEnd;
  }
  cursor = p;
  return index;
}

/**
 * Walks `count` records of a section: checks each record's length against its fields, and
 * that the records fill the section exactly. With `out`, also builds the decoded records.
 * With `asProduced`, requires offset deltas 0, 1, 2….
 */
function walkRecords(
  section: RecordsSection,
  header: RecordBatchHeader,
  out: DecodedRecord[] | null,
  asProduced: boolean,
  batchStart: number,
  visit: ((record: RecordCursor) => void) | null = null,
  cursorObject: RecordCursor | null = null,
): void {
  const { data, end } = section;
  if (cursorObject !== null) cursorObject.data = data;
  const count = header.recordsCount;
  if (count < 0 || count * MIN_RECORD_SIZE > end - section.start) {
    throw new CorruptRecordBatchError(
      'RECORD_COUNT_MISMATCH',
      `header says ${count} records, the ${end - section.start} bytes of records cannot hold them`,
      batchStart + Offsets.recordsCount,
    );
  }
  const logAppendTime = header.timestampType === TimestampType.LogAppendTime;
  const isControl = header.isControl;
  let p = section.start;
  let index = 0;
  if (out === null) {
    index = walkPlainRecords(data, p, end, count, asProduced, visit, cursorObject);
    p = cursor;
  }
  for (; index < count; index++) {
    if (p >= end) {
      throw new CorruptRecordBatchError(
        'RECORD_COUNT_MISMATCH',
        `header says ${count} records, the records end after ${index}`,
        section.compressed ? section.position : p,
      );
    }
    const recordStart = p;
    const length = zigzag(data, p, end);
    if (length !== length)
      throw recordError(section, p, `record ${index}: invalid record length varint`);
    p = cursor;
    const bodyStart = p;
    const bodyEnd = p + length;
    if (length < MIN_RECORD_SIZE - 1 || bodyEnd > end) {
      throw recordError(section, recordStart, `record ${index} has an impossible length ${length}`);
    }
    const attributes = data[p++]!;
    let timestampDelta = smallVarlong(data, p, bodyEnd);
    let bigTimestampDelta: bigint | null = null;
    if (timestampDelta === timestampDelta) {
      p = cursor;
    } else {
      let decoded;
      try {
        decoded = readVarlong(data, p);
      } catch {
        throw recordError(section, p, `record ${index} has an invalid timestamp delta`);
      }
      if (decoded.next > bodyEnd) {
        throw recordError(section, p, `record ${index} timestamp delta runs past its end`);
      }
      bigTimestampDelta = decoded.value;
      timestampDelta = 0;
      p = decoded.next;
    }
    const offsetDelta = zigzag(data, p, bodyEnd);
    if (offsetDelta !== offsetDelta)
      throw recordError(section, p, `record ${index}: invalid offset delta varint`);
    p = cursor;
    if (asProduced && offsetDelta !== index) {
      throw new CorruptRecordBatchError(
        'INVALID_OFFSETS',
        `record ${index} has offset delta ${offsetDelta}; a producer sends 0, 1, 2…`,
        section.compressed ? section.position : recordStart,
      );
    }
    const keyLength = zigzag(data, p, bodyEnd);
    if (keyLength !== keyLength)
      throw recordError(section, p, `record ${index}: invalid key length varint`);
    p = cursor;
    if (keyLength < -1 || p + keyLength > bodyEnd) {
      throw recordError(section, p, `record ${index} has an impossible key length ${keyLength}`);
    }
    const keyStart = p;
    if (keyLength > 0) p += keyLength;
    const valueLength = zigzag(data, p, bodyEnd);
    if (valueLength !== valueLength)
      throw recordError(section, p, `record ${index}: invalid value length varint`);
    p = cursor;
    if (valueLength < -1 || p + valueLength > bodyEnd) {
      throw recordError(
        section,
        p,
        `record ${index} has an impossible value length ${valueLength}`,
      );
    }
    const valueStart = p;
    if (valueLength > 0) p += valueLength;
    const headerCount = zigzag(data, p, bodyEnd);
    if (headerCount !== headerCount)
      throw recordError(section, p, `record ${index}: invalid header count varint`);
    p = cursor;
    if (headerCount < 0 || headerCount * 2 > bodyEnd - p) {
      throw recordError(
        section,
        p,
        `record ${index} has an impossible header count ${headerCount}`,
      );
    }
    const headersStart = p;
    let headers = EMPTY_HEADERS;
    if (headerCount > 0) {
      const list: RecordHeader[] | null = out === null ? null : new Array(headerCount);
      for (let h = 0; h < headerCount; h++) {
        const headerKeyLength = zigzag(data, p, bodyEnd);
        if (headerKeyLength !== headerKeyLength)
          throw recordError(section, p, `record ${index}: invalid header key length varint`);
        p = cursor;
        if (headerKeyLength < 0 || p + headerKeyLength > bodyEnd) {
          throw recordError(section, p, `record ${index} header ${h} has an impossible key length`);
        }
        const headerKeyStart = p;
        p += headerKeyLength;
        const headerValueLength = zigzag(data, p, bodyEnd);
        if (headerValueLength !== headerValueLength)
          throw recordError(section, p, `record ${index}: invalid header value length varint`);
        p = cursor;
        if (headerValueLength < -1 || p + headerValueLength > bodyEnd) {
          throw recordError(
            section,
            p,
            `record ${index} header ${h} has an impossible value length`,
          );
        }
        if (list !== null) {
          list[h] = {
            key: data.toString('utf8', headerKeyStart, headerKeyStart + headerKeyLength),
            value: headerValueLength < 0 ? null : view(data, p, headerValueLength),
          };
        }
        if (headerValueLength > 0) p += headerValueLength;
      }
      if (list !== null) headers = list;
    }
    if (p !== bodyEnd) {
      throw recordError(
        section,
        recordStart,
        `record ${index} says it is ${length} bytes, its fields take ${p - bodyStart}`,
      );
    }
    if (visit !== null && cursorObject !== null) {
      cursorObject.index = index;
      cursorObject.offsetDelta = offsetDelta;
      cursorObject.timestampDelta =
        bigTimestampDelta === null ? timestampDelta : Number(bigTimestampDelta);
      cursorObject.keyStart = keyStart;
      cursorObject.keyLength = keyLength;
      cursorObject.valueStart = valueStart;
      cursorObject.valueLength = valueLength;
      cursorObject.headerCount = headerCount;
      cursorObject.headersStart = headersStart;
      visit(cursorObject);
    }
    if (out !== null) {
      const delta = bigTimestampDelta ?? BigInt(timestampDelta);
      const key = keyLength < 0 ? null : view(data, keyStart, keyLength);
      const value = valueLength < 0 ? null : view(data, valueStart, valueLength);
      const record: DecodedRecord = {
        attributes,
        offsetDelta,
        timestampDelta: delta,
        offset: header.baseOffset + BigInt(offsetDelta),
        timestamp: logAppendTime ? header.maxTimestamp : header.baseTimestamp + delta,
        key,
        value,
        headers,
      };
      if (isControl) {
        const control = parseControlRecord(key, value);
        if (control === null) {
          throw recordError(
            section,
            recordStart,
            `record ${index} of a control batch has no control key`,
            'INVALID_CONTROL_RECORD',
          );
        }
        record.control = control;
      }
      out.push(record);
    }
  }
  if (p !== end) {
    throw new CorruptRecordBatchError(
      'RECORD_COUNT_MISMATCH',
      `header says ${count} records, ${end - p} bytes remain after the last of them`,
      section.compressed ? section.position : p,
    );
  }
}

function checkProducedOffsets(header: RecordBatchHeader, start: number): void {
  if (header.recordsCount <= 0) {
    throw new CorruptRecordBatchError(
      'INVALID_OFFSETS',
      `a produced batch needs at least one record, header says ${header.recordsCount}`,
      start + Offsets.recordsCount,
    );
  }
  if (header.lastOffsetDelta !== header.recordsCount - 1) {
    throw new CorruptRecordBatchError(
      'INVALID_OFFSETS',
      `last offset delta ${header.lastOffsetDelta} disagrees with ${header.recordsCount} records`,
      start + Offsets.lastOffsetDelta,
    );
  }
}

/**
 * Checks the batch at the start of `bytes` as a broker checks a produced batch: framing
 * (length, magic), CRC-32C, and (see `options.records`) that the records are well formed and
 * as many as the header says. Returns the header; throws `CorruptRecordBatchError`.
 * Bytes after the batch are ignored: compare `batchLength + 12` with your buffer if that
 * matters. Cost for an uncompressed batch: one CRC pass and one varint walk, no allocation.
 */
export function validateRecordBatch(
  bytes: Uint8Array,
  options: ValidateRecordBatchOptions = {},
): RecordBatchHeader {
  const buffer = asBuffer(bytes);
  const size = checkRecordBatchFraming(buffer, 0);
  checkCrc(buffer, 0, size);
  const header = readRecordBatchHeader(buffer, 0);
  const asProduced = options.asProduced ?? false;
  if (asProduced) checkProducedOffsets(header, 0);
  const depth = options.records ?? 'all';
  if (depth === 'none') return header;
  if (depth === 'uncompressed' && header.compression !== CompressionType.None) return header;
  const section = recordsSection(
    buffer,
    0,
    size,
    header.attributes,
    options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
  );
  walkRecords(section, header, null, asProduced, 0);
  return header;
}

/**
 * Decodes the batch at the start of `bytes` (bytes after it are ignored): the header, and
 * every record, decompressed. Control batches get each record's `control` field.
 */
export function decodeRecordBatch(
  bytes: Uint8Array,
  options: DecodeRecordBatchOptions = {},
): RecordBatch {
  const buffer = asBuffer(bytes);
  const size = checkRecordBatchFraming(buffer, 0);
  if (options.verifyCrc ?? true) checkCrc(buffer, 0, size);
  const header = readRecordBatchHeader(buffer, 0);
  const section = recordsSection(
    buffer,
    0,
    size,
    header.attributes,
    options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
  );
  const records: DecodedRecord[] = [];
  walkRecords(section, header, records, false, 0);
  return {
    ...header,
    sizeInBytes: size,
    lastOffset: header.baseOffset + BigInt(header.lastOffsetDelta),
    records,
  };
}

/**
 * Walks the batch at the start of `bytes` like `decodeRecordBatch` — same checks, same errors
 * — but hands each record to `visit` as a reused `RecordCursor` instead of building objects:
 * the fast way to read many records when you need only some fields. Records are visited in
 * order as they are checked, so a corrupt record throws after the ones before it were
 * visited. Returns the header. For control batches, decode the key with `parseControlRecord`.
 */
export function scanRecordBatch(
  bytes: Uint8Array,
  visit: (record: RecordCursor) => void,
  options: ScanRecordBatchOptions = {},
): RecordBatchHeader {
  const buffer = asBuffer(bytes);
  const size = checkRecordBatchFraming(buffer, 0);
  if (options.verifyCrc ?? true) checkCrc(buffer, 0, size);
  const header = options.header ?? readRecordBatchHeader(buffer, 0);
  const section = recordsSection(
    buffer,
    0,
    size,
    header.attributes,
    options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
  );
  walkRecords(section, header, null, false, 0, visit, new RecordCursor());
  return header;
}
