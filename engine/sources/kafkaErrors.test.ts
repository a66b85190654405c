import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/apiError';
import { kafkaError } from './kafkaErrors';

/** Shapes of what kafkajs throws, as its classes build them. */
function kafkajs(name: string, message: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { name, ...extra });
}
const retriesExceeded = (cause: Error) =>
  kafkajs('KafkaJSNumberOfRetriesExceeded', cause.message, { cause, retryCount: 2 });

describe('kafkaError', () => {
  it('unreachable hosts: refused and unknown names, through kafkajs wrappers', () => {
    const refused = kafkaError(
      retriesExceeded(
        kafkajs('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED 127.0.0.1:1', {
          code: 'ECONNREFUSED',
          broker: '127.0.0.1:1',
        }),
      ),
    );
    expect(refused.toDetail()).toMatchObject({
      code: 'UNAVAILABLE',
      kafkaError: 'CONNECTION_REFUSED',
      message: expect.stringMatching(/cannot reach 127\.0\.0\.1:1: nothing accepts connections/),
    });
    const unknownHost = kafkaError(
      kafkajs('KafkaJSConnectionError', 'getaddrinfo ENOTFOUND nope.invalid', {
        code: 'ENOTFOUND',
        broker: 'nope.invalid:9092',
      }),
    );
    expect(unknownHost.toDetail()).toMatchObject({ kafkaError: 'HOST_NOT_FOUND' });
    expect(unknownHost.message).toMatch(/does not resolve/);
  });

  it('TLS failures say what to do', () => {
    const selfSigned = kafkaError(
      kafkajs('KafkaJSConnectionError', 'self-signed certificate', {
        code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        broker: 'k:9093',
      }),
    );
    expect(selfSigned.toDetail()).toMatchObject({ code: 'UNAVAILABLE', kafkaError: 'TLS_FAILURE' });
    expect(selfSigned.message).toMatch(/CA certificate/);
    const altName = kafkaError(
      kafkajs('KafkaJSConnectionError', "Hostname/IP does not match certificate's altnames", {
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      }),
    );
    expect(altName.message).toMatch(/server name/);
  });

  it('authentication failures are UNAUTHORIZED', () => {
    const error = kafkaError(
      kafkajs('KafkaJSSASLAuthenticationError', 'SASL SCRAM SHA512 authentication failed', {
        broker: 'k:9093',
      }),
      { action: 'connect' },
    );
    expect(error.toDetail()).toMatchObject({
      code: 'UNAUTHORIZED',
      kafkaError: 'SASL_AUTHENTICATION_FAILED',
      message: expect.stringMatching(/^Could not connect: authentication failed at k:9093/),
    });
  });

  it('timeouts hint at TLS when it is off', () => {
    const error = kafkaError(
      kafkajs('KafkaJSConnectionError', 'Connection timeout', { broker: 'k:1' }),
      {
        tls: false,
      },
    );
    expect(error.toDetail()).toMatchObject({ code: 'UNAVAILABLE', kafkaError: 'TIMEOUT' });
    expect(error.message).toMatch(/did not answer in time.*TLS/);
  });

  it('Kafka error codes keep their names and map to the right status', () => {
    const exists = kafkaError(
      kafkajs('KafkaJSProtocolError', 'Topic with this name already exists', {
        type: 'TOPIC_ALREADY_EXISTS',
      }),
    );
    expect(exists.toDetail()).toMatchObject({
      code: 'CONFLICT',
      kafkaError: 'TOPIC_ALREADY_EXISTS',
    });
    const unknown = kafkaError(
      kafkajs('KafkaJSProtocolError', 'This server does not host this topic-partition', {
        type: 'UNKNOWN_TOPIC_OR_PARTITION',
      }),
    );
    expect(unknown.code).toBe('NOT_FOUND');
    const denied = kafkaError(
      kafkajs('KafkaJSProtocolError', 'Not authorized', { type: 'TOPIC_AUTHORIZATION_FAILED' }),
    );
    expect(denied.code).toBe('FORBIDDEN');
    const passthrough = new ApiError('NOT_FOUND', 'x');
    expect(kafkaError(passthrough)).toBe(passthrough);
  });
});
