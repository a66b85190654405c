/**
 * The batch producer against a real broker (in process, over TCP): what it writes reads back
 * exactly (null keys and header values, repeated header keys in their order, timestamps), per
 * partition in order; a response lost on the wire is retried without a duplicate; a batch the
 * broker refuses fails with Kafka's error named.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBrokerConfig } from '../../broker/brokerConfig';
import { LocalBroker } from '../../broker/server/localBroker';
import type { RawRecord } from '../browse/record';
import { KafkaSource } from './kafkaSource';
import type { ProducerRecord } from './recordBatchBuilder';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A TCP proxy in front of the broker that can lose the next response: it closes both sides
 * when the broker's answer arrives, after the broker has done the work.
 */
class LossyProxy {
  dropNextResponse = false;
  dropped = 0;
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<LossyProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new LossyProxy(server, (server.address() as AddressInfo).port);
  }

  forwardTo(port: number): void {
    this.server.on('connection', (client) => {
      const upstream = connect(port, '127.0.0.1');
      this.sockets.add(client).add(upstream);
      client.on('data', (data) => upstream.write(data));
      upstream.on('data', (data) => {
        if (this.dropNextResponse) {
          this.dropNextResponse = false;
          this.dropped++;
          client.destroy();
          upstream.destroy();
          return;
        }
        client.write(data);
      });
      for (const socket of [client, upstream]) {
        socket.on('error', () => undefined);
        socket.on('close', () => {
          client.destroy();
          upstream.destroy();
        });
      }
    });
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A broker behind a proxy it advertises, so every connection of a client goes through it. */
async function brokerBehindProxy(): Promise<{ proxy: LossyProxy; source: KafkaSource }> {
  const dir = await mkdtemp(join(tmpdir(), 'logscope-batch-producer-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const proxy = await LossyProxy.start();
  cleanups.push(() => proxy.stop());
  const config = parseBrokerConfig([
    { key: 'advertised.listeners', value: `PLAINTEXT://127.0.0.1:${proxy.port}`, source: 'test' },
  ]);
  const broker = await LocalBroker.start({ dataDir: dir, port: 0, adminPort: 0, config });
  cleanups.push(() => broker.stop());
  proxy.forwardTo(broker.address.port);
  const source = new KafkaSource({ brokers: [`127.0.0.1:${proxy.port}`], clientId: 'test' });
  cleanups.push(() => source.close());
  return { proxy, source };
}

async function readAll(source: KafkaSource, topic: string, partition: number) {
  const records: RawRecord[] = [];
  let offset = 0;
  for (;;) {
    const result = (await source.fetch(topic, [{ partition, offset, maxBytes: 1024 * 1024 }])).get(
      partition,
    )!;
    records.push(...result.records);
    offset = result.nextOffset;
    if (offset >= result.highWatermark) return records;
  }
}

const T0 = Date.UTC(2026, 0, 1);

function record(i: number): ProducerRecord {
  return {
    key: i % 5 === 0 ? null : Buffer.from(`k${i}`),
    value: i % 11 === 0 ? null : Buffer.from(`value ${i} ${'x'.repeat(i % 300)}`),
    headers:
      i % 3 === 0
        ? [
            { key: 'a', value: Buffer.from(`${i}`) },
            { key: 'b', value: null },
            { key: 'a', value: Buffer.from('again') },
          ]
        : [],
    // Out of order on purpose: a batch's timestamps need not rise.
    timestamp: T0 + ((i * 7919) % 100_000),
  };
}

describe('BatchProducer', { timeout: 60_000 }, () => {
  it('writes records that read back exactly, in order per partition, several batches in flight', async () => {
    const { source } = await brokerBehindProxy();
    await source.createTopic({
      name: 'bp.exact',
      partitions: 3,
      replicationFactor: 1,
      configs: {},
    });
    let acknowledged = 0;
    const producer = await source.batchProducer({
      topic: 'bp.exact',
      batchBytes: 16 * 1024, // many small batches, so several requests are in flight
      onAcknowledged: (n) => (acknowledged += n),
    });
    expect(producer.partitions).toBe(3);
    const COUNT = 6000;
    for (let i = 0; i < COUNT; i++) await producer.add(i % 3, record(i));
    await producer.flush();
    await producer.close();
    expect(acknowledged).toBe(COUNT);

    for (const partition of [0, 1, 2]) {
      const read = await readAll(source, 'bp.exact', partition);
      const expected = Array.from({ length: COUNT }, (_, i) => i).filter(
        (i) => i % 3 === partition,
      );
      expect(read.map((r) => r.offset)).toEqual(expected.map((_, n) => n));
      expect(
        read.map((r) => [r.key, r.value, r.timestamp, r.headers.map((h) => [h.key, h.value])]),
      ).toEqual(
        expected.map((i) => {
          const r = record(i);
          return [r.key, r.value, r.timestamp, r.headers.map((h) => [h.key, h.value])];
        }),
      );
    }
  });

  it('resends after a lost response, and the broker keeps one copy', async () => {
    const { proxy, source } = await brokerBehindProxy();
    await source.createTopic({
      name: 'bp.retry',
      partitions: 1,
      replicationFactor: 1,
      configs: {},
    });
    let acknowledged = 0;
    const producer = await source.batchProducer({
      topic: 'bp.retry',
      batchBytes: 4 * 1024,
      onAcknowledged: (n) => (acknowledged += n),
    });
    for (let i = 0; i < 100; i++) await producer.add(0, record(i));
    await producer.flush();
    // The next answer (the next batch's) is lost after the broker appended the batch.
    proxy.dropNextResponse = true;
    for (let i = 100; i < 400; i++) await producer.add(0, record(i));
    await producer.flush();
    await producer.close();
    expect(proxy.dropped).toBe(1);
    expect(acknowledged).toBe(400);
    const read = await readAll(source, 'bp.retry', 0);
    expect(read.map((r) => r.value)).toEqual(
      Array.from({ length: 400 }, (_, i) => record(i).value),
    );
  });

  it('keeps batches within the topic’s max.message.bytes, and fails with Kafka’s error when the broker refuses a record', async () => {
    const { source } = await brokerBehindProxy();
    await source.createTopic({
      name: 'bp.small',
      partitions: 1,
      replicationFactor: 1,
      configs: { 'max.message.bytes': '2000' },
    });
    // Small records go in batches that fit the topic's limit.
    const fitting = await source.batchProducer({ topic: 'bp.small' });
    for (let i = 0; i < 50; i++)
      await fitting.add(0, { key: null, value: Buffer.alloc(300, i), headers: [], timestamp: T0 });
    await fitting.flush();
    await fitting.close();
    expect((await readAll(source, 'bp.small', 0)).map((r) => r.value![0])).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    // A record over the limit on its own is refused by the broker, with its reason.
    const producer = await source.batchProducer({ topic: 'bp.small' });
    producer.add(0, { key: null, value: Buffer.alloc(5000), headers: [], timestamp: T0 });
    await expect(producer.flush()).rejects.toMatchObject({ type: 'MESSAGE_TOO_LARGE' });
    await producer.close();
    await expect(source.batchProducer({ topic: 'bp.missing' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
