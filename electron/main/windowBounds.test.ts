import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, restoreBounds } from './windowBounds';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const external = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('restoreBounds', () => {
  it('reopens the window where it was when that is on a screen', () => {
    const saved = { x: 1600, y: 100, width: 1400, height: 900, maximized: true };
    expect(restoreBounds(saved, [laptop, external])).toEqual(saved);
  });

  it('centres the window on the primary screen when its screen is gone', () => {
    const saved = { x: 1600, y: 100, width: 1400, height: 900, maximized: false };
    expect(restoreBounds(saved, [laptop])).toEqual({
      x: (1440 - DEFAULT_SIZE.width) / 2,
      y: (900 - DEFAULT_SIZE.height) / 2,
      ...DEFAULT_SIZE,
      maximized: false,
    });
  });

  it('opens a first window centred, no larger than the screen', () => {
    const small = { x: 0, y: 0, width: 1024, height: 600 };
    expect(restoreBounds(null, [small])).toEqual({
      x: 0,
      y: 0,
      width: 1024,
      height: 600,
      maximized: false,
    });
  });
});
