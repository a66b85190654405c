/**
 * The `tail` stream: new messages of a topic as they arrive, bounded. The UI says how many
 * messages a second it wants (`maxPerSecond`); the rest are counted as `dropped`. Memory stays
 * flat however fast the topic is: once a second's budget is spent, the tail skips to the end of
 * each partition instead of reading what it would only drop (those skipped messages are counted
 * in `dropped` unread — with a filter, whether or not they would have matched), and when the
 * WebSocket is backed up it drops instead of queueing.
 */
import type { ApiErrorDetail, Message, TailEvent, TailParams } from '../api';
import { ApiError } from '../http/apiError';
import type { Filter } from './filter';
import type { LogReader } from './logReader';
import { compareRecords } from './partitionScan';
import { toMessage, type RawRecord } from './record';

export interface TailSink {
  /** Sends an event; false when the subscriber is backed up. */
  emit(event: TailEvent): boolean;
  fail(error: ApiErrorDetail): void;
}

/** How long one fetch waits on the broker for new data. */
const LONG_POLL_MS = 500;
const FETCH_BYTES_PER_PARTITION = 256 * 1024;
/** Events go out at most this often… */
const FLUSH_INTERVAL_MS = 100;
/** …unless this many bytes of messages wait. */
const FLUSH_BYTES = 1024 * 1024;

/** Starts tailing; returns the function that stops it. */
export function startTail(
  reader: LogReader,
  params: TailParams,
  filter: Filter | null,
  sink: TailSink,
  now: () => number = Date.now,
): () => void {
  let stopped = false;
  const controller = new AbortController();
  const decode = {
    keyAs: params.keyAs,
    valueAs: params.valueAs,
    previewBytes: params.previewBytes,
  };

  const run = async () => {
    const offsets = (await reader.offsets(params.topic)).filter(
      (p) => params.partition === undefined || p.partition === params.partition,
    );
    if (offsets.length === 0) {
      throw new ApiError(
        'NOT_FOUND',
        `Partition ${params.partition} of topic "${params.topic}" was not found.`,
      );
    }
    const positions = new Map(offsets.map((p) => [p.partition, p.highWatermark]));
    let windowStart = now();
    let sentInWindow = 0;
    let dropped = 0;
    let pending: Message[] = [];
    let pendingBytes = 0;
    let lastFlush = now();
    let backedUp = false;

    const flush = () => {
      if (pending.length === 0 && dropped === 0) return;
      const ok = sink.emit({ messages: pending, dropped });
      backedUp = !ok;
      pending = [];
      pendingBytes = 0;
      dropped = 0;
      lastFlush = now();
    };

    while (!stopped) {
      const results = await reader.fetch(
        params.topic,
        [...positions].map(([partition, offset]) => ({
          partition,
          offset,
          maxBytes: FETCH_BYTES_PER_PARTITION,
        })),
        { maxWaitMs: LONG_POLL_MS, signal: controller.signal },
      );
      if (stopped) return;
      const records: RawRecord[] = [];
      for (const [partition, result] of results) {
        for (const record of result.records) records.push(record);
        const at = positions.get(partition)!;
        positions.set(partition, Math.max(at, result.nextOffset, result.logStartOffset));
      }
      records.sort(compareRecords);

      for (const record of records) {
        if (filter !== null && !filter.matches(record)) continue;
        const time = now();
        if (time - windowStart >= 1000) {
          windowStart = time;
          sentInWindow = 0;
        }
        if (sentInWindow < params.maxPerSecond && !backedUp) {
          const message = toMessage(record, decode);
          pending.push(message);
          pendingBytes += message.size;
          sentInWindow++;
        } else {
          dropped++;
        }
      }
      // The second's budget is spent: skip what arrived meanwhile rather than read it to drop it.
      if (sentInWindow >= params.maxPerSecond || backedUp) {
        for (const [partition, result] of results) {
          const at = positions.get(partition)!;
          if (result.highWatermark > at) {
            dropped += result.highWatermark - at;
            positions.set(partition, result.highWatermark);
          }
        }
      }
      if (pendingBytes >= FLUSH_BYTES || now() - lastFlush >= FLUSH_INTERVAL_MS || backedUp) {
        flush();
      }
      if (sentInWindow >= params.maxPerSecond && !stopped) {
        // Wait for the next window instead of polling the broker only to count.
        flush();
        const wait = Math.max(0, windowStart + 1000 - now());
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };

  run().catch((error: unknown) => {
    if (stopped) return;
    const detail =
      error instanceof ApiError
        ? error.toDetail()
        : {
            code: 'INTERNAL' as const,
            message: error instanceof Error ? error.message : String(error),
          };
    sink.fail(detail);
  });

  return () => {
    stopped = true;
    controller.abort();
  };
}
