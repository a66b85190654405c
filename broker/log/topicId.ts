/**
 * Topic ids: random UUIDs, shown the way Kafka (≥ 2.8) shows them — 22 characters of
 * URL-safe base64 without padding (`Uuid.toString()`). Kafka never hands out the all-zero
 * UUID, the metadata topic's id (…01), or an id whose text starts with '-' (it would read
 * as a command-line flag), so neither does this.
 */
import { randomBytes } from 'node:crypto';
import { TOPIC_ID_SIZE } from './keys';

export function newTopicId(): Buffer {
  for (;;) {
    const id = randomBytes(TOPIC_ID_SIZE);
    id[6] = (id[6]! & 0x0f) | 0x40; // version 4
    id[8] = (id[8]! & 0x3f) | 0x80; // variant 1
    if (!topicIdToString(id).startsWith('-')) return id;
  }
}

export const topicIdToString = (id: Buffer): string => id.toString('base64url');

/** The 16 bytes of a topic id given as Kafka's base64 text, or undefined if it is not one. */
export function topicIdFromString(text: string): Buffer | undefined {
  const id = Buffer.from(text, 'base64url');
  return id.length === TOPIC_ID_SIZE && topicIdToString(id) === text ? id : undefined;
}
