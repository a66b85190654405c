/**
 * SaslHandshake and SaslAuthenticate: with SASL on, a connection gets nothing but ApiVersions
 * and this exchange until it authenticates (the connection layer enforces that through
 * `beforeAuthentication` and `ConnectionState.authenticated`).
 *
 * SaslHandshake v0 (KIP-43) is served too: librdkafka only recognises SASL support when the
 * range includes v0. After a v0 handshake the client sends its tokens as bare frames; the
 * connection hands those to the exchange through `RAW_SASL_TOKENS`.
 */
import { ErrorCode } from '../../protocol/errors';
import { ApiKey } from '../../protocol/messages/generated/index';
import { RAW_SASL_TOKENS, type HandlerRegistry, type RawSaslTokens } from '../handlerRegistry';
import { SASL_MECHANISMS, type SaslMechanism, type SaslUsers } from '../sasl/credentials';
import { startSaslExchange, type SaslExchange } from '../sasl/saslExchange';

const EXCHANGE = Symbol('sasl exchange');
const EMPTY = new Uint8Array(0);

export function registerSaslHandlers(registry: HandlerRegistry, users: SaslUsers): HandlerRegistry {
  registry.register(ApiKey.SaslHandshake, {
    minVersion: 0,
    maxVersion: 1,
    beforeAuthentication: true,
    handle(request, context) {
      const mechanism = SASL_MECHANISMS.find((m) => m === request.mechanism);
      if (!mechanism || context.connection.authenticated) {
        return {
          errorCode: mechanism
            ? ErrorCode.ILLEGAL_SASL_STATE
            : ErrorCode.UNSUPPORTED_SASL_MECHANISM,
          mechanisms: [...SASL_MECHANISMS],
        };
      }
      const exchange = startSaslExchange(mechanism as SaslMechanism, users);
      if (context.apiVersion === 0) {
        const { connection } = context;
        const rawTokens: RawSaslTokens = (token) => {
          const step = exchange.step(token);
          if ('failed' in step) return null;
          if (step.done) {
            connection.attributes.delete(RAW_SASL_TOKENS);
            connection.authenticated = true;
            connection.principal = `User:${step.principal}`;
          }
          return step.response;
        };
        connection.attributes.set(RAW_SASL_TOKENS, rawTokens);
      } else {
        context.connection.attributes.set(EXCHANGE, exchange);
      }
      return { errorCode: ErrorCode.NONE, mechanisms: [...SASL_MECHANISMS] };
    },
  });

  registry.register(ApiKey.SaslAuthenticate, {
    minVersion: 0,
    maxVersion: 2,
    beforeAuthentication: true,
    handle(request, context) {
      const exchange = context.connection.attributes.get(EXCHANGE) as SaslExchange | undefined;
      if (!exchange) {
        return {
          errorCode: ErrorCode.ILLEGAL_SASL_STATE,
          errorMessage: 'SaslAuthenticate before SaslHandshake.',
          authBytes: EMPTY,
          sessionLifetimeMs: 0n,
        };
      }
      const step = exchange.step(Buffer.from(request.authBytes));
      if ('failed' in step) {
        context.connection.attributes.delete(EXCHANGE);
        return {
          errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
          errorMessage: step.message,
          authBytes: EMPTY,
          sessionLifetimeMs: 0n,
        };
      }
      if (step.done) {
        context.connection.attributes.delete(EXCHANGE);
        context.connection.authenticated = true;
        context.connection.principal = `User:${step.principal}`;
      }
      // sessionLifetimeMs 0: no re-authentication required (KIP-368).
      return {
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        authBytes: step.response,
        sessionLifetimeMs: 0n,
      };
    },
  });
  return registry;
}
