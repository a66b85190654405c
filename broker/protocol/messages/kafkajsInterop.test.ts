/**
 * The generated codecs against bytes a real client produces and reads: kafkajs's own request
 * encoders (pure functions, no connection) make the requests we decode, and kafkajs's response
 * decoders read the responses we encode.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Reader } from './reader';
import { Writer } from './writer';
import { encodeResponseFrame, readRequestBody, readRequestHeaderOf } from './envelope';
import { ApiKey, API_CODECS, type ApiMessages } from './generated/index';
import type { Input } from './runtime';

const require = createRequire(import.meta.url);
const kafkajs = (path: string): unknown => require(`kafkajs/src/protocol/${path}`);

interface KafkajsRequest {
  apiKey: number;
  apiVersion: number;
  encode(): Promise<unknown>;
}
type RequestFactory = (args: Record<string, unknown>) => KafkajsRequest;
interface KafkajsResponse {
  decode(bytes: Buffer): Promise<Record<string, unknown>>;
}
const encodeRequest = kafkajs('request') as (args: {
  correlationId: number;
  clientId: string;
  request: KafkajsRequest;
}) => Promise<{ buffer: Buffer }>;

function requestOf(api: string, version: number): RequestFactory {
  return kafkajs(`requests/${api}/v${version}/request`) as RequestFactory;
}
function responseOf(api: string, version: number): KafkajsResponse {
  return kafkajs(`requests/${api}/v${version}/response`) as KafkajsResponse;
}

/** kafkajs's bytes for a request, decoded by our header and body codecs. */
async function decodeKafkajsRequest(request: KafkajsRequest, correlationId = 42) {
  const { buffer } = await encodeRequest({ correlationId, clientId: 'interop-test', request });
  expect(buffer.readInt32BE(0)).toBe(buffer.length - 4);
  const r = new Reader(buffer.subarray(4));
  const header = readRequestHeaderOf(r);
  expect(header).toEqual({
    requestApiKey: request.apiKey,
    requestApiVersion: request.apiVersion,
    correlationId,
    clientId: 'interop-test',
  });
  const body = readRequestBody(r, request.apiKey, request.apiVersion);
  expect(r.remaining).toBe(0);
  return body as Record<string, unknown>;
}

/** Our response body bytes (no header: kafkajs's connection strips it), decoded by kafkajs. */
async function kafkajsDecodes<K extends keyof ApiMessages>(
  apiKey: K,
  api: string,
  version: number,
  body: Input<ApiMessages[K]['response']>,
) {
  const w = new Writer();
  API_CODECS[apiKey].writeResponse(w, body as never, version);
  return responseOf(api, version).decode(w.toBuffer());
}

const { RecordBatch } = kafkajs('recordBatch/v0') as {
  RecordBatch(args: Record<string, unknown>): Promise<{ buffer: Buffer }>;
};
const Record = kafkajs('recordBatch/record/v0') as (args: Record<string, unknown>) => unknown;

async function kafkajsRecordBatch(values: string[]): Promise<Buffer> {
  const now = Date.now();
  const batch = await RecordBatch({
    compression: 0,
    firstTimestamp: now,
    maxTimestamp: now,
    lastOffsetDelta: values.length - 1,
    records: values.map((value, i) =>
      Record({ key: `k${i}`, value, offsetDelta: i, timestampDelta: 0, headers: {} }),
    ),
  });
  return batch.buffer;
}

describe('requests encoded by kafkajs decode with the generated codecs', () => {
  it.each([0, 1, 2])('ApiVersions v%i', async (version) => {
    const body = await decodeKafkajsRequest(requestOf('apiVersions', version)({}));
    expect(body).toEqual({ clientSoftwareName: '', clientSoftwareVersion: '' });
  });

  it.each([0, 1, 2, 3, 4, 5, 6])('Metadata v%i', async (version) => {
    const request = requestOf(
      'metadata',
      version,
    )({
      topics: ['orders', 'payments'],
      allowAutoTopicCreation: false,
    });
    const body = await decodeKafkajsRequest(request);
    expect(body.topics).toEqual([
      { topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'orders' },
      { topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'payments' },
    ]);
    // Versions before 4 have no flag; decoding gives the spec's default (true).
    expect(body.allowAutoTopicCreation).toBe(version >= 4 ? false : true);
  });

  it.each([3, 4, 5, 6, 7])(
    'Produce v%i carries the record batch bytes untouched',
    async (version) => {
      const batch = await kafkajsRecordBatch(['a', 'bb', 'ccc']);
      const request = requestOf(
        'produce',
        version,
      )({
        acks: -1,
        timeout: 30000,
        topicData: [
          {
            topic: 'orders',
            partitions: [
              { partition: 2, messages: [{ key: 'k', value: 'v1' }, { value: 'v2' }] },
              { partition: 5, messages: [{ value: 'v3' }] },
            ],
          },
        ],
      });
      const body = (await decodeKafkajsRequest(request)) as unknown as ApiMessages[0]['request'];
      expect(body.transactionalId).toBeNull();
      expect(body.acks).toBe(-1);
      expect(body.timeoutMs).toBe(30000);
      expect(body.topicData).toHaveLength(1);
      const topic = body.topicData[0]!;
      expect(topic.name).toBe('orders');
      expect(topic.partitionData.map((p) => p.index)).toEqual([2, 5]);
      for (const partition of topic.partitionData) {
        const records = Buffer.from(partition.records!);
        // A magic-2 record batch: batchLength counts the bytes after itself; magic at offset 16.
        expect(records.readInt32BE(8)).toBe(records.length - 12);
        expect(records[16]).toBe(2);
      }
      expect(batch[16]).toBe(2);
    },
  );

  it.each([4, 5, 6, 7, 8, 9, 10, 11])('Fetch v%i', async (version) => {
    const request = requestOf(
      'fetch',
      version,
    )({
      replicaId: -1,
      maxWaitTime: 500,
      minBytes: 1,
      maxBytes: 10485760,
      isolationLevel: 1,
      rackId: 'rack-a',
      topics: [
        {
          topic: 'orders',
          partitions: [
            { partition: 0, fetchOffset: '12345678901', maxBytes: 1048576 },
            { partition: 3, fetchOffset: '0', maxBytes: 65536 },
          ],
        },
      ],
    });
    const body = (await decodeKafkajsRequest(request)) as unknown as ApiMessages[1]['request'];
    expect(body.replicaId).toBe(-1);
    expect(body.maxWaitMs).toBe(500);
    expect(body.minBytes).toBe(1);
    expect(body.maxBytes).toBe(10485760);
    expect(body.isolationLevel).toBe(1);
    expect(body.topics[0]!.topic).toBe('orders');
    expect(
      body.topics[0]!.partitions.map((p) => [p.partition, p.fetchOffset, p.partitionMaxBytes]),
    ).toEqual([
      [0, 12345678901n, 1048576],
      [3, 0n, 65536],
    ]);
    if (version >= 7) {
      expect(body.sessionId).toBe(0);
      expect(body.sessionEpoch).toBe(-1);
      expect(body.forgottenTopicsData).toEqual([]);
    }
    if (version >= 11) expect(body.rackId).toBe('rack-a');
  });

  it.each([0, 1, 2, 3, 4, 5])('JoinGroup v%i', async (version) => {
    const metadata = Buffer.from([0, 1, 0, 0, 0, 1, 0, 6, 111, 114, 100, 101, 114, 115]);
    const request = requestOf(
      'joinGroup',
      version,
    )({
      groupId: 'billing',
      sessionTimeout: 30000,
      rebalanceTimeout: 60000,
      memberId: '',
      groupInstanceId: 'instance-1',
      protocolType: 'consumer',
      groupProtocols: [{ name: 'RoundRobinAssigner', metadata }],
    });
    const body = (await decodeKafkajsRequest(request)) as unknown as ApiMessages[11]['request'];
    expect(body.groupId).toBe('billing');
    expect(body.sessionTimeoutMs).toBe(30000);
    expect(body.rebalanceTimeoutMs).toBe(version >= 1 ? 60000 : -1);
    expect(body.memberId).toBe('');
    expect(body.groupInstanceId).toBe(version >= 5 ? 'instance-1' : null);
    expect(body.protocolType).toBe('consumer');
    expect(body.protocols).toHaveLength(1);
    expect(body.protocols[0]!.name).toBe('RoundRobinAssigner');
    expect(Buffer.from(body.protocols[0]!.metadata)).toEqual(metadata);
  });

  it.each([0, 1, 2, 3])('CreateTopics v%i', async (version) => {
    const request = requestOf(
      'createTopics',
      version,
    )({
      timeout: 5000,
      validateOnly: true,
      topics: [
        {
          topic: 'orders',
          numPartitions: 6,
          replicationFactor: 1,
          configEntries: [{ name: 'retention.ms', value: '86400000' }],
        },
      ],
    });
    const body = (await decodeKafkajsRequest(request)) as unknown as ApiMessages[19]['request'];
    expect(body.timeoutMs).toBe(5000);
    expect(body.validateOnly).toBe(version >= 1);
    expect(body.topics).toEqual([
      {
        name: 'orders',
        numPartitions: 6,
        replicationFactor: 1,
        assignments: [],
        configs: [{ name: 'retention.ms', value: '86400000' }],
      },
    ]);
  });

  it.each([0, 1, 2, 3])('ListOffsets v%i', async (version) => {
    const request = requestOf(
      'listOffsets',
      version,
    )({
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ topic: 'orders', partitions: [{ partition: 1, timestamp: -2 }] }],
    });
    const body = (await decodeKafkajsRequest(request)) as unknown as ApiMessages[2]['request'];
    expect(body.replicaId).toBe(-1);
    expect(body.isolationLevel).toBe(version >= 2 ? 1 : 0);
    expect(body.topics[0]!.name).toBe('orders');
    expect(body.topics[0]!.partitions[0]!.partitionIndex).toBe(1);
    expect(body.topics[0]!.partitions[0]!.timestamp).toBe(-2n);
  });
});

describe('responses encoded by the generated codecs decode with kafkajs', () => {
  it.each([0, 1, 2])('ApiVersions v%i', async (version) => {
    const decoded = await kafkajsDecodes(ApiKey.ApiVersions, 'apiVersions', version, {
      errorCode: 0,
      apiKeys: [
        { apiKey: 0, minVersion: 3, maxVersion: 9 },
        { apiKey: 18, minVersion: 0, maxVersion: 3 },
      ],
      throttleTimeMs: 0,
    });
    expect(decoded.errorCode).toBe(0);
    expect(decoded.apiVersions).toEqual([
      { apiKey: 0, minVersion: 3, maxVersion: 9 },
      { apiKey: 18, minVersion: 0, maxVersion: 3 },
    ]);
  });

  it('an ApiVersions frame always uses response header v0 (no tagged fields)', () => {
    const chunks = encodeResponseFrame(ApiKey.ApiVersions, 3, 7, { errorCode: 35, apiKeys: [] });
    const frame = Buffer.concat(chunks);
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    expect(frame.readInt32BE(4)).toBe(7);
    // v3 body: error code, compact array (0 elements = 1), throttle time, empty tagged fields.
    expect([...frame.subarray(8)]).toEqual([0, 35, 1, 0, 0, 0, 0, 0]);
  });

  it.each([0, 1, 2, 3, 4, 5, 6])('Metadata v%i', async (version) => {
    const decoded = await kafkajsDecodes(ApiKey.Metadata, 'metadata', version, {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 0, host: '127.0.0.1', port: 9092, rack: null }],
      clusterId: 'logscope',
      controllerId: 0,
      topics: [
        {
          errorCode: 0,
          name: 'orders',
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 0,
              leaderId: 0,
              leaderEpoch: 0,
              replicaNodes: [0],
              isrNodes: [0],
            },
          ],
        },
      ],
    });
    expect(decoded.brokers).toEqual([
      expect.objectContaining({ nodeId: 0, host: '127.0.0.1', port: 9092 }),
    ]);
    const topics = decoded.topicMetadata as Record<string, unknown>[];
    expect(topics[0]).toMatchObject({ topicErrorCode: 0, topic: 'orders' });
    expect(topics[0]!.partitionMetadata).toEqual([
      expect.objectContaining({
        partitionErrorCode: 0,
        partitionId: 0,
        leader: 0,
        replicas: [0],
        isr: [0],
      }),
    ]);
    if (version >= 2) expect(decoded.clusterId).toBe('logscope');
  });

  it.each([3, 4, 5, 6, 7])('Produce v%i', async (version) => {
    const decoded = await kafkajsDecodes(ApiKey.Produce, 'produce', version, {
      responses: [
        {
          name: 'orders',
          partitionResponses: [
            { index: 2, errorCode: 0, baseOffset: 100n, logAppendTimeMs: -1n, logStartOffset: 0n },
          ],
        },
      ],
      throttleTimeMs: 0,
    });
    const topics = decoded.topics as { topicName: string; partitions: Record<string, unknown>[] }[];
    expect(topics[0]!.topicName).toBe('orders');
    expect(topics[0]!.partitions[0]).toMatchObject({
      partition: 2,
      errorCode: 0,
      baseOffset: '100',
    });
  });

  it.each([4, 5, 6, 7, 8, 9, 10, 11])(
    'Fetch v%i with a record batch kafkajs made',
    async (version) => {
      const batch = await kafkajsRecordBatch(['first', 'second']);
      const decoded = await kafkajsDecodes(ApiKey.Fetch, 'fetch', version, {
        throttleTimeMs: 0,
        responses: [
          {
            topic: 'orders',
            partitions: [
              {
                partitionIndex: 0,
                errorCode: 0,
                highWatermark: 2n,
                lastStableOffset: 2n,
                logStartOffset: 0n,
                abortedTransactions: [],
                records: batch,
              },
            ],
          },
        ],
      });
      const responses = decoded.responses as {
        topicName: string;
        partitions: Record<string, unknown>[];
      }[];
      expect(responses[0]!.topicName).toBe('orders');
      const partition = responses[0]!.partitions[0]!;
      expect(partition).toMatchObject({ partition: 0, errorCode: 0, highWatermark: '2' });
      const messages = partition.messages as { value: Buffer; offset: string }[];
      expect(messages.map((m) => [m.offset, m.value.toString()])).toEqual([
        ['0', 'first'],
        ['1', 'second'],
      ]);
    },
  );

  it.each([0, 1, 2, 3, 4, 5])('JoinGroup v%i', async (version) => {
    const decoded = await kafkajsDecodes(ApiKey.JoinGroup, 'joinGroup', version, {
      errorCode: 0,
      generationId: 3,
      protocolName: 'RoundRobinAssigner',
      leader: 'member-1',
      memberId: 'member-1',
      members: [{ memberId: 'member-1', groupInstanceId: null, metadata: Buffer.from('meta') }],
    });
    expect(decoded).toMatchObject({
      errorCode: 0,
      generationId: 3,
      groupProtocol: 'RoundRobinAssigner',
      leaderId: 'member-1',
      memberId: 'member-1',
    });
    const members = decoded.members as { memberId: string; memberMetadata: Buffer }[];
    expect(members[0]!.memberId).toBe('member-1');
    expect(members[0]!.memberMetadata.toString()).toBe('meta');
  });

  it.each([0, 1, 2, 3])('CreateTopics v%i', async (version) => {
    const decoded = await kafkajsDecodes(ApiKey.CreateTopics, 'createTopics', version, {
      topics: [{ name: 'orders', errorCode: 36, errorMessage: 'Topic already exists.' }],
    });
    expect(decoded.topicErrors).toEqual([
      expect.objectContaining({ topic: 'orders', errorCode: 36 }),
    ]);
  });
});
