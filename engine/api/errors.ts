/**
 * The error body every engine API failure returns: `{error: {code, message, field?}}`.
 * `code` is a stable machine name (UPPER_SNAKE); `message` is for a person and says what to do.
 */
import { z } from 'zod';

export const ApiErrorCode = z.enum([
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAVAILABLE',
  'KAFKA_ERROR',
  'INTERNAL',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

export const ApiErrorDetail = z.object({
  code: ApiErrorCode,
  message: z.string(),
  /** The request field at fault, as a dotted path (`body.bootstrapServers.0`). */
  field: z.string().optional(),
  /** The Kafka error name when a broker answered with one (`UNKNOWN_TOPIC_OR_PARTITION`). */
  kafkaError: z.string().optional(),
});
export type ApiErrorDetail = z.infer<typeof ApiErrorDetail>;

export const ApiErrorBody = z.object({ error: ApiErrorDetail });
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
