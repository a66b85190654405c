/**
 * Metadata (key 3), versions 0-12 as Kafka 3.x: this broker is the only broker, the controller,
 * and the leader and only replica of every partition. Topics are asked for by name, or by id
 * from v10 (Kafka serves ids from v12); none asked (v0: an empty list, v1+: null) means all.
 * With auto-creation on and `allow_auto_topic_creation` set, unknown names are created.
 */
import { ErrorCode } from '../../protocol/errors';
import { ApiKey, type ApiMessages } from '../../protocol/messages/generated/index';
import { ZERO_UUID } from '../../protocol/messages/uuid';
import type { ApiResponse, HandlerRegistry } from '../handlerRegistry';
import {
  LEADER_EPOCH,
  ensureTopic,
  errorCodeOf,
  type LogHandlerOptions,
} from './logHandlerContext';

type MetadataResponse = ApiResponse<typeof ApiKey.Metadata>;
type TopicMetadata = NonNullable<MetadataResponse['topics']>[number];

/** Kafka's AclOperation codes; without ACLs every operation is allowed. */
const TOPIC_OPERATIONS = [3, 4, 5, 6, 7, 8, 10, 11]; // read, write, create, delete, alter, describe, describe/alter configs
const CLUSTER_OPERATIONS = [4, 5, 7, 8, 9, 10, 11, 12, 13]; // …, cluster action, idempotent write, create/describe tokens
const bitfield = (operations: number[]): number =>
  operations.reduce((bits, operation) => bits | (1 << operation), 0);
/** "Not requested", in Kafka's authorized-operations fields. */
const NOT_REQUESTED = -2147483648;

export const METADATA_VERSIONS = { minVersion: 0, maxVersion: 12 } as const;

export function registerMetadata(
  registry: HandlerRegistry,
  options: LogHandlerOptions,
): HandlerRegistry {
  const { log, node } = options;

  function describeTopic(name: string, includeOperations: boolean): TopicMetadata {
    const topic = log.describeTopic(name);
    const partitions = Array.from({ length: topic.partitions }, (_, partitionIndex) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex,
      leaderId: node.nodeId,
      leaderEpoch: LEADER_EPOCH,
      replicaNodes: [node.nodeId],
      isrNodes: [node.nodeId],
      offlineReplicas: [],
    }));
    return {
      errorCode: ErrorCode.NONE,
      name,
      topicId: topic.id,
      isInternal: false,
      partitions,
      topicAuthorizedOperations: includeOperations ? bitfield(TOPIC_OPERATIONS) : NOT_REQUESTED,
    };
  }

  async function topicByName(
    name: string,
    autoCreate: boolean,
    includeOperations: boolean,
  ): Promise<TopicMetadata> {
    try {
      if (autoCreate ? await ensureTopic(options, name) : log.hasTopic(name)) {
        return describeTopic(name, includeOperations);
      }
      return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: [] };
    } catch (error) {
      const errorCode = errorCodeOf(error, options.logger, `metadata of topic ${name} failed`);
      return { errorCode, name, partitions: [] };
    }
  }

  async function handle(
    request: ApiMessages[typeof ApiKey.Metadata]['request'],
    version: number,
  ): Promise<MetadataResponse> {
    const includeOperations = version >= 8 && request.includeTopicAuthorizedOperations;
    const autoCreate = request.allowAutoTopicCreation && options.autoCreateTopics;
    const all = request.topics === null || (version === 0 && request.topics.length === 0);
    let topics: TopicMetadata[];
    if (all) {
      topics = log.listTopics().map((topic) => describeTopic(topic.name, includeOperations));
    } else {
      topics = [];
      for (const { name, topicId } of request.topics ?? []) {
        if (name !== null) {
          topics.push(await topicByName(name, autoCreate, includeOperations));
        } else if (version < 12) {
          // Kafka serves topic ids in Metadata from v12 only (the v10 and v11 fields are unused).
          topics.push({ errorCode: ErrorCode.INVALID_REQUEST, name: '', topicId, partitions: [] });
        } else {
          const byId = topicId === ZERO_UUID ? undefined : log.topicById(topicId);
          topics.push(
            byId
              ? describeTopic(byId.name, includeOperations)
              : { errorCode: ErrorCode.UNKNOWN_TOPIC_ID, name: null, topicId, partitions: [] },
          );
        }
      }
    }
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: node.nodeId, host: node.host, port: node.port, rack: null }],
      clusterId: options.clusterId,
      controllerId: node.nodeId,
      topics,
      clusterAuthorizedOperations:
        version >= 8 && request.includeClusterAuthorizedOperations
          ? bitfield(CLUSTER_OPERATIONS)
          : NOT_REQUESTED,
    };
  }

  return registry.register(ApiKey.Metadata, {
    ...METADATA_VERSIONS,
    handle: (request, context) => handle(request, context.apiVersion),
  });
}
