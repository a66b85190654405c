/**
 * kafkajs against `logscope-broker` as a real process: the admin API, producers with every
 * acks setting, idempotence and every codec (snappy, lz4 and zstd through the engine's kafkajs
 * codec adapters over the project's compression module), consumers from the beginning and by
 * timestamp, and a consumer group of three members on six partitions where one member — a
 * child process — is SIGKILLed without leaving.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompressionTypes,
  ConfigResourceTypes,
  Kafka,
  logLevel,
  type Admin,
  type Consumer,
  type KafkaMessage,
} from 'kafkajs';
import { registerKafkaCodecs } from '../../engine/sources/kafkaCodecs';
import { startBroker, type RunningBroker } from '../support/broker';
import { repoRoot } from '../support/processes';

let broker: RunningBroker;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  await registerKafkaCodecs();
  broker = await startBroker([
    '--config',
    'group.min.session.timeout.ms=1000',
    '--config',
    'group.initial.rebalance.delay.ms=0',
  ]);
  kafka = new Kafka({
    clientId: 'kafkajs-interop',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
  });
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
  if (broker) expect(await broker.process.stop()).toBe(0);
});

/** A promise with its resolver, for waiting on events. */
function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

interface Consumed {
  partition: number;
  offset: number;
  key: string;
  value: string;
  timestamp: number;
}

/**
 * Consumes `topic` with a fresh group until `count` messages have arrived; `seek` positions
 * partitions once the consumer runs (kafkajs only seeks a running consumer).
 */
async function consume(
  topic: string,
  count: number,
  options: { fromBeginning?: boolean; seek?: { partition: number; offset: string }[] } = {},
): Promise<Consumed[]> {
  const consumer = kafka.consumer({
    groupId: `read-${topic}-${Math.random()}`,
    maxWaitTimeInMs: 200,
  });
  const got: Consumed[] = [];
  const done = signal();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning ?? true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        got.push(toConsumed(partition, message));
        if (got.length >= count) done.resolve();
      },
    });
    for (const { partition, offset } of options.seek ?? [])
      consumer.seek({ topic, partition, offset });
    await done.promise;
  } finally {
    await consumer.disconnect();
  }
  return got;
}

function toConsumed(partition: number, message: KafkaMessage): Consumed {
  return {
    partition,
    offset: Number(message.offset),
    key: message.key?.toString() ?? '',
    value: message.value?.toString() ?? '',
    timestamp: Number(message.timestamp),
  };
}

const sortByValue = (messages: Consumed[]) =>
  [...messages].sort((a, b) => a.value.localeCompare(b.value, 'en', { numeric: true }));

describe('kafkajs admin', () => {
  it('creates topics, describes and alters configs, adds partitions, deletes records and topics', async () => {
    expect(
      await admin.createTopics({
        topics: [
          {
            topic: 'admin-a',
            numPartitions: 2,
            configEntries: [{ name: 'retention.ms', value: '3600000' }],
          },
          { topic: 'admin-b', numPartitions: 1 },
        ],
      }),
    ).toBe(true);
    expect((await admin.listTopics()).sort()).toEqual(
      expect.arrayContaining(['admin-a', 'admin-b']),
    );

    const described = await admin.describeConfigs({
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: 'admin-a', configNames: ['retention.ms'] },
      ],
      includeSynonyms: false,
    });
    expect(described.resources[0]!.errorCode).toBe(0);
    expect(described.resources[0]!.configEntries).toEqual([
      expect.objectContaining({ configName: 'retention.ms', configValue: '3600000' }),
    ]);

    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'admin-a',
          configEntries: [{ name: 'retention.ms', value: '7200000' }],
        },
      ],
    });
    const altered = await admin.describeConfigs({
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: 'admin-a', configNames: ['retention.ms'] },
      ],
      includeSynonyms: false,
    });
    expect(altered.resources[0]!.configEntries[0]!.configValue).toBe('7200000');

    await admin.createPartitions({ topicPartitions: [{ topic: 'admin-a', count: 4 }] });
    const metadata = await admin.fetchTopicMetadata({ topics: ['admin-a'] });
    expect(metadata.topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3]);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'admin-b',
      messages: Array.from({ length: 10 }, (_, i) => ({ value: `r${i}` })),
    });
    await producer.disconnect();
    // kafkajs looks the partition leaders up in its metadata cache without refreshing it.
    await admin.fetchTopicMetadata({ topics: ['admin-b'] });
    await admin.deleteTopicRecords({
      topic: 'admin-b',
      partitions: [{ partition: 0, offset: '4' }],
    });
    const offsets = await admin.fetchTopicOffsets('admin-b');
    expect(offsets[0]).toMatchObject({ partition: 0, low: '4', high: '10' });
    const rest = await consume('admin-b', 6);
    expect(rest.map((m) => m.value)).toEqual(['r4', 'r5', 'r6', 'r7', 'r8', 'r9']);

    await admin.deleteTopics({ topics: ['admin-a', 'admin-b'] });
    const left = await admin.listTopics();
    expect(left).not.toContain('admin-a');
    expect(left).not.toContain('admin-b');
  });

  it('lists, describes, reads, sets and deletes consumer groups', async () => {
    await admin.createTopics({ topics: [{ topic: 'groups-admin', numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'groups-admin',
      messages: Array.from({ length: 6 }, (_, i) => ({ partition: i % 2, value: `g${i}` })),
    });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: 'admin-group', maxWaitTimeInMs: 200 });
    const seen = signal();
    let count = 0;
    await consumer.connect();
    await consumer.subscribe({ topics: ['groups-admin'], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        await consumer.commitOffsets([
          { topic, partition, offset: String(Number(message.offset) + 1) },
        ]);
        if (++count === 6) seen.resolve();
      },
    });
    await seen.promise;

    const listed = await admin.listGroups();
    expect(listed.groups).toContainEqual({ groupId: 'admin-group', protocolType: 'consumer' });
    const live = await admin.describeGroups(['admin-group']);
    expect(live.groups[0]).toMatchObject({ groupId: 'admin-group', state: 'Stable' });
    expect(live.groups[0]!.members).toHaveLength(1);
    expect(await admin.fetchOffsets({ groupId: 'admin-group', topics: ['groups-admin'] })).toEqual([
      {
        topic: 'groups-admin',
        partitions: expect.arrayContaining([
          expect.objectContaining({ partition: 0, offset: '3' }),
          expect.objectContaining({ partition: 1, offset: '3' }),
        ]),
      },
    ]);
    await consumer.disconnect();

    const empty = await admin.describeGroups(['admin-group']);
    expect(empty.groups[0]).toMatchObject({ state: 'Empty', members: [] });
    await admin.setOffsets({
      groupId: 'admin-group',
      topic: 'groups-admin',
      partitions: [
        { partition: 0, offset: '1' },
        { partition: 1, offset: '2' },
      ],
    });
    const set = await admin.fetchOffsets({ groupId: 'admin-group', topics: ['groups-admin'] });
    expect(set[0]!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
      [0, '1'],
      [1, '2'],
    ]);

    await admin.deleteGroups(['admin-group']);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('admin-group');
  });
});

describe('kafkajs producer', () => {
  it.each([0, 1, -1])('produces with acks=%i', async (acks) => {
    const topic = `acks-${acks === -1 ? 'all' : acks}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 5; i++)
      await producer.send({
        topic,
        acks,
        messages: [
          { key: `k${i}`, value: `${topic}-${2 * i}` },
          { key: `k${i}`, value: `${topic}-${2 * i + 1}` },
        ],
      });
    await producer.disconnect();
    const got = await consume(topic, 10);
    expect(got.map((m) => m.value)).toEqual(Array.from({ length: 10 }, (_, i) => `${topic}-${i}`));
    expect(got.map((m) => m.offset)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('produces idempotently: one producer id, in-order sequences, every message once', async () => {
    await admin.createTopics({ topics: [{ topic: 'idempotent', numPartitions: 3 }] });
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: 5 },
    });
    await producer.connect();
    for (let i = 0; i < 10; i++)
      await producer.send({
        topic: 'idempotent',
        acks: -1,
        messages: Array.from({ length: 30 }, (_, j) => ({
          partition: j % 3,
          value: `i${i * 30 + j}`,
        })),
      });
    await producer.disconnect();
    const got = await consume('idempotent', 300);
    expect(sortByValue(got).map((m) => m.value)).toEqual(
      Array.from({ length: 300 }, (_, i) => `i${i}`),
    );
    const offsets = await admin.fetchTopicOffsets('idempotent');
    expect(offsets.map((o) => o.high)).toEqual(['100', '100', '100']);
  });

  it.each([
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ] as const)('produces and consumes %s batches', async (name, compression) => {
    const topic = `codec-${name}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: 200 }, (_, i) => ({
      key: `key-${i % 7}`,
      value: `${name} message ${i} `.repeat(1 + (i % 5)),
      headers: { n: String(i) },
    }));
    await producer.send({ topic, compression, messages: messages.slice(0, 100) });
    await producer.send({ topic, compression, messages: messages.slice(100) });
    await producer.disconnect();
    const got = await consume(topic, 200);
    expect(got.map((m) => [m.key, m.value])).toEqual(messages.map((m) => [m.key, m.value]));
  });
});

describe('kafkajs consumer', () => {
  it('reads from the earliest offset and from a timestamp', async () => {
    await admin.createTopics({ topics: [{ topic: 'by-time', numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    const base = Date.now() - 100_000;
    await producer.send({
      topic: 'by-time',
      messages: Array.from({ length: 40 }, (_, i) => ({
        partition: i % 2,
        value: `t${i}`,
        timestamp: String(base + i * 1000),
      })),
    });
    await producer.disconnect();

    const all = await consume('by-time', 40);
    expect(sortByValue(all).map((m) => m.value)).toEqual(
      Array.from({ length: 40 }, (_, i) => `t${i}`),
    );

    // Messages 30..39 have timestamps at or after base + 30 s.
    const from = base + 30_000;
    const offsets = await admin.fetchTopicOffsetsByTimestamp('by-time', from);
    expect(offsets.sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, offset: '15' },
      { partition: 1, offset: '15' },
    ]);
    const later = await consume('by-time', 10, { fromBeginning: true, seek: offsets });
    expect(sortByValue(later).map((m) => m.value)).toEqual(
      Array.from({ length: 10 }, (_, i) => `t${30 + i}`),
    );
    expect(later.every((m) => m.timestamp >= from)).toBe(true);
  });
});

/**
 * The killed member: a kafkajs consumer in its own Node process that commits each message
 * before printing `GOT partition offset`, and prints `ASSIGNED p,p` on every join. It never
 * leaves the group: SIGKILL ends it mid-session.
 */
const MEMBER_SCRIPT = `
import kafkajs from 'kafkajs';
const [bootstrap, topic, groupId] = process.argv.slice(1);
const kafka = new kafkajs.Kafka({ brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING });
const consumer = kafka.consumer({ groupId, sessionTimeout: 2000, heartbeatInterval: 200, rebalanceTimeout: 10000, maxWaitTimeInMs: 200 });
consumer.on(consumer.events.GROUP_JOIN, (e) => {
  const parts = e.payload.memberAssignment[topic] ?? [];
  process.stdout.write('ASSIGNED ' + parts.join(',') + '\\n');
});
await consumer.connect();
await consumer.subscribe({ topics: [topic], fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachMessage: async ({ partition, message }) => {
    await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
    process.stdout.write('GOT ' + partition + ' ' + message.offset + '\\n');
  },
});
`;

describe('kafkajs consumer group', () => {
  const TOPIC = 'group-kill';
  const GROUP = 'group-kill-members';
  const PER_PARTITION = 20;
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('rebalances after a member is killed; with commits every message is consumed, none twice after the rebalance', async () => {
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6 }] });
    const producer = kafka.producer();
    await producer.connect();
    const produce = (round: number) =>
      producer.send({
        topic: TOPIC,
        acks: -1,
        messages: Array.from({ length: 6 * PER_PARTITION }, (_, i) => ({
          partition: i % 6,
          value: `r${round}-${i}`,
        })),
      });
    await produce(1);

    // Every consumption: who, which partition and offset, and whether it came after the
    // survivors' rebalance that followed the kill.
    const seen: { member: string; key: string; afterRebalance: boolean }[] = [];
    const seenKeys = new Set<string>();
    let waitingFor: { total: number; resolve: () => void } | undefined;
    const record = (member: string, partition: number, offset: number, after: boolean) => {
      const key = `${partition}:${offset}`;
      seen.push({ member, key, afterRebalance: after });
      seenKeys.add(key);
      if (waitingFor && seenKeys.size >= waitingFor.total) waitingFor.resolve();
    };
    const allSeen = (total: number) => {
      const done = signal();
      waitingFor = { total, resolve: done.resolve };
      if (seenKeys.size >= total) done.resolve();
      return done.promise;
    };

    // The killed member, started first so that it surely holds partitions.
    child = spawn(
      process.execPath,
      ['--input-type=module', '-e', MEMBER_SCRIPT, broker.bootstrap, TOPIC, GROUP],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let childAssigned: number[] = [];
    const childJoined = signal();
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [word, a, b] = line.split(' ');
      if (word === 'ASSIGNED') {
        childAssigned = a ? a.split(',').map(Number) : [];
        childJoined.resolve();
      } else if (word === 'GOT') record('child', Number(a), Number(b), false);
    });
    await childJoined.promise;

    // Two members in this process. After the kill, once both survivors have joined again and
    // hold all six partitions between them, that is the rebalance point.
    let killed = false;
    let rebalanced = false;
    const assignments = new Map<string, number[]>();
    const rebalance = signal();
    const members: Consumer[] = [];
    for (const name of ['a', 'b']) {
      const consumer = kafka.consumer({
        groupId: GROUP,
        sessionTimeout: 2000,
        heartbeatInterval: 200,
        rebalanceTimeout: 10_000,
        maxWaitTimeInMs: 200,
      });
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        assignments.set(name, event.payload.memberAssignment[TOPIC] ?? []);
        const held = [...assignments.values()].flat();
        if (killed && assignments.size === 2 && held.length === 6 && new Set(held).size === 6) {
          rebalanced = true;
          rebalance.resolve();
        }
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          await consumer.commitOffsets([
            { topic: TOPIC, partition, offset: String(Number(message.offset) + 1) },
          ]);
          record(name, partition, Number(message.offset), rebalanced);
        },
      });
      members.push(consumer);
    }

    try {
      // A stable group of three, two partitions each, and the first round consumed.
      await allSeen(6 * PER_PARTITION);
      let group = await admin.describeGroups([GROUP]);
      while (group.groups[0]!.state !== 'Stable' || group.groups[0]!.members.length !== 3) {
        await new Promise((resolve) => setImmediate(resolve));
        group = await admin.describeGroups([GROUP]);
      }
      expect(childAssigned).toHaveLength(2);
      expect(seen.some((s) => s.member === 'child')).toBe(true);

      // Killed without a LeaveGroup: only the session timeout can tell the broker.
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      killed = true;
      assignments.clear();
      child.kill('SIGKILL');
      await exited;
      await produce(2);
      await rebalance.promise;
      await allSeen(2 * 6 * PER_PARTITION);

      group = await admin.describeGroups([GROUP]);
      expect(group.groups[0]!.members).toHaveLength(2);
      // Every message of both rounds was consumed…
      expect(seenKeys.size).toBe(2 * 6 * PER_PARTITION);
      for (let p = 0; p < 6; p++)
        for (let o = 0; o < 2 * PER_PARTITION; o++) expect(seenKeys.has(`${p}:${o}`)).toBe(true);
      // …and after the rebalance none twice, and nothing the dead member had committed.
      const after = seen.filter((s) => s.afterRebalance).map((s) => s.key);
      expect(new Set(after).size).toBe(after.length);
      const childKeys = new Set(seen.filter((s) => s.member === 'child').map((s) => s.key));
      expect(after.filter((key) => childKeys.has(key))).toEqual([]);
      // The dead member's partitions moved to the survivors, and their second round came
      // after the rebalance.
      for (const p of childAssigned)
        for (let o = PER_PARTITION; o < 2 * PER_PARTITION; o++)
          expect(after).toContain(`${p}:${o}`);
    } finally {
      await Promise.all(members.map((m) => m.disconnect()));
      await producer.disconnect();
    }
  });
});
