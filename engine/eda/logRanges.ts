/**
 * Reading what a sample or scan needs through a `LogReader`, so every source (a Kafka cluster,
 * the local broker, offline folders) can be sampled:
 *
 * - `resolveRanges` turns the API's range (offsets and/or times) into partition ranges.
 * - `readOffsets` reads listed offsets (ascending per partition): one fetch per batch touched,
 *   reusing the last fetched batches for every later offset they hold, with one fetch call
 *   asking for many partitions at once. An offset that holds no record (compaction,
 *   transaction markers) is reported as empty, never replaced by the next record.
 * - `scanRanges` reads every record of the ranges in order, many partitions per fetch.
 */
import type { EdaRange } from '../api/eda';
import type { FetchRequest, FetchResult, LogReader } from '../browse/logReader';
import type { RawRecord } from '../browse/record';
import type { PartitionOffsets, PartitionRange } from '../sampling';

/** Partitions asked for in one fetch call. */
const PARTITIONS_PER_FETCH = 32;
/** Bytes asked for per partition when sampling: about one producer batch. */
const SAMPLE_FETCH_BYTES = 16 * 1024;
/** Bytes asked for per partition when scanning. */
const SCAN_FETCH_BYTES = 1024 * 1024;
/** A batch larger than asked for comes back as nothing: ask again with more, up to this. */
const LARGEST_FETCH_BYTES = 256 * 1024 * 1024;

/** The partition ranges a request covers, and the first and last timestamps if asked by time. */
export async function resolveRanges(
  reader: LogReader,
  topic: string,
  range: EdaRange = {},
): Promise<PartitionRange[]> {
  let offsets = await reader.offsets(topic);
  if (range.partitions) {
    const wanted = new Set(range.partitions);
    offsets = offsets.filter((p) => wanted.has(p.partition));
  }
  const partitions = offsets.map((p) => p.partition);
  const [fromTime, toTime] = await Promise.all([
    range.startTime === undefined
      ? null
      : reader.offsetsForTimestamp(topic, partitions, range.startTime),
    range.endTime === undefined
      ? null
      : reader.offsetsForTimestamp(topic, partitions, range.endTime),
  ]);
  return offsets.map((p) => {
    let start = Math.max(p.logStartOffset, range.startOffset ?? 0);
    let end = Math.min(p.highWatermark, range.endOffset ?? Number.MAX_SAFE_INTEGER);
    const timeStart = fromTime?.get(p.partition);
    const timeEnd = toTime?.get(p.partition);
    if (timeStart !== undefined) start = Math.max(start, timeStart);
    if (timeEnd !== undefined) end = Math.min(end, timeEnd);
    return { partition: p.partition, start, end: Math.max(start, end) };
  });
}

export interface ReadStats {
  /** Fetch calls made (each may ask for many partitions). */
  fetches: number;
  /** Partition requests in them, and the records they returned (to estimate batch sizes). */
  requests: number;
  recordsFetched: number;
  recordsRead: number;
  emptyOffsets: number;
}

/**
 * Calls `visit` for every listed offset, in order per partition (partitions interleaved), with
 * its record or null when the offset holds none. Repeated offsets (sampling with replacement)
 * are visited once per listing.
 */
export async function readOffsets(
  reader: LogReader,
  topic: string,
  plan: readonly PartitionOffsets[],
  visit: (partition: number, offset: number, record: RawRecord | null) => void,
  options: { signal?: AbortSignal; progress?: (visited: number) => Promise<void> | void } = {},
): Promise<ReadStats> {
  const stats: ReadStats = {
    fetches: 0,
    requests: 0,
    recordsFetched: 0,
    recordsRead: 0,
    emptyOffsets: 0,
  };
  interface Cursor {
    partition: number;
    offsets: number[];
    next: number;
    /** The last fetch: records from `from` up to `to` (exclusive), in offset order. */
    from: number;
    to: number;
    records: RawRecord[];
    at: number;
    bytes: number;
  }
  const cursors: Cursor[] = plan
    .filter((p) => p.offsets.length > 0)
    .map((p) => ({
      partition: p.partition,
      offsets: p.offsets,
      next: 0,
      from: -1,
      to: -1,
      records: [],
      at: 0,
      bytes: SAMPLE_FETCH_BYTES,
    }));
  let visited = 0;

  /** Visits the cursor's offsets that the last fetch covers. */
  const consume = (cursor: Cursor): void => {
    while (cursor.next < cursor.offsets.length) {
      const offset = cursor.offsets[cursor.next]!;
      if (offset < cursor.from || offset >= cursor.to) return;
      while (cursor.at < cursor.records.length && cursor.records[cursor.at]!.offset < offset)
        cursor.at++;
      const record = cursor.records[cursor.at];
      if (record && record.offset === offset) {
        stats.recordsRead++;
        visit(cursor.partition, offset, record);
      } else {
        stats.emptyOffsets++;
        visit(cursor.partition, offset, null);
      }
      cursor.next++;
      visited++;
    }
  };

  // A queue: each fetch serves the first partitions, which then go to the back if not done.
  const queue = cursors;
  while (queue.length > 0) {
    options.signal?.throwIfAborted();
    const group = queue.splice(0, PARTITIONS_PER_FETCH);
    const requests: FetchRequest[] = group.map((c) => ({
      partition: c.partition,
      offset: c.offsets[c.next]!,
      maxBytes: c.bytes,
    }));
    const results = await reader.fetch(topic, requests, { signal: options.signal });
    stats.fetches++;
    stats.requests += requests.length;
    for (const cursor of group) {
      const offset = cursor.offsets[cursor.next]!;
      const result = results.get(cursor.partition);
      applyFetch(cursor, offset, result);
      consume(cursor);
      if (cursor.next < cursor.offsets.length) queue.push(cursor);
    }
    await options.progress?.(visited);
  }
  return stats;

  function applyFetch(cursor: Cursor, offset: number, result: FetchResult | undefined): void {
    const records = result?.records ?? [];
    stats.recordsFetched += records.length;
    const next = Math.max(result?.nextOffset ?? offset, offset);
    if (next === offset && records.length === 0) {
      const highWatermark = result?.highWatermark ?? offset;
      if (
        offset < highWatermark &&
        offset >= (result?.logStartOffset ?? 0) &&
        cursor.bytes < LARGEST_FETCH_BYTES
      ) {
        // A batch larger than asked for: ask again for more bytes.
        cursor.bytes *= 4;
        cursor.from = cursor.to = -1;
        return;
      }
      // Nothing there (deleted by retention, or past the end): this offset is empty.
      cursor.from = offset;
      cursor.to = offset + 1;
      cursor.records = [];
      cursor.at = 0;
      return;
    }
    cursor.bytes = SAMPLE_FETCH_BYTES;
    cursor.from = offset;
    cursor.to = next;
    cursor.records = records;
    cursor.at = 0;
  }
}

/** Reads every record in the ranges, many partitions per fetch, calling `visit` for each. */
export async function scanRanges(
  reader: LogReader,
  topic: string,
  ranges: readonly PartitionRange[],
  visit: (record: RawRecord) => void,
  options: { signal?: AbortSignal; progress?: (read: number) => Promise<void> | void } = {},
): Promise<ReadStats> {
  const stats: ReadStats = {
    fetches: 0,
    requests: 0,
    recordsFetched: 0,
    recordsRead: 0,
    emptyOffsets: 0,
  };
  const positions = ranges
    .filter((r) => r.end > r.start)
    .map((r) => ({ ...r, offset: r.start, bytes: SCAN_FETCH_BYTES }));
  const queue = positions;
  while (queue.length > 0) {
    options.signal?.throwIfAborted();
    const group = queue.splice(0, PARTITIONS_PER_FETCH);
    const results = await reader.fetch(
      topic,
      group.map((p) => ({ partition: p.partition, offset: p.offset, maxBytes: p.bytes })),
      { signal: options.signal },
    );
    stats.fetches++;
    stats.requests += group.length;
    for (const position of group) {
      const result = results.get(position.partition);
      const records = result?.records ?? [];
      stats.recordsFetched += records.length;
      for (const record of records) {
        if (record.offset < position.offset || record.offset >= position.end) continue;
        stats.recordsRead++;
        visit(record);
      }
      const next = Math.max(result?.nextOffset ?? position.offset, position.offset);
      if (next === position.offset && records.length === 0) {
        const highWatermark = result?.highWatermark ?? position.offset;
        if (position.offset < highWatermark && position.bytes < LARGEST_FETCH_BYTES) {
          position.bytes *= 4;
        } else {
          position.offset = position.end; // nothing more to read
        }
      } else {
        position.bytes = SCAN_FETCH_BYTES;
        // Retention may have moved the log start past the position: go on from what is left.
        position.offset = Math.max(next, Math.min(result?.logStartOffset ?? 0, position.end));
      }
      if (position.offset < position.end) queue.push(position);
    }
    await options.progress?.(stats.recordsRead);
  }
  return stats;
}
