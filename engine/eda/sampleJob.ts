/**
 * Sample jobs (issue 7): plan which offsets to read (engine/sampling), read them through a
 * `LogReader` (reusing fetched batches), extract the fields, and summarise them
 * (engine/stats) — with the sampled `(partition, offset)` list, per-stratum summaries for
 * stratified samples, and the warnings that say when the sample may mislead.
 *
 * Strata by partition or time bucket are planned by offset. Strata by key or by a field's
 * value are known only after reading a record, so those samples read offsets in a random
 * order: the first records (a simple random sample) are the pilot that estimates each
 * stratum's size and spread, `allocateFromPilot` sets each stratum's quota, and reading goes
 * on in the same random order, keeping a record while its stratum's quota is open. The first
 * n_h records of a stratum in a uniformly random order are a simple random sample of it.
 */
import type {
  FieldResult,
  SampleInput,
  SamplePreview,
  SampleResult,
  SampleWarningOut,
} from '../api/eda';
import type { LogReader } from '../browse/logReader';
import type { RawRecord } from '../browse/record';
import {
  allocateFromPilot,
  expectedBatchesRead,
  OffsetPopulation,
  planSample,
  toPrng,
  type PartitionRange,
  type Prng,
  type SamplePlan,
  type StratumRanges,
} from '../sampling';
import {
  categoryOf,
  correlationMatrix,
  describeNumeric,
  sampleWarnings,
  stratifiedMean,
  type PilotInfo,
} from '../stats';
import { extractFields, FieldSuggester, fieldExtractor, type FieldExtractor } from './fields';
import { columnValue, isNumericField, summarizeField } from './fieldSummary';
import { resolveRanges } from './logRanges';
import { emptyReadStats, readOffsets, type ReadStats } from './readOffsets';
import { timeBucketStrata } from './timeStrata';
import { valueSeries } from './valueSeries';

export interface EdaJobContext {
  signal: AbortSignal;
  progress(done: number, options?: { total?: number | null; message?: string }): void;
}

/** Records a pilot reads to see the data's shape (for warnings, Neyman and content strata). */
const PILOT_SIZE = 200;
/** Records inspected for field suggestions. */
const SUGGEST_FROM = 200;
/** Content strata: read at most this many times the sample size looking for rare strata. */
const QUOTA_READ_FACTOR = 20;

/** The rows a sample collects: one per sampled offset, in reading order. */
export class Rows {
  readonly sampled: [number, number][] = [];
  readonly timestamps: number[] = [];
  readonly strata: (string | null)[] = [];
  /** Per field, its values per row (undefined where the offset held no record). */
  readonly values: unknown[][];
  readonly isRecord: boolean[] = [];
  readonly suggester = new FieldSuggester();
  private suggested = 0;

  /**
   * @param suggestFrom the `partition:offset`s whose records feed the field suggestions; without
   *   it, the first records added do (use it when records arrive in an order that varies).
   */
  constructor(
    private readonly extractors: readonly FieldExtractor[],
    private readonly suggestFrom?: ReadonlySet<string>,
  ) {
    this.values = extractors.map(() => []);
  }

  add(partition: number, offset: number, record: RawRecord | null, stratum: string | null): void {
    const values = record ? extractFields(record, this.extractors) : undefined;
    this.addValues(partition, offset, record?.timestamp ?? -1, values, stratum);
    const suggest = this.suggestFrom
      ? this.suggestFrom.has(`${partition}:${offset}`)
      : this.suggested < SUGGEST_FROM;
    if (record && suggest) this.suggest(record);
  }

  /** Adds a row whose fields were read already (`values` undefined: the offset held no record). */
  addValues(
    partition: number,
    offset: number,
    timestamp: number,
    values: readonly unknown[] | undefined,
    stratum: string | null,
  ): void {
    this.sampled.push([partition, offset]);
    this.timestamps.push(timestamp);
    this.strata.push(stratum);
    this.isRecord.push(values !== undefined);
    this.values.forEach((column, i) => column.push(values?.[i]));
  }

  /** Lets the field suggestions see a record (up to SUGGEST_FROM of them). */
  suggest(record: RawRecord): void {
    if (this.suggested >= SUGGEST_FROM) return;
    this.suggested++;
    this.suggester.add(record);
  }

  /**
   * Puts the rows in `(partition, offset)` order, so that a sample's rows — and sums over them,
   * to the last bit — do not depend on the order in which fetched batches arrived.
   */
  sortByPosition(): void {
    const order = this.sampled.map((_, i) => i);
    order.sort((a, b) => {
      const [pa, oa] = this.sampled[a]!;
      const [pb, ob] = this.sampled[b]!;
      return pa - pb || oa - ob || a - b;
    });
    const permute = <T>(list: T[]): void => {
      const copy = order.map((i) => list[i]!);
      list.splice(0, list.length, ...copy);
    };
    permute(this.sampled);
    permute(this.timestamps);
    permute(this.strata);
    permute(this.isRecord);
    this.values.forEach(permute);
  }

  get size(): number {
    return this.sampled.length;
  }
}

/** Every k-th planned offset, about `count` in all: a set that does not depend on reading order. */
function spreadOver(
  plan: readonly { partition: number; offsets: readonly number[] }[],
  count: number,
) {
  const total = plan.reduce((sum, p) => sum + p.offsets.length, 0);
  const step = Math.max(1, Math.ceil(total / count));
  const keys = new Set<string>();
  let i = 0;
  for (const { partition, offsets } of plan) {
    for (const offset of offsets) {
      if (i++ % step === 0) keys.add(`${partition}:${offset}`);
    }
  }
  return keys;
}

interface Planned {
  plan: SamplePlan;
  ranges: PartitionRange[];
  /** Which stratum each planned `partition:offset` belongs to (stratified plans). */
  stratumOf: ((partition: number, offset: number) => string | null) | null;
}

export async function runSample(
  reader: LogReader,
  topic: string,
  input: SampleInput,
  context: EdaJobContext,
): Promise<SampleResult> {
  const started = Date.now();
  const extractors = input.fields.map((field, i) => fieldExtractor(field, `body.fields.${i}`));
  if (input.strata?.by === 'field') fieldExtractor(input.strata.field, 'body.strata.field');
  context.progress(0, { message: 'Looking up the range' });
  const ranges = await resolveRanges(reader, topic, input.range);
  let rows = new Rows(extractors);
  let read: ReadStats;
  let populationSize: number;
  let plannedSize: number;
  let strataSizes: Map<string, { populationSize: number; planned: number }> | null = null;

  if (
    input.strategy === 'stratified' &&
    (input.strata?.by === 'key' || input.strata?.by === 'field')
  ) {
    const result = await quotaSample(reader, topic, input, ranges, rows, context);
    read = result.read;
    populationSize = result.populationSize;
    plannedSize = result.plannedSize;
    strataSizes = result.strata;
  } else {
    const planned = await planOffsets(reader, topic, input, ranges, extractors, context.signal);
    populationSize = planned.plan.populationSize;
    plannedSize = planned.plan.size;
    if (planned.plan.strata) {
      strataSizes = new Map(
        planned.plan.strata.map((s) => [
          s.id,
          { populationSize: s.populationSize, planned: s.size },
        ]),
      );
    }
    context.progress(0, { total: plannedSize, message: 'Reading sampled offsets' });
    rows = new Rows(extractors, spreadOver(planned.plan.partitions, SUGGEST_FROM));
    const planRows = rows;
    read = await readOffsets(
      reader,
      topic,
      planned.plan.partitions,
      (partition, offset, record) =>
        planRows.add(partition, offset, record, planned.stratumOf?.(partition, offset) ?? null),
      {
        signal: context.signal,
        progress: (visited) => context.progress(visited, { total: plannedSize }),
      },
    );
    rows.sortByPosition();
  }
  context.progress(rows.size, { message: 'Summarising' });
  return summarizeSample(rows, input, {
    topic,
    ranges,
    populationSize,
    plannedSize,
    read,
    strataSizes,
    started,
  });
}

/** What a sample read, besides its rows: the population, the plan's size, and how it was read. */
export interface SampleReading {
  topic: string;
  ranges: PartitionRange[];
  populationSize: number;
  plannedSize: number;
  read: ReadStats;
  strataSizes: Map<string, { populationSize: number; planned: number }> | null;
  /** When the job started (ms since the epoch). */
  started: number;
}

/** A sample's result from its rows: statistics per field and stratum, correlation, warnings. */
export function summarizeSample(
  rows: Rows,
  input: SampleInput,
  reading: SampleReading,
): SampleResult {
  const { topic, ranges, populationSize, plannedSize, read, strataSizes, started } = reading;
  const withReplacement = input.strategy === 'random-with-replacement';
  const histogram = input.histogram
    ? {
        rule: input.histogram.rule,
        ...(input.histogram.width ? { width: input.histogram.width } : {}),
      }
    : undefined;
  const summaryOptions = {
    populationSize,
    withReplacement,
    parseStrings: input.parseStrings,
    ...(histogram ? { histogram } : {}),
  };
  const fields = input.fields.map((field, i) =>
    summarizeField(field, rows.values[i]!, summaryOptions),
  );
  const numericFlags = fields.map((f) => f.kind === 'numeric');

  const columns: Record<string, (number | string | null)[]> = {};
  input.fields.forEach((field, i) => {
    columns[field] = rows.values[i]!.flatMap((value, row) =>
      rows.isRecord[row] ? [columnValue(value, numericFlags[i]!, input.parseStrings)] : [],
    );
  });
  const sampled = rows.sampled.filter((_, row) => rows.isRecord[row]);
  const timestamps = rows.timestamps.filter((_, row) => rows.isRecord[row]);

  const numericFields = input.fields.filter((_, i) => numericFlags[i]);
  const correlation =
    numericFields.length >= 2
      ? {
          pearson: correlationMatrix(
            Object.fromEntries(numericFields.map((f) => [f, columns[f]!.map(toNumberOrNaN)])),
            'pearson',
          ),
          spearman: correlationMatrix(
            Object.fromEntries(numericFields.map((f) => [f, columns[f]!.map(toNumberOrNaN)])),
            'spearman',
          ),
        }
      : null;

  let strata: SampleResult['strata'];
  let stratifiedEstimates: SampleResult['stratifiedEstimates'];
  if (strataSizes) {
    strata = [...strataSizes.entries()].map(([id, size]) => {
      const inStratum = rows.strata.map((s) => s === id);
      const count = inStratum.filter(Boolean).length;
      return {
        id,
        populationSize: size.populationSize,
        planned: size.planned,
        read: count,
        fields: input.fields.map((field, i) =>
          summarizeField(
            field,
            rows.values[i]!.filter((_, row) => inStratum[row]),
            { ...summaryOptions, populationSize: Math.max(size.populationSize, count) },
          ),
        ),
      };
    });
    stratifiedEstimates = numericFields.map((field) => {
      const estimate = stratifiedMean(
        strata!.map((s) => {
          const stats = s.fields.find((f) => f.field === field)?.numeric?.stats;
          return {
            id: s.id,
            populationSize: s.populationSize,
            count: stats?.count ?? 0,
            mean: stats?.mean ?? null,
            std: stats?.std ?? null,
          };
        }),
      );
      return {
        field,
        estimate: estimate.estimate,
        ci95: estimate.ci95,
        ...(estimate.problem ? { problem: estimate.problem } : {}),
      };
    });
  }

  const warnings = sampleWarnings(
    {
      populationSize,
      size: plannedSize,
      withReplacement,
      ...(strata
        ? {
            strata: strata.map((s) => ({
              id: s.id,
              populationSize: s.populationSize,
              size: s.planned,
            })),
          }
        : {}),
    },
    {
      ...pilotInfo(fields),
      ...(read.recordsPerBatch > 0 ? { recordsPerBatch: read.recordsPerBatch } : {}),
    },
  ) as SampleWarningOut[];

  return {
    kind: 'sample',
    topic,
    strategy: input.strategy,
    seed: input.seed,
    populationSize,
    requestedSize: input.size,
    plannedSize,
    recordsRead: read.recordsRead,
    emptyOffsets: read.emptyOffsets,
    fetches: read.fetches,
    withReplacement,
    ranges,
    fields,
    correlation,
    sampled,
    timestamps,
    columns,
    series: valueSeries(timestamps, columns, numericFields),
    ...(strata ? { strata } : {}),
    ...(stratifiedEstimates ? { stratifiedEstimates } : {}),
    warnings,
    suggestedFields: rows.suggester.suggestions(),
    durationMs: Date.now() - started,
  };
}

function toNumberOrNaN(value: number | string | null): number {
  return typeof value === 'number' ? value : Number.NaN;
}

/** What the sample (or a pilot) showed, in the shape `sampleWarnings` takes. */
function pilotInfo(fields: readonly FieldResult[]): PilotInfo {
  return {
    numeric: fields.flatMap((f) =>
      f.numeric
        ? [
            {
              field: f.field,
              count: f.numeric.stats.count,
              mean: f.numeric.stats.mean,
              std: f.numeric.stats.std,
              skewness: f.numeric.stats.skewness,
              kurtosis: f.numeric.stats.kurtosis,
            },
          ]
        : [],
    ),
    categorical: fields.flatMap((f) =>
      f.categorical
        ? [
            {
              field: f.field,
              pilotSize: f.categorical.count + f.categorical.missing,
              frequencies: f.categorical.frequencies,
            },
          ]
        : [],
    ),
  };
}

/** Plans a sample by offset: random, with replacement, systematic, stratified by partition or time. */
async function planOffsets(
  reader: LogReader,
  topic: string,
  input: SampleInput,
  ranges: PartitionRange[],
  extractors: readonly FieldExtractor[],
  signal?: AbortSignal,
): Promise<Planned> {
  const seed = input.seed;
  if (input.strategy === 'reservoir') {
    throw new Error('a reservoir sample tails the topic: it has no offsets to plan');
  }
  if (input.strategy !== 'stratified') {
    return {
      plan: planSample({ strategy: input.strategy, ranges, size: input.size, seed }),
      ranges,
      stratumOf: null,
    };
  }
  let strata: StratumRanges[];
  if (input.strata?.by === 'time') {
    strata = (
      await timeBucketStrata(reader, topic, ranges, input.strata.buckets, {
        startTime: input.range?.startTime,
        endTime: input.range?.endTime,
      })
    ).strata;
  } else {
    strata = [...new Map(ranges.map((r) => [r.partition, r])).values()]
      .filter((r) => r.end > r.start)
      .map((r) => ({ id: String(r.partition), ranges: [r] }));
  }
  if (input.allocation === 'neyman') {
    // Neyman needs each stratum's spread: a pilot per stratum, on the first numeric field.
    for (const stratum of strata) {
      const { rows: pilot } = await pilotRows(
        reader,
        topic,
        stratum.ranges,
        extractors,
        `${String(seed)}:pilot:${stratum.id}`,
        Math.ceil(PILOT_SIZE / strata.length) + 2,
        signal,
      );
      const column = pilot.values.find((values, i) =>
        isNumericField(input.fields[i]!, values, input.parseStrings),
      );
      const std = column ? describeNumeric(column, { parseStrings: input.parseStrings }).std : null;
      if (std !== null) stratum.std = std;
    }
    if (strata.some((s) => s.std === undefined)) {
      // A stratum without a spread estimate cannot be Neyman-allocated: give every stratum the mean spread.
      const known = strata.flatMap((s) => (s.std === undefined ? [] : [s.std]));
      const fallback = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 1;
      for (const s of strata) s.std ??= fallback;
    }
  }
  const plan = planSample({
    strategy: 'stratified',
    strata,
    size: input.size,
    allocation: input.allocation,
    seed,
  });
  const owner = new Map<string, string>();
  for (const stratum of plan.strata ?? []) {
    for (const { partition, offsets } of stratum.partitions) {
      for (const offset of offsets) owner.set(`${partition}:${offset}`, stratum.id);
    }
  }
  return { plan, ranges, stratumOf: (p, o) => owner.get(`${p}:${o}`) ?? null };
}

/** A small simple random sample: the rows' values per field. */
async function pilotRows(
  reader: LogReader,
  topic: string,
  ranges: readonly PartitionRange[],
  extractors: readonly FieldExtractor[],
  seed: string,
  size: number,
  signal?: AbortSignal,
): Promise<{ rows: Rows; read: ReadStats }> {
  const rows = new Rows(extractors);
  const plan = planSample({ strategy: 'random', ranges: [...ranges], size, seed });
  const read = await readOffsets(
    reader,
    topic,
    plan.partitions,
    (p, o, record) => {
      if (record) rows.add(p, o, record, null);
    },
    signal ? { signal } : {},
  );
  return { rows, read };
}

/** Draws distinct units of a population in a uniformly random order, a few at a time. */
class RandomOrder {
  private readonly drawn = new Set<number>();
  constructor(
    private readonly population: OffsetPopulation,
    private readonly prng: Prng,
  ) {}

  get remaining(): number {
    return this.population.size - this.drawn.size;
  }

  /** The next `count` units (fewer when the population runs out), in draw order. */
  next(count: number): { partition: number; offset: number }[] {
    const units: { partition: number; offset: number }[] = [];
    const N = this.population.size;
    while (units.length < count && this.drawn.size < N) {
      let unit = this.prng.nextInt(N);
      // Rejection keeps the order uniform; past half the population, walk to the next free unit
      // from a random start (slightly less uniform, and only when nearly everything is read).
      if (this.drawn.has(unit) && this.drawn.size > N / 2) {
        while (this.drawn.has(unit)) unit = (unit + 1) % N;
      }
      if (this.drawn.has(unit)) continue;
      this.drawn.add(unit);
      units.push(this.population.locate(unit));
    }
    return units;
  }
}

/** Reads `units` and hands back each one's record (or null) in the units' own order. */
async function readInOrder(
  reader: LogReader,
  topic: string,
  units: readonly { partition: number; offset: number }[],
  signal: AbortSignal,
  stats: ReadStats,
): Promise<(RawRecord | null)[]> {
  const byPartition = new Map<number, number[]>();
  for (const u of units) {
    const list = byPartition.get(u.partition) ?? [];
    list.push(u.offset);
    byPartition.set(u.partition, list);
  }
  const found = new Map<string, RawRecord | null>();
  const plan = [...byPartition.entries()].map(([partition, offsets]) => ({
    partition,
    offsets: offsets.sort((a, b) => a - b),
  }));
  const read = await readOffsets(
    reader,
    topic,
    plan,
    (p, o, record) => found.set(`${p}:${o}`, record),
    { signal },
  );
  stats.fetches += read.fetches;
  stats.requests += read.requests;
  stats.recordsRead += read.recordsRead;
  stats.emptyOffsets += read.emptyOffsets;
  stats.recordsFetched += read.recordsFetched;
  stats.recordsPerBatch = Math.max(stats.recordsPerBatch, read.recordsPerBatch);
  return units.map((u) => found.get(`${u.partition}:${u.offset}`) ?? null);
}

/** Stratified by key or by a field's value: pilot, allocate, then fill quotas in random order. */
async function quotaSample(
  reader: LogReader,
  topic: string,
  input: SampleInput,
  ranges: PartitionRange[],
  rows: Rows,
  context: EdaJobContext,
): Promise<{
  read: ReadStats;
  populationSize: number;
  plannedSize: number;
  strata: Map<string, { populationSize: number; planned: number }>;
}> {
  const strataSpec = input.strata!;
  const stratumField = strataSpec.by === 'field' ? strataSpec.field : 'key';
  const stratumExtractor = [fieldExtractor(stratumField, 'body.strata.field')];
  const stratumOf = (record: RawRecord): string => {
    const category = categoryOf(extractFields(record, stratumExtractor)[0]);
    return category === null ? '(missing)' : String(category);
  };
  const population = new OffsetPopulation(ranges);
  const order = new RandomOrder(population, toPrng(input.seed));
  const stats = emptyReadStats();
  const budget = Math.min(population.size, Math.max(2000, input.size * QUOTA_READ_FACTOR));
  let drawn = 0;

  // The pilot: the first records of the random order.
  const pilotUnits = order.next(Math.min(budget, Math.max(PILOT_SIZE, Math.ceil(input.size / 5))));
  drawn += pilotUnits.length;
  const pilotRecords = await readInOrder(reader, topic, pilotUnits, context.signal, stats);
  const pilotStrata = new Map<string, { count: number; values: unknown[] }>();
  const numericIndex = 0;
  const firstExtractor = [fieldExtractor(input.fields[numericIndex]!)];
  for (const record of pilotRecords) {
    if (!record) continue;
    const id = stratumOf(record);
    const entry = pilotStrata.get(id) ?? { count: 0, values: [] };
    entry.count++;
    entry.values.push(extractFields(record, firstExtractor)[0]);
    pilotStrata.set(id, entry);
  }
  const allocation = allocateFromPilot({
    total: input.size,
    populationSize: population.size,
    method: input.allocation,
    pilot: [...pilotStrata.entries()].map(([id, entry]) => {
      const std = describeNumeric(entry.values, { parseStrings: input.parseStrings }).std;
      return { id, count: entry.count, ...(std !== null && std > 0 ? { std } : { std: 1e-9 }) };
    }),
  });
  const quota = new Map(allocation.map((a) => [a.id, a.target]));
  const plannedSize = allocation.reduce((sum, a) => sum + a.target, 0);
  const taken = new Map<string, number>();
  const offer = (unit: { partition: number; offset: number }, record: RawRecord | null): void => {
    if (!record) return;
    const id = stratumOf(record);
    const have = taken.get(id) ?? 0;
    if (have >= (quota.get(id) ?? 0)) return;
    taken.set(id, have + 1);
    rows.add(unit.partition, unit.offset, record, id);
  };
  pilotUnits.forEach((unit, i) => offer(unit, pilotRecords[i]!));
  const open = () => allocation.some((a) => (taken.get(a.id) ?? 0) < a.target);
  while (open() && drawn < budget && order.remaining > 0) {
    context.signal.throwIfAborted();
    const missingCount = allocation.reduce(
      (sum, a) => sum + Math.max(0, a.target - (taken.get(a.id) ?? 0)),
      0,
    );
    const units = order.next(Math.min(budget - drawn, Math.max(500, missingCount * 2)));
    drawn += units.length;
    const records = await readInOrder(reader, topic, units, context.signal, stats);
    units.forEach((unit, i) => offer(unit, records[i]!));
    context.progress(rows.size, {
      total: plannedSize,
      message: `Filling strata (${drawn} offsets read)`,
    });
  }
  return {
    read: stats,
    populationSize: population.size,
    plannedSize,
    strata: new Map(
      allocation.map((a) => [
        a.id,
        { populationSize: Math.round(a.estimatedSize), planned: a.target },
      ]),
    ),
  };
}

/** What a sample would do, and what may make it mislead, before it runs. */
export async function previewSample(
  reader: LogReader,
  topic: string,
  input: SampleInput,
  signal?: AbortSignal,
): Promise<SamplePreview> {
  if (input.strategy === 'reservoir') {
    // What is there now shows the fields and their shape; the population is yet to arrive.
    const now = await previewSample(reader, topic, { ...input, strategy: 'random' }, signal);
    return {
      ...now,
      populationSize: 0,
      plannedSize: input.size,
      expectedBatches: null,
      warnings: now.warnings.filter((w) => w.field !== undefined),
    };
  }
  const extractors = input.fields.map((field, i) => fieldExtractor(field, `body.fields.${i}`));
  const ranges = await resolveRanges(reader, topic, input.range);
  const population = new OffsetPopulation(ranges);
  const pilotSeed = `${String(input.seed)}:preview`;
  const { rows: pilot, read: pilotRead } = await pilotRows(
    reader,
    topic,
    ranges,
    extractors,
    pilotSeed,
    PILOT_SIZE,
    signal,
  );
  const pilotFields = input.fields.map((field, i) => summarizeField(field, pilot.values[i]!, {}));
  let strata: SamplePreview['strata'] = [];
  let plannedSize = Math.min(
    input.size,
    input.strategy === 'random-with-replacement' ? input.size : population.size,
  );
  const pilotStrata: { id: string; count: number }[] = [];
  if (input.strategy === 'stratified') {
    if (input.strata?.by === 'key' || input.strata?.by === 'field') {
      const extractor = fieldExtractor(input.strata.by === 'field' ? input.strata.field : 'key');
      const counts = new Map<string, number>();
      // The same pilot (same seed), read again for the stratum's column.
      const { rows: stratumRows } = await pilotRows(
        reader,
        topic,
        ranges,
        [extractor],
        pilotSeed,
        PILOT_SIZE,
        signal,
      );
      for (const value of stratumRows.values[0]!) {
        const category = categoryOf(value);
        const id = category === null ? '(missing)' : String(category);
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      const allocation = allocateFromPilot({
        total: input.size,
        populationSize: population.size,
        method: input.allocation === 'neyman' ? 'proportional' : input.allocation,
        pilot: [...counts.entries()].map(([id, count]) => ({ id, count })),
      });
      strata = allocation.map((a) => ({
        id: a.id,
        populationSize: Math.round(a.estimatedSize),
        size: a.target,
      }));
      pilotStrata.push(...[...counts.entries()].map(([id, count]) => ({ id, count })));
    } else {
      const planned = await planOffsets(
        reader,
        topic,
        { ...input, allocation: input.allocation === 'neyman' ? 'proportional' : input.allocation },
        ranges,
        extractors,
        signal,
      );
      strata = (planned.plan.strata ?? []).map((s) => ({
        id: s.id,
        populationSize: s.populationSize,
        size: s.size,
      }));
      plannedSize = planned.plan.size;
    }
  }
  const recordsPerBatch = pilotRead.recordsPerBatch > 0 ? pilotRead.recordsPerBatch : null;
  const warnings = sampleWarnings(
    {
      populationSize: population.size,
      size: input.size,
      withReplacement: input.strategy === 'random-with-replacement',
      ...(strata.length ? { strata } : {}),
    },
    {
      ...pilotInfo(pilotFields),
      ...(pilotStrata.length ? { strata: pilotStrata, pilotSize: pilot.size } : {}),
      ...(recordsPerBatch ? { recordsPerBatch } : {}),
    },
  ) as SampleWarningOut[];
  return {
    populationSize: population.size,
    plannedSize,
    ranges,
    strata,
    expectedBatches: recordsPerBatch
      ? expectedBatchesRead({
          populationSize: population.size,
          sampleSize: plannedSize,
          recordsPerBatch,
          withReplacement: input.strategy === 'random-with-replacement',
        }).expectedBatches
      : null,
    pilotSize: pilot.size,
    warnings,
    suggestedFields: pilot.suggester.suggestions(),
  };
}
