/**
 * Statistics of a categorical field: exact frequencies, distinct count and mode, with a
 * Wilson interval for each category's proportion. `CategoryCounter` is the streaming form for
 * full scans: exact counts in memory bounded by `maxDistinct`; past that, values not already
 * tracked are counted together as `untracked` and `distinctExceeded` is set (the distinct
 * count is then a lower bound, and the tracked counts stay exact).
 *
 * Categories are strings, numbers and booleans, compared by type and value (`1` and `"1"` are
 * different categories). null, undefined and NaN are missing. Objects and arrays are
 * categorised by their JSON text.
 */

import { proportionConfidenceInterval, type PopulationOptions } from './intervals';

export type CategoryValue = string | number | boolean;

export interface CategoryFrequency {
  value: CategoryValue;
  count: number;
  /** count / (values that were not missing). */
  proportion: number;
  /** Wilson interval for the category's proportion in the population. */
  ci95: { low: number; high: number; marginOfError: number } | null;
}

export interface CategoricalStats {
  /** Values that were not missing. */
  count: number;
  missing: number;
  /** Distinct categories seen (a lower bound when `distinctExceeded`). */
  distinct: number;
  distinctExceeded: boolean;
  /** Values of categories seen after `maxDistinct` was reached. */
  untracked: number;
  /** Most frequent category (first seen among ties); null if none. */
  mode: CategoryValue | null;
  modeCount: number;
  /** Categories by count, descending (ties: first seen first), at most `top` of them. */
  frequencies: CategoryFrequency[];
  /** Values in categories beyond `top`. */
  otherCount: number;
}

export interface CategoricalOptions extends Omit<PopulationOptions, 'level'> {
  /** Most distinct categories to track (default 10,000). */
  maxDistinct?: number;
  /** Most categories to list in `frequencies` (default: all tracked). */
  top?: number;
}

/** A value as a category, or null if it is missing. */
export function categoryOf(value: unknown): CategoryValue | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isNaN(value) ? null : value;
    case 'bigint':
      return value.toString();
    case 'undefined':
      return null;
    case 'object':
      return value === null ? null : JSON.stringify(value);
    default:
      return String(value);
  }
}

export class CategoryCounter {
  private readonly counts = new Map<CategoryValue, number>();
  private readonly maxDistinct: number;
  missing = 0;
  untracked = 0;

  constructor(maxDistinct = 10_000) {
    if (!Number.isSafeInteger(maxDistinct) || maxDistinct < 1) {
      throw new RangeError(`maxDistinct must be a positive integer, got ${maxDistinct}`);
    }
    this.maxDistinct = maxDistinct;
  }

  /** Counts one value (missing values are counted as missing). */
  add(value: unknown): void {
    const category = categoryOf(value);
    if (category === null) this.missing++;
    else this.addCategory(category, 1);
  }

  /** Adds another counter's counts to this one. */
  merge(other: CategoryCounter): this {
    this.missing += other.missing;
    this.untracked += other.untracked;
    for (const [category, count] of other.counts) this.addCategory(category, count);
    return this;
  }

  get distinctExceeded(): boolean {
    return this.untracked > 0;
  }

  /** The count of one category (0 if unseen or untracked). */
  countOf(value: CategoryValue): number {
    return this.counts.get(value) ?? 0;
  }

  result(options: CategoricalOptions = {}): CategoricalStats {
    let tracked = 0;
    for (const count of this.counts.values()) tracked += count;
    const count = tracked + this.untracked;
    // Map iteration order is first-seen order, and the sort is stable, so ties keep it.
    const sorted = [...this.counts.entries()].sort((a, b) => b[1] - a[1]);
    const top = options.top ?? sorted.length;
    const listed = sorted.slice(0, top);
    const [modeEntry] = sorted;
    return {
      count,
      missing: this.missing,
      distinct: this.counts.size,
      distinctExceeded: this.distinctExceeded,
      untracked: this.untracked,
      mode: modeEntry ? modeEntry[0] : null,
      modeCount: modeEntry ? modeEntry[1] : 0,
      frequencies: listed.map(([value, n]) => {
        const interval = proportionConfidenceInterval({
          successes: n,
          n: count,
          level: 0.95,
          ...(options.populationSize === undefined
            ? {}
            : { populationSize: options.populationSize }),
          ...(options.withReplacement === undefined
            ? {}
            : { withReplacement: options.withReplacement }),
        });
        return {
          value,
          count: n,
          proportion: n / count,
          ci95: interval && {
            low: interval.low,
            high: interval.high,
            marginOfError: interval.marginOfError,
          },
        };
      }),
      otherCount: sorted.slice(top).reduce((sum, [, n]) => sum + n, 0),
    };
  }

  private addCategory(category: CategoryValue, count: number): void {
    const current = this.counts.get(category);
    if (current !== undefined) this.counts.set(category, current + count);
    else if (this.counts.size < this.maxDistinct) this.counts.set(category, count);
    else this.untracked += count;
  }
}

/** Frequencies of a sample's values (see `CategoryCounter` for the rules). */
export function frequencies(
  values: Iterable<unknown>,
  options: CategoricalOptions = {},
): CategoricalStats {
  const counter = new CategoryCounter(options.maxDistinct);
  for (const value of values) counter.add(value);
  return counter.result(options);
}
