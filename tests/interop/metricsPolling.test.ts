/**
 * The metrics poller against `logscope-broker` as a real process with many topics: one tick
 * asks for every topic's high watermarks in one ListOffsets request per broker (counted by
 * the broker's own Prometheus counters), not one per topic, and the rates it derives are the
 * messages produced between two ticks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { MetricsSnapshot } from '../../engine/api/metrics';
import { kafkaMetricsSource } from '../../engine/metrics/kafkaMetricsSource';
import { MetricsPoller } from '../../engine/metrics/metricsPoller';
import { KafkaSource } from '../../engine/sources/kafkaSource';
import { startBroker, type RunningBroker } from '../support/broker';

const TOPICS = 60;
let broker: RunningBroker;
let admin: Admin;
let kafka: Kafka;
let source: KafkaSource;

beforeAll(async () => {
  broker = await startBroker();
  kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: Array.from({ length: TOPICS }, (_, i) => ({ topic: `many.${i}`, numPartitions: 2 })),
  });
  source = new KafkaSource({ brokers: [broker.bootstrap], clientId: 'metrics-interop' });
});

afterAll(async () => {
  await admin?.disconnect();
  await source?.close();
  if (broker) expect(await broker.process.stop()).toBe(0);
});

/** Requests of one API the broker has answered, from its `/metrics`. */
async function answered(api: string): Promise<number> {
  const text = await (await fetch(`${broker.adminUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^logscope_broker_requests_total\{([^}]*)\}\s+(\S+)/.exec(line);
    if (match && match[1]!.includes(`api="${api}"`)) total += Number(match[2]);
  }
  return total;
}

describe('metrics polling on a cluster with many topics', () => {
  it('reads every topic’s high watermarks in one ListOffsets per broker per tick', async () => {
    const snapshots: MetricsSnapshot[] = [];
    const poller = new MetricsPoller(
      'local',
      kafkaMetricsSource(source, `${broker.adminUrl}/metrics`),
      1000,
      (s) => snapshots.push(s),
    );
    expect(await poller.poll()).toBeNull(); // the first tick only notes where the counters are

    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < TOPICS; i += 7) {
      await producer.send({
        topic: `many.${i}`,
        messages: Array.from({ length: i + 1 }, (_, n) => ({ partition: n % 2, value: `m${n}` })),
      });
    }
    await producer.disconnect();

    const before = await answered('ListOffsets');
    const snapshot = (await poller.poll())!;
    const requests = (await answered('ListOffsets')) - before;
    // One broker: one ListOffsets for all 60 topics (it was one per topic, 60).
    expect(requests).toBe(1);
    expect(snapshot.error).toBeUndefined();
    expect(snapshot.topics.filter((t) => t.topic.startsWith('many.'))).toHaveLength(TOPICS);
    for (const topic of snapshot.topics.filter((t) => t.topic.startsWith('many.'))) {
      const i = Number(topic.topic.slice('many.'.length));
      const produced = i % 7 === 0 ? i + 1 : 0;
      const highWatermarks = topic.partitions.reduce((sum, p) => sum + p.highWatermark, 0);
      expect(highWatermarks).toBe(produced);
      // What arrived between the two ticks, over the time between them.
      expect(topic.messagesPerSec * (snapshot.elapsedMs / 1000)).toBeCloseTo(produced, 6);
    }
  });
});
