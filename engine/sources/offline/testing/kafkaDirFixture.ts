/**
 * A Kafka log directory for tests, benchmarks and the end-to-end test, built from bytes real
 * clients encoded: librdkafka's batches (kcat, every codec) and message sets (magic 1), and
 * kafkajs's encoder; plus a magic 1 message set built here from Kafka's documented format.
 *
 *   events-0   5 kcat batches (none, gzip, snappy, lz4, zstd; 5 records each, offsets 0–24),
 *              then a second segment from offset 25: 60 kafkajs batches of 10 records
 *   events-1   kcat's magic 1 message set (offsets 0–4) and two hand-built magic 1 messages (5, 6)
 *   my-topic-with-dashes-2   one kafkajs batch
 *   events-0.<32 hex>-delete   a partition being deleted (to be left out)
 */
import { crc32 } from 'node:zlib';
import { iterateLogEntries, setBaseOffset } from '../../../../broker/protocol/records';
import * as kcat from '../../../../broker/protocol/records/fixtures/kcatCaptured';
import { writeKafkaLogDir } from '../../../../broker/log/export/kafkaDirWriter';
import { buildBatch, type TestRecord } from '../../../../broker/log/testing/recordBatches';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const FIXTURE_TIME = 1_700_000_000_000;
export const KCAT_VALUES = [
  '{"event":"login","ok":true}',
  'no key here',
  '\x01\x02 binary-ish',
  '',
  'lorem ipsum dolor sit amet '.repeat(40),
];

/** A batch with its base offset set. */
export function at(batch: Buffer, baseOffset: number): Buffer {
  const copy = Buffer.from(batch);
  setBaseOffset(copy, BigInt(baseOffset));
  return copy;
}

/** A legacy message set with its outer offsets renumbered from `first`. */
function renumberLegacy(set: Buffer, first: number): Buffer {
  const copy = Buffer.from(set);
  let offset = first;
  for (const entry of iterateLogEntries(copy)) {
    if (entry.kind !== 'legacy')
      throw new Error(`fixture: expected legacy entries, got ${entry.kind}`);
    copy.writeBigInt64BE(BigInt(offset++), entry.position);
  }
  return copy;
}

/**
 * One uncompressed magic 1 message, from Kafka's "Old Message Format": offset int64,
 * message size int32, crc uint32 (CRC-32 of magic..end), magic int8 = 1, attributes int8,
 * timestamp int64, key bytes, value bytes (int32 length, -1 for null).
 */
export function magic1Message(
  offset: number,
  timestamp: number,
  key: string | null,
  value: string | null,
): Buffer {
  const k = key === null ? null : Buffer.from(key);
  const v = value === null ? null : Buffer.from(value);
  const body = Buffer.alloc(1 + 1 + 8 + 4 + (k?.length ?? 0) + 4 + (v?.length ?? 0));
  let at = 0;
  at = body.writeInt8(1, at);
  at = body.writeInt8(0, at);
  at = body.writeBigInt64BE(BigInt(timestamp), at);
  at = body.writeInt32BE(k ? k.length : -1, at);
  if (k) at += k.copy(body, at);
  at = body.writeInt32BE(v ? v.length : -1, at);
  if (v) v.copy(body, at);
  const head = Buffer.alloc(16);
  head.writeBigInt64BE(BigInt(offset), 0);
  head.writeInt32BE(4 + body.length, 8);
  head.writeUInt32BE(crc32(body), 12);
  return Buffer.concat([head, body]);
}

export function kafkajsRecords(count: number, first: number, valueBytes = 200): TestRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `k-${first + i}`,
    value: JSON.stringify({ n: first + i, pad: 'x'.repeat(Math.max(0, valueBytes - 30)) }),
    timestamp: FIXTURE_TIME + (first + i) * 1000,
  }));
}

export interface FixtureLayout {
  /** events-0 entries by segment. */
  events0: { baseOffset: number; entries: Buffer[] }[];
  events1: Buffer[];
}

export async function buildFixtureEntries(): Promise<FixtureLayout> {
  const codecs = [kcat.none, kcat.gzip, kcat.snappy, kcat.lz4, kcat.zstd];
  const first = codecs.map((b64, i) => at(Buffer.from(b64, 'base64'), i * 5));
  const second: Buffer[] = [];
  for (let b = 0; b < 60; b++) {
    const base = 25 + b * 10;
    second.push(at(await buildBatch(kafkajsRecords(10, base)), base));
  }
  const legacy = renumberLegacy(Buffer.from(kcat.legacyV1, 'base64'), 0);
  const handBuilt = [
    magic1Message(5, FIXTURE_TIME + 5000, 'legacy-5', 'five'),
    magic1Message(6, FIXTURE_TIME + 6000, null, 'six'),
  ];
  return {
    events0: [
      { baseOffset: 0, entries: first },
      { baseOffset: 25, entries: second },
    ],
    events1: [legacy, ...handBuilt],
  };
}

/** Writes the fixture directory into `dir` (new or empty). */
export async function writeFixtureLogDir(dir: string): Promise<FixtureLayout> {
  const layout = await buildFixtureEntries();
  const dashed = at(await buildBatch(kafkajsRecords(3, 0)), 0);
  await writeKafkaLogDir(
    dir,
    [
      {
        topic: 'events',
        partition: 0,
        topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
        segments: layout.events0,
        logStartOffset: 0,
        highWatermark: 625,
      },
      {
        topic: 'events',
        partition: 1,
        topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
        segments: [{ baseOffset: 0, entries: layout.events1 }],
        logStartOffset: 0,
        highWatermark: 7,
      },
      {
        topic: 'my-topic-with-dashes',
        partition: 2,
        segments: [{ baseOffset: 0, entries: [dashed] }],
        logStartOffset: 0,
        highWatermark: 3,
      },
    ],
    { clusterId: 'fixture-cluster-id-000', nodeId: 1 },
  );
  const deleted = join(dir, 'events-0.0123456789abcdef0123456789abcdef-delete');
  await mkdir(deleted);
  await writeFile(join(deleted, '00000000000000000000.log'), Buffer.from('not to be read'));
  return layout;
}
