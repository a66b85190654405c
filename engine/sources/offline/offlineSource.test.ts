import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitLog } from '../../../broker/log';
import { exportKafkaDirFrom } from '../../../broker/log/export/kafkaDirExport';
import { initCompression } from '../../../broker/protocol/records';
import type { RawRecord } from '../../browse/record';
import { ApiError } from '../../http/apiError';
import type { OfflineSource } from './offlineSource';
import { openOfflineSource } from './openOfflineSource';
import {
  at,
  FIXTURE_TIME,
  KCAT_VALUES,
  kafkajsRecords,
  writeFixtureLogDir,
} from './testing/kafkaDirFixture';
import { buildBatch } from '../../../broker/log/testing/recordBatches';

let root: string;
let fixture: string;

beforeAll(async () => {
  await initCompression();
  root = await mkdtemp(join(tmpdir(), 'logscope-offline-test-'));
  fixture = join(root, 'kafka-logs');
  await writeFixtureLogDir(fixture);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every record of a partition, read page by page the way the browser does. */
async function readAll(
  source: OfflineSource,
  topic: string,
  partition: number,
  maxBytes = 4096,
): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  const [offsets] = (await source.offsets(topic)).filter((p) => p.partition === partition);
  let offset = offsets!.logStartOffset;
  while (offset < offsets!.highWatermark) {
    const fetched = (await source.fetch(topic, [{ partition, offset, maxBytes }])).get(partition)!;
    records.push(...fetched.records);
    if (fetched.nextOffset <= offset) break;
    offset = fetched.nextOffset;
  }
  return records;
}

async function copyFixture(name: string): Promise<string> {
  const dir = join(root, name);
  await cp(fixture, dir, { recursive: true });
  return dir;
}

async function fingerprint(dir: string): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    const hash = entry.isFile()
      ? createHash('sha256')
          .update(await readFile(path))
          .digest('hex')
      : 'dir';
    result.set(path, `${hash} ${info.mtimeMs} ${info.size}`);
  }
  return result;
}

describe('a Kafka log directory', () => {
  it('lists its topics (names split on the last dash), leaving out partitions being deleted', async () => {
    const source = await openOfflineSource(fixture);
    try {
      const topics = await source.listTopics();
      expect(topics.map((t) => [t.name, t.partitions, t.messages])).toEqual([
        ['events', 2, 625 + 7],
        ['my-topic-with-dashes', 1, 3],
      ]);
      const details = await source.describeTopic('events');
      expect(details.topicId).toBe('AAAAAAAAAAAAAAAAAAAAAQ');
      expect(
        details.partitions.map((p) => [p.partition, p.leader, p.highWatermark, p.segmentCount]),
      ).toEqual([
        [0, 1, 625, 2],
        [1, 1, 7, 1],
      ]);
    } finally {
      await source.close();
    }
  });

  it('reads librdkafka batches of every codec and kafkajs batches across segments, in offset order', async () => {
    const source = await openOfflineSource(fixture);
    try {
      const records = await readAll(source, 'events', 0);
      expect(records.map((r) => r.offset)).toEqual(Array.from({ length: 625 }, (_, i) => i));
      for (let codec = 0; codec < 5; codec++) {
        const values = records
          .slice(codec * 5, codec * 5 + 5)
          .map((r) => r.value?.toString('latin1') ?? null);
        expect(values).toEqual(KCAT_VALUES.map((v) => Buffer.from(v).toString('latin1')));
        expect(records[codec * 5]!.headers.map((h) => h.key)).toEqual(['trace', 'ünïcode']);
      }
      expect(records[1]!.key).toBeNull();
      const later = records[300]!;
      expect(later.key?.toString()).toBe('k-300');
      expect(JSON.parse(later.value!.toString()).n).toBe(300);
      expect(later.timestamp).toBe(FIXTURE_TIME + 300_000);
    } finally {
      await source.close();
    }
  });

  it('reads magic 1 message sets: librdkafka’s and one built from the documented format', async () => {
    const source = await openOfflineSource(fixture);
    try {
      const records = await readAll(source, 'events', 1);
      expect(records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(records[0]!.key?.toString()).toBe('user-1');
      expect(records[5]!.key?.toString()).toBe('legacy-5');
      expect(records[5]!.value?.toString()).toBe('five');
      expect(records[5]!.timestamp).toBe(FIXTURE_TIME + 5000);
      expect(records[6]!.key).toBeNull();
    } finally {
      await source.close();
    }
  });

  it('seeks by offset the same with a valid, a stale and no .index, and by time', async () => {
    const stale = await copyFixture('stale-index');
    const indexPath = join(stale, 'events-0', '00000000000000000025.index');
    const index = await readFile(indexPath);
    expect(index.length).toBeGreaterThan(16);
    for (let i = 4; i < index.length; i += 8) index.writeInt32BE(index.readInt32BE(i) + 37, i); // positions off
    await writeFile(indexPath, index);
    const none = await copyFixture('no-index');
    for (const file of await readdir(join(none, 'events-0'))) {
      if (file.endsWith('.index')) await rm(join(none, 'events-0', file));
    }
    const firsts: number[][] = [];
    for (const dir of [fixture, stale, none]) {
      const source = await openOfflineSource(dir);
      try {
        const fetched = (
          await source.fetch('events', [{ partition: 0, offset: 457, maxBytes: 1 }])
        ).get(0)!;
        firsts.push(fetched.records.map((r) => r.offset));
        // Kafka's rule: the first offset whose timestamp is at or after the time (the kcat
        // batches carry their capture time, later than every kafkajs record).
        const target = FIXTURE_TIME + 400_500;
        const expected = (await readAll(source, 'events', 0)).find((r) => r.timestamp >= target)!;
        const byTime = await source.offsetsForTimestamp('events', [0], target);
        expect(byTime.get(0)).toBe(expected.offset);
        const dashed = await readAll(source, 'my-topic-with-dashes', 2);
        const middle = dashed[1]!.timestamp + 1;
        expect((await source.offsetsForTimestamp('my-topic-with-dashes', [2], middle)).get(2)).toBe(
          dashed.find((r) => r.timestamp >= middle)!.offset,
        );
        const newest = Math.max(...(await readAll(source, 'events', 0)).map((r) => r.timestamp));
        expect((await source.offsetsForTimestamp('events', [0], newest + 1)).get(0)).toBe(625);
      } finally {
        await source.close();
      }
    }
    expect(firsts[0]).toEqual([457, 458, 459, 460, 461, 462, 463, 464]);
    expect(firsts[1]).toEqual(firsts[0]);
    expect(firsts[2]).toEqual(firsts[0]);
  });

  it('keeps each record’s bytes when a read takes more than one chunk of the file', async () => {
    const source = await openOfflineSource(fixture);
    try {
      // The first 64 KiB chunk ends inside the second segment's batches: the reader goes on
      // with another chunk, and the records already read must not see its bytes.
      const fetched = (
        await source.fetch('events', [{ partition: 0, offset: 25, maxBytes: 100_000 }])
      ).get(0)!;
      const segment = await stat(join(fixture, 'events-0', '00000000000000000025.log'));
      expect(segment.size).toBeGreaterThan(100_000);
      expect(fetched.records.length).toBeGreaterThan(300);
      expect(fetched.records.map((r) => r.key?.toString())).toEqual(
        kafkajsRecords(fetched.records.length, 25).map((r) => r.key),
      );
    } finally {
      await source.close();
    }
  });

  it('lists segments as real files with their index entries', async () => {
    const source = await openOfflineSource(fixture);
    try {
      const list = await source.segments('events', 0);
      expect(
        list.segments.map((s) => [
          s.file,
          s.baseOffset,
          s.lastOffset,
          s.batches,
          s.records,
          s.active,
        ]),
      ).toEqual([
        ['events-0/00000000000000000000.log', 0, 24, 5, 25, false],
        ['events-0/00000000000000000025.log', 25, 624, 60, 600, true],
      ]);
      const bytes = (await stat(join(fixture, 'events-0', '00000000000000000025.log'))).size;
      expect(list.segments[1]!.bytes).toBe(bytes);
      expect(list.segments[1]!.indexEntries).toBe(
        (await stat(join(fixture, 'events-0', '00000000000000000025.index'))).size / 8,
      );
      expect(list.damage).toEqual([]);
      expect(list.segments.map((s) => s.indexNotes)).toEqual([[], []]);
    } finally {
      await source.close();
    }
  });

  it('says why index entries are ignored: stale, zero padding, missing', async () => {
    const dir = await copyFixture('index-notes');
    const indexPath = join(dir, 'events-0', '00000000000000000025.index');
    const index = await readFile(indexPath);
    // A stale index of a longer log (entries past the end), preallocated with zeros after them.
    const past = Buffer.alloc(8);
    past.writeInt32BE(900, 0);
    past.writeInt32BE(10_000_000, 4);
    await writeFile(indexPath, Buffer.concat([index, past, Buffer.alloc(80)]));
    await rm(join(dir, 'events-0', '00000000000000000000.timeindex'));
    const source = await openOfflineSource(dir);
    try {
      const [first, second] = (await source.segments('events', 0)).segments;
      expect(first!.indexNotes).toEqual([
        'No .timeindex file: times are found by reading the .log.',
      ]);
      expect(second!.indexNotes).toEqual([
        `.index: 10 of ${index.length / 8 + 11} slots after the last valid entry are zero padding or out of order; ignored.`,
        '.index is stale: 1 entry points past the readable end of the .log (an index from another copy of the log); ignored — batches are found by reading the .log.',
      ]);
    } finally {
      await source.close();
    }
  });

  it('opens a single partition directory and a single segment file', async () => {
    const partition = await openOfflineSource(join(fixture, 'my-topic-with-dashes-2'));
    try {
      expect(partition.kind).toBe('partition-dir');
      expect(
        (await readAll(partition, 'my-topic-with-dashes', 2)).map((r) => r.key?.toString()),
      ).toEqual(['k-0', 'k-1', 'k-2']);
    } finally {
      await partition.close();
    }
    const segment = await openOfflineSource(join(fixture, 'events-0', '00000000000000000025.log'));
    try {
      expect(segment.kind).toBe('segment-file');
      const [offsets] = await segment.offsets('events');
      expect(offsets).toEqual({ partition: 0, logStartOffset: 25, highWatermark: 625 });
    } finally {
      await segment.close();
    }
  });

  it('writes, touches and locks nothing in the opened directory', async () => {
    const before = await fingerprint(fixture);
    const source = await openOfflineSource(fixture);
    await source.listTopics();
    await source.segments('events', 0);
    await readAll(source, 'events', 0);
    await readAll(source, 'events', 1);
    await source.offsetsForTimestamp('events', [0, 1], FIXTURE_TIME);
    await source.close();
    expect(await fingerprint(fixture)).toEqual(before);
  });
});

describe('damaged files', () => {
  const last = join('events-0', '00000000000000000025.log');

  async function damaged(name: string, damage: (path: string, size: number) => Promise<void>) {
    const dir = await copyFixture(name);
    const path = join(dir, last);
    await damage(path, (await stat(path)).size);
    return dir;
  }

  /** Position of the batch with base offset `offset` in the second segment. */
  async function positionOf(offset: number): Promise<number> {
    let position = 0;
    for (let base = 25; base < offset; base += 10)
      position += (await buildBatch(kafkajsRecords(10, base))).length;
    return position;
  }

  async function check(
    dir: string,
    expected: {
      kind: string;
      position: number;
      offset: number | null;
      readable: number;
      readableBefore: number;
    },
  ) {
    const source = await openOfflineSource(dir);
    try {
      const records = await readAll(source, 'events', 0);
      const list = await source.segments('events', 0);
      expect(list.damage).toEqual([
        expect.objectContaining({
          file: last,
          kind: expected.kind,
          position: expected.position,
          offset: expected.offset,
          readableBefore: expected.readableBefore,
        }),
      ]);
      expect(list.damage![0]!.explanation).toContain(
        `Everything before offset ${expected.readableBefore} in this file is readable.`,
      );
      expect(list.segments[1]!.damage).toEqual(list.damage);
      // Everything before the damage stays browsable.
      expect(records.filter((r) => r.offset < 615).map((r) => r.offset)).toEqual(
        Array.from({ length: expected.readable }, (_, i) => i),
      );
    } finally {
      await source.close();
    }
  }

  it('a truncated last batch: reported, everything before it browsable', async () => {
    const position = await positionOf(615);
    const dir = await damaged('truncated', (path, size) => truncate(path, size - 20));
    await check(dir, {
      kind: 'TRUNCATED',
      position,
      offset: 615,
      readable: 615,
      readableBefore: 615,
    });
  });

  it('a CRC mismatch: the batch is reported and skipped, the rest stays browsable', async () => {
    const position = await positionOf(305);
    const dir = await damaged('crc', async (path) => {
      const bytes = await readFile(path);
      bytes[position + 100] = bytes[position + 100]! ^ 0xff;
      await writeFile(path, bytes);
    });
    const source = await openOfflineSource(dir);
    try {
      const offsets = (await readAll(source, 'events', 0)).map((r) => r.offset);
      expect(offsets).toHaveLength(615);
      expect(offsets.includes(305) || offsets.includes(314)).toBe(false);
      expect(offsets).toContain(315);
      expect(source.damage()).toEqual([
        expect.objectContaining({
          file: last,
          kind: 'CRC_MISMATCH',
          position,
          offset: 305,
          effect: 'skipped',
        }),
      ]);
    } finally {
      await source.close();
    }
  });

  it('a zero-filled tail: reported where the zeros start', async () => {
    let position = 0;
    const dir = await damaged('zero-tail', async (path, size) => {
      position = size;
      await writeFile(path, Buffer.alloc(8192), { flag: 'a' });
    });
    await check(dir, {
      kind: 'ZERO_FILLED_TAIL',
      position,
      offset: null,
      readable: 615,
      readableBefore: 625,
    });
  });

  it('a batch length past the end of the file: reported with the batch’s offset', async () => {
    const position = await positionOf(615);
    const dir = await damaged('length-past-eof', async (path) => {
      const bytes = await readFile(path);
      bytes.writeInt32BE(50_000_000, position + 8);
      await writeFile(path, bytes);
    });
    await check(dir, {
      kind: 'LENGTH_PAST_EOF',
      position,
      offset: 615,
      readable: 615,
      readableBefore: 615,
    });
  });
});

describe('a Logscope broker data directory', () => {
  async function brokerDir(name: string): Promise<string> {
    const dir = join(root, name);
    const log = await CommitLog.open(dir);
    await log.createTopic('orders', { partitions: 2 });
    for (let b = 0; b < 20; b++) {
      await log.append('orders', b % 2, at(await buildBatch(kafkajsRecords(5, b * 5)), 0), {
        durable: true,
      });
    }
    await log.close();
    return dir;
  }

  it('is read from a snapshot: the same messages, nothing in the directory changed', async () => {
    const dir = await brokerDir('broker-data');
    const before = await fingerprint(dir);
    const source = await openOfflineSource(dir);
    try {
      expect(source.kind).toBe('logscope-data-dir');
      expect((await source.listTopics()).map((t) => [t.name, t.messages])).toEqual([
        ['orders', 100],
      ]);
      const records = await readAll(source, 'orders', 1);
      expect(records).toHaveLength(50);
      expect(records[0]!.key?.toString()).toBe('k-5');
    } finally {
      await source.close();
    }
    expect(await fingerprint(dir)).toEqual(before);
  });

  it('a directory a running broker holds is refused, with the way to reach that broker instead', async () => {
    const dir = await brokerDir('broker-held');
    const held = await CommitLog.open(dir);
    try {
      const error = await openOfflineSource(dir).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('CONFLICT');
      expect((error as ApiError).message).toMatch(
        /held by a running broker .*Connect to that broker instead/,
      );
    } finally {
      await held.close();
    }
  });

  it('round trip: export-kafka-dir, then the offline reader shows the same messages', async () => {
    const dir = await brokerDir('broker-export');
    const out = join(root, 'exported');
    const summary = await exportKafkaDirFrom(dir, out, { clusterId: 'round-trip-cluster-00' });
    expect(summary).toMatchObject({ topics: 1, partitions: 2, batches: 20 });
    expect(await readdir(out)).toEqual(
      expect.arrayContaining([
        'meta.properties',
        'orders-0',
        'orders-1',
        'log-start-offset-checkpoint',
        'replication-offset-checkpoint',
        'recovery-point-offset-checkpoint',
      ]),
    );
    const fromBroker = await openOfflineSource(dir);
    const fromExport = await openOfflineSource(out);
    try {
      expect(fromExport.kind).toBe('kafka-log-dir');
      const strip = (records: RawRecord[]) =>
        records.map((r) => [r.offset, r.timestamp, r.key?.toString(), r.value?.toString()]);
      for (const partition of [0, 1]) {
        expect(strip(await readAll(fromExport, 'orders', partition))).toEqual(
          strip(await readAll(fromBroker, 'orders', partition)),
        );
      }
      expect((await fromExport.describeTopic('orders')).topicId).toBe(
        (await fromBroker.describeTopic('orders')).topicId,
      );
    } finally {
      await fromBroker.close();
      await fromExport.close();
    }
  });
});
