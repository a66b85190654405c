/**
 * Live throughput and lag of one cluster, as bounded series: every snapshot of the `metrics`
 * stream adds one point to the cluster's, each topic's, the focused topic's partitions',
 * each group's and the focused group's per-partition lag series. Each series is a SeriesBuffer (fixed memory), and at most MAX_SERIES
 * series are kept (the least recently updated go first), so memory stays flat over hours.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { watchMetrics, type MetricsSnapshot } from '../api/eda';
import { SeriesBuffer } from '../lib/seriesBuffer';

export const MAX_SERIES = 300;
/**
 * Most partitions of the focused group charted each tick: those with the most lag. A group
 * reading a 1,000-partition topic would otherwise crowd out every other series (and the chart).
 */
export const MAX_GROUP_PARTITION_SERIES = 50;

export type SeriesKind = 'cluster' | 'topic' | 'partition' | 'group' | 'groupPartition';

export interface SeriesInfo {
  key: string;
  kind: SeriesKind;
  name: string;
  unit: 'msg/s' | 'B/s' | 'messages';
  buffer: SeriesBuffer;
}

export const useMetricsStore = defineStore('metrics', () => {
  const cluster = ref<string | null>(null);
  const latest = shallowRef<MetricsSnapshot | null>(null);
  const error = ref<string | null>(null);
  /** Bumped on every snapshot, so charts know when to redraw (series are not reactive). */
  const tick = ref(0);
  const paused = ref(false);
  const focusTopic = ref<string | null>(null);
  /** The group whose lag is also kept per partition (the group view being looked at). */
  const focusGroup = ref<string | null>(null);
  const series = new Map<string, SeriesInfo>();
  let stop: (() => void) | null = null;

  function record(
    key: string,
    kind: SeriesKind,
    name: string,
    unit: SeriesInfo['unit'],
    at: number,
    value: number,
  ): void {
    let info = series.get(key);
    if (!info) {
      if (series.size >= MAX_SERIES) evictOldest();
      info = { key, kind, name, unit, buffer: new SeriesBuffer() };
      series.set(key, info);
    }
    info.buffer.push(at, value);
  }

  function evictOldest(): void {
    let oldest: SeriesInfo | null = null;
    for (const info of series.values()) {
      if (!oldest || info.buffer.lastUpdate < oldest.buffer.lastUpdate) oldest = info;
    }
    if (oldest) series.delete(oldest.key);
  }

  /** Adds one snapshot's points. */
  function ingest(snapshot: MetricsSnapshot): void {
    latest.value = snapshot;
    error.value = snapshot.error ?? null;
    if (snapshot.error) return;
    const at = snapshot.at;
    record('cluster:messages', 'cluster', 'messages/s', 'msg/s', at, snapshot.messagesPerSec);
    if (snapshot.bytesInPerSec !== null)
      record('cluster:bytesIn', 'cluster', 'bytes in/s', 'B/s', at, snapshot.bytesInPerSec);
    if (snapshot.bytesOutPerSec !== null)
      record('cluster:bytesOut', 'cluster', 'bytes out/s', 'B/s', at, snapshot.bytesOutPerSec);
    for (const topic of snapshot.topics) {
      record(`topic:${topic.topic}`, 'topic', topic.topic, 'msg/s', at, topic.messagesPerSec);
      if (topic.topic === focusTopic.value) {
        for (const p of topic.partitions) {
          record(
            `partition:${topic.topic}:${p.partition}`,
            'partition',
            `${topic.topic} / ${p.partition}`,
            'msg/s',
            at,
            p.messagesPerSec,
          );
        }
      }
    }
    for (const group of snapshot.groups) {
      record(`group:${group.group}`, 'group', group.group, 'messages', at, group.lag);
      if (group.group === focusGroup.value) {
        const mostLag =
          group.partitions.length > MAX_GROUP_PARTITION_SERIES
            ? [...group.partitions]
                .sort((a, b) => b.lag - a.lag)
                .slice(0, MAX_GROUP_PARTITION_SERIES)
            : group.partitions;
        for (const p of mostLag) {
          record(
            `groupPartition:${group.group}:${p.topic}:${p.partition}`,
            'groupPartition',
            `${p.topic} / ${p.partition}`,
            'messages',
            at,
            p.lag,
          );
        }
      }
    }
    tick.value++;
  }

  function seriesOf(kind: SeriesKind): SeriesInfo[] {
    return [...series.values()].filter((s) => s.kind === kind);
  }

  /** Points held in every series (bounded: MAX_SERIES × a series' capacity). */
  function pointCount(): number {
    let total = 0;
    for (const info of series.values()) total += info.buffer.size;
    return total;
  }

  /**
   * Follows a cluster's metrics. Coming back to the same cluster (another view that charts it)
   * keeps the history, with a gap marked where nothing was watched; another cluster starts over.
   */
  function start(id: string, intervalMs = 1000): void {
    if (cluster.value === id && stop) return;
    stopWatching();
    if (cluster.value === id) markGap();
    else {
      series.clear();
      latest.value = null;
    }
    cluster.value = id;
    stop = watchMetrics(id, intervalMs, ingest);
  }

  function markGap(): void {
    const at = latest.value?.at;
    if (at === undefined) return;
    for (const info of series.values()) info.buffer.push(at + 1, Number.NaN);
  }

  function stopWatching(): void {
    stop?.();
    stop = null;
  }

  function focus(topic: string | null): void {
    for (const key of [...series.keys()]) if (key.startsWith('partition:')) series.delete(key);
    focusTopic.value = topic;
  }

  function focusOnGroup(group: string | null): void {
    if (group === focusGroup.value) return;
    for (const key of [...series.keys()]) if (key.startsWith('groupPartition:')) series.delete(key);
    focusGroup.value = group;
  }

  return {
    cluster,
    latest,
    error,
    tick,
    paused,
    focusTopic,
    focusGroup,
    ingest,
    seriesOf,
    pointCount,
    seriesCount: () => series.size,
    start,
    stop: stopWatching,
    focus,
    focusOnGroup,
  };
});
