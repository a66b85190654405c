/**
 * Replay of 100,000 messages through the engine API between two real broker processes (the engine’s local broker →
 * a second broker added as an external cluster), checked with kcat: the target holds exactly
 * the same keys, values, headers and timestamps in the same order per partition, plus the
 * `logscope.source` header; the target topic is created with the source's partition count and
 * configs; a filtered dry run only counts; round-robin without keys; original timing ×10 is
 * never early (checked from the target's timestamps); pause, resume and cancel leave a count
 * that matches what the target holds.
 */
import kafkajs, { type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, ReplayResult, TopicConfigEntry } from '../../engine/api';
import { startBroker, type RunningBroker } from '../support/broker';
import { kcatOk } from '../support/kcat';
import { startEngine, type RunningEngine } from '../support/engine';
import { engineClient, followJob } from '../support/engineClient';

const { Kafka, logLevel } = kafkajs;
let local: RunningBroker;
let second: RunningBroker;
let engine: RunningEngine;
let producer: Producer;
let secondId: string;

const SOURCE = 'replay.source';
const COUNT = 100_000;
const T0 = 1_650_000_000_000;

beforeAll(async () => {
  [local, second] = await Promise.all([startBroker(), startBroker()]);
  engine = await startEngine({ name: 'replay-engine', broker: local, args: ['--no-demo'] });
  secondId = (
    await api<{ id: string }>('POST', '/clusters', {
      kind: 'kafka',
      name: 'second',
      bootstrapServers: [second.bootstrap],
    })
  ).id;
  await api('POST', '/clusters/local/topics', {
    name: SOURCE,
    partitions: 3,
    configs: { 'retention.ms': '987654321' },
  });
  const kafka = new Kafka({ brokers: [local.bootstrap], logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
  for (let first = 0; first < COUNT; first += 5000) {
    await producer.send({
      topic: SOURCE,
      acks: -1,
      messages: Array.from({ length: Math.min(5000, COUNT - first) }, (_, j) => {
        const i = first + j;
        return {
          partition: i % 3,
          key: `k${i % 50}`,
          value: `{"n":${i},"text":"v${i}"}`,
          headers: { h: `x${i}`, ...(i % 4 === 0 ? { extra: 'e' } : {}) },
          timestamp: String(T0 + i * 10),
        };
      }),
    });
  }
});

afterAll(async () => {
  await producer?.disconnect();
  expect(await engine?.stop()).toBe(0);
  expect(await local?.process.stop()).toBe(0);
  expect(await second?.process.stop()).toBe(0);
});

const { api } = engineClient(() => engine);

/** Starts a replay and follows it on the WebSocket `jobs` stream until it ends. */
const replay = (body: unknown, onEvent?: (job: Job) => void) =>
  followJob(engine, () => api<Job>('POST', '/replays', body), onEvent);

interface KcatMessage {
  partition: number;
  offset: number;
  ts: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

/** Everything in a topic as kcat sees it, per partition in offset order. */
async function kcatAll(broker: RunningBroker, topic: string): Promise<KcatMessage[]> {
  const out = await kcatOk(['-C', '-b', broker.bootstrap, '-t', topic, '-e', '-J', '-q']);
  return out
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as KcatMessage)
    .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

describe('replay', () => {
  it('copies a topic to another broker exactly, creating it with the source partitions and configs', async () => {
    const job = await replay({
      source: { cluster: 'local', topic: SOURCE },
      target: { cluster: secondId, topic: 'replay.copy', create: true },
      sourceHeader: true,
    });
    expect(job.state).toBe('succeeded');
    expect(job.result).toEqual({
      dryRun: false,
      scanned: COUNT,
      sent: COUNT,
      skipped: 0,
      failed: 0,
      targetCreated: true,
    } satisfies ReplayResult);

    const [original, copy] = await Promise.all([
      kcatAll(local, SOURCE),
      kcatAll(second, 'replay.copy'),
    ]);
    expect(copy).toHaveLength(COUNT);
    expect(copy.map((m) => [m.partition, m.offset, m.ts, m.key, m.payload])).toEqual(
      original.map((m) => [m.partition, m.offset, m.ts, m.key, m.payload]),
    );
    expect(copy.map((m) => m.headers)).toEqual(
      original.map((m) => [
        ...m.headers!,
        'logscope.source',
        `${SOURCE}/${m.partition}/${m.offset}`,
      ]),
    );
    const { configs } = await api<{ configs: TopicConfigEntry[] }>(
      'GET',
      `/clusters/${secondId}/topics/replay.copy/configs`,
    );
    expect(configs.find((c) => c.name === 'retention.ms')?.value).toBe('987654321');
  });

  it('a filtered dry run only counts; a filtered replay round-robin without keys sends just those', async () => {
    const filter = 'value.n % 7 == 0';
    const matching = Array.from({ length: COUNT }, (_, i) => i).filter((i) => i % 7 === 0);
    const dry = await replay({
      source: { cluster: 'local', topic: SOURCE, filter },
      target: { cluster: 'local', topic: 'replay.never' },
      dryRun: true,
    });
    expect(dry.result).toMatchObject({
      dryRun: true,
      sent: matching.length,
      skipped: COUNT - matching.length,
    });
    const topics = await api<{ topics: { name: string }[] }>('GET', '/clusters/local/topics');
    expect(topics.topics.some((t) => t.name === 'replay.never')).toBe(false);

    await api('POST', `/clusters/${secondId}/topics`, { name: 'replay.rr', partitions: 2 });
    const job = await replay({
      source: { cluster: 'local', topic: SOURCE, partitions: [0, 1], filter },
      target: { cluster: secondId, topic: 'replay.rr' },
      partitioning: 'round-robin',
      keepKeys: false,
      keepHeaders: false,
    });
    const sentValues = matching.filter((i) => i % 3 !== 2);
    expect(job.result).toMatchObject({ sent: sentValues.length, failed: 0 });
    const copy = await kcatAll(second, 'replay.rr');
    expect(copy.map((m) => JSON.parse(m.payload!).n).sort((a, b) => a - b)).toEqual(sentValues);
    expect(copy.every((m) => m.key === null && (m.headers ?? []).length === 0)).toBe(true);
    // Round-robin: the two partitions differ by at most one message.
    const sizes = [0, 1].map((p) => copy.filter((m) => m.partition === p).length);
    expect(Math.abs(sizes[0]! - sizes[1]!)).toBeLessThanOrEqual(1);
  });

  it('original timing ×10 is never early: the target’s send times keep at least a tenth of the gaps', async () => {
    await api('POST', '/clusters/local/topics', { name: 'replay.timed', partitions: 1 });
    const gaps = [0, 300, 100, 500, 0, 200, 400, 100, 300, 200];
    let t = T0;
    const times = gaps.map((g) => (t += g));
    await producer.send({
      topic: 'replay.timed',
      acks: -1,
      messages: times.map((time, i) => ({ value: `m${i}`, timestamp: String(time) })),
    });
    const job = await replay({
      source: { cluster: 'local', topic: 'replay.timed' },
      target: { cluster: 'local', topic: 'replay.timed.x10', create: true },
      keepTimestamps: false,
      pace: { mode: 'original', factor: 10 },
    });
    expect(job.result).toMatchObject({ sent: 10 });
    const copy = await kcatAll(local, 'replay.timed.x10');
    expect(copy.map((m) => m.payload)).toEqual(times.map((_, i) => `m${i}`));
    for (let i = 1; i < copy.length; i++) {
      // Send times have millisecond resolution: one millisecond of rounding either side.
      expect(copy[i]!.ts - copy[0]!.ts).toBeGreaterThanOrEqual((times[i]! - times[0]!) / 10 - 2);
    }
  });

  it('pauses, resumes and cancels a paced replay; what the target holds matches the count', async () => {
    let jobId = '';
    let paused = false;
    let resumed = false;
    let cancelled = false;
    const sentOf = (job: Job) => Number(/sent (\d+)/.exec(job.progress.message ?? '')?.[1] ?? 0);
    const final = await replay(
      {
        source: { cluster: 'local', topic: SOURCE },
        target: { cluster: 'local', topic: 'replay.cancelled', create: true },
        pace: { mode: 'rate', messagesPerSecond: 400 },
      },
      (job) => {
        jobId = job.id;
        if (!paused && sentOf(job) >= 40) {
          paused = true;
          void api('POST', `/jobs/${jobId}/pause`).catch(() => undefined);
        } else if (paused && !resumed && job.state === 'paused') {
          resumed = true;
          void api('POST', `/jobs/${jobId}/resume`).catch(() => undefined);
        } else if (resumed && !cancelled && job.state === 'running' && sentOf(job) >= 120) {
          cancelled = true;
          void api('POST', `/jobs/${jobId}/cancel`).catch(() => undefined);
        }
      },
    );
    expect(final.state).toBe('cancelled');
    const sent = sentOf(final);
    expect(sent).toBeGreaterThanOrEqual(120);
    expect(sent).toBeLessThan(COUNT);
    const topic = await api<{ partitions: { highWatermark: number }[] }>(
      'GET',
      '/clusters/local/topics/replay.cancelled',
    );
    expect(topic.partitions.reduce((sum, p) => sum + p.highWatermark, 0)).toBe(sent);
  });

  it('a replay the target refuses part way fails with its counts, and the target holds exactly what it sent', async () => {
    await api('POST', '/clusters/local/topics', { name: 'replay.mixed', partitions: 1 });
    const value = (i: number) => (i === 30 ? 'x'.repeat(8000) : `small-${i}`);
    await producer.send({
      topic: 'replay.mixed',
      acks: -1,
      messages: Array.from({ length: 60 }, (_, i) => ({ value: value(i) })),
    });
    // The target takes records up to 2,000 bytes: message 30 can never go.
    await api('POST', '/clusters/local/topics', {
      name: 'replay.limited',
      partitions: 1,
      configs: { 'max.message.bytes': '2000' },
    });
    const job = await replay({
      source: { cluster: 'local', topic: 'replay.mixed' },
      target: { cluster: 'local', topic: 'replay.limited' },
    });
    expect(job.state).toBe('failed');
    expect(job.error?.message).toContain('replay.limited');
    const result = job.result as ReplayResult;
    expect(result.failed).toBeGreaterThan(0);
    expect(result.sent).toBeLessThanOrEqual(30);
    const held = await kcatAll(local, 'replay.limited');
    expect(held.map((m) => m.payload)).toEqual(
      Array.from({ length: result.sent }, (_, i) => value(i)),
    );
  });
});
