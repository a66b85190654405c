/**
 * replay-throughput: messages/s of an unthrottled replay local → local (a ReplayService job: the
 * reader's fetches, then the idempotent BatchProducer with several requests in flight, order
 * kept), against its floor: kcat piping the same messages from one topic into another
 * (`kcat -C … | kcat -P …`). Goal: ratio ≥ 0.5.
 *
 * 200,000 messages by default; BENCH_FULL=1 for 1,000,000.
 */
import { spawn } from 'node:child_process';
import kafkajs from 'kafkajs';
import type { Job } from '../engine/api';
import { ReplayInput } from '../engine/api/replay';
import { JobManager } from '../engine/jobs/jobManager';
import { ReplayService } from '../engine/replay/replayService';
import { KafkaSource } from '../engine/sources/kafkaSource';
import { fillTopic, line, startBroker } from './lib/edaBench';

const MESSAGES = process.env.BENCH_FULL === '1' ? 1_000_000 : 200_000;
const TOPIC = `bench.replay.${Date.now()}`;

function pipe(bootstrap: string, target: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      'sh',
      [
        '-c',
        `kcat -C -b ${bootstrap} -t ${TOPIC} -e -q -K '\\t' | kcat -P -b ${bootstrap} -t ${target} -K '\\t' -X linger.ms=5`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`kcat pipe: ${code}`)),
    );
  });
}

const { bootstrap, child } = await startBroker();
try {
  await fillTopic(bootstrap, TOPIC, MESSAGES);
  const kafka = new kafkajs.Kafka({ brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: `${TOPIC}.kcat`, numPartitions: 4 }] });
  await admin.disconnect();
  const floorMs = await pipe(bootstrap, `${TOPIC}.kcat`);

  const source = new KafkaSource({ brokers: [bootstrap], clientId: 'bench' });
  await source.offsets(TOPIC); // connected before the clock starts, as kcat connects in its time
  const jobs = new JobManager();
  const replays = new ReplayService(
    () => source,
    () => source,
    jobs,
  );
  const started = performance.now();
  const done = new Promise<Job>((resolve) =>
    jobs.subscribe((job) => {
      if (job.finishedAt !== null) resolve(job);
    }),
  );
  await replays.start(
    ReplayInput.parse({
      source: { cluster: 'local', topic: TOPIC },
      target: { cluster: 'local', topic: `${TOPIC}.replay`, create: true },
    }),
  );
  const job = await done;
  const replayMs = performance.now() - started;
  await source.close();
  const result = job.result as { sent: number } | undefined;
  if (job.state !== 'succeeded' || result?.sent !== MESSAGES)
    throw new Error(`replay ${job.state}: ${JSON.stringify(job.error ?? job.result)}`);

  const rate = MESSAGES / (replayMs / 1000);
  const floorRate = MESSAGES / (floorMs / 1000);
  line({
    bench: 'replay-throughput',
    ratio: Number((rate / floorRate).toFixed(3)),
    value: Math.round(rate),
    unit: 'msg/s',
    baseline: `kcat -C | kcat -P of the same messages on the same broker: ${Math.round(floorRate)} msg/s`,
    messages: MESSAGES,
    replayMs: Math.round(replayMs),
    kcatMs: Math.round(floorMs),
  });
} finally {
  child.kill();
}
