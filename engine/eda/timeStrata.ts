/**
 * Time-bucket strata as offset ranges: the range's first and last timestamps are split into
 * equal buckets, and each bucket boundary is looked up as offsets (ListOffsets by timestamp),
 * so the buckets can be sampled by offset like any other stratum. Records whose timestamps go
 * back in time inside a partition fall in the bucket their offset lies in.
 */
import type { LogReader } from '../browse/logReader';
import type { PartitionRange, StratumRanges } from '../sampling';

/** The timestamp of the record at `offset` (or the first after it), null if none is there. */
async function timestampAt(
  reader: LogReader,
  topic: string,
  partition: number,
  offset: number,
  end: number,
): Promise<number | null> {
  const result = (await reader.fetch(topic, [{ partition, offset, maxBytes: 64 * 1024 }])).get(
    partition,
  );
  const record = result?.records.find((r) => r.offset >= offset && r.offset < end);
  return record?.timestamp ?? null;
}

export async function timeBucketStrata(
  reader: LogReader,
  topic: string,
  ranges: readonly PartitionRange[],
  buckets: number,
  bounds: { startTime?: number | undefined; endTime?: number | undefined },
): Promise<{ strata: StratumRanges[]; boundaries: number[] }> {
  const filled = ranges.filter((r) => r.end > r.start);
  let first = bounds.startTime ?? null;
  let last = bounds.endTime ?? null;
  if (first === null || last === null) {
    const firsts: number[] = [];
    const lasts: number[] = [];
    for (const range of filled) {
      // The last batch's records come back whole: the newest is at the end.
      const [a, b] = await Promise.all([
        first === null ? timestampAt(reader, topic, range.partition, range.start, range.end) : null,
        last === null
          ? timestampAt(reader, topic, range.partition, range.end - 1, range.end)
          : null,
      ]);
      if (a !== null) firsts.push(a);
      if (b !== null) lasts.push(b);
    }
    first ??= firsts.length ? Math.min(...firsts) : 0;
    last ??= lasts.length ? Math.max(...lasts) + 1 : first + 1;
  }
  if (last <= first) last = first + 1;
  const boundaries: number[] = [];
  for (let i = 0; i <= buckets; i++) {
    boundaries.push(Math.round(first + ((last - first) * i) / buckets));
  }
  const partitions = filled.map((r) => r.partition);
  // Offsets of each inner boundary; the outer ones are the ranges' own ends.
  const lookups = await Promise.all(
    boundaries
      .slice(1, -1)
      .map((time) =>
        partitions.length ? reader.offsetsForTimestamp(topic, partitions, time) : new Map(),
      ),
  );
  // Per partition, the cut offsets between buckets, kept non-decreasing so buckets never overlap.
  const cuts = filled.map((range) => {
    const points = [range.start];
    for (const lookup of lookups) {
      const offset = Math.min(
        range.end,
        Math.max(range.start, lookup.get(range.partition) ?? range.end),
      );
      points.push(Math.max(points.at(-1)!, offset));
    }
    points.push(range.end);
    return points;
  });
  const strata: StratumRanges[] = [];
  for (let b = 0; b < buckets; b++) {
    const stratumRanges: PartitionRange[] = [];
    filled.forEach((range, i) => {
      const start = cuts[i]![b]!;
      const end = cuts[i]![b + 1]!;
      if (end > start) stratumRanges.push({ partition: range.partition, start, end });
    });
    strata.push({ id: new Date(boundaries[b]!).toISOString(), ranges: stratumRanges });
  }
  return { strata, boundaries };
}
