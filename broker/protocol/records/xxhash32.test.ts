import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { xxhash32 } from './xxhash32';

// lz4js ships an independent xxHash32 (not part of its typed surface); use it as an oracle.
const lz4jsXxh32 = createRequire(import.meta.url)('lz4js/xxh32.js') as {
  hash(seed: number, src: Uint8Array, index: number, length: number): number;
};

describe('xxhash32', () => {
  it('matches the reference check values', () => {
    expect(xxhash32(Buffer.alloc(0))).toBe(0x02cc5d05);
    expect(xxhash32(Buffer.from('abc'))).toBe(0x32d153ff);
    expect(xxhash32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });

  it('agrees with lz4js on arbitrary bytes, ranges and seeds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(10), fc.nat(), (bytes, cut, seed) => {
        const start = Math.min(cut, bytes.length);
        expect(xxhash32(bytes, start, bytes.length, seed)).toBe(
          lz4jsXxh32.hash(seed, bytes, start, bytes.length - start) >>> 0,
        );
      }),
    );
  });
});
