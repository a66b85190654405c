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
}

/** Starts playing; returns the function that stops it (no handler is called after it). */
export function subscribePlayback(
  params: PlaybackParamsIn,
  handlers: PlaybackHandlers,
): () => void {
  let stopped = false;
  const unsubscribe = engineStream.subscribe(
    'playback',
    params as Record<string, unknown>,
    (data) => {
      if (!stopped) handlers.onEvent(data as PlaybackEvent);
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
  return () => {
    stopped = true;
    unsubscribe();
  };
}
