/**
 * A reservoir sample over a live tail, through `logscope serve` as a user runs it: a producer
 * (kafkajs) writes to the local broker while the sample job tails the topic; the result holds
 * only records that arrived after the job started, stops at the count of arrivals asked for,
 * and reports its progress in records seen over the `jobs` stream.
 */
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, Job } from '../../engine/api';
import type { SampleResult } from '../../engine/api/eda';
import { engineClient, openEngineSocket } from '../support/engineClient';
import { startServe, type ServedApp } from '../support/processes';

const { Kafka, logLevel } = kafkajs;
const TOPIC = 'live.orders';
const OLD = 300;

let app: ServedApp;
let base: string;
let kafka: InstanceType<typeof Kafka>;

beforeAll(async () => {
  app = await startServe(['--no-demo']);
  base = `${app.baseUrl}api/v1`;
  const { clusters } = await api<{ clusters: Cluster[] }>('GET', '/clusters');
  const bootstrap = clusters.find((c) => c.id === 'local')!.bootstrapServers![0]!;
  kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
});

afterAll(async () => {
  expect(await app?.process.stop()).toBe(0);
});

const { api, apiError } = engineClient(() => ({ base, token: app.token }));

/** An order's amount: negative for those written before the sample, so none can pass for new. */
const amountOf = (id: number) => (id < OLD ? -1 - id : id + 0.5);

describe('reservoir sample over a live tail', () => {
  it('samples the records produced while it runs, and only those', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const send = (from: number, count: number) =>
      producer.send({
        topic: TOPIC,
        messages: Array.from({ length: count }, (_, i) => ({
          key: `c${(from + i) % 5}`,
          value: JSON.stringify({ id: from + i, amount: amountOf(from + i) }),
        })),
      });
    await send(0, OLD);

    const socket = await openEngineSocket({ base, token: app.token });
    const updates: Job[] = [];
    let onUpdate: (job: Job) => void = () => {};
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw));
      if (message.op === 'event' && message.data) {
        updates.push(message.data as Job);
        onUpdate(message.data as Job);
      }
    });
    const until = (test: (job: Job) => boolean) =>
      new Promise<Job>((resolve) => {
        const found = updates.find(test);
        if (found) return resolve(found);
        onUpdate = (job) => {
          if (test(job)) resolve(job);
        };
      });

    const job = await api<Job>('POST', `/clusters/local/topics/${TOPIC}/samples`, {
      strategy: 'reservoir',
      size: 100,
      seed: 7,
      fields: ['$.amount', 'key'],
      tail: { maxRecords: 2000, durationMs: 120_000 },
    });
    expect(job.progress.unit).toBe('messages');
    socket.send(
      JSON.stringify({ op: 'subscribe', id: 'j', stream: 'jobs', params: { job: job.id } }),
    );
    await until((j) => j.progress.message === 'Waiting for new records' || j.finishedAt !== null);

    // More than the count, in batches, while the job tails.
    const finished = until((j) => j.finishedAt !== null);
    for (let id = OLD; id < OLD + 3000; id += 100) await send(id, 100);
    const done = await finished;
    socket.close();
    await producer.disconnect();

    expect(done.state).toBe('succeeded');
    const result = done.result as SampleResult;
    expect(result.strategy).toBe('reservoir');
    expect(result.populationSize).toBe(2000);
    expect(result.recordsRead).toBe(100);
    expect(new Set(result.sampled.map(([p, o]) => `${p}:${o}`)).size).toBe(100);
    // Only new records: every amount is one produced after the job began, each at most once.
    const amounts = result.columns['$.amount']!;
    expect(amounts.every((a) => typeof a === 'number' && a > 0)).toBe(true);
    expect(new Set(amounts).size).toBe(100);
    // Tailing began at each partition's end: the old records are below every sampled offset.
    const starts = new Map(result.ranges.map((r) => [r.partition, r.start]));
    expect([...starts.values()].reduce((a, b) => a + b, 0)).toBe(OLD);
    for (const [p, o] of result.sampled) expect(o).toBeGreaterThanOrEqual(starts.get(p)!);
    // Same shape as any sample: statistics, interval, series for the value-over-time chart.
    const amount = result.fields.find((f) => f.field === '$.amount')!;
    expect(amount.numeric!.stats.count).toBe(100);
    expect(amount.numeric!.ci95!.finitePopulationCorrection).toBeLessThan(1);
    expect(result.series['$.amount']).toHaveLength(100);
    // Progress counted the arrivals.
    expect(updates.at(-1)!.progress.done).toBe(2000);
  });

  it('refuses a tail on another strategy, naming the field', async () => {
    const error = await apiError('POST', `/clusters/local/topics/${TOPIC}/samples`, {
      strategy: 'random',
      fields: ['$.amount'],
      tail: { durationMs: 1000 },
    });
    expect(error.status).toBe(400);
    expect(error.message).toContain('body.tail');
  });
});
