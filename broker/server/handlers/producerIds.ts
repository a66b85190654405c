/**
 * InitProducerId: ids for idempotent producers. Transactions are not offered (no
 * AddPartitionsToTxn/EndTxn is advertised), so a transactional id is refused with a message
 * that says so.
 */
import { ErrorCode } from '../../protocol/errors';
import { ApiKey } from '../../protocol/messages/generated/index';
import type { HandlerRegistry } from '../handlerRegistry';
import type { ProducerStates } from '../producers/producerStates';

export function registerInitProducerId(
  registry: HandlerRegistry,
  producers: ProducerStates,
): HandlerRegistry {
  return registry.register(ApiKey.InitProducerId, {
    minVersion: 0,
    maxVersion: 4,
    handle(request) {
      if (request.transactionalId !== null) {
        return {
          throttleTimeMs: 0,
          errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
          producerId: -1n,
          producerEpoch: -1,
        };
      }
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, ...producers.allocateProducerId() };
    },
  });
}
