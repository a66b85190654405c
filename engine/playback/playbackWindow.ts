/**
 * Where a playback reads: per partition, the offsets of the window's records (the first offset
 * at or after `from`, up to the first at or after `to`), and where this subscription starts —
 * at `from`, at a scrubbed-to `position`, or exactly after the last record played (`cursor`).
 */
import type { PlaybackParams } from '../api';
import { decodeCursor, type CursorError } from '../browse/cursor';
import type { LogReader, PartitionOffsets } from '../browse/logReader';
import { ApiError } from '../http/apiError';

export interface PlaybackWindow {
  /** Where reading starts, per partition. */
  start: Map<number, number>;
  /** Where reading stops (exclusive), per partition: the first offset at or after `to`. */
  end: Map<number, number>;
  /** Offsets between `from` and `to`, summed over partitions. */
  offsets: number;
  partitions: number;
  /** The playback time the clock starts at. */
  position: number;
}

type WindowParams = Pick<PlaybackParams, 'topic' | 'from' | 'to' | 'position' | 'cursor'>;

export async function resolveWindow(
  reader: LogReader,
  params: WindowParams,
): Promise<PlaybackWindow> {
  const { topic } = params;
  const partitions = await reader.offsets(topic); // NOT_FOUND for an unknown topic
  const numbers = partitions.map((p) => p.partition);
  const at = async (timestamp: number) =>
    clampAll(partitions, await reader.offsetsForTimestamp(topic, numbers, timestamp));
  const [first, end] = await Promise.all([at(params.from), at(params.to)]);
  let offsets = 0;
  for (const [partition, offset] of first) offsets += Math.max(0, end.get(partition)! - offset);
  if (offsets === 0) {
    throw new ApiError(
      'NOT_FOUND',
      `Topic "${topic}" has no messages between ${iso(params.from)} and ${iso(params.to)}: ` +
        'choose a window that holds some (the partition list shows where the log starts and ends).',
      { field: 'params.from' },
    );
  }

  const position = params.position ?? params.from;
  let start: Map<number, number>;
  if (params.cursor !== undefined) start = fromCursor(params.cursor, first, end);
  else if (position > params.from) start = await at(position);
  else start = first;
  // Never before the window nor past its end, whatever the cursor or the lookup said.
  for (const [partition, offset] of start) {
    start.set(partition, Math.min(Math.max(offset, first.get(partition)!), end.get(partition)!));
  }
  return { start, end, offsets, partitions: partitions.length, position };
}

/** Offsets from a lookup, within each partition's log (the high watermark where none is at or after). */
function clampAll(partitions: PartitionOffsets[], found: Map<number, number>): Map<number, number> {
  const result = new Map<number, number>();
  for (const p of partitions) {
    const offset = found.get(p.partition) ?? p.highWatermark;
    result.set(p.partition, Math.min(Math.max(offset, p.logStartOffset), p.highWatermark));
  }
  return result;
}

function fromCursor(
  text: string,
  first: Map<number, number>,
  end: Map<number, number>,
): Map<number, number> {
  let cursor;
  try {
    cursor = decodeCursor(text);
  } catch (error) {
    throw new ApiError('VALIDATION_FAILED', `params.cursor: ${(error as CursorError).message}`, {
      field: 'params.cursor',
    });
  }
  const start = new Map<number, number>();
  for (const [partition, offset] of cursor.positions) {
    if (!first.has(partition)) {
      throw new ApiError(
        'VALIDATION_FAILED',
        `params.cursor: the topic has no partition ${partition}; start again from a time.`,
        { field: 'params.cursor' },
      );
    }
    start.set(partition, offset);
  }
  // A partition the cursor does not name was played to its end.
  for (const [partition, offset] of end) if (!start.has(partition)) start.set(partition, offset);
  return start;
}

function iso(time: number): string {
  return new Date(time).toISOString();
}
