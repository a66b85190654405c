/** An engine API failure with the HTTP status and the `{error}` body it is sent as. */
import type { z } from 'zod';
import type { ApiErrorCode, ApiErrorDetail } from '../api';

const STATUS: Record<ApiErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
  KAFKA_ERROR: 502,
  INTERNAL: 500,
};

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: { field?: string; kafkaError?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: extra.cause });
  }

  get status(): number {
    return STATUS[this.code];
  }

  toDetail(): ApiErrorDetail {
    const detail: ApiErrorDetail = { code: this.code, message: this.message };
    if (this.extra.field !== undefined) detail.field = this.extra.field;
    if (this.extra.kafkaError !== undefined) detail.kafkaError = this.extra.kafkaError;
    return detail;
  }
}

export const notFound = (what: string) => new ApiError('NOT_FOUND', `${what} was not found.`);

/**
 * Validates `value` with `schema`; a failure is VALIDATION_FAILED naming the field at fault as
 * a dotted path under `where` (`body.bootstrapServers.0`, `params.filter`).
 */
export function parseOrFail<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = [where, ...issue.path.map(String)].join('.');
  throw new ApiError('VALIDATION_FAILED', `${field}: ${issue.message}`, { field });
}

/** The `{code, message}` an unexpected failure is reported as across a process boundary. */
export function errorDetail(error: unknown): ApiErrorDetail {
  return error instanceof ApiError
    ? error.toDetail()
    : { code: 'INTERNAL', message: String(error) };
}
