/**
 * export-throughput: MB/s (of message bytes: keys and values) of a JSON Lines export job to a
 * file, against its floor: a bare kafkajs consumer reading the same topic from the start and
 * doing nothing with the messages.
 *
 * 300,000 messages by default; BENCH_FULL=1 for 2,000,000. Best of three runs of each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from '../engine/api';
import { ExportInput } from '../engine/api/transfer';
import { JobManager } from '../engine/jobs/jobManager';
import { KafkaSource } from '../engine/sources/kafkaSource';
import { TransferService } from '../engine/transfer/transferService';
import { fillTopic, kafkajsConsume, line, startBroker } from './lib/edaBench';

const MESSAGES = process.env.BENCH_FULL === '1' ? 2_000_000 : 300_000;
/** Best of this many runs of each, alternating. */
const ROUNDS = 3;
const TOPIC = `bench.export.${Date.now()}`;

const { bootstrap, child } = await startBroker();
const dir = mkdtempSync(join(tmpdir(), 'logscope-bench-export-'));
try {
  await fillTopic(bootstrap, TOPIC, MESSAGES);

  let bytes = 0;
  /** A fresh consumer group reads the topic from the start; its time from the first batch. */
  const consume = async (): Promise<number> => {
    const consumed = await kafkajsConsume(bootstrap, TOPIC, MESSAGES);
    bytes = consumed.bytes;
    return consumed.ms;
  };

  const source = new KafkaSource({ brokers: [bootstrap], clientId: 'bench' });
  await source.offsets(TOPIC); // connect first, as the consumer had joined before its clock started
  const jobs = new JobManager();
  const transfer = new TransferService(
    () => source,
    () => source,
    jobs,
  );
  let fileBytes = 0;
  const exportOnce = async (round: number): Promise<number> => {
    let id = '';
    const done = new Promise<Job>((resolve) =>
      jobs.subscribe((job) => {
        if (job.id === id && job.finishedAt !== null) resolve(job);
      }),
    );
    const started = performance.now();
    id = (
      await transfer.startExport(
        'local',
        TOPIC,
        ExportInput.parse({ path: join(dir, `export-${round}.jsonl`) }),
      )
    ).id;
    const job = await done;
    const ms = performance.now() - started;
    const result = job.result as { messages: number; bytes: number } | undefined;
    if (job.state !== 'succeeded' || result?.messages !== MESSAGES)
      throw new Error(`export ${job.state}: ${JSON.stringify(job.error ?? job.result)}`);
    fileBytes = result.bytes;
    rmSync(join(dir, `export-${round}.jsonl`));
    return ms;
  };

  // Rounds alternate floor and subject, and each keeps its best time: on a shared machine a
  // single run of either says more about the neighbours than about the code.
  let consumeMs = Infinity;
  let exportMs = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    consumeMs = Math.min(consumeMs, await consume());
    exportMs = Math.min(exportMs, await exportOnce(round));
  }
  await source.close();
  const exportMBps = bytes / 1e6 / (exportMs / 1000);
  const consumeMBps = bytes / 1e6 / (consumeMs / 1000);
  line({
    bench: 'export-throughput',
    ratio: Number((exportMBps / consumeMBps).toFixed(3)),
    value: Number(exportMBps.toFixed(2)),
    unit: 'MB/s',
    baseline: `bare kafkajs consume of the same messages: ${consumeMBps.toFixed(2)} MB/s`,
    messages: MESSAGES,
    rounds: ROUNDS,
    fileBytes,
    exportMs: Math.round(exportMs),
    consumeMs: Math.round(consumeMs),
  });
} finally {
  child.kill();
  rmSync(dir, { recursive: true, force: true });
}
