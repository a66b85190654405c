import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VarintError } from '../varint';
import { DecodeError, Reader } from './reader';
import { UnsupportedVersionError } from './runtime';
import { encodeRequestFrame, readRequestBody, readRequestHeaderOf } from './envelope';
import { ApiKey } from './generated/index';

const require = createRequire(import.meta.url);
const kafkajs = (path: string): unknown => require(`kafkajs/src/protocol/${path}`);
const encodeKafkajsRequest = kafkajs('request') as (args: {
  correlationId: number;
  clientId: string;
  request: unknown;
}) => Promise<{ buffer: Buffer }>;
const kafkajsRequest = (api: string, version: number, args: Record<string, unknown>) =>
  (kafkajs(`requests/${api}/v${version}/request`) as (a: Record<string, unknown>) => unknown)(args);

/** Request frame bodies (size prefix removed) from kafkajs, and flexible ones from our encoders. */
async function capturedFrames(): Promise<Buffer[]> {
  const kafkajsRequests = [
    kafkajsRequest('apiVersions', 2, {}),
    kafkajsRequest('metadata', 6, { topics: ['orders'], allowAutoTopicCreation: true }),
    kafkajsRequest('fetch', 11, {
      replicaId: -1,
      maxWaitTime: 100,
      minBytes: 1,
      maxBytes: 1000,
      topics: [
        { topic: 'orders', partitions: [{ partition: 0, fetchOffset: '5', maxBytes: 100 }] },
      ],
    }),
    kafkajsRequest('joinGroup', 5, {
      groupId: 'g',
      sessionTimeout: 1,
      rebalanceTimeout: 2,
      memberId: '',
      protocolType: 'consumer',
      groupProtocols: [{ name: 'p', metadata: Buffer.from([1, 2]) }],
    }),
    kafkajsRequest('produce', 7, {
      acks: 1,
      timeout: 10,
      topicData: [{ topic: 'orders', partitions: [{ partition: 0, messages: [{ value: 'x' }] }] }],
    }),
  ];
  const frames = await Promise.all(
    kafkajsRequests.map(async (request) => {
      const { buffer } = await encodeKafkajsRequest({ correlationId: 1, clientId: 'c', request });
      return buffer.subarray(4);
    }),
  );
  // Flexible versions (header v2, compact types, tagged fields), which kafkajs does not speak.
  frames.push(
    encodeRequestFrame(ApiKey.Metadata, 12, 2, 'c', { topics: [{ name: 'orders' }] }).subarray(4),
    encodeRequestFrame(ApiKey.Fetch, 17, 3, null, {
      clusterId: 'x',
      replicaState: { replicaId: 1 },
      topics: [
        {
          topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
          partitions: [{ partition: 1, replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAQ' }],
        },
      ],
    }).subarray(4),
    encodeRequestFrame(ApiKey.ApiVersions, 3, 4, 'c', {
      clientSoftwareName: 'a',
      clientSoftwareVersion: 'b',
    }).subarray(4),
  );
  return frames;
}

function decodeRequest(frame: Uint8Array): void {
  const r = new Reader(frame);
  const header = readRequestHeaderOf(r);
  readRequestBody(r, header.requestApiKey, header.requestApiVersion);
}

const expectedFailure = (error: unknown): boolean =>
  error instanceof DecodeError ||
  error instanceof VarintError ||
  error instanceof UnsupportedVersionError;

describe('request decoding on hostile bytes', { timeout: 60_000 }, () => {
  it('decodes the captured frames', async () => {
    for (const frame of await capturedFrames()) decodeRequest(frame);
  });

  it('fails only with decode errors on mutated captured frames', async () => {
    const frames = await capturedFrames();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: frames.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.option(fc.nat()),
        (which, flips, truncateAt) => {
          const frame = Buffer.from(frames[which]!);
          for (const [at, value] of flips) frame[at % frame.length] = value;
          const bytes =
            truncateAt === null ? frame : frame.subarray(0, truncateAt % (frame.length + 1));
          try {
            decodeRequest(bytes);
          } catch (error) {
            if (!expectedFailure(error)) throw error;
          }
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('fails only with decode errors on random bytes after a valid header', () => {
    const keys = Object.values(ApiKey);
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        fc.integer({ min: -1, max: 20 }),
        fc.uint8Array({ maxLength: 200 }),
        (apiKey, apiVersion, body) => {
          const header = Buffer.alloc(10);
          header.writeInt16BE(apiKey, 0);
          header.writeInt16BE(apiVersion, 2);
          header.writeInt32BE(1, 4);
          header.writeInt16BE(-1, 8);
          try {
            decodeRequest(Buffer.concat([header, body]));
          } catch (error) {
            if (!expectedFailure(error)) throw error;
          }
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('rejects an array count larger than the bytes left, before allocating it', () => {
    // Metadata v1: topics array claims 2^31-1 elements in a 10-byte frame.
    const frame = Buffer.from([0, 3, 0, 1, 0, 0, 0, 1, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff]);
    expect(() => decodeRequest(frame)).toThrow(/array of 2147483647 elements/);
  });
});
