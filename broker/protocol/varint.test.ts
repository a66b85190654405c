import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  readUnsignedVarint,
  readVarint,
  readVarlong,
  unsignedVarintSize,
  VarintError,
  varintSize,
  varlongSize,
  writeUnsignedVarint,
  writeVarint,
  writeVarlong,
} from './varint';

describe('varint', () => {
  it('encodes the zigzag examples from the protobuf documentation', () => {
    const encode = (n: number) => {
      const buf = new Uint8Array(5);
      return [...buf.subarray(0, writeVarint(buf, 0, n))];
    };
    expect(encode(0)).toEqual([0]);
    expect(encode(-1)).toEqual([1]);
    expect(encode(1)).toEqual([2]);
    expect(encode(-2)).toEqual([3]);
    expect(encode(2147483647)).toEqual([0xfe, 0xff, 0xff, 0xff, 0x0f]);
    expect(encode(-2147483648)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
  });

  it('round-trips signed and unsigned 32-bit values with the sizes it predicts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.nat(),
        (signed, unsigned) => {
          const buf = new Uint8Array(5);
          expect(writeVarint(buf, 0, signed)).toBe(varintSize(signed));
          expect(readVarint(buf, 0)).toEqual({ value: signed, next: varintSize(signed) });
          const u = unsigned >>> 0;
          expect(writeUnsignedVarint(buf, 0, u)).toBe(unsignedVarintSize(u));
          expect(readUnsignedVarint(buf, 0).value).toBe(u);
        },
      ),
    );
  });

  it('round-trips 64-bit varlongs', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        const buf = new Uint8Array(10);
        const end = writeVarlong(buf, 0, value);
        expect(end).toBe(varlongSize(value));
        expect(readVarlong(buf, 0)).toEqual({ value, next: end });
      }),
    );
  });

  it('rejects a varint that runs past the end or is too long, instead of reading garbage', () => {
    expect(() => readVarint(Uint8Array.of(0x80, 0x80), 0)).toThrow(VarintError);
    expect(() => readVarint(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0x01), 0)).toThrow(
      VarintError,
    );
    expect(() => readVarlong(new Uint8Array(11).fill(0xff), 0)).toThrow(VarintError);
  });
});
