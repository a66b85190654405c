/**
 * A small, seeded pseudo-random number generator: xoshiro128** 1.1 (Blackman and Vigna,
 * https://prng.di.unimi.it/), a 32-bit generator with 128 bits of state, period 2^128 − 1,
 * that passes BigCrush and PractRand. It uses only 32-bit integer operations, which JavaScript
 * does natively (`Math.imul`, `>>>`), so it is fast and bit-identical on every engine.
 *
 * Seeding follows the authors' advice: a 64-bit seed is expanded by SplitMix64 into the four
 * state words. A number seed that is an integer is taken as a 64-bit two's-complement value
 * (so seed 42 here equals seed 42 in the reference C code); any other number by its IEEE-754
 * bits; a string by the 64-bit FNV-1a hash of its UTF-8 bytes. The same seed always gives the
 * same sequence, which is what makes every sampling plan reproducible.
 */

/** What a caller may pass as a seed: the API's `seed` field, as a number or a string. */
export type Seed = number | string;

/** A generator's full state, enough to resume it exactly (four unsigned 32-bit words). */
export type PrngState = readonly [number, number, number, number];

const TWO_32 = 2 ** 32;
const TWO_53 = 2 ** 53;
const MASK_64 = (1n << 64n) - 1n;

export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: Seed) {
    const [a, b, c, d] = seedToState(seed);
    this.s0 = a;
    this.s1 = b;
    this.s2 = c;
    this.s3 = d;
  }

  /** A generator resumed from a state captured with {@link Prng.state}. */
  static fromState(state: PrngState): Prng {
    if (state.every((word) => word >>> 0 === 0)) {
      throw new RangeError('xoshiro128** state must not be all zero');
    }
    const prng = new Prng(0);
    [prng.s0, prng.s1, prng.s2, prng.s3] = state.map((word) => word >>> 0) as [
      number,
      number,
      number,
      number,
    ];
    return prng;
  }

  /** The current state; `Prng.fromState(p.state())` continues exactly where `p` is. */
  state(): PrngState {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /** The next 32 random bits as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float uniform on [0, 1) with 53 random bits (every multiple of 2^−53 equally likely). */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 2 ** 26 + low) / TWO_53;
  }

  /**
   * A float uniform on the open interval (0, 1): the midpoints of the 2^53 cells. For methods
   * that take a logarithm (reservoir skips, inverse-CDF draws) and must never see 0.
   */
  nextOpenFloat(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 2 ** 26 + low + 0.5) / TWO_53;
  }

  /**
   * An integer uniform on [0, bound), exactly (rejection sampling, no modulo bias), for any
   * integer bound in [1, 2^53].
   */
  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > TWO_53) {
      throw new RangeError(`bound must be an integer in [1, 2^53], got ${bound}`);
    }
    if (bound <= TWO_32) {
      // Accept only draws below the largest multiple of bound that fits in 32 bits.
      const limit = TWO_32 - (TWO_32 % bound);
      for (;;) {
        const r = this.nextUint32();
        if (r < limit) return r % bound;
      }
    }
    const limit = TWO_53 - (TWO_53 % bound);
    for (;;) {
      const r = (this.nextUint32() >>> 11) * TWO_32 + this.nextUint32(); // 21 + 32 bits
      if (r < limit) return r % bound;
    }
  }

  /** An integer uniform on [low, high] (both inclusive). */
  nextIntBetween(low: number, high: number): number {
    if (!Number.isInteger(low) || !Number.isInteger(high) || high < low) {
      throw new RangeError(`need integers low <= high, got ${low}, ${high}`);
    }
    return low + this.nextInt(high - low + 1);
  }

  /** A standard normal deviate (Marsaglia's polar method); used to simulate known populations. */
  nextGaussian(): number {
    for (;;) {
      const u = 2 * this.nextFloat() - 1;
      const v = 2 * this.nextFloat() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
    }
  }
}

/** Accepts an existing generator (to share one stream) or a seed (to start a new one). */
export function toPrng(source: Prng | Seed): Prng {
  return source instanceof Prng ? source : new Prng(source);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The seed as the 64-bit value SplitMix64 starts from. */
export function seedToUint64(seed: Seed): bigint {
  if (typeof seed === 'string') return fnv1a64(new TextEncoder().encode(seed));
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`);
  if (Number.isSafeInteger(seed)) return BigInt.asUintN(64, BigInt(seed));
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, seed);
  return view.getBigUint64(0);
}

function seedToState(seed: Seed): [number, number, number, number] {
  let x = seedToUint64(seed);
  const splitMix = (): bigint => {
    x = (x + 0x9e3779b97f4a7c15n) & MASK_64;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
    return z ^ (z >> 31n);
  };
  const a = splitMix();
  const b = splitMix();
  // SplitMix64 is a bijection of its counter, so two consecutive outputs are never both zero.
  return [Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)];
}

function fnv1a64(bytes: Uint8Array): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & MASK_64;
  }
  return hash;
}
