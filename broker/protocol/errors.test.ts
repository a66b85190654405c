import { describe, expect, it } from 'vitest';
import { ErrorCode, KAFKA_ERROR_CODES, KafkaProtocolError, kafkaError } from './errors';

describe('Kafka error code table', () => {
  it('has every code from -1 to 129 exactly once, in order', () => {
    expect(KAFKA_ERROR_CODES.map((e) => e.code)).toEqual(
      Array.from({ length: 131 }, (_, i) => i - 1),
    );
    expect(new Set(KAFKA_ERROR_CODES.map((e) => e.name)).size).toBe(KAFKA_ERROR_CODES.length);
  });

  it('names the codes as Kafka does', () => {
    expect(ErrorCode.NONE).toBe(0);
    expect(ErrorCode.OFFSET_OUT_OF_RANGE).toBe(1);
    expect(ErrorCode.CORRUPT_MESSAGE).toBe(2);
    expect(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).toBe(3);
    expect(ErrorCode.UNSUPPORTED_VERSION).toBe(35);
    expect(ErrorCode.TOPIC_ALREADY_EXISTS).toBe(36);
    expect(ErrorCode.KAFKA_STORAGE_ERROR).toBe(56);
    expect(ErrorCode.MEMBER_ID_REQUIRED).toBe(79);
    expect(ErrorCode.UNKNOWN_TOPIC_ID).toBe(100);
  });

  it("marks as retriable what Kafka's clients retry", () => {
    expect(kafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).retriable).toBe(true);
    expect(kafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER).retriable).toBe(true);
    expect(kafkaError(ErrorCode.KAFKA_STORAGE_ERROR).retriable).toBe(true);
    expect(kafkaError(ErrorCode.REBALANCE_IN_PROGRESS).retriable).toBe(false);
    expect(kafkaError(ErrorCode.UNSUPPORTED_VERSION).retriable).toBe(false);
    expect(kafkaError(ErrorCode.PRODUCER_FENCED).retriable).toBe(false);
  });

  it('reads an unknown code as UNKNOWN_SERVER_ERROR', () => {
    expect(kafkaError(31000).name).toBe('UNKNOWN_SERVER_ERROR');
  });

  it('gives handlers an error that carries the code', () => {
    const error = new KafkaProtocolError(ErrorCode.TOPIC_ALREADY_EXISTS);
    expect(error.code).toBe(36);
    expect(error.retriable).toBe(false);
    expect(error.message).toMatch(/^TOPIC_ALREADY_EXISTS: /);
  });
});
