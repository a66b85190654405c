/**
 * Population estimates from a stratified sample. Unless the allocation was proportional, the
 * plain mean of a stratified sample is biased (equal allocation over-represents small strata),
 * so each stratum's estimate is weighted by its share of the population, W_h = N_h/N.
 *
 * Mean (Cochran, Sampling Techniques, 3rd ed., §5.3, Theorems 5.1–5.3):
 *   ȳ_st = Σ W_h ȳ_h,   v(ȳ_st) = Σ W_h² (1 − n_h/N_h) s_h²/n_h,
 * with a t interval on Satterthwaite's effective degrees of freedom (Cochran §5A.2),
 *   df = (Σ a_h s_h²)² / Σ (a_h s_h²)²/(n_h − 1),   a_h = W_h²(1 − f_h)/n_h.
 * Proportion: p_st = Σ W_h p_h, v = Σ W_h² (1 − f_h) p_h(1 − p_h)/(n_h − 1) (Cochran §5.8),
 * with a normal interval.
 */

import { normalQuantile, tQuantile } from './distributions';
import type { ConfidenceInterval } from './intervals';

export interface StratumMeanInput {
  id: string;
  /** N_h */
  populationSize: number;
  /** n_h: values observed in the stratum (not missing). */
  count: number;
  mean: number | null;
  /** Sample standard deviation (n − 1) within the stratum. */
  std: number | null;
}

export interface StratifiedEstimate {
  /** The weighted estimate; null when a non-empty stratum has no observations. */
  estimate: number | null;
  /** Null when the variance cannot be estimated (a partly sampled stratum with n_h < 2). */
  ci95: ConfidenceInterval | null;
  /** W_h per stratum. */
  weights: Array<{ id: string; weight: number }>;
  /** Why the estimate or interval is missing, when it is. */
  problem?: string;
}

/** The stratified estimate of a population mean, with its 95% interval. */
export function stratifiedMean(
  strata: readonly StratumMeanInput[],
  level = 0.95,
): StratifiedEstimate {
  const N = strata.reduce((sum, stratum) => sum + stratum.populationSize, 0);
  const weights = strata.map((stratum) => ({
    id: stratum.id,
    weight: N > 0 ? stratum.populationSize / N : 0,
  }));
  const unobserved = strata.find(
    (stratum) => stratum.populationSize > 0 && (stratum.count === 0 || stratum.mean === null),
  );
  if (N === 0 || unobserved) {
    return {
      estimate: null,
      ci95: null,
      weights,
      problem: unobserved ? `stratum "${unobserved.id}" has no observations` : 'no population',
    };
  }
  let estimate = 0;
  let varianceSum = 0;
  let dfDenominator = 0;
  let problem: string | undefined;
  strata.forEach((stratum, h) => {
    if (stratum.populationSize === 0) return;
    const W = weights[h]!.weight;
    estimate += W * stratum.mean!;
    const f = Math.min(1, stratum.count / stratum.populationSize);
    if (f === 1) return; // a census of the stratum adds no sampling variance
    if (stratum.count < 2 || stratum.std === null) {
      problem ??= `stratum "${stratum.id}" has fewer than 2 observations`;
      return;
    }
    const term = ((W * W * (1 - f)) / stratum.count) * stratum.std * stratum.std;
    varianceSum += term;
    dfDenominator += (term * term) / (stratum.count - 1);
  });
  if (problem) return { estimate, ci95: null, weights, problem };
  const standardError = Math.sqrt(varianceSum);
  const df = dfDenominator > 0 ? (varianceSum * varianceSum) / dfDenominator : Infinity;
  const margin = standardError === 0 ? 0 : tQuantile(0.5 + level / 2, df) * standardError;
  return {
    estimate,
    ci95: {
      level,
      estimate,
      low: estimate - margin,
      high: estimate + margin,
      marginOfError: margin,
      standardError,
      method: 't',
      df,
      finitePopulationCorrection: 1,
    },
    weights,
  };
}

export interface StratumProportionInput {
  id: string;
  populationSize: number;
  count: number;
  successes: number;
}

/** The stratified estimate of a population proportion, with a normal 95% interval. */
export function stratifiedProportion(
  strata: readonly StratumProportionInput[],
  level = 0.95,
): StratifiedEstimate {
  const N = strata.reduce((sum, stratum) => sum + stratum.populationSize, 0);
  const weights = strata.map((stratum) => ({
    id: stratum.id,
    weight: N > 0 ? stratum.populationSize / N : 0,
  }));
  const unobserved = strata.find((stratum) => stratum.populationSize > 0 && stratum.count === 0);
  if (N === 0 || unobserved) {
    return {
      estimate: null,
      ci95: null,
      weights,
      problem: unobserved ? `stratum "${unobserved.id}" has no observations` : 'no population',
    };
  }
  let estimate = 0;
  let variance = 0;
  let problem: string | undefined;
  strata.forEach((stratum, h) => {
    if (stratum.populationSize === 0) return;
    const W = weights[h]!.weight;
    const p = stratum.successes / stratum.count;
    estimate += W * p;
    const f = Math.min(1, stratum.count / stratum.populationSize);
    if (f === 1) return;
    if (stratum.count < 2) {
      problem ??= `stratum "${stratum.id}" has fewer than 2 observations`;
      return;
    }
    variance += (W * W * (1 - f) * p * (1 - p)) / (stratum.count - 1);
  });
  if (problem) return { estimate, ci95: null, weights, problem };
  const standardError = Math.sqrt(variance);
  const margin = normalQuantile(0.5 + level / 2) * standardError;
  return {
    estimate,
    ci95: {
      level,
      estimate,
      low: Math.max(0, estimate - margin),
      high: Math.min(1, estimate + margin),
      marginOfError: margin,
      standardError,
      method: 'normal',
      finitePopulationCorrection: 1,
    },
    weights,
  };
}
