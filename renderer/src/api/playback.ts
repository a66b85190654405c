/**
 * The `playback` stream (engine/api/playback.ts) for the playback view: one subscription per
 * run — a jump or a resume is a new one, so the caller keeps only the latest.
 */
import type { z } from 'zod';
import type { ApiErrorDetail, PlaybackEvent, PlaybackParams } from '../../../engine/api';
import { engineStream } from './stream';

export type PlaybackEventOut = PlaybackEvent;
export type PlaybackTickOut = Extract<PlaybackEvent, { kind: 'tick' }>;
export type PlaybackParamsIn = z.input<typeof PlaybackParams>;

export interface PlaybackHandlers {
  onEvent: (event: PlaybackEvent) => void;
  onError: (error: ApiErrorDetail) => void;
  onEnd: () => void;
  /**
   * The socket reconnected and re-sent the subscription with its first params, so it would
   * play again from where it first started: it is stopped instead, for the caller to go on
   * from its last cursor.
   */
  onInterrupted: () => void;
}

/** Starts playing; returns the function that stops it (no handler is called after it). */
export function subscribePlayback(
  params: PlaybackParamsIn,
  handlers: PlaybackHandlers,
): () => void {
  let stopped = false;
  let started = false;
  const unsubscribe = engineStream.subscribe(
    'playback',
    params as Record<string, unknown>,
    (data) => {
      if (stopped) return;
      const event = data as PlaybackEvent;
      if (event.kind === 'start') {
        if (started) {
          stop();
          handlers.onInterrupted();
          return;
        }
        started = true;
      }
      handlers.onEvent(event);
    },
    {
      onError: (error) => {
        if (!stopped) handlers.onError(error);
      },
      onEnd: () => {
        if (!stopped) handlers.onEnd();
      },
    },
  );
  const stop = () => {
    stopped = true;
    unsubscribe();
  };
  return stop;
}
