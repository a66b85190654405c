/**
 * Kafka UUIDs (topic ids, directory ids, …) as strings in Kafka's own text form: the 16 bytes in
 * URL-safe base64 without padding, 22 characters — what `kafka-topics.sh --describe` prints as
 * "TopicId" (org.apache.kafka.common.Uuid#toString).
 */
import { randomBytes } from 'node:crypto';

/** The all-zero UUID: "no topic id" in requests and responses. */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** Kafka reserves this id (1) for the metadata topic; it is never given to a user topic. */
export const METADATA_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

const UUID_TEXT = /^[A-Za-z0-9_-]{21}[AQgw]$/;

export function uuidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`a UUID has 16 bytes, not ${bytes.length}`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString('base64url');
}

export function uuidToBytes(uuid: string): Buffer {
  if (!UUID_TEXT.test(uuid)) throw new RangeError(`not a Kafka UUID: ${JSON.stringify(uuid)}`);
  return Buffer.from(uuid, 'base64url');
}

/**
 * A random (version 4) UUID, as Kafka makes topic ids: never the zero or metadata id, and never one
 * whose text starts with "-" (it would read as an option on a command line).
 */
export function randomUuid(): string {
  for (;;) {
    const bytes = randomBytes(16);
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const text = uuidFromBytes(bytes);
    if (text !== ZERO_UUID && text !== METADATA_TOPIC_ID && !text.startsWith('-')) return text;
  }
}

/** The conventional 8-4-4-4-12 hex form, for people and for systems that use it. */
export function uuidToHex(uuid: string): string {
  const hex = uuidToBytes(uuid).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidFromHex(hex: string): string {
  const digits = hex.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(digits)) throw new RangeError(`not a UUID: ${JSON.stringify(hex)}`);
  return uuidFromBytes(Buffer.from(digits, 'hex'));
}
