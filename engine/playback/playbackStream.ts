/**
 * The `playback` stream: resolves the window, merges its partitions by timestamp with a
 * PartitionScan (one fetch's worth buffered per partition) and plays them with `play`.
 * Bad params fail at once (the hub reports them); a failure while playing ends the
 * subscription with the error.
 */
import type { ApiErrorDetail, PlaybackEvent, PlaybackParams } from '../api';
import { PartitionScan } from '../browse/partitionScan';
import { filterFrom } from '../browse/topicBrowser';
import { fieldExtractor } from '../eda/fields';
import { errorDetail } from '../http/apiError';
import type { RangeReader } from '../transfer/transferService';
import { play, PLAYBACK_DEFAULTS, systemClock, type PlaybackClock } from './player';
import { resolveWindow } from './playbackWindow';

export interface PlaybackSink {
  emit(event: PlaybackEvent): boolean;
  end(): void;
  fail(error: ApiErrorDetail): void;
}

/** Starts playing; returns the function that stops it. */
export function startPlayback(
  reader: RangeReader,
  params: PlaybackParams,
  sink: PlaybackSink,
  clock: PlaybackClock = systemClock,
): () => void {
  const filter = filterFrom(params.filter, 'params.filter', params.topic);
  const field = params.field === undefined ? null : fieldExtractor(params.field, 'params.field');
  const controller = new AbortController();
  const { signal } = controller;

  const run = async () => {
    const window = await resolveWindow(reader, params);
    signal.throwIfAborted();
    sink.emit({
      kind: 'start',
      from: params.from,
      to: params.to,
      position: window.position,
      offsets: window.offsets,
      partitions: window.partitions,
    });
    const scan = new PartitionScan({
      topic: params.topic,
      reader,
      direction: 'forward',
      start: window.start,
      end: window.end,
      floor: window.start,
      sizes: reader.sizes(params.topic),
      signal,
    });
    scan.wanted = PLAYBACK_DEFAULTS.maxBatchMessages;
    await play(
      scan,
      sink,
      {
        from: params.from,
        to: params.to,
        position: window.position,
        speed: params.speed === 'max' ? 0 : params.speed,
        filter,
        field,
        decode: {
          keyAs: params.keyAs,
          valueAs: params.valueAs,
          previewBytes: params.previewBytes,
        },
      },
      clock,
      signal,
    );
    sink.end();
  };
  run().catch((error: unknown) => {
    if (!signal.aborted) sink.fail(errorDetail(error));
  });
  return () => controller.abort();
}
