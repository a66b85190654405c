import { describe, expect, it } from 'vitest';
import { newOffset, planReset, type PartitionState } from './resetPlan';

const p = (committed: number | null, extra: Partial<PartitionState> = {}): PartitionState => ({
  partition: 0,
  committed,
  logStartOffset: 10,
  highWatermark: 100,
  ...extra,
});

describe('newOffset', () => {
  it('earliest and latest are the log start and the high watermark', () => {
    expect(newOffset({ to: 'earliest' }, p(50))).toBe(10);
    expect(newOffset({ to: 'latest' }, p(50))).toBe(100);
  });

  it('an exact offset is clamped to the partition range', () => {
    expect(newOffset({ to: 'offset', offset: 42 }, p(50))).toBe(42);
    expect(newOffset({ to: 'offset', offset: 3 }, p(50))).toBe(10);
    expect(newOffset({ to: 'offset', offset: 500 }, p(50))).toBe(100);
  });

  it('shift moves the committed offset, clamped; nothing committed shifts from the start', () => {
    expect(newOffset({ to: 'shift', by: -5 }, p(50))).toBe(45);
    expect(newOffset({ to: 'shift', by: 20 }, p(50))).toBe(70);
    expect(newOffset({ to: 'shift', by: -100 }, p(50))).toBe(10);
    expect(newOffset({ to: 'shift', by: 100 }, p(50))).toBe(100);
    expect(newOffset({ to: 'shift', by: 3 }, p(null))).toBe(13);
  });

  it('a timestamp uses the looked-up offset, the end when there is none', () => {
    expect(newOffset({ to: 'timestamp', timestamp: 1 }, p(50, { offsetForTime: 30 }))).toBe(30);
    expect(newOffset({ to: 'timestamp', timestamp: 1 }, p(50))).toBe(100);
  });
});

describe('planReset', () => {
  it('lists old → new per partition in partition order', () => {
    const changes = planReset('t', { to: 'earliest' }, [
      p(7, { partition: 2, logStartOffset: 0 }),
      p(null, { partition: 0 }),
    ]);
    expect(changes).toEqual([
      { topic: 't', partition: 0, oldOffset: null, newOffset: 10 },
      { topic: 't', partition: 2, oldOffset: 7, newOffset: 0 },
    ]);
  });
});
