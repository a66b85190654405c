/**
 * The floor of broker-consume: a minimal Kafka source on loopback that serves one partition's
 * record batches from memory, answering only what kcat -C needs (ApiVersions, Metadata,
 * ListOffsets, Fetch) with the project's own codecs, and Fetch as the broker answers it —
 * whole batches from the one holding the fetch offset, up to the partition's max bytes, sent
 * as they are stored in one gathering write. No log, no handlers, no metrics: what is left is
 * what any Kafka server must do to hand these bytes to kcat, and kcat's own work (process
 * start, librdkafka's fetch loop, decoding and printing every message), so the ratio of kcat
 * against the broker to kcat against this source is the broker's own overhead.
 *
 * Run as its own process (like the broker): `node bench.mjs --loopback-source FILE`, where
 * FILE holds the batches back to back; it prints `loopback source listening on HOST:PORT`.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { FrameDecoder } from '../broker/protocol/frame';
import {
  encodeResponseFrame,
  readRequestBody,
  readRequestHeaderOf,
} from '../broker/protocol/messages/envelope';
import { ApiKey, type ApiMessages } from '../broker/protocol/messages/generated/index';
import { Reader } from '../broker/protocol/messages/reader';
import { FETCH_VERSIONS } from '../broker/server/handlers/fetch';
import { LIST_OFFSETS_VERSIONS } from '../broker/server/handlers/listOffsets';
import { METADATA_VERSIONS } from '../broker/server/handlers/metadata';
import { PRODUCE_VERSIONS } from '../broker/server/handlers/produce';

/**
 * The same version ranges the broker advertises, so that kcat speaks the same versions. (The
 * codecs refuse a field a version lacks: version-dependent fields are set only where they exist.)
 */
const SERVED = [
  // Advertised, never asked for: librdkafka enables magic-2 batches (and Fetch v4+) only when
  // Produce v3+ is advertised too.
  { apiKey: ApiKey.Produce, ...PRODUCE_VERSIONS },
  { apiKey: ApiKey.Fetch, ...FETCH_VERSIONS },
  { apiKey: ApiKey.ListOffsets, ...LIST_OFFSETS_VERSIONS },
  { apiKey: ApiKey.Metadata, ...METADATA_VERSIONS },
  { apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 3 },
];
const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

type Request<K extends keyof ApiMessages> = ApiMessages[K]['request'];

/** Serves `topic` partition 0 from the batches in `file` until the process is stopped. */
export async function serveLoopbackSource(topic: string, file: string): Promise<void> {
  const bytes = readFileSync(file);
  // Start position and base offset of every batch, for the search by fetch offset.
  const starts: number[] = [];
  const baseOffsets: number[] = [];
  for (let at = 0; at < bytes.length; at += bytes.readInt32BE(at + 8) + 12) {
    starts.push(at);
    baseOffsets.push(Number(bytes.readBigInt64BE(at)));
  }
  starts.push(bytes.length);
  const last = starts.length - 2;
  const end = last < 0 ? 0 : baseOffsets[last]! + bytes.readInt32BE(starts[last]! + 23) + 1;

  /** Index of the batch holding `offset` (the last batch whose base offset is ≤ it). */
  const batchAt = (offset: number): number => {
    let low = 0;
    let high = baseOffsets.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (baseOffsets[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  };

  const answer = (apiKey: number, version: number, request: unknown): unknown => {
    switch (apiKey) {
      case ApiKey.ApiVersions:
        return { errorCode: 0, apiKeys: SERVED, throttleTimeMs: 0 };
      case ApiKey.Metadata:
        return {
          throttleTimeMs: 0,
          brokers: [{ nodeId: 0, host: '127.0.0.1', port, rack: null }],
          clusterId: 'loopback-source',
          controllerId: 0,
          topics: [
            {
              errorCode: 0,
              name: topic,
              ...(version >= 10 ? { topicId: TOPIC_ID } : {}),
              isInternal: false,
              partitions: [
                {
                  errorCode: 0,
                  partitionIndex: 0,
                  leaderId: 0,
                  leaderEpoch: version >= 7 ? 0 : -1,
                  replicaNodes: [0],
                  isrNodes: [0],
                  offlineReplicas: [],
                },
              ],
              topicAuthorizedOperations: -2147483648,
            },
          ],
          clusterAuthorizedOperations: -2147483648,
        };
      case ApiKey.ListOffsets: {
        const { topics } = request as Request<typeof ApiKey.ListOffsets>;
        return {
          throttleTimeMs: 0,
          topics: topics.map((t) => ({
            name: t.name,
            partitions: t.partitions.map((p) => {
              const offset = p.timestamp === -2n ? 0n : BigInt(end);
              return version === 0
                ? { partitionIndex: p.partitionIndex, errorCode: 0, oldStyleOffsets: [offset] }
                : {
                    partitionIndex: p.partitionIndex,
                    errorCode: 0,
                    timestamp: -1n,
                    offset,
                    ...(version >= 4 ? { leaderEpoch: 0 } : {}),
                  };
            }),
          })),
        };
      }
      case ApiKey.Fetch: {
        const { topics } = request as Request<typeof ApiKey.Fetch>;
        return {
          throttleTimeMs: 0,
          errorCode: 0,
          sessionId: 0,
          responses: topics.map((t) => ({
            topic: t.topic,
            topicId: t.topicId,
            partitions: t.partitions.map((p) => {
              const records: Buffer[] = [];
              const offset = Number(p.fetchOffset);
              if (offset < end) {
                const from = starts[batchAt(offset)]!;
                // Whole batches up to the partition's max bytes, the first whatever its size.
                let i = batchAt(offset) + 1;
                while (i < baseOffsets.length && starts[i + 1]! - from <= p.partitionMaxBytes) i++;
                records.push(bytes.subarray(from, starts[i]!));
              }
              return {
                partitionIndex: p.partition,
                errorCode: 0,
                highWatermark: BigInt(end),
                lastStableOffset: BigInt(end),
                logStartOffset: 0n,
                abortedTransactions: null,
                records,
              };
            }),
          })),
        };
      }
      default:
        throw new Error(`loopback source: API key ${apiKey} is not served`);
    }
  };

  const serve = (socket: Socket): void => {
    socket.setNoDelay(true);
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const reader = new Reader(frame);
        const header = readRequestHeaderOf(reader);
        const { requestApiKey: apiKey, requestApiVersion: version } = header;
        const body = readRequestBody(reader, apiKey, version);
        const chunks = encodeResponseFrame(
          apiKey,
          version,
          header.correlationId,
          answer(apiKey, version, body),
        );
        socket.cork();
        for (const part of chunks) socket.write(part);
        socket.uncork();
      }
    });
    socket.on('error', () => {});
  };

  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  process.stdout.write(`loopback source listening on 127.0.0.1:${port}\n`);
}
