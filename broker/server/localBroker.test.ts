import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { parseBrokerConfig } from '../brokerConfig';
import { LocalBroker, clusterIdFor } from './localBroker';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'logscope-local-broker-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dir: string, settings: Record<string, string> = {}): Promise<LocalBroker> {
  const config = parseBrokerConfig(
    Object.entries(settings).map(([key, value]) => ({ key, value, source: 'test' })),
  );
  const broker = await LocalBroker.start({ dataDir: dir, port: 0, adminPort: 0, config });
  cleanups.push(() => broker.stop());
  return broker;
}

const kafkaFor = (broker: LocalBroker) =>
  new Kafka({
    clientId: 'local-broker-test',
    brokers: [`${broker.node.host}:${broker.node.port}`],
    logLevel: logLevel.NOTHING,
  });

describe('LocalBroker', { timeout: 60_000 }, () => {
  it('lets kafkajs create a topic, produce, and consume it with a consumer group', async () => {
    const broker = await start(await dataDir());
    const kafka = kafkaFor(broker);
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] });

    const producer = kafka.producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const sent = Array.from({ length: 30 }, (_, i) => `order-${i}`);
    await producer.send({
      topic: 'orders',
      acks: -1,
      messages: sent.map((value, i) => ({ key: `k${i % 7}`, value })),
    });

    const consumer = kafka.consumer({ groupId: 'billing' });
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic: 'orders', fromBeginning: true });
    const received: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message.value!.toString());
      },
    });
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(sent.length);
    expect([...received].sort()).toEqual([...sent].sort());

    // The admin API sees the same log.
    const topics = (await (await fetch(`${broker.adminUrl}/v1/topics`)).json()) as {
      topics: { name: string; messages: number }[];
    };
    expect(topics.topics).toEqual([expect.objectContaining({ name: 'orders', messages: 30 })]);
    const metrics = await (await fetch(`${broker.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/logscope_broker_messages_in_total\{topic="orders"\} 30/);
  });

  it('keeps its topics, records and cluster id across a clean stop and start', async () => {
    const dir = await dataDir();
    const first = await start(dir);
    const producer = kafkaFor(first).producer({ allowAutoTopicCreation: false });
    await first.log.createTopic('kept');
    await producer.connect();
    await producer.send({ topic: 'kept', messages: [{ value: 'still here' }] });
    await producer.disconnect();
    await first.stop();

    const second = await start(dir);
    expect(second.log.partitionSummary('kept', 0).logEndOffset).toBe(1);
    const admin = kafkaFor(second).admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    expect((await admin.describeCluster()).clusterId).toBe(clusterIdFor(dir));
  });

  it('advertises advertised.listeners in Metadata, and honours auto.create.topics.enable', async () => {
    const broker = await start(await dataDir(), {
      'advertised.listeners': 'PLAINTEXT://localhost:0',
      'auto.create.topics.enable': 'true',
    });
    expect(broker.node).toEqual({ nodeId: 0, host: 'localhost', port: broker.address.port });
    const producer = kafkaFor(broker).producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    await producer.send({ topic: 'on-the-fly', messages: [{ value: 'x' }] });
    expect(broker.log.hasTopic('on-the-fly')).toBe(true);
  });
});
