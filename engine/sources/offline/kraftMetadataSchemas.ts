/**
 * The record types of KRaft's `__cluster_metadata` log and their fields, per version, as compact
 * tables that `kraftMetadata.ts` walks. The field layouts follow Kafka's metadata record
 * definitions (apache/kafka `metadata/src/main/resources/common/metadata/*.json`), as of Kafka
 * 3.9 / 4.0: RegisterBrokerRecord v0–3, BrokerRegistrationChangeRecord v0–2, PartitionRecord and
 * PartitionChangeRecord v0–2, and version 0 of every other type. Every version of every type is
 * flexible (compact strings, arrays and bytes; tagged fields at the end of each struct), so the
 * tables need not say so. A version newer than `maxVersion` is not guessed at.
 *
 * Names are the camelCase of Kafka's field names. In these definitions a nullable field is
 * nullable in every version that has it, and a tagged field is tagged in every version that has
 * it, so `nullable` and `tag` need no version ranges of their own.
 */

/** Field types that occur in the metadata records. */
export type ScalarType =
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'int64'
  | 'float64'
  | 'bool'
  | 'uuid'
  | 'string'
  | 'bytes';

export type FieldType = ScalarType | '[]int32' | '[]uuid' | '[]string' | { array: FieldSpec[] };

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** First version with this field; it stays in every later one (no metadata field was removed). */
  since?: number;
  nullable?: boolean;
  /** A tagged field: written in the tagged section, and only when it differs from its default. */
  tag?: number;
  /** Credentials: shown as their length, never their bytes. */
  secret?: boolean;
}

export interface RecordSpec {
  name: string;
  maxVersion: number;
  fields: FieldSpec[];
}

/** A record type Kafka withdrew before any release; named so a dump says what it is. */
export interface WithdrawnRecord {
  name: string;
  withdrawn: true;
}

const f = (name: string, type: FieldType, options: Omit<FieldSpec, 'name' | 'type'> = {}) => ({
  name,
  type,
  ...options,
});

const endpoint = [
  f('name', 'string'),
  f('host', 'string'),
  f('port', 'uint16'),
  f('securityProtocol', 'int16'),
];

const supportedFeature = [
  f('name', 'string'),
  f('minSupportedVersion', 'int16'),
  f('maxSupportedVersion', 'int16'),
];

/** By record type id (the `apiKey` of each definition, Kafka's MetadataRecordType). */
export const METADATA_RECORD_SPECS: Record<number, RecordSpec | WithdrawnRecord> = {
  0: {
    name: 'RegisterBrokerRecord',
    maxVersion: 3,
    fields: [
      f('brokerId', 'int32'),
      f('isMigratingZkBroker', 'bool', { since: 2 }),
      f('incarnationId', 'uuid'),
      f('brokerEpoch', 'int64'),
      f('endPoints', { array: endpoint }),
      f('features', { array: supportedFeature }),
      f('rack', 'string', { nullable: true }),
      f('fenced', 'bool'),
      f('inControlledShutdown', 'bool', { since: 1 }),
      f('logDirs', '[]uuid', { since: 3, tag: 0 }),
    ],
  },
  1: {
    name: 'UnregisterBrokerRecord',
    maxVersion: 0,
    fields: [f('brokerId', 'int32'), f('brokerEpoch', 'int64')],
  },
  2: {
    name: 'TopicRecord',
    maxVersion: 0,
    fields: [f('name', 'string'), f('topicId', 'uuid')],
  },
  3: {
    name: 'PartitionRecord',
    maxVersion: 2,
    fields: [
      f('partitionId', 'int32'),
      f('topicId', 'uuid'),
      f('replicas', '[]int32'),
      f('isr', '[]int32'),
      f('removingReplicas', '[]int32'),
      f('addingReplicas', '[]int32'),
      f('leader', 'int32'),
      f('leaderRecoveryState', 'int8', { tag: 0 }),
      f('leaderEpoch', 'int32'),
      f('partitionEpoch', 'int32'),
      f('directories', '[]uuid', { since: 1 }),
      f('eligibleLeaderReplicas', '[]int32', { since: 2, nullable: true, tag: 1 }),
      f('lastKnownElr', '[]int32', { since: 2, nullable: true, tag: 2 }),
    ],
  },
  4: {
    name: 'ConfigRecord',
    maxVersion: 0,
    fields: [
      f('resourceType', 'int8'),
      f('resourceName', 'string'),
      f('name', 'string'),
      // Kafka's controller already writes sensitive config values (passwords) in their
      // redacted or encrypted form; what is there is shown.
      f('value', 'string', { nullable: true }),
    ],
  },
  5: {
    // Only what changed is written: each tagged field is present when it changed.
    name: 'PartitionChangeRecord',
    maxVersion: 2,
    fields: [
      f('partitionId', 'int32'),
      f('topicId', 'uuid'),
      f('isr', '[]int32', { nullable: true, tag: 0 }),
      f('leader', 'int32', { tag: 1 }),
      f('replicas', '[]int32', { nullable: true, tag: 2 }),
      f('removingReplicas', '[]int32', { nullable: true, tag: 3 }),
      f('addingReplicas', '[]int32', { nullable: true, tag: 4 }),
      f('leaderRecoveryState', 'int8', { tag: 5 }),
      f('eligibleLeaderReplicas', '[]int32', { since: 2, nullable: true, tag: 6 }),
      f('lastKnownElr', '[]int32', { since: 2, nullable: true, tag: 7 }),
      f('directories', '[]uuid', { since: 1, nullable: true, tag: 8 }),
    ],
  },
  6: { name: 'AccessControlRecord', withdrawn: true },
  7: {
    name: 'FenceBrokerRecord',
    maxVersion: 0,
    fields: [f('id', 'int32'), f('epoch', 'int64')],
  },
  8: {
    name: 'UnfenceBrokerRecord',
    maxVersion: 0,
    fields: [f('id', 'int32'), f('epoch', 'int64')],
  },
  9: { name: 'RemoveTopicRecord', maxVersion: 0, fields: [f('topicId', 'uuid')] },
  10: {
    // The token's HMAC is not in the record (brokers derive it from the secret key), so
    // nothing here is a credential.
    name: 'DelegationTokenRecord',
    maxVersion: 0,
    fields: [
      f('owner', 'string'),
      f('requester', 'string'),
      f('renewers', '[]string'),
      f('issueTimestamp', 'int64'),
      f('maxTimestamp', 'int64'),
      f('expirationTimestamp', 'int64'),
      f('tokenId', 'string'),
    ],
  },
  11: {
    // Salt, StoredKey and ServerKey are what a SCRAM server needs to check a password: enough
    // to attack it offline, so a dump or a screen shows their length only.
    name: 'UserScramCredentialRecord',
    maxVersion: 0,
    fields: [
      f('name', 'string'),
      f('mechanism', 'int8'),
      f('salt', 'bytes', { secret: true }),
      f('storedKey', 'bytes', { secret: true }),
      f('serverKey', 'bytes', { secret: true }),
      f('iterations', 'int32'),
    ],
  },
  12: {
    name: 'FeatureLevelRecord',
    maxVersion: 0,
    fields: [f('name', 'string'), f('featureLevel', 'int16')],
  },
  14: {
    name: 'ClientQuotaRecord',
    maxVersion: 0,
    fields: [
      f('entity', {
        array: [f('entityType', 'string'), f('entityName', 'string', { nullable: true })],
      }),
      f('key', 'string'),
      f('value', 'float64'),
      f('remove', 'bool'),
    ],
  },
  15: {
    name: 'ProducerIdsRecord',
    maxVersion: 0,
    fields: [f('brokerId', 'int32'), f('brokerEpoch', 'int64'), f('nextProducerId', 'int64')],
  },
  16: { name: 'RemoveFeatureLevelRecord', maxVersion: 0, fields: [f('name', 'string')] },
  17: {
    name: 'BrokerRegistrationChangeRecord',
    maxVersion: 2,
    fields: [
      f('brokerId', 'int32'),
      f('brokerEpoch', 'int64'),
      f('fenced', 'int8', { tag: 0 }),
      f('inControlledShutdown', 'int8', { since: 1, tag: 1 }),
      f('logDirs', '[]uuid', { since: 2, tag: 2 }),
    ],
  },
  18: {
    name: 'AccessControlEntryRecord',
    maxVersion: 0,
    fields: [
      f('id', 'uuid'),
      f('resourceType', 'int8'),
      f('resourceName', 'string'),
      f('patternType', 'int8'),
      f('principal', 'string'),
      f('host', 'string'),
      f('operation', 'int8'),
      f('permissionType', 'int8'),
    ],
  },
  19: { name: 'RemoveAccessControlEntryRecord', maxVersion: 0, fields: [f('id', 'uuid')] },
  20: { name: 'NoOpRecord', maxVersion: 0, fields: [] },
  21: {
    name: 'ZkMigrationStateRecord',
    maxVersion: 0,
    fields: [f('zkMigrationState', 'int8')],
  },
  22: {
    name: 'RemoveUserScramCredentialRecord',
    maxVersion: 0,
    fields: [f('name', 'string'), f('mechanism', 'int8')],
  },
  23: {
    name: 'BeginTransactionRecord',
    maxVersion: 0,
    fields: [f('name', 'string', { nullable: true, tag: 0 })],
  },
  24: { name: 'EndTransactionRecord', maxVersion: 0, fields: [] },
  25: {
    name: 'AbortTransactionRecord',
    maxVersion: 0,
    fields: [f('reason', 'string', { nullable: true, tag: 0 })],
  },
  26: { name: 'RemoveDelegationTokenRecord', maxVersion: 0, fields: [f('tokenId', 'string')] },
  27: {
    name: 'RegisterControllerRecord',
    maxVersion: 0,
    fields: [
      f('controllerId', 'int32'),
      f('incarnationId', 'uuid'),
      f('zkMigrationReady', 'bool'),
      f('endPoints', { array: endpoint }),
      f('features', { array: supportedFeature }),
    ],
  },
  28: { name: 'ClearElrRecord', maxVersion: 0, fields: [f('topicName', 'string')] },
  29: { name: 'UnregisterControllerRecord', maxVersion: 0, fields: [f('controllerId', 'int32')] },
};
