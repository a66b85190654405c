/**
 * The "value over time" data of a sample: per numeric field, its `[timestamp, value]` pairs
 * sorted by time. Built once in the engine so the view can draw a line chart as is.
 */

/**
 * `timestamps[i]` and `columns[field][i]` describe the same sampled record. Only finite numbers
 * with a timestamp (≥ 0; Kafka's "none" is -1) become points; the sort is stable, so records
 * with equal timestamps keep their reading order.
 */
export function valueSeries(
  timestamps: readonly number[],
  columns: Readonly<Record<string, readonly (number | string | null)[]>>,
  numericFields: readonly string[],
): Record<string, [number, number][]> {
  const series: Record<string, [number, number][]> = {};
  for (const field of numericFields) {
    const values = columns[field] ?? [];
    const points: [number, number][] = [];
    timestamps.forEach((timestamp, i) => {
      const value = values[i];
      if (timestamp >= 0 && typeof value === 'number' && Number.isFinite(value)) {
        points.push([timestamp, value]);
      }
    });
    points.sort((a, b) => a[0] - b[0]);
    series[field] = points;
  }
  return series;
}
