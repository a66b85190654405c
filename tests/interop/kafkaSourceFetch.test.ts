/**
 * KafkaSource's own Fetch (engine/sources/kafkaFetch.ts: encoded and decoded by the project's
 * codecs, sent over kafkajs's connection) against `logscope-broker` as a real process, with
 * what kafkajs produced as the oracle: every codec, headers, null keys and values, timestamps;
 * a 1-byte limit answers exactly one batch; the `wanted` hint builds only the records asked
 * for; and a sample's pipelined reads (readOffsets) find the very records produced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionTypes, Kafka, logLevel, type Producer } from 'kafkajs';
import { readOffsets } from '../../engine/eda/readOffsets';
import { planSample } from '../../engine/sampling';
import { registerKafkaCodecs } from '../../engine/sources/kafkaCodecs';
import { KafkaSource } from '../../engine/sources/kafkaSource';
import { startBroker, type RunningBroker } from '../support/broker';

let broker: RunningBroker;
let producer: Producer;
let source: KafkaSource;
const TOPIC = 'fetch.interop';
const PARTITIONS = 3;
const T0 = 1_700_000_000_000;

interface Produced {
  key: string | null;
  value: string | null;
  timestamp: number;
  headers: Record<string, string>;
}
/** partition → offset → what was produced there. */
const produced = new Map<number, Produced[]>();

beforeAll(async () => {
  await registerKafkaCodecs();
  broker = await startBroker();
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
  await admin.disconnect();
  producer = kafka.producer();
  await producer.connect();
  const codecs = [
    CompressionTypes.None,
    CompressionTypes.GZIP,
    CompressionTypes.Snappy,
    CompressionTypes.LZ4,
    CompressionTypes.ZSTD,
  ];
  // Batches of 1 to 60 records, every codec, on every partition.
  for (let round = 0; round < 20; round++) {
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const list = produced.get(partition) ?? [];
      const size = 1 + ((round * 7 + partition * 13) % 60);
      const messages = Array.from({ length: size }, (_, i): Produced => {
        const n = list.length + i;
        return {
          key: n % 9 === 0 ? null : `k-${partition}-${n}`,
          value: n % 17 === 0 ? null : JSON.stringify({ partition, n, text: 'é'.repeat(n % 5) }),
          timestamp: T0 + n,
          headers: n % 4 === 0 ? { trace: `t${n}`, kind: 'even' } : ({} as Record<string, string>),
        };
      });
      await producer.send({
        topic: TOPIC,
        compression: codecs[round % codecs.length],
        messages: messages.map((m) => ({
          partition,
          key: m.key,
          value: m.value,
          timestamp: String(m.timestamp),
          headers: m.headers,
        })),
      });
      list.push(...messages);
      produced.set(partition, list);
    }
  }
  source = new KafkaSource({ brokers: [broker.bootstrap], clientId: 'fetch-interop' });
});

afterAll(async () => {
  await producer?.disconnect();
  await source?.close();
  if (broker) expect(await broker.process.stop()).toBe(0);
});

function expectProduced(
  partition: number,
  offset: number,
  record: {
    key: Buffer | null;
    value: Buffer | null;
    timestamp: number;
    headers: { key: string; value: Buffer | null }[];
  },
): void {
  const want = produced.get(partition)![offset]!;
  expect(record.key?.toString() ?? null).toBe(want.key);
  expect(record.value?.toString() ?? null).toBe(want.value);
  expect(record.timestamp).toBe(want.timestamp);
  expect(Object.fromEntries(record.headers.map((h) => [h.key, h.value?.toString()]))).toEqual(
    want.headers,
  );
}

describe('KafkaSource fetch over its own codecs', () => {
  it('reads every record of every codec as produced, from any offset', async () => {
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const list = produced.get(partition)!;
      let offset = 7; // inside the first batch: records before it are left out
      const seen: number[] = [];
      while (offset < list.length) {
        const result = (await source.fetch(TOPIC, [{ partition, offset, maxBytes: 4096 }])).get(
          partition,
        )!;
        expect(result.highWatermark).toBe(list.length);
        expect(result.nextOffset).toBeGreaterThan(offset);
        for (const record of result.records) {
          expect(record.partition).toBe(partition);
          expectProduced(partition, record.offset, record);
          seen.push(record.offset);
        }
        offset = result.nextOffset;
      }
      expect(seen).toEqual(Array.from({ length: list.length - 7 }, (_, i) => i + 7));
    }
  });

  it('answers a 1-byte fetch with exactly the batch that holds the offset', async () => {
    const list = produced.get(1)!;
    const offset = Math.floor(list.length / 2);
    const result = (await source.fetch(TOPIC, [{ partition: 1, offset, maxBytes: 1 }])).get(1)!;
    // The next fetch from where this one ended starts a new batch, and holds no offset before it.
    const next = (
      await source.fetch(TOPIC, [{ partition: 1, offset: result.nextOffset, maxBytes: 1 }])
    ).get(1)!;
    expect(result.records[0]!.offset).toBe(offset);
    expect(result.records.at(-1)!.offset).toBe(result.nextOffset - 1);
    expect(result.nextOffset - offset).toBeLessThanOrEqual(60);
    expect(next.records[0]!.offset).toBe(result.nextOffset);
  });

  it('builds only the records the wanted hint accepts', async () => {
    const result = (
      await source.fetch(TOPIC, [{ partition: 2, offset: 0, maxBytes: 1 << 20 }], {
        wanted: (_partition, offset) => offset % 10 === 3,
      })
    ).get(2)!;
    expect(result.records.length).toBeGreaterThan(0);
    for (const record of result.records) {
      expect(record.offset % 10).toBe(3);
      expectProduced(2, record.offset, record);
    }
    expect(result.nextOffset).toBe(produced.get(2)!.length);
  });

  it('serves a sample’s pipelined reads with the records produced at each offset', async () => {
    const ranges = (await source.offsets(TOPIC)).map((p) => ({
      partition: p.partition,
      start: p.logStartOffset,
      end: p.highWatermark,
    }));
    const plan = planSample({ strategy: 'random', ranges, size: 250, seed: 'interop' });
    const visited = new Map<number, number[]>();
    const stats = await readOffsets(source, TOPIC, plan.partitions, (partition, offset, record) => {
      expectProduced(partition, offset, record!);
      visited.set(partition, [...(visited.get(partition) ?? []), offset]);
    });
    for (const { partition, offsets } of plan.partitions) {
      expect(visited.get(partition) ?? []).toEqual(offsets);
    }
    expect(stats.recordsRead).toBe(250);
    expect(stats.emptyOffsets).toBe(0);
  });
});
