/**
 * Allocation of a total sample size n among strata: how many units to draw from each.
 *
 * - `proportional`: n_h ∝ N_h. Every unit has the same chance n/N (a self-weighting sample);
 *   the plain sample mean is unbiased.
 * - `equal`: n_h ∝ 1 ("balanced" sampling, as used to reduce class imbalance in machine
 *   learning). Small strata are over-represented, so population estimates must weight each
 *   stratum by N_h/N (see `stratifiedMean` in engine/stats).
 * - `neyman`: n_h ∝ N_h·S_h, with S_h a stratum's standard deviation from a pilot sample. This
 *   minimises the variance of the stratified mean for a fixed n (Cochran, Sampling Techniques,
 *   3rd ed., §5.5). If every S_h is 0, it falls back to proportional.
 *
 * Every allocation is a vector of integers that sums to exactly min(n, ΣN_h), with
 * 0 ≤ n_h ≤ N_h. Real-valued shares are computed first; a stratum whose share exceeds its size
 * is capped at its size and the excess redistributed among the others by the same rule, until
 * no share exceeds its cap. Shares are then rounded by the largest-remainder (Hamilton)
 * method: each stratum gets the floor of its share, and the units left over go one each to
 * the strata with the largest fractional parts (ties: larger weight, then earlier stratum).
 * The result is deterministic and each n_h is within 1 of its real share.
 */

export type AllocationMethod = 'proportional' | 'equal' | 'neyman';

export interface StratumSize {
  id: string;
  /** N_h: the number of units in the stratum (may be an estimate; rounded down if fractional). */
  size: number;
  /** S_h: the stratum's standard deviation, required for Neyman allocation. */
  std?: number;
}

export interface StratumAllocation {
  id: string;
  /** N_h as used (an integer). */
  size: number;
  /** n_h: the integer number of units to draw. */
  target: number;
  /** The real-valued share before rounding (after capping). */
  share: number;
}

export interface AllocationOptions {
  /**
   * Give every stratum at least min(minimum, N_h) units before allocating the rest by the
   * method (2 lets every stratum estimate its own variance). Throws if n is too small for that.
   */
  minimum?: number;
}

/** Allocates `total` units among `strata` by `method`; see the module comment for the rules. */
export function allocate(
  total: number,
  strata: readonly StratumSize[],
  method: AllocationMethod,
  options: AllocationOptions = {},
): StratumAllocation[] {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new RangeError(`sample size must be a non-negative integer, got ${total}`);
  }
  const minimum = options.minimum ?? 0;
  if (!Number.isSafeInteger(minimum) || minimum < 0) {
    throw new RangeError(`minimum per stratum must be a non-negative integer, got ${minimum}`);
  }
  const ids = new Set<string>();
  const sizes = strata.map((stratum) => {
    if (ids.has(stratum.id)) throw new RangeError(`stratum "${stratum.id}" appears twice`);
    ids.add(stratum.id);
    if (!(stratum.size >= 0) || !Number.isFinite(stratum.size)) {
      throw new RangeError(`stratum "${stratum.id}": size must be >= 0, got ${stratum.size}`);
    }
    return Math.floor(stratum.size);
  });
  const weights = strata.map((stratum, h) => {
    switch (method) {
      case 'proportional':
        return sizes[h]!;
      case 'equal':
        return sizes[h]! > 0 ? 1 : 0;
      case 'neyman': {
        const std = stratum.std;
        if (std === undefined || !(std >= 0) || !Number.isFinite(std)) {
          throw new RangeError(
            `stratum "${stratum.id}": Neyman allocation needs a finite std >= 0, got ${std}`,
          );
        }
        return sizes[h]! * std;
      }
      default:
        throw new RangeError(`unknown allocation method ${String(method)}`);
    }
  });

  const population = sizes.reduce((sum, size) => sum + size, 0);
  const n = Math.min(total, population);
  const base = sizes.map((size) => Math.min(minimum, size));
  const baseTotal = base.reduce((sum, units) => sum + units, 0);
  if (baseTotal > n) {
    throw new RangeError(
      `a minimum of ${minimum} per stratum needs ${baseTotal} units, but the sample has ${n}`,
    );
  }
  const capacity = sizes.map((size, h) => size - base[h]!);
  const shares = distribute(n - baseTotal, capacity, weights, sizes);
  const targets = roundLargestRemainder(n - baseTotal, shares, capacity, weights);
  return strata.map((stratum, h) => ({
    id: stratum.id,
    size: sizes[h]!,
    target: base[h]! + targets[h]!,
    share: base[h]! + shares[h]!,
  }));
}

/**
 * Real shares of `amount` ∝ weights, none above its capacity; excess goes to the rest. If the
 * uncapped strata all have weight 0 (Neyman with zero deviations) the remainder is spread ∝
 * `fallback` (the sizes), so the shares still add up to `amount`.
 */
function distribute(
  amount: number,
  capacity: readonly number[],
  weights: readonly number[],
  fallback: readonly number[],
): number[] {
  const shares = capacity.map(() => 0);
  const open = new Set(capacity.flatMap((cap, h) => (cap > 0 ? [h] : [])));
  let remaining = amount;
  while (remaining > 0 && open.size > 0) {
    let basis = weights;
    let total = sum([...open].map((h) => weights[h]!));
    if (total === 0) {
      basis = fallback;
      total = sum([...open].map((h) => fallback[h]!));
    }
    const over = [...open].filter((h) => (remaining * basis[h]!) / total >= capacity[h]!);
    if (over.length === 0) {
      for (const h of open) shares[h] = (remaining * basis[h]!) / total;
      break;
    }
    for (const h of over) {
      shares[h] = capacity[h]!;
      remaining -= capacity[h]!;
      open.delete(h);
    }
  }
  return shares;
}

function roundLargestRemainder(
  amount: number,
  shares: readonly number[],
  capacity: readonly number[],
  weights: readonly number[],
): number[] {
  const floors = shares.map((share, h) => Math.min(Math.floor(share), capacity[h]!));
  let leftover = amount - sum(floors);
  const order = shares
    .map((share, h) => ({ h, fraction: share - floors[h]! }))
    .filter(({ h }) => floors[h]! < capacity[h]!)
    .sort((a, b) => b.fraction - a.fraction || weights[b.h]! - weights[a.h]! || a.h - b.h);
  // Floating-point error can leave `leftover` a unit above the number of fractional strata;
  // cycling through the ones with room keeps the total exact without exceeding a cap.
  while (leftover > 0 && order.length > 0) {
    for (const { h } of order) {
      if (leftover === 0) break;
      if (floors[h]! < capacity[h]!) {
        floors[h]!++;
        leftover--;
      }
    }
    if (order.every(({ h }) => floors[h]! >= capacity[h]!)) break;
  }
  return floors;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** A stratum as seen in a pilot sample: how many pilot units fell in it, and their spread. */
export interface PilotStratum {
  id: string;
  /** Number of pilot units in this stratum. */
  count: number;
  /** Standard deviation of the field of interest within the stratum (for Neyman). */
  std?: number;
}

export interface PilotAllocation extends StratumAllocation {
  /** N̂_h = N · count_h / pilot size: the estimated number of units in the stratum. */
  estimatedSize: number;
}

/**
 * Allocation for strata that are known only after reading a record (by key, by time bucket, by
 * a categorical field's value). A pilot sample — a simple random sample of the same
 * population — gives each stratum's share of the population and its standard deviation; this
 * estimates each stratum's size as N·count_h/Σcount and allocates `total` among them by
 * `method`. A stratum is never capped below the count the pilot already saw in it. The
 * targets then drive a `StratifiedReservoir` while the population is read.
 *
 * Strata the pilot did not see get nothing; the warnings helper in engine/stats flags strata
 * with few pilot observations, whose estimated sizes (and deviations) are unreliable.
 */
export function allocateFromPilot(params: {
  total: number;
  populationSize: number;
  pilot: readonly PilotStratum[];
  method: AllocationMethod;
  minimum?: number;
}): PilotAllocation[] {
  const { total, populationSize, pilot, method } = params;
  const pilotSize = sum(pilot.map((stratum) => stratum.count));
  if (!(populationSize >= pilotSize)) {
    throw new RangeError(`population ${populationSize} is smaller than the pilot ${pilotSize}`);
  }
  const estimated = pilot.map((stratum) =>
    pilotSize === 0 ? 0 : (populationSize * stratum.count) / pilotSize,
  );
  const allocation = allocate(
    total,
    pilot.map((stratum, h) => ({
      id: stratum.id,
      size: Math.max(stratum.count, Math.round(estimated[h]!)),
      ...(stratum.std === undefined ? {} : { std: stratum.std }),
    })),
    method,
    params.minimum === undefined ? {} : { minimum: params.minimum },
  );
  return allocation.map((entry, h) => ({ ...entry, estimatedSize: estimated[h]! }));
}
