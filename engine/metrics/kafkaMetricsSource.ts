/**
 * MetricsSource over a Kafka cluster (high watermarks in one ListOffsets per broker per tick;
 * kafkajs admin: topics, groups, committed offsets), plus the local broker's byte counters
 * from its Prometheus `/metrics`.
 */
import type { KafkaSource } from '../sources/kafkaSource';
import type { MetricsSource } from './metricsPoller';

/** Topic list refreshed at most this often (metadata is the expensive part on big clusters). */
const TOPIC_REFRESH_MS = 30_000;

export function kafkaMetricsSource(source: KafkaSource, metricsUrl: string | null): MetricsSource {
  let topics: string[] = [];
  let topicsAt = 0;
  return {
    async highWatermarks() {
      const admin = await source.connectedAdmin();
      if (Date.now() - topicsAt > TOPIC_REFRESH_MS) {
        topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
        topicsAt = Date.now();
      }
      if (topics.length === 0) return new Map();
      // One ListOffsets per broker for every topic: a request per topic would hammer a
      // cluster with thousands of topics every tick.
      const result = await source.highWatermarks(topics);
      // A topic deleted meanwhile: list the topics again next time.
      if (result.size < topics.length) topicsAt = 0;
      return result;
    },
    async groups() {
      const admin = await source.connectedAdmin();
      return (await admin.listGroups()).groups.map((g) => g.groupId);
    },
    async committedOffsets(group) {
      const admin = await source.connectedAdmin();
      const offsets = await admin.fetchOffsets({ groupId: group });
      return new Map(
        offsets.map((t) => [
          t.topic,
          new Map(t.partitions.map((p) => [p.partition, Number(p.offset)])),
        ]),
      );
    },
    ...(metricsUrl
      ? {
          async byteCounters() {
            const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(5000) });
            if (!response.ok) return null;
            return parseByteCounters(await response.text());
          },
        }
      : {}),
  };
}

/** `logscope_broker_bytes_in_total{topic="t"} 123` (and bytes_out) per topic. */
export function parseByteCounters(
  text: string,
): Map<string, { bytesIn: number; bytesOut: number }> {
  const result = new Map<string, { bytesIn: number; bytesOut: number }>();
  const line =
    /^logscope_broker_bytes_(in|out)_total\{[^}]*topic="((?:[^"\\]|\\.)*)"[^}]*\}\s+([0-9.eE+-]+)/;
  for (const row of text.split('\n')) {
    const match = line.exec(row);
    if (!match) continue;
    const topic = match[2]!.replace(/\\(.)/g, '$1');
    const entry = result.get(topic) ?? { bytesIn: 0, bytesOut: 0 };
    if (match[1] === 'in') entry.bytesIn = Number(match[3]);
    else entry.bytesOut = Number(match[3]);
    result.set(topic, entry);
  }
  return result;
}
