/**
 * The values of `P` (partition state) and `S` (segment) keys. Both are written on every
 * append, so they are fixed-layout binary rather than JSON: a format byte, then float64
 * fields (exact for every integer below 2^53, which covers offsets, byte counts and
 * millisecond timestamps; -1 means "none", as in Kafka).
 */

const FORMAT = 1;

/** What `P topicId partition` holds. */
export interface PartitionRecord {
  logStartOffset: number;
  /** The offset the next batch gets (Kafka's log end offset; the high watermark here). */
  logEndOffset: number;
  /**
   * The largest batch max-timestamp appended so far (including deleted data), and the bytes
   * appended since the last time index entry: together they decide the next `X` entry.
   */
  indexMaxTimestamp: number;
  bytesSinceIndexEntry: number;
}

/** What `S topicId partition baseOffset` holds: one segment of a partition's log. */
export interface SegmentRecord {
  baseOffset: number;
  /** Offset of the last record in the segment. */
  lastOffset: number;
  /** Base offset of the segment's last batch (the tail that open verifies). */
  lastBatchOffset: number;
  bytes: number;
  batches: number;
  records: number;
  minTimestamp: number;
  maxTimestamp: number;
  /** Base offset of the first batch carrying `maxTimestamp`. */
  offsetOfMaxTimestamp: number;
  createdMs: number;
  /** When the segment stopped taking appends, or -1 while it is the active segment. */
  rolledMs: number;
}

const PARTITION_FIELDS = [
  'logStartOffset',
  'logEndOffset',
  'indexMaxTimestamp',
  'bytesSinceIndexEntry',
] as const satisfies readonly (keyof PartitionRecord)[];

const SEGMENT_FIELDS = [
  'baseOffset',
  'lastOffset',
  'lastBatchOffset',
  'bytes',
  'batches',
  'records',
  'minTimestamp',
  'maxTimestamp',
  'offsetOfMaxTimestamp',
  'createdMs',
  'rolledMs',
] as const satisfies readonly (keyof SegmentRecord)[];

function encode<T>(record: T, fields: readonly (keyof T)[]): Buffer {
  const out = Buffer.allocUnsafe(1 + fields.length * 8);
  out[0] = FORMAT;
  fields.forEach((field, i) => out.writeDoubleBE(record[field] as number, 1 + i * 8));
  return out;
}

function decode<T>(bytes: Buffer, fields: readonly (keyof T)[], what: string): T {
  if (bytes[0] !== FORMAT || bytes.length < 1 + fields.length * 8) {
    throw new Error(
      `${what} record has an unknown format (${bytes.length} bytes, format ${bytes[0]})`,
    );
  }
  const record = {} as Record<keyof T, number>;
  fields.forEach((field, i) => (record[field] = bytes.readDoubleBE(1 + i * 8)));
  return record as T;
}

export const encodePartitionRecord = (record: PartitionRecord): Buffer =>
  encode(record, PARTITION_FIELDS);
export const decodePartitionRecord = (bytes: Buffer): PartitionRecord =>
  decode<PartitionRecord>(bytes, PARTITION_FIELDS, 'partition');
export const encodeSegmentRecord = (record: SegmentRecord): Buffer =>
  encode(record, SEGMENT_FIELDS);
export const decodeSegmentRecord = (bytes: Buffer): SegmentRecord =>
  decode<SegmentRecord>(bytes, SEGMENT_FIELDS, 'segment');
