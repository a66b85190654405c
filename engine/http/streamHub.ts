/**
 * The engine's one WebSocket (`/api/v1/ws`) and the subscriptions multiplexed over it.
 * A stream source is a function that starts emitting for one subscription and returns the
 * function that stops it; the hub owns sockets, parsing and cleanup.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { z } from 'zod';
import {
  ClientMessage,
  WS_PROTOCOL,
  WS_TOKEN_PREFIX,
  type ApiErrorDetail,
  type ServerMessage,
  type StreamName,
} from '../api';
import { ApiError, errorDetail, parseOrFail } from './apiError';
import { checkOrigin, tokenMatches, type AccessPolicy } from './security';

export interface StreamSubscription<Params = Record<string, unknown>> {
  params: Params;
  /** Sends one event to the subscriber. Returns false when the socket is backed up. */
  emit(data: unknown): boolean;
  /** Ends the subscription from the engine's side (e.g. a finished job). */
  end(): void;
  fail(error: ApiErrorDetail): void;
}

export type StreamSource<Params = Record<string, unknown>> = (
  subscription: StreamSubscription<Params>,
) => (() => void) | void;

/** Past this many buffered bytes a socket is too slow; sources may drop instead of queueing. */
const BACKPRESSURE_BYTES = 4 * 1024 * 1024;

export class StreamHub {
  private readonly server = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  private readonly sources = new Map<StreamName, StreamSource>();

  constructor(private readonly policy: AccessPolicy) {}

  /**
   * Registers a stream. With a schema, the hub validates the subscription's params first (a
   * failure is answered as VALIDATION_FAILED naming `params.…`, like an HTTP request's), and
   * anything the source throws while starting ends that subscription with the error.
   */
  register<S extends z.ZodType>(
    name: StreamName,
    source: StreamSource<z.infer<S>>,
    schema: S,
  ): void;
  register(name: StreamName, source: StreamSource): void;
  register(name: StreamName, source: StreamSource<never>, schema?: z.ZodType): void {
    this.sources.set(name, (subscription) =>
      (source as StreamSource<unknown>)({
        ...subscription,
        params: schema ? parseOrFail(schema, subscription.params, 'params') : subscription.params,
      }),
    );
  }

  /** Handles an HTTP upgrade; refuses it unless origin, host and token are right. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    try {
      checkOrigin(request.headers, this.policy);
      const offered = (request.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((p) => p.trim());
      const token = offered
        .find((p) => p.startsWith(WS_TOKEN_PREFIX))
        ?.slice(WS_TOKEN_PREFIX.length);
      if (!tokenMatches(token, this.policy.token)) throw new ApiError('UNAUTHORIZED', 'bad token');
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 400;
      socket.end(`HTTP/1.1 ${status} Refused\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.serve(ws));
  }

  close(): void {
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }

  private serve(ws: WebSocket): void {
    const stops = new Map<string, () => void>();
    const send = (message: ServerMessage): boolean => {
      if (ws.readyState !== ws.OPEN) return false;
      ws.send(JSON.stringify(message));
      return ws.bufferedAmount < BACKPRESSURE_BYTES;
    };
    const stop = (id: string) => {
      stops.get(id)?.();
      stops.delete(id);
    };

    ws.on('message', (raw) => {
      let message: ClientMessage;
      try {
        message = ClientMessage.parse(JSON.parse(String(raw)));
      } catch {
        send({
          op: 'error',
          id: null,
          error: { code: 'BAD_REQUEST', message: 'Not a valid stream message.' },
        });
        return;
      }
      if (message.op === 'unsubscribe') {
        stop(message.id);
        return;
      }
      const { id, stream } = message;
      const source = this.sources.get(stream);
      if (!source) {
        send({ op: 'error', id, error: { code: 'NOT_FOUND', message: `No stream "${stream}".` } });
        return;
      }
      stop(id);
      let ended = false;
      let cleanup: (() => void) | void = undefined;
      const subscription: StreamSubscription = {
        params: message.params ?? {},
        emit: (data) => !ended && send({ op: 'event', id, data }),
        end: () => {
          if (ended) return;
          ended = true;
          send({ op: 'end', id });
          stops.delete(id);
        },
        fail: (error) => {
          if (ended) return;
          ended = true;
          send({ op: 'error', id, error });
          stops.delete(id);
        },
      };
      try {
        cleanup = source(subscription);
      } catch (error) {
        subscription.fail(errorDetail(error));
      }
      if (!ended) {
        stops.set(id, () => {
          ended = true;
          cleanup?.();
        });
      } else {
        cleanup?.();
      }
    });
    ws.on('close', () => {
      for (const id of [...stops.keys()]) stop(id);
    });
  }
}
