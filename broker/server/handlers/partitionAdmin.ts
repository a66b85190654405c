/**
 * CreatePartitions and DeleteRecords: the topic changes that act on partitions.
 */
import { ErrorCode, KafkaProtocolError } from '../../protocol/errors';
import { ApiKey } from '../../protocol/messages/generated/index';
import type { HandlerRegistry } from '../handlerRegistry';
import { errorCodeOf, errorMessageOf, type LogHandlerOptions } from './logHandlerContext';

export function registerPartitionAdmin(
  registry: HandlerRegistry,
  options: LogHandlerOptions,
): HandlerRegistry {
  const { log, logger, node } = options;

  registry.register(ApiKey.CreatePartitions, {
    minVersion: 0,
    maxVersion: 3,
    async handle(request) {
      const results = [];
      for (const topic of request.topics) {
        const assignmentsValid =
          topic.assignments === null ||
          topic.assignments.every((a) => a.brokerIds.every((id) => id === node.nodeId));
        if (!assignmentsValid) {
          results.push({
            name: topic.name,
            errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            errorMessage: `This broker (node ${node.nodeId}) is the only replica there is.`,
          });
          continue;
        }
        try {
          await log.createPartitions(topic.name, topic.count, {
            validateOnly: request.validateOnly,
          });
          results.push({ name: topic.name, errorCode: ErrorCode.NONE, errorMessage: null });
        } catch (error) {
          results.push({
            name: topic.name,
            errorCode: errorCodeOf(error, logger, 'creating partitions'),
            errorMessage: errorMessageOf(error),
          });
        }
      }
      return { throttleTimeMs: 0, results };
    },
  });

  registry.register(ApiKey.DeleteRecords, {
    minVersion: 0,
    maxVersion: 2,
    async handle(request) {
      const topics = [];
      for (const topic of request.topics) {
        const partitions = [];
        for (const p of topic.partitions) {
          try {
            if (!log.hasTopic(topic.name)) {
              throw new KafkaProtocolError(
                ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                `Topic ${topic.name} does not exist.`,
              );
            }
            // -1 means "up to the high watermark", as in Kafka.
            const before =
              p.offset === -1n
                ? log.partitionSummary(topic.name, p.partitionIndex).highWatermark
                : Number(p.offset);
            const lowWatermark = await log.deleteRecords(topic.name, p.partitionIndex, before);
            partitions.push({
              partitionIndex: p.partitionIndex,
              lowWatermark: BigInt(lowWatermark),
              errorCode: ErrorCode.NONE,
            });
          } catch (error) {
            partitions.push({
              partitionIndex: p.partitionIndex,
              lowWatermark: -1n,
              errorCode: errorCodeOf(error, logger, 'deleting records'),
            });
          }
        }
        topics.push({ name: topic.name, partitions });
      }
      return { throttleTimeMs: 0, topics };
    },
  });

  return registry;
}
