/**
 * A live series with bounded memory: the recent past at full resolution in a ring buffer
 * (`recentCapacity` points: 1,000 at one a second is about 16 minutes), and older points
 * averaged into buckets (`bucketMs`, one minute by default) in a second ring that holds the
 * last 24 hours. Memory is fixed at construction, however long it runs.
 *
 * A non-finite value (NaN) marks a gap — the stream stopped and started again — so a chart
 * breaks its line there instead of drawing a straight line across; it is kept among the recent
 * points but never averaged into a bucket.
 */
export class SeriesBuffer {
  private readonly recentTimes: Float64Array;
  private readonly recentValues: Float64Array;
  private recentStart = 0;
  private recentLength = 0;
  private readonly bucketTimes: Float64Array;
  private readonly bucketValues: Float64Array;
  private bucketStart = 0;
  private bucketLength = 0;
  /** The bucket being filled: its start time, sum and count. */
  private openBucket: { at: number; sum: number; count: number } | null = null;
  lastUpdate = 0;

  constructor(
    readonly recentCapacity = 1000,
    readonly bucketMs = 60_000,
    readonly bucketCapacity = 1440,
  ) {
    this.recentTimes = new Float64Array(recentCapacity);
    this.recentValues = new Float64Array(recentCapacity);
    this.bucketTimes = new Float64Array(bucketCapacity);
    this.bucketValues = new Float64Array(bucketCapacity);
  }

  push(at: number, value: number): void {
    const index = (this.recentStart + this.recentLength) % this.recentCapacity;
    this.recentTimes[index] = at;
    this.recentValues[index] = value;
    if (this.recentLength < this.recentCapacity) this.recentLength++;
    else this.recentStart = (this.recentStart + 1) % this.recentCapacity;

    if (!Number.isFinite(value)) return;
    this.lastUpdate = at;
    const bucketAt = Math.floor(at / this.bucketMs) * this.bucketMs;
    if (this.openBucket && this.openBucket.at !== bucketAt) this.closeBucket();
    this.openBucket ??= { at: bucketAt, sum: 0, count: 0 };
    this.openBucket.sum += value;
    this.openBucket.count++;
  }

  /** Points held at full resolution, oldest first: `[time, value]`. */
  recent(): [number, number][] {
    return this.recentSince(-Infinity);
  }

  /**
   * The full-resolution points at or after `from`, oldest first. A chart of a fixed window asks
   * only for what it shows, so it copies no more than the window's points each redraw.
   */
  recentSince(from: number): [number, number][] {
    const first = this.firstRecentAtOrAfter(from);
    const points: [number, number][] = new Array(this.recentLength - first);
    for (let i = first; i < this.recentLength; i++) {
      const index = (this.recentStart + i) % this.recentCapacity;
      points[i - first] = [this.recentTimes[index]!, this.recentValues[index]!];
    }
    return points;
  }

  /**
   * The same points as `recentSince`, flat (`time, value, time, value, …`) in one typed array:
   * what a chart redrawn every second wants — one allocation instead of one per point, and
   * ECharts reads it without cloning.
   */
  recentSinceFlat(from: number): Float64Array {
    const first = this.firstRecentAtOrAfter(from);
    const flat = new Float64Array(2 * (this.recentLength - first));
    for (let i = first; i < this.recentLength; i++) {
      const index = (this.recentStart + i) % this.recentCapacity;
      flat[2 * (i - first)] = this.recentTimes[index]!;
      flat[2 * (i - first) + 1] = this.recentValues[index]!;
    }
    return flat;
  }

  /** Times only grow, so the first recent point at or after `from` is found by binary search. */
  private firstRecentAtOrAfter(from: number): number {
    let low = 0;
    let high = this.recentLength;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.recentTimes[(this.recentStart + middle) % this.recentCapacity]! < from)
        low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The downsampled history (bucket averages, the open bucket included), oldest first. */
  history(): [number, number][] {
    const points: [number, number][] = [];
    for (let i = 0; i < this.bucketLength; i++) {
      const index = (this.bucketStart + i) % this.bucketCapacity;
      points.push([this.bucketTimes[index]!, this.bucketValues[index]!]);
    }
    if (this.openBucket) {
      points.push([this.openBucket.at, this.openBucket.sum / this.openBucket.count]);
    }
    return points;
  }

  /** Points stored, for the bounded-memory check. */
  get size(): number {
    return this.recentLength + this.bucketLength + (this.openBucket ? 1 : 0);
  }

  private closeBucket(): void {
    const bucket = this.openBucket!;
    const index = (this.bucketStart + this.bucketLength) % this.bucketCapacity;
    this.bucketTimes[index] = bucket.at;
    this.bucketValues[index] = bucket.sum / bucket.count;
    if (this.bucketLength < this.bucketCapacity) this.bucketLength++;
    else this.bucketStart = (this.bucketStart + 1) % this.bucketCapacity;
    this.openBucket = null;
  }
}
