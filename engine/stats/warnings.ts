/**
 * Reasons a sample may mislead, worked out before the sample is read, from the plan and what a
 * pilot (a small simple random sample, or a previous sample) showed. Pure: the view shows the
 * list; nothing here reads or decides for the user.
 *
 * Each warning has a stable `code` (for the UI and tests), a `message` a person can act on,
 * and the numbers behind it in `details`.
 */

import { expectedBatchesRead } from '../sampling/cost';
import type { CategoryValue } from './categorical';
import { marginOfErrorForMean } from './intervals';

export type SampleWarningCode =
  | 'SAMPLE_COVERS_POPULATION'
  | 'FULL_SCAN_CHEAPER'
  | 'EMPTY_STRATUM'
  | 'SMALL_STRATUM'
  | 'RARE_CATEGORY'
  | 'HEAVY_TAILS'
  | 'SKEWED_FOR_SAMPLE_SIZE'
  | 'WIDE_INTERVAL';

export interface SampleWarning {
  code: SampleWarningCode;
  severity: 'warning' | 'info';
  message: string;
  field?: string;
  stratum?: string;
  category?: CategoryValue;
  details: Record<string, number>;
}

/** The plan, as far as warnings need it (a `SamplePlan` fits). */
export interface PlanOutline {
  populationSize: number;
  /** n: the planned sample size. */
  size: number;
  withReplacement?: boolean;
  strata?: ReadonlyArray<{ id: string; populationSize: number; size: number }>;
}

/** What a pilot showed. Every part is optional; each enables its own checks. */
export interface PilotInfo {
  /** Per numeric field: the pilot's summary (a `NumericStats` fits). */
  numeric?: ReadonlyArray<{
    field: string;
    count: number;
    mean: number | null;
    std: number | null;
    skewness: number | null;
    kurtosis: number | null;
  }>;
  /** Per categorical field: category counts among `pilotSize` pilot values. */
  categorical?: ReadonlyArray<{
    field: string;
    pilotSize: number;
    frequencies: ReadonlyArray<{ value: CategoryValue; count: number }>;
  }>;
  /** Strata known only after reading (key, time bucket, field value): pilot units in each. */
  strata?: ReadonlyArray<{ id: string; count: number }>;
  /** Size of the pilot that `strata` counts come from. */
  pilotSize?: number;
  /** Average records per batch in the range (a random read costs a whole batch). */
  recordsPerBatch?: number;
}

export interface WarningThresholds {
  /** Fewest observations a category or stratum should have (default 5). */
  minPerGroup?: number;
  /** Excess kurtosis above which tails count as heavy (default 7). */
  heavyTailKurtosis?: number;
  /** Margin of error, as a fraction of |mean|, above which an interval is wide (0.1). */
  relativeMargin?: number;
  /** Fraction of the population's batches a sample may touch before a scan is cheaper (0.5). */
  fullScanBatchFraction?: number;
  /** Fraction of the population a sample may be before a scan is cheaper (0.2). */
  fullScanSampleFraction?: number;
}

/** Lists the reasons why this sample may mislead (empty if none were found). */
export function sampleWarnings(
  plan: PlanOutline,
  pilot: PilotInfo = {},
  thresholds: WarningThresholds = {},
): SampleWarning[] {
  const minPerGroup = thresholds.minPerGroup ?? 5;
  const warnings: SampleWarning[] = [];
  const N = plan.populationSize;
  const n = plan.withReplacement ? plan.size : Math.min(plan.size, N);

  // Cost: a sample that reads most of the data is a slower full scan.
  if (!plan.withReplacement && N > 0 && plan.size >= N) {
    warnings.push({
      code: 'SAMPLE_COVERS_POPULATION',
      severity: 'info',
      message: `The sample (${plan.size}) is the whole range (${N} offsets): run a full scan for exact answers.`,
      details: { sampleSize: plan.size, populationSize: N },
    });
  } else if (N > 0 && n > 0) {
    const sampleFraction = n / N;
    const batches = expectedBatchesRead({
      populationSize: N,
      sampleSize: n,
      recordsPerBatch: pilot.recordsPerBatch ?? 1,
      withReplacement: plan.withReplacement ?? false,
    });
    const batchLimit = thresholds.fullScanBatchFraction ?? 0.5;
    const sampleLimit = thresholds.fullScanSampleFraction ?? 0.2;
    if (sampleFraction >= sampleLimit || batches.fraction >= batchLimit) {
      warnings.push({
        code: 'FULL_SCAN_CHEAPER',
        severity: 'info',
        message:
          `The sample would read about ${percent(batches.fraction)} of the range's batches ` +
          `(${percent(sampleFraction)} of its offsets); a full scan reads them all, in order, ` +
          `and gives exact answers for about the same cost.`,
        details: {
          sampleFraction,
          batchFraction: batches.fraction,
          expectedBatches: batches.expectedBatches,
          totalBatches: batches.totalBatches,
        },
      });
    }
  }

  // Strata of the plan: empty ones, and ones too small to say anything about.
  for (const stratum of plan.strata ?? []) {
    if (stratum.populationSize === 0 || stratum.size === 0) {
      warnings.push({
        code: 'EMPTY_STRATUM',
        severity: 'warning',
        stratum: stratum.id,
        message:
          stratum.populationSize === 0
            ? `Stratum "${stratum.id}" has no messages in the range.`
            : `Stratum "${stratum.id}" gets no sample, so nothing can be said about it and ` +
              `population estimates cannot include it.`,
        details: { populationSize: stratum.populationSize, sampleSize: stratum.size },
      });
    } else if (stratum.size < minPerGroup && stratum.size < stratum.populationSize) {
      warnings.push({
        code: 'SMALL_STRATUM',
        severity: 'warning',
        stratum: stratum.id,
        message:
          `Stratum "${stratum.id}" gets only ${stratum.size} of its ${stratum.populationSize} ` +
          `messages; its estimates (and its share of the interval) will be unreliable.`,
        details: { populationSize: stratum.populationSize, sampleSize: stratum.size },
      });
    }
  }

  // Strata found by reading: the pilot's count says how many the sample can expect.
  if (pilot.strata?.length) {
    const pilotSize = pilot.pilotSize ?? pilot.strata.reduce((sum, s) => sum + s.count, 0);
    for (const stratum of pilot.strata) {
      const expected = pilotSize > 0 ? (n * stratum.count) / pilotSize : 0;
      if (stratum.count === 0) {
        warnings.push({
          code: 'EMPTY_STRATUM',
          severity: 'warning',
          stratum: stratum.id,
          message: `The pilot found no messages in stratum "${stratum.id}".`,
          details: { pilotCount: 0 },
        });
      } else if (stratum.count < minPerGroup || expected < minPerGroup) {
        warnings.push({
          code: 'SMALL_STRATUM',
          severity: 'warning',
          stratum: stratum.id,
          message:
            `Stratum "${stratum.id}" had ${stratum.count} messages in the pilot; its size and ` +
            `spread are rough guesses, and a simple random sample would hold about ` +
            `${round(expected)} of them.`,
          details: { pilotCount: stratum.count, expectedInSample: expected },
        });
      }
    }
  }

  // Categories too rare for their proportion to be estimated.
  for (const field of pilot.categorical ?? []) {
    for (const { value, count } of field.frequencies) {
      const expected = field.pilotSize > 0 ? (n * count) / field.pilotSize : 0;
      if (expected < minPerGroup) {
        warnings.push({
          code: 'RARE_CATEGORY',
          severity: 'warning',
          field: field.field,
          category: value,
          message:
            `${field.field} = ${JSON.stringify(value)} is expected about ${round(expected)} ` +
            `times in the sample: too few to estimate its share (consider stratifying by ` +
            `${field.field} with equal allocation).`,
          details: { pilotCount: count, expectedInSample: expected },
        });
      }
    }
  }

  // Numeric fields: heavy tails and skew make the interval wide or unreliable.
  const heavyTail = thresholds.heavyTailKurtosis ?? 7;
  const relativeMargin = thresholds.relativeMargin ?? 0.1;
  for (const field of pilot.numeric ?? []) {
    const margin =
      field.std === null
        ? null
        : marginOfErrorForMean({
            n: Math.max(n, 2),
            std: field.std,
            ...(plan.withReplacement ? { withReplacement: true } : { populationSize: N }),
          });
    if (field.kurtosis !== null && field.kurtosis > heavyTail) {
      warnings.push({
        code: 'HEAVY_TAILS',
        severity: 'warning',
        field: field.field,
        message:
          `${field.field} has heavy tails (excess kurtosis ${round(field.kurtosis)}): a few ` +
          `extreme values dominate its mean and spread, so the interval ` +
          (margin === null ? '' : `(±${round(margin)}) `) +
          `is wide and may still miss; the median and quantiles are more stable.`,
        details: {
          kurtosis: field.kurtosis,
          ...(margin === null ? {} : { marginOfError: margin }),
        },
      });
    }
    // Cochran's rule (Sampling Techniques §2.15): the mean is near normal once n > 25·G₁².
    if (field.skewness !== null && n < 25 * field.skewness * field.skewness) {
      const needed = Math.ceil(25 * field.skewness * field.skewness);
      warnings.push({
        code: 'SKEWED_FOR_SAMPLE_SIZE',
        severity: 'warning',
        field: field.field,
        message:
          `${field.field} is skewed (skewness ${round(field.skewness)}); a 95% interval for ` +
          `its mean needs about ${needed} values to be trusted (Cochran's rule), the plan has ${n}.`,
        details: { skewness: field.skewness, sampleSize: n, suggestedSize: needed },
      });
    }
    if (margin !== null && field.mean !== null && field.mean !== 0) {
      const relative = margin / Math.abs(field.mean);
      if (relative > relativeMargin) {
        warnings.push({
          code: 'WIDE_INTERVAL',
          severity: 'info',
          field: field.field,
          message:
            `With ${n} values the mean of ${field.field} would be known only to ±${round(margin)} ` +
            `(${percent(relative)} of it).`,
          details: { marginOfError: margin, relativeMargin: relative },
        });
      }
    }
  }
  return warnings;
}

function percent(fraction: number): string {
  return `${round(fraction * 100)}%`;
}

function round(x: number): string {
  return Number(x.toPrecision(3)).toString();
}
