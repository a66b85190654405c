/**
 * Turns what kafkajs throws into an ApiError a person can act on: the host cannot be reached,
 * TLS failed (and why), authentication failed, the cluster did not answer in time, or the
 * broker answered with a Kafka error (named, e.g. `TOPIC_ALREADY_EXISTS`).
 */
import type { ApiErrorDetail } from '../api';
import { ApiError } from '../http/apiError';

interface Described {
  name?: string;
  message?: string;
  code?: string | number;
  type?: string;
  broker?: string;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown[];
}

/** kafkajs wraps errors (retries exceeded, aggregates): the innermost one says what happened. */
function chain(error: unknown): Described[] {
  const seen: Described[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.length < 20) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.includes(current as Described)) continue;
    const described = current as Described;
    seen.push(described);
    queue.push(described.cause, described.originalError, ...(described.errors ?? []));
  }
  return seen;
}

const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT:
    'the broker presented a self-signed certificate: give its CA certificate in the TLS settings',
  SELF_SIGNED_CERT_IN_CHAIN:
    'the broker’s certificate chain ends in a CA this machine does not trust: give that CA certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'the broker’s certificate is not signed by a trusted CA: give the CA certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'the issuer of the broker’s certificate is not trusted here: give the CA certificate',
  CERT_HAS_EXPIRED: 'the broker’s certificate has expired',
  CERT_NOT_YET_VALID: 'the broker’s certificate is not valid yet (check the clocks)',
  ERR_TLS_CERT_ALTNAME_INVALID:
    'the broker’s certificate does not name the host connected to: set "server name" to a name it holds',
  EPROTO:
    'the TLS handshake failed: is TLS on for this listener, and do both sides share a TLS version?',
  ERR_SSL_WRONG_VERSION_NUMBER:
    'the broker does not speak TLS on this port: turn TLS off, or use its TLS port',
};

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections there (is the broker running, and is the port right?)',
  ENOTFOUND: 'the host name does not resolve (check the spelling)',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS is not answering)',
  EHOSTUNREACH: 'there is no route to the host',
  ENETUNREACH: 'the network is unreachable',
  ECONNRESET: 'the connection was reset (a TLS listener reached without TLS, or a firewall?)',
};

const TLS_MESSAGES: [RegExp, string][] = [
  [/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
  [/self[- ]signed certificate/i, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  [/unable to get local issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  [/certificate has expired/i, 'CERT_HAS_EXPIRED'],
  [/certificate is not yet valid/i, 'CERT_NOT_YET_VALID'],
  [/does not match certificate's altnames|altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID'],
  [/wrong version number/i, 'ERR_SSL_WRONG_VERSION_NUMBER'],
];

function tlsCodeOf(message: string): string | undefined {
  return TLS_MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
}

export interface KafkaErrorContext {
  /** What was being done, e.g. `create topic "orders"`. */
  action?: string;
  /** Where, e.g. `kafka-1:9093`, when the error does not say. */
  servers?: string[];
  tls?: boolean;
}

/** The ApiError for a kafkajs failure. ApiErrors pass through unchanged. */
export function kafkaError(error: unknown, context: KafkaErrorContext = {}): ApiError {
  if (error instanceof ApiError) return error;
  const errors = chain(error);
  const where = (e: Described) => e.broker ?? context.servers?.join(', ') ?? 'the cluster';
  const prefix = context.action ? `Could not ${context.action}: ` : '';

  for (const e of errors) {
    if (e.name === 'KafkaJSSASLAuthenticationError') {
      return new ApiError(
        'UNAUTHORIZED',
        `${prefix}authentication failed at ${where(e)}: check the SASL mechanism, user name and password (${e.message}).`,
        { kafkaError: 'SASL_AUTHENTICATION_FAILED', cause: error },
      );
    }
    if (
      e.type === 'SASL_AUTHENTICATION_FAILED' ||
      e.type === 'ILLEGAL_SASL_STATE' ||
      e.type === 'UNSUPPORTED_SASL_MECHANISM'
    ) {
      return new ApiError(
        'UNAUTHORIZED',
        `${prefix}authentication failed at ${where(e)}: ${e.type === 'UNSUPPORTED_SASL_MECHANISM' ? 'the broker does not offer this SASL mechanism' : 'check the user name and password'}.`,
        { kafkaError: e.type, cause: error },
      );
    }
  }
  for (const e of errors) {
    // kafkajs does not always keep Node's error code: recognise the TLS failures by message too.
    const code = (typeof e.code === 'string' ? e.code : undefined) ?? tlsCodeOf(e.message ?? '');
    const tlsReason =
      (code && TLS_CODES[code]) ??
      (/wrong version number|certificate|SSL routines|handshake/i.test(e.message ?? '')
        ? stripPrefix(e.message)
        : undefined);
    if (tlsReason) {
      return new ApiError('UNAVAILABLE', `${prefix}TLS failed with ${where(e)}: ${tlsReason}.`, {
        kafkaError: 'TLS_FAILURE',
        cause: error,
      });
    }
    if (code && UNREACHABLE[code]) {
      return new ApiError(
        'UNAVAILABLE',
        `${prefix}cannot reach ${where(e)}: ${UNREACHABLE[code]}.`,
        {
          kafkaError:
            code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'HOST_NOT_FOUND' : 'CONNECTION_REFUSED',
          cause: error,
        },
      );
    }
  }
  for (const e of errors) {
    if (/^Broker not connected/.test(e.message ?? '')) {
      // kafkajs's words when the connection opened but the broker never answered its first
      // request (ApiVersions) within the request timeout.
      return new ApiError(
        'UNAVAILABLE',
        `${prefix}${context.servers?.join(', ') ?? 'the cluster'} accepted the connection but did not answer as a Kafka broker in time: is this a Kafka listener, and does it need ${context.tls ? 'SASL' : 'TLS or SASL'}?`,
        { kafkaError: 'TIMEOUT', cause: error },
      );
    }
    if (
      e.name === 'KafkaJSRequestTimeoutError' ||
      e.name === 'KafkaJSTimeout' ||
      (e.name === 'KafkaJSConnectionError' && /timeout/i.test(e.message ?? ''))
    ) {
      const hint = context.tls ? '' : ' If the cluster requires TLS, turn TLS on in its settings.';
      return new ApiError('UNAVAILABLE', `${prefix}${where(e)} did not answer in time.${hint}`, {
        kafkaError: 'TIMEOUT',
        cause: error,
      });
    }
    if (e.name === 'KafkaJSConnectionClosedError' || /Connection closed/i.test(e.message ?? '')) {
      const hint = context.tls
        ? ''
        : ' If the cluster requires TLS or SASL, set them in its settings.';
      return new ApiError('UNAVAILABLE', `${prefix}${where(e)} closed the connection.${hint}`, {
        kafkaError: 'CONNECTION_CLOSED',
        cause: error,
      });
    }
  }
  for (const e of errors) {
    if (typeof e.type === 'string' && e.type !== 'UNKNOWN') return protocolError(e, prefix, error);
  }
  for (const e of errors) {
    if (e.name === 'KafkaJSConnectionError' || e.name === 'KafkaJSBrokerNotFound') {
      return new ApiError(
        'UNAVAILABLE',
        `${prefix}cannot reach ${where(e)}: ${stripPrefix(e.message)}.`,
        {
          kafkaError: 'CONNECTION_ERROR',
          cause: error,
        },
      );
    }
  }
  const first = errors[0];
  return new ApiError('KAFKA_ERROR', `${prefix}${stripPrefix(first?.message ?? String(error))}`, {
    cause: error,
  });
}

const NOT_FOUND = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'UNKNOWN_TOPIC_ID', 'GROUP_ID_NOT_FOUND']);
const CONFLICT = new Set(['TOPIC_ALREADY_EXISTS', 'TOPIC_DELETION_DISABLED', 'NON_EMPTY_GROUP']);
const INVALID = new Set([
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_CONFIG',
  'INVALID_REQUEST',
  'POLICY_VIOLATION',
  'INVALID_RECORD',
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'CORRUPT_MESSAGE',
]);
const FORBIDDEN = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
]);

function protocolError(e: Described, prefix: string, cause: unknown): ApiError {
  const type = e.type!;
  const code = NOT_FOUND.has(type)
    ? 'NOT_FOUND'
    : CONFLICT.has(type)
      ? 'CONFLICT'
      : INVALID.has(type)
        ? 'BAD_REQUEST'
        : FORBIDDEN.has(type)
          ? 'FORBIDDEN'
          : 'KAFKA_ERROR';
  const advice = FORBIDDEN.has(type)
    ? ' The cluster’s ACLs do not allow this user to do that.'
    : '';
  return new ApiError(code, `${prefix}${stripPrefix(e.message)} (${type}).${advice}`, {
    kafkaError: type,
    cause,
  });
}

function stripPrefix(message: string | undefined): string {
  return (message ?? 'unknown error')
    .replace(/^(Connection error|Failed to connect): /, '')
    .replace(/\.$/, '');
}

export function errorDetail(error: unknown, context?: KafkaErrorContext): ApiErrorDetail {
  return kafkaError(error, context).toDetail();
}
