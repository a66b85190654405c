import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import fc from 'fast-check';
import { ErrorCode } from '../protocol/errors';
import { decodeResponseFrame } from '../protocol/messages/envelope';
import { ApiKey } from '../protocol/messages/generated/index';
import { HandlerRegistry, NO_RESPONSE } from './handlerRegistry';
import { KafkaServer, type KafkaServerOptions } from './kafkaServer';
import { RawClient } from './rawClient';
import type { RequestCompleted } from './connection';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** A promise with its resolver outside, to finish handlers in a chosen order. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const servers: KafkaServer[] = [];
const clients: RawClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface TestBroker {
  server: KafkaServer;
  port: number;
  registry: HandlerRegistry;
  completed: RequestCompleted[];
  /** ListGroups requests wait for `release(correlationId)`; `waiting` lists those started. */
  release(correlationId: number): void;
  waiting: number[];
  produceCalls: number[];
}

/** A broker on 127.0.0.1:0 with stub Metadata, Produce and a ListGroups that waits to be released. */
async function startBroker(options: Partial<KafkaServerOptions> = {}): Promise<TestBroker> {
  const registry = new HandlerRegistry();
  const completed: RequestCompleted[] = [];
  const gates = new Map<number, ReturnType<typeof deferred<void>>>();
  const gate = (id: number) => {
    if (!gates.has(id)) gates.set(id, deferred());
    return gates.get(id)!;
  };
  const produceCalls: number[] = [];
  const waiting: number[] = [];
  let port = 0;
  registry.register(ApiKey.Metadata, {
    minVersion: 0,
    maxVersion: 12,
    handle: (request) => ({
      brokers: [{ nodeId: 0, host: '127.0.0.1', port, rack: null }],
      clusterId: 'test-cluster',
      controllerId: 0,
      topics: (request.topics ?? []).map((t) => ({
        errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        name: t.name,
      })),
    }),
  });
  registry.register(ApiKey.ListGroups, {
    minVersion: 0,
    maxVersion: 5,
    handle: async (_request, context) => {
      waiting.push(context.header.correlationId);
      await gate(context.header.correlationId).promise;
      return {
        errorCode: 0,
        groups: [{ groupId: `group-${context.header.correlationId}`, protocolType: 'consumer' }],
      };
    },
  });
  registry.register(ApiKey.Produce, {
    minVersion: 3,
    maxVersion: 11,
    serial: true,
    handle: (request, context) => {
      produceCalls.push(context.header.correlationId);
      if (request.acks === 0) return NO_RESPONSE;
      return {
        responses: request.topicData.map((topic) => ({
          name: topic.name,
          partitionResponses: topic.partitionData.map((p) => ({ index: p.index, baseOffset: 0n })),
        })),
      };
    },
  });
  const server = new KafkaServer({
    registry,
    port: 0,
    observer: { requestCompleted: (event) => completed.push(event) },
    ...options,
  });
  servers.push(server);
  port = (await server.listen()).port;
  return {
    server,
    port,
    registry,
    completed,
    produceCalls,
    waiting,
    release: (id) => gate(id).resolve(),
  };
}

async function rawClient(port: number): Promise<RawClient> {
  const client = await RawClient.connect(port);
  clients.push(client);
  return client;
}

function kafkajs(port: number, extra: Record<string, unknown> = {}) {
  return new Kafka({
    clientId: 'server-test',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    ...extra,
  });
}

describe('KafkaServer', { timeout: 60_000 }, () => {
  it('listens on 127.0.0.1 by default, on a free port when asked for port 0', async () => {
    const { server, port } = await startBroker();
    expect(server.address.host).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
  });

  it('serves a kafkajs admin: ApiVersions first, then Metadata', async () => {
    const { port, completed } = await startBroker();
    const admin = kafkajs(port).admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.clusterId).toBe('test-cluster');
      expect(cluster.brokers).toEqual([{ nodeId: 0, host: '127.0.0.1', port }]);
      expect(await admin.listTopics()).toEqual([]);
    } finally {
      await admin.disconnect();
    }
    expect(completed[0]!.apiKey).toBe(ApiKey.ApiVersions);
    // kafkajs asks for ApiVersions v2, the highest it knows, and gets it.
    expect(completed[0]!.apiVersion).toBe(2);
    expect(completed.some((e) => e.apiKey === ApiKey.Metadata)).toBe(true);
  });

  it('advertises exactly the registered APIs with their registered ranges', async () => {
    const { port } = await startBroker();
    const client = await rawClient(port);
    for (const version of [0, 1, 2, 3]) {
      const response = await client.request(ApiKey.ApiVersions, version, {
        clientSoftwareName: 'raw-client',
        clientSoftwareVersion: '1.0',
      });
      expect(response.errorCode).toBe(0);
      expect(response.apiKeys).toEqual([
        { apiKey: ApiKey.Produce, minVersion: 3, maxVersion: 11 },
        { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 12 },
        { apiKey: ApiKey.ListGroups, minVersion: 0, maxVersion: 5 },
        { apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 3 },
      ]);
    }
  });

  it('answers ApiVersions at an unsupported version with error 35 and the v0 body, and keeps the connection', async () => {
    const { port } = await startBroker();
    const client = await rawClient(port);
    // v4 is a valid Kafka version we do not advertise; v9 is past anything Kafka defines (its
    // body is garbage to us, and must not be read).
    const v4 = client.frame(ApiKey.ApiVersions, 3, {});
    v4.bytes.writeInt16BE(4, 6);
    const v9 = client.frame(ApiKey.ApiVersions, 3, {});
    v9.bytes.writeInt16BE(9, 6);
    for (const { correlationId, bytes } of [v4, v9]) {
      client.write(bytes);
      const response = await client.nextResponse();
      expect(response.correlationId).toBe(correlationId);
      // Response header v0 and body v0, whatever the version asked for.
      const { body } = decodeResponseFrame(response.frame, ApiKey.ApiVersions, 0);
      expect(body.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
      expect(body.apiKeys).toEqual([{ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 3 }]);
    }
    const metadata = await client.request(ApiKey.Metadata, 9, { topics: [] });
    expect(metadata.clusterId).toBe('test-cluster');
  });

  it('writes responses in request order even when handlers finish in reverse', async () => {
    const broker = await startBroker();
    const client = await rawClient(broker.port);
    const requests = [1, 2, 3].map(() => client.frame(ApiKey.ListGroups, 4, {}));
    const quick = client.frame(ApiKey.Metadata, 1, { topics: [] });
    // One write: the broker sees four pipelined requests at once.
    client.write(Buffer.concat([...requests.map((r) => r.bytes), quick.bytes]));
    await expect.poll(() => broker.completed.length).toBe(1); // Metadata is done first…
    expect(client.arrivals).toEqual([]); // …but waits behind the ListGroups requests.
    for (const { correlationId } of [...requests].reverse()) broker.release(correlationId);
    const order = [];
    for (let i = 0; i < 4; i++) order.push((await client.nextResponse()).correlationId);
    expect(order).toEqual([...requests, quick].map((r) => r.correlationId));
  });

  it('sends nothing for a produce with acks=0, and answers the requests around it in order', async () => {
    const broker = await startBroker();
    const client = await rawClient(broker.port);
    const produce = (acks: number) =>
      client.frame(ApiKey.Produce, 7, {
        acks,
        timeoutMs: 1000,
        topicData: [{ name: 'orders', partitionData: [{ index: 0, records: Buffer.alloc(0) }] }],
      });
    const first = produce(1);
    const silent = produce(0);
    const last = client.frame(ApiKey.Metadata, 4, { topics: [] });
    client.write(Buffer.concat([first.bytes, silent.bytes, last.bytes]));
    expect((await client.nextResponse()).correlationId).toBe(first.correlationId);
    expect((await client.nextResponse()).correlationId).toBe(last.correlationId);
    expect(broker.produceCalls).toEqual([first.correlationId, silent.correlationId]);
    expect(client.arrivals).toEqual([first.correlationId, last.correlationId]);
  });

  it('starts the next serial request when the handler releases the order, and answers in request order', async () => {
    // Produce here: acks=1 releases the order at once, acks=-1 keeps it until it settles.
    const registry = new HandlerRegistry();
    const started: number[] = [];
    const gates = new Map<number, ReturnType<typeof deferred<void>>>();
    const gate = (id: number) => gates.get(id) ?? gates.set(id, deferred<void>()).get(id)!;
    registry.register(ApiKey.Produce, {
      minVersion: 3,
      maxVersion: 11,
      serial: true,
      handle: async (request, context) => {
        started.push(context.header.correlationId);
        if (request.acks === 1) context.releaseSerialOrder();
        await gate(context.header.correlationId).promise;
        return { responses: [] };
      },
    });
    const server = new KafkaServer({ registry, port: 0 });
    servers.push(server);
    const client = await rawClient((await server.listen()).port);
    const produce = (acks: number) =>
      client.frame(ApiKey.Produce, 7, { acks, timeoutMs: 1000, topicData: [] });
    const [released, held, last] = [produce(1), produce(-1), produce(1)];
    client.write(Buffer.concat([released.bytes, held.bytes, last.bytes]));
    // The first released its turn: the second runs while the first still waits…
    await expect.poll(() => started).toEqual([released.correlationId, held.correlationId]);
    gate(released.correlationId).resolve();
    await client.nextResponse();
    // …but the second keeps its turn until it settles: the third has not started.
    expect(started).toEqual([released.correlationId, held.correlationId]);
    gate(last.correlationId).resolve();
    gate(held.correlationId).resolve();
    await expect.poll(() => started.length).toBe(3);
    const order = [(await client.nextResponse()).correlationId];
    order.push((await client.nextResponse()).correlationId);
    expect(order).toEqual([held.correlationId, last.correlationId]);
  });

  describe('closes only the connection that sends', () => {
    const header = (apiKey: number, apiVersion: number) => {
      const bytes = Buffer.alloc(8);
      bytes.writeInt16BE(apiKey, 0);
      bytes.writeInt16BE(apiVersion, 2);
      bytes.writeInt32BE(1, 4);
      return bytes;
    };
    const framed = (body: Buffer) => {
      const size = Buffer.alloc(4);
      size.writeInt32BE(body.length);
      return Buffer.concat([size, body]);
    };
    const cases: [string, Buffer][] = [
      ['a negative frame size', Buffer.from([0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0])],
      ['a frame over socket.request.max.bytes', Buffer.from([0x06, 0x40, 0x00, 0x01])],
      ['an empty frame', framed(Buffer.alloc(0))],
      ['a header that does not parse', framed(Buffer.from([0, 3, 0]))],
      ['an unknown API key', framed(Buffer.concat([header(999, 0), Buffer.from([0xff, 0xff])]))],
      [
        'an API that has no handler',
        framed(Buffer.concat([header(ApiKey.Heartbeat, 0), Buffer.from([0xff, 0xff])])),
      ],
      [
        'an unsupported version',
        framed(Buffer.concat([header(ApiKey.Produce, 2), Buffer.from([0xff, 0xff])])),
      ],
      [
        'a body that does not parse',
        framed(Buffer.concat([header(ApiKey.Metadata, 1), Buffer.from([0xff, 0xff, 0, 1, 0])])),
      ],
    ];
    it.each(cases)('%s', async (_name, bytes) => {
      const { port } = await startBroker({ socketRequestMaxBytes: 100 * 1024 * 1024 });
      const bystander = await rawClient(port);
      const offender = await rawClient(port);
      offender.write(bytes);
      await offender.closed;
      const response = await bystander.request(ApiKey.Metadata, 1, { topics: [] });
      expect(response.brokers).toHaveLength(1);
    });
  });

  it('keeps serving through a stream of random and mutated frames', async () => {
    const { port, server } = await startBroker({ socketRequestMaxBytes: 4096 });
    const bystander = await rawClient(port);
    const template = await rawClient(port);
    const valid = [
      template.frame(ApiKey.ApiVersions, 3, {
        clientSoftwareName: 'a',
        clientSoftwareVersion: 'b',
      }),
      template.frame(ApiKey.Metadata, 12, { topics: [{ name: 'orders' }] }),
      template.frame(ApiKey.Produce, 9, {
        acks: 1,
        topicData: [{ name: 't', partitionData: [{ index: 0, records: Buffer.from([1, 2, 3]) }] }],
      }),
    ].map((f) => f.bytes);
    await template.close();
    const mutated = fc
      .tuple(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      )
      .map(([frame, flips]) => {
        const bytes = Buffer.from(frame);
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        return bytes;
      });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(mutated, fc.uint8Array({ maxLength: 64 })), {
          minLength: 1,
          maxLength: 10,
        }),
        async (chunks) => {
          const client = await RawClient.connect(port);
          for (const chunk of chunks) client.write(chunk);
          // Whatever happened, the broker still answers someone else.
          const response = await bystander.request(ApiKey.Metadata, 1, { topics: [] });
          expect(response.brokers).toHaveLength(1);
          await client.close();
        },
      ),
      { numRuns: 300 },
    );
    await expect.poll(() => server.connectionCount).toBe(1);
  });

  it('keeps serving others while a client sends half a frame and stalls', async () => {
    const { port } = await startBroker();
    const staller = await rawClient(port);
    const { bytes } = staller.frame(ApiKey.Metadata, 1, { topics: [] });
    staller.write(bytes.subarray(0, 6));
    const admin = kafkajs(port).admin();
    await admin.connect();
    expect(await admin.listTopics()).toEqual([]);
    await admin.disconnect();
    // The staller finishes its frame later and gets its answer.
    staller.write(bytes.subarray(6));
    expect((await staller.nextResponse()).correlationId).toBe(1);
  });

  it('closes a connection idle for connections.max.idle.ms', async () => {
    const { port, server } = await startBroker({ connectionsMaxIdleMs: 100 });
    const client = await rawClient(port);
    await client.request(ApiKey.Metadata, 1, { topics: [] });
    await client.closed;
    await expect.poll(() => server.connectionCount).toBe(0);
  });

  it('with authentication required, allows only ApiVersions before the connection authenticates', async () => {
    const { port } = await startBroker({ requireAuthentication: () => true });
    const client = await rawClient(port);
    const versions = await client.request(ApiKey.ApiVersions, 3, {
      clientSoftwareName: 'raw-client',
      clientSoftwareVersion: '1.0',
    });
    expect(versions.errorCode).toBe(0);
    client.write(client.frame(ApiKey.Metadata, 1, { topics: [] }).bytes);
    await client.closed;
  });

  it('serves TLS when given a certificate and key', async () => {
    const { port } = await startBroker({
      tls: { cert: fixture('localhost.cert.pem'), key: fixture('localhost.key.pem') },
    });
    const client = await RawClient.connect(port, '127.0.0.1', {
      ca: fixture('localhost.cert.pem'),
      servername: 'localhost',
    });
    clients.push(client);
    const response = await client.request(ApiKey.Metadata, 2, { topics: [] });
    expect(response.clusterId).toBe('test-cluster');
    const admin = kafkajs(port, {
      ssl: { ca: [fixture('localhost.cert.pem')], servername: 'localhost' },
    }).admin();
    await admin.connect();
    expect(await admin.listTopics()).toEqual([]);
    await admin.disconnect();
  });

  it('on close, closes idle connections and those whose last request was answered, without waiting for the timeout', async () => {
    const broker = await startBroker({ shutdownTimeoutMs: 600_000 });
    const idle = await rawClient(broker.port);
    const busy = await rawClient(broker.port);
    await busy.request(ApiKey.Metadata, 1, { topics: [] });
    const waiting = busy.frame(ApiKey.ListGroups, 4, {});
    busy.write(waiting.bytes);
    await expect.poll(() => broker.waiting).toEqual([waiting.correlationId]);
    const closing = broker.server.close();
    // As librdkafka does: more requests after the broker began to close. They are not
    // answered, but they must be read, or the client's FIN behind them never is.
    busy.write(busy.frame(ApiKey.Metadata, 1, { topics: [] }).bytes);
    idle.write(idle.frame(ApiKey.Metadata, 1, { topics: [] }).bytes);
    broker.release(waiting.correlationId);
    await closing;
    await Promise.all([idle.closed, busy.closed]);
    expect(broker.server.connectionCount).toBe(0);
  });

  it('on close, finishes requests already received, then closes their connections', async () => {
    const broker = await startBroker();
    const client = await rawClient(broker.port);
    const waiting = client.frame(ApiKey.ListGroups, 4, {});
    client.write(waiting.bytes);
    await expect.poll(() => broker.waiting).toEqual([waiting.correlationId]);
    const closing = broker.server.close();
    broker.release(waiting.correlationId);
    const response = await client.nextResponse();
    expect(response.correlationId).toBe(waiting.correlationId);
    await client.closed;
    await closing;
    // No new connections once closed.
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: broker.port });
      socket.once('error', () => resolve(true));
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
    });
    expect(refused).toBe(true);
  });
});
