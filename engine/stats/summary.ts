/**
 * One field's result, in the shape the job API returns (issue 7, item 6): `stats` (count,
 * missing, mean, median, std, variance, min, max, q1, q3, …), `ci95` for the mean,
 * `histogram` (edges and counts) and `box` (whiskers and outliers).
 *
 * - `summarizeSample` works on a sample held in memory: every statistic exact for the sample,
 *   and `ci95` saying how far the population's mean can be from it.
 * - `NumericScan` accumulates a full scan in constant memory: moments exact (Welford), the
 *   median, quartiles, histogram and box from a KLL sketch, marked `approximate` with the
 *   sketch's stated rank error. A full scan has no sampling error, so its `ci95` has zero
 *   width; pass an exact `StreamingHistogram` from a second pass for exact counts.
 */

import { boxPlotSorted, type BoxPlot, type BoxPlotOptions } from './boxplot';
import { describeSorted, type NumericStats } from './descriptive';
import {
  binEdges,
  countInto,
  type Histogram,
  type HistogramOptions,
  type StreamingHistogram,
} from './histogram';
import {
  meanConfidenceInterval,
  type ConfidenceInterval,
  type PopulationOptions,
} from './intervals';
import { KllSketch } from './kll';
import { MomentAccumulator } from './moments';
import { numericValue, toNumeric, type NumericOptions } from './numeric';
import type { Prng, Seed } from '../sampling/prng';

export interface NumericFieldResult {
  stats: NumericStats;
  /** 95% interval for the population mean; null below 2 values. */
  ci95: ConfidenceInterval | null;
  histogram: Histogram;
  box: BoxPlot | null;
  /**
   * Present for scan results: the quantile-based parts (median, q1, q3, iqr, histogram, box)
   * are estimates whose rank is within `rankError`·count of the truth with probability 0.99.
   */
  approximate?: { rankError: number; method: 'kll' };
}

export interface SummaryOptions extends Omit<PopulationOptions, 'level'>, NumericOptions {
  histogram?: HistogramOptions;
  box?: BoxPlotOptions;
}

/** The full result for a numeric field of a sample (values may include missing ones). */
export function summarizeSample(
  values: Iterable<unknown> | ArrayLike<unknown>,
  options: SummaryOptions = {},
): NumericFieldResult {
  const numeric = toNumeric(values, options);
  const sorted = numeric.values.slice().sort();
  const stats = describeSorted(sorted, numeric.missing, numeric.missingByReason);
  const edges = binEdges(stats, options.histogram);
  return {
    stats,
    ci95: meanConfidenceInterval({
      n: stats.count,
      mean: stats.mean,
      std: stats.std,
      level: 0.95,
      ...populationOf(options),
    }),
    histogram: { ...edges, ...countInto(sorted, edges.edges) },
    box: boxPlotSorted(sorted, options.box),
  };
}

/** Streaming statistics of one numeric field over a full scan, in constant memory. */
export class NumericScan {
  readonly moments: MomentAccumulator;
  readonly sketch: KllSketch;
  private readonly numericOptions: NumericOptions;

  constructor(options: NumericOptions & { k?: number; seed?: Seed | Prng } = {}) {
    this.moments = new MomentAccumulator(options);
    this.sketch = new KllSketch({
      ...(options.k === undefined ? {} : { k: options.k }),
      seed: options.seed ?? 0,
    });
    this.numericOptions = options;
  }

  /** Adds one field value (missing values are counted by reason). */
  add(value: unknown): void {
    const x = numericValue(value, this.numericOptions);
    if (typeof x === 'number') {
      this.moments.addNumber(x);
      this.sketch.add(x);
    } else {
      this.moments.addMissing(x);
    }
  }

  merge(other: NumericScan): this {
    this.moments.merge(other.moments);
    this.sketch.merge(other.sketch);
    return this;
  }

  /** The result; `exactHistogram` (filled in a second pass) replaces the sketch's counts. */
  result(
    options: {
      histogram?: HistogramOptions;
      box?: BoxPlotOptions;
      exactHistogram?: StreamingHistogram;
    } = {},
  ): NumericFieldResult {
    const summary = this.moments.summary();
    const q1 = this.sketch.quantile(0.25);
    const median = this.sketch.quantile(0.5);
    const q3 = this.sketch.quantile(0.75);
    const iqr = q1 === null || q3 === null ? null : q3 - q1;
    const stats: NumericStats = {
      ...summary,
      median,
      q1,
      q3,
      iqr,
      // The mode is not recoverable from a sketch; count the field as categorical for it.
      mode: null,
      modeCount: 0,
    };
    const rankError = this.sketch.rankErrorBound(0.01);
    const spec = binEdges(
      { count: summary.count, min: summary.min, max: summary.max, iqr, q1, q3 },
      options.histogram,
    );
    let histogram: Histogram;
    if (options.exactHistogram) {
      // Edges from this sketch's own rule keep its label; other edges are the caller's.
      const exact = options.exactHistogram;
      const sameEdges =
        exact.edges.length === spec.edges.length &&
        exact.edges.every((edge, i) => edge === spec.edges[i]);
      if (sameEdges) {
        histogram = exact.result({
          rule: spec.rule,
          binWidth: spec.binWidth,
          capped: spec.capped,
          ...(spec.fallback === undefined ? {} : { fallback: spec.fallback }),
        });
      } else {
        histogram = exact.result();
      }
    } else {
      histogram = {
        ...spec,
        counts: this.sketch.histogram(spec.edges).map(Math.round),
        underflow: 0,
        overflow: 0,
        approximate: rankError > 0,
      };
    }
    return {
      stats,
      // The scan read every value: the mean is the population's, with no sampling error.
      ci95: meanConfidenceInterval({
        n: summary.count,
        mean: summary.mean,
        std: summary.std,
        level: 0.95,
        populationSize: summary.count,
      }),
      histogram,
      box: this.sketchBox(q1, median, q3, options.box),
      approximate: { rankError, method: 'kll' },
    };
  }

  /**
   * A box plot from the sketch: quartiles estimated; whiskers at the most extreme *retained*
   * values inside the fences (real data values, exact when min or max is inside); outliers
   * the retained values outside, with their count estimated from the sketch's ranks.
   */
  private sketchBox(
    q1: number | null,
    median: number | null,
    q3: number | null,
    options: BoxPlotOptions = {},
  ): BoxPlot | null {
    if (q1 === null || median === null || q3 === null) return null;
    const k = options.whiskerIqr ?? 1.5;
    const maxOutliers = options.maxOutliers ?? 100;
    const iqr = q3 - q1;
    const lowerFence = q1 - k * iqr;
    const upperFence = q3 + k * iqr;
    const retained = this.sketch.state().levels.flat();
    retained.push(this.sketch.min!, this.sketch.max!);
    const inside = retained.filter((x) => x >= lowerFence && x <= upperFence);
    const outside = [...new Set(retained.filter((x) => x < lowerFence || x > upperFence))].sort(
      (a, b) => Math.abs(b - median) - Math.abs(a - median),
    );
    const n = this.sketch.count;
    const outlierCount = Math.round(
      this.sketch.rank(lowerFence, false) + (n - this.sketch.rank(upperFence, true)),
    );
    const listed = outside.slice(0, maxOutliers).sort((a, b) => a - b);
    return {
      q1,
      median,
      q3,
      iqr,
      lowerFence,
      upperFence,
      whiskers: inside.length ? [Math.min(...inside), Math.max(...inside)] : [q1, q3],
      outliers: listed,
      outlierCount: Math.max(outlierCount, outside.length),
      outliersTruncated: Math.max(outlierCount, outside.length) > listed.length,
    };
  }
}

function populationOf(options: Omit<PopulationOptions, 'level'>): Omit<PopulationOptions, 'level'> {
  return {
    ...(options.populationSize === undefined ? {} : { populationSize: options.populationSize }),
    ...(options.withReplacement === undefined ? {} : { withReplacement: options.withReplacement }),
  };
}
