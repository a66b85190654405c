import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { CommitLog } from '../../log/index';
import { ErrorCode } from '../../protocol/errors';
import { ApiKey } from '../../protocol/messages/generated/index';
import { decodeRecordBatch, encodeRecordBatch } from '../../protocol/records/index';
import { HandlerRegistry } from '../handlerRegistry';
import { KafkaServer } from '../kafkaServer';
import { RawClient } from '../rawClient';
import { ProducerStates } from '../producers/producerStates';
import { AppendWaiters } from './appendWaiters';
import { registerInitProducerId } from './producerIds';
import type { BrokerNode, LogHandlerOptions } from './logHandlerContext';
import { registerLogHandlers } from './logHandlers';

interface Broker {
  log: CommitLog;
  waiters: AppendWaiters;
  server: KafkaServer;
  port: number;
  kafka: Kafka;
  raw(): Promise<RawClient>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startBroker(settings: Partial<LogHandlerOptions> = {}): Promise<Broker> {
  const dir = await mkdtemp(join(tmpdir(), 'logscope-handlers-'));
  const log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
  const node: BrokerNode = { nodeId: 0, host: '127.0.0.1', port: 0 };
  const waiters = new AppendWaiters(log);
  const producers = new ProducerStates();
  const registry = registerLogHandlers(new HandlerRegistry(), {
    log,
    appendWaiters: waiters,
    producers,
    node,
    clusterId: 'LogscopeTestClusterIdA',
    autoCreateTopics: false,
    deleteTopicEnable: true,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    ...settings,
  });
  registerInitProducerId(registry, producers);
  const server = new KafkaServer({ registry, port: 0 });
  node.port = (await server.listen()).port;
  cleanups.push(async () => {
    await server.close();
    await log.close();
    await rm(dir, { recursive: true, force: true });
  });
  const kafka = new Kafka({
    clientId: 'handlers-test',
    brokers: [`127.0.0.1:${node.port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  return {
    log,
    waiters,
    server,
    port: node.port,
    kafka,
    raw: async () => {
      const client = await RawClient.connect(node.port);
      cleanups.push(() => client.close());
      return client;
    },
  };
}

async function connectedAdmin(kafka: Kafka): Promise<Admin> {
  const admin = kafka.admin();
  await admin.connect();
  cleanups.push(() => admin.disconnect());
  return admin;
}

const batchOf = (values: string[], timestamp = Date.now()) =>
  encodeRecordBatch({ records: values.map((value) => ({ value, timestamp })) });

const valuesOf = (batches: Uint8Array[]): string[] =>
  batches.flatMap((batch) => decodeRecordBatch(batch).records.map((r) => r.value!.toString()));

describe('handlers over the commit log', { timeout: 60_000 }, () => {
  it('kafkajs creates a topic, produces with acks -1, 1 and 0, and finds the records in the log', async () => {
    const { kafka, log } = await startBroker();
    const admin = await connectedAdmin(kafka);
    expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] })).toBe(
      true,
    );
    expect(await admin.listTopics()).toEqual(['orders']);
    const [metadata] = (await admin.fetchTopicMetadata({ topics: ['orders'] })).topics;
    expect(metadata!.partitions.map((p) => [p.partitionId, p.leader, p.replicas])).toEqual([
      [0, 0, [0]],
      [1, 0, [0]],
      [2, 0, [0]],
    ]);

    const producer = kafka.producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    for (const acks of [-1, 1, 0]) {
      await producer.send({
        topic: 'orders',
        acks,
        messages: [{ partition: 1, value: `acks ${acks}` }],
      });
    }
    // acks=0 gets no answer: wait for the log to have it.
    await expect.poll(() => log.partitionSummary('orders', 1).logEndOffset).toBe(3);
    const { batches } = await log.read('orders', 1, 0, 1 << 20);
    expect(valuesOf(batches)).toEqual(['acks -1', 'acks 1', 'acks 0']);
  });

  it('kafkajs reads earliest, latest and by-timestamp offsets', async () => {
    const { kafka, log } = await startBroker();
    await log.createTopic('events', { partitions: 1 });
    await log.append('events', 0, batchOf(['a', 'b'], 1_000));
    await log.append('events', 0, batchOf(['c'], 2_000));
    const admin = await connectedAdmin(kafka);
    expect(await admin.fetchTopicOffsets('events')).toEqual([
      { partition: 0, offset: '3', high: '3', low: '0' },
    ]);
    expect(await admin.fetchTopicOffsetsByTimestamp('events', 1_500)).toEqual([
      { partition: 0, offset: '2' },
    ]);
    expect(await admin.fetchTopicOffsetsByTimestamp('events', 9_000)).toEqual([
      { partition: 0, offset: '3' }, // kafkajs reads "none" (-1) as the latest offset
    ]);
  });

  it('answers ListOffsets at every version, including v0 lists and the v7+ max timestamp', async () => {
    const { log, raw } = await startBroker();
    await log.createTopic('events', { partitions: 1 });
    await log.append('events', 0, batchOf(['a'], 5_000));
    await log.append('events', 0, batchOf(['b'], 9_000));
    await log.append('events', 0, batchOf(['c'], 7_000));
    const client = await raw();
    const ask = async (version: number, timestamp: bigint) => {
      const response = await client.request(ApiKey.ListOffsets, version, {
        replicaId: -1,
        topics: [{ name: 'events', partitions: [{ partitionIndex: 0, timestamp }] }],
      });
      return response.topics[0]!.partitions[0]!;
    };
    expect((await ask(0, -1n)).oldStyleOffsets).toEqual([3n]);
    for (let version = 1; version <= 9; version++) {
      expect(await ask(version, -2n)).toMatchObject({ errorCode: 0, offset: 0n });
      expect(await ask(version, -1n)).toMatchObject({ errorCode: 0, offset: 3n });
      expect(await ask(version, 6_000n)).toMatchObject({ offset: 1n, timestamp: 9_000n });
    }
    expect(await ask(7, -3n)).toMatchObject({ offset: 1n, timestamp: 9_000n });
    expect(await ask(8, -4n)).toMatchObject({ offset: 0n });
    expect(await ask(9, -5n)).toMatchObject({ offset: -1n });
    const unknown = await client.request(ApiKey.ListOffsets, 5, {
      topics: [{ name: 'nope', partitions: [{ partitionIndex: 0, timestamp: -1n }] }],
    });
    expect(unknown.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it('fetches stored batches at every version from 4, by name and (v13+) by topic id', async () => {
    const { log, raw } = await startBroker();
    const { id } = await log.createTopic('events', { partitions: 2 });
    await log.append('events', 1, batchOf(['one', 'two']));
    await log.append('events', 1, batchOf(['three']));
    const client = await raw();
    for (let version = 4; version <= 17; version++) {
      const response = await client.request(ApiKey.Fetch, version, {
        maxWaitMs: 0,
        minBytes: 0,
        isolationLevel: 1,
        topics: [
          {
            topic: version < 13 ? 'events' : '',
            topicId: version >= 13 ? id : undefined,
            partitions: [{ partition: 1, fetchOffset: 1n, partitionMaxBytes: 1 << 20 }],
          },
        ],
      });
      expect(response.errorCode).toBe(0);
      const partition = response.responses[0]!.partitions[0]!;
      expect(partition).toMatchObject({
        partitionIndex: 1,
        errorCode: 0,
        highWatermark: 3n,
        lastStableOffset: 3n,
        logStartOffset: version >= 5 ? 0n : -1n, // v4 has no log start offset
        abortedTransactions: [],
      });
      // The batch holding offset 1 comes whole; the consumer skips offset 0 itself.
      const batches = [];
      for (let at = 0, records = Buffer.from(partition.records!); at < records.length;) {
        const size = records.readInt32BE(at + 8) + 12;
        batches.push(records.subarray(at, at + size));
        at += size;
      }
      expect(valuesOf(batches)).toEqual(['one', 'two', 'three']);
    }
  });

  it('answers fetch errors per partition: out of range, unknown topic, unknown topic id, fenced epoch', async () => {
    const { log, raw } = await startBroker();
    await log.createTopic('events', { partitions: 1 });
    const client = await raw();
    const fetch = (version: number, topic: string, options: Record<string, unknown> = {}) =>
      client.request(ApiKey.Fetch, version, {
        topics: [
          {
            topic,
            topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
            partitions: [{ partition: 0, fetchOffset: 5n, partitionMaxBytes: 100, ...options }],
          },
        ],
      });
    const code = async (response: ReturnType<typeof fetch>) =>
      (await response).responses[0]!.partitions[0]!.errorCode;
    expect(await code(fetch(11, 'events'))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(await code(fetch(11, 'nope'))).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(await code(fetch(13, ''))).toBe(ErrorCode.UNKNOWN_TOPIC_ID);
    expect(await code(fetch(12, 'events', { fetchOffset: 0n, currentLeaderEpoch: 4 }))).toBe(
      ErrorCode.UNKNOWN_LEADER_EPOCH,
    );
  });

  it('keeps to max_bytes except for the first batch of the first partition with data', async () => {
    const { log, raw } = await startBroker();
    await log.createTopic('events', { partitions: 2 });
    const big = batchOf(['x'.repeat(500)]);
    await log.append('events', 0, Buffer.from(big));
    await log.append('events', 1, Buffer.from(big));
    const client = await raw();
    const response = await client.request(ApiKey.Fetch, 11, {
      maxBytes: 100,
      topics: [
        {
          topic: 'events',
          partitions: [0, 1].map((partition) => ({
            partition,
            fetchOffset: 0n,
            partitionMaxBytes: 100,
          })),
        },
      ],
    });
    const [first, second] = response.responses[0]!.partitions;
    expect(first!.records!.length).toBe(big.length);
    expect(second!.records!.length).toBe(0);
    expect(second!.highWatermark).toBe(1n);
  });

  it('long-polls a fetch at the log end until an append wakes it', async () => {
    const { log, raw, waiters } = await startBroker();
    await log.createTopic('events', { partitions: 1 });
    const client = await raw();
    const waiting = client.request(ApiKey.Fetch, 11, {
      maxWaitMs: 30_000,
      minBytes: 1,
      topics: [
        {
          topic: 'events',
          partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }],
        },
      ],
    });
    let answered = false;
    void waiting.then(() => (answered = true));
    // Nothing to send yet: the request waits for an append.
    await expect.poll(() => waiters.size).toBe(1);
    expect(answered).toBe(false);
    await log.append('events', 0, batchOf(['wake up']));
    const response = await waiting;
    expect(valuesOf([response.responses[0]!.partitions[0]!.records!])).toEqual(['wake up']);
  });

  it('answers a long poll with nothing once max_wait_ms passes, and at once when the broker closes', async () => {
    const { log, raw, server, waiters } = await startBroker();
    await log.createTopic('events', { partitions: 1 });
    const client = await raw();
    const request = (maxWaitMs: number) =>
      client.request(ApiKey.Fetch, 11, {
        maxWaitMs,
        minBytes: 1,
        topics: [
          {
            topic: 'events',
            partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 100 }],
          },
        ],
      });
    const timedOut = await request(50);
    expect(timedOut.responses[0]!.partitions[0]!.records!.length).toBe(0);
    const longPoll = request(600_000);
    await expect.poll(() => waiters.size).toBe(1);
    await server.close();
    expect((await longPoll).responses[0]!.partitions[0]!.records!.length).toBe(0);
  });

  it('auto-creates topics on Metadata and Produce only when enabled', async () => {
    const off = await startBroker();
    const refusing = await off.raw();
    const metadata = await refusing.request(ApiKey.Metadata, 9, { topics: [{ name: 'fresh' }] });
    expect(metadata.topics[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const produce = await refusing.request(ApiKey.Produce, 9, {
      acks: 1,
      topicData: [{ name: 'fresh', partitionData: [{ index: 0, records: batchOf(['x']) }] }],
    });
    expect(produce.responses[0]!.partitionResponses[0]!.errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect(off.log.hasTopic('fresh')).toBe(false);

    const on = await startBroker({ autoCreateTopics: true });
    const creating = await on.raw();
    const created = await creating.request(ApiKey.Metadata, 12, { topics: [{ name: 'fresh' }] });
    expect(created.topics[0]).toMatchObject({
      errorCode: 0,
      name: 'fresh',
      topicId: on.log.describeTopic('fresh').id,
    });
    const producer = on.kafka.producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    await producer.send({ topic: 'by-produce', messages: [{ value: 'v' }] });
    expect(on.log.partitionSummary('by-produce', 0).logEndOffset).toBe(1);
    // Metadata v4+ can ask not to create.
    const declined = await creating.request(ApiKey.Metadata, 4, {
      topics: [{ name: 'not-this-one' }],
      allowAutoTopicCreation: false,
    });
    expect(declined.topics[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it('answers produce errors per partition, and closes the connection when acks=0 fails', async () => {
    const { log, raw } = await startBroker();
    await log.createTopic('events', { partitions: 1 });
    const client = await raw();
    const response = await client.request(ApiKey.Produce, 7, {
      acks: -1,
      topicData: [
        {
          name: 'events',
          partitionData: [
            { index: 0, records: batchOf(['ok']) },
            { index: 7, records: batchOf(['no such partition']) },
          ],
        },
      ],
    });
    expect(
      response.responses[0]!.partitionResponses.map((p) => [p.index, p.errorCode, p.baseOffset]),
    ).toEqual([
      [0, 0, 0n],
      [7, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1n],
    ]);
    const corrupt = await client.request(ApiKey.Produce, 9, {
      acks: 1,
      topicData: [
        { name: 'events', partitionData: [{ index: 0, records: Buffer.from('not a batch') }] },
      ],
    });
    expect(corrupt.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    const invalidAcks = await client.request(ApiKey.Produce, 3, {
      acks: 2,
      topicData: [{ name: 'events', partitionData: [{ index: 0, records: batchOf(['x']) }] }],
    });
    expect(invalidAcks.responses[0]!.partitionResponses[0]!.errorCode).toBe(
      ErrorCode.INVALID_REQUIRED_ACKS,
    );

    const silent = await raw();
    silent.write(
      silent.frame(ApiKey.Produce, 7, {
        acks: 0,
        topicData: [{ name: 'missing', partitionData: [{ index: 0, records: batchOf(['x']) }] }],
      }).bytes,
    );
    await silent.closed;
    expect(silent.arrivals).toEqual([]);
  });

  it('appends pipelined acks=-1 produce requests of one connection in order, sharing syncs', async () => {
    const { log, raw } = await startBroker();
    await log.createTopic('events', { partitions: 1 });
    const client = await raw();
    const requests = Array.from({ length: 10 }, (_, i) =>
      client.frame(ApiKey.Produce, 9, {
        acks: -1,
        topicData: [{ name: 'events', partitionData: [{ index: 0, records: batchOf([`m${i}`]) }] }],
      }),
    );
    const before = log.syncStats;
    // One write: the broker has all ten before the first append's sync is done.
    client.write(Buffer.concat(requests.map((r) => r.bytes)));
    const answers = [];
    for (let i = 0; i < requests.length; i++) answers.push(await client.nextResponse());
    expect(answers.map((a) => a.correlationId)).toEqual(requests.map((r) => r.correlationId));
    // Each request did not wait for the previous one's sync before it was appended: appends
    // queued behind a write in flight were written (and synced) together.
    const syncs = log.syncStats.syncs - before.syncs;
    expect(syncs).toBeGreaterThan(0);
    expect(syncs).toBeLessThan(10);
    const { batches } = await log.read('events', 0, 0, 1 << 20);
    expect(valuesOf(batches)).toEqual(requests.map((_, i) => `m${i}`));
  });

  it('answers a retried idempotent batch with its first offset, and refuses a sequence gap', async () => {
    const { log, raw, kafka } = await startBroker();
    await log.createTopic('events', { partitions: 1 });
    const client = await raw();
    const idempotent = (baseSequence: number, value: string) =>
      encodeRecordBatch({
        records: [{ value }],
        producerId: 4242n,
        producerEpoch: 0,
        baseSequence,
      });
    const produce = async (records: Buffer) =>
      (
        await client.request(ApiKey.Produce, 9, {
          acks: -1,
          topicData: [{ name: 'events', partitionData: [{ index: 0, records }] }],
        })
      ).responses[0]!.partitionResponses[0]!;
    const first = idempotent(0, 'once');
    expect(await produce(Buffer.from(first))).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(await produce(Buffer.from(first))).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(log.partitionSummary('events', 0).logEndOffset).toBe(1);
    expect(await produce(idempotent(5, 'gap'))).toMatchObject({
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
    expect(await produce(idempotent(1, 'next'))).toMatchObject({ errorCode: 0, baseOffset: 1n });

    // kafkajs's idempotent producer: InitProducerId, then sequenced batches.
    const producer = kafka.producer({ idempotent: true, retry: { retries: 3 } });
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    await producer.send({ topic: 'events', acks: -1, messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.send({ topic: 'events', acks: -1, messages: [{ value: 'c' }] });
    const { batches } = await log.read('events', 0, 2, 1 << 20);
    expect(valuesOf(batches)).toEqual(['a', 'b', 'c']);
  });

  it('creates topics with CreateTopics at every version, with Kafka’s single-broker refusals', async () => {
    const { log, raw } = await startBroker();
    const client = await raw();
    for (let version = 0; version <= 7; version++) {
      const response = await client.request(ApiKey.CreateTopics, version, {
        timeoutMs: 1000,
        topics: [
          {
            name: `t${version}`,
            numPartitions: 2,
            replicationFactor: 1,
            configs: [{ name: 'retention.ms', value: '60000' }],
          },
          { name: `r${version}`, numPartitions: 1, replicationFactor: 3 },
          {
            name: `a${version}`,
            numPartitions: -1,
            replicationFactor: -1,
            assignments: [
              { partitionIndex: 0, brokerIds: [0] },
              { partitionIndex: 1, brokerIds: [0] },
            ],
          },
        ],
      });
      const [created, replicated, assigned] = response.topics;
      expect(created).toMatchObject({ name: `t${version}`, errorCode: 0 });
      expect(replicated!.errorCode).toBe(ErrorCode.INVALID_REPLICATION_FACTOR);
      expect(assigned!.errorCode).toBe(0);
      expect(log.describeTopic(`t${version}`).partitions).toBe(2);
      expect(log.describeTopic(`t${version}`).configs).toEqual({ 'retention.ms': '60000' });
      expect(log.describeTopic(`a${version}`).partitions).toBe(2);
      if (version >= 5) {
        expect(created).toMatchObject({ numPartitions: 2, replicationFactor: 1 });
        expect(created!.configs).toContainEqual({
          name: 'retention.ms',
          value: '60000',
          readOnly: false,
          configSource: 1,
          isSensitive: false,
        });
      }
      if (version >= 7) expect(created!.topicId).toBe(log.describeTopic(`t${version}`).id);
    }
    const again = await client.request(ApiKey.CreateTopics, 4, {
      topics: [{ name: 't0', numPartitions: 1, replicationFactor: 1 }],
      validateOnly: true,
    });
    expect(again.topics[0]!.errorCode).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    const dryRun = await client.request(ApiKey.CreateTopics, 4, {
      topics: [{ name: 'dry', numPartitions: 1, replicationFactor: 1 }],
      validateOnly: true,
    });
    expect(dryRun.topics[0]!.errorCode).toBe(0);
    expect(log.hasTopic('dry')).toBe(false);
  });

  it('deletes topics by name (kafkajs) and by id (v6), unless deletion is disabled', async () => {
    const { kafka, log, raw } = await startBroker();
    await log.createTopic('a');
    const { id } = await log.createTopic('b');
    const admin = await connectedAdmin(kafka);
    await admin.deleteTopics({ topics: ['a'] });
    expect(log.hasTopic('a')).toBe(false);
    const client = await raw();
    const byId = await client.request(ApiKey.DeleteTopics, 6, {
      topics: [{ name: null, topicId: id }],
    });
    expect(byId.responses).toEqual([{ name: 'b', topicId: id, errorCode: 0, errorMessage: null }]);
    expect(log.listTopics()).toEqual([]);

    const locked = await startBroker({ deleteTopicEnable: false });
    await locked.log.createTopic('kept');
    const refused = await (
      await locked.raw()
    ).request(ApiKey.DeleteTopics, 3, { topicNames: ['kept'] });
    expect(refused.responses[0]!.errorCode).toBe(ErrorCode.TOPIC_DELETION_DISABLED);
    expect(locked.log.hasTopic('kept')).toBe(true);
  });
});
