/**
 * The base offsets of a partition's stored batches, per segment, in memory: a read at an
 * arbitrary offset (a new consumer, a seek, a sampled offset) finds the key of the batch that
 * holds it by binary search and reads it with one `get`, where it would otherwise create a
 * reverse LevelDB iterator, seek it, read one entry and close it — about five times the cost,
 * most of it on the main thread (measured on a 1,000,000 message topic: 150 µs against 30 µs
 * a read, and the iterator's share does not shrink with more reads in flight).
 *
 * Kept per segment, because segments are what retention drops and what a partition's batches
 * are grouped by:
 * - an append adds its batch to its segment's offsets; a segment created since the log was
 *   opened is indexed from its first batch on;
 * - a segment that existed when the log was opened is indexed on demand, from its keys, once
 *   reads keep landing in it without a cursor (`wantsBuild`); appends that commit while its
 *   keys are read are added after them;
 * - retention and DeleteRecords drop the segments they delete; the tail recovery at open (a
 *   truncation) drops everything.
 *
 * Memory: 8 bytes per indexed batch, at most `maxBatches` over the whole log — the least
 * recently read segments are dropped first, and built again if reads come back to them.
 */

/** 32 MiB of base offsets: a 64 MiB segment of 16 KiB batches is 4,096 of them. */
export const MAX_INDEXED_BATCHES = 4 * 1024 * 1024;

/** Reads without a cursor that land in a segment before its offsets are built. */
const MISSES_BEFORE_BUILD = 2;

/** Base offsets of one segment's batches, ascending. */
export class SegmentBatchOffsets {
  private bases = new Float64Array(256);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(baseOffset: number): void {
    if (this.count > 0 && baseOffset <= this.bases[this.count - 1]!) {
      throw new RangeError(
        `batch base offset ${baseOffset} does not follow ${this.bases[this.count - 1]}`,
      );
    }
    if (this.count === this.bases.length) {
      const grown = new Float64Array(this.bases.length * 2);
      grown.set(this.bases);
      this.bases = grown;
    }
    this.bases[this.count++] = baseOffset;
  }

  /** The greatest base offset ≤ `offset` (the batch that holds it), or -1 if none is. */
  floor(offset: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.bases[mid]! <= offset) low = mid + 1;
      else high = mid;
    }
    return low === 0 ? -1 : this.bases[low - 1]!;
  }

  toArray(): number[] {
    return Array.from(this.bases.subarray(0, this.count));
  }
}

interface IndexedSegment {
  readonly owner: PartitionBatchIndex;
  readonly segmentBase: number;
  readonly offsets: SegmentBatchOffsets;
  /** While its keys are being read: appends committed meanwhile, added after them. */
  pending: number[] | undefined;
  /** Batches counted against the budget. */
  counted: number;
}

/** The cap on indexed batches that all partitions of a log share, least recently read dropped first. */
export class BatchIndexBudget {
  /** In order of last use, least recent first (a Set keeps insertion order). */
  private readonly segments = new Set<IndexedSegment>();
  private used = 0;

  constructor(readonly maxBatches = MAX_INDEXED_BATCHES) {}

  get indexedBatches(): number {
    return this.used;
  }

  touch(segment: IndexedSegment): void {
    this.segments.delete(segment);
    this.segments.add(segment);
  }

  /** Counts the segment's batches now; drops least recently read segments over the cap. */
  account(segment: IndexedSegment): void {
    this.used += segment.offsets.length - segment.counted;
    segment.counted = segment.offsets.length;
    this.touch(segment);
    for (const oldest of this.segments) {
      if (this.used <= this.maxBatches || oldest === segment) break;
      oldest.owner.drop(oldest.segmentBase);
    }
  }

  release(segment: IndexedSegment): void {
    if (this.segments.delete(segment)) this.used -= segment.counted;
    segment.counted = 0;
  }
}

/** One partition's indexed segments. */
export class PartitionBatchIndex {
  private readonly segments = new Map<number, IndexedSegment>();
  private readonly misses = new Map<number, number>();

  constructor(private readonly budget: BatchIndexBudget) {}

  /**
   * A batch at `baseOffset` was written to the segment starting at `segmentBase` (call once the
   * write succeeded, in offset order). `created`: that write started the segment, so the
   * segment's offsets are complete from here on.
   */
  appended(segmentBase: number, baseOffset: number, created: boolean): void {
    let segment = this.segments.get(segmentBase);
    if (!segment && created) {
      segment = this.add(segmentBase);
      segment.pending = undefined;
    }
    if (!segment) return;
    if (segment.pending) {
      segment.pending.push(baseOffset);
      return;
    }
    segment.offsets.push(baseOffset);
    this.budget.account(segment);
  }

  /**
   * The base offset of the batch holding `offset`, in the segment starting at `segmentBase`,
   * or undefined when that segment is not indexed (yet).
   */
  lookup(segmentBase: number, offset: number): number | undefined {
    const segment = this.segments.get(segmentBase);
    if (!segment || segment.pending) return undefined;
    this.budget.touch(segment);
    const base = segment.offsets.floor(offset);
    return base === -1 ? undefined : base;
  }

  /**
   * A read found the segment not indexed: whether it is time to build it (several reads
   * without a cursor landed there, so more are likely; one new consumer does not pay for it).
   */
  wantsBuild(segmentBase: number): boolean {
    if (this.segments.has(segmentBase)) return false;
    const misses = (this.misses.get(segmentBase) ?? 0) + 1;
    if (misses < MISSES_BEFORE_BUILD) {
      this.misses.set(segmentBase, misses);
      return false;
    }
    this.misses.delete(segmentBase);
    return true;
  }

  /**
   * Builds the segment's offsets from `load`, which returns the base offsets stored from
   * `segmentBase` up to the log end offset at the time of the call (appends committed after
   * that are added by `appended`). A failed load leaves the segment unindexed.
   */
  async build(segmentBase: number, load: () => Promise<number[]>): Promise<void> {
    if (this.segments.has(segmentBase)) return;
    const segment = this.add(segmentBase);
    let loaded: number[];
    try {
      loaded = await load();
    } catch (error) {
      if (this.segments.get(segmentBase) === segment) this.drop(segmentBase);
      throw error;
    }
    // Dropped meanwhile (retention, truncation, the budget): what was read is stale.
    if (this.segments.get(segmentBase) !== segment) return;
    for (const base of loaded) segment.offsets.push(base);
    for (const base of segment.pending!) segment.offsets.push(base);
    segment.pending = undefined;
    this.budget.account(segment);
  }

  /** Forgets the segment starting at `segmentBase` (deleted, or dropped to save memory). */
  drop(segmentBase: number): void {
    const segment = this.segments.get(segmentBase);
    if (!segment) return;
    this.segments.delete(segmentBase);
    this.budget.release(segment);
  }

  /** Forgets the segments starting below `segmentBase` (retention deleted them). */
  dropBelow(segmentBase: number): void {
    for (const base of [...this.segments.keys()]) if (base < segmentBase) this.drop(base);
    for (const base of [...this.misses.keys()]) if (base < segmentBase) this.misses.delete(base);
  }

  /** Forgets every segment (the log was cut, or the partition removed). */
  clear(): void {
    for (const base of [...this.segments.keys()]) this.drop(base);
    this.misses.clear();
  }

  /** The indexed base offsets by segment base (for tests and diagnostics). */
  snapshot(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const [base, segment] of this.segments) {
      if (!segment.pending) out.set(base, segment.offsets.toArray());
    }
    return new Map([...out].sort((a, b) => a[0] - b[0]));
  }

  private add(segmentBase: number): IndexedSegment {
    const segment: IndexedSegment = {
      owner: this,
      segmentBase,
      offsets: new SegmentBatchOffsets(),
      pending: [],
      counted: 0,
    };
    this.segments.set(segmentBase, segment);
    this.misses.delete(segmentBase);
    return segment;
  }
}
