import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/errors';
import { DUPLICATE_WINDOW, ProducerStates, type ProducerBatch } from './producerStates';

const batch = (baseSequence: number, recordCount = 10, producerEpoch = 0): ProducerBatch => ({
  producerId: 42n,
  producerEpoch,
  baseSequence,
  recordCount,
});

/** Checks and, when the check says so, "appends" at the next offset; returns the offset used. */
function produce(states: ProducerStates, log: { end: number }, b: ProducerBatch): number | string {
  const check = states.check('t', 0, b);
  if (check.kind === 'error')
    return check.errorCode === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER ? 'out-of-order' : 'fenced';
  if (check.kind === 'duplicate') return check.baseOffset;
  const baseOffset = log.end;
  log.end += b.recordCount;
  states.recordAppend('t', 0, b, baseOffset, -1);
  return baseOffset;
}

describe('idempotent producer state', () => {
  it('appends batches in sequence and answers a retried batch with its first offset, without appending again', () => {
    const states = new ProducerStates(() => 1000);
    const log = { end: 0 };
    expect(produce(states, log, batch(0))).toBe(0);
    expect(produce(states, log, batch(10))).toBe(10);
    expect(produce(states, log, batch(0))).toBe(0);
    expect(produce(states, log, batch(10))).toBe(10);
    expect(log.end).toBe(20);
  });

  it('refuses a gap in the sequence', () => {
    const states = new ProducerStates();
    const log = { end: 0 };
    produce(states, log, batch(0));
    expect(produce(states, log, batch(30))).toBe('out-of-order');
    expect(log.end).toBe(10);
  });

  it('remembers only the last five batches for duplicate detection', () => {
    const states = new ProducerStates();
    const log = { end: 0 };
    for (let i = 0; i <= DUPLICATE_WINDOW; i++) produce(states, log, batch(i * 10));
    expect(produce(states, log, batch(10))).toBe(10);
    // The first batch fell out of the window: its retry is now out of order.
    expect(produce(states, log, batch(0))).toBe('out-of-order');
  });

  it('fences an older epoch and restarts sequences with a newer one', () => {
    const states = new ProducerStates();
    const log = { end: 0 };
    produce(states, log, batch(0, 10, 1));
    expect(produce(states, log, batch(10, 10, 0))).toBe('fenced');
    expect(produce(states, log, batch(5, 10, 2))).toBe('out-of-order');
    expect(produce(states, log, batch(0, 10, 2))).toBe(10);
  });

  it('wraps sequences at Int32.MAX_VALUE', () => {
    const states = new ProducerStates();
    const log = { end: 0 };
    produce(states, log, batch(2 ** 31 - 5, 5));
    expect(produce(states, log, batch(0, 5))).toBe(5);
  });

  it('hands out distinct producer ids', () => {
    const states = new ProducerStates(() => 1_700_000_000_000);
    const a = states.allocateProducerId();
    const b = states.allocateProducerId();
    expect(a.producerId).not.toBe(b.producerId);
    expect(a.producerEpoch).toBe(0);
  });
});
