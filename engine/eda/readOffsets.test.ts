import { describe, expect, it } from 'vitest';
import type { FetchRequest, FetchResult, LogReader } from '../browse/logReader';
import { MemoryLog } from '../browse/memoryLog';
import type { RawRecord } from '../browse/record';
import { planSample, Prng } from '../sampling';
import { readOffsets } from './readOffsets';

/** Batches of uneven sizes (1 to 40 records), so no guess of a batch's span is exact. */
function unevenLog(partitions: number, perPartition: number, seed: string): MemoryLog {
  // Each append below is one batch (never more than 1,000 records).
  const log = new MemoryLog(partitions, 1000);
  const prng = new Prng(seed);
  for (let p = 0; p < partitions; p++) {
    let offset = 0;
    while (offset < perPartition) {
      const size = Math.min(perPartition - offset, 1 + prng.nextInt(40));
      log.append(
        p,
        Array.from({ length: size }, (_, i) => ({
          timestamp: 1000 + offset + i,
          key: null,
          value: JSON.stringify({ p, o: offset + i }),
        })),
      );
      offset += size;
    }
  }
  return log;
}

/**
 * A reader as KafkaSource is: answers arrive in any order (random delays), each answer says
 * how many bytes it held (so several partitions go in one fetch), a 1-byte limit gets one
 * whole batch, and the `wanted` hint leaves out the records nobody asked for. Offsets
 * ≡ 5 (mod 11) were compacted away.
 */
class PipelinedReader implements LogReader {
  calls = 0;
  maxInFlight = 0;
  private inFlight = 0;
  constructor(
    private readonly inner: MemoryLog,
    private readonly prng: Prng,
  ) {}
  offsets() {
    return this.inner.offsets();
  }
  offsetsForTimestamp(topic: string, partitions: number[], timestamp: number) {
    return this.inner.offsetsForTimestamp(topic, partitions, timestamp);
  }
  async fetch(
    topic: string,
    requests: FetchRequest[],
    options: {
      maxWaitMs?: number;
      signal?: AbortSignal;
      wanted?: (partition: number, offset: number) => boolean;
    } = {},
  ): Promise<Map<number, FetchResult & { bytes: number }>> {
    this.calls++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, this.prng.nextInt(3)));
    const results = await this.inner.fetch(topic, requests);
    this.inFlight--;
    const out = new Map<number, FetchResult & { bytes: number }>();
    for (const [partition, result] of results) {
      const kept = result.records.filter(
        (r: RawRecord) =>
          r.offset % 11 !== 5 && (!options.wanted || options.wanted(partition, r.offset)),
      );
      out.set(partition, { ...result, records: kept, bytes: result.records.length * 70 });
    }
    return out;
  }
}

describe('readOffsets', () => {
  it('visits every listed offset once, in order per partition, with its own record or null', async () => {
    const log = unevenLog(5, 3000, 'uneven');
    const reader = new PipelinedReader(log, new Prng('delays'));
    const ranges = (await log.offsets()).map((p) => ({
      partition: p.partition,
      start: 0,
      end: p.highWatermark,
    }));
    for (const [size, strategy] of [
      [300, 'random'],
      [2000, 'random'],
      [500, 'random-with-replacement'],
    ] as const) {
      const plan = planSample({ strategy, ranges, size, seed: size });
      const seen = new Map<number, number[]>();
      const stats = await readOffsets(reader, 't', plan.partitions, (partition, offset, record) => {
        const list = seen.get(partition) ?? [];
        list.push(offset);
        seen.set(partition, list);
        if (offset % 11 === 5) expect(record).toBeNull();
        else expect(JSON.parse(record!.value!.toString())).toEqual({ p: partition, o: offset });
      });
      for (const { partition, offsets } of plan.partitions) {
        expect(seen.get(partition) ?? []).toEqual(offsets);
      }
      const listed = plan.partitions.reduce((n, p) => n + p.offsets.length, 0);
      expect(stats.recordsRead + stats.emptyOffsets).toBe(listed);
    }
    // Several fetches were out at once.
    expect(reader.maxInFlight).toBeGreaterThan(1);
  });

  it('builds only the wanted records, and carries several partitions per fetch once batch sizes are known', async () => {
    const log = unevenLog(8, 2000, 'wanted');
    const reader = new PipelinedReader(log, new Prng('delays-2'));
    const ranges = (await log.offsets()).map((p) => ({
      partition: p.partition,
      start: 0,
      end: p.highWatermark,
    }));
    const plan = planSample({ strategy: 'random', ranges, size: 400, seed: 9 });
    const stats = await readOffsets(reader, 't', plan.partitions, () => {});
    // Only wanted records were built (a batch fetched twice builds its wanted ones twice).
    expect(stats.recordsFetched).toBeGreaterThanOrEqual(stats.recordsRead);
    expect(stats.recordsFetched).toBeLessThan(stats.recordsRead * 1.1);
    expect(stats.requests).toBeGreaterThan(stats.fetches);
    expect(stats.recordsPerBatch).toBeGreaterThan(0);
  });

  it('stops with the abort signal and leaves no fetch running', async () => {
    const log = unevenLog(2, 5000, 'abort');
    const reader = new PipelinedReader(log, new Prng('delays-3'));
    const controller = new AbortController();
    const plan = planSample({
      strategy: 'random',
      ranges: [
        { partition: 0, start: 0, end: 5000 },
        { partition: 1, start: 0, end: 5000 },
      ],
      size: 2000,
      seed: 1,
    });
    let visits = 0;
    const reading = readOffsets(
      reader,
      't',
      plan.partitions,
      () => {
        if (++visits === 100) controller.abort();
      },
      { signal: controller.signal },
    );
    await expect(reading).rejects.toThrow();
    const callsAtAbort = reader.calls;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reader.calls).toBe(callsAtAbort);
  });
});
