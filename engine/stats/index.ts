/**
 * Statistics for sampled and scanned fields: pure, deterministic math with no I/O (lint
 * enforces it). Every estimator's definition is stated in the module that computes it.
 *
 * For one field of a sample: `summarizeSample(values, {populationSize})` gives the API's
 * `{stats, ci95, histogram, box}`; for a full scan, `NumericScan` gives the same shape in
 * constant memory. Categorical fields: `frequencies` / `CategoryCounter`. Across fields:
 * `correlationMatrix`. Before sampling: `sampleWarnings`, `marginOfErrorFor*`,
 * `sampleSizeFor*`. After a stratified sample: `stratifiedMean` / `stratifiedProportion`.
 */

export {
  emptyMissingCounts,
  numericValue,
  toNumeric,
  type MissingCounts,
  type MissingReason,
  type NumericOptions,
  type NumericValues,
} from './numeric';
export {
  compensatedSum,
  describeNumeric,
  describeSorted,
  kurtosis,
  mean,
  median,
  modeOfSorted,
  quantile,
  quantileSorted,
  quantiles,
  skewness,
  standardDeviation,
  variance,
  type NumericStats,
} from './descriptive';
export {
  chiSquareCdf,
  chiSquareQuantile,
  chiSquareSurvival,
  logBeta,
  logGamma,
  normalCdf,
  normalPdf,
  normalQuantile,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  tCdf,
  tPdf,
  tQuantile,
} from './distributions';
export {
  marginOfErrorForMean,
  marginOfErrorForProportion,
  meanConfidenceInterval,
  meanFpc,
  proportionConfidenceInterval,
  proportionFpc,
  sampleSizeForMean,
  sampleSizeForProportion,
  type ConfidenceInterval,
  type PopulationOptions,
} from './intervals';
export {
  CategoryCounter,
  categoryOf,
  frequencies,
  type CategoricalOptions,
  type CategoricalStats,
  type CategoryFrequency,
  type CategoryValue,
} from './categorical';
export {
  correlationMatrix,
  midranks,
  pearson,
  spearman,
  type CorrelationMatrix,
  type CorrelationMethod,
} from './correlation';
export {
  binEdges,
  binIndex,
  countInto,
  histogram,
  histogramSorted,
  StreamingHistogram,
  type BinInputs,
  type BinRule,
  type BinSpec,
  type Histogram,
  type HistogramOptions,
} from './histogram';
export { boxPlot, boxPlotSorted, type BoxPlot, type BoxPlotOptions } from './boxplot';
export { MomentAccumulator, type MomentState, type MomentSummary } from './moments';
export { KllSketch, type KllState } from './kll';
export {
  stratifiedMean,
  stratifiedProportion,
  type StratifiedEstimate,
  type StratumMeanInput,
  type StratumProportionInput,
} from './stratified';
export {
  NumericScan,
  summarizeSample,
  type NumericFieldResult,
  type SummaryOptions,
} from './summary';
export {
  sampleWarnings,
  type PilotInfo,
  type PlanOutline,
  type SampleWarning,
  type SampleWarningCode,
  type WarningThresholds,
} from './warnings';
