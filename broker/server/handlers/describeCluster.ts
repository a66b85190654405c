/** DescribeCluster (KIP-700): this broker is the whole cluster and its controller. */
import { ErrorCode } from '../../protocol/errors';
import { ApiKey } from '../../protocol/messages/generated/index';
import type { HandlerRegistry } from '../handlerRegistry';
import type { LogHandlerOptions } from './logHandlerContext';

/** "Not requested", in Kafka's authorized-operations fields. */
const NOT_REQUESTED = -2147483648;

export function registerDescribeCluster(
  registry: HandlerRegistry,
  options: LogHandlerOptions,
): HandlerRegistry {
  return registry.register(ApiKey.DescribeCluster, {
    minVersion: 0,
    maxVersion: 1,
    handle(request, context) {
      // v1 adds the endpoint type: 1 = brokers; this broker has no separate controller endpoint.
      if (context.apiVersion >= 1 && request.endpointType !== 1) {
        return {
          throttleTimeMs: 0,
          errorCode: ErrorCode.UNSUPPORTED_ENDPOINT_TYPE,
          errorMessage: 'Only the broker endpoint type (1) is served.',
          endpointType: request.endpointType,
          clusterId: options.clusterId,
          controllerId: -1,
          brokers: [],
          clusterAuthorizedOperations: NOT_REQUESTED,
        };
      }
      const { node } = options;
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        ...(context.apiVersion >= 1 ? { endpointType: 1 } : {}),
        clusterId: options.clusterId,
        controllerId: node.nodeId,
        brokers: [{ brokerId: node.nodeId, host: node.host, port: node.port, rack: null }],
        clusterAuthorizedOperations: NOT_REQUESTED,
      };
    },
  });
}
