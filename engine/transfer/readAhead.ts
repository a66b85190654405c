/**
 * Read-ahead for bulk jobs (export, replay) that read a range of a topic straight through: when
 * a partition's fetch is answered, the fetch after it (same size, from where this one ended) is
 * sent at once, so the broker's answer travels while the job writes out what it has. Without
 * it a scan waits a full round trip every time a partition's records run out.
 *
 * At most one fetch ahead per partition, never past the range's end: memory stays at about two
 * fetches per partition.
 */
import type { FetchRequest, FetchResult } from '../browse/logReader';
import type { RecordSizeEstimate } from '../browse/partitionScan';
import type { RangeReader } from './transferService';

interface Ahead {
  offset: number;
  answer: Promise<Map<number, FetchResult>>;
}

export function readAhead(
  reader: RangeReader,
  topic: string,
  /** Exclusive end offsets of the range, per partition. */
  end: Map<number, number>,
): RangeReader {
  const ahead = new Map<number, Ahead>();
  const fetch: RangeReader['fetch'] = async (fetchTopic, requests, options = {}) => {
    const request = requests[0];
    if (fetchTopic !== topic || requests.length !== 1 || !request || options.maxWaitMs)
      return reader.fetch(fetchTopic, requests, options);
    const waiting = ahead.get(request.partition);
    ahead.delete(request.partition);
    // An answer fetched ahead at the same offset serves whatever size is asked now: it is the
    // partition's data from there on, a little more or less of it.
    const answer =
      waiting && waiting.offset === request.offset
        ? await waiting.answer
        : await reader.fetch(topic, requests, options);
    const result = answer.get(request.partition);
    const next = result?.nextOffset ?? request.offset;
    const last = Math.min(end.get(request.partition) ?? 0, result?.highWatermark ?? 0);
    if (result && next > request.offset && next < last && !options.signal?.aborted) {
      const nextRequest: FetchRequest = { ...request, offset: next };
      const pending = reader.fetch(topic, [nextRequest], options);
      pending.catch(() => undefined); // a failure surfaces when it is asked for
      ahead.set(request.partition, { offset: next, answer: pending });
    }
    return answer;
  };
  return {
    offsets: (t) => reader.offsets(t),
    offsetsForTimestamp: (t, partitions, timestamp) =>
      reader.offsetsForTimestamp(t, partitions, timestamp),
    fetch,
    sizes: (t): RecordSizeEstimate => reader.sizes(t),
  };
}
