/**
 * Live throughput and consumer lag of one cluster, by polling: high watermarks per partition
 * (any Kafka cluster), the broker's own byte counters where it has them (the local broker's
 * Prometheus `/metrics`), and committed offsets per consumer group. Rates are the deltas
 * between two polls over the time between them.
 *
 * Polling adapts so a large cluster is not hammered: the interval is at least the one asked
 * for, at least twice the time the last poll took, and grows with the partition count (one
 * second per 2,000 partitions); the group list is refreshed every tenth poll.
 */
import type { MetricsSnapshot } from '../api/metrics';

/** What the poller reads; the Kafka adapter is kafkaMetricsSource, tests use a fake. */
export interface MetricsSource {
  /** topic → partition → high watermark, for every non-internal topic. */
  highWatermarks(): Promise<Map<string, Map<number, number>>>;
  /** Consumer group ids. */
  groups(): Promise<string[]>;
  /** topic → partition → committed offset (−1 or absent when none). */
  committedOffsets(group: string): Promise<Map<string, Map<number, number>>>;
  /** Bytes in and out per topic since the broker started, when the broker counts them. */
  byteCounters?(): Promise<Map<string, { bytesIn: number; bytesOut: number }> | null>;
}

const PARTITIONS_PER_SECOND = 2000;
const GROUP_REFRESH_POLLS = 10;
/** Most groups whose offsets are fetched each poll. */
const MAX_GROUPS = 200;

interface Previous {
  at: number;
  watermarks: Map<string, Map<number, number>>;
  bytes: Map<string, { bytesIn: number; bytesOut: number }> | null;
}

export class MetricsPoller {
  private previous: Previous | null = null;
  private groupIds: string[] = [];
  private polls = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  /** The interval in use after adapting. */
  intervalMs: number;

  constructor(
    private readonly cluster: string,
    private readonly source: MetricsSource,
    private wantedIntervalMs: number,
    private readonly emit: (snapshot: MetricsSnapshot) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.intervalMs = wantedIntervalMs;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  setInterval(ms: number): void {
    this.wantedIntervalMs = ms;
  }

  private async loop(): Promise<void> {
    if (this.stopped) return;
    const snapshot = await this.poll();
    if (this.stopped) return;
    if (snapshot) this.emit(snapshot);
    this.timer = setTimeout(() => void this.loop(), this.intervalMs);
  }

  /** One poll; the first one only records where the counters are (null: no rates yet). */
  async poll(): Promise<MetricsSnapshot | null> {
    const started = this.now();
    let watermarks: Map<string, Map<number, number>>;
    let bytes: Map<string, { bytesIn: number; bytesOut: number }> | null;
    try {
      [watermarks, bytes] = await Promise.all([
        this.source.highWatermarks(),
        this.source.byteCounters?.().catch(() => null) ?? Promise.resolve(null),
      ]);
    } catch (error) {
      this.intervalMs = Math.min(30_000, Math.max(this.wantedIntervalMs, this.intervalMs * 2));
      return this.failure(started, error);
    }
    let groups: MetricsSnapshot['groups'] = [];
    try {
      if (this.polls % GROUP_REFRESH_POLLS === 0) this.groupIds = await this.source.groups();
      groups = await this.lag(watermarks);
    } catch {
      // Lag is best effort: throughput is still worth showing.
    }
    this.polls++;
    const at = this.now();
    const pollMs = at - started;
    let partitions = 0;
    for (const topic of watermarks.values()) partitions += topic.size;
    this.intervalMs = Math.max(
      this.wantedIntervalMs,
      2 * pollMs,
      Math.round((partitions / PARTITIONS_PER_SECOND) * 1000),
    );
    const previous = this.previous;
    this.previous = { at, watermarks, bytes };
    if (!previous) return null;
    const seconds = Math.max(0.001, (at - previous.at) / 1000);
    const topics: MetricsSnapshot['topics'] = [];
    let messagesPerSec = 0;
    let bytesIn: number | null = bytes ? 0 : null;
    let bytesOut: number | null = bytes ? 0 : null;
    for (const [topic, now] of [...watermarks.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const before = previous.watermarks.get(topic);
      const partitionRates = [...now.entries()]
        .sort(([a], [b]) => a - b)
        .map(([partition, highWatermark]) => {
          const delta = highWatermark - (before?.get(partition) ?? highWatermark);
          // A deleted and recreated topic starts again from 0: no negative rates.
          return { partition, highWatermark, messagesPerSec: Math.max(0, delta) / seconds };
        });
      const rate = partitionRates.reduce((sum, p) => sum + p.messagesPerSec, 0);
      messagesPerSec += rate;
      const counterNow = bytes?.get(topic);
      const counterBefore = previous.bytes?.get(topic);
      const topicBytesIn =
        counterNow && bytes
          ? Math.max(0, counterNow.bytesIn - (counterBefore?.bytesIn ?? counterNow.bytesIn)) /
            seconds
          : bytes
            ? 0
            : null;
      const topicBytesOut =
        counterNow && bytes
          ? Math.max(0, counterNow.bytesOut - (counterBefore?.bytesOut ?? counterNow.bytesOut)) /
            seconds
          : bytes
            ? 0
            : null;
      if (bytesIn !== null && topicBytesIn !== null) bytesIn += topicBytesIn;
      if (bytesOut !== null && topicBytesOut !== null) bytesOut += topicBytesOut;
      topics.push({
        topic,
        messagesPerSec: rate,
        bytesInPerSec: topicBytesIn,
        bytesOutPerSec: topicBytesOut,
        partitions: partitionRates,
      });
    }
    return {
      cluster: this.cluster,
      at,
      elapsedMs: at - previous.at,
      intervalMs: this.intervalMs,
      pollMs,
      messagesPerSec,
      bytesInPerSec: bytesIn,
      bytesOutPerSec: bytesOut,
      topics,
      groups,
    };
  }

  private async lag(
    watermarks: Map<string, Map<number, number>>,
  ): Promise<MetricsSnapshot['groups']> {
    const ids = this.groupIds.slice(0, MAX_GROUPS);
    const committed = await Promise.all(ids.map((id) => this.source.committedOffsets(id)));
    return ids
      .map((group, i) => {
        const partitions: MetricsSnapshot['groups'][number]['partitions'] = [];
        for (const [topic, offsets] of committed[i]!) {
          for (const [partition, offset] of offsets) {
            const highWatermark = watermarks.get(topic)?.get(partition);
            if (offset < 0 || highWatermark === undefined) continue;
            partitions.push({
              topic,
              partition,
              committed: offset,
              lag: Math.max(0, highWatermark - offset),
            });
          }
        }
        partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
        return { group, lag: partitions.reduce((sum, p) => sum + p.lag, 0), partitions };
      })
      .sort((a, b) => a.group.localeCompare(b.group));
  }

  private failure(started: number, error: unknown): MetricsSnapshot {
    const at = this.now();
    return {
      cluster: this.cluster,
      at,
      elapsedMs: 0,
      intervalMs: this.intervalMs,
      pollMs: at - started,
      messagesPerSec: 0,
      bytesInPerSec: null,
      bytesOutPerSec: null,
      topics: [],
      groups: [],
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
