/**
 * CreateTopics (key 19), versions 0-7 as Kafka 3.x. This is a single broker: the replication
 * factor is 1 (or -1, the default), a manual assignment may only name this broker, and
 * `num_partitions` -1 takes `num.partitions`. From v5 the answer carries the topic's
 * configuration; `validate_only` checks everything and creates nothing.
 */
import { ErrorCode } from '../../protocol/errors';
import { ApiKey, type ApiMessages } from '../../protocol/messages/generated/index';
import type { ConfigSource } from '../../log/index';
import type { ApiResponse, HandlerRegistry } from '../handlerRegistry';
import { errorCodeOf, errorMessageOf, type LogHandlerOptions } from './logHandlerContext';

type CreatableTopic = ApiMessages[typeof ApiKey.CreateTopics]['request']['topics'][number];
type CreateTopicsResponse = ApiResponse<typeof ApiKey.CreateTopics>;
type TopicResult = NonNullable<CreateTopicsResponse['topics']>[number];

export const CREATE_TOPICS_VERSIONS = { minVersion: 0, maxVersion: 7 } as const;

/** Kafka's DescribeConfigs ConfigSource codes for where a value comes from. */
export const CONFIG_SOURCE: Record<ConfigSource, number> = {
  topic: 1, // TOPIC_CONFIG
  'broker-default': 4, // STATIC_BROKER_CONFIG (server.properties, --config)
  default: 5, // DEFAULT_CONFIG
};

/** A refusal before the log is asked. */
class Refused {
  constructor(
    readonly code: number,
    readonly message: string,
  ) {}
}

export function registerCreateTopics(
  registry: HandlerRegistry,
  options: LogHandlerOptions,
): HandlerRegistry {
  const { log, logger, node } = options;

  /** The partition count a request asks for (undefined: the default), or a refusal. */
  function partitionsOf(topic: CreatableTopic): number | undefined | Refused {
    const { numPartitions, replicationFactor, assignments } = topic;
    if (assignments.length === 0) {
      if (replicationFactor !== -1 && replicationFactor !== 1) {
        return new Refused(
          ErrorCode.INVALID_REPLICATION_FACTOR,
          `Replication factor: ${replicationFactor} larger than available brokers: 1.`,
        );
      }
      return numPartitions === -1 ? undefined : numPartitions;
    }
    if (numPartitions !== -1 || replicationFactor !== -1) {
      return new Refused(
        ErrorCode.INVALID_REQUEST,
        'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
      );
    }
    const indexes = assignments.map((a) => a.partitionIndex).sort((a, b) => a - b);
    if (indexes.some((index, i) => index !== i)) {
      return new Refused(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        'Partitions should be a consecutive 0-based integer sequence',
      );
    }
    for (const { partitionIndex, brokerIds } of assignments) {
      if (brokerIds.length !== 1 || brokerIds[0] !== node.nodeId) {
        return new Refused(
          ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          `Partition ${partitionIndex} is assigned to brokers [${brokerIds.join(', ')}]; the only broker is ${node.nodeId}.`,
        );
      }
    }
    return assignments.length;
  }

  async function create(topic: CreatableTopic, validateOnly: boolean): Promise<TopicResult> {
    const { name } = topic;
    const refused = (code: number, message: string | null): TopicResult => ({
      name,
      errorCode: code,
      errorMessage: message,
      topicConfigErrorCode: code,
    });
    const partitions = partitionsOf(topic);
    if (partitions instanceof Refused) return refused(partitions.code, partitions.message);
    const configs: Record<string, string> = {};
    for (const { name: key, value } of topic.configs) {
      if (value === null) {
        return refused(
          ErrorCode.INVALID_CONFIG,
          `Null value not supported for topic configs: ${key}`,
        );
      }
      configs[key] = value;
    }
    try {
      const created = await log.createTopic(name, { partitions, configs, validateOnly });
      const entries = validateOnly
        ? []
        : log.describeConfigs(name).map((entry) => ({
            name: entry.name,
            value: entry.value,
            readOnly: false,
            configSource: CONFIG_SOURCE[entry.source],
            isSensitive: false,
          }));
      return {
        name,
        topicId: created.id,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        numPartitions: created.partitions,
        replicationFactor: 1,
        configs: entries,
      };
    } catch (error) {
      return refused(
        errorCodeOf(error, logger, `creating topic ${name} failed`),
        errorMessageOf(error),
      );
    }
  }

  return registry.register(ApiKey.CreateTopics, {
    ...CREATE_TOPICS_VERSIONS,
    async handle(request, context) {
      const counts = new Map<string, number>();
      for (const { name } of request.topics) counts.set(name, (counts.get(name) ?? 0) + 1);
      const validateOnly = context.apiVersion >= 1 && request.validateOnly;
      const topics: TopicResult[] = [];
      for (const topic of request.topics) {
        if (counts.get(topic.name)! > 1) {
          topics.push({
            name: topic.name,
            errorCode: ErrorCode.INVALID_REQUEST,
            errorMessage: `Create topics request from client contains multiple entries for topic ${topic.name}`,
          });
          continue;
        }
        topics.push(await create(topic, validateOnly));
      }
      return { throttleTimeMs: 0, topics };
    },
  });
}
