/**
 * Reservoir sampling: a uniform sample of fixed size k from a stream whose length is not known
 * in advance (a live tail, or a scan whose strata appear as it goes), in O(k) memory.
 *
 * Guarantee: after any number t of offers, the reservoir holds min(k, t) of the items offered,
 * and every k-subset of them is equally likely (so each item is kept with probability k/t).
 * The result depends only on the seed and the sequence of offers.
 *
 * - Algorithm R (Vitter 1985, credited to Waterman) draws one random number per item.
 * - Algorithm L (Li, "Reservoir-sampling algorithms of time complexity O(n(1 + log(N/n)))",
 *   ACM TOMS 1994) draws how many items to skip before the next replacement, so it uses
 *   O(k(1 + log(t/k))) random numbers — a long tail costs almost nothing. The default.
 */

import { toPrng, type Prng, type Seed } from './prng';

export type ReservoirAlgorithm = 'L' | 'R';

export class Reservoir<T> {
  private readonly kept: T[] = [];
  private readonly prng: Prng;
  private count = 0;
  /** Algorithm L: the 1-based index of the next item to take, and the running W. */
  private nextIndex = 0;
  private w = 1;

  constructor(
    readonly capacity: number,
    seed: Seed | Prng,
    readonly algorithm: ReservoirAlgorithm = 'L',
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new RangeError(`reservoir capacity must be a non-negative integer, got ${capacity}`);
    }
    this.prng = toPrng(seed);
  }

  /** Items offered so far. */
  get seen(): number {
    return this.count;
  }

  /** Whether the reservoir holds `capacity` items (later offers replace, not add). */
  get full(): boolean {
    return this.kept.length >= this.capacity;
  }

  /** Offers the next item of the stream; returns whether it went into the reservoir. */
  offer(item: T): boolean {
    this.count++;
    const k = this.capacity;
    if (k === 0) return false;
    if (this.count <= k) {
      this.kept.push(item);
      if (this.count === k && this.algorithm === 'L') {
        this.w = Math.exp(Math.log(this.prng.nextOpenFloat()) / k);
        this.skip();
      }
      return true;
    }
    if (this.algorithm === 'R') {
      const j = this.prng.nextInt(this.count);
      if (j >= k) return false;
      this.kept[j] = item;
      return true;
    }
    if (this.count !== this.nextIndex) return false;
    this.kept[this.prng.nextInt(k)] = item;
    this.w *= Math.exp(Math.log(this.prng.nextOpenFloat()) / k);
    this.skip();
    return true;
  }

  /** A copy of the items kept, in reservoir slot order (not stream order). */
  items(): T[] {
    return [...this.kept];
  }

  private skip(): void {
    // Skip ⌊log(u)/log(1−W)⌋ items; the one after them is the next to take. When W underflows
    // to 0 the skip is infinite, which is the right limit.
    const gap = Math.floor(Math.log(this.prng.nextOpenFloat()) / Math.log1p(-this.w));
    this.nextIndex = this.count + (Number.isFinite(gap) ? gap : Infinity) + 1;
  }
}

export interface StratumReservoirResult<T> {
  id: string;
  /** Items of this stratum offered. */
  seen: number;
  /** The stratum's reservoir size (its target). */
  capacity: number;
  /** A uniform sample without replacement of min(capacity, seen) of the stratum's items. */
  items: T[];
}

/**
 * One reservoir per stratum, for strata discovered while reading (a key, a time bucket, a
 * categorical field's value). Each stratum's items are a uniform sample of that stratum's
 * items offered, of size min(target, seen) — the stratified-sampling guarantee, for strata
 * that cannot be located by offset in advance.
 *
 * Targets usually come from `allocateFromPilot`; a stratum with no target gets
 * `defaultCapacity` (0 = count it, keep nothing). At most `maxStrata` strata are tracked;
 * items of further strata are counted in `untrackedItems` and `strataExceeded` is set, so
 * memory stays bounded by Σ targets + maxStrata·defaultCapacity whatever the key space.
 *
 * Offered a full scan (or a simple random sample), the result is a stratified sample. When the
 * offers come in random order (a random sample in draw order), `allFull()` tells a reader it
 * may stop early without biasing any stratum.
 */
export class StratifiedReservoir<T> {
  private readonly reservoirs = new Map<string, Reservoir<T>>();
  private readonly prng: Prng;
  private readonly targets: ReadonlyMap<string, number>;
  private readonly defaultCapacity: number;
  private readonly maxStrata: number;
  private readonly algorithm: ReservoirAlgorithm;
  /** Items that belonged to strata beyond `maxStrata`. */
  untrackedItems = 0;

  constructor(options: {
    seed: Seed | Prng;
    targets?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
    defaultCapacity?: number;
    maxStrata?: number;
    algorithm?: ReservoirAlgorithm;
  }) {
    this.prng = toPrng(options.seed);
    const targets = options.targets ?? new Map<string, number>();
    this.targets = targets instanceof Map ? targets : new Map(Object.entries(targets));
    this.defaultCapacity = options.defaultCapacity ?? 0;
    this.maxStrata = options.maxStrata ?? 10_000;
    this.algorithm = options.algorithm ?? 'L';
    // Targeted strata come first, in the targets' order, so results are ordered predictably.
    for (const [id, target] of this.targets) {
      this.reservoirs.set(id, new Reservoir<T>(target, this.prng, this.algorithm));
    }
  }

  /** Whether a stratum was dropped because more than `maxStrata` strata appeared. */
  get strataExceeded(): boolean {
    return this.untrackedItems > 0;
  }

  /** Offers an item of `stratum`; returns whether it is now in that stratum's sample. */
  offer(stratum: string, item: T): boolean {
    let reservoir = this.reservoirs.get(stratum);
    if (!reservoir) {
      if (this.reservoirs.size >= this.maxStrata) {
        this.untrackedItems++;
        return false;
      }
      reservoir = new Reservoir<T>(this.defaultCapacity, this.prng, this.algorithm);
      this.reservoirs.set(stratum, reservoir);
    }
    return reservoir.offer(item);
  }

  /** Whether every targeted stratum has reached its target. */
  allFull(): boolean {
    for (const id of this.targets.keys()) {
      if (!this.reservoirs.get(id)!.full) return false;
    }
    return true;
  }

  /** Every stratum seen or targeted, targeted ones first, then in order of first appearance. */
  strata(): StratumReservoirResult<T>[] {
    return [...this.reservoirs.entries()].map(([id, reservoir]) => ({
      id,
      seen: reservoir.seen,
      capacity: reservoir.capacity,
      items: reservoir.items(),
    }));
  }
}
