/**
 * Reading one partition a chunk at a time, forward from an offset or backward from a bound,
 * and merging several partitions into one sequence ordered by timestamp (ties broken by
 * partition, then offset), so that "all partitions" reads like one log.
 */
import type { Direction } from './cursor';
import type { FetchRequest, FetchResult, LogReader } from './logReader';
import type { RawRecord } from './record';

/** Bytes one record takes in a fetch beyond its key, value and headers (batch and record headers). */
const RECORD_OVERHEAD = 70;
const MIN_FETCH_BYTES = 64 * 1024;
/**
 * A fetch answers from the start of the batch holding the offset, and drops a batch cut by
 * the byte limit: ask for one typical producer batch more than the records need.
 */
const BATCH_SLACK_BYTES = 32 * 1024;
const MAX_FETCH_BYTES = 8 * 1024 * 1024;
/** A fetch that returns nothing although data is there asks for more bytes, up to this. */
const LARGEST_FETCH_BYTES = 256 * 1024 * 1024;

/** Average record size seen per topic, to size the next fetch for the records it must return. */
export class RecordSizeEstimate {
  private bytes = 0;
  private records = 0;

  observe(records: RawRecord[]): void {
    for (const record of records) {
      this.bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0) + RECORD_OVERHEAD;
      for (const header of record.headers)
        this.bytes += header.key.length + (header.value?.length ?? 0);
    }
    this.records += records.length;
    // Keep the estimate current: halve the history now and then.
    if (this.records > 100_000) {
      this.bytes /= 2;
      this.records /= 2;
    }
  }

  /** Bytes to ask for to get about `count` records. */
  bytesFor(count: number): number {
    const average = this.records === 0 ? 1024 : this.bytes / this.records;
    return Math.min(
      MAX_FETCH_BYTES,
      Math.max(MIN_FETCH_BYTES, Math.ceil(count * average * 1.25) + BATCH_SLACK_BYTES),
    );
  }
}

interface Stream {
  partition: number;
  /** Buffered records in reading order. */
  buffer: RawRecord[];
  index: number;
  /** True when nothing is left to read in this direction. */
  done(): boolean;
  /** Where the stream stands (the cursor position): next offset, or exclusive bound. */
  position(): number;
  /** Adds the next chunk to the buffer. */
  refill(wanted: number): Promise<void>;
}

export interface ScanOptions {
  topic: string;
  reader: LogReader;
  direction: Direction;
  /** Forward: first offset to read; backward: exclusive upper bound. */
  start: Map<number, number>;
  /** Forward: stop at this offset (the high watermark when the scan began). */
  end: Map<number, number>;
  /** Backward: stop at this offset (the log start offset). */
  floor: Map<number, number>;
  sizes: RecordSizeEstimate;
  signal?: AbortSignal;
  /**
   * Forward only: first fetches already under way (started before the offsets were known),
   * with the offset each one asked for; a stream uses its one if it starts at that offset.
   */
  prefetched?: { offsets: Map<number, number>; results: Promise<Map<number, FetchResult>> };
}

export class PartitionScan {
  private readonly streams: Stream[];
  private readonly direction: Direction;
  /** How many records the caller expects to take next: sizes fetches. */
  wanted = 100;

  constructor(private readonly options: ScanOptions) {
    this.direction = options.direction;
    this.streams = [...options.start.keys()]
      .sort((a, b) => a - b)
      .map((partition) =>
        options.direction === 'forward'
          ? this.forwardStream(partition)
          : this.backwardStream(partition),
      );
  }

  /** The cursor positions if reading stopped now. */
  positions(): Map<number, number> {
    return new Map(this.streams.map((stream) => [stream.partition, stream.position()]));
  }

  /** True when every partition is read to its end in this direction. */
  finished(): boolean {
    return this.streams.every((stream) => stream.index >= stream.buffer.length && stream.done());
  }

  /** The next record in merged order, or null at the end. */
  async next(): Promise<RawRecord | null> {
    const empty = this.streams.filter((s) => s.index >= s.buffer.length && !s.done());
    if (empty.length > 0) {
      const share = Math.max(10, Math.ceil(this.wanted / this.streams.length));
      await Promise.all(empty.map((stream) => stream.refill(share)));
      this.options.signal?.throwIfAborted();
    }
    let best: Stream | null = null;
    for (const stream of this.streams) {
      if (stream.index >= stream.buffer.length) continue;
      if (best === null || this.before(stream.buffer[stream.index]!, best.buffer[best.index]!)) {
        best = stream;
      }
    }
    if (best === null) return null;
    return best.buffer[best.index++]!;
  }

  /** The prefetched answer for a partition at this offset, once; null when there is none. */
  private async takePrefetched(partition: number, offset: number): Promise<FetchResult | null> {
    const prefetched = this.options.prefetched;
    if (!prefetched || prefetched.offsets.get(partition) !== offset) return null;
    prefetched.offsets.delete(partition);
    const results = await prefetched.results.catch(() => null);
    return results?.get(partition) ?? null;
  }

  private before(a: RawRecord, b: RawRecord): boolean {
    const order = compareRecords(a, b);
    return this.direction === 'forward' ? order < 0 : order > 0;
  }

  private forwardStream(partition: number): Stream {
    const { reader, topic, sizes, signal } = this.options;
    const end = this.options.end.get(partition) ?? 0;
    let fetchOffset = this.options.start.get(partition)!;
    let extraBytes = 1;
    const stream: Stream = {
      partition,
      buffer: [],
      index: 0,
      done: () => fetchOffset >= end,
      position: () =>
        stream.index < stream.buffer.length ? stream.buffer[stream.index]!.offset : fetchOffset,
      refill: async (wanted) => {
        const request: FetchRequest = {
          partition,
          offset: fetchOffset,
          maxBytes: Math.min(LARGEST_FETCH_BYTES, sizes.bytesFor(wanted) * extraBytes),
        };
        const result =
          (await this.takePrefetched(partition, fetchOffset)) ??
          (await reader.fetch(topic, [request], { signal })).get(partition);
        if (!result) throw new Error(`the fetch returned no answer for partition ${partition}`);
        const records = result.records.filter((r) => r.offset >= fetchOffset && r.offset < end);
        sizes.observe(records);
        const next = Math.max(result.nextOffset, fetchOffset);
        if (next === fetchOffset && result.highWatermark > fetchOffset) {
          // Nothing came back although there is data: the next batch is larger than asked for.
          if (request.maxBytes >= LARGEST_FETCH_BYTES) {
            throw new Error(`a record batch at ${partition}:${fetchOffset} is over 256 MiB`);
          }
          extraBytes *= 4;
        } else {
          extraBytes = 1;
        }
        // Data may have been deleted by retention since the scan began: skip to what is left.
        fetchOffset = Math.max(next, Math.min(result.logStartOffset, end));
        if (result.highWatermark <= fetchOffset) fetchOffset = Math.max(fetchOffset, end);
        stream.buffer = records;
        stream.index = 0;
      },
    };
    return stream;
  }

  private backwardStream(partition: number): Stream {
    const { reader, topic, sizes, signal } = this.options;
    const floor = this.options.floor.get(partition) ?? 0;
    let bound = this.options.start.get(partition)!;
    let window = 0;
    const stream: Stream = {
      partition,
      buffer: [],
      index: 0,
      done: () => bound <= floor,
      position: () =>
        stream.index < stream.buffer.length ? stream.buffer[stream.index]!.offset + 1 : bound,
      refill: async (wanted) => {
        // Offsets are nearly contiguous, so `wanted` records sit just below the bound; a window
        // that turns out sparse (compaction, a filter) grows on the next refill.
        window = window === 0 ? wanted : Math.min(window * 4, 1_000_000);
        const low = Math.max(floor, bound - window);
        const records: RawRecord[] = [];
        let offset = low;
        let extraBytes = 1;
        while (offset < bound) {
          const request: FetchRequest = {
            partition,
            offset,
            maxBytes: Math.min(
              LARGEST_FETCH_BYTES,
              sizes.bytesFor(Math.min(bound - offset, wanted * 4)) * extraBytes,
            ),
          };
          const result = (await reader.fetch(topic, [request], { signal })).get(partition);
          if (!result) throw new Error(`the fetch returned no answer for partition ${partition}`);
          for (const record of result.records) {
            if (record.offset >= offset && record.offset < bound) records.push(record);
          }
          sizes.observe(result.records);
          const next = Math.max(result.nextOffset, offset);
          if (next === offset) {
            if (result.highWatermark <= offset) break;
            if (result.logStartOffset > offset) {
              offset = result.logStartOffset;
              continue;
            }
            if (request.maxBytes >= LARGEST_FETCH_BYTES) {
              throw new Error(`a record batch at ${partition}:${offset} is over 256 MiB`);
            }
            extraBytes *= 4;
            continue;
          }
          extraBytes = 1;
          offset = next;
        }
        records.reverse();
        stream.buffer = records;
        stream.index = 0;
        bound = low;
      },
    };
    return stream;
  }
}

/** Timestamp order, ties by partition then offset: a total order, so merges are repeatable. */
export function compareRecords(a: RawRecord, b: RawRecord): number {
  return a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset;
}
