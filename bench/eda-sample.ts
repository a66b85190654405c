/**
 * eda-sample: a 10,000-message simple random sample of a large topic on the local broker
 * (sampled offsets read through the engine's KafkaSource, batches reused), against its floor,
 * a full sequential scan of the same topic through the same reader. Goal: sample time ≤ 5% of
 * scan time (ratio = sample / scan). Also the heap the sample job holds at 10,000 and 100,000
 * samples (memory proportional to the sample, not the topic).
 *
 * 10,000,000 messages (the size) by default, in batches of RECORDS_PER_BATCH records
 * as a producer would send them; BENCH_QUICK=1 for 1,000,000.
 *
 * A sample reads whole batches, so the line also says how many batches it touched and the cost
 * of a touched batch against a scanned one (`perBatchRatio`): the ratio is that times the share
 * of batches touched (about 9.5% for 10,000 of 10,000,000 in batches of 100), which no reader
 * of whole batches can go below.
 */
import { SampleInput } from '../engine/api/eda';
import { runSample } from '../engine/eda/sampleJob';
import { resolveRanges, scanRanges } from '../engine/eda/logRanges';
import { KafkaSource } from '../engine/sources/kafkaSource';
import { fillTopic, line, RECORDS_PER_BATCH, startBroker } from './lib/edaBench';

const MESSAGES = process.env.BENCH_QUICK === '1' ? 1_000_000 : 10_000_000;
const TOPIC = `bench.eda.${Date.now()}`;
const context = { signal: new AbortController().signal, progress: () => undefined };

async function peakHeap<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const result = await work();
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  clearInterval(timer);
  return { result, peak: peak - base };
}

const { bootstrap, child } = await startBroker();
try {
  await fillTopic(bootstrap, TOPIC, MESSAGES);
  const source = new KafkaSource({ brokers: [bootstrap], clientId: 'bench' });
  const sample = (size: number) =>
    runSample(
      source,
      TOPIC,
      SampleInput.parse({ fields: ['$.amount'], size, seed: size }),
      context,
    );
  await sample(100); // connect and warm up

  let started = performance.now();
  const result = await sample(10_000);
  const sampleMs = performance.now() - started;

  started = performance.now();
  let scanned = 0;
  await scanRanges(source, TOPIC, await resolveRanges(source, TOPIC), () => scanned++);
  const scanMs = performance.now() - started;
  // Every produced batch holds RECORDS_PER_BATCH offsets of one partition, from a multiple of it.
  const batchesTouched = new Set(
    result.sampled.map(
      ([partition, offset]) => `${partition}:${Math.floor(offset / RECORDS_PER_BATCH)}`,
    ),
  ).size;
  const batchesInTopic = Math.ceil(MESSAGES / RECORDS_PER_BATCH);
  line({
    bench: 'eda-sample',
    ratio: sampleMs / scanMs,
    value: Math.round(sampleMs),
    unit: 'ms',
    baseline: `full sequential scan of ${scanned} messages: ${Math.round(scanMs)} ms; goal ratio ≤ 0.05`,
    messages: MESSAGES,
    recordsPerBatch: RECORDS_PER_BATCH,
    batchesInTopic,
    batchesTouched,
    perBatchRatio: sampleMs / batchesTouched / (scanMs / batchesInTopic),
    fetches: result.fetches,
  });

  const small = await peakHeap(() => sample(10_000));
  const large = await peakHeap(() => sample(100_000));
  line({
    bench: 'eda-sample-memory',
    ratio: large.peak / small.peak,
    value: Math.round(large.peak / 1024 / 1024),
    unit: 'MiB peak heap at 100,000 samples',
    baseline: `${Math.round(small.peak / 1024 / 1024)} MiB at 10,000 samples (proportional would be 10×)`,
  });
  await source.close();
} finally {
  child.kill();
}
