/**
 * The engine's exploratory data analysis: sample and scan jobs, previews and field
 * suggestions over any cluster's `LogReader`. engine.ts only forwards requests here.
 */
import type { Job } from '../api';
import type { SampleInput, SamplePreview, ScanInput } from '../api/eda';
import type { LogReader } from '../browse/logReader';
import { ApiError } from '../http/apiError';
import type { JobManager } from '../jobs/jobManager';
import { fieldExtractor, FieldSuggester } from './fields';
import { resolveRanges } from './logRanges';
import { readOffsets } from './readOffsets';
import { planSample } from '../sampling';
import { runReservoirSample } from './reservoirJob';
import { previewSample, runSample } from './sampleJob';
import { runScan } from './scanJob';

export class EdaService {
  constructor(
    private readonly readerOf: (cluster: string) => LogReader,
    private readonly jobs: JobManager,
  ) {}

  /** Starts a sample job; checks the cluster, topic and fields first so mistakes answer 4xx. */
  async startSample(cluster: string, topic: string, input: SampleInput): Promise<Job> {
    const reader = this.readerOf(cluster);
    input.fields.forEach((field, i) => fieldExtractor(field, `body.fields.${i}`));
    if (input.strata?.by === 'field') fieldExtractor(input.strata.field, 'body.strata.field');
    const reservoir = input.strategy === 'reservoir';
    if (input.tail && !reservoir) {
      throw new ApiError(
        'VALIDATION_FAILED',
        'body.tail: only a reservoir sample tails the topic; use strategy "reservoir" or leave tail out',
        { field: 'body.tail' },
      );
    }
    if (reservoir && input.strata) {
      throw new ApiError(
        'VALIDATION_FAILED',
        'body.strata: a reservoir sample is not stratified; use strategy "stratified" for strata',
        { field: 'body.strata' },
      );
    }
    await reader.offsets(topic);
    return this.jobs.start({
      kind: 'sample',
      title: reservoir
        ? `Reservoir of ${input.size} from new records of ${topic}`
        : `Sample ${input.size} of ${topic} (${input.strategy})`,
      unit: reservoir ? 'messages' : 'offsets',
      total: reservoir ? (input.tail?.maxRecords ?? null) : input.size,
      run: (context) =>
        input.strategy === 'reservoir'
          ? runReservoirSample(reader, topic, input, context)
          : runSample(reader, topic, input, context),
    });
  }

  async startScan(cluster: string, topic: string, input: ScanInput): Promise<Job> {
    const reader = this.readerOf(cluster);
    input.fields.forEach((field, i) => fieldExtractor(field, `body.fields.${i}`));
    await reader.offsets(topic);
    return this.jobs.start({
      kind: 'scan',
      title: `Full scan of ${topic}`,
      unit: 'messages',
      total: null,
      run: (context) => runScan(reader, topic, input, context),
    });
  }

  preview(cluster: string, topic: string, input: SampleInput): Promise<SamplePreview> {
    return previewSample(this.readerOf(cluster), topic, input);
  }

  /** Field paths seen in a small random sample of the topic, most frequent first. */
  async suggestFields(cluster: string, topic: string) {
    const reader = this.readerOf(cluster);
    const ranges = await resolveRanges(reader, topic);
    const plan = planSample({ strategy: 'random', ranges, size: 200, seed: 'suggest' });
    const suggester = new FieldSuggester();
    await readOffsets(reader, topic, plan.partitions, (_p, _o, record) => {
      if (record) suggester.add(record);
    });
    return { fields: suggester.suggestions() };
  }
}
