/**
 * Errors of the commit log, as values with Kafka's names and codes (from the project's one
 * table, broker/protocol/errors.ts), so the protocol handlers can answer with them directly
 * and the admin API can send `{name, code, message}` across a process boundary.
 */
import { ErrorCode, kafkaError } from '../protocol/errors';

export type KafkaErrorName = keyof typeof ErrorCode;

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
    this.code = ErrorCode[errorName];
    this.retriable = kafkaError(this.code).retriable;
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
