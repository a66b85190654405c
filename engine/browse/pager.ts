/**
 * Pages of messages: from an offset, a time, the earliest or the latest message, or a cursor;
 * forward or backward; one partition or all of them merged by timestamp; optionally filtered.
 * A page reads only what it returns (plus the filter's misses), never the whole topic.
 */
import type { Message, MessagePage, MessagesQuery } from '../api';
import { ApiError, notFound } from '../http/apiError';
import type { CursorError } from './cursor';
import { decodeCursor, encodeCursor, type Direction } from './cursor';
import type { Filter } from './filter';
import type { LogReader, PartitionOffsets } from './logReader';
import type { RecordSizeEstimate, ScanOptions } from './partitionScan';
import { PartitionScan } from './partitionScan';
import { toMessage, type DecodeOptions } from './record';

/** A filtered page stops after scanning this many messages, and says so (`incomplete`). */
export const PAGE_SCAN_LIMIT = 100_000;
/** …or after this long. */
export const PAGE_TIME_LIMIT_MS = 5_000;

export interface PageContext {
  reader: LogReader;
  sizes: RecordSizeEstimate;
}

export interface ResolvedStart {
  direction: Direction;
  positions: Map<number, number>;
  offsets: PartitionOffsets[];
}

/** Where a page starts, per partition, from the query (or its cursor). */
export async function resolveStart(
  reader: LogReader,
  topic: string,
  query: Pick<MessagesQuery, 'partition' | 'offset' | 'timestamp' | 'position' | 'cursor'> & {
    direction: Direction;
  },
): Promise<ResolvedStart> {
  const all = await reader.offsets(topic);
  let offsets = all;
  if (query.partition !== undefined) {
    offsets = all.filter((p) => p.partition === query.partition);
    if (offsets.length === 0) {
      throw notFound(`Partition ${query.partition} of topic "${topic}"`);
    }
  }
  const positions = new Map<number, number>();
  const clamp = (p: PartitionOffsets, offset: number) =>
    Math.min(Math.max(offset, p.logStartOffset), p.highWatermark);
  let direction = query.direction;

  if (query.cursor !== undefined) {
    let cursor;
    try {
      cursor = decodeCursor(query.cursor);
    } catch (error) {
      throw new ApiError('VALIDATION_FAILED', `query.cursor: ${(error as CursorError).message}`, {
        field: 'query.cursor',
      });
    }
    direction = cursor.direction;
    const byPartition = new Map(all.map((p) => [p.partition, p]));
    for (const [partition, offset] of cursor.positions) {
      const p = byPartition.get(partition);
      if (!p) {
        throw new ApiError('VALIDATION_FAILED', `query.cursor: partition ${partition} is gone.`, {
          field: 'query.cursor',
        });
      }
      positions.set(partition, clamp(p, offset));
    }
    return { direction, positions, offsets: all.filter((p) => positions.has(p.partition)) };
  }

  if (query.timestamp !== undefined) {
    const found = await reader.offsetsForTimestamp(
      topic,
      offsets.map((p) => p.partition),
      query.timestamp,
    );
    for (const p of offsets)
      positions.set(p.partition, clamp(p, found.get(p.partition) ?? p.highWatermark));
  } else if (query.offset !== undefined) {
    // Backward from an offset includes that offset: the bound is exclusive.
    const bound = direction === 'backward' ? query.offset + 1 : query.offset;
    for (const p of offsets) positions.set(p.partition, clamp(p, bound));
  } else if (query.position === 'latest') {
    for (const p of offsets) positions.set(p.partition, p.highWatermark);
  } else {
    for (const p of offsets) positions.set(p.partition, p.logStartOffset);
  }
  return { direction, positions, offsets };
}

export interface PageOptions {
  topic: string;
  query: MessagesQuery;
  filter: Filter | null;
  decode: DecodeOptions;
  /** Defaults to PAGE_SCAN_LIMIT. */
  scanLimit?: number;
}

export async function readPage(context: PageContext, options: PageOptions): Promise<MessagePage> {
  const { query } = options;
  const prefetched = prefetch(context, options);
  const start =
    (await startFromPrefetch(prefetched)) ??
    (await resolveStart(context.reader, options.topic, query));
  // "The latest messages, oldest first": read backward from the end, then turn the page round.
  const latestForward =
    query.cursor === undefined &&
    query.offset === undefined &&
    query.timestamp === undefined &&
    query.position === 'latest' &&
    start.direction === 'forward';
  if (latestForward) start.direction = 'backward';

  const page = await scanPage(context, options, start, latestForward ? undefined : prefetched);
  if (!latestForward) return page;
  return {
    ...page,
    messages: page.messages.reverse(),
    next: page.previous,
    previous: page.next === null ? null : page.next,
  };
}

/**
 * When a forward page's positions are known from the request alone (a cursor, or a partition
 * and an offset), its first fetch starts at once, alongside the offsets lookup, instead of
 * after it: a page then costs one round trip to the broker, not two.
 */
function prefetch(context: PageContext, options: PageOptions): ScanOptions['prefetched'] {
  const { query } = options;
  let positions: Map<number, number> | null = null;
  if (query.cursor !== undefined) {
    try {
      const cursor = decodeCursor(query.cursor);
      if (cursor.direction === 'forward') positions = cursor.positions;
    } catch {
      return undefined; // resolveStart reports the bad cursor
    }
  } else if (
    query.partition !== undefined &&
    query.offset !== undefined &&
    query.timestamp === undefined &&
    query.direction === 'forward'
  ) {
    positions = new Map([[query.partition, query.offset]]);
  }
  if (positions === null) return undefined;
  const share = Math.max(10, Math.ceil(query.limit / positions.size));
  const maxBytes = context.sizes.bytesFor(share);
  const results = context.reader.fetch(
    options.topic,
    [...positions].map(([partition, offset]) => ({ partition, offset, maxBytes })),
  );
  results.catch(() => undefined); // an offset out of range is found by the offsets lookup
  return { offsets: new Map(positions), results };
}

/**
 * A forward page whose first fetch answered for every partition needs no offsets lookup: the
 * fetch carries each partition's log start offset and high watermark.
 */
async function startFromPrefetch(
  prefetched: ScanOptions['prefetched'],
): Promise<ResolvedStart | null> {
  if (!prefetched) return null;
  const results = await prefetched.results.catch(() => null);
  if (!results) return null;
  const offsets: PartitionOffsets[] = [];
  const positions = new Map<number, number>();
  for (const [partition, offset] of prefetched.offsets) {
    const result = results.get(partition);
    if (!result) return null;
    offsets.push({
      partition,
      logStartOffset: result.logStartOffset,
      highWatermark: result.highWatermark,
    });
    positions.set(
      partition,
      Math.min(Math.max(offset, result.logStartOffset), result.highWatermark),
    );
  }
  offsets.sort((a, b) => a.partition - b.partition);
  return { direction: 'forward', positions, offsets };
}

async function scanPage(
  context: PageContext,
  options: PageOptions,
  start: ResolvedStart,
  prefetched?: ScanOptions['prefetched'],
): Promise<MessagePage> {
  const { query, filter, decode } = options;
  const scanLimit = options.scanLimit ?? PAGE_SCAN_LIMIT;
  const { direction, positions, offsets } = start;
  const scan = new PartitionScan({
    topic: options.topic,
    reader: context.reader,
    direction,
    start: positions,
    end: new Map(offsets.map((p) => [p.partition, p.highWatermark])),
    floor: new Map(offsets.map((p) => [p.partition, p.logStartOffset])),
    sizes: context.sizes,
    ...(prefetched && start.direction === 'forward' ? { prefetched } : {}),
  });
  scan.wanted = query.limit;
  const messages: Message[] = [];
  const deadline = Date.now() + PAGE_TIME_LIMIT_MS;
  let scanned = 0;
  let incomplete = false;
  while (messages.length < query.limit) {
    const record = await scan.next();
    if (record === null) break;
    scanned++;
    if (filter === null || filter.matches(record))
      messages.push(toMessage(record, decode, options.topic));
    if (filter !== null) scan.wanted = Math.max(100, query.limit - messages.length);
    if (messages.length < query.limit && (scanned >= scanLimit || Date.now() > deadline)) {
      incomplete = !scan.finished();
      break;
    }
  }

  const after = scan.positions();
  const atEnd = (map: Map<number, number>, dir: Direction) =>
    offsets.every((p) => {
      const at = map.get(p.partition)!;
      return dir === 'forward' ? at >= p.highWatermark : at <= p.logStartOffset;
    });
  const opposite: Direction = direction === 'forward' ? 'backward' : 'forward';
  const page: MessagePage = {
    messages,
    next: atEnd(after, direction) ? null : encodeCursor({ direction, positions: after }),
    previous: atEnd(positions, opposite) ? null : encodeCursor({ direction: opposite, positions }),
    scanned,
  };
  if (incomplete) page.incomplete = true;
  return page;
}
