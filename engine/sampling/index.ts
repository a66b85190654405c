/**
 * Sampling: which offsets to read, decided by pure functions that are reproducible from a seed
 * and use memory proportional to the sample, never to the range. No I/O here (lint enforces
 * it): the engine's sample jobs read what a plan lists.
 *
 * - `planSample` / `randomSample` / `randomSampleWithReplacement` / `systematicSample` /
 *   `stratifiedSample`: plans over offset ranges (see plans.ts for each one's guarantee).
 * - `allocate` / `allocateFromPilot`: exact integer stratum allocations (proportional, equal,
 *   Neyman).
 * - `Reservoir` (live tail) and `StratifiedReservoir` (strata found while reading).
 * - `Prng`: the seeded generator every plan uses (xoshiro128**).
 * - `expectedBatchesRead`: how many batches a sample touches, to compare with a full scan.
 */

export { Prng, toPrng, type PrngState, type Seed } from './prng';
export {
  OffsetPopulation,
  mergePartitionOffsets,
  type PartitionOffsets,
  type PartitionRange,
} from './ranges';
export {
  allocate,
  allocateFromPilot,
  type AllocationMethod,
  type AllocationOptions,
  type PilotAllocation,
  type PilotStratum,
  type StratumAllocation,
  type StratumSize,
} from './allocation';
export {
  floydSample,
  planSample,
  randomSample,
  randomSampleWithReplacement,
  strataByPartition,
  stratifiedSample,
  systematicSample,
  type SamplePlan,
  type SampleSpec,
  type SampleStrategy,
  type StratumPlan,
  type StratumRanges,
} from './plans';
export {
  Reservoir,
  StratifiedReservoir,
  type ReservoirAlgorithm,
  type StratumReservoirResult,
} from './reservoir';
export { expectedBatchesRead, type BatchReadEstimate } from './cost';
