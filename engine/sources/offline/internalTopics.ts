/**
 * Kafka's internal topics, decoded for display. `__consumer_offsets` records carry a key
 * version (int16) then the key, and a value version then the value, per Kafka's message
 * definitions OffsetCommitKey/Value (key versions 0–1) and GroupMetadataKey/Value (key version
 * 2); a null value is a tombstone (the offset or group was deleted).
 *
 * `__cluster_metadata` (KRaft) records are decoded by kraftMetadata.ts, field by field.
 */
import { Reader } from '../../../broker/protocol/messages/reader';
import { readGroupMetadataKey } from '../../../broker/protocol/messages/generated/GroupMetadataKey';
import { readGroupMetadataValue } from '../../../broker/protocol/messages/generated/GroupMetadataValue';
import { readOffsetCommitKey } from '../../../broker/protocol/messages/generated/OffsetCommitKey';
import { readOffsetCommitValue } from '../../../broker/protocol/messages/generated/OffsetCommitValue';
import {
  decodeClusterMetadata,
  holdsSecrets,
  summarizeClusterMetadata,
  type ClusterMetadataRecord,
} from './kraftMetadata';

export type InternalRecord =
  | {
      kind: 'offsetCommit';
      group: string;
      topic: string;
      partition: number;
      /** null for a tombstone. */
      offset: number | null;
      leaderEpoch?: number;
      metadata?: string;
      commitTimestamp?: number;
    }
  | {
      kind: 'groupMetadata';
      group: string;
      /** null for a tombstone. */
      protocolType: string | null;
      generation?: number;
      protocol?: string | null;
      leader?: string | null;
      members?: string[];
    }
  | ClusterMetadataRecord
  | { kind: 'undecodable'; reason: string };

export function decodeInternalRecord(
  topic: string,
  key: Buffer | null,
  value: Buffer | null,
): InternalRecord | null {
  try {
    if (topic === '__consumer_offsets') return consumerOffsets(key, value);
    if (topic === '__cluster_metadata' && value !== null) return decodeClusterMetadata(value);
  } catch (error) {
    return { kind: 'undecodable', reason: (error as Error).message };
  }
  return null;
}

function consumerOffsets(key: Buffer | null, value: Buffer | null): InternalRecord {
  if (key === null || key.length < 2) return { kind: 'undecodable', reason: 'no key' };
  const keyVersion = key.readInt16BE(0);
  const valueReader = value === null ? null : new Reader(value, 2);
  const valueVersion = value === null ? 0 : value.readInt16BE(0);
  if (keyVersion <= 1) {
    const k = readOffsetCommitKey(new Reader(key, 2), keyVersion);
    if (!valueReader) return { kind: 'offsetCommit', ...k, offset: null };
    const v = readOffsetCommitValue(valueReader, valueVersion);
    return {
      kind: 'offsetCommit',
      ...k,
      offset: Number(v.offset),
      leaderEpoch: v.leaderEpoch,
      metadata: v.metadata,
      commitTimestamp: Number(v.commitTimestamp),
    };
  }
  if (keyVersion === 2) {
    const k = readGroupMetadataKey(new Reader(key, 2), keyVersion);
    if (!valueReader) return { kind: 'groupMetadata', group: k.group, protocolType: null };
    const v = readGroupMetadataValue(valueReader, valueVersion);
    return {
      kind: 'groupMetadata',
      group: k.group,
      protocolType: v.protocolType,
      generation: v.generation,
      protocol: v.protocol,
      leader: v.leader,
      members: v.members.map((m) => m.memberId),
    };
  }
  return { kind: 'undecodable', reason: `unknown key version ${keyVersion}` };
}

/** Topics whose records this module decodes. */
export function isDecodedInternalTopic(topic: string): boolean {
  return topic === '__consumer_offsets' || topic === '__cluster_metadata';
}

/** What a message browser shows for an internal topic's record. */
export interface InternalRecordView {
  /** One line for a table cell. */
  summary: string;
  decoded: InternalRecord;
  /** The raw value holds credentials and must not be shown. */
  redacted: boolean;
}

export function internalRecordView(
  topic: string,
  key: Buffer | null,
  value: Buffer | null,
): InternalRecordView | null {
  const decoded = decodeInternalRecord(topic, key, value);
  if (decoded === null) return null;
  const redacted = topic === '__cluster_metadata' && value !== null && holdsSecrets(value);
  return { summary: summarizeInternalRecord(decoded), decoded, redacted };
}

export function summarizeInternalRecord(record: InternalRecord): string {
  switch (record.kind) {
    case 'clusterMetadata':
    case 'undecodable':
      return summarizeClusterMetadata(record);
    case 'offsetCommit':
      return record.offset === null
        ? `OffsetCommit group=${record.group} topic=${record.topic} partition=${record.partition} (tombstone: offset deleted)`
        : `OffsetCommit group=${record.group} topic=${record.topic} partition=${record.partition} offset=${record.offset}`;
    case 'groupMetadata':
      return record.protocolType === null
        ? `GroupMetadata group=${record.group} (tombstone: group deleted)`
        : `GroupMetadata group=${record.group} protocolType=${record.protocolType} generation=${String(record.generation)} members=${String(record.members?.length ?? 0)}`;
  }
}
