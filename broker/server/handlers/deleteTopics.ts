/**
 * DeleteTopics (key 20), versions 0-6 as Kafka 3.x: topics by name, or from v6 by name or id.
 * Refused with TOPIC_DELETION_DISABLED when `delete.topic.enable` is false. The topic is gone
 * at once; its data is deleted in the background (see CommitLog.deleteTopic).
 */
import { ErrorCode } from '../../protocol/errors';
import { ApiKey } from '../../protocol/messages/generated/index';
import { ZERO_UUID } from '../../protocol/messages/uuid';
import type { ApiResponse, HandlerRegistry } from '../handlerRegistry';
import { errorCodeOf, errorMessageOf, type LogHandlerOptions } from './logHandlerContext';

type DeleteTopicsResponse = ApiResponse<typeof ApiKey.DeleteTopics>;
type TopicResult = NonNullable<DeleteTopicsResponse['responses']>[number];

export const DELETE_TOPICS_VERSIONS = { minVersion: 0, maxVersion: 6 } as const;

export function registerDeleteTopics(
  registry: HandlerRegistry,
  options: LogHandlerOptions,
): HandlerRegistry {
  const { log, logger, metrics } = options;

  async function remove(name: string | null, topicId: string): Promise<TopicResult> {
    if (name === null) {
      const byId = topicId === ZERO_UUID ? undefined : log.topicById(topicId);
      if (!byId) {
        return {
          name: null,
          topicId,
          errorCode: ErrorCode.UNKNOWN_TOPIC_ID,
          errorMessage: `No topic has id ${topicId}`,
        };
      }
      name = byId.name;
    }
    if (!options.deleteTopicEnable) {
      return {
        name,
        topicId,
        errorCode: ErrorCode.TOPIC_DELETION_DISABLED,
        errorMessage: 'Topic deletion is disabled (delete.topic.enable=false).',
      };
    }
    try {
      const deleted = await log.deleteTopic(name);
      metrics?.forgetTopic(name);
      options.producers?.forgetTopic(name);
      logger.info('deleted topic', { topic: name });
      return { name, topicId: deleted.id, errorCode: ErrorCode.NONE, errorMessage: null };
    } catch (error) {
      return {
        name,
        topicId,
        errorCode: errorCodeOf(error, logger, `deleting topic ${name} failed`),
        errorMessage: errorMessageOf(error),
      };
    }
  }

  return registry.register(ApiKey.DeleteTopics, {
    ...DELETE_TOPICS_VERSIONS,
    async handle(request, context) {
      const wanted =
        context.apiVersion >= 6
          ? request.topics.map((t) => ({ name: t.name, topicId: t.topicId }))
          : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
      const responses: TopicResult[] = [];
      for (const { name, topicId } of wanted) responses.push(await remove(name, topicId));
      return { throttleTimeMs: 0, responses };
    },
  });
}
