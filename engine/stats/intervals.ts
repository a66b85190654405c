/**
 * How far a sample's answer can be from the full data's: standard errors, confidence
 * intervals and margins of error for a mean and for a proportion, with the finite-population
 * correction (FPC) when the sample was drawn without replacement from N units.
 *
 * Mean (Cochran, Sampling Techniques, 3rd ed., §2.4–2.5): SE = s/√n · √(1 − n/N), and the
 * interval is mean ± t₍₁₋α/₂, n−1₎ · SE. Student's t is used at every n (it becomes the
 * normal as n grows), which is what keeps small samples honest. With replacement, or with N
 * unknown, there is no correction. A sample of the whole population (n = N) has SE 0.
 *
 * Proportion: the Wilson score interval (Wilson 1927; recommended by Brown, Cai and DasGupta,
 * Statistical Science 2001, over the Wald interval, which collapses at p̂ = 0 or 1 and
 * under-covers for small n). Without replacement the variance of p̂ is
 * P(1−P)/n · (N−n)/(N−1), so the FPC enters Wilson's derivation as z² → z²·(N−n)/(N−1).
 */

import { normalQuantile, tQuantile } from './distributions';

export interface ConfidenceInterval {
  /** Confidence level, e.g. 0.95. */
  level: number;
  /** The point estimate (sample mean or proportion). */
  estimate: number;
  low: number;
  high: number;
  /** Half-width for the mean; for Wilson, the larger distance from the estimate to a bound. */
  marginOfError: number;
  /** Standard error of the estimate, with the FPC applied. */
  standardError: number;
  /** 't' (Student), 'wilson' (score interval) or 'normal' (estimate ± z·SE). */
  method: 't' | 'wilson' | 'normal';
  /** Degrees of freedom of the t quantile. */
  df?: number;
  /** The factor applied to the standard error (1 = no correction). */
  finitePopulationCorrection: number;
}

export interface PopulationOptions {
  /** N, the number of units sampled from; omit when unknown or infinite (a live stream). */
  populationSize?: number;
  /** Sampled with replacement: no finite-population correction. */
  withReplacement?: boolean;
  /** Confidence level; 0.95 unless given. */
  level?: number;
}

/** √(1 − n/N): the FPC factor on the standard error of a mean (1 if N is unknown). */
export function meanFpc(n: number, options: PopulationOptions = {}): number {
  const N = options.populationSize;
  if (options.withReplacement || N === undefined || !Number.isFinite(N)) return 1;
  if (n > N) throw new RangeError(`sample of ${n} is larger than the population of ${N}`);
  return Math.sqrt(Math.max(0, 1 - n / N));
}

/** √((N − n)/(N − 1)): the FPC factor on the standard error of a proportion. */
export function proportionFpc(n: number, options: PopulationOptions = {}): number {
  const N = options.populationSize;
  if (options.withReplacement || N === undefined || !Number.isFinite(N)) return 1;
  if (n > N) throw new RangeError(`sample of ${n} is larger than the population of ${N}`);
  return N <= 1 ? 0 : Math.sqrt((N - n) / (N - 1));
}

/** The interval for a mean from a sample's n, mean and standard deviation; null if n < 2. */
export function meanConfidenceInterval(
  params: { n: number; mean: number | null; std: number | null } & PopulationOptions,
): ConfidenceInterval | null {
  const { n, mean, std } = params;
  const level = checkLevel(params.level);
  if (n < 2 || mean === null || std === null) return null;
  const fpc = meanFpc(n, params);
  const df = n - 1;
  const standardError = (std / Math.sqrt(n)) * fpc;
  const margin = tQuantile(0.5 + level / 2, df) * standardError;
  return {
    level,
    estimate: mean,
    low: mean - margin,
    high: mean + margin,
    marginOfError: margin,
    standardError,
    method: 't',
    df,
    finitePopulationCorrection: fpc,
  };
}

/** Wilson score interval for a proportion `successes / n`; null if n = 0. */
export function proportionConfidenceInterval(
  params: { successes: number; n: number } & PopulationOptions,
): ConfidenceInterval | null {
  const { successes, n } = params;
  const level = checkLevel(params.level);
  if (n <= 0) return null;
  if (!(successes >= 0 && successes <= n)) {
    throw new RangeError(`successes must be in [0, ${n}], got ${successes}`);
  }
  const p = successes / n;
  const fpc = proportionFpc(n, params);
  const z = normalQuantile(0.5 + level / 2) * fpc;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const low = Math.max(0, center - half);
  const high = Math.min(1, center + half);
  return {
    level,
    estimate: p,
    low,
    high,
    marginOfError: Math.max(p - low, high - p),
    standardError: Math.sqrt((p * (1 - p)) / n) * fpc,
    method: 'wilson',
    finitePopulationCorrection: fpc,
  };
}

/**
 * The margin of error (half-width of the interval) a sample of n would have for a mean, given
 * a standard deviation (from a pilot, or a guess): t₍n−1₎ · std/√n · √(1 − n/N).
 */
export function marginOfErrorForMean(
  params: { n: number; std: number } & PopulationOptions,
): number {
  const { n, std } = params;
  if (n < 2) return Infinity;
  const level = checkLevel(params.level);
  return tQuantile(0.5 + level / 2, n - 1) * (std / Math.sqrt(n)) * meanFpc(n, params);
}

/**
 * The margin of error a sample of n would have for a proportion near p (0.5, the worst case,
 * unless given): z · √(p(1−p)/n) · √((N−n)/(N−1)) — the normal approximation, for planning.
 */
export function marginOfErrorForProportion(
  params: { n: number; p?: number } & PopulationOptions,
): number {
  const { n } = params;
  const p = params.p ?? 0.5;
  if (n < 1) return Infinity;
  const level = checkLevel(params.level);
  return normalQuantile(0.5 + level / 2) * Math.sqrt((p * (1 - p)) / n) * proportionFpc(n, params);
}

/**
 * The smallest n whose margin of error for a mean is at most `margin` (Cochran eq. 4.2,
 * n = n₀/(1 + n₀/N), iterated so the t quantile matches the n it gives). Capped at N.
 */
export function sampleSizeForMean(
  params: { margin: number; std: number } & PopulationOptions,
): number {
  const { margin, std } = params;
  const level = checkLevel(params.level);
  if (!(margin > 0)) throw new RangeError(`margin must be > 0, got ${margin}`);
  const N = params.withReplacement ? undefined : params.populationSize;
  const solve = (quantile: number): number => {
    const n0 = ((quantile * std) / margin) ** 2;
    return N === undefined ? n0 : n0 / (1 + n0 / N);
  };
  let n = Math.max(2, Math.ceil(solve(normalQuantile(0.5 + level / 2))));
  for (let i = 0; i < 50; i++) {
    const next = Math.max(2, Math.ceil(solve(tQuantile(0.5 + level / 2, n - 1))));
    if (next === n) break;
    n = next;
  }
  return N === undefined ? n : Math.min(n, N);
}

/**
 * The smallest n whose margin of error for a proportion near p (0.5 unless given) is at most
 * `margin`: n₀ = z²p(1−p)/margin², n = n₀/(1 + (n₀ − 1)/N). Capped at N.
 */
export function sampleSizeForProportion(
  params: { margin: number; p?: number } & PopulationOptions,
): number {
  const { margin } = params;
  const p = params.p ?? 0.5;
  const level = checkLevel(params.level);
  if (!(margin > 0)) throw new RangeError(`margin must be > 0, got ${margin}`);
  const z = normalQuantile(0.5 + level / 2);
  const n0 = (z * z * p * (1 - p)) / (margin * margin);
  const N = params.withReplacement ? undefined : params.populationSize;
  const n = N === undefined ? n0 : n0 / (1 + (n0 - 1) / N);
  return Math.max(1, N === undefined ? Math.ceil(n) : Math.min(Math.ceil(n), N));
}

function checkLevel(level = 0.95): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1)`);
  return level;
}
