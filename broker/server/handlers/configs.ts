/**
 * DescribeConfigs, AlterConfigs and IncrementalAlterConfigs for topics. Values come from the
 * log (topic's own configs over broker defaults over Kafka's defaults); broker resources are
 * described as read-only static settings, since this broker is configured at start.
 */
import { ErrorCode, KafkaProtocolError } from '../../protocol/errors';
import { ApiKey } from '../../protocol/messages/generated/index';
import type { ConfigEntry } from '../../log/topicConfig';
import type { HandlerRegistry } from '../handlerRegistry';
import { errorCodeOf, errorMessageOf, type LogHandlerOptions } from './logHandlerContext';

/** Kafka's ConfigResource types. */
const RESOURCE_TOPIC = 2;
const RESOURCE_BROKER = 4;

/** DescribeConfigs ConfigSource codes (v1+). */
const SOURCE_CODE = { topic: 1, 'broker-default': 4, default: 5 } as const;

/** DescribeConfigs ConfigType codes (v3+). */
const CONFIG_TYPE: Record<string, number> = {
  'retention.ms': 5,
  'retention.bytes': 5,
  'segment.ms': 5,
  'segment.bytes': 3,
  'max.message.bytes': 3,
  'cleanup.policy': 7,
  'message.timestamp.type': 2,
};

/** IncrementalAlterConfigs operations. */
const OP_SET = 0;
const OP_DELETE = 1;
const OP_APPEND = 2;
const OP_SUBTRACT = 3;

export function registerConfigHandlers(
  registry: HandlerRegistry,
  options: LogHandlerOptions,
): HandlerRegistry {
  const { log, logger } = options;

  registry.register(ApiKey.DescribeConfigs, {
    minVersion: 0,
    maxVersion: 4,
    handle(request, context) {
      const v = context.apiVersion;
      const entry = (config: ConfigEntry) => ({
        name: config.name,
        value: config.value,
        readOnly: false,
        isSensitive: false,
        ...(v === 0
          ? { isDefault: config.source !== 'topic' }
          : { configSource: SOURCE_CODE[config.source] }),
        ...(v >= 1 && request.includeSynonyms
          ? {
              synonyms: [
                { name: config.name, value: config.value, source: SOURCE_CODE[config.source] },
              ],
            }
          : {}),
        ...(v >= 3
          ? {
              configType: CONFIG_TYPE[config.name] ?? 2,
              documentation: request.includeDocumentation ? (config.doc ?? null) : null,
            }
          : {}),
      });
      const results = request.resources.map((resource) => {
        const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
        if (resource.resourceType === RESOURCE_BROKER) {
          return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs: [] };
        }
        if (resource.resourceType !== RESOURCE_TOPIC) {
          return {
            ...base,
            errorCode: ErrorCode.INVALID_REQUEST,
            errorMessage: 'Only topic and broker configs exist here.',
            configs: [],
          };
        }
        if (!log.hasTopic(resource.resourceName)) {
          return {
            ...base,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: `Topic ${resource.resourceName} does not exist.`,
            configs: [],
          };
        }
        const keys = resource.configurationKeys;
        const configs = log
          .describeConfigs(resource.resourceName)
          .filter((c) => keys === null || keys.length === 0 || keys.includes(c.name))
          .map(entry);
        return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
      });
      return { throttleTimeMs: 0, results };
    },
  });

  async function alter(
    resource: { resourceType: number; resourceName: string },
    change: () => Promise<unknown>,
  ): Promise<{
    errorCode: number;
    errorMessage: string | null;
    resourceType: number;
    resourceName: string;
  }> {
    const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
    if (resource.resourceType !== RESOURCE_TOPIC) {
      return {
        ...base,
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage:
          'Broker settings are fixed at start (--config); only topic configs can change.',
      };
    }
    try {
      await change();
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: null };
    } catch (error) {
      return {
        ...base,
        errorCode: errorCodeOf(error, logger, 'altering configs'),
        errorMessage: errorMessageOf(error),
      };
    }
  }

  // AlterConfigs replaces the topic's whole config set, as Kafka's (deprecated) API does.
  registry.register(ApiKey.AlterConfigs, {
    minVersion: 0,
    maxVersion: 2,
    async handle(request) {
      const responses = [];
      for (const resource of request.resources) {
        responses.push(
          await alter(resource, () =>
            log.alterConfigs(resource.resourceName, {
              set: Object.fromEntries(
                resource.configs.filter((c) => c.value !== null).map((c) => [c.name, c.value!]),
              ),
              replace: true,
              validateOnly: request.validateOnly,
            }),
          ),
        );
      }
      return { throttleTimeMs: 0, responses };
    },
  });

  registry.register(ApiKey.IncrementalAlterConfigs, {
    minVersion: 0,
    maxVersion: 1,
    async handle(request) {
      const responses = [];
      for (const resource of request.resources) {
        responses.push(
          await alter(resource, async () => {
            const set: Record<string, string> = {};
            const remove: string[] = [];
            const current = new Map(
              log.describeConfigs(resource.resourceName).map((c) => [c.name, c.value]),
            );
            for (const config of resource.configs) {
              const list = () =>
                (current.get(config.name) ?? '').split(',').filter((item) => item !== '');
              const items = (config.value ?? '').split(',').filter((item) => item !== '');
              switch (config.configOperation) {
                case OP_SET:
                  set[config.name] = config.value ?? '';
                  break;
                case OP_DELETE:
                  remove.push(config.name);
                  break;
                case OP_APPEND:
                  set[config.name] = [...new Set([...list(), ...items])].join(',');
                  break;
                case OP_SUBTRACT:
                  set[config.name] = list()
                    .filter((item) => !items.includes(item))
                    .join(',');
                  break;
                default:
                  throw new KafkaProtocolError(
                    ErrorCode.INVALID_REQUEST,
                    `Unknown config operation ${config.configOperation}.`,
                  );
              }
            }
            return log.alterConfigs(resource.resourceName, {
              set,
              delete: remove,
              validateOnly: request.validateOnly,
            });
          }),
        );
      }
      return { throttleTimeMs: 0, responses };
    },
  });

  return registry;
}
