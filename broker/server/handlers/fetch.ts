/**
 * Fetch (key 1), versions 4-17 as Kafka 3.x: stored record batches, sent as stored (the
 * response references them; nothing is copied or re-encoded).
 *
 * Limits (KIP-74): the response's `max_bytes` and each partition's `partition_max_bytes`,
 * except that the first batch of the first partition with data always goes, so a consumer
 * always makes progress. Long poll: with fewer than `min_bytes` to send, the request waits up
 * to `max_wait_ms`, reading again after each append to one of its partitions; a partition
 * error, the deadline, or the broker shutting down ends the wait. Isolation: no transactions
 * are kept, so the last stable offset is the high watermark and the aborted transactions list
 * is empty (null under read_uncommitted, as Kafka sends it). Fetch sessions (KIP-227) are not
 * kept: every fetch is a full fetch, answered with session id 0, which clients accept.
 * From v13 topics are named by id.
 */
import { performance } from 'node:perf_hooks';
import { ErrorCode } from '../../protocol/errors';
import { ApiKey, type ApiMessages } from '../../protocol/messages/generated/index';
import type { ApiResponse, HandlerRegistry } from '../handlerRegistry';
import { AppendWaiters } from './appendWaiters';
import {
  errorCodeOf,
  leaderEpochError,
  recordsInBatch,
  type LogHandlerOptions,
} from './logHandlerContext';

type FetchRequest = ApiMessages[typeof ApiKey.Fetch]['request'];
type FetchResponse = ApiResponse<typeof ApiKey.Fetch>;
type TopicResponse = NonNullable<FetchResponse['responses']>[number];
type PartitionResponse = NonNullable<TopicResponse['partitions']>[number];

export const FETCH_VERSIONS = { minVersion: 4, maxVersion: 17 } as const;

const READ_COMMITTED = 1;

interface FetchedTopic {
  request: FetchRequest['topics'][number];
  /** Null when the topic id names no topic. */
  name: string | null;
}

interface ReadOutcome {
  responses: TopicResponse[];
  bytes: number;
  /** Some partition has an error: Kafka answers at once rather than wait. */
  failed: boolean;
  /** Records and bytes per topic, for the metrics. */
  traffic: Map<string, { records: number; bytes: number }>;
}

/** Resolves when `appended` does, after `ms`, or on abort, whichever is first. */
function waitFor(appended: Promise<void>, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    void appended.then(done);
  });
}

export function registerFetch(
  registry: HandlerRegistry,
  options: LogHandlerOptions,
): HandlerRegistry {
  const { log, logger, metrics } = options;
  const waiters = options.appendWaiters ?? new AppendWaiters(log);

  async function readAll(
    request: FetchRequest,
    topics: FetchedTopic[],
    version: number,
  ): Promise<ReadOutcome> {
    const readCommitted = request.isolationLevel === READ_COMMITTED;
    let budget = request.maxBytes;
    let sentData = false;
    const outcome: ReadOutcome = { responses: [], bytes: 0, failed: false, traffic: new Map() };

    const failedPartition = (partitionIndex: number, errorCode: number): PartitionResponse => {
      outcome.failed = true;
      return {
        partitionIndex,
        errorCode,
        highWatermark: -1n,
        lastStableOffset: -1n,
        logStartOffset: -1n,
        abortedTransactions: readCommitted ? [] : null,
        records: [],
      };
    };

    for (const { request: topic, name } of topics) {
      const partitions: PartitionResponse[] = [];
      for (const partition of topic.partitions) {
        const index = partition.partition;
        if (name === null) {
          partitions.push(
            failedPartition(
              index,
              version >= 13 ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            ),
          );
          continue;
        }
        const epochError = leaderEpochError(partition.currentLeaderEpoch);
        if (epochError !== ErrorCode.NONE) {
          partitions.push(failedPartition(index, epochError));
          continue;
        }
        const limit = Math.min(partition.partitionMaxBytes, budget);
        try {
          const result = await log.read(
            name,
            index,
            Number(partition.fetchOffset),
            Math.max(1, limit),
          );
          let batches = result.batches;
          let bytes = result.bytes;
          // Only the first partition with data may exceed the limits (its first batch).
          if (sentData && bytes > limit) {
            batches = [];
            bytes = 0;
          }
          if (batches.length > 0) {
            sentData = true;
            budget -= bytes;
            outcome.bytes += bytes;
            const traffic = outcome.traffic.get(name) ?? { records: 0, bytes: 0 };
            for (const batch of batches) traffic.records += recordsInBatch(batch);
            traffic.bytes += bytes;
            outcome.traffic.set(name, traffic);
          }
          partitions.push({
            partitionIndex: index,
            errorCode: ErrorCode.NONE,
            highWatermark: BigInt(result.highWatermark),
            lastStableOffset: BigInt(result.lastStableOffset),
            logStartOffset: BigInt(result.logStartOffset),
            abortedTransactions: readCommitted ? [] : null,
            records: batches,
          });
        } catch (error) {
          const code = errorCodeOf(error, logger, `fetch from ${name}-${index} failed`);
          partitions.push(failedPartition(index, code));
        }
      }
      outcome.responses.push({ topic: topic.topic, topicId: topic.topicId, partitions });
    }
    return outcome;
  }

  async function handle(
    request: FetchRequest,
    version: number,
    signal: AbortSignal,
  ): Promise<FetchResponse> {
    if (request.sessionId !== 0) {
      // No session was ever handed out, so an incremental fetch names an unknown one.
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
        sessionId: 0,
        responses: [],
      };
    }
    const topics: FetchedTopic[] = request.topics.map((topic) => ({
      request: topic,
      name: version >= 13 ? (log.topicById(topic.topicId)?.name ?? null) : topic.topic,
    }));
    const watched = topics.flatMap(({ name, request: topic }) =>
      name === null ? [] : topic.partitions.map((p) => ({ topic: name, partition: p.partition })),
    );
    const deadline = performance.now() + Math.max(0, request.maxWaitMs);
    for (;;) {
      const mayWait = request.maxWaitMs > 0 && !signal.aborted && watched.length > 0;
      const subscription = mayWait ? waiters.subscribe(watched) : null;
      const outcome = await readAll(request, topics, version);
      const remaining = deadline - performance.now();
      if (
        subscription === null ||
        outcome.bytes >= request.minBytes ||
        outcome.failed ||
        remaining <= 0 ||
        signal.aborted
      ) {
        subscription?.cancel();
        for (const [topic, { records, bytes }] of outcome.traffic) {
          metrics?.recordFetch(topic, records, bytes);
        }
        return {
          throttleTimeMs: 0,
          errorCode: ErrorCode.NONE,
          sessionId: 0,
          responses: outcome.responses,
        };
      }
      await waitFor(subscription.appended, remaining, signal);
      subscription.cancel();
    }
  }

  return registry.register(ApiKey.Fetch, {
    ...FETCH_VERSIONS,
    handle: (request, context) => handle(request, context.apiVersion, context.signal),
  });
}
