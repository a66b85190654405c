/**
 * The playback loop: takes records in merged timestamp order and sends each one when the
 * playback clock reaches its timestamp — never before. The clock runs at `speed` times wall
 * time from `position`; at speed 0 ("max") it follows the records as fast as the subscriber
 * takes them. Memory stays bounded whatever the window: one event's worth of records is held
 * (at most `maxBatchMessages` / `maxBatchBytes`), and while the subscriber is backed up nothing
 * more is read and the clock stands still.
 */
import type { Message, PlaybackEvent } from '../api';
import { encodeCursor } from '../browse/cursor';
import type { Filter } from '../browse/filter';
import { recordSize, toMessage, type DecodeOptions, type RawRecord } from '../browse/record';
import { RecordView, type FieldExtractor } from '../eda/fields';

/** Wall time, injectable so tests run the loop on a fake clock. */
export interface PlaybackClock {
  now(): number;
  /** Resolves after `ms` (0: on the next turn of the event loop); rejects when `signal` aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: PlaybackClock = {
  now: () => performance.now(),
  wait: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const onAbort = () => {
        clear();
        reject(signal.reason as Error);
      };
      const done = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const clear =
        ms <= 0
          ? (
              (id) => () =>
                clearImmediate(id)
            )(setImmediate(done))
          : (
              (id) => () =>
                clearTimeout(id)
            )(setTimeout(done, ms));
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Records in merged order, and where reading stands (PartitionScan is one). */
export interface RecordSource {
  next(): Promise<RawRecord | null>;
  positions(): Map<number, number>;
}

export interface PlayerSink {
  /** False when the subscriber is backed up (the event was still queued). */
  emit(event: PlaybackEvent): boolean;
}

export interface PlayerOptions {
  from: number;
  to: number;
  /** The playback time the clock starts at. */
  position: number;
  /** Playback time per wall time; 0 plays as fast as the subscriber takes it. */
  speed: number;
  filter: Filter | null;
  field: FieldExtractor | null;
  decode: DecodeOptions;
  maxBatchMessages?: number;
  maxBatchBytes?: number;
  /** A tick (the clock) goes out at least this often while playing. */
  tickMs?: number;
  /** …and at most this often while records are due one by one, so a busy window is batched. */
  minIntervalMs?: number;
  /** How often a backed-up subscriber is asked again whether it takes more. */
  backoffMs?: number;
}

export const PLAYBACK_DEFAULTS = {
  maxBatchMessages: 500,
  maxBatchBytes: 1024 * 1024,
  tickMs: 200,
  minIntervalMs: 25,
  backoffMs: 25,
};

/** Plays the records of `source` to `sink`; resolves after the `done` event. */
export async function play(
  source: RecordSource,
  sink: PlayerSink,
  options: PlayerOptions,
  clock: PlaybackClock,
  signal: AbortSignal,
): Promise<void> {
  const settings = { ...PLAYBACK_DEFAULTS, ...options };
  const { from, to, position, speed, filter, field, decode } = settings;
  let played = 0;
  let skipped = 0;

  /** The next record to play: in the window by timestamp and matching the filter. */
  const nextInWindow = async (): Promise<RawRecord | null> => {
    for (;;) {
      const record = await source.next();
      signal.throwIfAborted();
      if (record === null) return null;
      // A partition's timestamps need not grow with offsets (CreateTime): the offsets only
      // bound the window, the timestamps decide.
      if (record.timestamp < from || record.timestamp >= to) skipped++;
      else if (filter !== null && !filter.matches(record)) skipped++;
      else return record;
    }
  };

  let wallStart = clock.now();
  let time = position;
  /** Wall time at which a record is due: never before the clock reaches its timestamp. */
  const due = (record: RawRecord) =>
    speed === 0 ? -Infinity : wallStart + Math.max(0, record.timestamp - position) / speed;
  const clockTime = () => Math.min(to, position + (clock.now() - wallStart) * speed);

  let pending = await nextInWindow();
  /** Where to resume: the scan's positions, put back to the record read ahead. */
  const next = (): string | null => {
    if (pending === null) return null;
    const positions = source.positions();
    positions.set(pending.partition, pending.offset);
    return encodeCursor({ direction: 'forward', positions });
  };
  const tick = (messages: Message[], values: (number | null)[] | null): PlaybackEvent => {
    const event: PlaybackEvent = {
      kind: 'tick',
      time: Math.floor(time),
      elapsedMs: clock.now() - wallStart,
      messages,
      played,
      skipped,
      next: next(),
    };
    if (values !== null) event.values = values;
    return event;
  };

  for (;;) {
    const messages: Message[] = [];
    const values: (number | null)[] | null = field === null ? null : [];
    let bytes = 0;
    let last: RawRecord | null = null;
    while (
      pending !== null &&
      clock.now() >= due(pending) &&
      messages.length < settings.maxBatchMessages &&
      bytes < settings.maxBatchBytes
    ) {
      messages.push(toMessage(pending, decode));
      if (values !== null) values.push(numberOf(field!(pending, new RecordView(pending))));
      bytes += recordSize(pending);
      played++;
      last = pending;
      pending = await nextInWindow();
    }
    // A full batch with more records due: the clock is where the records are, not further.
    const more = pending !== null && clock.now() >= due(pending);
    const reached = speed === 0 || more ? (last?.timestamp ?? time) : clockTime();
    time = Math.max(time, reached);

    if (pending === null) {
      sink.emit(tick(messages, values));
      sink.emit({ kind: 'done', time: to, played, skipped });
      return;
    }
    if (!sink.emit(tick(messages, values))) {
      // Backed up: read nothing more and stop the clock until the subscriber catches up. The
      // hub only tells whether a send left the socket over its limit, so ask with empty ticks.
      do {
        const before = clock.now();
        await clock.wait(settings.backoffMs, signal);
        wallStart += clock.now() - before;
      } while (!sink.emit(tick([], values === null ? null : [])));
      continue;
    }
    if (speed === 0 || more) {
      await clock.wait(0, signal);
      continue;
    }
    const untilDue = due(pending) - clock.now();
    await clock.wait(Math.min(settings.tickMs, Math.max(settings.minIntervalMs, untilDue)), signal);
  }
}

function numberOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
