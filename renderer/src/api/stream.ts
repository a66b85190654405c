/**
 * The engine's WebSocket: one connection, many subscriptions, reconnected with backoff.
 * Subscriptions survive reconnects: they are re-sent when the socket opens again.
 */
import { ref, type Ref } from 'vue';
import type { ApiErrorDetail, ClientMessage, ServerMessage, StreamName } from '../../../engine/api';
import { apiToken } from './token';

// Mirrors WS_PROTOCOL / WS_TOKEN_PREFIX of engine/api/stream.ts (values cannot be imported here).
const PROTOCOL = 'logscope.v1';
const TOKEN_PREFIX = 'bearer.';

export type ConnectionState = 'connecting' | 'open' | 'closed';

interface Subscription {
  stream: StreamName;
  params: Record<string, unknown>;
  onEvent: (data: unknown) => void;
  handlers: SubscriptionHandlers;
}

/**
 * For streams that end or fail (playback): called once, and the subscription is forgotten
 * (not re-sent on a reconnect). Without handlers a subscription stays as before.
 */
export interface SubscriptionHandlers {
  onError?: (error: ApiErrorDetail) => void;
  onEnd?: () => void;
}

class EngineStream {
  readonly state: Ref<ConnectionState> = ref('connecting');
  private socket: WebSocket | null = null;
  private readonly subscriptions = new Map<string, Subscription>();
  private nextId = 1;
  private retryMs = 250;

  subscribe(
    stream: StreamName,
    params: Record<string, unknown>,
    onEvent: (data: unknown) => void,
    handlers: SubscriptionHandlers = {},
  ): () => void {
    const id = `s${this.nextId++}`;
    this.subscriptions.set(id, { stream, params, onEvent, handlers });
    this.connect();
    this.send({ op: 'subscribe', id, stream, params });
    return () => {
      this.subscriptions.delete(id);
      this.send({ op: 'unsubscribe', id });
    };
  }

  private connect(): void {
    if (this.socket) return;
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/v1/ws`;
    const socket = new WebSocket(url, [PROTOCOL, `${TOKEN_PREFIX}${apiToken() ?? ''}`]);
    this.socket = socket;
    this.state.value = 'connecting';
    socket.onopen = () => {
      this.state.value = 'open';
      this.retryMs = 250;
      for (const [id, s] of this.subscriptions)
        this.send({ op: 'subscribe', id, stream: s.stream, params: s.params });
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      if (message.op === 'event') this.subscriptions.get(message.id)?.onEvent(message.data);
      else if (message.id !== null) this.finished(message.id, message);
    };
    socket.onclose = () => {
      this.socket = null;
      this.state.value = 'closed';
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    };
  }

  /** The engine ended or failed a subscription; one that asked to hear of it is forgotten. */
  private finished(id: string, message: Exclude<ServerMessage, { op: 'event' }>): void {
    const { handlers } = this.subscriptions.get(id) ?? {};
    if (!handlers?.onError && !handlers?.onEnd) return;
    this.subscriptions.delete(id);
    if (message.op === 'error') handlers.onError?.(message.error);
    else handlers.onEnd?.();
  }

  private send(message: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}

export const engineStream = new EngineStream();
