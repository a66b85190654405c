/**
 * Produce (key 0), versions 3-11 as Kafka 3.x (v3+ carries record batches of magic 2, one per
 * partition). Each partition's batch is appended as the client sent it; `acks` -1 waits for a
 * synced write, 1 for the write, 0 for the write but answers nothing — and, as in Kafka, closes
 * the connection if any partition failed, the only way such a client can notice.
 *
 * Registered `serial`: one connection's produce requests are appended in the order they
 * arrived, as Kafka does, so a pipelining producer's batches keep their order. Batches of
 * idempotent producers (a producer id in the batch header) have their sequence numbers checked
 * (see ProducerStates): a retried batch is answered with the offset it already has, without a
 * second append.
 *
 * The order only needs the appends to be queued in their partitions in arrival order: once a
 * request's batches are queued, the next request may start (`releaseSerialOrder`) while this
 * one waits for its write and, with acks=-1, its sync — so a pipelining producer's requests
 * share syncs (group commit) instead of paying one each, back to back. Requests carrying an
 * idempotent batch keep the whole turn: the next sequence check needs this append recorded.
 */
import { ErrorCode } from '../../protocol/errors';
import { ApiKey, type ApiMessages } from '../../protocol/messages/generated/index';
import {
  CloseConnection,
  NO_RESPONSE,
  type ApiResponse,
  type HandlerRegistry,
} from '../handlerRegistry';
import { NO_PRODUCER_ID, type ProducerBatch } from '../producers/producerStates';
import {
  asBuffer,
  ensureTopic,
  errorCodeOf,
  errorMessageOf,
  recordsInBatch,
  type LogHandlerOptions,
} from './logHandlerContext';

type ProduceRequest = ApiMessages[typeof ApiKey.Produce]['request'];
type ProduceResponse = ApiResponse<typeof ApiKey.Produce>;
type PartitionResponse = NonNullable<
  NonNullable<ProduceResponse['responses']>[number]['partitionResponses']
>[number];

export const PRODUCE_VERSIONS = { minVersion: 3, maxVersion: 11 } as const;

const EMPTY = Buffer.alloc(0);

/** The idempotence fields of a record batch header (magic 2), or null if it has none. */
function producerBatchOf(batch: Buffer): ProducerBatch | null {
  if (batch.length < 61) return null;
  return {
    producerId: batch.readBigInt64BE(43),
    producerEpoch: batch.readInt16BE(51),
    baseSequence: batch.readInt32BE(53),
    recordCount: batch.readInt32BE(23) + 1,
  };
}

export function registerProduce(
  registry: HandlerRegistry,
  options: LogHandlerOptions,
): HandlerRegistry {
  const { log, logger, metrics, producers } = options;

  function failed(
    index: number,
    errorCode: number,
    errorMessage: string | null,
  ): PartitionResponse {
    return {
      index,
      errorCode,
      baseOffset: -1n,
      logAppendTimeMs: -1n,
      logStartOffset: -1n,
      errorMessage,
    };
  }

  async function appendPartition(
    topic: string,
    index: number,
    records: Uint8Array | null,
    durable: boolean,
  ): Promise<PartitionResponse> {
    const batch = records === null ? EMPTY : asBuffer(records);
    const producerBatch = producers ? producerBatchOf(batch) : null;
    if (producers && producerBatch) {
      const check = producers.check(topic, index, producerBatch);
      if (check.kind === 'error') return failed(index, check.errorCode, check.message);
      if (check.kind === 'duplicate') {
        return {
          index,
          errorCode: ErrorCode.NONE,
          baseOffset: BigInt(check.baseOffset),
          logAppendTimeMs: BigInt(check.logAppendTime),
          logStartOffset: BigInt(log.partitionSummary(topic, index).logStartOffset),
        };
      }
    }
    try {
      const result = await log.append(topic, index, batch, { durable });
      if (producers && producerBatch) {
        producers.recordAppend(
          topic,
          index,
          producerBatch,
          result.baseOffset,
          result.logAppendTime,
        );
      }
      metrics?.recordProduce(topic, recordsInBatch(batch), batch.length);
      return {
        index,
        errorCode: ErrorCode.NONE,
        baseOffset: BigInt(result.baseOffset),
        logAppendTimeMs: BigInt(result.logAppendTime),
        logStartOffset: BigInt(result.logStartOffset),
      };
    } catch (error) {
      const code = errorCodeOf(
        error,
        logger,
        `append to ${topic}-${index} failed`,
        ErrorCode.KAFKA_STORAGE_ERROR,
      );
      return failed(index, code, errorMessageOf(error));
    }
  }

  /**
   * Checks the topic (auto-creating it) and queues its partitions' appends; resolves once they
   * are queued, with their responses still to come.
   */
  async function produceTopic(
    topic: ProduceRequest['topicData'][number],
    acks: number,
  ): Promise<{
    name: string;
    partitionResponses: Promise<PartitionResponse>[] | PartitionResponse[];
  }> {
    const { name, partitionData } = topic;
    const refuse = (code: number, message: string | null) => ({
      name,
      partitionResponses: partitionData.map((p) => failed(p.index, code, message)),
    });
    if (acks !== 0 && acks !== 1 && acks !== -1) {
      return refuse(ErrorCode.INVALID_REQUIRED_ACKS, `acks must be 0, 1 or -1, not ${acks}`);
    }
    try {
      if (!(await ensureTopic(options, name))) {
        return refuse(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist`);
      }
    } catch (error) {
      return refuse(
        errorCodeOf(error, logger, `auto-creating ${name} failed`),
        errorMessageOf(error),
      );
    }
    // appendPartition queues its append before its first await: these are queued on return.
    const partitionResponses = partitionData.map((p) =>
      appendPartition(name, p.index, p.records, acks === -1),
    );
    return { name, partitionResponses };
  }

  /** Whether any batch of the request comes from an idempotent producer. */
  function hasIdempotentBatch(request: ProduceRequest): boolean {
    return request.topicData.some((topic) =>
      topic.partitionData.some(
        (p) =>
          p.records !== null && producerBatchOf(asBuffer(p.records))?.producerId !== NO_PRODUCER_ID,
      ),
    );
  }

  return registry.register(ApiKey.Produce, {
    ...PRODUCE_VERSIONS,
    serial: true,
    async handle(request, context) {
      const queued = await Promise.all(
        request.topicData.map((topic) => produceTopic(topic, request.acks)),
      );
      if (!hasIdempotentBatch(request)) context.releaseSerialOrder();
      const responses = await Promise.all(
        queued.map(async ({ name, partitionResponses }) => ({
          name,
          partitionResponses: await Promise.all(partitionResponses),
        })),
      );
      if (request.acks === 0) {
        const failure = responses
          .flatMap((t) => t.partitionResponses.map((p) => ({ topic: t.name, ...p })))
          .find((p) => p.errorCode !== ErrorCode.NONE);
        if (failure) {
          throw new CloseConnection(
            `produce with acks=0 to ${failure.topic}-${failure.index} failed with error ${failure.errorCode}`,
          );
        }
        return NO_RESPONSE;
      }
      return { responses, throttleTimeMs: 0 };
    },
  });
}
