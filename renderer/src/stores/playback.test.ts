import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlaybackHandlers, PlaybackParamsIn } from '../api/playback';
import type { MessageOut } from '../api/types';
import { MAX_ROWS, usePlaybackStore } from './playback';

/** The engine's side of each subscription the store makes (the WebSocket is not under test). */
const runs: { params: PlaybackParamsIn; handlers: PlaybackHandlers; stopped: boolean }[] = [];
vi.mock('../api/playback', () => ({
  subscribePlayback: (params: PlaybackParamsIn, handlers: PlaybackHandlers) => {
    const run = { params, handlers, stopped: false };
    runs.push(run);
    return () => (run.stopped = true);
  },
}));

function message(offset: number, timestamp: number): MessageOut {
  return {
    partition: 0,
    offset,
    timestamp,
    timestampType: 'CreateTime',
    key: null,
    keyEncoding: 'utf8',
    value: `{"v":${offset}}`,
    valueEncoding: 'json',
    valueSize: 8,
    valueTruncated: false,
    headers: [],
    size: 8,
  };
}

function tick(first: number, count: number, played: number, next: string | null) {
  const messages = Array.from({ length: count }, (_, i) => message(first + i, 1000 + first + i));
  return {
    kind: 'tick' as const,
    time: 1000 + first + count,
    elapsedMs: 0,
    messages,
    values: messages.map((m) => m.offset),
    played,
    skipped: 0,
    next,
  };
}

const SETUP = {
  cluster: 'local',
  topic: 't',
  from: 1000,
  to: 100_000,
  speed: 10,
  field: '$.v',
  filter: '',
};

beforeEach(() => {
  setActivePinia(createPinia());
  runs.length = 0;
});

describe('playback store', () => {
  it('pauses and resumes at the next record with the charts kept, counting on', () => {
    const store = usePlaybackStore();
    store.configure(SETUP);
    store.play();
    expect(runs[0]!.params).toMatchObject({
      from: 1000,
      to: 100_000,
      position: 1000,
      field: '$.v',
    });
    expect(runs[0]!.params).not.toHaveProperty('cursor');
    runs[0]!.handlers.onEvent({
      kind: 'start',
      from: 1000,
      to: 100_000,
      position: 1000,
      offsets: 900,
      partitions: 1,
    });
    runs[0]!.handlers.onEvent(tick(0, 300, 300, 'cursor-300'));
    store.pause();
    expect(runs[0]!.stopped).toBe(true);
    expect(store.status).toBe('paused');

    store.play();
    expect(runs[1]!.params).toMatchObject({ position: 1300, cursor: 'cursor-300' });
    runs[1]!.handlers.onEvent(tick(300, 300, 300, 'cursor-600'));
    expect(store.played).toBe(600);
    expect(store.rows).toHaveLength(MAX_ROWS);
    expect(store.rows.at(-1)!.offset).toBe(599);
    expect(store.histogramView()!.count).toBe(600);

    // A new speed goes on from the same record too.
    store.setSpeed('max');
    expect(runs[2]!.params).toMatchObject({ speed: 'max', cursor: 'cursor-600' });
    expect(runs[1]!.stopped).toBe(true);
  });

  it('a jump starts a new run at the chosen time, without a cursor, and the charts over', () => {
    const store = usePlaybackStore();
    store.configure(SETUP);
    store.play();
    runs[0]!.handlers.onEvent(tick(0, 10, 10, 'cursor-10'));
    store.seek(50_000);
    expect(runs[1]!.params).toMatchObject({ position: 50_000 });
    expect(runs[1]!.params).not.toHaveProperty('cursor');
    expect(store.rows).toHaveLength(0);
    expect(store.played).toBe(0);
    expect(store.histogramView()).toBeNull();
  });

  it('goes on from its cursor when the connection comes back, and reports errors and the end', () => {
    const store = usePlaybackStore();
    store.configure(SETUP);
    store.play();
    runs[0]!.handlers.onEvent(tick(0, 10, 10, 'cursor-10'));
    runs[0]!.handlers.onInterrupted();
    expect(runs[1]!.params).toMatchObject({ cursor: 'cursor-10', position: 1010 });
    runs[1]!.handlers.onError({ code: 'NOT_FOUND', message: 'Topic "t" was not found.' });
    expect(store.status).toBe('error');
    expect(store.error).toBe('Topic "t" was not found.');

    store.play();
    runs[2]!.handlers.onEvent({ kind: 'done', time: 100_000, played: 0, skipped: 0 });
    runs[2]!.handlers.onEnd();
    expect(store.status).toBe('done');
    expect(store.time).toBe(100_000);
  });
});
