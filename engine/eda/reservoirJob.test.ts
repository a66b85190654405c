import { describe, expect, it } from 'vitest';
import { SampleInput } from '../api/eda';
import type { Job } from '../api';
import { MemoryLog } from '../browse/memoryLog';
import { JobManager } from '../jobs/jobManager';
import { EdaService } from './edaService';
import { runReservoirSample } from './reservoirJob';
import type { EdaJobContext } from './sampleJob';

const T0 = 1_700_000_000_000;
const valueAt = (partition: number, offset: number) => partition * 1000 + offset;

/** Three partitions holding 100 records each before the tail starts. */
function log(): MemoryLog {
  const memory = new MemoryLog(3, 10);
  for (let p = 0; p < 3; p++) append(memory, p, 100);
  return memory;
}

function append(memory: MemoryLog, partition: number, count: number): void {
  const first = memory.highWatermark(partition);
  memory.append(
    partition,
    Array.from({ length: count }, (_, i) => ({
      timestamp: T0 + first + i,
      key: `k${i % 7}`,
      value: JSON.stringify({ v: valueAt(partition, first + i) }),
    })),
  );
}

/** Appends `total` records, a few at a time on every partition, as a live producer would. */
async function produce(memory: MemoryLog, total: number): Promise<void> {
  let sent = 0;
  while (sent < total) {
    const partition = sent % 3;
    const count = Math.min(total - sent, 7);
    append(memory, partition, count);
    sent += count;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function context(signal = new AbortController().signal): EdaJobContext & { seen: number[] } {
  const seen: number[] = [];
  return { signal, progress: (done) => seen.push(done), seen };
}

describe('reservoir sample over a live tail', () => {
  it('keeps a sample of the records that arrive, none from before, up to the count asked', async () => {
    const memory = log();
    const ctx = context();
    const sampling = runReservoirSample(
      memory,
      't',
      SampleInput.parse({
        strategy: 'reservoir',
        size: 40,
        seed: 5,
        fields: ['$.v', 'partition'],
        tail: { maxRecords: 600 },
      }),
      ctx,
    );
    // More than the count arrives: the sample stops at exactly 600 arrivals.
    await produce(memory, 900);
    const result = await sampling;
    expect(result.strategy).toBe('reservoir');
    expect(result.populationSize).toBe(600);
    expect(result.recordsRead).toBe(40);
    expect(result.plannedSize).toBe(40);
    expect(new Set(result.sampled.map(([p, o]) => `${p}:${o}`)).size).toBe(40);
    result.sampled.forEach(([p, o], i) => {
      expect(o).toBeGreaterThanOrEqual(100); // nothing from before the tail started
      expect(result.columns['$.v']![i]).toBe(valueAt(p, o));
      expect(result.timestamps[i]).toBe(T0 + o);
    });
    expect(result.ranges.every((r) => r.start === 100 && r.end > 100)).toBe(true);
    expect(result.fields[0]!.numeric!.ci95!.finitePopulationCorrection).toBeLessThan(1);
    expect(result.series['$.v']).toHaveLength(40);
    // Progress counted the arrivals.
    expect(ctx.seen.at(-1)).toBe(600);
  });

  it('keeps everything when fewer records arrive than the sample size, and stops on time', async () => {
    const memory = log();
    const sampling = runReservoirSample(
      memory,
      't',
      SampleInput.parse({
        strategy: 'reservoir',
        size: 1000,
        fields: ['$.v'],
        tail: { durationMs: 300 },
      }),
      context(),
    );
    await produce(memory, 30);
    const result = await sampling;
    expect(result.populationSize).toBe(30);
    expect(result.recordsRead).toBe(30);
    expect(result.sampled.map(([p, o]) => valueAt(p, o))).toEqual(result.columns['$.v']);
  });

  it('answers with an empty sample when nothing arrives', async () => {
    const result = await runReservoirSample(
      log(),
      't',
      SampleInput.parse({
        strategy: 'reservoir',
        size: 10,
        fields: ['$.v'],
        tail: { durationMs: 150 },
      }),
      context(),
    );
    expect(result.populationSize).toBe(0);
    expect(result.recordsRead).toBe(0);
    expect(result.fields[0]!.numeric?.stats.count ?? 0).toBe(0);
  });

  it('runs as a job: refuses tail without the reservoir strategy, and cancel stops it', async () => {
    const jobs = new JobManager();
    const memory = log();
    const eda = new EdaService(() => memory, jobs);
    await expect(
      eda.startSample(
        'local',
        't',
        SampleInput.parse({ fields: ['$.v'], tail: { durationMs: 1000 } }),
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', extra: { field: 'body.tail' } });

    const job = await eda.startSample(
      'local',
      't',
      SampleInput.parse({
        strategy: 'reservoir',
        size: 5,
        fields: ['$.v'],
        tail: { durationMs: 60_000 },
      }),
    );
    expect(job.progress.unit).toBe('messages');
    const finished = new Promise<Job>((resolve) => {
      const stop = jobs.subscribe((update) => {
        if (update.id === job.id && update.finishedAt !== null) {
          stop();
          resolve(update);
        }
      });
    });
    // Cancel once it has seen arrivals.
    const seen = new Promise<void>((resolve) => {
      const stop = jobs.subscribe((update) => {
        if (update.id === job.id && update.progress.done > 0) {
          stop();
          resolve();
        }
      });
    });
    void produce(memory, 50);
    await seen;
    jobs.cancel(job.id);
    expect((await finished).state).toBe('cancelled');
  });
});
