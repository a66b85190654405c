/**
 * Reading listed offsets (a sample's plan) through a `LogReader`, as few bytes and round trips
 * as the log allows:
 *
 * - a sampled offset fetches only the batch that holds it: one partition per fetch and a
 *   1-byte limit, which Kafka (KIP-74) answers with exactly the first batch at the offset;
 * - several fetches are in flight at once (the reader pipelines them on its connection), for
 *   all partitions, each for an offset no earlier fetch is expected to cover;
 * - a fetched batch serves every later sampled offset it holds, so each batch is fetched once;
 * - the reader is told which offsets are wanted, so a reader that can (KafkaSource) builds
 *   only those records out of the batch.
 *
 * An offset that holds no record (compaction, transaction markers) is reported as empty,
 * never replaced by the next record.
 */
import type { FetchResult, LogReader } from '../browse/logReader';
import type { RawRecord } from '../browse/record';
import type { PartitionOffsets } from '../sampling';

/** Fetch calls in flight at once. */
const MAX_IN_FLIGHT = 48;
/** Partitions asked for in one fetch call. */
const PARTITIONS_PER_FETCH = 32;
/** Answers seen before fetches for one partition overlap (the span of a batch is known by then). */
const LEARN_SPAN_FROM = 8;
/** 1 byte: the broker still sends the first batch at the offset whole, and nothing after it. */
const ONE_BATCH = 1;
/** A batch larger than asked for comes back as nothing from some readers: ask again with more, up to this. */
const LARGEST_FETCH_BYTES = 256 * 1024 * 1024;

export interface ReadStats {
  /** Fetch calls made. */
  fetches: number;
  /** Partition requests in them, and the records they returned (to estimate batch sizes). */
  requests: number;
  recordsFetched: number;
  recordsRead: number;
  emptyOffsets: number;
  /** Offsets a batch holds, as far as the answers showed (0 when none did). */
  recordsPerBatch: number;
}

export function emptyReadStats(): ReadStats {
  return {
    fetches: 0,
    requests: 0,
    recordsFetched: 0,
    recordsRead: 0,
    emptyOffsets: 0,
    recordsPerBatch: 0,
  };
}

/** Fetch options as readers take them, plus the hint of which records are wanted. */
interface SelectiveFetchOptions {
  signal?: AbortSignal;
  /** Readers may build only the records this accepts (KafkaSource does); others ignore it. */
  wanted?: (partition: number, offset: number) => boolean;
}

/** What one fetch returned for a partition: records at offsets `[from, to)`. */
interface Fetched {
  from: number;
  to: number;
  records: RawRecord[];
  at: number;
}

interface InFlight {
  offset: number;
  /** Offsets up to here are expected in its answer, so no other fetch is sent for them. */
  expectedEnd: number;
}

class PartitionReads {
  /** Index of the first offset not yet visited. */
  next = 0;
  readonly fetched: Fetched[] = [];
  readonly inFlight: InFlight[] = [];
  bytes = ONE_BATCH;

  constructor(
    readonly partition: number,
    /** Ascending; repeated offsets (sampling with replacement) are visited once per listing. */
    readonly offsets: readonly number[],
  ) {}

  get done(): boolean {
    return this.next >= this.offsets.length;
  }

  /** Index of the first offset that no fetch may have claimed: the search for the next fetch starts here. */
  private cursor = 0;

  /** The index of the first listed offset at or after `offset`, from `next` on. */
  private lowerBound(offset: number): number {
    let low = this.next;
    let high = this.offsets.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.offsets[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Whether `offset` is one this partition still has to visit. */
  wants(offset: number): boolean {
    return this.offsets[this.lowerBound(offset)] === offset;
  }

  /** Offsets from `offset` on lost their claim (a fetch covered less than expected): look again. */
  release(offset: number): void {
    this.cursor = Math.min(this.cursor, this.lowerBound(offset));
  }

  private claimed(offset: number): boolean {
    return (
      this.fetched.some((f) => offset >= f.from && offset < f.to) ||
      this.inFlight.some((f) => offset >= f.offset && offset < f.expectedEnd)
    );
  }

  /** The first offset to visit that no fetch has covered or is expected to cover, if any. */
  unclaimed(): number | null {
    let i = Math.max(this.cursor, this.next);
    while (i < this.offsets.length && this.claimed(this.offsets[i]!)) i++;
    this.cursor = i;
    return i < this.offsets.length ? this.offsets[i]! : null;
  }
}

/**
 * Calls `visit` for every listed offset, in offset order within a partition (partitions
 * interleave in whatever order their batches arrive), with its record or null when the
 * offset holds none.
 */
export async function readOffsets(
  reader: LogReader,
  topic: string,
  plan: readonly PartitionOffsets[],
  visit: (partition: number, offset: number, record: RawRecord | null) => void,
  options: { signal?: AbortSignal; progress?: (visited: number) => Promise<void> | void } = {},
): Promise<ReadStats> {
  const stats = emptyReadStats();
  const partitions = plan
    .filter((p) => p.offsets.length > 0)
    .map((p) => new PartitionReads(p.partition, p.offsets));
  const byPartition = new Map(partitions.map((p) => [p.partition, p]));
  /** Records a fetch is expected to cover beyond its offset: learned from the answers. */
  let span = 0;
  let answers = 0;
  /**
   * The largest batch seen, in bytes, from readers that tell the bytes of an answer
   * (KafkaSource); 0 until then, and for other readers, which get one partition per fetch.
   */
  let batchBytes = 0;
  let visited = 0;
  let inFlight = 0;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const fetchOptions: SelectiveFetchOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    wanted: (partition, offset) => byPartition.get(partition)?.wants(offset) ?? false,
  };

  /** Visits the partition's offsets that fetched batches cover, in order. */
  const drain = (reads: PartitionReads): void => {
    while (!reads.done) {
      const offset = reads.offsets[reads.next]!;
      while (reads.fetched.length > 0 && reads.fetched[0]!.to <= offset) reads.fetched.shift();
      const batch = reads.fetched.find((f) => offset >= f.from && offset < f.to);
      if (!batch) return;
      while (batch.at < batch.records.length && batch.records[batch.at]!.offset < offset)
        batch.at++;
      const record = batch.records[batch.at];
      if (record && record.offset === offset) {
        stats.recordsRead++;
        visit(reads.partition, offset, record);
      } else {
        stats.emptyOffsets++;
        visit(reads.partition, offset, null);
      }
      reads.next++;
      visited++;
    }
    reads.fetched.length = 0;
  };

  /** Keeps what a fetch returned; returns the offset up to which it covered the partition. */
  const settle = (
    reads: PartitionReads,
    offset: number,
    result: (FetchResult & { bytes?: number }) | undefined,
    askedBytes: number,
  ): number => {
    const records = result?.records ?? [];
    stats.recordsFetched += records.length;
    const next = Math.max(result?.nextOffset ?? offset, offset);
    if (next === offset && records.length === 0) {
      const highWatermark = result?.highWatermark ?? offset;
      if (
        offset < highWatermark &&
        offset >= (result?.logStartOffset ?? 0) &&
        reads.bytes < LARGEST_FETCH_BYTES
      ) {
        // A batch larger than asked for, from a reader that does not send it anyway: ask again
        // for more bytes.
        reads.bytes = Math.max(reads.bytes, 64 * 1024) * 4;
        return offset;
      }
      // Nothing there (deleted by retention, or past the end): this offset is empty.
      reads.fetched.push({ from: offset, to: offset + 1, records: [], at: 0 });
      return offset + 1;
    }
    reads.bytes = ONE_BATCH;
    answers++;
    if (askedBytes === ONE_BATCH && result?.bytes !== undefined) {
      batchBytes = Math.max(batchBytes, result.bytes);
    }
    span = Math.max(span, next - offset);
    reads.fetched.push({ from: offset, to: next, records, at: 0 });
    reads.fetched.sort((a, b) => a.from - b.from);
    return next;
  };

  /** One fetch call for the next offset of each partition in `group`. */
  const send = (group: { reads: PartitionReads; offset: number }[]): void => {
    const requests = group.map(({ reads, offset }) => {
      reads.inFlight.push({ offset, expectedEnd: offset + Math.max(1, span) });
      // Alone in a fetch, 1 byte gets exactly one batch; beside others, only the first
      // partition's first batch may exceed its limit, so the others ask for a batch's size.
      // (Reading on to later sampled offsets from the same fetch was tried: on the local broker
      // it cost more than the seeks it saved.)
      const maxBytes =
        group.length === 1 ? reads.bytes : Math.max(reads.bytes, Math.ceil(batchBytes * 1.25));
      return { partition: reads.partition, offset, maxBytes };
    });
    inFlight++;
    stats.fetches++;
    stats.requests += group.length;
    reader
      .fetch(topic, requests, fetchOptions)
      .then(
        (results) => {
          group.forEach(({ reads, offset }, i) => {
            const entry = reads.inFlight.find((f) => f.offset === offset)!;
            reads.inFlight.splice(reads.inFlight.indexOf(entry), 1);
            const covered = settle(
              reads,
              offset,
              results.get(reads.partition),
              requests[i]!.maxBytes,
            );
            if (covered < entry.expectedEnd) reads.release(covered);
            drain(reads);
          });
        },
        (error: unknown) => {
          failure ??= error;
        },
      )
      .finally(() => {
        inFlight--;
        wake?.();
      });
  };

  /**
   * Sends fetches for offsets nothing covers, up to the limit: each for one offset per
   * partition, several partitions per fetch once the size of a batch is known.
   */
  let first = 0;
  const fill = (): void => {
    while (inFlight < MAX_IN_FLIGHT) {
      const perFetch = batchBytes > 0 ? PARTITIONS_PER_FETCH : 1;
      const group: { reads: PartitionReads; offset: number }[] = [];
      for (let k = 0; k < partitions.length && group.length < perFetch; k++) {
        const reads = partitions[(first + k) % partitions.length]!;
        // Until a few answers tell how many offsets a batch covers, one fetch per partition:
        // guessing too few would fetch a batch twice.
        if (answers < LEARN_SPAN_FROM && reads.inFlight.length > 0) continue;
        const offset = reads.unclaimed();
        if (offset !== null) group.push({ reads, offset });
      }
      if (group.length === 0) return;
      // The first partition is the one sure to get its batch whatever its size: take turns.
      first = (first + 1) % partitions.length;
      send(group);
    }
  };

  while (partitions.some((p) => !p.done)) {
    options.signal?.throwIfAborted();
    if (failure) break;
    fill();
    if (inFlight === 0) break;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    await options.progress?.(visited);
  }
  // Let the fetches still out finish before answering, so none outlives the call.
  while (inFlight > 0) {
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
  if (failure) throw failure;
  options.signal?.throwIfAborted();
  stats.recordsPerBatch = span;
  return stats;
}
