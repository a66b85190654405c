/**
 * Errors of the commit log, as values with Kafka's names and codes, so the protocol handlers
 * can answer with them directly and the admin API can send `{name, code, message}` across a
 * process boundary.
 *
 * The codes are Kafka's (`org.apache.kafka.common.protocol.Errors`). This is the log's own
 * small subset; when `broker/protocol/errors.ts` (the full table) lands, these constants should
 * come from there.
 */

export const KafkaErrors = {
  OFFSET_OUT_OF_RANGE: { code: 1, retriable: false },
  CORRUPT_MESSAGE: { code: 2, retriable: true },
  UNKNOWN_TOPIC_OR_PARTITION: { code: 3, retriable: true },
  MESSAGE_TOO_LARGE: { code: 10, retriable: false },
  INVALID_TOPIC_EXCEPTION: { code: 17, retriable: false },
  TOPIC_ALREADY_EXISTS: { code: 36, retriable: false },
  INVALID_PARTITIONS: { code: 37, retriable: false },
  INVALID_CONFIG: { code: 40, retriable: false },
  INVALID_REQUEST: { code: 42, retriable: false },
  UNSUPPORTED_FOR_MESSAGE_FORMAT: { code: 43, retriable: false },
  KAFKA_STORAGE_ERROR: { code: 56, retriable: true },
  UNKNOWN_TOPIC_ID: { code: 100, retriable: true },
} as const;

export type KafkaErrorName = keyof typeof KafkaErrors;

/** A failure of a log operation, carrying the Kafka error it maps to. */
export class LogError extends Error {
  override readonly name = 'LogError';
  readonly code: number;
  readonly retriable: boolean;

  constructor(
    readonly errorName: KafkaErrorName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = KafkaErrors[errorName].code;
    this.retriable = KafkaErrors[errorName].retriable;
  }

  /** The shape to send across a process boundary. */
  toJSON(): { name: KafkaErrorName; code: number; message: string } {
    return { name: this.errorName, code: this.code, message: this.message };
  }
}

/** Why a data directory could not be opened. */
export type DataDirProblem = 'locked' | 'corrupt' | 'unreadable' | 'not-a-log';

/**
 * A data directory that cannot be opened. It maps to `KAFKA_STORAGE_ERROR` and its message
 * names the directory and what to do about it.
 */
export class DataDirError extends LogError {
  constructor(
    readonly dir: string,
    readonly problem: DataDirProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('KAFKA_STORAGE_ERROR', message, options);
  }
}

export const isLogError = (error: unknown, name?: KafkaErrorName): error is LogError =>
  error instanceof LogError && (name === undefined || error.errorName === name);

/** Wraps a failure of LevelDB itself (disk full, permission, I/O error). */
export function storageError(what: string, cause: unknown): LogError {
  const detail =
    cause instanceof Error ? (describeLevelError(cause) ?? cause.message) : String(cause);
  return new LogError('KAFKA_STORAGE_ERROR', `${what}: ${detail}`, { cause });
}

/** LevelDB's own message, which classic-level keeps in `cause` for open failures. */
export function describeLevelError(error: Error): string | undefined {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message) return cause.message;
  return error.message || undefined;
}
