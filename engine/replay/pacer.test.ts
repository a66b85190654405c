import { describe, expect, it } from 'vitest';
import { Pacer } from './pacer';

describe('Pacer', () => {
  it('as fast as possible: everything is due at once', () => {
    const pacer = new Pacer({ mode: 'max' });
    expect([1, 5000, 9].map((t) => pacer.due(t))).toEqual([0, 0, 0]);
  });

  it('a fixed rate spaces messages evenly from the first', () => {
    const pacer = new Pacer({ mode: 'rate', messagesPerSecond: 4 });
    expect([9, 9, 9, 9, 9].map((t) => pacer.due(t))).toEqual([0, 250, 500, 750, 1000]);
  });

  it('original timing scaled by the factor, from the first timestamp; never before the start', () => {
    const fast = new Pacer({ mode: 'original', factor: 10 });
    expect([1000, 1000, 2000, 11_000, 500].map((t) => fast.due(t))).toEqual([0, 0, 100, 1000, 0]);
    const slow = new Pacer({ mode: 'original', factor: 0.5 });
    expect([0, 1000].map((t) => slow.due(t))).toEqual([0, 2000]);
  });
});
