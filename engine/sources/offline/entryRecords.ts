/**
 * Records of one log entry (a record batch or a legacy message set) as the browser reads them.
 * Control batches (transaction markers, KRaft control records) yield no records: they take
 * offsets but hold no data a consumer sees, as in Kafka's consumers.
 */
import {
  TimestampType,
  decodeLegacyMessageSet,
  decodeRecordBatch,
  type LogEntry,
} from '../../../broker/protocol/records';
import type { RawRecord } from '../../browse/record';

export type GoodEntry = Extract<LogEntry, { kind: 'batch' | 'legacy' }>;

/** The entry's last offset (a legacy wrapper carries its last inner message's offset). */
export function lastOffsetOf(entry: GoodEntry): number {
  return entry.kind === 'batch'
    ? Number(entry.header.baseOffset) + entry.header.lastOffsetDelta
    : Number(entry.offset);
}

/** Records of a CRC-checked entry; throws CorruptRecordBatchError / CompressionError on bad records. */
export function entryRecords(entry: GoodEntry, partition: number): RawRecord[] {
  if (entry.kind === 'batch') {
    if (entry.header.isControl) return [];
    const batch = decodeRecordBatch(entry.bytes, { verifyCrc: false });
    const timestampType =
      batch.timestampType === TimestampType.LogAppendTime ? 'LogAppendTime' : 'CreateTime';
    return batch.records.map((r) => ({
      partition,
      offset: Number(r.offset),
      timestamp: Number(r.timestamp),
      timestampType,
      key: r.key,
      value: r.value,
      headers: r.headers.map((h) => ({ key: h.key, value: h.value })),
    }));
  }
  return decodeLegacyMessageSet(entry.bytes, { verifyCrc: false }).map((r) => ({
    partition,
    offset: Number(r.offset),
    timestamp: Number(r.timestamp),
    timestampType: r.timestampType === TimestampType.LogAppendTime ? 'LogAppendTime' : 'CreateTime',
    key: r.key,
    value: r.value,
    headers: [],
  }));
}
