/**
 * What browsing needs from a source: partition offsets, an offset lookup by time, and a fetch
 * at any offset. The Kafka source implements it over kafkajs; tests implement it in memory.
 */
import type { RawRecord } from './record';

export interface PartitionOffsets {
  partition: number;
  logStartOffset: number;
  highWatermark: number;
}

export interface FetchResult {
  /** Records at or after the requested offset, in offset order (control records left out). */
  records: RawRecord[];
  /** The offset after the last record the fetch covered (control records included). */
  nextOffset: number;
  highWatermark: number;
  logStartOffset: number;
}

export interface FetchRequest {
  partition: number;
  offset: number;
  maxBytes: number;
}

export interface LogReader {
  /** Every partition of the topic, in partition order; NOT_FOUND when the topic is unknown. */
  offsets(topic: string): Promise<PartitionOffsets[]>;
  /** Per partition, the first offset whose timestamp is at or after `timestamp`, else the high watermark. */
  offsetsForTimestamp(
    topic: string,
    partitions: number[],
    timestamp: number,
  ): Promise<Map<number, number>>;
  /** One fetch per request, answered together; `maxWaitMs` > 0 waits for new data (tail). */
  fetch(
    topic: string,
    requests: FetchRequest[],
    options?: { maxWaitMs?: number; signal?: AbortSignal },
  ): Promise<Map<number, FetchResult>>;
}
