/**
 * Descriptive statistics of a numeric sample held in memory.
 *
 * Definitions (each stated, because packages differ):
 * - quantiles: R's type 7, numpy's default `linear` — for sorted x₀…x₍ₙ₋₁₎, the p-quantile is
 *   x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋₊₁ − x_⌊h⌋) with h = (n − 1)p. The median is the 0.5-quantile, the
 *   quartiles the 0.25- and 0.75-quantiles, IQR = Q3 − Q1.
 * - variance and standard deviation: the sample versions, divisor n − 1.
 * - skewness: the adjusted Fisher–Pearson coefficient G₁ = √(n(n−1))/(n−2) · m₃/m₂^{3/2}
 *   (Excel's SKEW, SAS, SPSS, scipy `skew(bias=False)`, simple-statistics `sampleSkewness`).
 * - kurtosis: the excess kurtosis G₂ = (n−1)/((n−2)(n−3)) · ((n+1)·g₂ + 6), g₂ = m₄/m₂² − 3
 *   (Excel's KURT, SAS, SPSS, scipy `kurtosis(bias=False)`, simple-statistics
 *   `sampleKurtosis`); 0 for a normal distribution.
 * - mode: the most frequent value, the smallest of equally frequent ones; `modeCount` says how
 *   often it occurs (1 means no value repeats, as is usual for continuous data).
 *
 * A statistic that the data cannot define (the mean of nothing, the variance of one value,
 * the skewness of a constant) is `null`, never NaN, so results serialise to JSON intact.
 */

import { toNumeric, type MissingCounts, type NumericOptions } from './numeric';

export interface NumericStats {
  /** Values that were finite numbers. */
  count: number;
  /** Values that were not (see numeric.ts); count + missing = values offered. */
  missing: number;
  missingByReason: MissingCounts;
  sum: number | null;
  mean: number | null;
  median: number | null;
  mode: number | null;
  modeCount: number;
  min: number | null;
  max: number | null;
  q1: number | null;
  q3: number | null;
  iqr: number | null;
  variance: number | null;
  std: number | null;
  skewness: number | null;
  kurtosis: number | null;
  /** std / √n, without finite-population correction (see intervals.ts for that). */
  standardError: number | null;
}

/** Summarises values that may include missing ones. Sorts a copy once: O(n log n). */
export function describeNumeric(
  input: Iterable<unknown> | ArrayLike<unknown>,
  options: NumericOptions = {},
): NumericStats {
  const { values, missing, missingByReason } = toNumeric(input, options);
  const sorted = values.slice().sort();
  return describeSorted(sorted, missing, missingByReason);
}

/** `describeNumeric` for values already known to be finite and sorted ascending. */
export function describeSorted(
  sorted: ArrayLike<number>,
  missing = 0,
  missingByReason: MissingCounts = { absent: 0, nonNumeric: 0, nonFinite: missing },
): NumericStats {
  const n = sorted.length;
  const moments = centralMoments(sorted);
  const variance = n >= 2 ? moments.m2Sum / (n - 1) : null;
  const std = variance === null ? null : Math.sqrt(variance);
  const { mode, modeCount } = modeOfSorted(sorted);
  const q1 = n ? quantileSorted(sorted, 0.25) : null;
  const q3 = n ? quantileSorted(sorted, 0.75) : null;
  return {
    count: n,
    missing,
    missingByReason,
    sum: n ? moments.sum : null,
    mean: n ? moments.mean : null,
    median: n ? quantileSorted(sorted, 0.5) : null,
    mode,
    modeCount,
    min: n ? sorted[0]! : null,
    max: n ? sorted[n - 1]! : null,
    q1,
    q3,
    iqr: q1 === null || q3 === null ? null : q3 - q1,
    variance,
    std,
    skewness: skewnessFromMoments(n, moments.m2Sum, moments.m3Sum),
    kurtosis: kurtosisFromMoments(n, moments.m2Sum, moments.m4Sum),
    standardError: std === null ? null : std / Math.sqrt(n),
  };
}

/** Arithmetic mean (Neumaier-compensated sum); null for no values. */
export function mean(values: ArrayLike<number>): number | null {
  return values.length ? compensatedSum(values) / values.length : null;
}

/** Sample variance (divisor n − 1), by the corrected two-pass algorithm; null below 2 values. */
export function variance(values: ArrayLike<number>): number | null {
  return values.length >= 2 ? centralMoments(values).m2Sum / (values.length - 1) : null;
}

/** Sample standard deviation (divisor n − 1); null below 2 values. */
export function standardDeviation(values: ArrayLike<number>): number | null {
  const v = variance(values);
  return v === null ? null : Math.sqrt(v);
}

/** Adjusted Fisher–Pearson skewness G₁; null below 3 values or for a constant. */
export function skewness(values: ArrayLike<number>): number | null {
  const moments = centralMoments(values);
  return skewnessFromMoments(values.length, moments.m2Sum, moments.m3Sum);
}

/** Excess kurtosis G₂ (bias-adjusted); null below 4 values or for a constant. */
export function kurtosis(values: ArrayLike<number>): number | null {
  const moments = centralMoments(values);
  return kurtosisFromMoments(values.length, moments.m2Sum, moments.m4Sum);
}

/** The type-7 p-quantile of unsorted values; null for no values. */
export function quantile(values: ArrayLike<number>, p: number): number | null {
  if (!values.length) return null;
  return quantileSorted(Float64Array.from(values).sort(), p);
}

/** Type-7 quantiles of unsorted values at several probabilities (one sort). */
export function quantiles(values: ArrayLike<number>, ps: readonly number[]): (number | null)[] {
  if (!values.length) return ps.map(() => null);
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => quantileSorted(sorted, p));
}

/** The median (type-7 0.5-quantile); null for no values. */
export function median(values: ArrayLike<number>): number | null {
  return quantile(values, 0.5);
}

/** The R type-7 p-quantile of values sorted ascending (at least one). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of no values');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability must be in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lowIndex = Math.floor(h);
  const low = sorted[lowIndex]!;
  const fraction = h - lowIndex;
  if (fraction === 0 || lowIndex + 1 >= n) return low;
  const high = sorted[lowIndex + 1]!;
  if (low === high) return low;
  const result = low + fraction * (high - low);
  // high − low overflows for values near ±Number.MAX_VALUE; the weighted form does not.
  return Number.isFinite(result) ? result : (1 - fraction) * low + fraction * high;
}

/** Most frequent value of sorted values (smallest among ties) and its count. */
export function modeOfSorted(sorted: ArrayLike<number>): {
  mode: number | null;
  modeCount: number;
} {
  let mode: number | null = null;
  let modeCount = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > modeCount) {
      mode = sorted[i]!;
      modeCount = j - i;
    }
    i = j;
  }
  return { mode, modeCount };
}

interface CentralMoments {
  sum: number;
  mean: number;
  /** Σ(x − mean)^k for k = 2, 3, 4. */
  m2Sum: number;
  m3Sum: number;
  m4Sum: number;
}

/**
 * Sums of powers of deviations from the mean, by two passes. The second pass subtracts the
 * (tiny) sum of first-order deviations, the "corrected two-pass" algorithm of Chan, Golub and
 * LeVeque (1983), which makes the variance exact to rounding even for data far from zero.
 */
function centralMoments(values: ArrayLike<number>): CentralMoments {
  const n = values.length;
  if (n === 0) return { sum: 0, mean: NaN, m2Sum: 0, m3Sum: 0, m4Sum: 0 };
  const sum = compensatedSum(values);
  const mean = sum / n;
  let d1 = 0;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    const d2 = d * d;
    d1 += d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  return { sum, mean, m2Sum: Math.max(0, m2 - (d1 * d1) / n), m3Sum: m3, m4Sum: m4 };
}

/** G₁ from n and the sums Σd², Σd³. */
export function skewnessFromMoments(n: number, m2Sum: number, m3Sum: number): number | null {
  if (n < 3 || !(m2Sum > 0)) return null;
  const m2 = m2Sum / n;
  const m3 = m3Sum / n;
  const g1 = m3 / m2 ** 1.5;
  return (Math.sqrt(n * (n - 1)) / (n - 2)) * g1;
}

/** G₂ (excess) from n and the sums Σd², Σd⁴. */
export function kurtosisFromMoments(n: number, m2Sum: number, m4Sum: number): number | null {
  if (n < 4 || !(m2Sum > 0)) return null;
  const g2 = (n * m4Sum) / (m2Sum * m2Sum) - 3;
  return ((n - 1) / ((n - 2) * (n - 3))) * ((n + 1) * g2 + 6);
}

/** Σ values with Neumaier's compensation (error independent of n to first order). */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const t = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) compensation += sum - t + x;
    else compensation += x - t + sum;
    sum = t;
  }
  return sum + compensation;
}
