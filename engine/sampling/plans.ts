/**
 * Sampling plans over offset ranges: pure functions that decide WHICH offsets to read, before
 * anything is read. Each takes a seed and returns the same plan for the same seed; each uses
 * memory proportional to the sample, never to the range (a range of 10^12 offsets costs
 * nothing). Offsets come back ascending per partition, so a reader fetches batches in order
 * and reuses a batch for every sampled offset it holds.
 *
 * What each plan guarantees (N = offsets in the ranges, n = sample size):
 *
 * | plan | guarantee |
 * |---|---|
 * | `randomSample` | simple random sampling without replacement: every subset of n distinct offsets is equally likely, so each offset is included with probability n/N and no offset repeats |
 * | `randomSampleWithReplacement` | n independent draws, each uniform over all N offsets; an offset may repeat (listed once per draw) |
 * | `systematicSample` | every k-th offset (k = N/n, fractional k allowed) from a uniformly random start: exactly n offsets, each with inclusion probability n/N; NOT a simple random sample — neighbours are never both picked, and a period in the data that matches k biases it |
 * | `stratifiedSample` | an independent simple random sample of n_h offsets in each stratum, with n_h from `allocate`; each offset of stratum h is included with probability n_h/N_h |
 */

import { allocate, type AllocationMethod } from './allocation';
import { toPrng, type Prng, type Seed } from './prng';
import {
  mergePartitionOffsets,
  OffsetPopulation,
  type PartitionOffsets,
  type PartitionRange,
} from './ranges';

export type SampleStrategy = 'random' | 'random-with-replacement' | 'systematic' | 'stratified';

export interface SamplePlan {
  strategy: SampleStrategy;
  /** N: the number of offsets in the ranges. */
  populationSize: number;
  /** The size the caller asked for. */
  requestedSize: number;
  /** n: offsets in the plan, counting repeats (≤ N without replacement). */
  size: number;
  withReplacement: boolean;
  /**
   * The chance that a given offset is in the sample, where every offset has the same chance
   * (n/N, or 1/k for a fixed step); for with-replacement, the expected number of times an
   * offset is drawn (n/N). Absent for stratified plans: see each stratum's.
   */
  inclusionProbability?: number;
  /** What to read: offsets ascending per partition, partitions ascending. */
  partitions: PartitionOffsets[];
  /** For stratified plans: each stratum's share of the plan. */
  strata?: StratumPlan[];
}

export interface StratumPlan {
  id: string;
  /** N_h */
  populationSize: number;
  /** n_h */
  size: number;
  /** n_h / N_h: the stratum's sampling fraction (0 for an empty stratum). */
  inclusionProbability: number;
  partitions: PartitionOffsets[];
}

/** A stratum defined by the offsets it spans (a partition, or a time bucket's offset ranges). */
export interface StratumRanges {
  id: string;
  ranges: PartitionRange[];
  /** The stratum's standard deviation from a pilot, for Neyman allocation. */
  std?: number;
}

/**
 * Simple random sample of `size` distinct offsets (all of them if `size` ≥ N), uniform over
 * every offset in the ranges across partitions. Robert Floyd's algorithm (Bentley & Floyd,
 * "A sample of brilliance", CACM 1987) draws exactly n random integers and keeps one set of
 * n, so the plan costs O(n log n) time and O(n) memory whatever N is.
 */
export function randomSample(params: {
  ranges: readonly PartitionRange[];
  size: number;
  seed: Seed | Prng;
}): SamplePlan {
  const population = new OffsetPopulation(params.ranges);
  const requestedSize = checkSize(params.size);
  const n = Math.min(requestedSize, population.size);
  const units = floydSample(population.size, n, toPrng(params.seed));
  return {
    strategy: 'random',
    populationSize: population.size,
    requestedSize,
    size: n,
    withReplacement: false,
    inclusionProbability: population.size === 0 ? 0 : n / population.size,
    partitions: population.toPartitionOffsets(units),
  };
}

/** `size` independent uniform draws over all offsets; repeats are listed once per draw. */
export function randomSampleWithReplacement(params: {
  ranges: readonly PartitionRange[];
  size: number;
  seed: Seed | Prng;
}): SamplePlan {
  const population = new OffsetPopulation(params.ranges);
  const requestedSize = checkSize(params.size);
  const n = population.size === 0 ? 0 : requestedSize;
  const prng = toPrng(params.seed);
  const units = new Float64Array(n);
  for (let i = 0; i < n; i++) units[i] = prng.nextInt(population.size);
  return {
    strategy: 'random-with-replacement',
    populationSize: population.size,
    requestedSize,
    size: n,
    withReplacement: true,
    inclusionProbability: population.size === 0 ? 0 : n / population.size,
    partitions: population.toPartitionOffsets(units),
  };
}

/**
 * Systematic sample over the ranges in (partition, offset) order.
 *
 * With `size` n: the interval is k = N/n (a fraction in general) and the picks are
 * ⌊u + i·k⌋ for i = 0…n−1, u uniform on [0, k) — exactly n offsets, each with inclusion
 * probability n/N. With `step` k (an integer): every k-th offset from a start uniform on
 * [0, k), each offset with probability 1/k; the count is ⌊N/k⌋ or ⌈N/k⌉.
 *
 * Because the walk is in partition order, the sample is also spread over partitions in
 * proportion to their sizes (within one offset). Cheap to read (evenly spaced batches), but
 * a pattern in the data with period k (say, a producer that round-robins k message types)
 * lines up with it; prefer `randomSample` when that is possible.
 */
export function systematicSample(params: {
  ranges: readonly PartitionRange[];
  size?: number;
  step?: number;
  seed: Seed | Prng;
}): SamplePlan {
  const population = new OffsetPopulation(params.ranges);
  const N = population.size;
  const prng = toPrng(params.seed);
  let units: Float64Array;
  let requestedSize: number;
  let inclusionProbability: number;
  if (params.step !== undefined) {
    if (params.size !== undefined) throw new RangeError('give systematicSample a size or a step');
    const step = params.step;
    if (!Number.isSafeInteger(step) || step < 1) {
      throw new RangeError(`step must be a positive integer, got ${step}`);
    }
    const start = N === 0 ? 0 : prng.nextInt(step);
    const count = start >= N ? 0 : Math.floor((N - 1 - start) / step) + 1;
    units = new Float64Array(count);
    for (let i = 0; i < count; i++) units[i] = start + i * step;
    requestedSize = count;
    inclusionProbability = N === 0 ? 0 : 1 / step;
  } else {
    if (params.size === undefined) throw new RangeError('give systematicSample a size or a step');
    requestedSize = checkSize(params.size);
    const n = Math.min(requestedSize, N);
    if (n > 0 && N - 1 + (n - 1) * (n - 1) > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`a systematic sample of ${n} from ${N} is too large to compute exactly`);
    }
    units = new Float64Array(n);
    if (n > 0) {
      // Pick i is ⌊(u + i·N)/n⌋ with u uniform on the integers [0, N): the fractional-interval
      // method on a lattice fine enough that every offset's chance is exactly n/N. Written as
      // i·q + ⌊(u + i·r)/n⌋ (N = q·n + r) so every intermediate stays below 2^53.
      const q = Math.floor(N / n);
      const r = N - q * n;
      const u = prng.nextInt(N);
      for (let i = 0; i < n; i++) units[i] = i * q + Math.floor((u + i * r) / n);
    }
    inclusionProbability = N === 0 ? 0 : n / N;
  }
  return {
    strategy: 'systematic',
    populationSize: N,
    requestedSize,
    size: units.length,
    withReplacement: false,
    inclusionProbability,
    partitions: population.toPartitionOffsets(units),
  };
}

/**
 * Stratified random sample: `size` is allocated among the strata by `allocation` (exact
 * integers summing to min(size, N); see `allocate`), then a simple random sample without
 * replacement of n_h offsets is drawn independently in each stratum (Floyd's algorithm).
 *
 * Strata are given as offset ranges: by partition (`strataByPartition`), or by time bucket
 * once each bucket's boundaries are turned into offsets (ListOffsets by timestamp). Strata
 * known only from a record's content (key, a field's value) cannot be planned by offset: use
 * `allocateFromPilot` and a `StratifiedReservoir` instead.
 *
 * Estimates for the whole population must weight stratum h by N_h/N unless the allocation is
 * proportional (engine/stats `stratifiedMean` does this).
 */
export function stratifiedSample(params: {
  strata: readonly StratumRanges[];
  size: number;
  allocation: AllocationMethod;
  seed: Seed | Prng;
  /** See `AllocationOptions.minimum`. */
  minimumPerStratum?: number;
}): SamplePlan {
  const requestedSize = checkSize(params.size);
  const populations = params.strata.map((stratum) => new OffsetPopulation(stratum.ranges));
  assertDisjointStrata(params.strata);
  const allocation = allocate(
    requestedSize,
    params.strata.map((stratum, h) => ({
      id: stratum.id,
      size: populations[h]!.size,
      ...(stratum.std === undefined ? {} : { std: stratum.std }),
    })),
    params.allocation,
    params.minimumPerStratum === undefined ? {} : { minimum: params.minimumPerStratum },
  );
  const prng = toPrng(params.seed);
  const strata: StratumPlan[] = params.strata.map((stratum, h) => {
    const population = populations[h]!;
    const n = allocation[h]!.target;
    return {
      id: stratum.id,
      populationSize: population.size,
      size: n,
      inclusionProbability: population.size === 0 ? 0 : n / population.size,
      partitions: population.toPartitionOffsets(floydSample(population.size, n, prng)),
    };
  });
  return {
    strategy: 'stratified',
    populationSize: strata.reduce((total, stratum) => total + stratum.populationSize, 0),
    requestedSize,
    size: strata.reduce((total, stratum) => total + stratum.size, 0),
    withReplacement: false,
    partitions: mergePartitionOffsets(strata.flatMap((stratum) => stratum.partitions)),
    strata,
  };
}

/** One stratum per partition (id = the partition number as a string). */
export function strataByPartition(ranges: readonly PartitionRange[]): StratumRanges[] {
  const byPartition = new Map<number, PartitionRange[]>();
  for (const range of ranges) {
    const list = byPartition.get(range.partition) ?? [];
    list.push({ ...range });
    byPartition.set(range.partition, list);
  }
  return [...byPartition.entries()]
    .sort(([a], [b]) => a - b)
    .map(([partition, list]) => ({ id: String(partition), ranges: list }));
}

/** Every planning request the engine's sample job can make, as one discriminated union. */
export type SampleSpec =
  | { strategy: 'random'; ranges: PartitionRange[]; size: number; seed: Seed }
  | { strategy: 'random-with-replacement'; ranges: PartitionRange[]; size: number; seed: Seed }
  | { strategy: 'systematic'; ranges: PartitionRange[]; size?: number; step?: number; seed: Seed }
  | {
      strategy: 'stratified';
      /** Strata as offset ranges; omit to stratify `ranges` by partition. */
      strata?: StratumRanges[];
      ranges?: PartitionRange[];
      size: number;
      allocation: AllocationMethod;
      minimumPerStratum?: number;
      seed: Seed;
    };

/** Plans a sample from a spec (the shape the API's sample request maps onto). */
export function planSample(spec: SampleSpec): SamplePlan {
  switch (spec.strategy) {
    case 'random':
      return randomSample(spec);
    case 'random-with-replacement':
      return randomSampleWithReplacement(spec);
    case 'systematic':
      return systematicSample(spec);
    case 'stratified': {
      const strata = spec.strata ?? strataByPartition(spec.ranges ?? []);
      return stratifiedSample({ ...spec, strata });
    }
    default:
      throw new RangeError(`unknown strategy ${String((spec as { strategy: unknown }).strategy)}`);
  }
}

/**
 * Floyd's algorithm: a uniformly random n-subset of {0, …, N−1} from exactly n draws. For
 * j = N−n … N−1 it draws t uniform on [0, j] and adds t, or j if t is already in the set; by
 * induction each step leaves every subset of the values seen so far equally likely.
 */
export function floydSample(populationSize: number, n: number, prng: Prng): Set<number> {
  if (!Number.isSafeInteger(n) || n < 0 || n > populationSize) {
    throw new RangeError(`cannot draw ${n} distinct units from ${populationSize}`);
  }
  const chosen = new Set<number>();
  for (let j = populationSize - n; j < populationSize; j++) {
    const t = prng.nextInt(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return chosen;
}

function checkSize(size: number): number {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`sample size must be a non-negative integer, got ${size}`);
  }
  return size;
}

function assertDisjointStrata(strata: readonly StratumRanges[]): void {
  // Overlapping strata would give shared offsets two chances; OffsetPopulation checks the
  // union for overlaps.
  const union = strata.flatMap((stratum) => stratum.ranges);
  try {
    new OffsetPopulation(union);
  } catch (error) {
    throw new RangeError(`strata must not overlap: ${(error as Error).message}`, { cause: error });
  }
}
