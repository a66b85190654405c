// Types for the parts of kafkajs's internal record batch encoder that the log's tests use to
// build batches exactly as a real client does. Only what is used here.

declare module 'kafkajs/src/protocol/recordBatch/v0/index.js' {
  interface Encoder {
    buffer: Buffer;
  }
  export function RecordBatch(options: {
    compression?: number;
    firstOffset?: unknown;
    firstTimestamp: number;
    maxTimestamp: number;
    partitionLeaderEpoch?: number;
    lastOffsetDelta: number;
    transactional?: boolean;
    records: unknown[];
  }): Promise<Encoder>;
}

declare module 'kafkajs/src/protocol/recordBatch/record/v0/index.js' {
  export default function Record(options: {
    offsetDelta: number;
    timestampDelta: number;
    key: Buffer | string | null;
    value: Buffer | string | null;
    headers?: Record<string, Buffer | string>;
  }): unknown;
}
