/**
 * What the playback charts show, built from the records as they are played, in bounded
 * memory however long the window: messages per second by playback time (at most
 * MAX_BUCKETS buckets over the window), and a histogram of a field's values whose bins
 * widen (pairs merge) when a value falls outside them.
 */

/** Most throughput buckets over a window: enough for a smooth line, few enough to draw at once. */
export const MAX_BUCKETS = 120;
const STEPS_MS = [
  100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
  900_000, 1_800_000, 3_600_000,
];

/** The bucket width for a window: the smallest round step that needs at most MAX_BUCKETS. */
export function bucketWidth(spanMs: number): number {
  const wanted = spanMs / MAX_BUCKETS;
  return STEPS_MS.find((step) => step >= wanted) ?? Math.ceil(wanted / 3_600_000) * 3_600_000;
}

/**
 * Messages per second by playback time over a window `[from, to)`, for a run that started at
 * `startAt` (a jump): buckets before it are not shown, rather than shown as empty.
 */
export class ThroughputSeries {
  readonly widthMs: number;
  private readonly counts: number[];

  constructor(
    readonly from: number,
    readonly to: number,
    readonly startAt = from,
  ) {
    this.widthMs = bucketWidth(to - from);
    this.counts = new Array<number>(Math.ceil((to - from) / this.widthMs)).fill(0);
  }

  add(timestamp: number): void {
    const index = Math.floor((timestamp - this.from) / this.widthMs);
    if (index >= 0 && index < this.counts.length) this.counts[index]!++;
  }

  /**
   * `[bucket start, messages/s]` for the buckets played (from `startAt` up to `time`). A
   * bucket played in part is rated over that part, and left out while that part is under a
   * quarter of it, so the line neither dips at the playhead nor jumps at a jump.
   */
  points(time: number): [number, number][] {
    const points: [number, number][] = [];
    for (let i = 0; i < this.counts.length; i++) {
      const start = this.from + i * this.widthMs;
      const end = start + this.widthMs;
      if (end <= this.startAt) continue;
      if (start > time) break;
      const played = Math.min(end, time) - Math.max(start, this.startAt);
      if (played < this.widthMs / 4) {
        if (time < end) break;
        continue;
      }
      points.push([start, this.counts[i]! / (played / 1000)]);
    }
    return points;
  }
}

export interface HistogramView {
  /** Bin edges (one more than counts), covering the values seen (outliers aside). */
  edges: number[];
  counts: number[];
  /** Values far below or above the bins (a failing sensor's -273): counted, not binned. */
  below: { count: number; under: number };
  above: { count: number; from: number };
  count: number;
  missing: number;
  min: number;
  max: number;
  mean: number;
}

/** Values held before the bins are laid out, so the first bins fit more than one value. */
const SEED_VALUES = 64;
/**
 * A value further than this many bin ranges outside the bins is an outlier: counted at the
 * ends instead of widening the bins until the bulk of the values shares one or two of them.
 */
const FAR = 3;

/**
 * A fixed number of bins that widen as values arrive: constant memory, any range. The bins
 * are laid out over the middle 90% of the first values; values near them widen them, values
 * far outside are counted as outliers below or above.
 */
export class GrowingHistogram {
  private low = 0;
  private width = 0;
  private counts: number[];
  private seed: number[] | null = [];
  private below = 0;
  private above = 0;
  count = 0;
  missing = 0;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;

  constructor(readonly bins = 40) {
    this.counts = new Array<number>(bins).fill(0);
  }

  add(value: number | null): void {
    if (value === null || !Number.isFinite(value)) {
      this.missing++;
      return;
    }
    this.count++;
    this.sum += value;
    this.min = Math.min(this.min, value);
    this.max = Math.max(this.max, value);
    if (this.seed !== null) {
      this.seed.push(value);
      if (this.seed.length >= SEED_VALUES) this.layOut();
      return;
    }
    this.place(value);
  }

  private place(value: number): void {
    const span = this.bins * this.width;
    if (value < this.low - FAR * span) this.below++;
    else if (value >= this.low + span + FAR * span) this.above++;
    else {
      this.fit(value);
      this.counts[this.index(value)]!++;
    }
  }

  result(): HistogramView | null {
    if (this.count === 0) return null;
    // Few values yet: lay them out on a copy, so later values still choose the bins.
    const source = this.seed === null ? null : new GrowingHistogram(this.bins);
    if (source !== null) {
      source.seed = [...this.seed!];
      source.layOut();
    }
    const { low, width, counts, below, above } = source ?? this;
    let first = counts.findIndex((c) => c > 0);
    let last = counts.length - 1 - [...counts].reverse().findIndex((c) => c > 0);
    if (first === -1) first = last = 0;
    const edges: number[] = [];
    for (let i = first; i <= last + 1; i++) edges.push(low + i * width);
    return {
      edges,
      counts: counts.slice(first, last + 1),
      below: { count: below, under: low },
      above: { count: above, from: low + this.bins * width },
      count: this.count,
      missing: this.missing,
      min: this.min,
      max: this.max,
      mean: this.sum / this.count,
    };
  }

  private layOut(): void {
    const values = this.seed!;
    this.seed = null;
    const sorted = [...values].sort((a, b) => a - b);
    const min = sorted[Math.floor(sorted.length * 0.05)]!;
    const max = sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)]!;
    this.width = roundWidth((max - min) / this.bins || Math.max(Math.abs(min) / 100, 1));
    this.low = Math.floor(min / this.width) * this.width;
    for (const value of values) this.place(value);
  }

  /** Doubles the bins' width (merging neighbours) until `value` and the old bins fall inside. */
  private fit(value: number): void {
    const high = this.low + this.bins * this.width;
    if (value >= this.low && value < high) return;
    let width = this.width;
    let low: number;
    do {
      width *= 2;
      low = Math.floor(Math.min(this.low, value) / width) * width;
    } while (low + this.bins * width < high || low + this.bins * width <= value);
    // Each old bin lies inside one new bin: the new width is a multiple of the old one, and
    // both lows are multiples of the old width.
    const counts = new Array<number>(this.bins).fill(0);
    this.counts.forEach((count, i) => {
      if (count === 0) return;
      const at = Math.floor((this.low + (i + 0.5) * this.width - low) / width);
      counts[Math.min(this.bins - 1, Math.max(0, at))]! += count;
    });
    this.low = low;
    this.width = width;
    this.counts = counts;
  }

  private index(value: number): number {
    const at = Math.floor((value - this.low) / this.width);
    return Math.min(this.bins - 1, Math.max(0, at));
  }
}

/** 1, 2 or 5 times a power of ten, at least `width`: bin edges people can read. */
function roundWidth(width: number): number {
  const power = 10 ** Math.floor(Math.log10(width));
  for (const step of [1, 2, 5, 10]) if (step * power >= width) return step * power;
  return 10 * power;
}
