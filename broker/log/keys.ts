/**
 * The LevelDB key layout of a data directory (DESIGN.md, "Storage"). Keys are binary and
 * ordered so that every scan is a range scan:
 *
 *   T name                                   topic (JSON: id, partitions, configs, created)
 *   P topicId partition                      partition state (partitionState.ts)
 *   B topicId partition baseOffset           one record batch, the bytes a client sent
 *   S topicId partition segmentBase          segment metadata (partitionState.ts)
 *   X topicId partition timestamp nextOffset sparse time index (empty value)
 *   G group                                  consumer group metadata (opaque bytes)
 *   O group topic partition                  committed offset (JSON)
 *   V                                        data directory format version (JSON)
 *
 * topicId is the topic's 16-byte UUID, partition a u32, offsets u64 and timestamps i64 with
 * the sign bit flipped (so negative timestamps still sort first), all big-endian. Group and
 * topic names inside `O` keys are length-prefixed (u16) so that one group's keys are a range.
 */

export const Prefix = {
  topic: 0x54, // T
  partition: 0x50, // P
  batch: 0x42, // B
  segment: 0x53, // S
  timeIndex: 0x58, // X
  group: 0x47, // G
  offsetCommit: 0x4f, // O
  version: 0x56, // V
} as const;

export const TOPIC_ID_SIZE = 16;
/** prefix + topicId + partition */
const PARTITION_KEY_SIZE = 1 + TOPIC_ID_SIZE + 4;
const TWO_32 = 2 ** 32;

function writeU64(buffer: Buffer, value: number, at: number): void {
  buffer.writeUInt32BE(Math.floor(value / TWO_32), at);
  buffer.writeUInt32BE(value % TWO_32, at + 4);
}

function readU64(buffer: Buffer, at: number): number {
  return buffer.readUInt32BE(at) * TWO_32 + buffer.readUInt32BE(at + 4);
}

/** i64 with the sign bit flipped, so that byte order is numeric order. */
function writeOrderedI64(buffer: Buffer, value: number, at: number): void {
  const high = Math.floor(value / TWO_32);
  buffer.writeUInt32BE((high + 0x80000000) >>> 0, at);
  buffer.writeUInt32BE(value - high * TWO_32, at + 4);
}

function readOrderedI64(buffer: Buffer, at: number): number {
  const high = buffer.readUInt32BE(at) - 0x80000000;
  return high * TWO_32 + buffer.readUInt32BE(at + 4);
}

function partitionScoped(
  prefix: number,
  topicId: Buffer,
  partition: number,
  extra: number,
): Buffer {
  const key = Buffer.allocUnsafe(PARTITION_KEY_SIZE + extra);
  key[0] = prefix;
  topicId.copy(key, 1);
  key.writeUInt32BE(partition, 1 + TOPIC_ID_SIZE);
  return key;
}

/** The smallest key after every key that starts with `prefix`. */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]!++;
      return end.subarray(0, i + 1);
    }
  }
  throw new Error('a prefix of only 0xff bytes has no end');
}

/** `{gte, lt}` covering every key that starts with `prefix`. */
export function prefixRange(prefix: Buffer): { gte: Buffer; lt: Buffer } {
  return { gte: prefix, lt: prefixEnd(prefix) };
}

export const versionKey = (): Buffer => Buffer.from([Prefix.version]);

export const topicKey = (name: string): Buffer =>
  Buffer.concat([Buffer.from([Prefix.topic]), Buffer.from(name, 'utf8')]);

export const partitionKey = (topicId: Buffer, partition: number): Buffer =>
  partitionScoped(Prefix.partition, topicId, partition, 0);

export function batchKey(topicId: Buffer, partition: number, baseOffset: number): Buffer {
  const key = partitionScoped(Prefix.batch, topicId, partition, 8);
  writeU64(key, baseOffset, PARTITION_KEY_SIZE);
  return key;
}

export function segmentKey(topicId: Buffer, partition: number, baseOffset: number): Buffer {
  const key = partitionScoped(Prefix.segment, topicId, partition, 8);
  writeU64(key, baseOffset, PARTITION_KEY_SIZE);
  return key;
}

export function timeIndexKey(
  topicId: Buffer,
  partition: number,
  timestamp: number,
  nextOffset: number,
): Buffer {
  const key = partitionScoped(Prefix.timeIndex, topicId, partition, 16);
  writeOrderedI64(key, timestamp, PARTITION_KEY_SIZE);
  writeU64(key, nextOffset, PARTITION_KEY_SIZE + 8);
  return key;
}

/** The key prefix of one partition's keys of one kind (`B`, `S` or `X`). */
export const partitionPrefix = (prefix: number, topicId: Buffer, partition: number): Buffer =>
  partitionScoped(prefix, topicId, partition, 0);

/** The key prefix of all of one topic's keys of one kind. */
export const topicPrefix = (prefix: number, topicId: Buffer): Buffer =>
  Buffer.concat([Buffer.from([prefix]), topicId]);

export const offsetOfBatchKey = (key: Buffer): number => readU64(key, PARTITION_KEY_SIZE);
export const offsetOfSegmentKey = offsetOfBatchKey;

export function decodeTimeIndexKey(key: Buffer): { timestamp: number; nextOffset: number } {
  return {
    timestamp: readOrderedI64(key, PARTITION_KEY_SIZE),
    nextOffset: readU64(key, PARTITION_KEY_SIZE + 8),
  };
}

export function decodePartitionKey(key: Buffer): { topicId: Buffer; partition: number } {
  return {
    topicId: Buffer.from(key.subarray(1, 1 + TOPIC_ID_SIZE)),
    partition: key.readUInt32BE(1 + TOPIC_ID_SIZE),
  };
}

export const groupKey = (group: string): Buffer =>
  Buffer.concat([Buffer.from([Prefix.group]), Buffer.from(group, 'utf8')]);

export const groupOfGroupKey = (key: Buffer): string => key.toString('utf8', 1);

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > 0xffff) throw new RangeError(`name longer than 65535 bytes`);
  const out = Buffer.allocUnsafe(2 + bytes.length);
  out.writeUInt16BE(bytes.length, 0);
  bytes.copy(out, 2);
  return out;
}

/** Prefix of every committed offset of `group`. */
export const offsetCommitGroupPrefix = (group: string): Buffer =>
  Buffer.concat([Buffer.from([Prefix.offsetCommit]), lengthPrefixed(group)]);

export function offsetCommitKey(group: string, topic: string, partition: number): Buffer {
  const tail = Buffer.allocUnsafe(4);
  tail.writeUInt32BE(partition, 0);
  return Buffer.concat([offsetCommitGroupPrefix(group), lengthPrefixed(topic), tail]);
}

export function decodeOffsetCommitKey(key: Buffer): {
  group: string;
  topic: string;
  partition: number;
} {
  const groupLength = key.readUInt16BE(1);
  const group = key.toString('utf8', 3, 3 + groupLength);
  const topicAt = 3 + groupLength;
  const topicLength = key.readUInt16BE(topicAt);
  const topic = key.toString('utf8', topicAt + 2, topicAt + 2 + topicLength);
  return { group, topic, partition: key.readUInt32BE(topicAt + 2 + topicLength) };
}
