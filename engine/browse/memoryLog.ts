/**
 * A LogReader over records held in memory, grouped into batches the way a broker stores them:
 * a fetch answers with whole batches from the one holding the offset, up to `maxBytes` but
 * always at least one. Used by the unit tests of paging, merging and tail.
 */
import type { FetchRequest, FetchResult, LogReader, PartitionOffsets } from './logReader';
import type { RawRecord } from './record';

export class MemoryLog implements LogReader {
  /** partition → batches of records (offsets ascending). */
  private readonly partitions = new Map<number, RawRecord[][]>();
  private readonly logStart = new Map<number, number>();
  fetchCount = 0;
  private waiters: (() => void)[] = [];

  constructor(
    partitionCount: number,
    private readonly batchSize = 10,
  ) {
    for (let p = 0; p < partitionCount; p++) this.partitions.set(p, []);
  }

  /** Appends records to a partition; offsets are assigned. Returns the first offset. */
  append(
    partition: number,
    records: { timestamp: number; key?: string | null; value?: string | Buffer | null }[],
  ): number {
    const batches = this.partitions.get(partition)!;
    const first = this.highWatermark(partition);
    for (let i = 0; i < records.length; i += this.batchSize) {
      batches.push(
        records.slice(i, i + this.batchSize).map((r, j) => ({
          partition,
          offset: first + i + j,
          timestamp: r.timestamp,
          timestampType: 'CreateTime' as const,
          key: r.key === undefined || r.key === null ? null : Buffer.from(r.key),
          value:
            r.value === undefined || r.value === null
              ? null
              : Buffer.isBuffer(r.value)
                ? r.value
                : Buffer.from(r.value),
          headers: [],
        })),
      );
    }
    for (const wake of this.waiters.splice(0)) wake();
    return first;
  }

  /** Drops whole batches below `offset` (retention). */
  truncateBefore(partition: number, offset: number): void {
    const batches = this.partitions.get(partition)!;
    while (batches.length > 0 && batches[0]!.at(-1)!.offset < offset) batches.shift();
    this.logStart.set(partition, batches[0]?.[0]?.offset ?? this.highWatermark(partition));
  }

  highWatermark(partition: number): number {
    const batches = this.partitions.get(partition)!;
    const last = batches.at(-1)?.at(-1);
    return last ? last.offset + 1 : (this.logStart.get(partition) ?? 0);
  }

  async offsets(): Promise<PartitionOffsets[]> {
    return [...this.partitions.keys()].map((partition) => ({
      partition,
      logStartOffset: this.logStart.get(partition) ?? 0,
      highWatermark: this.highWatermark(partition),
    }));
  }

  async offsetsForTimestamp(
    _topic: string,
    partitions: number[],
    timestamp: number,
  ): Promise<Map<number, number>> {
    const result = new Map<number, number>();
    for (const partition of partitions) {
      const found = this.partitions
        .get(partition)!
        .flat()
        .find((r) => r.timestamp >= timestamp);
      result.set(partition, found ? found.offset : this.highWatermark(partition));
    }
    return result;
  }

  async fetch(
    _topic: string,
    requests: FetchRequest[],
    options: { maxWaitMs?: number; signal?: AbortSignal } = {},
  ): Promise<Map<number, FetchResult>> {
    this.fetchCount++;
    // A long poll: wait for an append when there is nothing new, as a broker does.
    if (options.maxWaitMs && requests.every((r) => r.offset >= this.highWatermark(r.partition))) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.maxWaitMs);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const result = new Map<number, FetchResult>();
    for (const request of requests) {
      const batches = this.partitions.get(request.partition)!;
      const records: RawRecord[] = [];
      let bytes = 0;
      let nextOffset = request.offset;
      for (const batch of batches) {
        if (batch.at(-1)!.offset < request.offset) continue;
        const size = batch.reduce((sum, r) => sum + 70 + (r.value?.length ?? 0), 0);
        if (records.length > 0 && bytes + size > request.maxBytes) break;
        bytes += size;
        records.push(...batch);
        nextOffset = batch.at(-1)!.offset + 1;
      }
      result.set(request.partition, {
        records: records.filter((r) => r.offset >= request.offset),
        nextOffset,
        highWatermark: this.highWatermark(request.partition),
        logStartOffset: this.logStart.get(request.partition) ?? 0,
      });
    }
    return result;
  }
}
