/**
 * One client connection: frames in, requests dispatched to their handlers, responses out in
 * request order.
 *
 * Clients pipeline: they send several requests before reading a response, and match responses
 * to requests by order. Handlers may finish out of order (a long-polling Fetch behind a quick
 * Metadata), so each request takes a slot in a queue when it arrives and responses leave from the
 * head of the queue only. A handler may answer NO_RESPONSE (Produce with acks=0): its slot is
 * dropped without a write.
 *
 * Whatever a client sends can at worst close its own connection: a bad frame size, a header
 * that does not parse, an unknown API key, an API or version the broker does not serve, a body
 * that does not decode. The one exception is ApiVersions at an unsupported version, which Kafka
 * answers (error 35, v0 body) so that the client can retry at a version the broker has.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ErrorCode } from '../protocol/errors';
import { FrameDecoder } from '../protocol/frame';
import {
  encodeResponseFrame,
  readRequestBody,
  readRequestHeaderOf,
  type RequestHeader,
} from '../protocol/messages/envelope';
import { ApiKey, apiDescriptor } from '../protocol/messages/generated/index';
import { Reader } from '../protocol/messages/reader';
import {
  CloseConnection,
  NO_RESPONSE,
  RAW_SASL_TOKENS,
  type ApiRegistration,
  type ConnectionState,
  type HandlerRegistry,
  type RawSaslTokens,
  type RequestContext,
} from './handlerRegistry';
import type { Logger } from './logger';

/** Hooks for metrics: called synchronously, must not throw. */
export interface ServerObserver {
  connectionOpened?(connection: ConnectionState): void;
  connectionClosed?(connection: ConnectionState): void;
  requestCompleted?(event: RequestCompleted): void;
}

export interface RequestCompleted {
  readonly connection: ConnectionState;
  readonly apiKey: number;
  readonly apiVersion: number;
  /** From the frame's arrival to the response being queued for writing. */
  readonly durationMs: number;
  readonly requestBytes: number;
  /** 0 when the handler sent no response. */
  readonly responseBytes: number;
}

export interface ConnectionOptions {
  readonly registry: HandlerRegistry;
  readonly logger: Logger;
  readonly observer: ServerObserver | undefined;
  /** `socket.request.max.bytes`. */
  readonly maxFrameBytes: number;
  /** Stop reading from a client with this many requests awaiting their response. */
  readonly maxInFlightRequests: number;
  /** `connections.max.idle.ms`: close a connection with nothing to do for this long. */
  readonly idleTimeoutMs: number;
  /** When true, an unauthenticated connection gets only APIs registered `beforeAuthentication`. */
  readonly requireAuthentication: () => boolean;
}

interface PendingResponse {
  done: boolean;
  chunks: Uint8Array[];
}

export class Connection {
  private readonly decoder: FrameDecoder;
  private readonly pending: PendingResponse[] = [];
  private serialTail: Promise<unknown> = Promise.resolve();
  private readonly abortController = new AbortController();
  private readingPaused = false;
  private draining = false;
  private closed = false;
  /** Resolves once the socket has closed. */
  readonly whenClosed: Promise<void>;

  constructor(
    private readonly socket: Socket,
    readonly state: ConnectionState,
    private readonly options: ConnectionOptions,
  ) {
    this.decoder = new FrameDecoder(options.maxFrameBytes);
    this.whenClosed = new Promise((resolve) => {
      socket.once('close', () => {
        this.closed = true;
        this.abortController.abort();
        this.pending.length = 0;
        options.observer?.connectionClosed?.(state);
        resolve();
      });
    });
    socket.setNoDelay(true);
    if (options.idleTimeoutMs > 0) {
      socket.setTimeout(options.idleTimeoutMs, () => {
        if (this.pending.length === 0) this.close('idle for connections.max.idle.ms');
      });
    }
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('drain', () => this.updateFlow());
    socket.on('error', (error) => {
      options.logger.debug('connection error', { connection: state.id, error });
    });
    options.observer?.connectionOpened?.(state);
  }

  /** Requests received whose response has not been written yet. */
  get inFlight(): number {
    return this.pending.length;
  }

  private receive(chunk: Buffer): void {
    if (this.closed || this.draining) return;
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.fail('bad frame', error);
      return;
    }
    for (const frame of frames) {
      if (this.closed || this.draining) return;
      this.dispatch(frame);
    }
  }

  private dispatch(frame: Buffer): void {
    const raw = this.state.attributes.get(RAW_SASL_TOKENS) as RawSaslTokens | undefined;
    if (raw) {
      const answer = raw(frame);
      if (answer === null) {
        this.fail('SASL authentication failed');
        return;
      }
      const size = Buffer.alloc(4);
      size.writeInt32BE(answer.length);
      this.respondNow([size, answer]);
      return;
    }
    const receivedAt = performance.now();
    const reader = new Reader(frame);
    let header: RequestHeader;
    try {
      header = readRequestHeaderOf(reader);
    } catch (error) {
      this.fail('malformed request header', error);
      return;
    }
    const { requestApiKey: apiKey, requestApiVersion: apiVersion, correlationId } = header;
    const name = apiDescriptor(apiKey)!.name;
    const registration = this.options.registry.get(apiKey);
    const supported =
      registration !== undefined &&
      apiVersion >= registration.minVersion &&
      apiVersion <= registration.maxVersion;

    if (apiKey === ApiKey.ApiVersions && !supported) {
      // KIP-511: the body of a too-new ApiVersions request may not parse, so it is not read; the
      // answer is the v0 body, which every client can read, listing our ApiVersions range.
      this.respondNow(
        encodeResponseFrame(ApiKey.ApiVersions, 0, correlationId, {
          errorCode: ErrorCode.UNSUPPORTED_VERSION,
          apiKeys: this.options.registry.apiVersionsEntry(),
        }),
      );
      return;
    }
    if (registration === undefined) {
      this.fail(`${name} is not served`, undefined, { apiKey, apiVersion });
      return;
    }
    if (!supported) {
      this.fail(`${name} v${apiVersion} is not supported`, undefined, {
        supported: `${registration.minVersion}-${registration.maxVersion}`,
      });
      return;
    }
    if (
      !registration.beforeAuthentication &&
      !this.state.authenticated &&
      this.options.requireAuthentication()
    ) {
      this.fail(`${name} before authentication`);
      return;
    }
    let request: unknown;
    try {
      request = readRequestBody(reader, apiKey, apiVersion);
    } catch (error) {
      this.fail(`malformed ${name} v${apiVersion} request`, error);
      return;
    }

    const slot: PendingResponse = { done: false, chunks: [] };
    this.pending.push(slot);
    // A serial request's turn ends when its handler settles, or earlier when the handler says
    // its ordered part is done (releaseSerialOrder); the next serial request waits for that.
    let endTurn = (): void => {};
    const turn = registration.serial
      ? new Promise<void>((resolve) => (endTurn = () => resolve()))
      : undefined;
    const releaseSerialOrder = (): void => endTurn();
    const context: RequestContext = {
      header,
      apiKey,
      apiVersion,
      connection: this.state,
      signal: this.abortController.signal,
      requestBytes: frame.length,
      releaseSerialOrder,
    };
    const run = (): unknown => (registration as ApiRegistration).handle(request as never, context);
    let result: Promise<unknown>;
    if (turn) {
      result = this.serialTail.then(run, run);
      result.then(releaseSerialOrder, releaseSerialOrder);
      this.serialTail = turn;
    } else {
      try {
        result = Promise.resolve(run());
      } catch (error) {
        result = Promise.reject(error);
      }
    }
    result.then(
      (response) => this.complete(slot, header, name, response, receivedAt, frame.length),
      (error: unknown) =>
        error instanceof CloseConnection
          ? this.fail(`${name}: ${error.message}`)
          : this.fail(`${name} handler failed`, error, undefined, 'error'),
    );
    this.updateFlow();
  }

  private complete(
    slot: PendingResponse,
    header: RequestHeader,
    name: string,
    response: unknown,
    receivedAt: number,
    requestBytes: number,
  ): void {
    if (this.closed) return;
    const { requestApiKey: apiKey, requestApiVersion: apiVersion, correlationId } = header;
    let responseBytes = 0;
    if (response !== NO_RESPONSE) {
      try {
        slot.chunks = encodeResponseFrame(apiKey, apiVersion, correlationId, response);
      } catch (error) {
        this.fail(`cannot encode the ${name} v${apiVersion} response`, error, undefined, 'error');
        return;
      }
      for (const chunk of slot.chunks) responseBytes += chunk.length;
    }
    slot.done = true;
    this.options.observer?.requestCompleted?.({
      connection: this.state,
      apiKey,
      apiVersion,
      durationMs: performance.now() - receivedAt,
      requestBytes,
      responseBytes,
    });
    this.flush();
  }

  /** A response that needs no handler (and so cannot overtake a pending one: it queues too). */
  private respondNow(chunks: Uint8Array[]): void {
    this.pending.push({ done: true, chunks });
    this.flush();
  }

  /** Writes every finished response at the head of the queue, in one gathering write. */
  private flush(): void {
    let corked = false;
    while (this.pending.length > 0 && this.pending[0]!.done) {
      const { chunks } = this.pending.shift()!;
      if (chunks.length === 0) continue;
      if (!corked) {
        this.socket.cork();
        corked = true;
      }
      for (const chunk of chunks) this.socket.write(chunk);
    }
    if (corked) this.socket.uncork();
    if (this.draining && this.pending.length === 0) this.socket.end();
    else this.updateFlow();
  }

  /** Stops reading while the client has too much outstanding, or does not read what we write. */
  private updateFlow(): void {
    if (this.closed || this.draining) return;
    const pause =
      this.pending.length >= this.options.maxInFlightRequests || this.socket.writableNeedDrain;
    if (pause && !this.readingPaused) {
      this.socket.pause();
      this.readingPaused = true;
    } else if (!pause && this.readingPaused) {
      this.readingPaused = false;
      this.socket.resume();
    }
  }

  private fail(
    reason: string,
    error?: unknown,
    fields: Record<string, unknown> = {},
    level: 'warn' | 'error' = 'warn',
  ): void {
    if (this.closed) return;
    this.options.logger[level](`closing connection: ${reason}`, {
      connection: this.state.id,
      client: `${this.state.remoteAddress}:${this.state.remotePort}`,
      ...fields,
      ...(error === undefined ? {} : { error }),
    });
    this.close(reason);
  }

  /** Closes at once: requests in flight are abandoned. */
  close(reason = 'closed by the broker'): void {
    if (this.closed) return;
    this.closed = true;
    this.options.logger.debug('connection closed', { connection: this.state.id, reason });
    this.abortController.abort();
    this.socket.destroy();
  }

  /**
   * Graceful close: reads no more requests, tells handlers to wrap up (the abort signal), writes
   * the responses of requests already received, then ends the connection.
   */
  drain(): Promise<void> {
    if (!this.closed && !this.draining) {
      this.draining = true;
      // Keep reading (new requests are dropped in `receive`): a paused socket would never see
      // the client's FIN, and the connection would never close.
      this.readingPaused = false;
      this.socket.resume();
      this.abortController.abort();
      if (this.pending.length === 0) this.socket.end();
    }
    return this.whenClosed;
  }
}
