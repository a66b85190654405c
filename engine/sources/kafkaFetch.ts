/**
 * Fetch (key 1) sent over kafkajs's own broker connection, but encoded and decoded with the
 * project's codecs (broker/protocol: pure code) instead of kafkajs's.
 *
 * Why: kafkajs decodes every record of a response into objects with string offsets and copied
 * buffers before anyone sees it, which costs more than the read itself when sampling (one
 * record wanted out of a batch) or scanning (a few fields wanted out of every record). Here
 * the response's record bytes stay as they came, and `decodeFetchedRecords` walks them with an
 * allocation-free cursor, building only the records that are asked for; keys and values are
 * views of the response. kafkajs still owns the connection: TLS, SASL, ApiVersions,
 * correlation ids, and pipelining several requests on one socket.
 *
 * Versions: 4 (record batches) up to 11, the newest one with the non-flexible request header
 * kafkajs writes (header v1; v12+ needs header v2).
 */
import { apiCodec } from '../../broker/protocol/messages/generated/index';
import type { PartitionData } from '../../broker/protocol/messages/generated/Fetch';
import { Reader } from '../../broker/protocol/messages/reader';
import { Writer } from '../../broker/protocol/messages/writer';
import { kafkaError as kafkaErrorCode } from '../../broker/protocol/errors';
import type { RecordCursor } from '../../broker/protocol/records/index';
import {
  decodeLegacyMessageSet,
  iterateLogEntries,
  scanRecordBatch,
  TimestampType,
} from '../../broker/protocol/records/index';
import type { RawHeader, RawRecord } from '../browse/record';

const FETCH = 1;
const MIN_VERSION = 4;
const MAX_VERSION = 11;

/** The parts of kafkajs's internal Broker that a raw Fetch uses. */
export interface FetchBroker {
  versions?: Record<number, { minVersion: number; maxVersion: number }> | null;
  connectionPool: {
    send(protocolRequest: {
      request: {
        apiKey: number;
        apiVersion: number;
        apiName: string;
        encode(): Promise<{ buf: Buffer; buffer: Buffer }>;
      };
      response: {
        decode(payload: Buffer): Promise<unknown>;
        parse(data: unknown): Promise<unknown>;
      };
      requestTimeout?: number;
    }): Promise<unknown>;
  };
}

export interface RawFetchPartition {
  partition: number;
  fetchOffset: number;
  partitionMaxBytes: number;
}

export interface RawFetchRequest {
  topic: string;
  partitions: RawFetchPartition[];
  maxBytes: number;
  maxWaitMs: number;
  isolationLevel: number;
}

/** The version to speak with this broker, or null when it has none in 4-11 (then use kafkajs's). */
export function rawFetchVersion(broker: FetchBroker): number | null {
  const range = broker.versions?.[FETCH];
  if (!range) return null;
  const version = Math.min(MAX_VERSION, range.maxVersion);
  return version >= Math.max(MIN_VERSION, range.minVersion) ? version : null;
}

/** A broker's error in a partition of the answer, shaped as kafkajs's so kafkaErrors reads it. */
export class FetchPartitionError extends Error {
  override readonly name = 'KafkaJSProtocolError';
  readonly type: string;
  readonly code: number;
  readonly retriable: boolean;
  constructor(code: number) {
    const entry = kafkaErrorCode(code);
    super(entry.message);
    this.type = entry.name;
    this.code = entry.code;
    this.retriable = entry.retriable;
  }
}

/** Sends one Fetch and returns its partitions as the broker answered them (records undecoded). */
export async function sendRawFetch(
  broker: FetchBroker,
  version: number,
  request: RawFetchRequest,
): Promise<PartitionData[]> {
  const codec = apiCodec(FETCH)!;
  const body = {
    replicaId: -1,
    maxWaitMs: request.maxWaitMs,
    minBytes: 1,
    maxBytes: request.maxBytes,
    isolationLevel: request.isolationLevel,
    sessionId: 0,
    // -1: no fetch session (KIP-227), a full fetch every time.
    sessionEpoch: -1,
    topics: [
      {
        topic: request.topic,
        partitions: request.partitions.map((p) => ({
          partition: p.partition,
          currentLeaderEpoch: -1,
          fetchOffset: BigInt(p.fetchOffset),
          logStartOffset: -1n,
          partitionMaxBytes: p.partitionMaxBytes,
        })),
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  };
  const response = (await broker.connectionPool.send({
    request: {
      apiKey: FETCH,
      apiVersion: version,
      apiName: 'Fetch',
      encode: async () => {
        const w = new Writer(64 + request.partitions.length * 32);
        codec.writeRequest(w, body, version);
        const buffer = w.toBuffer();
        // kafkajs appends `buffer` after the header it writes, checking `buf` is a Buffer.
        return { buf: buffer, buffer };
      },
    },
    response: {
      decode: async (payload: Buffer) => codec.readResponse(new Reader(payload), version),
      parse: async (data: unknown) => data,
    },
  })) as { errorCode: number; responses: { partitions: PartitionData[] }[] };
  if (response.errorCode !== 0) throw new FetchPartitionError(response.errorCode);
  return response.responses.flatMap((t) => t.partitions);
}

/**
 * The records of one partition's answer at or after `fromOffset`, and the offset after the last
 * entry the bytes held whole (control batches included; a batch cut at the byte limit is not).
 * With `wanted`, only records whose offset it accepts are built (the rest are stepped over
 * without allocating). Keys, values and header values are views of `bytes`.
 */
export function decodeFetchedRecords(
  partition: number,
  bytes: Uint8Array | null,
  fromOffset: number,
  wanted?: (offset: number) => boolean,
): { records: RawRecord[]; nextOffset: number } {
  const records: RawRecord[] = [];
  let nextOffset = fromOffset;
  if (!bytes || bytes.length === 0) return { records, nextOffset };
  // CRCs are checked by the walk over entries, once per batch.
  for (const entry of iterateLogEntries(bytes)) {
    if (entry.kind === 'truncated') break;
    if (entry.kind === 'corrupt') {
      throw new Error(
        `partition ${partition}: a corrupt record batch in the fetch response at byte ${entry.position}: ${entry.error.message}`,
      );
    }
    if (entry.kind === 'legacy') {
      for (const record of decodeLegacyMessageSet(entry.bytes, { verifyCrc: false })) {
        const offset = Number(record.offset);
        if (offset + 1 > nextOffset) nextOffset = offset + 1;
        if (offset < fromOffset || (wanted && !wanted(offset))) continue;
        records.push({
          partition,
          offset,
          timestamp: Number(record.timestamp),
          timestampType:
            record.timestampType === TimestampType.LogAppendTime ? 'LogAppendTime' : 'CreateTime',
          key: record.key,
          value: record.value,
          headers: [],
        });
      }
      continue;
    }
    const header = entry.header;
    const baseOffset = Number(header.baseOffset);
    const batchEnd = baseOffset + header.lastOffsetDelta + 1;
    if (batchEnd > nextOffset) nextOffset = batchEnd;
    if (header.isControl || batchEnd <= fromOffset) continue;
    const logAppendTime = header.timestampType === TimestampType.LogAppendTime;
    const baseTimestamp = Number(logAppendTime ? header.maxTimestamp : header.baseTimestamp);
    const timestampType = logAppendTime ? 'LogAppendTime' : 'CreateTime';
    scanRecordBatch(
      entry.bytes,
      (cursor: RecordCursor) => {
        const offset = baseOffset + cursor.offsetDelta;
        if (offset < fromOffset || (wanted && !wanted(offset))) return;
        records.push({
          partition,
          offset,
          timestamp: logAppendTime ? baseTimestamp : baseTimestamp + cursor.timestampDelta,
          timestampType,
          key: cursor.key(),
          value: cursor.value(),
          headers: cursor.headerCount === 0 ? [] : (cursor.headers() as RawHeader[]),
        });
      },
      { verifyCrc: false },
    );
  }
  return { records, nextOffset };
}
