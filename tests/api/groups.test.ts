/**
 * Consumer groups through the engine API against a real broker process, with a real kafkajs
 * consumer group: list with state and lag, describe members/assignments/offsets, reset offsets
 * (dry run first, refused while the group has members, every target kind) after which the
 * same consumer group resumes from the new offsets, and delete.
 */
import kafkajs, { type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupDetails, GroupSummary, OffsetResetResult } from '../../engine/api';
import { startBroker, type RunningBroker } from '../support/broker';
import { startEngine, type RunningEngine } from '../support/engine';
import { engineClient } from '../support/engineClient';

const { Kafka, logLevel } = kafkajs;
let broker: RunningBroker;
let engine: RunningEngine;
let kafka: InstanceType<typeof Kafka>;
let producer: Producer;

const TOPIC = 'groups.orders';
const GROUP = 'billing';
const PER_PARTITION = 50;

beforeAll(async () => {
  broker = await startBroker(['--config', 'group.initial.rebalance.delay.ms=0']);
  engine = await startEngine({ name: 'groups-engine', broker, args: ['--no-demo'] });
  kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
  await api('POST', '/clusters/local/topics', { name: TOPIC, partitions: 2, configs: {} });
  for (const partition of [0, 1]) {
    await producer.send({
      topic: TOPIC,
      messages: Array.from({ length: PER_PARTITION }, (_, i) => ({
        partition,
        key: `k${i}`,
        value: `p${partition}-${i}`,
        timestamp: String(1_700_000_000_000 + i * 1000),
      })),
    });
  }
});

afterAll(async () => {
  await producer?.disconnect();
  expect(await engine?.stop()).toBe(0);
  expect(await broker?.process.stop()).toBe(0);
});

const { api, apiError } = engineClient(() => engine);

/**
 * Runs a consumer of GROUP until it has seen `count` messages (committing as it goes), and
 * returns what it saw per partition. The consumer stays connected until `stop` is called.
 */
async function consume(count: number): Promise<{
  consumer: Consumer;
  seen: { partition: number; offset: number }[];
  done: Promise<void>;
}> {
  const consumer = kafka.consumer({ groupId: GROUP, heartbeatInterval: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  const seen: { partition: number; offset: number }[] = [];
  let reached!: () => void;
  const done = new Promise<void>((resolve) => (reached = resolve));
  await consumer.run({
    autoCommit: true,
    autoCommitThreshold: 1,
    eachMessage: async ({ partition, message }) => {
      seen.push({ partition, offset: Number(message.offset) });
      if (seen.length >= count) reached();
    },
  });
  return { consumer, seen, done };
}

const groupPath = `/clusters/local/groups/${GROUP}`;

describe('consumer groups', () => {
  it('lists, describes, refuses to reset a live group, resets after it stops, and the group resumes from the new offsets', async () => {
    // A live group that read everything and committed it.
    const first = await consume(2 * PER_PARTITION);
    await first.done;
    await expectEventually(
      () => api<GroupDetails>('GET', groupPath),
      (g) =>
        g.state === 'Stable' &&
        g.offsets.length === 2 &&
        g.offsets.every((p) => p.committed === PER_PARTITION),
    );

    const { groups } = await api<{ groups: GroupSummary[] }>('GET', '/clusters/local/groups');
    const listed = groups.find((g) => g.groupId === GROUP)!;
    expect(listed).toMatchObject({
      state: 'Stable',
      protocolType: 'consumer',
      members: 1,
      totalLag: 0,
      topics: [TOPIC],
    });
    expect(listed.protocol).not.toBe('');

    const details = await api<GroupDetails>('GET', groupPath);
    expect(details.memberList).toHaveLength(1);
    expect(details.memberList[0]!.assignment).toEqual([{ topic: TOPIC, partitions: [0, 1] }]);
    expect(details.offsets.map((p) => [p.partition, p.committed, p.highWatermark, p.lag])).toEqual([
      [0, PER_PARTITION, PER_PARTITION, 0],
      [1, PER_PARTITION, PER_PARTITION, 0],
    ]);
    expect(details.offsets.every((p) => p.memberId === details.memberList[0]!.memberId)).toBe(true);

    // A dry run is allowed at any time and changes nothing.
    const preview = await api<OffsetResetResult>('POST', `${groupPath}/offsets`, {
      topic: TOPIC,
      target: { to: 'shift', by: -10 },
      dryRun: true,
    });
    expect(preview).toEqual({
      groupId: GROUP,
      dryRun: true,
      applied: false,
      changes: [
        { topic: TOPIC, partition: 0, oldOffset: 50, newOffset: 40 },
        { topic: TOPIC, partition: 1, oldOffset: 50, newOffset: 40 },
      ],
    });
    // Applying it while the consumer runs is refused.
    const refused = await apiError('POST', `${groupPath}/offsets`, {
      topic: TOPIC,
      target: { to: 'shift', by: -10 },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/no members/);
    const refusedDelete = await apiError('DELETE', groupPath);
    expect(refusedDelete.status).toBe(409);

    await first.consumer.disconnect();
    await expectEventually(
      () => api<GroupDetails>('GET', groupPath),
      (g) => g.state === 'Empty' && g.members === 0,
    );

    // Every kind of target on the stopped group; only the last one stays.
    const reset = (target: unknown, partitions?: number[]) =>
      api<OffsetResetResult>('POST', `${groupPath}/offsets`, {
        topic: TOPIC,
        target,
        ...(partitions ? { partitions } : {}),
      });
    expect((await reset({ to: 'earliest' })).changes.map((c) => c.newOffset)).toEqual([0, 0]);
    expect((await reset({ to: 'latest' })).changes.map((c) => c.newOffset)).toEqual([50, 50]);
    expect(
      (await reset({ to: 'timestamp', timestamp: 1_700_000_000_000 + 30_000 })).changes.map((c) => [
        c.oldOffset,
        c.newOffset,
      ]),
    ).toEqual([
      [50, 30],
      [50, 30],
    ]);
    const exact = await reset({ to: 'offset', offset: 45 }, [1]);
    expect(exact.changes).toEqual([{ topic: TOPIC, partition: 1, oldOffset: 30, newOffset: 45 }]);
    const shifted = await reset({ to: 'shift', by: 5 }, [0]);
    expect(shifted).toMatchObject({
      applied: true,
      changes: [{ topic: TOPIC, partition: 0, oldOffset: 30, newOffset: 35 }],
    });

    const after = await api<GroupDetails>('GET', groupPath);
    expect(after.offsets.map((p) => [p.partition, p.committed, p.lag])).toEqual([
      [0, 35, 15],
      [1, 45, 5],
    ]);
    const listedAfter = (
      await api<{ groups: GroupSummary[] }>('GET', '/clusters/local/groups')
    ).groups.find((g) => g.groupId === GROUP);
    expect(listedAfter).toMatchObject({ state: 'Empty', members: 0, totalLag: 20 });

    // The same group, restarted, resumes from the new offsets: exactly the 20 messages after them.
    const second = await consume(20);
    await second.done;
    await expectEventually(
      () => api<GroupDetails>('GET', groupPath),
      (g) => g.offsets.every((p) => p.committed === PER_PARTITION),
    );
    await second.consumer.disconnect();
    const firstOffsets = (partition: number) =>
      Math.min(...second.seen.filter((s) => s.partition === partition).map((s) => s.offset));
    expect(second.seen).toHaveLength(20);
    expect(firstOffsets(0)).toBe(35);
    expect(firstOffsets(1)).toBe(45);
  });

  it('validates partitions, answers 404 for an unknown group, and deletes an empty group', async () => {
    const bad = await apiError('POST', `${groupPath}/offsets`, {
      topic: TOPIC,
      partitions: [7],
      target: { to: 'earliest' },
      dryRun: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/no partition 7/);
    expect((await apiError('GET', '/clusters/local/groups/nobody-here')).status).toBe(404);

    await expectEventually(
      () => api<GroupDetails>('GET', groupPath),
      (g) => g.state === 'Empty',
    );
    await api('DELETE', groupPath);
    expect((await apiError('GET', groupPath)).status).toBe(404);
    const { groups } = await api<{ groups: GroupSummary[] }>('GET', '/clusters/local/groups');
    expect(groups.some((g) => g.groupId === GROUP)).toBe(false);
  });
});

/** Polls an answer that converges in the background (group membership, commits). */
async function expectEventually<T>(read: () => Promise<T>, check: (value: T) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`did not converge: ${JSON.stringify(value).slice(0, 800)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
