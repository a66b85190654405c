/**
 * Records of one log entry (a record batch or a legacy message set) as the browser reads them.
 * Control batches (transaction markers, KRaft control records) yield no records: they take
 * offsets but hold no data a consumer sees, as in Kafka's consumers.
 */
import {
  TimestampType,
  decodeLegacyMessageSet,
  scanRecordBatch,
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
    const { header } = entry;
    if (header.isControl) return [];
    // One object per record, straight from the codec's cursor: no intermediate decoded
    // record, no BigInt arithmetic per record (offsets and timestamps fit in a double).
    const baseOffset = Number(header.baseOffset);
    const appendTime = header.timestampType === TimestampType.LogAppendTime;
    const baseTimestamp = Number(appendTime ? header.maxTimestamp : header.baseTimestamp);
    const timestampType = appendTime ? 'LogAppendTime' : 'CreateTime';
    const records: RawRecord[] = [];
    scanRecordBatch(
      entry.bytes,
      (record) => {
        records.push({
          partition,
          offset: baseOffset + record.offsetDelta,
          timestamp: appendTime ? baseTimestamp : baseTimestamp + record.timestampDelta,
          timestampType,
          // subarray rather than the cursor's key()/value(): the same views, made faster.
          key:
            record.keyLength < 0
              ? null
              : record.data.subarray(record.keyStart, record.keyStart + record.keyLength),
          value:
            record.valueLength < 0
              ? null
              : record.data.subarray(record.valueStart, record.valueStart + record.valueLength),
          headers: record.headerCount === 0 ? [] : record.headers(),
        });
      },
      { verifyCrc: false, header },
    );
    return records;
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
