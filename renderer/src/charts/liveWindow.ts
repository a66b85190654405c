/**
 * What a live chart shows: a window that ends at the newest snapshot and has a fixed length
 * (15 minutes at full resolution, or 24 hours of minute averages), so the time axis always spans
 * the whole window — one early point does not stretch it, and the chart does not jump as points
 * arrive. Also the hover text: values at one instant, largest first, names escaped as text.
 * Pure functions, no DOM, so they are tested without a browser.
 */
import type { SeriesBuffer } from '../lib/seriesBuffer';
import { formatBytes, formatCount } from '../lib/format';

export type LiveWindow = 'recent' | 'day';

/** Milliseconds each window spans. */
export const WINDOW_MS: Record<LiveWindow, number> = {
  recent: 15 * 60_000,
  day: 24 * 60 * 60_000,
};

/** The time axis of a window ending at `at` (the newest snapshot's time). */
export function windowRange(window: LiveWindow, at: number): { min: number; max: number } {
  return { min: at - WINDOW_MS[window], max: at };
}

/**
 * The points of a series inside the window ending at `at`, flat (`time, value, …`): a chart
 * redrawn every second with 100 series copies no per-point arrays (ECharts takes typed arrays
 * as they are, with `dimensions` naming the two columns).
 */
export function windowPoints(buffer: SeriesBuffer, window: LiveWindow, at: number): Float64Array {
  const { min } = windowRange(window, at);
  if (window === 'recent') return buffer.recentSinceFlat(min);
  // A bucket is stamped with its start: keep the one that began before the window but ends in it.
  // Written straight into the flat array (no filtered copy and no flat() of 1,440 pairs per
  // series a second).
  const buckets = buffer.history();
  let first = 0;
  while (first < buckets.length && buckets[first]![0] + buffer.bucketMs <= min) first++;
  const flat = new Float64Array(2 * (buckets.length - first));
  for (let i = first; i < buckets.length; i++) {
    flat[2 * (i - first)] = buckets[i]![0];
    flat[2 * (i - first) + 1] = buckets[i]![1];
  }
  return flat;
}

/** A value with its unit as people read it. */
export function formatLiveValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '—';
  if (unit === 'B/s') return `${formatBytes(Math.round(value))}/s`;
  if (unit === 'messages') return formatCount(Math.round(value));
  return `${value.toFixed(1)} ${unit}`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** ECharts puts tooltip text into the page as HTML; names (group ids) are user text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

export interface HoveredPoint {
  seriesName?: string;
  /** ECharts passes its own colour-dot markup, built from the series colour (not user text). */
  marker?: unknown;
  value?: unknown;
}

/**
 * The tooltip of the hovered instant: its time, then the series' values largest first, at most
 * `rows` of them (with 100 series a full list would cover the chart) and how many more there are.
 */
export function tooltipHtml(points: HoveredPoint[], unit: string, rows = 12): string {
  const values = points
    .map((p) => {
      const [time, value] = Array.isArray(p.value) ? (p.value as number[]) : [];
      return { name: p.seriesName ?? '', marker: p.marker, time, value };
    })
    .filter((p) => typeof p.value === 'number' && Number.isFinite(p.value))
    .sort((a, b) => b.value! - a.value!);
  if (values.length === 0) return '';
  const time = values[0]!.time;
  const lines = values
    .slice(0, rows)
    .map(
      (p) =>
        `${typeof p.marker === 'string' ? p.marker : ''}${escapeHtml(p.name)}: <b>${escapeHtml(
          formatLiveValue(p.value!, unit),
        )}</b>`,
    );
  if (values.length > rows) lines.push(`… ${values.length - rows} more`);
  const header = typeof time === 'number' ? escapeHtml(new Date(time).toLocaleTimeString()) : '';
  return [header, ...lines].join('<br>');
}

/**
 * The point of a flat window (`time, value, …`, times ascending) nearest to `time`, if one lies
 * within `tolerance` of it. The hover of a downsampled chart reads values here, at full
 * resolution: the drawn points of two series need not share an instant.
 */
export function pointNear(
  flat: Float64Array,
  time: number,
  tolerance: number,
): [number, number] | null {
  const count = flat.length / 2;
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (flat[2 * middle]! < time) low = middle + 1;
    else high = middle;
  }
  // `low` is the first point at or after `time`; the one before it may be nearer.
  let best = -1;
  for (const index of [low - 1, low]) {
    if (index < 0 || index >= count) continue;
    if (best < 0 || Math.abs(flat[2 * index]! - time) < Math.abs(flat[2 * best]! - time))
      best = index;
  }
  if (best < 0 || Math.abs(flat[2 * best]! - time) > tolerance) return null;
  return [flat[2 * best]!, flat[2 * best + 1]!];
}
