/**
 * Puts the demo topics on the local broker through the Kafka protocol (kafkajs), in the
 * background, once the broker is up: `demo.orders` (3 partitions, small segments so that each
 * partition has several) and `demo.sensors` (lz4-compressed, so the codecs are exercised).
 * Idempotent: a topic that exists is topped up to its full count if a previous run was cut
 * short, and never duplicated. With `live`, it then keeps producing new records at a gentle rate.
 */
import kafkajs, { type Message as KafkajsMessage } from 'kafkajs';
import { keyPartitioner } from '../sources/batchProducer';
import type { KafkaSource } from '../sources/kafkaSource';
import {
  DEMO_ORDERS_TOPIC,
  DEMO_ORDER_COUNT,
  DEMO_SENSORS_TOPIC,
  DEMO_SENSOR_COUNT,
  DEMO_SENSOR_DEVICES,
  demoOrder,
  demoSensorReading,
  simulatedTime,
  type DemoRecord,
} from './demoData';

// kafkajs is CommonJS: Node's ESM loader cannot see all of its named exports.
const { CompressionTypes } = kafkajs;

interface DemoTopic {
  name: string;
  partitions: number;
  configs: Record<string, string>;
  count: number;
  compression: number;
  make(index: number, timestamp: number): DemoRecord;
}

const TOPICS: DemoTopic[] = [
  {
    name: DEMO_ORDERS_TOPIC,
    partitions: 3,
    // About 7 MB a partition: 1 MiB segments give each partition several.
    configs: { 'segment.bytes': String(1024 * 1024), 'retention.ms': String(7 * 86_400_000) },
    count: DEMO_ORDER_COUNT,
    compression: CompressionTypes.None,
    make: demoOrder,
  },
  {
    name: DEMO_SENSORS_TOPIC,
    partitions: 2,
    configs: { 'segment.bytes': String(1024 * 1024) },
    count: DEMO_SENSOR_COUNT,
    compression: CompressionTypes.LZ4,
    make: demoSensorReading,
  },
];

/**
 * Records per produce request, spread over the partitions: batches of the size a producer
 * with default settings writes (~16 KB), since a fetch returns whole batches and the browse
 * views should feel like they do on a real topic.
 */
const CHUNK = 120;

export interface DemoOptions {
  source: KafkaSource;
  live: boolean;
  log: (line: string) => void;
  /** Waits until the broker is reachable (resolves at once when it is). */
  brokerUp: () => Promise<void>;
}

export class DemoSeeder {
  private stopped = false;
  private liveTimer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: DemoOptions) {}

  /** Seeds in the background; errors are logged, and seeding retries when the broker returns. */
  start(): void {
    this.running ??= this.run().catch((error: unknown) => {
      this.options.log(`demo data: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** Resolves once seeding finished (for tests and shutdown). */
  async settled(): Promise<void> {
    await this.running;
  }

  stop(): void {
    this.stopped = true;
    if (this.liveTimer) clearInterval(this.liveTimer);
    this.liveTimer = null;
  }

  private async run(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      await this.options.brokerUp();
      if (this.stopped) return;
      try {
        await this.seed();
        break;
      } catch (error) {
        if (attempt >= 20) throw error;
        this.options.log(
          `demo data: ${error instanceof Error ? error.message : String(error)}; trying again`,
        );
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
    if (this.options.live && !this.stopped) this.produceLive();
  }

  private async seed(): Promise<void> {
    const { source, log } = this.options;
    const existing = new Map((await source.listTopics()).map((t) => [t.name, t]));
    const end = Date.now();
    for (const topic of TOPICS) {
      if (this.stopped) return;
      const found = existing.get(topic.name);
      if (!found) {
        await source.createTopic({
          name: topic.name,
          partitions: topic.partitions,
          replicationFactor: 1,
          configs: topic.configs,
        });
      }
      const have = found?.messages ?? 0;
      if (have >= topic.count) continue;
      const started = performance.now();
      await this.produce(topic, have, end);
      log(
        `demo data: ${topic.name} has ${topic.count} messages (${topic.count - have} produced in ${Math.round(performance.now() - started)} ms)`,
      );
    }
  }

  private async produce(topic: DemoTopic, from: number, end: number): Promise<void> {
    const producer = await this.options.source.connectedProducer();
    // Records are partitioned here, with the default partitioner, so that each partition has
    // at most one request in flight: concurrent sends may be retried or reordered by the
    // client, and a partition's records must stay in timestamp order (playback and seeks by
    // time depend on it). The partitions' requests overlap, which keeps seeding fast.
    const partitionOf = keyPartitioner(topic.name, topic.partitions);
    const pending: KafkajsMessage[][] = Array.from({ length: topic.partitions }, () => []);
    const previous: Promise<unknown>[] = Array.from({ length: topic.partitions }, () =>
      Promise.resolve(),
    );
    const send = async (partition: number): Promise<void> => {
      const messages = pending[partition]!;
      pending[partition] = [];
      if (messages.length === 0) return;
      await previous[partition];
      const sent = producer.send({
        topic: topic.name,
        acks: 1,
        compression: topic.compression,
        messages: messages.map((message) => ({ ...message, partition })),
      });
      // Handled here so a failure waits for the next send or the end instead of crashing.
      sent.catch(() => undefined);
      previous[partition] = sent;
    };
    const perRequest = Math.ceil(CHUNK / topic.partitions);
    for (let i = from; i < topic.count && !this.stopped; i++) {
      const record = topic.make(i, simulatedTime(i, topic.count, end));
      const partition = partitionOf(Buffer.from(record.key));
      pending[partition]!.push(kafkajsMessage(record));
      if (pending[partition]!.length >= perRequest) await send(partition);
    }
    for (let partition = 0; partition < topic.partitions; partition++) await send(partition);
    await Promise.all(previous);
  }

  /** A few orders a second and a reading per device every few seconds, stamped now. */
  private produceLive(): void {
    const { source, log } = this.options;
    let order = DEMO_ORDER_COUNT;
    let reading = DEMO_SENSOR_COUNT;
    let tick = 0;
    let busy = false;
    this.options.log('demo data: producing live (--demo-live)');
    this.liveTimer = setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      tick++;
      const now = Date.now();
      const orders = [0, 1, 2].map((j) => demoOrder(order++, now - 200 + j * 60));
      const sends = [{ topic: DEMO_ORDERS_TOPIC, messages: orders.map(kafkajsMessage) }];
      if (tick % 10 === 0) {
        const readings = Array.from({ length: DEMO_SENSOR_DEVICES }, () =>
          demoSensorReading(reading++, now),
        );
        sends.push({ topic: DEMO_SENSORS_TOPIC, messages: readings.map(kafkajsMessage) });
      }
      source
        .connectedProducer()
        .then((producer) => producer.sendBatch({ acks: 1, topicMessages: sends }))
        .catch((error: unknown) => log(`demo data: live produce failed: ${String(error)}`))
        .finally(() => (busy = false));
    }, 500);
    this.liveTimer.unref();
  }
}

function kafkajsMessage(record: DemoRecord): KafkajsMessage {
  return {
    key: record.key,
    value: record.value,
    timestamp: String(record.timestamp),
    headers: record.headers,
  };
}
