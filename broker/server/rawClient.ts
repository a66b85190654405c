/**
 * A minimal Kafka client over one socket, built on the generated codecs, for tests: it sends
 * requests (pipelined, or as raw bytes), and reads responses in arrival order, matching each to
 * its request by correlation id. Real-client behaviour is tested with kafkajs and kcat; this one
 * exists to send what those never would (pipelines in one write, broken frames, odd versions).
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { FrameDecoder } from '../protocol/frame';
import { decodeResponseFrame, encodeRequestFrame } from '../protocol/messages/envelope';
import type { ApiMessages } from '../protocol/messages/generated/index';
import type { Input } from '../protocol/messages/runtime';

export interface ReceivedResponse {
  correlationId: number;
  frame: Buffer;
}

export class RawClient {
  private readonly decoder = new FrameDecoder(0x7fffffff);
  private readonly waiting: ((response: ReceivedResponse) => void)[] = [];
  private readonly received: ReceivedResponse[] = [];
  private nextCorrelationId = 1;
  /** Every response, in arrival order. */
  readonly arrivals: number[] = [];
  /** Resolves when the broker closes the connection (or it fails). */
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) {
        const response = { correlationId: frame.readInt32BE(0), frame };
        this.arrivals.push(response.correlationId);
        const waiter = this.waiting.shift();
        if (waiter) waiter(response);
        else this.received.push(response);
      }
    });
  }

  static async connect(
    port: number,
    host = '127.0.0.1',
    tls?: TlsConnectionOptions,
  ): Promise<RawClient> {
    const socket = tls ? connectTls({ ...tls, host, port }) : connectTcp({ host, port });
    await new Promise<void>((resolve, reject) => {
      socket.once(tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** The next response to arrive, whichever request it answers. */
  nextResponse(): Promise<ReceivedResponse> {
    const ready = this.received.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A request frame with a fresh correlation id (not sent). */
  frame<K extends keyof ApiMessages>(
    apiKey: K,
    apiVersion: number,
    body: Input<ApiMessages[K]['request']>,
    correlationId = this.nextCorrelationId++,
  ): { correlationId: number; bytes: Buffer } {
    return {
      correlationId,
      bytes: encodeRequestFrame(apiKey, apiVersion, correlationId, 'raw-client', body),
    };
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Sends one request and decodes the next response as its answer. */
  async request<K extends keyof ApiMessages>(
    apiKey: K,
    apiVersion: number,
    body: Input<ApiMessages[K]['request']>,
  ): Promise<ApiMessages[K]['response']> {
    const { correlationId, bytes } = this.frame(apiKey, apiVersion, body);
    this.write(bytes);
    const response = await this.nextResponse();
    if (response.correlationId !== correlationId) {
      throw new Error(`expected correlation id ${correlationId}, got ${response.correlationId}`);
    }
    return decodeResponseFrame(response.frame, apiKey, apiVersion).body;
  }

  close(): Promise<void> {
    this.socket.destroy();
    return this.closed;
  }
}
