import { describe, expect, it } from 'vitest';
import { SeriesBuffer } from '../lib/seriesBuffer';
import {
  escapeHtml,
  pointNear,
  tooltipHtml,
  windowPoints,
  windowRange,
  WINDOW_MS,
} from './liveWindow';

const MINUTE = 60_000;

/** `[time, value]` pairs of a flat window. */
function pairs(flat: Float64Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

describe('live chart window', () => {
  it('spans exactly 15 minutes (or 24 hours) ending at the newest snapshot, however few points there are', () => {
    const at = Date.UTC(2025, 0, 1, 12);
    expect(windowRange('recent', at)).toEqual({ min: at - 15 * MINUTE, max: at });
    expect(windowRange('day', at)).toEqual({ min: at - 24 * 60 * MINUTE, max: at });
    expect(WINDOW_MS.recent).toBe(900_000);
  });

  it('takes full-resolution points inside the window only', () => {
    const buffer = new SeriesBuffer(1000);
    const start = Date.UTC(2025, 0, 1);
    for (let s = 0; s < 1000; s++) buffer.push(start + s * 1000, s);
    const at = start + 999_000;
    const points = pairs(windowPoints(buffer, 'recent', at));
    // 15 minutes back from 999 s is 99 s: points 99..999.
    expect(points[0]).toEqual([start + 99_000, 99]);
    expect(points).toHaveLength(901);
  });

  it('keeps the minute bucket that overlaps the start of a day window', () => {
    const buffer = new SeriesBuffer(10, MINUTE, 2000);
    const start = Date.UTC(2025, 0, 1);
    // 25 hours, one point a minute at 30 s past the minute.
    for (let m = 0; m < 25 * 60; m++) buffer.push(start + m * MINUTE + 30_000, m);
    const at = start + (25 * 60 - 1) * MINUTE + 30_000;
    const points = pairs(windowPoints(buffer, 'day', at));
    expect(points[0]![0]).toBeLessThanOrEqual(windowRange('day', at).min);
    expect(points[0]![0] + MINUTE).toBeGreaterThan(windowRange('day', at).min);
    expect(points.at(-1)![0]).toBe(start + (25 * 60 - 1) * MINUTE);
  });
});

describe('live chart tooltip', () => {
  it('lists values largest first, at most the given rows, and names how many more', () => {
    const at = Date.UTC(2025, 0, 1);
    const points = Array.from({ length: 20 }, (_, i) => ({
      seriesName: `topic-${i}`,
      marker: '',
      value: [at, i],
    }));
    const html = tooltipHtml(points, 'msg/s', 3);
    const lines = html.split('<br>');
    expect(lines.slice(1)).toEqual([
      'topic-19: <b>19.0 msg/s</b>',
      'topic-18: <b>18.0 msg/s</b>',
      'topic-17: <b>17.0 msg/s</b>',
      '… 17 more',
    ]);
  });

  it('shows group names as text, not markup, and skips gaps', () => {
    const html = tooltipHtml(
      [
        { seriesName: '<img src=x onerror=alert(1)>', value: [0, 1234] },
        { seriesName: 'gap', value: [0, Number.NaN] },
      ],
      'messages',
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;: <b>1,234</b>');
    expect(html).not.toContain('gap');
    expect(escapeHtml(`a&"'`)).toBe('a&amp;&quot;&#39;');
  });
});

describe('live chart hover lookup', () => {
  const flat = Float64Array.of(1000, 1, 2000, 2, 3000, Number.NaN, 4000, 4);

  it('finds the nearest point within the tolerance, on either side', () => {
    expect(pointNear(flat, 2000, 0)).toEqual([2000, 2]);
    expect(pointNear(flat, 2300, 500)).toEqual([2000, 2]);
    expect(pointNear(flat, 3800, 500)).toEqual([4000, 4]);
    expect(pointNear(flat, 0, 1000)).toEqual([1000, 1]);
    expect(pointNear(flat, 4900, 1000)).toEqual([4000, 4]);
  });

  it('finds nothing beyond the tolerance or in an empty window, and returns a gap as a gap', () => {
    expect(pointNear(flat, 2500, 100)).toBeNull();
    expect(pointNear(flat, 9000, 1000)).toBeNull();
    expect(pointNear(new Float64Array(0), 0, 1000)).toBeNull();
    expect(pointNear(flat, 3000, 0)![1]).toBeNaN();
  });
});
