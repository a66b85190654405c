import { describe, expect, it } from 'vitest';
import type { PlaybackEvent } from '../api';
import { compileFilter } from '../browse/filter';
import { MemoryLog } from '../browse/memoryLog';
import { compareRecords, PartitionScan, RecordSizeEstimate } from '../browse/partitionScan';
import { WHOLE, type RawRecord } from '../browse/record';
import { fieldExtractor } from '../eda/fields';
import { play, type PlaybackClock, type PlayerOptions, type RecordSource } from './player';
import { resolveWindow } from './playbackWindow';

/** Virtual time: waiting moves the clock at once, so a playback runs instantly but in order. */
class FakeClock implements PlaybackClock {
  time = 1_000_000;
  now(): number {
    return this.time;
  }
  async wait(ms: number, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    this.time += Math.max(0, ms);
    await Promise.resolve();
  }
}

/** Three partitions with interleaved timestamps, ties across partitions and within one. */
function sampleLog(
  stamps = [
    [100, 250, 250, 400, 900, 1500],
    [100, 200, 250, 700, 700, 2000],
    [50, 250, 300, 1000, 1800, 1900],
  ],
): MemoryLog {
  const log = new MemoryLog(3, 4);
  stamps.forEach((list, partition) =>
    log.append(
      partition,
      list.map((timestamp, i) => ({ timestamp, value: JSON.stringify({ n: partition * 10 + i }) })),
    ),
  );
  return log;
}

function scanOf(log: MemoryLog, start: Map<number, number>, end: Map<number, number>) {
  return new PartitionScan({
    topic: 't',
    reader: log,
    direction: 'forward',
    start,
    end,
    floor: start,
    sizes: new RecordSizeEstimate(),
  });
}

async function playAll(
  log: MemoryLog,
  options: Partial<PlayerOptions> & { from: number; to: number },
  sinkOk: (index: number) => boolean = () => true,
  wrap: (source: RecordSource) => RecordSource = (s) => s,
) {
  const window = await resolveWindow(log, { topic: 't', from: options.from, to: options.to });
  const clock = new FakeClock();
  const startedAt = clock.now();
  const emitted: { event: PlaybackEvent; at: number }[] = [];
  await play(
    wrap(scanOf(log, window.start, window.end)),
    {
      emit: (event) => {
        emitted.push({ event, at: clock.now() });
        return sinkOk(emitted.length - 1);
      },
    },
    {
      position: window.position,
      speed: 0,
      filter: null,
      field: null,
      decode: WHOLE,
      ...options,
    },
    clock,
    new AbortController().signal,
  );
  const ticks = emitted.filter(
    (e): e is { event: Extract<PlaybackEvent, { kind: 'tick' }>; at: number } =>
      e.event.kind === 'tick',
  );
  const played = ticks.flatMap((t) => t.event.messages.map((message) => ({ message, at: t.at })));
  return { emitted, ticks, played, startedAt, clock };
}

async function allRecords(log: MemoryLog): Promise<RawRecord[]> {
  const offsets = await log.offsets();
  const result = await log.fetch(
    't',
    offsets.map((p) => ({ partition: p.partition, offset: 0, maxBytes: 1e9 })),
  );
  return [...result.values()].flatMap((r) => r.records);
}

describe('playback', () => {
  it('plays a window in timestamp order, ties by partition then offset, and ends with done', async () => {
    const log = sampleLog();
    const { emitted, played } = await playAll(log, { from: 0, to: 10_000 });
    const expected = (await allRecords(log)).sort(compareRecords);
    expect(played.map((p) => [p.message.partition, p.message.offset])).toEqual(
      expected.map((r) => [r.partition, r.offset]),
    );
    expect(emitted.at(-1)!.event).toEqual({ kind: 'done', time: 10_000, played: 18, skipped: 0 });
  });

  it('plays only records whose timestamps lie in [from, to), where a partition’s timestamps go back', async () => {
    // Partition 2 goes back in time at offset 2 (200 after 300) and at offset 5 (500 after 1200).
    const log = sampleLog([
      [100, 250, 400, 900],
      [260, 700],
      [100, 300, 200, 400, 1200, 500],
    ]);
    const { played, emitted } = await playAll(log, { from: 250, to: 1000 });
    // The offsets of [250, 1000) per partition (0: 1–3, 1: 0–1, 2: 1–3), merged by timestamp;
    // 2:2 (200) is out of the window by time, 2:5 (500) lies after 1200 in its partition.
    expect(played.map((p) => `${p.message.partition}:${p.message.offset}`)).toEqual([
      '0:1',
      '1:0',
      '2:1',
      '0:2',
      '2:3',
      '1:1',
      '0:3',
    ]);
    expect(emitted.at(-1)!.event).toMatchObject({ kind: 'done', played: 7, skipped: 1 });
  });

  it('never sends a record before the clock reaches it, at ×10, and the clock keeps pace', async () => {
    const log = new MemoryLog(2, 3);
    // Gaps from 0 to 5 s, so some records wait longer than a tick and some less than a batch interval.
    const base = 1_700_000_000_000;
    const gaps = [0, 5, 40, 300, 2000, 5000, 10, 10, 990, 3000, 1];
    let t = base;
    gaps.forEach((gap, i) => {
      t += gap;
      log.append(i % 2, [{ timestamp: t, value: String(i) }]);
    });
    const speed = 10;
    const { played, ticks, startedAt } = await playAll(log, { from: base, to: t + 1, speed });
    expect(played).toHaveLength(gaps.length);
    for (const { message, at } of played) {
      const due = startedAt + (message.timestamp - base) / speed;
      expect(at).toBeGreaterThanOrEqual(due);
      // …and not much later: at most one batch interval on an idle fake clock.
      expect(at - due).toBeLessThanOrEqual(25);
    }
    for (const tick of ticks) {
      // Every record in a tick is at or before the tick's time; the time is the clock's.
      for (const message of tick.event.messages)
        expect(message.timestamp).toBeLessThanOrEqual(tick.event.time);
      expect(tick.event.time).toBe(
        Math.min(t + 1, Math.floor(base + tick.event.elapsedMs * speed)),
      );
    }
    // A tick at least every 200 ms of wall time while playing.
    const times = ticks.map((tick) => tick.at);
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(200);
  });

  it('stops reading and stops the clock while the subscriber is backed up: memory stays bounded', async () => {
    const log = new MemoryLog(2, 50);
    for (let partition = 0; partition < 2; partition++)
      log.append(
        partition,
        Array.from({ length: 5000 }, (_, i) => ({ timestamp: i * 2 + partition, value: 'x' })),
      );
    let read = 0;
    const maxBatchMessages = 100;
    // The 3rd event finds the subscriber backed up, and it stays so for 38 more asks.
    const { ticks, played } = await playAll(
      log,
      { from: 0, to: 1e9, maxBatchMessages },
      (index) => index < 2 || index > 40,
      (source) => ({
        next: async () => {
          read++;
          return source.next();
        },
        positions: () => source.positions(),
      }),
    );
    expect(played).toHaveLength(10_000);
    expect(read).toBe(10_001);
    // While backed up the player asked with empty ticks and read nothing: the probes show the
    // same time and the same count played.
    const stalled = ticks.slice(3, 42).map((t) => t.event);
    expect(stalled.every((e) => e.messages.length === 0)).toBe(true);
    expect(new Set(stalled.map((e) => e.played)).size).toBe(1);
    expect(new Set(stalled.map((e) => e.time)).size).toBe(1);
    // One batch at most between two events: never more held than maxBatchMessages.
    expect(Math.max(...ticks.map((t) => t.event.messages.length))).toBe(maxBatchMessages);
  });

  it('does not read ahead while the subscriber is backed up, counted per read', async () => {
    const log = new MemoryLog(1, 10);
    log.append(
      0,
      Array.from({ length: 3000 }, (_, i) => ({ timestamp: i, value: 'y' })),
    );
    const window = await resolveWindow(log, { topic: 't', from: 0, to: 3000 });
    const clock = new FakeClock();
    const controller = new AbortController();
    let read = 0;
    let readWhenBackedUp = -1;
    let emits = 0;
    const scan = scanOf(log, window.start, window.end);
    const playing = play(
      { next: () => (read++, scan.next()), positions: () => scan.positions() },
      {
        emit: () => {
          emits++;
          if (emits === 2) readWhenBackedUp = read;
          if (emits > 200) controller.abort();
          return emits < 2; // backed up for good after the first event
        },
      },
      {
        from: 0,
        to: 3000,
        position: 0,
        speed: 0,
        filter: null,
        field: null,
        decode: WHOLE,
        maxBatchMessages: 50,
      },
      clock,
      controller.signal,
    );
    await expect(playing).rejects.toThrow();
    // Two batches of 50 and the record read ahead; nothing after the refused event.
    expect(readWhenBackedUp).toBe(101);
    expect(read).toBe(readWhenBackedUp);
  });

  it('resumes at exactly the next record from a tick’s cursor, and a jump starts at the first record at or after the position', async () => {
    const log = sampleLog();
    const whole = await playAll(log, { from: 0, to: 10_000, maxBatchMessages: 5 });
    const order = whole.played.map((p) => `${p.message.partition}:${p.message.offset}`);
    const third = whole.ticks[2]!.event;
    const resumedWindow = await resolveWindow(log, {
      topic: 't',
      from: 0,
      to: 10_000,
      position: third.time,
      cursor: third.next!,
    });
    const clock = new FakeClock();
    const resumed: string[] = [];
    await play(
      scanOf(log, resumedWindow.start, resumedWindow.end),
      {
        emit: (event) => {
          if (event.kind === 'tick')
            for (const m of event.messages) resumed.push(`${m.partition}:${m.offset}`);
          return true;
        },
      },
      {
        from: 0,
        to: 10_000,
        position: resumedWindow.position,
        speed: 0,
        filter: null,
        field: null,
        decode: WHOLE,
      },
      clock,
      new AbortController().signal,
    );
    expect(resumed).toEqual(order.slice(third.played));

    // A jump to 700 plays from the first record stamped 700 (partition 1, offset 3).
    const jumped = await resolveWindow(log, { topic: 't', from: 0, to: 10_000, position: 700 });
    expect(jumped.position).toBe(700);
    const scan = scanOf(log, jumped.start, jumped.end);
    const first = await scan.next();
    const firstAtOrAfter = (await allRecords(log))
      .filter((r) => r.timestamp >= 700)
      .sort(compareRecords)[0]!;
    expect([first!.partition, first!.offset]).toEqual([
      firstAtOrAfter.partition,
      firstAtOrAfter.offset,
    ]);
  });

  it('applies the filter and sends the chosen field’s numbers alongside the messages', async () => {
    const log = sampleLog();
    const { played, ticks } = await playAll(log, {
      from: 0,
      to: 10_000,
      filter: compileFilter('partition == 2'),
      field: fieldExtractor('$.n'),
    });
    expect(played.map((p) => p.message.partition)).toEqual([2, 2, 2, 2, 2, 2]);
    const values = ticks.flatMap((t) => t.event.values ?? []);
    expect(values.sort((a, b) => a! - b!)).toEqual([20, 21, 22, 23, 24, 25]);
    expect(ticks.at(-1)!.event.skipped).toBe(12);
  });
});

describe('playback window', () => {
  it('refuses a window without messages, naming the window', async () => {
    const log = sampleLog();
    await expect(resolveWindow(log, { topic: 't', from: 5000, to: 6000 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no messages between 1970-01-01T00:00:05.000Z'),
    });
  });
});
