/**
 * What the EDA benchmarks share: a local broker started from `dist/broker/cli.js`, and a topic
 * filled with JSON orders in producer-sized batches through its Kafka port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import kafkajs from 'kafkajs';
import { decodeResponseFrame } from '../../broker/protocol/messages/envelope';
import { ApiKey } from '../../broker/protocol/messages/generated/index';
import { encodeRecordBatch } from '../../broker/protocol/records/index';
import { RawClient } from '../../broker/server/rawClient';

/** Produce v7: record batches, the non-flexible layout. */
const PRODUCE_VERSION = 7;
export const PARTITIONS = 4;

export async function startBroker(): Promise<{ bootstrap: string; child: ChildProcess }> {
  const path = join(process.cwd(), 'dist', 'broker', 'cli.js');
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first.`);
  const dataDir = mkdtempSync(join(tmpdir(), 'logscope-bench-eda-'));
  const child = spawn(
    process.execPath,
    [path, '--data-dir', dataDir, '--port', '0', '--admin-port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // The data dir of a 10,000,000 message topic is about 250 MB: it goes with the broker.
  child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const bootstrap = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^logscope-broker listening on (\S+):(\d+),/.exec(line);
      if (match) resolve(`${match[1]}:${match[2]}`);
    });
  });
  return { bootstrap, child };
}

/** Records per produced batch: what a producer's default 16 KiB `batch.size` holds of these orders. */
export const RECORDS_PER_BATCH = 100;
/** Produce requests in flight at once on the one connection. */
const PRODUCE_IN_FLIGHT = 16;

/** The order at index `i`: a log-normal-ish amount, a region, a customer key. */
function order(i: number) {
  return {
    key: `customer-${i % 997}`,
    value: JSON.stringify({
      id: i,
      amount: Math.round(Math.exp(3 + Math.sin(i)) * 100) / 100,
      region: ['eu', 'us', 'apac'][i % 3],
    }),
  };
}

/**
 * Fills `topic` (4 partitions) with `messages` orders through the broker's Kafka port:
 * `RECORDS_PER_BATCH` records a batch, as a producer batches them; each Produce request
 * carries one batch per partition (as Kafka requires), several requests in flight. Batches are
 * encoded here rather than by kafkajs, whose per-message encoding would make a 10,000,000
 * message topic take minutes to fill.
 */
export async function fillTopic(bootstrap: string, topic: string, messages: number): Promise<void> {
  const kafka = new kafkajs.Kafka({ brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: PARTITIONS }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const [host, port] = bootstrap.split(':');
  const client = await RawClient.connect(Number(port), host);
  const outstanding: number[] = [];
  const settleOne = async () => {
    const expected = outstanding.shift()!;
    const response = await client.nextResponse();
    if (response.correlationId !== expected) {
      throw new Error(
        `Produce: expected correlation id ${expected}, got ${response.correlationId}`,
      );
    }
    const { body } = decodeResponseFrame(response.frame, ApiKey.Produce, PRODUCE_VERSION);
    for (const t of body.responses)
      for (const p of t.partitionResponses)
        if (p.errorCode !== 0)
          throw new Error(`Produce to partition ${p.index}: error ${p.errorCode}`);
  };
  try {
    const timestamp = Date.now();
    const perRequest = RECORDS_PER_BATCH * PARTITIONS;
    for (let start = 0; start < messages; start += perRequest) {
      const partitionData = [];
      for (let p = 0; p < PARTITIONS; p++) {
        const first = start + p * RECORDS_PER_BATCH;
        const count = Math.min(RECORDS_PER_BATCH, messages - first);
        if (count <= 0) break;
        const records = Array.from({ length: count }, (_, i) => ({
          ...order(first + i),
          timestamp: timestamp + first + i,
        }));
        partitionData.push({ index: p, records: encodeRecordBatch({ records }) });
      }
      const { correlationId, bytes } = client.frame(ApiKey.Produce, PRODUCE_VERSION, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 30_000,
        topicData: [{ name: topic, partitionData }],
      });
      client.write(bytes);
      outstanding.push(correlationId);
      if (outstanding.length >= PRODUCE_IN_FLIGHT) await settleOne();
    }
    while (outstanding.length > 0) await settleOne();
  } finally {
    await client.close();
  }
}

/**
 * The floor most engine benchmarks measure against: a bare kafkajs consumer in a fresh group
 * reading `messages` from the start of `topic`, timed from its first batch (so joining the
 * group is not counted), with the keys' and values' bytes and the messages it received.
 */
export async function kafkajsConsume(
  bootstrap: string,
  topic: string,
  messages: number,
): Promise<{ ms: number; bytes: number; messages: number }> {
  const kafka = new kafkajs.Kafka({ brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let consumed = 0;
  let bytes = 0;
  let started = 0;
  const ms = await new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (started === 0) started = performance.now();
        for (const m of batch.messages) bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
        consumed += batch.messages.length;
        if (consumed >= messages) resolve(performance.now() - started);
      },
    });
  });
  await consumer.disconnect();
  return { ms, bytes, messages: consumed };
}

export function line(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}
