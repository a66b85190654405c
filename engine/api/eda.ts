/**
 * Exploratory data analysis on a topic (issue 7): sample jobs and full-scan jobs, the preview
 * that warns before anything is read, and field suggestions. A sample job's result holds, per
 * field, the statistics of engine/stats (`stats`, `ci95`, `histogram`, `box`, or category
 * frequencies), the sampled `(partition, offset)` list, the rows behind scatter and time
 * charts, and warnings; a scan job's result holds the exact values to compare with.
 *
 * Fields are named by one string: `size`, `key`, `timestamp`, `partition`, `offset`,
 * `header:NAME`, or a JSON path into the value (`$.amount`, `$.items[0].price`).
 */
import { z } from 'zod';

const Offset = z.number().int().min(0);

export const FieldName = z
  .string()
  .min(1)
  .max(300)
  .refine(
    (name) =>
      ['size', 'key', 'timestamp', 'partition', 'offset'].includes(name) ||
      /^header:.+/.test(name) ||
      name.startsWith('$'),
    'a field is size, key, timestamp, partition, offset, header:NAME or a JSON path ($.amount)',
  );

/**
 * Which records: offsets `[startOffset, endOffset)` in every chosen partition (clamped to what
 * the partition holds), and/or records with timestamps in `[startTime, endTime)` (looked up as
 * offsets). Omitted bounds mean the partition's start and end.
 */
export const EdaRange = z.object({
  partitions: z.array(z.number().int().min(0)).max(10_000).optional(),
  startOffset: Offset.optional(),
  endOffset: Offset.optional(),
  startTime: z.number().int().optional(),
  endTime: z.number().int().optional(),
});
export type EdaRange = z.infer<typeof EdaRange>;

export const StrataSpec = z.discriminatedUnion('by', [
  z.object({ by: z.literal('partition') }),
  /** Equal time buckets between the range's first and last timestamps. */
  z.object({ by: z.literal('time'), buckets: z.number().int().min(2).max(100).default(8) }),
  /** Strata found while reading (from a pilot): the key's value, or a categorical field's. */
  z.object({ by: z.literal('key') }),
  z.object({ by: z.literal('field'), field: FieldName }),
]);
export type StrataSpec = z.infer<typeof StrataSpec>;

export const HistogramRequest = z.object({
  /** 'log': log-spaced bins for positive values spread over orders of magnitude. */
  rule: z.enum(['freedman-diaconis', 'sturges', 'fixed-width', 'log']).default('freedman-diaconis'),
  width: z.number().positive().optional(),
});

export const SampleStrategyName = z.enum([
  'random',
  'random-with-replacement',
  'systematic',
  'stratified',
  'reservoir',
]);

/**
 * Strategy `reservoir`: a uniform sample of the records that arrive from now on (all chosen
 * partitions tailed together), kept in memory proportional to `size`. It stops after
 * `durationMs`, or once `maxRecords` records have arrived, whichever comes first (with
 * neither, after 10 seconds). Cancelling the job discards what it had, as for every job: to end
 * early with a result, give a shorter duration or a count.
 */
export const TailSpec = z
  .object({
    durationMs: z.number().int().min(100).max(3_600_000).optional(),
    maxRecords: z.number().int().min(1).max(1_000_000_000).optional(),
  })
  .strict();
export type TailSpec = z.infer<typeof TailSpec>;

export const SampleInput = z.object({
  strategy: SampleStrategyName.default('random'),
  size: z.number().int().min(1).max(1_000_000).default(1000),
  seed: z.union([z.string().max(200), z.number().int()]).default(1),
  fields: z.array(FieldName).min(1).max(32),
  strata: StrataSpec.optional(),
  allocation: z.enum(['proportional', 'equal', 'neyman']).default('proportional'),
  range: EdaRange.optional(),
  /** For strategy `reservoir`: how long to tail (only `range.partitions` applies to it). */
  tail: TailSpec.optional(),
  histogram: HistogramRequest.optional(),
  /** Count numeric strings ("12.5") as numbers. */
  parseStrings: z.boolean().default(false),
});
export type SampleInput = z.infer<typeof SampleInput>;

export const ScanInput = z.object({
  fields: z.array(FieldName).min(1).max(32),
  range: EdaRange.optional(),
  histogram: HistogramRequest.optional(),
  parseStrings: z.boolean().default(false),
});
export type ScanInput = z.infer<typeof ScanInput>;

const Nullable = z.number().nullable();

export const MissingCounts = z.object({
  absent: z.number(),
  nonNumeric: z.number(),
  nonFinite: z.number(),
});

export const NumericStatsSchema = z.object({
  count: z.number(),
  missing: z.number(),
  missingByReason: MissingCounts,
  sum: Nullable,
  mean: Nullable,
  median: Nullable,
  mode: Nullable,
  modeCount: z.number(),
  min: Nullable,
  max: Nullable,
  q1: Nullable,
  q3: Nullable,
  iqr: Nullable,
  variance: Nullable,
  std: Nullable,
  skewness: Nullable,
  kurtosis: Nullable,
  standardError: Nullable,
});

export const ConfidenceIntervalSchema = z.object({
  level: z.number(),
  estimate: z.number(),
  low: z.number(),
  high: z.number(),
  marginOfError: z.number(),
  standardError: z.number(),
  method: z.enum(['t', 'wilson', 'normal']),
  df: z.number().optional(),
  finitePopulationCorrection: z.number(),
});

export const HistogramSchema = z.object({
  edges: z.array(z.number()),
  counts: z.array(z.number()),
  rule: z.string(),
  binWidth: z.number(),
  capped: z.boolean(),
  fallback: z.string().optional(),
  underflow: z.number(),
  overflow: z.number(),
  approximate: z.boolean().optional(),
});

export const BoxPlotSchema = z.object({
  q1: z.number(),
  median: z.number(),
  q3: z.number(),
  iqr: z.number(),
  lowerFence: z.number(),
  upperFence: z.number(),
  whiskers: z.tuple([z.number(), z.number()]),
  outliers: z.array(z.number()),
  outlierCount: z.number(),
  outliersTruncated: z.boolean(),
});

export const NumericSummary = z.object({
  stats: NumericStatsSchema,
  ci95: ConfidenceIntervalSchema.nullable(),
  histogram: HistogramSchema,
  box: BoxPlotSchema.nullable(),
  approximate: z.object({ rankError: z.number(), method: z.literal('kll') }).optional(),
});
export type NumericSummary = z.infer<typeof NumericSummary>;

const CategoryValue = z.union([z.string(), z.number(), z.boolean()]);

export const CategoricalSummary = z.object({
  count: z.number(),
  missing: z.number(),
  distinct: z.number(),
  distinctExceeded: z.boolean(),
  untracked: z.number(),
  mode: CategoryValue.nullable(),
  modeCount: z.number(),
  frequencies: z.array(
    z.object({
      value: CategoryValue,
      count: z.number(),
      proportion: z.number(),
      ci95: z.object({ low: z.number(), high: z.number(), marginOfError: z.number() }).nullable(),
    }),
  ),
  otherCount: z.number(),
});
export type CategoricalSummary = z.infer<typeof CategoricalSummary>;

/** One field: numeric when most present values are numbers (and the field is not a category by nature). */
export const FieldResult = z.object({
  field: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  numeric: NumericSummary.nullable(),
  categorical: CategoricalSummary.nullable(),
});
export type FieldResult = z.infer<typeof FieldResult>;

export const SampleWarningSchema = z.object({
  code: z.string(),
  severity: z.enum(['warning', 'info']),
  message: z.string(),
  field: z.string().optional(),
  stratum: z.string().optional(),
  category: CategoryValue.optional(),
  details: z.record(z.string(), z.number()),
});
export type SampleWarningOut = z.infer<typeof SampleWarningSchema>;

export const ResolvedRange = z.object({
  partition: z.number(),
  start: z.number(),
  end: z.number(),
});

export const FieldSuggestion = z.object({
  field: z.string(),
  kind: z.enum(['number', 'string', 'boolean']),
  count: z.number(),
});

export const CorrelationSchema = z.object({
  fields: z.array(z.string()),
  method: z.enum(['pearson', 'spearman']),
  r: z.array(z.array(Nullable)),
  n: z.array(z.array(z.number())),
});

export const StratumResult = z.object({
  id: z.string(),
  /** N_h: offsets in the stratum (estimated from the pilot for key and field strata). */
  populationSize: z.number(),
  /** n_h planned, and records actually read into it. */
  planned: z.number(),
  read: z.number(),
  fields: z.array(FieldResult),
});

export const StratifiedEstimateSchema = z.object({
  field: z.string(),
  estimate: Nullable,
  ci95: ConfidenceIntervalSchema.nullable(),
  problem: z.string().optional(),
});

export const SampleResult = z.object({
  kind: z.literal('sample'),
  topic: z.string(),
  strategy: SampleStrategyName,
  seed: z.union([z.string(), z.number()]),
  /** N: offsets in the range (for `reservoir`: records that arrived while tailing). */
  populationSize: z.number(),
  requestedSize: z.number(),
  /** Offsets the plan listed (n). */
  plannedSize: z.number(),
  /** Records found at them; the rest held no record (compaction, transaction markers). */
  recordsRead: z.number(),
  emptyOffsets: z.number(),
  fetches: z.number(),
  withReplacement: z.boolean(),
  ranges: z.array(ResolvedRange),
  fields: z.array(FieldResult),
  correlation: z.object({ pearson: CorrelationSchema, spearman: CorrelationSchema }).nullable(),
  /**
   * The sampled records: `[partition, offset]`, and each field's value per record. Sampling by
   * offset lists them in `(partition, offset)` order; stratified by key or field, in the random
   * order they were drawn.
   */
  sampled: z.array(z.tuple([z.number(), z.number()])),
  timestamps: z.array(z.number()),
  /** Per field, its values in `sampled` order: numbers, strings (categories) or null (missing). */
  columns: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.null()]))),
  /**
   * For the "value over time" line chart (helper B, EdaView): per numeric field, its
   * `[timestamp, value]` pairs sorted by timestamp (ms since the epoch; ties keep reading
   * order), one pair per sampled record whose value is a finite number — so at most the
   * sample's size, and records without a timestamp (-1) or without a value are left out.
   * Plot it as is: x = time, y = value; no re-sorting or filtering needed. Categorical fields
   * have no entry.
   */
  series: z.record(z.string(), z.array(z.tuple([z.number(), z.number()]))),
  strata: z.array(StratumResult).optional(),
  stratifiedEstimates: z.array(StratifiedEstimateSchema).optional(),
  warnings: z.array(SampleWarningSchema),
  suggestedFields: z.array(FieldSuggestion),
  durationMs: z.number(),
});
export type SampleResult = z.infer<typeof SampleResult>;

export const ScanResult = z.object({
  kind: z.literal('scan'),
  topic: z.string(),
  recordsRead: z.number(),
  ranges: z.array(ResolvedRange),
  fields: z.array(FieldResult),
  durationMs: z.number(),
});
export type ScanResult = z.infer<typeof ScanResult>;

/** What a sample would do, worked out before reading (plus a small pilot, for the data's shape). */
export const SamplePreview = z.object({
  populationSize: z.number(),
  plannedSize: z.number(),
  ranges: z.array(ResolvedRange),
  strata: z.array(z.object({ id: z.string(), populationSize: z.number(), size: z.number() })),
  expectedBatches: z.number().nullable(),
  pilotSize: z.number(),
  warnings: z.array(SampleWarningSchema),
  suggestedFields: z.array(FieldSuggestion),
});
export type SamplePreview = z.infer<typeof SamplePreview>;

export const FieldSuggestions = z.object({ fields: z.array(FieldSuggestion) });
