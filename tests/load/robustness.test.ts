/**
 * `logscope-broker` as a real process under hostile and careless clients, over loopback:
 * oversized frames, malformed frames, half-sent frames, a thousand idle connections, and a
 * fuzz of 100,000 random and mutated frames. After each, other connections keep being served.
 */
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../broker/protocol/messages/generated/index';
import * as captured from '../../broker/protocol/records/fixtures/kcatCaptured';
import { FrameDecoder } from '../../broker/protocol/frame';
import { RawClient } from '../../broker/server/rawClient';
import { startBroker, type RunningBroker } from '../support/broker';

let broker: RunningBroker;

beforeAll(async () => {
  broker = await startBroker(['--auto-create-topics']);
});
afterAll(async () => {
  if (broker) expect(await broker.process.stop()).toBe(0);
});

/** The broker process's resident set, from its own Prometheus metrics. */
async function brokerRss(): Promise<number> {
  const text = await (await fetch(`${broker.adminUrl}/metrics`)).text();
  // prom-client's default metrics, under the broker's prefix.
  const line = text.split('\n').find((l) => /^\w*_resident_memory_bytes /.test(l));
  if (!line) throw new Error('no resident memory metric');
  return Number(line.split(' ')[1]);
}

/** A Metadata round trip on a fresh connection: the broker still serves. */
async function stillServes(): Promise<void> {
  const client = await RawClient.connect(broker.port, broker.host);
  const response = await client.request(ApiKey.Metadata, 1, { topics: [] });
  expect(response.brokers).toHaveLength(1);
  await client.close();
}

function rawSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: broker.host, port: broker.port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

const closed = (socket: Socket) =>
  new Promise<void>((resolve) => {
    if (socket.destroyed) resolve();
    socket.on('error', () => {});
    socket.once('close', () => resolve());
  });

describe('robustness', () => {
  it('closes a connection whose frame is over socket.request.max.bytes before reading it, and memory stays put', async () => {
    const before = await brokerRss();
    const bystander = await RawClient.connect(broker.port, broker.host);
    // Declares 2 GiB - 1 (over the 100 MiB default) and sends 64 KiB of it: the broker must
    // close on the size prefix alone, never allocate the frame.
    const offender = await rawSocket();
    const size = Buffer.alloc(4);
    size.writeInt32BE(0x7fffffff);
    offender.write(Buffer.concat([size, Buffer.alloc(64 * 1024)]));
    await closed(offender);
    const response = await bystander.request(ApiKey.Metadata, 1, { topics: [] });
    expect(response.brokers).toHaveLength(1);
    await bystander.close();
    // 2 GiB would show; 64 MiB is far above the noise of a few requests, far below the frame.
    expect((await brokerRss()) - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('closes only the connection that sends a malformed frame', async () => {
    const bystander = await RawClient.connect(broker.port, broker.host);
    const offender = await RawClient.connect(broker.port, broker.host);
    const body = Buffer.from([0, 3, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x01]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);
    offender.write(Buffer.concat([size, body]));
    await offender.closed;
    expect((await bystander.request(ApiKey.Metadata, 1, { topics: [] })).brokers).toHaveLength(1);
    expect(bystander.socket.destroyed).toBe(false);
    await bystander.close();
  });

  it('serves others while a client stalls halfway through a frame', async () => {
    const staller = await RawClient.connect(broker.port, broker.host);
    const { bytes } = staller.frame(ApiKey.Metadata, 1, { topics: [] });
    staller.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
    const others = await Promise.all(
      Array.from({ length: 5 }, () => RawClient.connect(broker.port, broker.host)),
    );
    for (const client of others) {
      for (let i = 0; i < 10; i++)
        expect((await client.request(ApiKey.Metadata, 1, { topics: [] })).brokers).toHaveLength(1);
      await client.close();
    }
    // The staller finishes its frame and gets its answer: it was only waiting on itself.
    staller.write(bytes.subarray(Math.floor(bytes.length / 2)));
    expect((await staller.nextResponse()).correlationId).toBe(1);
    await staller.close();
  });

  it('keeps serving with 1,000 idle connections open', async () => {
    const idle: Socket[] = [];
    try {
      for (let i = 0; i < 1000; i += 100)
        idle.push(...(await Promise.all(Array.from({ length: 100 }, rawSocket))));
      const client = await RawClient.connect(broker.port, broker.host);
      for (let i = 0; i < 20; i++)
        expect((await client.request(ApiKey.Metadata, 1, { topics: [] })).brokers).toHaveLength(1);
      await client.close();
      // None of them was closed on the broker's side.
      expect(idle.filter((s) => s.destroyed || s.readableEnded)).toEqual([]);
    } finally {
      await Promise.all(
        idle.map((s) => {
          const done = closed(s);
          s.destroy();
          return done;
        }),
      );
    }
    await stillServes();
  });

  it('survives 100,000 random and mutated frames and its memory stays flat', async () => {
    const template = await RawClient.connect(broker.port, broker.host);
    const records = Object.values(captured).map((text) => Buffer.from(text, 'base64'));
    const valid = [
      template.frame(ApiKey.ApiVersions, 3, {
        clientSoftwareName: 'a',
        clientSoftwareVersion: 'b',
      }),
      template.frame(ApiKey.Metadata, 12, { topics: [{ name: 'fuzz' }] }),
      template.frame(ApiKey.ListOffsets, 1, {
        replicaId: -1,
        topics: [{ name: 'fuzz', partitions: [{ partitionIndex: 0, timestamp: -1n }] }],
      }),
      template.frame(ApiKey.Fetch, 4, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        topics: [
          {
            topic: 'fuzz',
            partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }],
          },
        ],
      }),
      template.frame(ApiKey.FindCoordinator, 1, { key: 'g', keyType: 0 }),
      ...records.map((batch) =>
        template.frame(ApiKey.Produce, 7, {
          acks: 1,
          timeoutMs: 1000,
          topicData: [{ name: 'fuzz', partitionData: [{ index: 0, records: batch }] }],
        }),
      ),
    ].map((f) => f.bytes);
    await template.close();

    const mutated = fc
      .tuple(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      )
      .map(([frame, flips]) => {
        const bytes = Buffer.from(frame);
        // Mutations past the size prefix: a changed prefix only makes the broker wait for
        // bytes that never come, which the stalled-client test covers.
        for (const [at, value] of flips) bytes[4 + (at % (bytes.length - 4))] = value;
        return bytes;
      });
    const random = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => {
      const size = Buffer.alloc(4);
      size.writeInt32BE(b.length);
      return Buffer.concat([size, b]);
    });
    const frame = fc.oneof({ arbitrary: mutated, weight: 3 }, { arbitrary: random, weight: 1 });

    // Each fuzz frame is followed by a valid probe (ApiVersions v0, its own correlation id):
    // the probe's answer — responses leave in request order — or the connection closing
    // says the broker has dealt with the fuzz frame, so every frame is read by the broker,
    // none lost behind an earlier one that closed the connection. A closed connection is
    // replaced. WORKERS connections run at once.
    const PROBE_ID = 0x7ffffff0;
    const probe = Buffer.from([0, 0, 0, 12, 0, 18, 0, 0, 0x7f, 0xff, 0xff, 0xf0, 0, 2, 0x66, 0x7a]);
    let answered = 0;
    let closes = 0;
    const worker = async (frames: Buffer[]) => {
      let socket: Socket | null = null;
      let decoder = new FrameDecoder(0x7fffffff);
      let settle: (() => void) | null = null;
      for (const bytes of frames) {
        if (!socket || socket.destroyed) {
          const s = await rawSocket();
          socket = s;
          decoder = new FrameDecoder(0x7fffffff);
          s.on('error', () => {});
          s.on('data', (chunk: Buffer) => {
            for (const response of decoder.push(chunk)) {
              if (response.readInt32BE(0) === PROBE_ID) settle?.();
              else answered++;
            }
          });
          s.on('close', () => {
            closes++;
            settle?.();
          });
        }
        const dealt = new Promise<void>((resolve) => (settle = resolve));
        socket.write(Buffer.concat([bytes, probe]));
        await dealt;
      }
      socket?.destroy();
    };
    const WORKERS = 20;
    // Every frame sent at once, 200 to a connection: the broker reads each connection's frames
    // until one is malformed and closes it there.
    const blast = async (burst: Buffer[]) => {
      const socket = await rawSocket();
      const done = closed(socket);
      socket.on('data', () => {});
      socket.write(Buffer.concat(burst));
      socket.end();
      await done;
    };
    const frames = fc.sample(frame, { numRuns: 100_000, seed: 42 });
    // Warm up first (JIT, buffers, LevelDB caches), so the comparison sees growth, not
    // start-up.
    await Promise.all(
      Array.from({ length: WORKERS }, (_, w) => worker(frames.slice(w * 50, w * 50 + 50))),
    );
    await stillServes();
    const before = await brokerRss();
    // 5,000 frames one by one, each surely read by the broker (a mutated Fetch may long-poll,
    // and its probe waits behind it)…
    const probed = frames.slice(0, 5_000);
    await Promise.all(
      Array.from({ length: WORKERS }, (_, w) => worker(probed.slice(w * 250, (w + 1) * 250))),
    );
    // …then all 100,000 in bursts of 200 per connection, 10 connections at a time.
    for (let i = 0; i < frames.length; i += 2000)
      await Promise.all(
        Array.from({ length: 10 }, (_, c) => blast(frames.slice(i + c * 200, i + (c + 1) * 200))),
      );
    await stillServes();
    const after = await brokerRss();
    expect(frames).toHaveLength(100_000);
    // Both kinds of outcome happened many times: answers and closed connections.
    expect(answered).toBeGreaterThan(500);
    expect(closes).toBeGreaterThan(500);
    // Flat within 128 MiB: V8 grows its heap lazily and collects when it likes, so a few tens
    // of MiB come and go on their own; a leak of 2 KiB per frame would be 200 MB.
    expect(after - before).toBeLessThan(128 * 1024 * 1024);
  });
});
