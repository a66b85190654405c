/**
 * The demo topics as a Kafka client sees them: seeded through a real broker process and read
 * back with kcat. Each partition must hold its records in timestamp order, since playback,
 * seeks by time and the throughput views all read the demo topics first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_ORDERS_TOPIC,
  DEMO_ORDER_COUNT,
  DEMO_SENSORS_TOPIC,
  DEMO_SENSOR_COUNT,
} from '../../engine/demo/demoData';
import { DemoSeeder } from '../../engine/demo/demoSeeder';
import { KafkaSource } from '../../engine/sources/kafkaSource';
import { startBroker, type RunningBroker } from '../support/broker';
import { kcatOk } from '../support/kcat';

let broker: RunningBroker;
let source: KafkaSource;

beforeAll(async () => {
  broker = await startBroker();
  source = new KafkaSource({ brokers: [broker.bootstrap], clientId: 'demo-test' });
  const seeder = new DemoSeeder({
    source,
    live: false,
    log: () => undefined,
    brokerUp: async () => undefined,
  });
  seeder.start();
  await seeder.settled();
}, 120_000);

afterAll(async () => {
  await source?.close();
  await broker?.process.stop();
});

/** Per partition, its records' `[offset, timestamp]` in the order kcat reads them. */
async function partitions(topic: string): Promise<Map<number, [number, number][]>> {
  const out = await kcatOk([
    '-C',
    '-b',
    broker.bootstrap,
    '-t',
    topic,
    '-e',
    '-q',
    '-f',
    '%p %o %T\n',
  ]);
  const byPartition = new Map<number, [number, number][]>();
  for (const line of out.split('\n').filter(Boolean)) {
    const [partition, offset, timestamp] = line.split(' ').map(Number) as [number, number, number];
    if (!byPartition.has(partition)) byPartition.set(partition, []);
    byPartition.get(partition)!.push([offset, timestamp]);
  }
  return byPartition;
}

describe('demo topics', () => {
  it.each([
    [DEMO_ORDERS_TOPIC, DEMO_ORDER_COUNT, 3],
    [DEMO_SENSORS_TOPIC, DEMO_SENSOR_COUNT, 2],
  ])('%s holds every record once, each partition in timestamp order', async (topic, count, n) => {
    const byPartition = await partitions(topic);
    expect([...byPartition.keys()].sort()).toEqual(Array.from({ length: n }, (_, i) => i));
    let total = 0;
    for (const [partition, records] of byPartition) {
      total += records.length;
      const backwards = records.filter(([, t], i) => i > 0 && t < records[i - 1]![1]);
      expect(backwards, `partition ${partition} goes back in time`).toEqual([]);
      expect(records.map(([offset]) => offset)).toEqual(records.map((_, i) => i));
    }
    expect(total).toBe(count);
  });
});
