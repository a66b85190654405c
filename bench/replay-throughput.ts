/**
 * replay-throughput: messages/s of an unthrottled replay local → local (a ReplayService job: the
 * reader's fetches, then the idempotent BatchProducer with several requests in flight, order
 * kept), against its floor: kcat piping the same messages from one topic into another
 * (`kcat -C … | kcat -P …`). Goal: ratio ≥ 0.5.
 *
 * 200,000 messages by default; BENCH_FULL=1 for 1,000,000. Best of three runs of each.
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
/** Best of this many runs of each, alternating. */
const ROUNDS = 3;
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
  const source = new KafkaSource({ brokers: [bootstrap], clientId: 'bench' });
  await source.offsets(TOPIC); // connected before the clock starts, as kcat connects in its time
  const jobs = new JobManager();
  const replays = new ReplayService(
    () => source,
    () => source,
    jobs,
  );

  /** One replay into a new topic; its time. */
  const replay = async (target: string): Promise<number> => {
    const started = performance.now();
    let id = '';
    const done = new Promise<Job>((resolve) =>
      jobs.subscribe((job) => {
        if (job.id === id && job.finishedAt !== null) resolve(job);
      }),
    );
    id = (
      await replays.start(
        ReplayInput.parse({
          source: { cluster: 'local', topic: TOPIC },
          target: { cluster: 'local', topic: target, create: true },
        }),
      )
    ).id;
    const job = await done;
    const ms = performance.now() - started;
    const result = job.result as { sent: number } | undefined;
    if (job.state !== 'succeeded' || result?.sent !== MESSAGES)
      throw new Error(`replay ${job.state}: ${JSON.stringify(job.error ?? job.result)}`);
    return ms;
  };

  // Rounds alternate floor and subject, and each keeps its best time: on a shared machine a
  // single run of either says more about the neighbours than about the code.
  let floorMs = Infinity;
  let replayMs = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    await admin.createTopics({ topics: [{ topic: `${TOPIC}.kcat${round}`, numPartitions: 4 }] });
    floorMs = Math.min(floorMs, await pipe(bootstrap, `${TOPIC}.kcat${round}`));
    replayMs = Math.min(replayMs, await replay(`${TOPIC}.replay${round}`));
  }
  await admin.disconnect();
  await source.close();

  const rate = MESSAGES / (replayMs / 1000);
  const floorRate = MESSAGES / (floorMs / 1000);
  line({
    bench: 'replay-throughput',
    ratio: Number((rate / floorRate).toFixed(3)),
    value: Math.round(rate),
    unit: 'msg/s',
    baseline: `kcat -C | kcat -P of the same messages on the same broker: ${Math.round(floorRate)} msg/s`,
    messages: MESSAGES,
    rounds: ROUNDS,
    replayMs: Math.round(replayMs),
    kcatMs: Math.round(floorMs),
  });
} finally {
  child.kill();
}
