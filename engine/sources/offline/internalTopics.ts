/**
 * Kafka's internal topics, decoded for display. `__consumer_offsets` records carry a key
 * version (int16) then the key, and a value version then the value, per Kafka's message
 * definitions OffsetCommitKey/Value (key versions 0–1) and GroupMetadataKey/Value (key version
 * 2); a null value is a tombstone (the offset or group was deleted).
 *
 * `__cluster_metadata` (KRaft) records have a frame version, a record type and a record
 * version as unsigned varints before the record body. The record schemas live in Kafka's
 * metadata module, not in ../shared/kafka-spec/messages, so only the header is decoded here
 * and the type named from Kafka's MetadataRecordType list; the body stays raw (base64).
 */
import { Reader } from '../../../broker/protocol/messages/reader';
import { readGroupMetadataKey } from '../../../broker/protocol/messages/generated/GroupMetadataKey';
import { readGroupMetadataValue } from '../../../broker/protocol/messages/generated/GroupMetadataValue';
import { readOffsetCommitKey } from '../../../broker/protocol/messages/generated/OffsetCommitKey';
import { readOffsetCommitValue } from '../../../broker/protocol/messages/generated/OffsetCommitValue';

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
  | {
      kind: 'clusterMetadata';
      frameVersion: number;
      type: number;
      typeName: string;
      version: number;
    }
  | { kind: 'undecodable'; reason: string };

/**
 * Record types of KRaft's __cluster_metadata log, by id (Kafka's MetadataRecordType): the ids
 * this module is sure of; later ones are shown as `unknown (N)` with their number.
 */
const METADATA_RECORD_TYPES: Record<number, string> = {
  0: 'RegisterBrokerRecord',
  1: 'UnregisterBrokerRecord',
  2: 'TopicRecord',
  3: 'PartitionRecord',
  4: 'ConfigRecord',
  5: 'PartitionChangeRecord',
  6: 'AccessControlEntryRecord',
  7: 'RemoveAccessControlEntryRecord',
  8: 'FenceBrokerRecord',
  9: 'UnfenceBrokerRecord',
  10: 'RemoveTopicRecord',
  11: 'DelegationTokenRecord',
  12: 'UserScramCredentialRecord',
  13: 'RemoveUserScramCredentialRecord',
  14: 'FeatureLevelRecord',
  15: 'ClientQuotaRecord',
  16: 'ProducerIdsRecord',
  17: 'BrokerRegistrationChangeRecord',
};

export function decodeInternalRecord(
  topic: string,
  key: Buffer | null,
  value: Buffer | null,
): InternalRecord | null {
  try {
    if (topic === '__consumer_offsets') return consumerOffsets(key, value);
    if (topic === '__cluster_metadata' && value !== null) return clusterMetadata(value);
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

function clusterMetadata(value: Buffer): InternalRecord {
  let at = 0;
  const varint = () => {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = value[at++];
      if (byte === undefined) throw new Error('record header cut short');
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
    }
    throw new Error('varint too long');
  };
  const frameVersion = varint();
  const type = varint();
  const version = varint();
  return {
    kind: 'clusterMetadata',
    frameVersion,
    type,
    typeName: METADATA_RECORD_TYPES[type] ?? `unknown (${type})`,
    version,
  };
}
