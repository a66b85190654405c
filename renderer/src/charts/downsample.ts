/**
 * Min–max downsampling of a flat time series (`time, value, time, value, …`, times ascending)
 * to the pixels a chart has for it: a line chart cannot show more than about one point per
 * pixel column, and every point it is given costs work on each redraw (a live chart redraws
 * 100 series a second). Unlike LTTB, min–max keeps every peak and dip — a throughput spike or
 * a lag jump is what a user looks for. Pure, no DOM, so it is tested without a browser.
 */

/**
 * The points of `flat` a chart needs to draw the span `from`–`to` with at most about
 * `maxPoints` points: the points inside the span, plus the nearest point on each side so the
 * line runs to the edges instead of stopping short of them.
 *
 * At most `maxPoints` points in the span: returned exactly (a zoomed-in chart shows full
 * resolution). More: the span is cut into `maxPoints / 2` equal time buckets and each keeps
 * its lowest and highest point, in time order — so the extremes of every bucket, and thus
 * of the whole span, survive. A non-finite value (a gap in the stream) is kept as one gap
 * point between the runs of a bucket, so the line still breaks there.
 */
export function downsampleMinMax(
  flat: Float64Array,
  from: number,
  to: number,
  maxPoints: number,
): Float64Array {
  if (flat.length % 2 !== 0)
    throw new Error('downsampleMinMax: flat points must be time, value pairs');
  if (!(to >= from))
    throw new Error(`downsampleMinMax: span ends (${to}) before it starts (${from})`);
  const count = flat.length / 2;
  // The first point at or after `from` and the first after `to`, by binary search on time.
  const first = firstIndexWhere(flat, count, (time) => time >= from);
  const end = firstIndexWhere(flat, count, (time) => time > to);
  // One neighbour on each side, so the line reaches the axis edges (they clip it).
  const start = Math.max(0, first - 1);
  const stop = Math.min(count, end + 1);
  const inSpan = end - first;
  const buckets = Math.floor(maxPoints / 2);
  if (inSpan <= maxPoints || buckets < 1) return flat.subarray(2 * start, 2 * stop);

  // Per bucket, at most a min and a max per run plus one gap point between runs: bounded by
  // the input size, so one allocation, trimmed at the end.
  const out = new Float64Array(2 * (stop - start + 2 * buckets));
  let length = 0;
  const emit = (index: number) => {
    out[length++] = flat[2 * index]!;
    out[length++] = flat[2 * index + 1]!;
  };
  if (start < first) emit(start);
  const width = (to - from) / buckets;
  let index = first;
  while (index < end) {
    const bucket = Math.min(buckets - 1, Math.floor((flat[2 * index]! - from) / width));
    const bucketEnd = bucket === buckets - 1 ? to : from + (bucket + 1) * width;
    // One bucket: runs of finite values separated by gaps.
    let low = -1;
    let high = -1;
    let gapEmitted = false;
    // The bucket's first point always belongs to it (rounding in the bucket number must not
    // leave a point in no bucket).
    let firstOfBucket = true;
    const flushRun = () => {
      if (low < 0) return;
      if (low === high) emit(low);
      else {
        // Both extremes, in time order.
        emit(Math.min(low, high));
        emit(Math.max(low, high));
      }
      low = high = -1;
    };
    while (
      index < end &&
      (firstOfBucket || bucket === buckets - 1 || flat[2 * index]! < bucketEnd)
    ) {
      firstOfBucket = false;
      const value = flat[2 * index + 1]!;
      if (!Number.isFinite(value)) {
        flushRun();
        if (!gapEmitted) emit(index);
        gapEmitted = true;
      } else {
        gapEmitted = false;
        if (low < 0 || value < flat[2 * low + 1]!) low = index;
        if (high < 0 || value > flat[2 * high + 1]!) high = index;
      }
      index++;
    }
    flushRun();
  }
  if (stop > end) emit(end);
  return out.subarray(0, length);
}

/** The first point index whose time passes `test` (times ascending), or `count`. */
function firstIndexWhere(
  flat: Float64Array,
  count: number,
  test: (time: number) => boolean,
): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(flat[2 * middle]!)) high = middle;
    else low = middle + 1;
  }
  return low;
}
