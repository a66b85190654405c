/**
 * Replay jobs: read a range of a source topic (merged across partitions by timestamp, so each
 * partition stays in offset order), filter it, and send it to a target topic through one
 * idempotent producer with one request in flight — order within a partition is preserved and a
 * retry never duplicates. Paced by a Pacer; pausing shifts the schedule by the pause.
 */
import type { Message as KafkaMessage, Producer } from 'kafkajs';
import type { Job, TopicConfigEntry } from '../api';
import type { ReplayInput, ReplayResult } from '../api/replay';
import { filterFrom } from '../browse/topicBrowser';
import { PartitionScan } from '../browse/partitionScan';
import type { RawRecord } from '../browse/record';
import { ApiError } from '../http/apiError';
import type { JobManager } from '../jobs/jobManager';
import { kafkaError, type KafkaErrorContext } from '../sources/kafkaErrors';
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
  idempotentProducer(): Promise<Producer>;
  context(action?: string): KafkaErrorContext;
}

const BATCH = 500;
export const SOURCE_HEADER = 'logscope.source';

export class ReplayService {
  constructor(
    private readonly readers: (cluster: string) => RangeReader,
    private readonly targets: (cluster: string) => ReplayTarget,
    private readonly jobs: JobManager,
  ) {}

  async start(input: ReplayInput): Promise<Job> {
    const { source } = input;
    const filter = filterFrom(source.filter, 'body.source.filter');
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
          reader,
          direction: 'forward',
          start: range.start,
          end: range.end,
          floor: range.start,
          sizes: reader.sizes(source.topic),
          signal: context.signal,
        });
        scan.wanted = BATCH;
        const producer = input.dryRun ? null : await target.idempotentProducer();
        const pacer = new Pacer(input.pace);
        /** The schedule's origin: when the first message to send was read. */
        let started: number | null = null;
        let batch: { record: RawRecord; message: KafkaMessage }[] = [];
        let roundRobin = 0;
        /**
         * One send at a time (order within a partition), but not awaited at once: the next
         * batch is read and built while the previous one is on the wire.
         */
        let inFlight: Promise<void> = Promise.resolve();
        const send = async (sending: typeof batch) => {
          try {
            await producer!.send({
              topic: input.target.topic,
              acks: -1,
              messages: sending.map((s) => s.message),
            });
          } catch (error) {
            result.failed += sending.length;
            report();
            throw kafkaError(
              error,
              target.context(
                `replay to topic "${input.target.topic}" (sent ${result.sent}, failed ${result.failed})`,
              ),
            );
          }
          result.sent += sending.length;
          report();
        };
        const flush = async () => {
          await inFlight;
          if (batch.length === 0 || producer === null) return;
          const sending = batch;
          batch = [];
          inFlight = send(sending);
          inFlight.catch(() => undefined); // awaited by the next flush or at the end
        };
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
                await flush();
                await checkpoint();
                await sleep(due - Date.now(), context.signal);
              }
              batch.push({
                record,
                message: this.message(record, input, targetPartitions!, roundRobin++),
              });
              if (batch.length >= BATCH) {
                await flush();
                await checkpoint();
              }
            }
            if (result.scanned % 1000 === 0) {
              report();
              await checkpoint();
            }
          }
          await flush();
          await inFlight;
        } finally {
          // A batch on the wire when cancelled is counted before the producer goes.
          await inFlight.catch(() => undefined);
          await producer?.disconnect().catch(() => undefined);
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

  private message(
    record: RawRecord,
    input: ReplayInput,
    partitions: number,
    index: number,
  ): KafkaMessage {
    const headers: Record<string, Buffer[]> = Object.create(null);
    if (input.keepHeaders) {
      for (const h of record.headers) {
        if (h.value !== null) (headers[h.key] ??= []).push(h.value);
      }
    }
    if (input.sourceHeader) {
      (headers[SOURCE_HEADER] ??= []).push(
        Buffer.from(`${input.source.topic}/${record.partition}/${record.offset}`),
      );
    }
    const message: KafkaMessage = {
      key: input.keepKeys ? record.key : null,
      value: record.value,
      headers,
    };
    // Without the original, the time of sending: taken now, when the pacer released it.
    message.timestamp = String(input.keepTimestamps ? record.timestamp : Date.now());
    if (input.partitioning === 'keep') message.partition = record.partition;
    else if (input.partitioning === 'round-robin') message.partition = index % partitions;
    return message;
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
