/**
 * broker-fetch-latency: a kafkajs consumer waiting at the log end (long poll, max wait 5 s)
 * while a kafkajs producer sends one message at a time (acks=1); for each, the time from the
 * produce acknowledgement to the consumer receiving the message — the fetch response. The
 * broker wakes the waiting fetch on append, so the fetch can answer before the ack reaches the
 * producer: those samples are negative. Median and p99 over SAMPLES messages. The floor: a
 * raw loopback TCP round trip in this process (one byte each way), median; ratio = floor /
 * median time from send to fetch response.
 */
import { createServer, connect } from 'node:net';
import kafkajs from 'kafkajs';
import { FULL, round, report } from '../broker/log/testing/benchSupport';
import { startBenchBroker } from './_brokerBench';

const { Kafka, logLevel } = kafkajs;
const SAMPLES = FULL ? 2000 : 300;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function loopbackRoundTrips(count: number): Promise<number[]> {
  const server = createServer((socket) => socket.on('data', (d) => socket.write(d)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise((resolve) => socket.once('connect', resolve));
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = now();
    await new Promise<void>((resolve) => {
      socket.once('data', () => resolve());
      socket.write('x');
    });
    times.push(now() - start);
  }
  socket.destroy();
  await new Promise((resolve) => server.close(resolve));
  return times;
}

const broker = await startBenchBroker();
const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
try {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'latency', numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const consumer = kafka.consumer({ groupId: 'latency', maxWaitTimeInMs: 5000 });
  await consumer.connect();
  await consumer.subscribe({ topics: ['latency'], fromBeginning: true });
  let arrived: ((at: number) => void) | null = null;
  const joined = new Promise<void>((resolve) =>
    consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
  );
  await consumer.run({
    autoCommit: false,
    eachMessage: async () => arrived?.(now()),
  });
  await joined;
  const ackToFetch: number[] = [];
  const sendToFetch: number[] = [];
  for (let i = 0; i < SAMPLES + 20; i++) {
    const received = new Promise<number>((resolve) => (arrived = resolve));
    const sent = now();
    await producer.send({ topic: 'latency', acks: 1, messages: [{ value: `m${i}` }] });
    const acked = now();
    const fetched = await received;
    if (i < 20) continue; // warm-up
    ackToFetch.push(fetched - acked);
    sendToFetch.push(fetched - sent);
  }
  await consumer.disconnect();
  await producer.disconnect();
  const floor = quantile(await loopbackRoundTrips(1000), 0.5);
  report({
    bench: 'broker-fetch-latency',
    ratio: round(floor / quantile(sendToFetch, 0.5)),
    value: round(quantile(ackToFetch, 0.5), 3),
    unit: 'ms',
    baseline: `loopback TCP round trip in-process, median: ${round(floor, 3)} ms (ratio against the median send→fetch time)`,
    p99: round(quantile(ackToFetch, 0.99), 3),
    sendToFetchMedianMs: round(quantile(sendToFetch, 0.5), 3),
    sendToFetchP99Ms: round(quantile(sendToFetch, 0.99), 3),
    samples: SAMPLES,
  });
} finally {
  await broker.stop();
}
