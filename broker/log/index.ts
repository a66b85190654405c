/**
 * broker/log: the commit log of a Logscope broker data directory, in LevelDB. A library with
 * a typed API, used by the broker's protocol handlers and admin API, and by offline readers
 * that open a stopped broker's data directory.
 */
export { CommitLog } from './commitLog';
export type {
  AlterConfigsChange,
  AppendEvent,
  AppendOptions,
  CommitLogOptions,
  CreateTopicOptions,
  LogEvents,
  OpenReport,
  RetentionResult,
  TopicDescription,
} from './commitLog';
export type {
  AppendResult,
  OffsetAndTimestamp,
  OffsetSpec,
  PartitionSummary,
  ReadResult,
  SegmentInfo,
  TailRecovery,
} from './partitionLog';
export type { CommittedOffset, ConsumerGroupStore, TopicPartition } from './consumerGroupStore';
export type { ConfigEntry, ConfigSource, TopicConfig } from './topicConfig';
export { ENFORCED_CONFIGS, ACCEPTED_CONFIGS } from './topicConfig';
export { DataDirError, LogError, isLogError } from './errors';
export type { DataDirProblem, KafkaErrorName } from './errors';
export { DATABASE_OPTIONS, repairCommand, repairLog } from './database';
export { topicIdFromString, topicIdToString } from './topicId';
export { MAX_TOPIC_NAME_LENGTH, validateTopicName } from './topicName';
