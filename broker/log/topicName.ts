/**
 * Kafka's rules for topic names (`org.apache.kafka.common.internals.Topic`): 1 to 249
 * characters of `[a-zA-Z0-9._-]`, neither `.` nor `..`; and two names that differ only by
 * `.` versus `_` collide, because Kafka's metric names cannot tell them apart.
 */
import { LogError } from './errors';

export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Throws `INVALID_TOPIC_EXCEPTION` with Kafka's reason when `name` is not a legal name. */
export function validateTopicName(name: string): void {
  const invalid = (reason: string) =>
    new LogError('INVALID_TOPIC_EXCEPTION', `Topic name "${name}" is illegal: ${reason}`);
  if (name.length === 0) throw invalid("it can't be empty");
  if (name === '.' || name === '..') throw invalid('it cannot be "." or ".."');
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    throw invalid(`it is longer than ${MAX_TOPIC_NAME_LENGTH} characters`);
  }
  if (!LEGAL.test(name)) {
    throw invalid("it contains a character other than ASCII alphanumerics, '.', '_' and '-'");
  }
}

/** The name with `.` read as `_`: two topics with the same one collide. */
export const collisionName = (name: string): string => name.replaceAll('.', '_');
