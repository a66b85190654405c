/**
 * Offset ranges as a sampling population. A population is a set of partition ranges
 * `[{partition, start, end}]`; its units are the offsets in them, numbered 0…N−1 in order of
 * (partition, start, offset). Plans draw unit numbers and this module turns them back into
 * `(partition, offset)` pairs, sorted per partition so a reader fetches batches in order.
 *
 * `end` is exclusive, like Kafka's high watermark and log end offset: `{start: 0, end: 100}`
 * holds the 100 offsets 0…99, and `{start: logStartOffset, end: highWatermark}` is a whole
 * partition. Offsets are plain numbers, so they must be safe integers (below 2^53); Kafka's
 * int64 offsets never get that far in practice.
 *
 * The population is offsets, not records: on a compacted topic, or around transaction
 * markers, some offsets hold no record. A reader that fetches such an offset gets the next
 * record's batch and should count the offset as missing rather than substitute the next
 * record, which would give records after gaps a higher chance of selection.
 */

/** The offsets `start` (inclusive) to `end` (exclusive) of one partition. */
export interface PartitionRange {
  partition: number;
  start: number;
  end: number;
}

/** Sampled offsets of one partition, ascending (repeats allowed only with replacement). */
export interface PartitionOffsets {
  partition: number;
  offsets: number[];
}

/** The validated, ordered ranges of a population, with the cumulative unit counts. */
export class OffsetPopulation {
  /** Non-empty ranges, ordered by partition then start; no two overlap. */
  readonly ranges: readonly PartitionRange[];
  /** `size` = N, the number of offsets (units) in the population. */
  readonly size: number;
  /** `cumulative[i]` is the unit number of `ranges[i].start`. */
  private readonly cumulative: readonly number[];

  constructor(ranges: readonly PartitionRange[]) {
    for (const range of ranges) validateRange(range);
    const ordered = ranges
      .filter((range) => range.end > range.start)
      .map((range) => ({ ...range }))
      .sort((a, b) => a.partition - b.partition || a.start - b.start);
    const cumulative: number[] = [];
    let size = 0;
    ordered.forEach((range, i) => {
      const previous = ordered[i - 1];
      if (previous && previous.partition === range.partition && previous.end > range.start) {
        throw new RangeError(
          `ranges overlap on partition ${range.partition}: ` +
            `[${previous.start}, ${previous.end}) and [${range.start}, ${range.end})`,
        );
      }
      cumulative.push(size);
      size += range.end - range.start;
    });
    if (!Number.isSafeInteger(size)) {
      throw new RangeError(`population of ${size} offsets is larger than 2^53`);
    }
    this.ranges = ordered;
    this.cumulative = cumulative;
    this.size = size;
  }

  /** The `(partition, offset)` of unit number `unit` (0 ≤ unit < N). */
  locate(unit: number): { partition: number; offset: number } {
    if (!Number.isInteger(unit) || unit < 0 || unit >= this.size) {
      throw new RangeError(`unit ${unit} outside [0, ${this.size})`);
    }
    // Greatest i with cumulative[i] <= unit.
    let low = 0;
    let high = this.ranges.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.cumulative[mid]! <= unit) low = mid;
      else high = mid - 1;
    }
    const range = this.ranges[low]!;
    return { partition: range.partition, offset: range.start + (unit - this.cumulative[low]!) };
  }

  /**
   * Unit numbers, in any order, to per-partition ascending offsets. Sorts a copy (O(n log n))
   * and then walks the ranges once; memory is O(n + ranges).
   */
  toPartitionOffsets(units: Iterable<number>): PartitionOffsets[] {
    const sorted = Float64Array.from(units).sort();
    const result: PartitionOffsets[] = [];
    let rangeIndex = 0;
    let current: PartitionOffsets | undefined;
    for (const unit of sorted) {
      if (!(unit >= 0 && unit < this.size)) throw new RangeError(`unit ${unit} outside population`);
      while (unit >= this.cumulative[rangeIndex]! + spanOf(this.ranges[rangeIndex]!)) rangeIndex++;
      const range = this.ranges[rangeIndex]!;
      if (current?.partition !== range.partition) {
        current = { partition: range.partition, offsets: [] };
        result.push(current);
      }
      current.offsets.push(range.start + (unit - this.cumulative[rangeIndex]!));
    }
    return result;
  }

  /** The number of offsets per partition, ordered by partition. */
  partitionSizes(): Array<{ partition: number; size: number }> {
    const sizes: Array<{ partition: number; size: number }> = [];
    for (const range of this.ranges) {
      const last = sizes[sizes.length - 1];
      if (last?.partition === range.partition) last.size += spanOf(range);
      else sizes.push({ partition: range.partition, size: spanOf(range) });
    }
    return sizes;
  }
}

function spanOf(range: PartitionRange): number {
  return range.end - range.start;
}

function validateRange(range: PartitionRange): void {
  const { partition, start, end } = range;
  if (!Number.isSafeInteger(partition) || partition < 0) {
    throw new RangeError(`partition must be a non-negative integer, got ${partition}`);
  }
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(
      `partition ${partition}: need integer offsets 0 <= start <= end, got [${start}, ${end})`,
    );
  }
}

/** Merges per-partition offset lists (each ascending) into one list per partition, ascending. */
export function mergePartitionOffsets(lists: readonly PartitionOffsets[]): PartitionOffsets[] {
  const byPartition = new Map<number, number[][]>();
  for (const { partition, offsets } of lists) {
    const parts = byPartition.get(partition) ?? [];
    parts.push(offsets);
    byPartition.set(partition, parts);
  }
  return [...byPartition.entries()]
    .sort(([a], [b]) => a - b)
    .map(([partition, parts]) => ({
      partition,
      offsets: parts.length === 1 ? [...parts[0]!] : [...Float64Array.from(parts.flat()).sort()],
    }));
}
