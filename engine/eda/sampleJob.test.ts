import { describe, expect, it } from 'vitest';
import { SampleInput, ScanInput, type SampleResult } from '../api/eda';
import type { Job } from '../api';
import type { FetchRequest, FetchResult, LogReader } from '../browse/logReader';
import { MemoryLog } from '../browse/memoryLog';
import { JobManager } from '../jobs/jobManager';
import { Prng } from '../sampling';
import { EdaService } from './edaService';
import { previewSample, runSample, type EdaJobContext } from './sampleJob';
import { runScan } from './scanJob';

const PARTITIONS = 3;
const PER_PARTITION = 2000;
const REGIONS = ['eu', 'us', 'apac'];
const T0 = 1_700_000_000_000;

/** Temperature at (partition, offset): deterministic, so a test knows every record's value. */
const temperatureAt = (partition: number, offset: number) =>
  Math.round((20 + 3 * new Prng(`${partition}:${offset}`).nextGaussian()) * 100) / 100;
// Regions: 'apac' is rare (1 in 20), so allocations differ between methods.
const regionAt = (partition: number, offset: number) =>
  offset % 20 === 0 ? 'apac' : REGIONS[(partition + offset) % 2]!;

function topic(): MemoryLog {
  const log = new MemoryLog(PARTITIONS, 10);
  for (let p = 0; p < PARTITIONS; p++) {
    log.append(
      p,
      Array.from({ length: PER_PARTITION }, (_, o) => ({
        timestamp: T0 + o * 1000,
        key: `device-${o % 24}`,
        value: JSON.stringify({ temperature: temperatureAt(p, o), region: regionAt(p, o) }),
      })),
    );
  }
  return log;
}

/** A reader whose log was compacted: offsets ≡ 3 (mod 7) hold no record. */
class CompactedLog implements LogReader {
  constructor(private readonly inner: MemoryLog) {}
  offsets() {
    return this.inner.offsets();
  }
  offsetsForTimestamp(topicName: string, partitions: number[], timestamp: number) {
    return this.inner.offsetsForTimestamp(topicName, partitions, timestamp);
  }
  async fetch(topicName: string, requests: FetchRequest[]): Promise<Map<number, FetchResult>> {
    const results = await this.inner.fetch(topicName, requests);
    for (const result of results.values()) {
      result.records = result.records.filter((r) => r.offset % 7 !== 3);
    }
    return results;
  }
}

function context(): EdaJobContext & { reports: number[] } {
  const reports: number[] = [];
  return {
    signal: new AbortController().signal,
    progress: (done) => reports.push(done),
    reports,
  };
}

const sample = (reader: LogReader, input: Partial<SampleInput>) =>
  runSample(
    reader,
    'sensors',
    SampleInput.parse({ fields: ['$.temperature'], ...input }),
    context(),
  );

describe('sample jobs over a LogReader', () => {
  it('reads a seeded random sample: distinct offsets, the right record at each, batches reused', async () => {
    const log = topic();
    const result = await sample(log, {
      size: 300,
      seed: 7,
      fields: ['$.temperature', 'partition'],
    });
    expect(result.populationSize).toBe(PARTITIONS * PER_PARTITION);
    expect(result.plannedSize).toBe(300);
    expect(result.recordsRead).toBe(300);
    const keys = result.sampled.map(([p, o]) => `${p}:${o}`);
    expect(new Set(keys).size).toBe(300);
    result.sampled.forEach(([p, o], i) => {
      expect(result.columns['$.temperature']![i]).toBe(temperatureAt(p, o));
      expect(result.columns.partition![i]).toBe(String(p));
    });
    // About one fetch call per batch: offsets sharing a batch are read from the fetched one.
    // Fetches in flight together guess where a batch ends (a reader tells only where it
    // ends, not where it began), so a guess now and then fetches a batch a second time.
    const batches = new Set(result.sampled.map(([p, o]) => `${p}:${Math.floor(o / 10)}`));
    expect(result.fetches).toBeGreaterThanOrEqual(batches.size);
    expect(result.fetches).toBeLessThanOrEqual(Math.ceil(batches.size * 1.05));
    expect(log.fetchCount).toBe(result.fetches);

    const temperature = result.fields[0]!;
    expect(temperature.kind).toBe('numeric');
    expect(temperature.numeric!.stats.count).toBe(300);
    expect(temperature.numeric!.ci95!.finitePopulationCorrection).toBeLessThan(1);
    expect(temperature.numeric!.histogram.rule).toBe('freedman-diaconis');
    expect(result.fields[1]!.kind).toBe('categorical');
    expect(result.fields[1]!.categorical!.distinct).toBe(PARTITIONS);

    // The value-over-time series: every sampled temperature once, at its record's timestamp, in time order.
    const series = result.series['$.temperature']!;
    expect(series).toHaveLength(300);
    expect(series.map(([t]) => t)).toEqual(series.map(([t]) => t).sort((a, b) => a - b));
    const expected = result.sampled.map(([p, o]) => `${T0 + o * 1000}:${temperatureAt(p, o)}`);
    expect(series.map(([t, v]) => `${t}:${v}`).sort()).toEqual(expected.sort());
    expect(result.series.partition).toBeUndefined();
  });

  it('is reproducible from its seed, and another seed gives another sample', async () => {
    const log = topic();
    const a = await sample(log, { size: 100, seed: 'abc' });
    const b = await sample(log, { size: 100, seed: 'abc' });
    const c = await sample(log, { size: 100, seed: 'abd' });
    expect(b.sampled).toEqual(a.sampled);
    expect(c.sampled).not.toEqual(a.sampled);
  });

  it('counts offsets that hold no record as missing instead of reading the next record', async () => {
    const result = await sample(new CompactedLog(topic()), { size: 700, seed: 3 });
    const gaps = result.emptyOffsets;
    expect(gaps).toBeGreaterThan(0);
    expect(result.recordsRead + gaps).toBe(700);
    const stats = result.fields[0]!.numeric!.stats;
    expect(stats.count).toBe(result.recordsRead);
    expect(stats.missingByReason.absent).toBe(gaps);
    for (const [, o] of result.sampled) expect(o % 7).not.toBe(3);
  });

  it('samples with replacement and systematically, within the requested range', async () => {
    const log = topic();
    const range = { partitions: [1], startOffset: 100, endOffset: 600 };
    const withReplacement = await sample(log, {
      strategy: 'random-with-replacement',
      size: 800,
      range,
    });
    expect(withReplacement.recordsRead).toBe(800);
    expect(withReplacement.fields[0]!.numeric!.ci95!.finitePopulationCorrection).toBe(1);
    const systematic = await sample(log, { strategy: 'systematic', size: 50, range });
    expect(systematic.sampled).toHaveLength(50);
    const offsets = systematic.sampled.map(([, o]) => o);
    for (let i = 1; i < offsets.length; i++) expect(offsets[i]! - offsets[i - 1]!).toBe(10);
    for (const [p, o] of [...withReplacement.sampled, ...systematic.sampled]) {
      expect(p).toBe(1);
      expect(o).toBeGreaterThanOrEqual(100);
      expect(o).toBeLessThan(600);
    }
  });

  it('stratifies by partition with exact equal allocation and a box per stratum', async () => {
    const result = await sample(topic(), {
      strategy: 'stratified',
      strata: { by: 'partition' },
      allocation: 'equal',
      size: 301,
    });
    expect(result.strata!.map((s) => s.planned).sort()).toEqual([100, 100, 101]);
    for (const stratum of result.strata!) {
      expect(stratum.read).toBe(stratum.planned);
      expect(stratum.fields[0]!.numeric!.box).not.toBeNull();
      const inStratum = result.sampled.filter(([p]) => String(p) === stratum.id);
      expect(inStratum).toHaveLength(stratum.read);
    }
    expect(result.stratifiedEstimates![0]!.estimate).not.toBeNull();
  });

  it('stratifies by a field’s value from a pilot, filling each stratum’s quota', async () => {
    const result = await sample(topic(), {
      strategy: 'stratified',
      strata: { by: 'field', field: '$.region' },
      allocation: 'equal',
      size: 300,
      fields: ['$.temperature', '$.region'],
    });
    expect(result.strata!.map((s) => s.id).sort()).toEqual(['apac', 'eu', 'us']);
    for (const stratum of result.strata!) {
      expect(stratum.planned).toBe(100);
      expect(stratum.read).toBe(100);
    }
    result.sampled.forEach(([p, o], i) =>
      expect(result.columns['$.region']![i]).toBe(regionAt(p, o)),
    );
    expect(new Set(result.sampled.map(([p, o]) => `${p}:${o}`)).size).toBe(300);
  });

  it('stratifies by time bucket: strata partition the range and every stratum is sampled', async () => {
    const result = await sample(topic(), {
      strategy: 'stratified',
      strata: { by: 'time', buckets: 4 },
      size: 200,
    });
    expect(result.strata).toHaveLength(4);
    expect(result.strata!.reduce((sum, s) => sum + s.populationSize, 0)).toBe(
      PARTITIONS * PER_PARTITION,
    );
    expect(result.strata!.reduce((sum, s) => sum + s.read, 0)).toBe(200);
    for (const s of result.strata!) expect(s.read).toBeGreaterThan(40);
  });

  it('warns before reading when a full scan is cheaper, and suggests fields from a pilot', async () => {
    const preview = await previewSample(
      topic(),
      'sensors',
      SampleInput.parse({ fields: ['$.temperature'], size: 5000 }),
    );
    expect(preview.populationSize).toBe(PARTITIONS * PER_PARTITION);
    expect(preview.warnings.map((w) => w.code)).toContain('FULL_SCAN_CHEAPER');
    expect(preview.suggestedFields.map((f) => f.field)).toEqual(
      expect.arrayContaining(['$.temperature', '$.region', 'size']),
    );
  });

  it('scans a range exactly: count and mean equal the values computed from every record', async () => {
    const ctx = context();
    const result = await runScan(
      topic(),
      'sensors',
      ScanInput.parse({ fields: ['$.temperature', '$.region'], range: { partitions: [0, 2] } }),
      ctx,
    );
    let sum = 0;
    for (const p of [0, 2]) for (let o = 0; o < PER_PARTITION; o++) sum += temperatureAt(p, o);
    const stats = result.fields[0]!.numeric!.stats;
    expect(result.recordsRead).toBe(2 * PER_PARTITION);
    expect(stats.count).toBe(2 * PER_PARTITION);
    expect(stats.mean).toBeCloseTo(sum / (2 * PER_PARTITION), 9);
    expect(result.fields[0]!.numeric!.ci95!.marginOfError).toBe(0);
    const regions = result.fields[1]!.categorical!;
    expect(regions.frequencies.find((f) => f.value === 'apac')!.count).toBe(
      2 * (PER_PARTITION / 20),
    );
    expect(ctx.reports.at(-1)).toBe(2 * PER_PARTITION);
  });

  it('runs as jobs: 4xx for a bad field before starting, result when done, cancel stops a scan', async () => {
    const jobs = new JobManager();
    const log = topic();
    const eda = new EdaService(() => log, jobs);
    await expect(
      eda.startSample('local', 'sensors', SampleInput.parse({ fields: ['$.a['] })),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    const finished = (id: string) =>
      new Promise<Job>((resolve) => {
        const stop = jobs.subscribe((job) => {
          if (job.id === id && job.finishedAt !== null) {
            stop();
            resolve(job);
          }
        });
      });
    const started = await eda.startSample(
      'local',
      'sensors',
      SampleInput.parse({ fields: ['$.temperature'], size: 50 }),
    );
    const done = await finished(started.id);
    expect(done.state).toBe('succeeded');
    expect((done.result as SampleResult).recordsRead).toBe(50);

    const scan = await eda.startScan('local', 'sensors', ScanInput.parse({ fields: ['size'] }));
    const scanDone = finished(scan.id);
    jobs.cancel(scan.id);
    expect((await scanDone).state).toBe('cancelled');
  });
});
