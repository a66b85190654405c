/**
 * Tukey box plot: the box from Q1 to Q3 (type-7 quartiles) with the median; fences at
 * Q1 − 1.5·IQR and Q3 + 1.5·IQR; whiskers at the most extreme data values inside the fences;
 * every value beyond them an outlier. Outliers are listed up to `maxOutliers` (the most
 * extreme ones, taken from both ends by distance beyond their fence), with the total count, so
 * a heavy-tailed field cannot make the result unbounded.
 */

import { quantileSorted } from './descriptive';

export interface BoxPlot {
  q1: number;
  median: number;
  q3: number;
  iqr: number;
  lowerFence: number;
  upperFence: number;
  /** [lowest value ≥ lower fence, highest value ≤ upper fence]. */
  whiskers: [number, number];
  /** Outlier values, ascending; at most `maxOutliers` of them. */
  outliers: number[];
  /** All values outside the fences. */
  outlierCount: number;
  /** True when `outliers` lists fewer than `outlierCount`. */
  outliersTruncated: boolean;
}

export interface BoxPlotOptions {
  /** Most outliers to list (default 100). */
  maxOutliers?: number;
  /** Fence multiplier (default 1.5, Tukey's). */
  whiskerIqr?: number;
}

/** The box plot of finite values sorted ascending; null for no values. */
export function boxPlotSorted(
  sorted: ArrayLike<number>,
  options: BoxPlotOptions = {},
): BoxPlot | null {
  const n = sorted.length;
  if (n === 0) return null;
  const maxOutliers = options.maxOutliers ?? 100;
  const k = options.whiskerIqr ?? 1.5;
  if (!(k >= 0)) throw new RangeError(`whiskerIqr must be >= 0, got ${k}`);
  const q1 = quantileSorted(sorted, 0.25);
  const median = quantileSorted(sorted, 0.5);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  const lowerFence = q1 - k * iqr;
  const upperFence = q3 + k * iqr;
  // First index inside the lower fence, last index inside the upper fence.
  let low = 0;
  while (sorted[low]! < lowerFence) low++;
  let high = n - 1;
  while (sorted[high]! > upperFence) high--;
  const outlierCount = low + (n - 1 - high);
  // Pick the most extreme outliers: walk inwards from both ends, taking the farther one.
  const lower: number[] = [];
  const upper: number[] = [];
  let i = 0;
  let j = n - 1;
  while (lower.length + upper.length < Math.min(maxOutliers, outlierCount)) {
    const lowerDistance = i < low ? lowerFence - sorted[i]! : -Infinity;
    const upperDistance = j > high ? sorted[j]! - upperFence : -Infinity;
    if (lowerDistance >= upperDistance) lower.push(sorted[i++]!);
    else upper.push(sorted[j--]!);
  }
  return {
    q1,
    median,
    q3,
    iqr,
    lowerFence,
    upperFence,
    // With a fence multiplier near 0 and two values, no value may lie between the fences.
    whiskers: low <= high ? [sorted[low]!, sorted[high]!] : [q1, q3],
    outliers: [...lower, ...upper.reverse()],
    outlierCount,
    outliersTruncated: outlierCount > lower.length + upper.length,
  };
}

/** The box plot of values (non-finite values ignored); null for no values. */
export function boxPlot(values: ArrayLike<number>, options: BoxPlotOptions = {}): BoxPlot | null {
  return boxPlotSorted(Float64Array.from(values).filter(Number.isFinite).sort(), options);
}
