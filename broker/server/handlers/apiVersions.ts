/**
 * ApiVersions (key 18): the first request of every client. The answer lists the registered APIs
 * with the version range each registration advertises. Requests at versions outside this
 * handler's own range never reach it: the connection answers them with UNSUPPORTED_VERSION and
 * the v0 body (see connection.ts), as Kafka does, so the client can retry with a version we have.
 */
import { ErrorCode } from '../../protocol/errors';
import { ApiKey } from '../../protocol/messages/generated/index';
import type { HandlerRegistry } from '../handlerRegistry';

/** Kafka 3.x brokers advertise ApiVersions 0-3. */
export const API_VERSIONS_RANGE = { minVersion: 0, maxVersion: 3 } as const;

/** KIP-511: what a client software name or version may look like. */
const CLIENT_SOFTWARE = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

export function registerApiVersions(
  registry: HandlerRegistry,
  range: { minVersion: number; maxVersion: number } = API_VERSIONS_RANGE,
): HandlerRegistry {
  return registry.register(ApiKey.ApiVersions, {
    ...range,
    beforeAuthentication: true,
    handle(request, context) {
      if (context.apiVersion >= 3) {
        const { clientSoftwareName, clientSoftwareVersion } = request;
        if (
          !CLIENT_SOFTWARE.test(clientSoftwareName) ||
          !CLIENT_SOFTWARE.test(clientSoftwareVersion)
        ) {
          return { errorCode: ErrorCode.INVALID_REQUEST, apiKeys: [], throttleTimeMs: 0 };
        }
        context.connection.clientSoftwareName = clientSoftwareName;
        context.connection.clientSoftwareVersion = clientSoftwareVersion;
      }
      return { errorCode: ErrorCode.NONE, apiKeys: registry.advertised(), throttleTimeMs: 0 };
    },
  });
}
