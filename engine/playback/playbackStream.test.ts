import { describe, expect, it } from 'vitest';
import { PlaybackParams, type ApiErrorDetail, type PlaybackEvent } from '../api';
import { MemoryLog } from '../browse/memoryLog';
import { RecordSizeEstimate } from '../browse/partitionScan';
import type { ApiError } from '../http/apiError';
import { parseOrFail } from '../http/apiError';
import { startPlayback } from './playbackStream';

function reader(log: MemoryLog) {
  return Object.assign(log, { sizes: () => new RecordSizeEstimate() });
}

function run(log: MemoryLog, params: Record<string, unknown>) {
  const events: PlaybackEvent[] = [];
  return new Promise<{ events: PlaybackEvent[]; error: ApiErrorDetail | null }>((resolve) => {
    startPlayback(reader(log), parseOrFail(PlaybackParams, params, 'params'), {
      emit: (event) => (events.push(event), true),
      end: () => resolve({ events, error: null }),
      fail: (error) => resolve({ events, error }),
    });
  });
}

describe('playback stream', () => {
  it('refuses a window that ends before it starts, or a position outside it, naming the field', () => {
    const failure = (params: Record<string, unknown>) => {
      try {
        parseOrFail(PlaybackParams, params, 'params');
      } catch (error) {
        return (error as ApiError).toDetail();
      }
      throw new Error('accepted');
    };
    expect(failure({ cluster: 'local', topic: 't', from: 2000, to: 1000 })).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'params.to',
      message: expect.stringContaining('the window ends before it starts'),
    });
    expect(
      failure({ cluster: 'local', topic: 't', from: 1000, to: 2000, position: 2500 }),
    ).toMatchObject({ field: 'params.position' });
    expect(failure({ cluster: 'local', topic: 't', from: 0, to: 1, speed: -1 })).toMatchObject({
      field: 'params.speed',
    });
  });

  it('reports a bad filter or field before playing', () => {
    const log = reader(new MemoryLog(1));
    const params = parseOrFail(
      PlaybackParams,
      { cluster: 'local', topic: 't', from: 0, to: 10, filter: 'value ==' },
      'params',
    );
    const sink = { emit: () => true, end: () => {}, fail: () => {} };
    expect(() => startPlayback(log, params, sink)).toThrow(/params\.filter/);
    expect(() =>
      startPlayback(log, { ...params, filter: undefined, field: 'nonsense' }, sink),
    ).toThrow(/params\.field: unknown field "nonsense"/);
  });

  it('plays a window at max speed: start, ticks, done, then ends', async () => {
    const log = new MemoryLog(2);
    log.append(0, [
      { timestamp: 10, value: '{"v":1}' },
      { timestamp: 30, value: '{"v":3}' },
    ]);
    log.append(1, [
      { timestamp: 20, value: '{"v":2}' },
      { timestamp: 40, value: '{"v":4}' },
    ]);
    const { events, error } = await run(log, {
      cluster: 'local',
      topic: 't',
      from: 10,
      to: 40,
      speed: 'max',
      field: '$.v',
    });
    expect(error).toBeNull();
    expect(events[0]).toEqual({
      kind: 'start',
      from: 10,
      to: 40,
      position: 10,
      offsets: 3,
      partitions: 2,
    });
    const ticks = events.filter((e) => e.kind === 'tick');
    expect(ticks.flatMap((t) => t.messages.map((m) => m.value))).toEqual([
      '{"v":1}',
      '{"v":2}',
      '{"v":3}',
    ]);
    expect(ticks.flatMap((t) => t.values)).toEqual([1, 2, 3]);
    expect(events.at(-1)).toEqual({ kind: 'done', time: 40, played: 3, skipped: 0 });
  });

  it('fails an empty window with an error that says so', async () => {
    const log = new MemoryLog(1);
    log.append(0, [{ timestamp: 10, value: 'a' }]);
    const { error } = await run(log, { cluster: 'local', topic: 't', from: 100, to: 200 });
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('has no messages between'),
    });
  });
});
