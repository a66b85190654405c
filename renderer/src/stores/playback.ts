/**
 * One playback of a topic's time window (engine stream `playback`): the playback clock, the
 * last MAX_ROWS messages played (newest last), and the throughput and field distribution of
 * what has been played. Pausing unsubscribes and keeps the last event's cursor, so resuming
 * (or changing speed) continues at exactly the next record with the charts kept; a jump starts
 * a new run at the chosen time and the charts start over from there.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { subscribePlayback, type PlaybackEventOut } from '../api/playback';
import type { MessageOut } from '../api/types';
import { GrowingHistogram, ThroughputSeries } from '../lib/playbackStats';

/** Rows kept for the message table: a playback can run through millions. */
export const MAX_ROWS = 500;

export type PlaybackSpeed = number | 'max';
export type PlaybackStatus = 'idle' | 'starting' | 'playing' | 'paused' | 'done' | 'error';

export interface PlaybackSetup {
  cluster: string;
  topic: string;
  from: number;
  to: number;
  speed: PlaybackSpeed;
  /** A field whose numbers are charted (`$.temperature`); empty for none. */
  field: string;
  filter: string;
}

export const usePlaybackStore = defineStore('playback', () => {
  const setup = ref<PlaybackSetup | null>(null);
  const status = ref<PlaybackStatus>('idle');
  const error = ref<string | null>(null);
  /** The playback time (ms since the epoch). */
  const time = ref(0);
  const rows = shallowRef<MessageOut[]>([]);
  const played = ref(0);
  const skipped = ref(0);
  /** Offsets in the window, from the engine's first event (an upper bound of what plays). */
  const offsets = ref<number | null>(null);
  /** Bumped whenever the charts' data changed; the charts redraw at their own pace. */
  const revision = ref(0);
  let throughput: ThroughputSeries | null = null;
  let histogram: GrowingHistogram | null = null;
  /** Where the current run stands: resume here. */
  let cursor: string | null = null;
  let stop: (() => void) | null = null;

  const playing = computed(() => status.value === 'playing' || status.value === 'starting');

  function unsubscribe(): void {
    stop?.();
    stop = null;
  }

  function resetCharts(): void {
    if (!setup.value) return;
    throughput = new ThroughputSeries(setup.value.from, setup.value.to, time.value);
    histogram = new GrowingHistogram();
    rows.value = [];
    played.value = 0;
    skipped.value = 0;
    revision.value++;
  }

  /** A new window (or topic): stops what plays and starts over, paused at `from`. */
  function configure(next: PlaybackSetup): void {
    unsubscribe();
    setup.value = { ...next };
    status.value = 'idle';
    error.value = null;
    time.value = next.from;
    offsets.value = null;
    cursor = null;
    resetCharts();
  }

  /** Subscribes from `time` (and the cursor, when resuming); `counted` adds to the totals. */
  function start(): void {
    const current = setup.value;
    if (!current) return;
    unsubscribe();
    error.value = null;
    status.value = 'starting';
    const base = { played: played.value, skipped: skipped.value };
    const params = {
      cluster: current.cluster,
      topic: current.topic,
      from: current.from,
      to: current.to,
      speed: current.speed,
      position: Math.min(Math.max(time.value, current.from), current.to - 1),
      ...(cursor === null ? {} : { cursor }),
      ...(current.field ? { field: current.field } : {}),
      ...(current.filter.trim() ? { filter: current.filter } : {}),
    };
    stop = subscribePlayback(params, {
      onEvent: (event) => onEvent(event, base),
      onError: (detail) => {
        stop = null;
        status.value = 'error';
        error.value = detail.message;
      },
      onEnd: () => {
        stop = null;
        if (status.value !== 'error') status.value = 'done';
      },
      // The engine connection came back: go on from the last record that arrived.
      onInterrupted: () => start(),
    });
  }

  function onEvent(event: PlaybackEventOut, base: { played: number; skipped: number }): void {
    if (event.kind === 'start') {
      offsets.value = event.offsets;
      status.value = 'playing';
      return;
    }
    if (event.kind === 'done') {
      time.value = event.time;
      cursor = null;
      status.value = 'done';
      revision.value++;
      return;
    }
    time.value = event.time;
    cursor = event.next;
    played.value = base.played + event.played;
    skipped.value = base.skipped + event.skipped;
    if (event.messages.length === 0) return;
    event.messages.forEach((message, i) => {
      throughput?.add(message.timestamp);
      if (event.values) histogram?.add(event.values[i] ?? null);
    });
    const kept = rows.value.length + event.messages.length - MAX_ROWS;
    rows.value =
      kept > 0
        ? [...rows.value.slice(kept), ...event.messages].slice(-MAX_ROWS)
        : [...rows.value, ...event.messages];
    revision.value++;
  }

  function play(): void {
    if (!setup.value || playing.value) return;
    // Played to the end: play it again from the start.
    if (status.value === 'done') {
      time.value = setup.value.from;
      cursor = null;
      resetCharts();
    }
    start();
  }

  function pause(): void {
    if (!playing.value) return;
    unsubscribe();
    status.value = 'paused';
  }

  /** Jumps to a time in the window; the charts start over there. Keeps playing if it was. */
  function seek(to: number): void {
    if (!setup.value) return;
    const wasPlaying = playing.value;
    unsubscribe();
    time.value = to;
    cursor = null;
    resetCharts();
    if (wasPlaying) start();
    else status.value = 'paused';
  }

  function setSpeed(speed: PlaybackSpeed): void {
    if (!setup.value) return;
    setup.value = { ...setup.value, speed };
    // Continue at the same record, at the new pace.
    if (playing.value) start();
  }

  function dispose(): void {
    unsubscribe();
    status.value = 'idle';
  }

  return {
    setup,
    status,
    error,
    time,
    rows,
    played,
    skipped,
    offsets,
    revision,
    playing,
    throughputPoints: (upTo: number) => throughput?.points(upTo) ?? [],
    histogramView: () => histogram?.result() ?? null,
    configure,
    play,
    pause,
    seek,
    setSpeed,
    dispose,
  };
});
