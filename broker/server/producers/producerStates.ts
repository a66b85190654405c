/**
 * Idempotent producers (KIP-98): each producer id and epoch numbers its batches per partition
 * with sequence numbers. The broker appends a batch only if its sequence follows the last one
 * appended; a retry of one of the last five batches is answered with the offset it already has
 * (no second append); a gap is OUT_OF_ORDER_SEQUENCE_NUMBER; an older epoch is fenced.
 *
 * State lives in memory: after a broker restart a producer's next batch starts a fresh
 * sequence, as Kafka does for a producer whose state expired. (Kafka also keeps snapshots on
 * disk; a retry that spans a restart can therefore be appended twice here.)
 */
import { ErrorCode } from '../../protocol/errors';

/** Kafka keeps the metadata of the last five batches per producer and partition. */
export const DUPLICATE_WINDOW = 5;
export const NO_PRODUCER_ID = -1n;

interface BatchMetadata {
  firstSequence: number;
  lastSequence: number;
  baseOffset: number;
  logAppendTime: number;
}

interface ProducerPartitionState {
  epoch: number;
  recent: BatchMetadata[];
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number; logAppendTime: number }
  | { kind: 'error'; errorCode: number; message: string };

export interface ProducerBatch {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  /** lastOffsetDelta + 1: sequences consumed by the batch. */
  recordCount: number;
}

/** Sequences wrap at Int32.MAX_VALUE back to 0. */
const nextSequence = (sequence: number, count: number) => (sequence + count) % 2 ** 31;

export class ProducerStates {
  private readonly states = new Map<string, ProducerPartitionState>();
  private nextProducerId: bigint;

  constructor(now: () => number = Date.now) {
    // Unique across restarts without storing a counter: ids start from the clock, in µs.
    this.nextProducerId = BigInt(now()) * 1000n;
  }

  /** InitProducerId for a producer without a transactional id: a new id, epoch 0. */
  allocateProducerId(): { producerId: bigint; producerEpoch: number } {
    return { producerId: this.nextProducerId++, producerEpoch: 0 };
  }

  /** Decides whether a batch is appended, answered as a duplicate, or refused. */
  check(topic: string, partition: number, batch: ProducerBatch): SequenceCheck {
    if (batch.producerId === NO_PRODUCER_ID) return { kind: 'append' };
    const state = this.states.get(key(topic, partition, batch.producerId));
    if (!state) {
      // A producer we never saw on this partition (or forgot after a restart) starts anywhere.
      return { kind: 'append' };
    }
    if (batch.producerEpoch < state.epoch) {
      return {
        kind: 'error',
        errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
        message: `Producer epoch ${batch.producerEpoch} is older than the current epoch ${state.epoch}.`,
      };
    }
    if (batch.producerEpoch > state.epoch) {
      // A new epoch restarts its sequences at 0.
      return batch.baseSequence === 0
        ? { kind: 'append' }
        : outOfOrder(`A new producer epoch must start at sequence 0, not ${batch.baseSequence}.`);
    }
    const lastSequence = nextSequence(batch.baseSequence, batch.recordCount - 1);
    const duplicate = state.recent.find(
      (b) => b.firstSequence === batch.baseSequence && b.lastSequence === lastSequence,
    );
    if (duplicate)
      return {
        kind: 'duplicate',
        baseOffset: duplicate.baseOffset,
        logAppendTime: duplicate.logAppendTime,
      };
    const expected = nextSequence(state.recent.at(-1)!.lastSequence, 1);
    if (batch.baseSequence !== expected) {
      return outOfOrder(`Expected sequence ${expected} but got ${batch.baseSequence}.`);
    }
    return { kind: 'append' };
  }

  /** Records an appended batch, for the next sequence check and duplicate detection. */
  recordAppend(
    topic: string,
    partition: number,
    batch: ProducerBatch,
    baseOffset: number,
    logAppendTime: number,
  ): void {
    if (batch.producerId === NO_PRODUCER_ID) return;
    const id = key(topic, partition, batch.producerId);
    let state = this.states.get(id);
    if (!state || batch.producerEpoch > state.epoch) {
      state = { epoch: batch.producerEpoch, recent: [] };
      this.states.set(id, state);
    }
    state.recent.push({
      firstSequence: batch.baseSequence,
      lastSequence: nextSequence(batch.baseSequence, batch.recordCount - 1),
      baseOffset,
      logAppendTime,
    });
    if (state.recent.length > DUPLICATE_WINDOW) state.recent.shift();
  }

  /** A deleted topic forgets its producers, so a re-created one starts clean. */
  forgetTopic(topic: string): void {
    const prefix = `${topic}\0`;
    for (const id of this.states.keys()) if (id.startsWith(prefix)) this.states.delete(id);
  }
}

function key(topic: string, partition: number, producerId: bigint): string {
  return `${topic}\0${partition}\0${producerId}`;
}

function outOfOrder(message: string): SequenceCheck {
  return { kind: 'error', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message };
}
