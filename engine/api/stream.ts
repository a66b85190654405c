/**
 * The WebSocket protocol (`/api/v1/ws`): one socket, many subscriptions.
 * Client → engine: `subscribe` / `unsubscribe`. Engine → client: `event`, `error`, `end`.
 * Authentication: the browser cannot set headers on a WebSocket, so the token travels as the
 * subprotocol `bearer.<token>` next to the protocol name `logscope.v1`.
 */
import { z } from 'zod';
import { ApiErrorDetail } from './errors';

export const WS_PROTOCOL = 'logscope.v1';
export const WS_TOKEN_PREFIX = 'bearer.';

/**
 * `tail` takes TailParams (engine/api/messages.ts) and sends TailEvents; `metrics` takes
 * MetricsParams and sends MetricsSnapshots (engine/api/metrics.ts); `playback` takes
 * PlaybackParams and sends PlaybackEvents (engine/api/playback.ts).
 */
export const StreamName = z.enum(['status', 'jobs', 'tail', 'metrics', 'playback']);
export type StreamName = z.infer<typeof StreamName>;

export const ClientMessage = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('subscribe'),
    /** Chosen by the client; names the subscription in every message about it. */
    id: z.string().min(1).max(100),
    stream: StreamName,
    params: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({ op: z.literal('unsubscribe'), id: z.string().min(1).max(100) }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const ServerMessage = z.discriminatedUnion('op', [
  z.object({ op: z.literal('event'), id: z.string(), data: z.unknown() }),
  z.object({ op: z.literal('error'), id: z.string().nullable(), error: ApiErrorDetail }),
  z.object({ op: z.literal('end'), id: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
