/**
 * Replay jobs: read a range of a source topic (merged across partitions by timestamp, so each
 * partition stays in offset order), filter it, and send it to a target topic through a
 * BatchProducer — idempotent, so order within a partition is preserved and a retry never
 * duplicates, with several requests in flight. Paced by a Pacer; pausing shifts the schedule by
 * the pause.
 */
import type { Job, TopicConfigEntry } from '../api';
import type { ReplayInput, ReplayResult } from '../api/replay';
import { filterFrom } from '../browse/topicBrowser';
import { PartitionScan } from '../browse/partitionScan';
import type { RawHeader, RawRecord } from '../browse/record';
import { ApiError } from '../http/apiError';
import { withPartialResult, type JobManager } from '../jobs/jobManager';
import {
  keyPartitioner,
  type BatchProducer,
  type BatchProducerOptions,
} from '../sources/batchProducer';
import { kafkaError, type KafkaErrorContext } from '../sources/kafkaErrors';
import type { ProducerRecord } from '../sources/recordBatchBuilder';
import { readAhead } from '../transfer/readAhead';
import { resolveRange, type RangeReader } from '../transfer/transferService';
import { Pacer } from './pacer';

export interface ReplayTarget {
  offsets(topic: string): Promise<{ partition: number }[]>;
  topicConfigs(topic: string): Promise<TopicConfigEntry[]>;
  createTopic(input: {
    name: string;
    partitions: number;
    replicationFactor: number;
    configs: Record<string, string>;
  }): Promise<void>;
  batchProducer(options: BatchProducerOptions): Promise<BatchProducer>;
  context(action?: string): KafkaErrorContext;
}

/** Records asked of the source per read. */
const READ_BATCH = 5000;
/** A partial batch older than this goes out at the next checkpoint, as Kafka's linger.ms. */
const LINGER_MS = 50;
export const SOURCE_HEADER = 'logscope.source';

export class ReplayService {
  constructor(
    private readonly readers: (cluster: string) => RangeReader,
    private readonly targets: (cluster: string) => ReplayTarget,
    private readonly jobs: JobManager,
  ) {}

  async start(input: ReplayInput): Promise<Job> {
    const { source } = input;
    const filter = filterFrom(source.filter, 'body.source.filter', source.topic);
    const reader = this.readers(source.cluster);
    const target = this.targets(input.target.cluster);
    const sourcePartitions = await reader.offsets(source.topic);
    const range = await resolveRange(
      reader,
      source.topic,
      source.from,
      source.to,
      source.partitions,
    );
    const total = [...range.start].reduce(
      (sum, [p, offset]) => sum + Math.max(0, range.end.get(p)! - offset),
      0,
    );
    if (
      input.target.cluster === source.cluster &&
      input.target.topic === source.topic &&
      !input.dryRun
    ) {
      throw new ApiError(
        'BAD_REQUEST',
        'The target is the source topic: a replay into the range it reads would never end.',
        { field: 'body.target.topic' },
      );
    }
    let targetPartitions = await target
      .offsets(input.target.topic)
      .then((p) => p.length)
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'NOT_FOUND') return null;
        throw error;
      });
    if (targetPartitions === null && !input.target.create && !input.dryRun) {
      throw new ApiError(
        'NOT_FOUND',
        `Topic "${input.target.topic}" was not found on the target cluster; ask for it to be created.`,
        { field: 'body.target.topic' },
      );
    }
    const maxSourcePartition = Math.max(...[...range.start.keys()], 0);
    if (
      input.partitioning === 'keep' &&
      targetPartitions !== null &&
      targetPartitions <= maxSourcePartition
    ) {
      throw new ApiError(
        'BAD_REQUEST',
        `Keeping partitions needs partition ${maxSourcePartition} in "${input.target.topic}", which has ${targetPartitions}; partition by key or round-robin instead.`,
        { field: 'body.partitioning' },
      );
    }

    return this.jobs.start({
      kind: 'replay',
      title: `${input.dryRun ? 'Dry run: replay' : 'Replay'} ${source.topic} → ${input.target.topic}`,
      unit: 'messages',
      total,
      pausable: true,
      run: async (context) => {
        const result: ReplayResult = {
          dryRun: input.dryRun,
          scanned: 0,
          sent: 0,
          skipped: 0,
          failed: 0,
          targetCreated: false,
        };
        const report = () =>
          context.progress(result.scanned, {
            message: `sent ${result.sent}, skipped ${result.skipped}, failed ${result.failed}`,
          });
        if (!input.dryRun && targetPartitions === null) {
          const configs: Record<string, string> = {};
          for (const entry of await this.readerConfigs(source.cluster, source.topic)) {
            if (!entry.isDefault && !entry.readOnly && !entry.sensitive && entry.value !== null)
              configs[entry.name] = entry.value;
          }
          targetPartitions = sourcePartitions.length;
          await target.createTopic({
            name: input.target.topic,
            partitions: targetPartitions,
            replicationFactor: 1,
            configs,
          });
          result.targetCreated = true;
        }
        const scan = new PartitionScan({
          topic: source.topic,
          reader: readAhead(reader, source.topic, range.end),
          direction: 'forward',
          start: range.start,
          end: range.end,
          floor: range.start,
          sizes: reader.sizes(source.topic),
          signal: context.signal,
        });
        scan.wanted = READ_BATCH;
        /** Records handed to the producer; those not acknowledged at a failure are failed. */
        let added = 0;
        const producer = input.dryRun
          ? null
          : await target.batchProducer({
              topic: input.target.topic,
              onAcknowledged: (records) => {
                result.sent += records;
                report();
              },
            });
        const pacer = new Pacer(input.pace);
        const partitionOf = this.partitioner(input, source.topic, targetPartitions ?? 0);
        /** The schedule's origin: when the first message to send was read. */
        let started: number | null = null;
        /** Reused for every record: the producer copies it into its batch at once. */
        const out: ProducerRecord = { key: null, value: null, headers: [], timestamp: 0 };
        /** Waits for the pause to end; the schedule moves by the time paused. */
        const checkpoint = async () => {
          const before = Date.now();
          await context.checkpoint();
          const paused = Date.now() - before;
          if (paused > 5 && started !== null) started += paused;
        };
        try {
          for (;;) {
            const record = await scan.next();
            if (record === null) break;
            result.scanned++;
            if (filter && !filter.matches(record)) {
              result.skipped++;
            } else if (input.dryRun) {
              result.sent++;
            } else {
              started ??= Date.now();
              const due = started + pacer.due(record.timestamp);
              if (due > Date.now()) {
                // What is due now leaves before the wait (not waiting for its acknowledgement).
                await producer!.send();
                await checkpoint();
                await sleep(due - Date.now(), context.signal);
              }
              this.fill(out, record, input);
              added++;
              const waiting = producer!.add(partitionOf(record), out);
              if (waiting) {
                await waiting;
                await checkpoint();
              }
            }
            if (result.scanned % 1000 === 0) {
              report();
              await producer?.send(LINGER_MS);
              await checkpoint();
            }
          }
          await producer?.flush();
        } catch (error) {
          if (context.signal.aborted || producer === null) throw error;
          await producer.close();
          result.failed = added - result.sent;
          report();
          throw withPartialResult(
            kafkaError(
              error,
              target.context(
                `replay to topic "${input.target.topic}" (sent ${result.sent}, failed ${result.failed})`,
              ),
            ),
            { ...result },
          );
        } finally {
          // Batches on the wire when cancelled are counted before the producer goes.
          await producer?.close();
          report();
        }
        context.progress(result.scanned, {
          total: result.scanned,
          message: `sent ${result.sent}, skipped ${result.skipped}, failed ${result.failed}`,
        });
        return result;
      },
    });
  }

  /** The source topic's configs to copy; none when the source has none (offline files). */
  private async readerConfigs(cluster: string, topic: string): Promise<TopicConfigEntry[]> {
    try {
      return await this.targets(cluster).topicConfigs(topic);
    } catch {
      return [];
    }
  }

  /** Fills the reused outgoing record from a source record, as the input asks. */
  private fill(out: ProducerRecord, record: RawRecord, input: ReplayInput): void {
    out.key = input.keepKeys ? record.key : null;
    out.value = record.value;
    const headers: RawHeader[] = input.keepHeaders ? record.headers : [];
    out.headers = input.sourceHeader
      ? [
          ...headers,
          {
            key: SOURCE_HEADER,
            value: Buffer.from(`${input.source.topic}/${record.partition}/${record.offset}`),
          },
        ]
      : headers;
    // Without the original, the time of sending: taken now, when the pacer released it.
    out.timestamp = input.keepTimestamps ? record.timestamp : Date.now();
  }

  /** The target partition of each record: kept, in turn, or by key as Kafka's producers do. */
  private partitioner(
    input: ReplayInput,
    topic: string,
    partitions: number,
  ): (record: RawRecord) => number {
    if (input.partitioning === 'keep') return (record) => record.partition;
    if (input.partitioning === 'round-robin') {
      let next = 0;
      return () => next++ % partitions;
    }
    const byKey = keyPartitioner(topic, partitions);
    return (record) => byKey(input.keepKeys ? record.key : null);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
