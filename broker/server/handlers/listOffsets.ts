/**
 * ListOffsets (key 2), versions 0-9 as Kafka 3.x: for each partition, the offset for a
 * timestamp — the first record whose timestamp is at least it — or one of Kafka's special
 * timestamps: -1 latest, -2 earliest, -3 the record with the largest timestamp (v7+), -4 the
 * earliest local offset (v8+; all of this log is local), -5 the latest tiered offset (v9+; none
 * is tiered, so none). No matching record: offset -1. Version 0 answers with a list of offsets.
 */
import { ErrorCode } from '../../protocol/errors';
import { ApiKey, type ApiMessages } from '../../protocol/messages/generated/index';
import type { OffsetAndTimestamp } from '../../log/index';
import type { ApiResponse, HandlerRegistry } from '../handlerRegistry';
import {
  LEADER_EPOCH,
  errorCodeOf,
  leaderEpochError,
  type LogHandlerOptions,
} from './logHandlerContext';

type ListOffsetsRequest = ApiMessages[typeof ApiKey.ListOffsets]['request'];
type ListOffsetsResponse = ApiResponse<typeof ApiKey.ListOffsets>;
type PartitionResponse = NonNullable<
  NonNullable<ListOffsetsResponse['topics']>[number]['partitions']
>[number];

export const LIST_OFFSETS_VERSIONS = { minVersion: 0, maxVersion: 9 } as const;

const LATEST = -1;
const EARLIEST = -2;
const MAX_TIMESTAMP = -3;
const EARLIEST_LOCAL = -4;
const LATEST_TIERED = -5;

const NO_OFFSET: OffsetAndTimestamp = { offset: -1, timestamp: -1 };

export function registerListOffsets(
  registry: HandlerRegistry,
  options: LogHandlerOptions,
): HandlerRegistry {
  const { log, logger } = options;

  async function offsetFor(topic: string, partition: number, timestamp: number, version: number) {
    switch (timestamp) {
      case LATEST:
        return log.listOffset(topic, partition, 'latest');
      case EARLIEST:
        return log.listOffset(topic, partition, 'earliest');
      case MAX_TIMESTAMP:
        if (version >= 7) return log.listOffset(topic, partition, 'maxTimestamp');
        break;
      case EARLIEST_LOCAL:
        if (version >= 8) return log.listOffset(topic, partition, 'earliest');
        break;
      case LATEST_TIERED:
        if (version >= 9) {
          log.partitionSummary(topic, partition); // still refuses an unknown partition
          return NO_OFFSET;
        }
        break;
    }
    if (timestamp < 0) {
      log.partitionSummary(topic, partition);
      return NO_OFFSET;
    }
    return log.listOffset(topic, partition, timestamp);
  }

  function answer(index: number, version: number, found: OffsetAndTimestamp): PartitionResponse {
    if (version === 0) {
      return {
        partitionIndex: index,
        errorCode: ErrorCode.NONE,
        oldStyleOffsets: found.offset >= 0 ? [BigInt(found.offset)] : [],
      };
    }
    return {
      partitionIndex: index,
      errorCode: ErrorCode.NONE,
      timestamp: BigInt(found.timestamp),
      offset: BigInt(found.offset),
      ...(version >= 4 ? { leaderEpoch: found.offset >= 0 ? LEADER_EPOCH : -1 } : {}),
    };
  }

  async function handle(
    request: ListOffsetsRequest,
    version: number,
  ): Promise<ListOffsetsResponse> {
    const topics = [];
    for (const topic of request.topics) {
      const partitions: PartitionResponse[] = [];
      for (const partition of topic.partitions) {
        const index = partition.partitionIndex;
        const epochError = leaderEpochError(partition.currentLeaderEpoch);
        if (epochError !== ErrorCode.NONE) {
          partitions.push({ partitionIndex: index, errorCode: epochError });
          continue;
        }
        try {
          const found = await offsetFor(topic.name, index, Number(partition.timestamp), version);
          partitions.push(answer(index, version, found));
        } catch (error) {
          const errorCode = errorCodeOf(error, logger, `offsets of ${topic.name}-${index} failed`);
          partitions.push({ partitionIndex: index, errorCode });
        }
      }
      topics.push({ name: topic.name, partitions });
    }
    return { throttleTimeMs: 0, topics };
  }

  return registry.register(ApiKey.ListOffsets, {
    ...LIST_OFFSETS_VERSIONS,
    handle: (request, context) => handle(request, context.apiVersion),
  });
}
