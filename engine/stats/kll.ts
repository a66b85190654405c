/**
 * KLL quantile sketch (Karnin, Lang and Liberty, "Optimal Quantile Approximation in Streams",
 * FOCS 2016): approximate quantiles and ranks of a stream in constant memory, mergeable, with
 * an error bound that the sketch states for itself.
 *
 * How it works: items enter level 0 with weight 1. Level h holds items of weight 2^h and has
 * capacity max(8, ⌊k·(2/3)^(H−h)⌋), H the top level. When the sketch is full, the lowest full
 * level is sorted and *compacted*: a fair coin picks the items at even or at odd positions,
 * those move up a level (doubling their weight) and the rest are discarded. The sketch keeps
 * fewer than 3k + 8·(levels) items however long the stream (k = 200: about 600 at 10^6).
 *
 * Error bound. Fix any value y. A compaction at level h changes the estimated rank of y by
 * +2^h or −2^h with probability ½ each when an odd number of the compacted items are ≤ y, and
 * not at all otherwise, so the total error is a martingale with increments bounded by the
 * weights w = 2^h of the compactions performed. Which compactions happen depends only on the
 * number of items (not on the data or the coins), so the sketch knows Σw², and by the
 * Azuma–Hoeffding inequality
 *
 *     P(|R̂(y) − R(y)| > ε·n) ≤ δ   for   ε = √(2·ln(2/δ)·Σw²) / n,
 *
 * which `rankErrorBound(δ)` returns (`worstCaseRankError()` is the deterministic Σw/n).
 * A quantile query for p returns a retained value whose true rank is within ε·n of p·n with
 * probability ≥ 1 − 2δ (apply the bound at the two values ranked (p ± ε)·n). For k = 200
 * (the default; ~450–600 numbers retained) the bound at δ = 0.01 is about 1.3–1.5% of n from
 * 10^4 to 10^6 values, and the largest error over the 99 percentiles is typically half of it
 * (kll.test.ts checks both). Error scales as 1/k. min and max are exact, so are p = 0 and 1.
 */

import { Prng, toPrng, type PrngState, type Seed } from '../sampling/prng';

const MIN_LEVEL_CAPACITY = 8;
const CAPACITY_RATIO = 2 / 3;

/** A serialisable snapshot of a sketch (to merge across processes). */
export interface KllState {
  k: number;
  count: number;
  min: number | null;
  max: number | null;
  levels: number[][];
  errorSumSquares: number;
  errorSum: number;
  prng: PrngState;
}

export class KllSketch {
  readonly k: number;
  private levels: number[][] = [[]];
  private n = 0;
  private low = Infinity;
  private high = -Infinity;
  private retainedCount = 0;
  /** capacity(h) per level and their sum, recomputed when the number of levels changes. */
  private capacities: number[] = [];
  private capacityTotal = 0;
  /** Σ 4^h and Σ 2^h over the compactions performed (including merged sketches'). */
  private errorSumSquares = 0;
  private errorSum = 0;
  private prng: Prng;
  private view: { values: Float64Array; cumulative: Float64Array } | null = null;

  constructor(options: { k?: number; seed?: Seed | Prng } = {}) {
    const k = options.k ?? 200;
    if (!Number.isSafeInteger(k) || k < MIN_LEVEL_CAPACITY) {
      throw new RangeError(`k must be an integer >= ${MIN_LEVEL_CAPACITY}, got ${k}`);
    }
    this.k = k;
    this.prng = toPrng(options.seed ?? 0);
    this.capacityTotal = this.computeTotalCapacity();
  }

  static fromState(state: KllState): KllSketch {
    const sketch = new KllSketch({ k: state.k, seed: 0 });
    sketch.levels = state.levels.map((level) => [...level]);
    sketch.n = state.count;
    sketch.low = state.min ?? Infinity;
    sketch.high = state.max ?? -Infinity;
    sketch.retainedCount = state.levels.reduce((total, level) => total + level.length, 0);
    sketch.errorSumSquares = state.errorSumSquares;
    sketch.errorSum = state.errorSum;
    sketch.prng = Prng.fromState(state.prng);
    sketch.capacityTotal = sketch.computeTotalCapacity();
    return sketch;
  }

  state(): KllState {
    return {
      k: this.k,
      count: this.n,
      min: this.n ? this.low : null,
      max: this.n ? this.high : null,
      levels: this.levels.map((level) => [...level]),
      errorSumSquares: this.errorSumSquares,
      errorSum: this.errorSum,
      prng: this.prng.state(),
    };
  }

  /** Values added (or merged in). */
  get count(): number {
    return this.n;
  }

  /** Values the sketch holds now (its memory, in numbers). */
  get retained(): number {
    return this.retainedCount;
  }

  get min(): number | null {
    return this.n ? this.low : null;
  }

  get max(): number | null {
    return this.n ? this.high : null;
  }

  /** Adds a finite number. */
  add(x: number): void {
    if (!Number.isFinite(x)) throw new RangeError(`KLL sketches hold finite numbers, got ${x}`);
    this.levels[0]!.push(x);
    this.n++;
    this.retainedCount++;
    if (x < this.low) this.low = x;
    if (x > this.high) this.high = x;
    this.view = null;
    if (this.retainedCount >= this.capacityTotal) this.compress();
  }

  /** Folds another sketch into this one; the result is a sketch of both streams. */
  merge(other: KllSketch): this {
    if (other.n === 0) return this;
    while (this.levels.length < other.levels.length) this.levels.push([]);
    this.capacityTotal = this.computeTotalCapacity();
    other.levels.forEach((level, h) => this.levels[h]!.push(...level));
    this.n += other.n;
    this.retainedCount += other.retainedCount;
    this.low = Math.min(this.low, other.low);
    this.high = Math.max(this.high, other.high);
    this.errorSumSquares += other.errorSumSquares;
    this.errorSum += other.errorSum;
    this.view = null;
    this.compress();
    return this;
  }

  /**
   * ε such that any one rank query is off by more than ε·n with probability at most δ (see
   * the module comment). 0 while nothing has been compacted (the sketch is then exact).
   */
  rankErrorBound(delta = 0.01): number {
    if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must be in (0, 1), got ${delta}`);
    if (this.n === 0) return 0;
    return Math.sqrt(2 * Math.log(2 / delta) * this.errorSumSquares) / this.n;
  }

  /** The deterministic worst case: no rank query is ever off by more than this fraction of n. */
  worstCaseRankError(): number {
    return this.n ? this.errorSum / this.n : 0;
  }

  /** Estimated number of values ≤ x (or < x when `inclusive` is false). */
  rank(x: number, inclusive = true): number {
    if (this.n === 0) return 0;
    if (x < this.low || (!inclusive && x === this.low)) return 0;
    if (x > this.high || (inclusive && x === this.high)) return this.n;
    const { values, cumulative } = this.sortedView();
    // Index of the first retained value > x (inclusive) or ≥ x (exclusive).
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (inclusive ? values[mid]! <= x : values[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : cumulative[lo - 1]!;
  }

  /** Estimated fraction of values ≤ x. */
  cdf(x: number): number {
    return this.n ? this.rank(x) / this.n : NaN;
  }

  /**
   * An estimated p-quantile: the smallest retained value whose estimated rank reaches p·n
   * (exact min at p = 0 and max at p = 1); null for an empty sketch.
   */
  quantile(p: number): number | null {
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`quantile probability must be in [0, 1], got ${p}`);
    if (this.n === 0) return null;
    if (p === 0) return this.low;
    if (p === 1) return this.high;
    const { values, cumulative } = this.sortedView();
    const target = p * this.n;
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return values[lo]!;
  }

  /** Estimated counts in bins with the given edges ([a, b), the last closed). */
  histogram(edges: readonly number[]): number[] {
    const counts: number[] = [];
    for (let i = 0; i + 1 < edges.length; i++) {
      const last = i + 2 === edges.length;
      counts.push(this.rank(edges[i + 1]!, last) - this.rank(edges[i]!, false));
    }
    return counts;
  }

  /** Sets `capacities` for the current number of levels and returns their sum. */
  private computeTotalCapacity(): number {
    const top = this.levels.length - 1;
    this.capacities = this.levels.map((_, h) =>
      Math.max(MIN_LEVEL_CAPACITY, Math.floor(this.k * CAPACITY_RATIO ** (top - h))),
    );
    return this.capacities.reduce((total, capacity) => total + capacity, 0);
  }

  private compress(): void {
    while (this.retainedCount >= this.capacityTotal) {
      const h = this.levels.findIndex((level, i) => level.length >= this.capacities[i]!);
      if (h === -1) break;
      this.compact(h);
    }
  }

  private compact(h: number): void {
    if (h === this.levels.length - 1) {
      this.levels.push([]);
      this.capacityTotal = this.computeTotalCapacity();
    }
    const sorted = Float64Array.from(this.levels[h]!).sort();
    // With an odd count, the smallest value stays behind at its weight (no rank changes).
    const start = sorted.length % 2;
    const kept: number[] = start ? [sorted[0]!] : [];
    const coin = this.prng.nextUint32() & 1;
    const above = this.levels[h + 1]!;
    for (let i = start + coin; i < sorted.length; i += 2) above.push(sorted[i]!);
    this.retainedCount -= (sorted.length - start) / 2;
    this.levels[h] = kept;
    const weight = 2 ** h;
    this.errorSum += weight;
    this.errorSumSquares += weight * weight;
  }

  private sortedView(): { values: Float64Array; cumulative: Float64Array } {
    if (this.view) return this.view;
    const pairs: Array<[number, number]> = [];
    this.levels.forEach((level, h) => {
      for (const value of level) pairs.push([value, 2 ** h]);
    });
    pairs.sort((a, b) => a[0] - b[0]);
    const values = new Float64Array(pairs.length);
    const cumulative = new Float64Array(pairs.length);
    let total = 0;
    pairs.forEach(([value, weight], i) => {
      total += weight;
      values[i] = value;
      cumulative[i] = total;
    });
    this.view = { values, cumulative };
    return this.view;
  }
}
