import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32c, crc32cJs } from './crc32c';

/** The byte-at-a-time definition, as an independent oracle for the sliced version. */
function crc32cReference(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the published check value for "123456789" (RFC 3720, B.4)', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('matches the bitwise definition on arbitrary bytes and sub-ranges', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(20), (bytes, cut) => {
        const start = Math.min(cut, bytes.length);
        expect(crc32c(bytes, start)).toBe(crc32cReference(bytes.subarray(start)));
      }),
    );
  });

  it('takes the WebAssembly path for long inputs, across its 64 KiB windows, with the same result', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 500, max: 200_000 }),
        fc.nat(9),
        fc.nat(9),
        fc.integer(),
        (length, head, tail, seed) => {
          const bytes = Buffer.alloc(length);
          for (let i = 0, x = seed | 1; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            bytes[i] = x & 0xff;
          }
          expect(crc32c(bytes, head, length - tail)).toBe(crc32cJs(bytes, head, length - tail));
        },
      ),
      { numRuns: 40 },
    );
    const big = Buffer.alloc(300_000, 0xa5);
    expect(crc32c(big)).toBe(crc32cReference(big));
  });
});
