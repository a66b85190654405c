/**
 * Streaming exact moments in constant memory, for full scans: count, missing, mean, variance,
 * skewness, kurtosis, min and max, one value at a time, mergeable across partitions or
 * workers.
 *
 * Updates are Welford's (1962) extended to the third and fourth central moments (Terriberry
 * 2007); merging two accumulators uses the pairwise formulas of Chan, Golub and LeVeque (1979)
 * and Pébay (2008, Sandia report SAND2008-6212). Both keep the central sums M₂, M₃, M₄ directly,
 * so there is no catastrophic cancellation of the Σx² − (Σx)²/n kind. The estimators are those
 * of descriptive.ts (sample variance, adjusted G₁, excess G₂), so a scan and a sample of the
 * same values report the same thing.
 */

import { kurtosisFromMoments, skewnessFromMoments } from './descriptive';
import {
  emptyMissingCounts,
  numericValue,
  type MissingCounts,
  type MissingReason,
  type NumericOptions,
} from './numeric';

/** A serialisable snapshot of an accumulator (to merge results across processes). */
export interface MomentState {
  count: number;
  missingByReason: MissingCounts;
  mean: number;
  m2: number;
  m3: number;
  m4: number;
  min: number | null;
  max: number | null;
}

export interface MomentSummary {
  count: number;
  missing: number;
  missingByReason: MissingCounts;
  sum: number | null;
  mean: number | null;
  min: number | null;
  max: number | null;
  variance: number | null;
  std: number | null;
  skewness: number | null;
  kurtosis: number | null;
  standardError: number | null;
}

export class MomentAccumulator {
  private n = 0;
  private mu = 0;
  private m2 = 0;
  private m3 = 0;
  private m4 = 0;
  private low = Infinity;
  private high = -Infinity;
  private readonly missingByReason = emptyMissingCounts();

  constructor(private readonly options: NumericOptions = {}) {}

  static fromState(state: MomentState, options: NumericOptions = {}): MomentAccumulator {
    const accumulator = new MomentAccumulator(options);
    accumulator.n = state.count;
    accumulator.mu = state.mean;
    accumulator.m2 = state.m2;
    accumulator.m3 = state.m3;
    accumulator.m4 = state.m4;
    accumulator.low = state.min ?? Infinity;
    accumulator.high = state.max ?? -Infinity;
    Object.assign(accumulator.missingByReason, state.missingByReason);
    return accumulator;
  }

  /** Adds a field value; one that is not a finite number is counted as missing. */
  add(value: unknown): void {
    const x = numericValue(value, this.options);
    if (typeof x === 'number') this.addNumber(x);
    else this.missingByReason[x]++;
  }

  /** Counts a missing value whose reason the caller has already determined. */
  addMissing(reason: MissingReason): void {
    this.missingByReason[reason]++;
  }

  /** Adds a finite number (the caller has checked it). */
  addNumber(x: number): void {
    const n1 = this.n;
    const n = ++this.n;
    const delta = x - this.mu;
    const deltaN = delta / n;
    const deltaN2 = deltaN * deltaN;
    const term1 = delta * deltaN * n1;
    this.mu += deltaN;
    this.m4 += term1 * deltaN2 * (n * n - 3 * n + 3) + 6 * deltaN2 * this.m2 - 4 * deltaN * this.m3;
    this.m3 += term1 * deltaN * (n - 2) - 3 * deltaN * this.m2;
    this.m2 += term1;
    if (x < this.low) this.low = x;
    if (x > this.high) this.high = x;
  }

  /** Folds another accumulator's values into this one (as if all were added here). */
  merge(other: MomentAccumulator): this {
    for (const reason of Object.keys(this.missingByReason) as (keyof MissingCounts)[]) {
      this.missingByReason[reason] += other.missingByReason[reason];
    }
    if (other.n === 0) return this;
    if (this.n === 0) {
      this.n = other.n;
      this.mu = other.mu;
      this.m2 = other.m2;
      this.m3 = other.m3;
      this.m4 = other.m4;
      this.low = other.low;
      this.high = other.high;
      return this;
    }
    const na = this.n;
    const nb = other.n;
    const n = na + nb;
    const delta = other.mu - this.mu;
    const delta2 = delta * delta;
    const m2 = this.m2 + other.m2 + (delta2 * na * nb) / n;
    const m3 =
      this.m3 +
      other.m3 +
      (delta2 * delta * na * nb * (na - nb)) / (n * n) +
      (3 * delta * (na * other.m2 - nb * this.m2)) / n;
    const m4 =
      this.m4 +
      other.m4 +
      (delta2 * delta2 * na * nb * (na * na - na * nb + nb * nb)) / (n * n * n) +
      (6 * delta2 * (na * na * other.m2 + nb * nb * this.m2)) / (n * n) +
      (4 * delta * (na * other.m3 - nb * this.m3)) / n;
    this.mu += (delta * nb) / n;
    this.n = n;
    this.m2 = m2;
    this.m3 = m3;
    this.m4 = m4;
    this.low = Math.min(this.low, other.low);
    this.high = Math.max(this.high, other.high);
    return this;
  }

  get count(): number {
    return this.n;
  }

  get missing(): number {
    const { absent, nonNumeric, nonFinite } = this.missingByReason;
    return absent + nonNumeric + nonFinite;
  }

  state(): MomentState {
    return {
      count: this.n,
      missingByReason: { ...this.missingByReason },
      mean: this.mu,
      m2: this.m2,
      m3: this.m3,
      m4: this.m4,
      min: this.n ? this.low : null,
      max: this.n ? this.high : null,
    };
  }

  summary(): MomentSummary {
    const n = this.n;
    const variance = n >= 2 ? this.m2 / (n - 1) : null;
    const std = variance === null ? null : Math.sqrt(variance);
    return {
      count: n,
      missing: this.missing,
      missingByReason: { ...this.missingByReason },
      sum: n ? this.mu * n : null,
      mean: n ? this.mu : null,
      min: n ? this.low : null,
      max: n ? this.high : null,
      variance,
      std,
      skewness: skewnessFromMoments(n, this.m2, this.m3),
      kurtosis: kurtosisFromMoments(n, this.m2, this.m4),
      standardError: std === null ? null : std / Math.sqrt(n),
    };
  }
}
