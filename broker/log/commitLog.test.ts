import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Offsets, isRecordBatchCrcValid } from '../protocol/records/recordBatchHeader';
import { CommitLog } from './commitLog';
import type { CommitLogOptions } from './commitLog';
import type { AppendResult } from './partitionLog';
import { LogError } from './errors';
import { Compression, buildBatch, sampleRecords } from './testing/recordBatches';

let dir: string;
let log: CommitLog | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'logscope-log-'));
});

afterEach(async () => {
  await log?.close();
  log = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function open(options: CommitLogOptions = {}): Promise<CommitLog> {
  log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0, ...options });
  return log;
}

async function reopen(options: CommitLogOptions = {}): Promise<CommitLog> {
  await log?.close();
  return open(options);
}

/** Rejects with a LogError of this Kafka name. */
async function expectKafkaError(
  promise: Promise<unknown> | (() => unknown),
  name: string,
): Promise<LogError> {
  let error: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(LogError);
  expect((error as LogError).errorName).toBe(name);
  return error as LogError;
}

const batchOf = (count: number, seed = 1, timestamp?: number) =>
  buildBatch(sampleRecords(count, 20, seed, timestamp));

describe('topics', () => {
  it('creates a topic with a Kafka-style UUID, partitions and configs', async () => {
    let log = await open();
    const topic = await log.createTopic('orders.v1_x-y', {
      partitions: 3,
      configs: { 'retention.ms': '1000' },
    });
    expect(topic.id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(topic.partitions).toBe(3);
    expect(topic.configs).toEqual({ 'retention.ms': '1000' });
    expect(topic.config.retentionMs).toBe(1000);
    expect(topic.config.segmentBytes).toBe(64 * 1024 * 1024);
    expect(log.topicById(topic.id)?.name).toBe('orders.v1_x-y');
    log = await reopen();
    expect(log.describeTopic('orders.v1_x-y')).toEqual(topic);
  });

  it.each([
    ['', "can't be empty"],
    ['.', '"." or ".."'],
    ['..', '"." or ".."'],
    ['a'.repeat(250), 'longer than 249'],
    ['bad/name', 'character'],
    ['späti', 'character'],
  ])('refuses the topic name %j with INVALID_TOPIC_EXCEPTION', async (name, reason) => {
    const log = await open();
    const error = await expectKafkaError(log.createTopic(name), 'INVALID_TOPIC_EXCEPTION');
    expect(error.message).toContain(reason);
    expect(error.code).toBe(17);
  });

  it('accepts a 249-character name', async () => {
    const log = await open();
    await log.createTopic('a'.repeat(249));
    expect(log.hasTopic('a'.repeat(249))).toBe(true);
  });

  it('refuses a duplicate with TOPIC_ALREADY_EXISTS and a ./_ collision with INVALID_TOPIC_EXCEPTION', async () => {
    const log = await open();
    await log.createTopic('a.b');
    await expectKafkaError(log.createTopic('a.b'), 'TOPIC_ALREADY_EXISTS');
    const error = await expectKafkaError(log.createTopic('a_b'), 'INVALID_TOPIC_EXCEPTION');
    expect(error.message).toContain('collides');
  });

  it('refuses bad partition counts with INVALID_PARTITIONS and bad configs with INVALID_CONFIG', async () => {
    const log = await open();
    await expectKafkaError(log.createTopic('t', { partitions: 0 }), 'INVALID_PARTITIONS');
    await expectKafkaError(
      log.createTopic('t', { configs: { 'retention.ms': 'soon' } }),
      'INVALID_CONFIG',
    );
    await expectKafkaError(
      log.createTopic('t', { configs: { 'no.such.config': '1' } }),
      'INVALID_CONFIG',
    );
    await expectKafkaError(
      log.createTopic('t', { configs: { 'message.timestamp.type': 'Now' } }),
      'INVALID_CONFIG',
    );
    await expectKafkaError(
      log.createTopic('t', { configs: { 'cleanup.policy': 'shred' } }),
      'INVALID_CONFIG',
    );
    expect(log.hasTopic('t')).toBe(false);
    // Kafka topic configs the log does not act on are kept.
    const topic = await log.createTopic('t', { configs: { 'min.insync.replicas': '2' } });
    expect(topic.configs).toEqual({ 'min.insync.replicas': '2' });
  });

  it('validateOnly checks without creating', async () => {
    const log = await open();
    const topic = await log.createTopic('t', { partitions: 2, validateOnly: true });
    expect(topic.partitions).toBe(2);
    expect(log.hasTopic('t')).toBe(false);
  });

  it('uses the broker defaults and numPartitions', async () => {
    const log = await open({ defaults: { 'retention.bytes': '1000' }, numPartitions: 4 });
    const topic = await log.createTopic('t');
    expect(topic.partitions).toBe(4);
    expect(topic.config.retentionBytes).toBe(1000);
    const entry = log.describeConfigs('t').find((config) => config.name === 'retention.bytes');
    expect(entry).toMatchObject({ value: '1000', source: 'broker-default' });
  });

  it('alters configs incrementally and by replacement', async () => {
    let log = await open();
    await log.createTopic('t', { configs: { 'retention.ms': '1000', 'segment.bytes': '2000' } });
    let topic = await log.alterConfigs('t', {
      set: { 'retention.ms': '5000' },
      delete: ['segment.bytes'],
    });
    expect(topic.configs).toEqual({ 'retention.ms': '5000' });
    topic = await log.alterConfigs('t', { set: { 'max.message.bytes': '100' }, replace: true });
    expect(topic.configs).toEqual({ 'max.message.bytes': '100' });
    await expectKafkaError(
      log.alterConfigs('t', { set: { 'segment.bytes': '-5' } }),
      'INVALID_CONFIG',
    );
    log = await reopen();
    expect(log.describeTopic('t').configs).toEqual({ 'max.message.bytes': '100' });
  });

  it('adds partitions, and refuses to shrink with INVALID_PARTITIONS', async () => {
    let log = await open();
    await log.createTopic('t', { partitions: 2 });
    await expectKafkaError(log.createPartitions('t', 2), 'INVALID_PARTITIONS');
    await expectKafkaError(log.createPartitions('t', 1), 'INVALID_PARTITIONS');
    expect((await log.createPartitions('t', 5)).partitions).toBe(5);
    await log.append('t', 4, await batchOf(3));
    log = await reopen();
    expect(log.describeTopic('t').partitions).toBe(5);
    expect(log.partitionSummary('t', 4).logEndOffset).toBe(3);
  });

  it('deletes a topic with its data; a topic of the same name created later starts empty', async () => {
    let log = await open();
    const first = await log.createTopic('t');
    await log.append('t', 0, await batchOf(5));
    await log.groups.commitOffsets('g', [
      { topic: 't', partition: 0, offset: 5, leaderEpoch: -1, metadata: null, commitTimestamp: 1 },
    ]);
    await log.deleteTopic('t');
    expect(log.hasTopic('t')).toBe(false);
    await expectKafkaError(log.append('t', 0, await batchOf(1)), 'UNKNOWN_TOPIC_OR_PARTITION');
    expect(await log.groups.fetchOffsets('g')).toEqual([]);

    const second = await log.createTopic('t');
    expect(second.id).not.toBe(first.id);
    expect(log.partitionSummary('t', 0).logEndOffset).toBe(0);
    expect((await log.read('t', 0, 0, 1 << 20)).batches).toEqual([]);
    await log.idle();
    log = await reopen();
    expect(log.listTopics().map((topic) => topic.id)).toEqual([second.id]);
    expect(log.partitionSummary('t', 0).logEndOffset).toBe(0);
  });

  it('reports unknown topics and partitions as UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const log = await open();
    await log.createTopic('t', { partitions: 2 });
    await expectKafkaError(log.append('nope', 0, await batchOf(1)), 'UNKNOWN_TOPIC_OR_PARTITION');
    await expectKafkaError(log.append('t', 2, await batchOf(1)), 'UNKNOWN_TOPIC_OR_PARTITION');
    await expectKafkaError(() => log.read('t', -1, 0, 100), 'UNKNOWN_TOPIC_OR_PARTITION');
    await expectKafkaError(() => log.segments('nope', 0), 'UNKNOWN_TOPIC_OR_PARTITION');
    await expectKafkaError(log.deleteTopic('nope'), 'UNKNOWN_TOPIC_OR_PARTITION');
  });
});

describe('append and read', () => {
  it('assigns contiguous offsets and reads back the stored bytes with the base offset written in', async () => {
    const log = await open();
    await log.createTopic('t');
    const sent = [await batchOf(3, 1), await batchOf(1, 2), await batchOf(4, 3)];
    const copies = sent.map((batch) => Buffer.from(batch));
    const results: AppendResult[] = [];
    for (const batch of sent) results.push(await log.append('t', 0, batch));
    expect(results.map((result) => result.baseOffset)).toEqual([0, 3, 4]);
    expect(results[0]).toEqual({ baseOffset: 0, logAppendTime: -1, logStartOffset: 0 });

    const { batches, highWatermark, logStartOffset } = await log.read('t', 0, 0, 1 << 20);
    expect(highWatermark).toBe(8);
    expect(logStartOffset).toBe(0);
    expect(batches).toHaveLength(3);
    batches.forEach((batch, i) => {
      const expected = Buffer.from(copies[i]!);
      expected.writeBigInt64BE(BigInt(results[i]!.baseOffset), 0);
      expect(batch.equals(expected)).toBe(true);
      expect(isRecordBatchCrcValid(batch)).toBe(true);
    });
  });

  it('keeps compressed batches as sent', async () => {
    const log = await open();
    await log.createTopic('t');
    const batch = await buildBatch(sampleRecords(50, 100, 7), { compression: Compression.gzip });
    expect(batch.readInt16BE(Offsets.attributes) & 7).toBe(1);
    const copy = Buffer.from(batch);
    await log.append('t', 0, await batchOf(2));
    await log.append('t', 0, batch);
    const [stored] = (await log.read('t', 0, 2, 1 << 20)).batches;
    expect(stored!.subarray(8).equals(copy.subarray(8))).toBe(true);
    expect(stored!.readBigInt64BE(0)).toBe(2n);
  });

  it('a fetch offset inside a batch returns that whole batch', async () => {
    const log = await open();
    await log.createTopic('t');
    await log.append('t', 0, await batchOf(10, 1));
    await log.append('t', 0, await batchOf(10, 2));
    const { batches } = await log.read('t', 0, 13, 1 << 20);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.readBigInt64BE(0)).toBe(10n);
    expect(
      (await log.read('t', 0, 9, 1 << 20)).batches.map((batch) => batch.readBigInt64BE(0)),
    ).toEqual([0n, 10n]);
  });

  it('stops at maxBytes but always returns the first batch whole', async () => {
    const log = await open();
    await log.createTopic('t');
    for (let i = 0; i < 10; i++) await log.append('t', 0, await batchOf(10, i));
    const size = (await log.read('t', 0, 0, 1)).batches[0]!.length;
    expect((await log.read('t', 0, 0, 1)).batches).toHaveLength(1);
    expect((await log.read('t', 0, 0, size * 3)).batches).toHaveLength(3);
    expect((await log.read('t', 0, 0, size * 3 + size - 1)).batches).toHaveLength(3);
    const all = await log.read('t', 0, 0, size * 100);
    expect(all.batches).toHaveLength(10);
    expect(all.bytes).toBe(size * 10);
  });

  it('reading at the log end returns nothing; below the start or past the end is OFFSET_OUT_OF_RANGE', async () => {
    const log = await open();
    await log.createTopic('t');
    await log.append('t', 0, await batchOf(5));
    expect((await log.read('t', 0, 5, 1000)).batches).toEqual([]);
    await expectKafkaError(() => log.read('t', 0, 6, 1000), 'OFFSET_OUT_OF_RANGE');
    await expectKafkaError(() => log.read('t', 0, -1, 1000), 'OFFSET_OUT_OF_RANGE');
    await log.deleteRecords('t', 0, 3);
    await expectKafkaError(() => log.read('t', 0, 2, 1000), 'OFFSET_OUT_OF_RANGE');
    // Offset 3 is inside the first batch: the whole batch comes back, the client skips 0..2.
    expect((await log.read('t', 0, 3, 1000)).batches[0]!.readBigInt64BE(0)).toBe(0n);
  });

  it('refuses corrupt and truncated batches with CORRUPT_MESSAGE', async () => {
    const log = await open();
    await log.createTopic('t');
    const good = await batchOf(3);

    const flipped = Buffer.from(good);
    flipped[flipped.length - 1]! ^= 0xff;
    expect(
      (await expectKafkaError(log.append('t', 0, flipped), 'CORRUPT_MESSAGE')).message,
    ).toContain('CRC');

    const truncated = good.subarray(0, good.length - 1);
    expect(
      (await expectKafkaError(log.append('t', 0, truncated), 'CORRUPT_MESSAGE')).message,
    ).toContain('truncated');
    await expectKafkaError(log.append('t', 0, good.subarray(0, 30)), 'CORRUPT_MESSAGE');
    await expectKafkaError(log.append('t', 0, Buffer.concat([good, good])), 'CORRUPT_MESSAGE');

    const magic = Buffer.from(good);
    magic[Offsets.magic] = 3;
    await expectKafkaError(log.append('t', 0, magic), 'CORRUPT_MESSAGE');
    magic[Offsets.magic] = 1;
    await expectKafkaError(log.append('t', 0, magic), 'UNSUPPORTED_FOR_MESSAGE_FORMAT');

    expect(log.partitionSummary('t', 0).logEndOffset).toBe(0);
    await log.append('t', 0, good);
    expect(log.partitionSummary('t', 0).logEndOffset).toBe(3);
  });

  it('refuses a batch whose record count disagrees with its records (CRC recomputed to pass)', async () => {
    const log = await open();
    await log.createTopic('t');
    const { computeRecordBatchCrc } = await import('../protocol/records/recordBatchHeader');
    const withCount = (batch: Buffer, count: number, lastOffsetDelta: number) => {
      const copy = Buffer.from(batch);
      copy.writeInt32BE(count, Offsets.recordsCount);
      copy.writeInt32BE(lastOffsetDelta, Offsets.lastOffsetDelta);
      copy.writeUInt32BE(computeRecordBatchCrc(copy), Offsets.crc);
      return copy;
    };
    const batch = await batchOf(3);
    await expectKafkaError(log.append('t', 0, withCount(batch, 0, -1)), 'CORRUPT_MESSAGE');
    await expectKafkaError(log.append('t', 0, withCount(batch, 3, 5)), 'CORRUPT_MESSAGE');
    await expectKafkaError(log.append('t', 0, withCount(batch, 4, 3)), 'CORRUPT_MESSAGE');
    await expectKafkaError(log.append('t', 0, withCount(batch, 2, 1)), 'CORRUPT_MESSAGE');
  });

  it('refuses a batch over max.message.bytes with MESSAGE_TOO_LARGE', async () => {
    const log = await open();
    const batch = await batchOf(10);
    await log.createTopic('t', { configs: { 'max.message.bytes': String(batch.length - 1) } });
    const error = await expectKafkaError(log.append('t', 0, batch), 'MESSAGE_TOO_LARGE');
    expect(error.code).toBe(10);
    await log.alterConfigs('t', { set: { 'max.message.bytes': String(batch.length) } });
    await log.append('t', 0, batch);
  });

  it('LogAppendTime stamps the batch: timestamp type bit, max timestamp, valid CRC', async () => {
    let now = 1_700_000_000_000;
    const log = await open({ now: () => now });
    await log.createTopic('t', { configs: { 'message.timestamp.type': 'LogAppendTime' } });
    const batch = await batchOf(3, 1, 1000);
    now += 5;
    const result = await log.append('t', 0, batch);
    expect(result.logAppendTime).toBe(now);
    const [stored] = (await log.read('t', 0, 0, 1 << 20)).batches;
    expect(stored!.readInt16BE(Offsets.attributes) & 0x08).toBe(0x08);
    expect(Number(stored!.readBigInt64BE(Offsets.maxTimestamp))).toBe(now);
    expect(isRecordBatchCrcValid(stored!)).toBe(true);
    expect(await log.listOffset('t', 0, now)).toEqual({ offset: 0, timestamp: now });
  });

  it('serializes appends per partition and runs partitions concurrently', async () => {
    const log = await open();
    await log.createTopic('t', { partitions: 4 });
    const batches = await Promise.all(Array.from({ length: 40 }, (_, i) => batchOf(2, i)));
    const results = await Promise.all(
      batches.map((batch, i) => log.append('t', i % 4, batch, { durable: i % 3 === 0 })),
    );
    for (let partition = 0; partition < 4; partition++) {
      const offsets = results
        .filter((_, i) => i % 4 === partition)
        .map((result) => result.baseOffset);
      expect(offsets).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
      const { batches: stored } = await log.read('t', partition, 0, 1 << 20);
      expect(stored.map((batch) => Number(batch.readBigInt64BE(0)))).toEqual(offsets);
    }
  });

  it('durable appends arriving together share syncs (group commit)', async () => {
    const log = await open();
    await log.createTopic('t', { partitions: 8 });
    const before = log.syncStats;
    const batches = await Promise.all(Array.from({ length: 64 }, (_, i) => batchOf(1, i)));
    await Promise.all(batches.map((batch, i) => log.append('t', i % 8, batch, { durable: true })));
    const after = log.syncStats;
    expect(after.durableWrites - before.durableWrites).toBeGreaterThan(0);
    expect(after.syncs - before.syncs).toBeLessThan(64);
    for (let partition = 0; partition < 8; partition++) {
      expect(log.partitionSummary('t', partition).logEndOffset).toBe(8);
    }
  });

  it('tells listeners when records become readable', async () => {
    const log = await open();
    await log.createTopic('t', { partitions: 2 });
    const events: unknown[] = [];
    log.events.on('append', (event) => events.push(event));
    await log.append('t', 1, await batchOf(3));
    expect(events).toEqual([{ topic: 't', partition: 1, highWatermark: 3 }]);
  });

  it('stamps the partition leader epoch when asked', async () => {
    const log = await open();
    await log.createTopic('t');
    await log.append('t', 0, await batchOf(1), { partitionLeaderEpoch: 7 });
    const [stored] = (await log.read('t', 0, 0, 1000)).batches;
    expect(stored!.readInt32BE(Offsets.partitionLeaderEpoch)).toBe(7);
    expect(isRecordBatchCrcValid(stored!)).toBe(true);
  });
});

describe('offsets', () => {
  it('earliest, latest, by timestamp through the sparse index, and max timestamp', async () => {
    const log = await open();
    await log.createTopic('t', { configs: { 'index.interval.bytes': '1' } });
    // Timestamps rise, except batch 3 which carries the largest.
    const stamps = [100, 200, 300, 900, 400, 500];
    for (const [i, stamp] of stamps.entries()) {
      await log.append(
        't',
        0,
        await buildBatch(
          sampleRecords(2, 10, i, stamp).map((record, j) => ({ ...record, timestamp: stamp + j })),
        ),
      );
    }
    expect(await log.listOffset('t', 0, 'earliest')).toEqual({ offset: 0, timestamp: -1 });
    expect(await log.listOffset('t', 0, 'latest')).toEqual({ offset: 12, timestamp: -1 });
    expect(await log.listOffset('t', 0, 0)).toEqual({ offset: 0, timestamp: 100 });
    expect(await log.listOffset('t', 0, 101)).toEqual({ offset: 1, timestamp: 101 });
    expect(await log.listOffset('t', 0, 102)).toEqual({ offset: 2, timestamp: 200 });
    expect(await log.listOffset('t', 0, 350)).toEqual({ offset: 6, timestamp: 900 });
    expect(await log.listOffset('t', 0, 901)).toEqual({ offset: 7, timestamp: 901 });
    expect(await log.listOffset('t', 0, 902)).toEqual({ offset: -1, timestamp: -1 });
    expect(await log.listOffset('t', 0, 'maxTimestamp')).toEqual({ offset: 7, timestamp: 901 });
    expect(await log.listOffset('t', 0, -2)).toEqual({ offset: 0, timestamp: -1 });
    await log.deleteRecords('t', 0, 5);
    expect(await log.listOffset('t', 0, 0)).toEqual({ offset: 5, timestamp: 301 });
  });

  it('finds by timestamp with the default index interval over many batches', async () => {
    const log = await open();
    await log.createTopic('t');
    for (let i = 0; i < 300; i++) {
      await log.append(
        't',
        0,
        await buildBatch(
          sampleRecords(3, 50, i).map((record, j) => ({
            ...record,
            timestamp: 10_000 + i * 10 + j,
          })),
        ),
      );
    }
    for (const i of [0, 1, 77, 150, 299]) {
      expect(await log.listOffset('t', 0, 10_000 + i * 10 + 2)).toEqual({
        offset: i * 3 + 2,
        timestamp: 10_000 + i * 10 + 2,
      });
    }
    expect(await log.listOffset('t', 0, 10_000 + 299 * 10 + 3)).toEqual({
      offset: -1,
      timestamp: -1,
    });
  });

  it('an empty partition has no offset for a timestamp', async () => {
    const log = await open();
    await log.createTopic('t');
    expect(await log.listOffset('t', 0, 0)).toEqual({ offset: -1, timestamp: -1 });
    expect(await log.listOffset('t', 0, 'maxTimestamp')).toEqual({ offset: -1, timestamp: -1 });
  });
});

describe('segments and retention', () => {
  it('rolls at segment.bytes and lists segments with their counts', async () => {
    let now = 1_000_000;
    let log = await open({ now: () => now });
    const batch = await batchOf(5, 1, 5000);
    await log.createTopic('t', { configs: { 'segment.bytes': String(batch.length * 2) } });
    for (let i = 0; i < 5; i++) {
      now += 10;
      await log.append('t', 0, await batchOf(5, i, 5000 + i));
    }
    const segments = log.segments('t', 0);
    expect(
      segments.map((segment) => [
        segment.baseOffset,
        segment.lastOffset,
        segment.batches,
        segment.records,
        segment.active,
      ]),
    ).toEqual([
      [0, 9, 2, 10, false],
      [10, 19, 2, 10, false],
      [20, 24, 1, 5, true],
    ]);
    expect(segments[0]).toMatchObject({
      bytes: batch.length * 2,
      minTimestamp: 5000,
      maxTimestamp: 5001,
      createdMs: 1_000_010,
      rolledMs: 1_000_030,
    });
    expect(segments[2]!.rolledMs).toBe(-1);
    log = await reopen();
    expect(log.segments('t', 0)).toEqual(segments);
  });

  it('rolls at segment.ms', async () => {
    let now = 1_000_000;
    const log = await open({ now: () => now });
    await log.createTopic('t', { configs: { 'segment.ms': '1000' } });
    await log.append('t', 0, await batchOf(1));
    now += 999;
    await log.append('t', 0, await batchOf(1));
    now += 1;
    await log.append('t', 0, await batchOf(1));
    expect(log.segments('t', 0).map((segment) => segment.baseOffset)).toEqual([0, 2]);
  });

  it('retention by time drops whole expired segments and advances the log start offset', async () => {
    let now = 10_000_000;
    let log = await open({ now: () => now });
    await log.createTopic('t', { configs: { 'segment.ms': '1', 'retention.ms': '1000' } });
    for (let i = 0; i < 4; i++) {
      now += 10;
      await log.append('t', 0, await batchOf(2, i, now));
    }
    expect(log.segments('t', 0)).toHaveLength(4);
    now += 1000 - 19; // the first two segments' records are now older than 1000 ms
    const [result] = await log.runRetention();
    expect(result).toMatchObject({ topic: 't', partition: 0, segments: 2, logStartOffset: 4 });
    expect(log.segments('t', 0).map((segment) => segment.baseOffset)).toEqual([4, 6]);
    await expectKafkaError(() => log.read('t', 0, 3, 1000), 'OFFSET_OUT_OF_RANGE');
    expect((await log.read('t', 0, 4, 1 << 20)).batches).toHaveLength(2);
    await log.idle();
    log = await reopen({ now: () => now });
    expect(log.partitionSummary('t', 0)).toMatchObject({
      logStartOffset: 4,
      logEndOffset: 8,
      segments: 2,
    });
  });

  it('retention by time also takes an expired active segment; appends then start a new one', async () => {
    let now = 10_000_000;
    const log = await open({ now: () => now });
    await log.createTopic('t', { configs: { 'retention.ms': '1000' } });
    await log.append('t', 0, await batchOf(2, 1, now));
    now += 1001;
    await log.runRetention();
    expect(log.partitionSummary('t', 0)).toMatchObject({
      logStartOffset: 2,
      logEndOffset: 2,
      segments: 0,
    });
    await log.append('t', 0, await batchOf(2, 2, now));
    expect(log.segments('t', 0).map((segment) => segment.baseOffset)).toEqual([2]);
  });

  it('retention by size deletes the oldest segments while what stays is at least retention.bytes', async () => {
    const log = await open();
    const size = (await batchOf(2)).length;
    await log.createTopic('t', {
      configs: { 'segment.bytes': String(size), 'retention.bytes': String(size * 2 + 1) },
    });
    for (let i = 0; i < 5; i++) await log.append('t', 0, await batchOf(2, i));
    // Kafka's rule: a segment goes only if the partition stays at or above retention.bytes.
    await log.runRetention();
    expect(log.segments('t', 0).map((segment) => segment.baseOffset)).toEqual([4, 6, 8]);
    await log.alterConfigs('t', { set: { 'retention.bytes': String(size * 2) } });
    await log.runRetention();
    expect(log.segments('t', 0).map((segment) => segment.baseOffset)).toEqual([6, 8]);
    expect(log.partitionSummary('t', 0)).toMatchObject({ bytes: size * 2, logStartOffset: 6 });
  });

  it('cleanup.policy=compact turns retention off', async () => {
    let now = 10_000_000;
    const log = await open({ now: () => now });
    await log.createTopic('t', { configs: { 'retention.ms': '1', 'cleanup.policy': 'compact' } });
    await log.append('t', 0, await batchOf(2, 1, now));
    now += 10_000;
    expect(await log.runRetention()).toEqual([]);
  });

  it('deleteRecords advances the log start offset and drops the segments below it', async () => {
    let log = await open();
    const size = (await batchOf(2)).length;
    await log.createTopic('t', { configs: { 'segment.bytes': String(size) } });
    for (let i = 0; i < 4; i++) await log.append('t', 0, await batchOf(2, i));
    expect(await log.deleteRecords('t', 0, 5)).toBe(5);
    expect(log.segments('t', 0).map((segment) => segment.baseOffset)).toEqual([4, 6]);
    expect(await log.deleteRecords('t', 0, 3)).toBe(5);
    await expectKafkaError(log.deleteRecords('t', 0, 9), 'OFFSET_OUT_OF_RANGE');
    expect(await log.deleteRecords('t', 0, -1)).toBe(8);
    expect(log.segments('t', 0)).toEqual([]);
    const { baseOffset } = await log.append('t', 0, await batchOf(1));
    expect(baseOffset).toBe(8);
    await log.idle();
    log = await reopen();
    expect(log.partitionSummary('t', 0)).toMatchObject({ logStartOffset: 8, logEndOffset: 9 });
  });
});

describe('consumer group storage', () => {
  it('stores group metadata and committed offsets', async () => {
    let log = await open();
    await log.groups.putGroup('g1', Buffer.from('meta'));
    const offset = {
      topic: 't',
      partition: 2,
      offset: 42,
      leaderEpoch: 3,
      metadata: 'm',
      commitTimestamp: 99,
    };
    await log.groups.commitOffsets('g1', [offset, { ...offset, partition: 0, offset: 7 }]);
    await log.groups.commitOffsets('g2', [{ ...offset, topic: 'u' }]);
    expect((await log.groups.getGroup('g1'))?.toString()).toBe('meta');
    expect(await log.groups.listGroups()).toEqual(['g1', 'g2']);
    expect(
      await log.groups.fetchOffsets('g1', [
        { topic: 't', partition: 2 },
        { topic: 't', partition: 9 },
      ]),
    ).toEqual([offset]);
    expect((await log.groups.fetchOffsets('g1')).map((entry) => entry.offset)).toEqual([7, 42]);
    await log.groups.deleteOffsets('g1', [{ topic: 't', partition: 0 }]);
    expect(await log.groups.fetchOffsets('g1')).toEqual([offset]);
    log = await reopen();
    await log.groups.deleteGroup('g1');
    expect(await log.groups.getGroup('g1')).toBeUndefined();
    expect(await log.groups.fetchOffsets('g1')).toEqual([]);
    expect(await log.groups.listGroups()).toEqual(['g2']);
  });
});

describe('read-only', () => {
  it('reads a closed data dir and refuses every change', async () => {
    const log = await open();
    await log.createTopic('t');
    await log.append('t', 0, await batchOf(2));
    await log.close();
    const reader = await CommitLog.open(dir, { readOnly: true });
    try {
      expect((await reader.read('t', 0, 0, 1000)).batches).toHaveLength(1);
      await expectKafkaError(reader.append('t', 0, await batchOf(1)), 'KAFKA_STORAGE_ERROR');
      await expectKafkaError(reader.createTopic('u'), 'KAFKA_STORAGE_ERROR');
      await expectKafkaError(reader.groups.putGroup('g', Buffer.alloc(0)), 'KAFKA_STORAGE_ERROR');
    } finally {
      await reader.close();
    }
  });
});

describe('reads against a model', () => {
  it('any mix of appends and fetches returns exactly the batches a model log holds', async () => {
    const fc = (await import('fast-check')).default;
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), records: fc.integer({ min: 1, max: 30 }) }),
      fc.record({
        kind: fc.constant('read' as const),
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        maxBytes: fc.integer({ min: 1, max: 6000 }),
        follow: fc.boolean(),
      }),
    );
    let seed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 40 }), async (operations) => {
        const log = await CommitLog.open(join(dir, `run-${++seed}`), {
          retentionCheckIntervalMs: 0,
        });
        try {
          await log.createTopic('t');
          const model: Buffer[] = []; // stored batches, in order
          let end = 0;
          let next = 0; // where a following consumer reads next
          for (const op of operations) {
            if (op.kind === 'append') {
              const batch = await batchOf(op.records, ++seed);
              const { baseOffset } = await log.append('t', 0, batch);
              const stored = Buffer.from(batch);
              stored.writeBigInt64BE(BigInt(baseOffset), 0);
              model.push(stored);
              end += op.records;
              continue;
            }
            const offset = op.follow ? next : Math.floor(op.at * end);
            const { batches, highWatermark } = await log.read('t', 0, offset, op.maxBytes);
            expect(highWatermark).toBe(end);
            const firstIndex = model.findIndex(
              (batch) => Number(batch.readBigInt64BE(0)) + batch.readInt32BE(23) >= offset,
            );
            const expected: Buffer[] = [];
            let bytes = 0;
            for (const batch of firstIndex === -1 ? [] : model.slice(firstIndex)) {
              if (expected.length > 0 && bytes + batch.length > op.maxBytes) break;
              expected.push(batch);
              bytes += batch.length;
            }
            // A read may return fewer batches (never others, never out of order).
            expect(batches.length).toBeGreaterThanOrEqual(Math.min(1, expected.length));
            batches.forEach((batch, i) => expect(batch.equals(expected[i]!)).toBe(true));
            const last = batches.at(-1);
            if (op.follow && last) next = Number(last.readBigInt64BE(0)) + last.readInt32BE(23) + 1;
          }
        } finally {
          await log.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a consumer reading on from each fetch gets every batch once, appends in between included', async () => {
    const log = await open();
    await log.createTopic('t');
    const sent: number[] = [];
    for (let i = 0; i < 10; i++)
      sent.push((await log.append('t', 0, await batchOf(3, i))).baseOffset);
    const size = (await log.read('t', 0, 0, 1)).batches[0]!.length;
    const received: number[] = [];
    let offset = 0;
    for (
      let round = 0;
      round < 100 && offset < log.partitionSummary('t', 0).logEndOffset;
      round++
    ) {
      const { batches } = await log.read('t', 0, offset, Math.floor(size * 2.5));
      expect(batches.length).toBeGreaterThan(0);
      for (const batch of batches) received.push(Number(batch.readBigInt64BE(0)));
      offset = received.at(-1)! + 3;
      if (round === 1) {
        for (let i = 10; i < 15; i++)
          sent.push((await log.append('t', 0, await batchOf(3, i))).baseOffset);
      }
    }
    expect(received).toEqual(sent);
  });
});

describe('background work', () => {
  /** Keys in the raw database that belong to a topic id (any of B, S, X, P). */
  async function keysOfTopic(id: string): Promise<number> {
    const { ClassicLevel } = await import('classic-level');
    const { topicIdFromString } = await import('./topicId');
    const idBytes = topicIdFromString(id)!;
    const db = new ClassicLevel<Buffer, Buffer>(dir, {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
    });
    let count = 0;
    for await (const key of db.keys()) {
      if (key.length >= 17 && key.subarray(1, 17).equals(idBytes)) count++;
    }
    await db.close();
    return count;
  }

  it('the retention timer drops expired segments on its own', async () => {
    let now = 10_000_000;
    const log = await open({ now: () => now, retentionCheckIntervalMs: 5 });
    await log.createTopic('t', { configs: { 'retention.ms': '1000', 'segment.ms': '1' } });
    await log.append('t', 0, await batchOf(2, 1, now));
    now += 10;
    await log.append('t', 0, await batchOf(2, 2, now));
    const dropped = new Promise((resolve) => log.events.once('retention', resolve));
    now += 1000; // the first segment is now 1010 ms old, the second 1000 ms
    expect(await dropped).toEqual([
      { topic: 't', partition: 0, segments: 1, bytes: expect.any(Number), logStartOffset: 2 },
    ]);
  });

  it('a retention pass over a log with no topics yet does not stop later passes', async () => {
    let now = 10_000_000;
    const log = await open({ now: () => now });
    expect(await log.runRetention()).toEqual([]); // finishes at once: nothing to look at
    await log.createTopic('t', { configs: { 'retention.ms': '1000', 'segment.ms': '1' } });
    await log.append('t', 0, await batchOf(2, 1, now));
    now += 10;
    await log.append('t', 0, await batchOf(2, 2, now));
    now += 1000;
    expect(await log.runRetention()).toEqual([
      { topic: 't', partition: 0, segments: 1, bytes: expect.any(Number), logStartOffset: 2 },
    ]);
  });

  it('a deleted topic leaves no keys behind', async () => {
    let log = await open();
    const { id } = await log.createTopic('t', {
      partitions: 2,
      configs: { 'index.interval.bytes': '1' },
    });
    for (let i = 0; i < 5; i++) await log.append('t', i % 2, await batchOf(3, i));
    await log.close();
    expect(await keysOfTopic(id)).toBeGreaterThan(10);
    log = await open();
    await log.deleteTopic('t');
    await log.idle();
    await log.close();
    expect(await keysOfTopic(id)).toBe(0);
  });

  it('a deletion interrupted after the topic key went is finished at the next open', async () => {
    let log = await open();
    const { id } = await log.createTopic('t');
    await log.append('t', 0, await batchOf(3));
    await log.close();
    // What a stop right after deleteTopic's first write leaves: data without a topic.
    const { ClassicLevel } = await import('classic-level');
    const db = new ClassicLevel<Buffer, Buffer>(dir, {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
    });
    await db.del(Buffer.from('Tt'));
    await db.close();
    log = await open();
    expect(log.listTopics()).toEqual([]);
    await log.idle();
    await log.close();
    expect(await keysOfTopic(id)).toBe(0);
  });

  it('batches an interrupted segment deletion left below the log start are deleted at the next open', async () => {
    let log = await open();
    const size = (await batchOf(2)).length;
    const { id } = await log.createTopic('t', { configs: { 'segment.bytes': String(size) } });
    for (let i = 0; i < 3; i++) await log.append('t', 0, await batchOf(2, i));
    const [stray] = (await log.read('t', 0, 0, 1)).batches;
    await log.deleteRecords('t', 0, 4);
    await log.idle();
    await log.close();
    // Put back what an interrupted range delete would have left.
    const { ClassicLevel } = await import('classic-level');
    const { batchKey } = await import('./keys');
    const { topicIdFromString } = await import('./topicId');
    const db = new ClassicLevel<Buffer, Buffer>(dir, {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
    });
    await db.put(batchKey(topicIdFromString(id)!, 0, 0), stray!);
    await db.close();
    const before = await keysOfTopic(id);
    log = await open();
    await log.idle();
    await log.close();
    expect(await keysOfTopic(id)).toBe(before - 1);
  });

  it('a read right after open waits for the tail check', async () => {
    let log = await open();
    await log.createTopic('t');
    await log.append('t', 0, await batchOf(3));
    await log.close();
    log = await open();
    // No await on ready: the read itself waits for partition 0's check.
    expect((await log.read('t', 0, 0, 1000)).batches).toHaveLength(1);
  });
});

describe('timestamps in compressed batches', () => {
  it('finds the exact record by timestamp inside a gzip batch', async () => {
    const log = await open();
    await log.createTopic('t');
    const records = sampleRecords(10, 50, 3).map((record, i) => ({
      ...record,
      timestamp: 5_000 + i * 10,
    }));
    await log.append('t', 0, await buildBatch(records, { compression: Compression.gzip }));
    expect(await log.listOffset('t', 0, 5_031)).toEqual({ offset: 4, timestamp: 5_040 });
    expect(await log.listOffset('t', 0, 'maxTimestamp')).toEqual({ offset: 9, timestamp: 5_090 });
  });
});
