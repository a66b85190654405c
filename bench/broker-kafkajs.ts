/**
 * broker-kafkajs: kafkajs against `logscope-broker`, for the record — a producer sending
 * MESSAGES messages of 100 bytes in batches of 1,000 (acks=1, one request in flight at a
 * time), then a consumer reading them all from the beginning. Each against the commit log's
 * in-process append and read of the same number of records (ratio = kafkajs / log).
 */
import kafkajs from 'kafkajs';
import { round, report } from '../broker/log/testing/benchSupport';
import {
  MESSAGES,
  VALUE_BYTES,
  logAppend,
  logBatches,
  logRead,
  startBenchBroker,
} from './_brokerBench';

const { Kafka, logLevel } = kafkajs;
const appended = await logAppend(logBatches());
const read = await logRead(appended.dir.path);
appended.dir.remove();
const broker = await startBenchBroker();
const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
const value = Buffer.alloc(VALUE_BYTES, 'x');
try {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'bench', numPartitions: 1 }] });
  await admin.disconnect();

  const producer = kafka.producer();
  await producer.connect();
  const start = process.hrtime.bigint();
  for (let sent = 0; sent < MESSAGES; sent += 1000)
    await producer.send({
      topic: 'bench',
      acks: 1,
      messages: Array.from({ length: 1000 }, () => ({ value })),
    });
  const produceMs = Number(process.hrtime.bigint() - start) / 1e6;
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: 'bench', maxBytesPerPartition: 1 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: ['bench'], fromBeginning: true });
  let received = 0;
  let consumeStart = 0n;
  const consumeMs = await new Promise<number>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (consumeStart === 0n) consumeStart = process.hrtime.bigint();
        received += batch.messages.length;
        if (received >= MESSAGES) resolve(Number(process.hrtime.bigint() - consumeStart) / 1e6);
      },
    });
  });
  await consumer.disconnect();

  const produceRate = MESSAGES / (produceMs / 1000);
  const appendRate = MESSAGES / (appended.ms / 1000);
  report({
    bench: 'broker-kafkajs/produce',
    ratio: round(produceRate / appendRate),
    value: Math.round(produceRate),
    unit: 'msg/s',
    baseline: `commit log in-process append of the same number of records: ${Math.round(appendRate)} msg/s`,
    messages: MESSAGES,
    MBps: round((MESSAGES * VALUE_BYTES) / 1e6 / (produceMs / 1000), 1),
  });
  const consumeRate = MESSAGES / (consumeMs / 1000);
  const readRate = MESSAGES / (read.ms / 1000);
  report({
    bench: 'broker-kafkajs/consume',
    ratio: round(consumeRate / readRate),
    value: Math.round(consumeRate),
    unit: 'msg/s',
    baseline: `commit log in-process read of the same number of records: ${Math.round(readRate)} msg/s (timed from the first batch kafkajs hands over)`,
    messages: MESSAGES,
    MBps: round((MESSAGES * VALUE_BYTES) / 1e6 / (consumeMs / 1000), 1),
  });
} finally {
  await broker.stop();
}
