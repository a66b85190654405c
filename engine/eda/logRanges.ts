/**
 * Reading what a sample or scan needs through a `LogReader`, so every source (a Kafka cluster,
 * the local broker, offline folders) can be sampled:
 *
 * - `resolveRanges` turns the API's range (offsets and/or times) into partition ranges.
 * - `readOffsets` (readOffsets.ts) reads listed offsets, one batch per fetch, many in flight.
 * - `scanRanges` reads every record of the ranges in order, many partitions per fetch.
 */
import type { EdaRange } from '../api/eda';
import type { LogReader } from '../browse/logReader';
import type { RawRecord } from '../browse/record';
import type { PartitionRange } from '../sampling';
import { emptyReadStats, type ReadStats } from './readOffsets';

/** Partitions asked for in one fetch call. */
const PARTITIONS_PER_FETCH = 32;
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

/**
 * Reads every record in the ranges, many partitions per fetch, calling `visit` for each. The
 * next fetch is sent before the records of the last one are visited, so the broker reads while
 * the records are worked on (an answer says where each partition goes on before its records
 * are looked at).
 */
export async function scanRanges(
  reader: LogReader,
  topic: string,
  ranges: readonly PartitionRange[],
  visit: (record: RawRecord) => void,
  options: { signal?: AbortSignal; progress?: (read: number) => Promise<void> | void } = {},
): Promise<ReadStats> {
  const stats = emptyReadStats();
  interface Position extends PartitionRange {
    offset: number;
    bytes: number;
  }
  const queue: Position[] = ranges
    .filter((r) => r.end > r.start)
    .map((r) => ({ ...r, offset: r.start, bytes: SCAN_FETCH_BYTES }));

  const send = () => {
    const group = queue.splice(0, PARTITIONS_PER_FETCH);
    // Each partition's range as it stood when asked (visiting filters by it).
    const asked = group.map((p) => ({ position: p, from: p.offset }));
    const answer = reader.fetch(
      topic,
      group.map((p) => ({ partition: p.partition, offset: p.offset, maxBytes: p.bytes })),
      { signal: options.signal },
    );
    stats.fetches++;
    stats.requests += group.length;
    return { asked, answer };
  };

  let pending = queue.length > 0 ? send() : null;
  try {
    await scanLoop();
  } finally {
    // Leaving early (cancel, a failing visit): the fetch sent ahead is no one's to await.
    void pending?.answer.catch(() => undefined);
  }
  return stats;

  async function scanLoop(): Promise<void> {
    while (pending) {
      options.signal?.throwIfAborted();
      const { asked } = pending;
      const results = await pending.answer;
      // Move every partition on first, and send the next fetch, then visit.
      for (const { position } of asked) {
        const result = results.get(position.partition);
        const records = result?.records ?? [];
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
      pending = queue.length > 0 ? send() : null;
      for (const { position, from } of asked) {
        const records = results.get(position.partition)?.records ?? [];
        stats.recordsFetched += records.length;
        for (const record of records) {
          if (record.offset < from || record.offset >= position.end) continue;
          stats.recordsRead++;
          visit(record);
        }
      }
      await options.progress?.(stats.recordsRead);
    }
  }
}
