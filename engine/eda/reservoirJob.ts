/**
 * Strategy `reservoir` (issue 7): a uniform sample of the records that arrive from now on.
 * Every chosen partition is tailed from its high watermark at the start (long-poll fetches,
 * all partitions in one call), each arriving record is offered to a seeded reservoir
 * (engine/sampling/reservoir.ts, Algorithm L), and only the kept records' field values are held
 * — memory proportional to the sample, however many records arrive. It stops after the
 * duration or once the count of arrivals is reached, and answers in the same shape as every
 * sample: the arrivals are the population (N), so intervals carry the finite-population
 * correction, and the rows are the kept records in `(partition, offset)` order.
 *
 * Cancelling discards the reservoir, as cancelling any job discards its work; a shorter
 * duration or a count is how to end early with a result.
 */
import type { SampleInput, SampleResult } from '../api/eda';
import type { FetchRequest, LogReader } from '../browse/logReader';
import { Reservoir } from '../sampling';
import { extractFields, fieldExtractor } from './fields';
import { resolveRanges } from './logRanges';
import { emptyReadStats } from './readOffsets';
import { Rows, summarizeSample, type EdaJobContext } from './sampleJob';

/** Tailing lasts this long when the request says neither a duration nor a count. */
export const DEFAULT_TAIL_MS = 10_000;
/** Longest wait of one fetch for new records (a broker answers earlier when any arrive). */
const POLL_MS = 500;
/** Bytes asked for per partition and fetch. */
const TAIL_FETCH_BYTES = 1024 * 1024;

interface Kept {
  partition: number;
  offset: number;
  timestamp: number;
  values: unknown[];
}

export async function runReservoirSample(
  reader: LogReader,
  topic: string,
  input: SampleInput,
  context: EdaJobContext,
): Promise<SampleResult> {
  const started = Date.now();
  const extractors = input.fields.map((field, i) => fieldExtractor(field, `body.fields.${i}`));
  const maxRecords = input.tail?.maxRecords ?? null;
  const durationMs =
    input.tail?.durationMs ?? (maxRecords === null ? DEFAULT_TAIL_MS : Number.POSITIVE_INFINITY);
  const deadline = started + durationMs;
  context.progress(0, { total: maxRecords, message: 'Looking up where the partitions end' });
  // Only the partitions of the range apply: tailing starts at the end, whatever its offsets.
  const partitions = input.range?.partitions ? { partitions: input.range.partitions } : {};
  const positions = (await resolveRanges(reader, topic, partitions)).map((r) => ({
    partition: r.partition,
    start: r.end,
    offset: r.end,
  }));
  // From here on every arriving record counts (a client may wait for this message to produce).
  context.progress(0, { total: maxRecords, message: 'Waiting for new records' });
  const reservoir = new Reservoir<Kept>(input.size, input.seed);
  const rows = new Rows(extractors);
  const read = emptyReadStats();

  const done = () =>
    (maxRecords !== null && reservoir.seen >= maxRecords) || Date.now() >= deadline;
  while (positions.length > 0 && !done()) {
    context.signal.throwIfAborted();
    const requests: FetchRequest[] = positions.map((p) => ({
      partition: p.partition,
      offset: p.offset,
      maxBytes: TAIL_FETCH_BYTES,
    }));
    const results = await reader.fetch(topic, requests, {
      maxWaitMs: Math.max(1, Math.min(POLL_MS, deadline - Date.now())),
      signal: context.signal,
    });
    read.fetches++;
    read.requests += requests.length;
    for (const position of positions) {
      const result = results.get(position.partition);
      if (!result) continue;
      for (const record of result.records) {
        if (record.offset < position.offset) continue;
        if (maxRecords !== null && reservoir.seen >= maxRecords) break;
        read.recordsFetched++;
        rows.suggest(record);
        // Fields are read only for records the reservoir takes: it skips most of a long tail.
        const item: Kept = {
          partition: record.partition,
          offset: record.offset,
          timestamp: record.timestamp,
          values: [],
        };
        if (reservoir.offer(item)) item.values = extractFields(record, extractors);
      }
      // Retention may have moved the log start past the position: go on from what is left.
      position.offset = Math.max(
        position.offset,
        result.nextOffset,
        Math.min(result.logStartOffset, result.highWatermark),
      );
    }
    context.progress(reservoir.seen, {
      total: maxRecords,
      message: `${reservoir.seen} new records seen, ${Math.min(reservoir.seen, input.size)} kept`,
    });
  }

  const kept = reservoir.items();
  for (const item of kept) {
    rows.addValues(item.partition, item.offset, item.timestamp, item.values, null);
  }
  rows.sortByPosition();
  read.recordsRead = kept.length;
  return summarizeSample(rows, input, {
    topic,
    ranges: positions.map((p) => ({ partition: p.partition, start: p.start, end: p.offset })),
    populationSize: reservoir.seen,
    plannedSize: Math.min(input.size, reservoir.seen),
    read,
    strataSizes: null,
    started,
  });
}
