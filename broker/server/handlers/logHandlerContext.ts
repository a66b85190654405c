/**
 * What the handlers over the commit log (Metadata, Produce, Fetch, ListOffsets, CreateTopics,
 * DeleteTopics) share: the log, this broker's identity, the settings that change their answers,
 * and the mapping of failures to Kafka error codes.
 */
import { ErrorCode, KafkaProtocolError } from '../../protocol/errors';
import { isLogError, type CommitLog } from '../../log/index';
import type { Logger } from '../logger';
import type { ProducerStates } from '../producers/producerStates';
import type { AppendWaiters } from './appendWaiters';

/** This broker as clients see it: the node of every partition and coordinator. */
export interface BrokerNode {
  nodeId: number;
  /** The advertised host and port (what Metadata tells clients to connect to). */
  host: string;
  port: number;
}

/** What the metrics count; `BrokerMetrics` (broker/admin) implements it. */
export interface TrafficMetrics {
  recordProduce(topic: string, records: number, bytes: number): void;
  recordFetch(topic: string, records: number, bytes: number): void;
  forgetTopic(topic: string): void;
}

export interface LogHandlerOptions {
  log: CommitLog;
  /** Read at request time, so the port can be filled in after listening on port 0. */
  node: BrokerNode;
  /** Kafka's cluster id (22 characters of base64url). */
  clusterId: string;
  /** `auto.create.topics.enable`: Metadata and Produce create unknown topics. */
  autoCreateTopics: boolean;
  /** `delete.topic.enable`. */
  deleteTopicEnable: boolean;
  logger: Logger;
  metrics?: TrafficMetrics;
  /** Where Fetch long polls wait for appends; one is made over `log` when absent. */
  appendWaiters?: AppendWaiters;
  /** Idempotent producers' sequence state; without it, Produce checks no sequences. */
  producers?: ProducerStates;
}

/**
 * The Kafka error code for a failure: the log's and handlers' errors carry theirs; anything
 * else is a broker bug or an environment failure, logged, and answered as the closest code.
 */
export function errorCodeOf(
  error: unknown,
  logger: Logger,
  what: string,
  fallback: number = ErrorCode.UNKNOWN_SERVER_ERROR,
): number {
  if (isLogError(error) || error instanceof KafkaProtocolError) {
    if (error.code === ErrorCode.KAFKA_STORAGE_ERROR) logger.error(what, { error });
    return error.code;
  }
  logger.error(what, { error });
  return fallback;
}

export function errorMessageOf(error: unknown): string | null {
  return error instanceof Error ? error.message : null;
}

/**
 * Makes sure a topic exists, creating it (with `num.partitions`) when auto-creation is on.
 * Returns false when it does not exist and may not be created.
 * @throws the log's error when creating fails (an invalid name, storage)
 */
export async function ensureTopic(options: LogHandlerOptions, topic: string): Promise<boolean> {
  if (options.log.hasTopic(topic)) return true;
  if (!options.autoCreateTopics) return false;
  try {
    await options.log.createTopic(topic);
    options.logger.info('auto-created topic', { topic });
  } catch (error) {
    // Another request created it meanwhile.
    if (!isLogError(error, 'TOPIC_ALREADY_EXISTS')) throw error;
  }
  return true;
}

/** A view of bytes as a Buffer, without copying. */
export const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Records in a stored record batch (magic 2: int32 at byte 57). */
export const recordsInBatch = (batch: Uint8Array): number =>
  batch.length >= 61 ? asBuffer(batch).readInt32BE(57) : 0;

/**
 * Kafka's check of a client's leader epoch (KIP-320): -1 skips it; ours is always 0, since
 * this single broker never changes leaders.
 */
export function leaderEpochError(currentLeaderEpoch: number): number {
  if (currentLeaderEpoch === -1 || currentLeaderEpoch === LEADER_EPOCH) return ErrorCode.NONE;
  return currentLeaderEpoch < LEADER_EPOCH
    ? ErrorCode.FENCED_LEADER_EPOCH
    : ErrorCode.UNKNOWN_LEADER_EPOCH;
}

export const LEADER_EPOCH = 0;
