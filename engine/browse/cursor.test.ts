import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CursorError, decodeCursor, encodeCursor } from './cursor';

describe('cursor', () => {
  it('round-trips direction and per-partition positions', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('forward' as const, 'backward' as const),
        fc.uniqueArray(fc.tuple(fc.nat(10_000), fc.maxSafeNat()), {
          minLength: 1,
          maxLength: 50,
          selector: ([p]) => p,
        }),
        (direction, pairs) => {
          const cursor = { direction, positions: new Map(pairs) };
          const text = encodeCursor(cursor);
          expect(text).toMatch(/^[A-Za-z0-9_-]+$/); // URL-safe
          expect(decodeCursor(text)).toEqual(cursor);
        },
      ),
    );
  });

  it('refuses garbage, tampered and duplicate-partition cursors with a CursorError', () => {
    expect(() => decodeCursor('not a cursor')).toThrow(CursorError);
    const forged = Buffer.from(JSON.stringify({ v: 1, d: 'f', p: [[0, -5]] })).toString(
      'base64url',
    );
    expect(() => decodeCursor(forged)).toThrow(CursorError);
    const twice = Buffer.from(
      JSON.stringify({
        v: 1,
        d: 'f',
        p: [
          [0, 1],
          [0, 2],
        ],
      }),
    ).toString('base64url');
    expect(() => decodeCursor(twice)).toThrow(/twice/);
    const proto = Buffer.from('{"__proto__":{"v":1},"d":"f","p":[[0,1]]}').toString('base64url');
    expect(() => decodeCursor(proto)).toThrow(CursorError);
  });
});
